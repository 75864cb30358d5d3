"""Per-file cache: hits skip the per-document stages, changes miss, damage is ignored and rebuilt."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from newsroom import ARTICLES, CAPTION, STRIKE

import dedupe
from dedupe import cache, compare, incremental, pipeline, prepare
from dedupe import group as grouping
from dedupe.cli import cli
from dedupe.formats import json as json_format


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The newsroom articles, last modified a minute ago (files modified within
    pipeline.RACY_S are read again on the next run, whatever their stamp)."""
    monkeypatch.chdir(tmp_path)
    for name, text in ARTICLES.items():
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
        aged(tmp_path / name)
    return tmp_path


def aged(path: Path, seconds: float = 60) -> None:
    then = time.time() - seconds
    os.utime(path, (then, then))


@pytest.fixture
def segmented(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Paths of the documents the segmenter ran on (a cache hit does not segment)."""
    seen: list[str] = []
    real = prepare.segment.segment

    def spy(document, doc):  # type: ignore[no-untyped-def]
        seen.append(document.path)
        return real(document, doc)

    monkeypatch.setattr(prepare.segment, "segment", spy)
    return seen


def run(**options: object) -> dedupe.Result:
    settings = replace(dedupe.Settings(), **{"cache": True, "cache_dir": ".dedupe-cache", **options})
    return pipeline.check(["news"], settings=settings)


def output(result: dedupe.Result) -> dict:
    data = json_format.document(result)
    data.pop("warnings")
    return data


def test_second_run_reads_every_file_from_the_cache(site: Path, segmented: list[str]) -> None:
    cold = run()
    assert sorted(segmented) == sorted(f"news/{n}" for n in ("budget.txt", "library.txt", "meals.txt", "strike.txt"))
    segmented.clear()
    warm = run()
    assert segmented == []
    assert output(warm) == output(cold)
    assert warm.units == cold.units and warm.documents == cold.documents
    assert (site / ".dedupe-cache" / "cache.sqlite3").is_file()
    assert (site / ".dedupe-cache" / ".gitignore").read_text(encoding="utf-8").endswith("*\n")


def test_a_changed_file_is_segmented_again_and_only_it(site: Path, segmented: list[str]) -> None:
    run()
    segmented.clear()
    (site / "news" / "strike.txt").write_text(STRIKE + "\n" + CAPTION + "\n", encoding="utf-8")
    result = run()
    assert segmented == ["news/strike.txt"]
    assert [len(f.occurrences) for f in result.findings if f.kind == "caption"] == [3]


def test_settings_that_change_units_miss_and_others_hit(site: Path, segmented: list[str]) -> None:
    run()
    segmented.clear()
    run(threshold=0.8, scope="article")
    assert segmented == []
    run(min_words=6)
    assert len(segmented) == 4


def test_a_corrupt_database_is_ignored_and_rebuilt(site: Path, segmented: list[str]) -> None:
    cold = run()
    (site / ".dedupe-cache" / "cache.sqlite3").write_bytes(b"this is not a database" * 100)
    segmented.clear()
    again = run()
    assert len(segmented) == 4 and output(again) == output(cold)
    assert not [w for w in again.warnings if "cache" in w]
    segmented.clear()
    run()
    assert segmented == []


@pytest.mark.parametrize("part", ["head", "rows"])
def test_a_damaged_entry_is_made_again(site: Path, segmented: list[str], part: str) -> None:
    cold = run()
    db = sqlite3.connect(site / ".dedupe-cache" / "cache.sqlite3")
    key, blob = db.execute(f"SELECT key, {part} FROM entries WHERE rows IS NOT NULL LIMIT 1").fetchone()
    db.execute(f"UPDATE entries SET {part} = ? WHERE key = ?", (blob[:-7] + b"garbage", key))
    db.execute("DELETE FROM entries WHERE kind = 'result'")  # or the file heads are not read at all
    db.commit()
    db.close()
    segmented.clear()
    warm = run()
    assert output(warm) == output(cold)
    # a damaged head is a miss; damaged rows are made again when a unit is asked for
    assert [[u.text for u in units] for units in warm.units] == [[u.text for u in units] for units in cold.units]
    assert len(segmented) == 1


def test_words_lost_from_the_cache_are_made_again_from_the_units(site: Path, segmented: list[str],
                                                                 signed: list[int]) -> None:
    cold = run()
    db = sqlite3.connect(site / ".dedupe-cache" / "cache.sqlite3")
    db.execute("UPDATE entries SET words = x'00' WHERE words IS NOT NULL")  # every file's words damaged
    db.commit()
    db.close()
    segmented.clear()
    result = run(threshold=0.8)  # another threshold: the comparison is made again, from cached documents
    assert segmented == [] and len(signed) == 2
    assert output(result) == output(dedupe.check("news", threshold=0.8))
    assert output(run()) == output(cold)


def test_a_warm_run_imports_neither_numpy_nor_the_readers(site: Path) -> None:
    code = ("import sys; from dataclasses import replace; import dedupe; from dedupe import pipeline; "
            "s = replace(dedupe.Settings(), cache=True); pipeline.check(['news'], settings=s); "
            "print(sorted(m for m in ('numpy', 'nltk', 'datasketch', 'markdown_it', 'dedupe.prepare') "
            "if m in sys.modules))")
    cold = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    warm = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "numpy" in cold.stdout
    assert warm.stdout.strip() == "[]"


def test_an_unwritable_cache_folder_is_a_warning_not_an_error(site: Path) -> None:
    (site / "blocked").write_text("a file where the cache folder should be", encoding="utf-8")
    result = run(cache_dir="blocked/cache")
    assert [f.kind for f in result.findings] == ["cross", "caption"]
    assert any(w.startswith("blocked/cache/cache.sqlite3: cache not used") for w in result.warnings)


def test_payload_round_trips_arrays_and_rejects_tampering() -> None:
    payload = ("text", [("sentence", "A b.", ((0, 0, 4),), False, False)], np.arange(5, dtype=np.uint64))
    blob = cache.encode(payload)
    back = cache.decode(blob)
    assert back is not None and back[:2] == payload[:2]
    assert back[2].dtype == np.uint64 and back[2].tolist() == [0, 1, 2, 3, 4]
    assert cache.decode(blob[:-1] + bytes([blob[-1] ^ 1])) is None
    assert cache.decode(b"") is None


def test_cli_no_cache_writes_nothing_and_cache_dir_is_honoured(site: Path) -> None:
    assert CliRunner().invoke(cli, ["check", "news", "--no-cache"]).exit_code == 1
    assert not (site / ".dedupe-cache").exists()
    assert CliRunner().invoke(cli, ["check", "news", "--cache-dir", "build/cache"]).exit_code == 1
    assert (site / "build" / "cache" / "cache.sqlite3").is_file()
    assert not (site / ".dedupe-cache").exists()
    assert CliRunner().invoke(cli, ["check", "news"]).exit_code == 1
    assert (site / ".dedupe-cache" / "cache.sqlite3").is_file()


def test_api_does_not_cache_unless_asked(site: Path) -> None:
    dedupe.check("news")
    assert not (site / ".dedupe-cache").exists()


def test_stdin_is_read_once_with_the_cache_on(site: Path) -> None:
    done = CliRunner().invoke(cli, ["check", "-"], input=f"{CAPTION}\n\nA line between them here.\n\n{CAPTION}\n")
    assert done.exit_code == 1 and "<stdin>:1:1: caption:" in done.stdout


@pytest.fixture
def signed(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Per comparison made, the representatives it signed for its first signal: 0 when
    every key's signature was kept from an earlier run (incremental.py). A cached
    comparison adds nothing."""
    seen: list[int] = []
    real = compare.sign.signatures
    first = False  # the comparison under way has not signed yet

    def spy(shingles, num_perm, seed, threads=1, *rest):  # type: ignore[no-untyped-def]
        nonlocal first
        if first:
            seen[-1], first = len(shingles), False
        return real(shingles, num_perm, seed, threads, *rest)

    def comparison(*args, **kwargs):  # type: ignore[no-untyped-def]
        nonlocal first
        seen.append(0)
        first = True
        return real_near_pairs(*args, **kwargs)

    real_near_pairs = compare.near_pairs
    monkeypatch.setattr(compare.sign, "signatures", spy)
    monkeypatch.setattr(compare, "near_pairs", comparison)
    return seen


@pytest.fixture
def grouped(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Numbers of documents grouped per run (a run whose findings are cached groups nothing)."""
    seen: list[int] = []
    real = grouping.group

    def spy(docs, *args):  # type: ignore[no-untyped-def]
        seen.append(len(docs))
        return real(docs, *args)

    monkeypatch.setattr(grouping, "group", spy)  # pipeline imports it when it groups
    return seen


def test_warm_run_loads_the_findings_in_one_read_without_comparing_or_grouping(
        site: Path, signed: list[int], grouped: list[int], segmented: list[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    cold = run()
    assert len(signed) == len(grouped) == 1
    reads: list[list[str]] = []
    real_get, real_linked = cache.Cache.get, cache.Cache.get_linked
    opened: list[str] = []
    real_read = pipeline.files.read_or_skip

    def counted(self, keys, part="head", valid=None):  # type: ignore[no-untyped-def]
        reads.append(keys)
        return real_get(self, keys, part, valid)

    def counted_linked(self, key, valid, linked_valid):  # type: ignore[no-untyped-def]
        reads.append([key])
        return real_linked(self, key, valid, linked_valid)

    monkeypatch.setattr(cache.Cache, "get", counted)
    monkeypatch.setattr(cache.Cache, "get_linked", counted_linked)
    monkeypatch.setattr(pipeline.files, "read_or_skip", lambda path, *a: opened.append(path) or real_read(path, *a))
    segmented.clear()
    warm = run()
    assert len(signed) == len(grouped) == 1 and segmented == []
    assert [len(keys) for keys in reads] == [1]  # the manifest and the result it links to, nothing per file
    assert opened == []  # the files' stamps are those of the manifest: none is opened
    assert output(warm) == output(cold)
    assert warm.findings == cold.findings and warm.unit_count == cold.unit_count
    assert [list(u) for u in warm.units] == [list(u) for u in cold.units]  # rows fetched when asked for
    assert "sign" not in warm.timings and "group" not in warm.timings


def test_a_damaged_result_entry_is_grouped_again(site: Path, grouped: list[int], signed: list[int]) -> None:
    cold = run()
    db = sqlite3.connect(site / ".dedupe-cache" / "cache.sqlite3")
    key, blob = db.execute("SELECT key, head FROM entries WHERE kind = 'result'").fetchone()
    db.execute("UPDATE entries SET head = ? WHERE key = ?", (blob[:-7] + b"garbage", key))
    db.commit()
    db.close()
    again = run()
    assert len(grouped) == 2 and len(signed) == 1  # the near pairs were still there
    assert output(again) == output(cold)
    run()
    assert len(grouped) == 2  # stored again


def test_findings_round_trip_as_plain_values_and_nothing_else_is_made() -> None:
    findings = dedupe.check(texts={"a.txt": f"{CAPTION}\n\nA line between them here.\n\n{CAPTION}\n"}).findings
    assert findings and cache.unplain(cache.decode(cache.encode((cache.plain(findings),)))[0]) == findings
    with pytest.raises(ValueError, match="not a dedupe.model dataclass"):
        cache.unplain((..., "Path", "/etc/passwd"))
    # a dataclass after numbers and strings in a tuple is still made again, and refused
    # when it is not dedupe.model's; a tuple of numbers and strings alone is kept as it is
    span = (..., "Span", 0, 5, 1, 1, 1, 6)
    assert cache.unplain((3, "a", span)) == (3, "a", dedupe.Span(0, 5, 1, 1, 1, 6))
    with pytest.raises(ValueError, match="not a dedupe.model dataclass"):
        cache.unplain((3, "a", [(..., "Path", "/etc/passwd")]))
    units = (1, 2, 3)
    assert cache.unplain(units) is units


def test_comparison_settings_miss_and_grouping_settings_hit(site: Path, signed: list[int]) -> None:
    run()
    run(threshold=0.8)
    assert len(signed) == 2
    result = run(allow=[CAPTION])
    assert len(signed) == 2
    assert [(f.kind, f.suppressed) for f in result.findings] == [("cross", False), ("caption", True)]


def test_a_warm_run_groups_from_the_index_and_unpacks_units_only_when_asked(site: Path, signed: list[int]) -> None:
    cold = run()
    warm = run(allow=["re:^Commuters queue outside"])  # a pattern is searched in the unit's text
    assert len(signed) == 1
    assert [(f.kind, f.suppressed) for f in warm.findings] == [("cross", False), ("caption", True)]
    assert [[u.text for u in units] for units in warm.units] == [[u.text for u in units] for units in cold.units]


def test_an_edit_anywhere_recompares(site: Path, signed: list[int]) -> None:
    run()
    (site / "news" / "library.txt").write_text(STRIKE, encoding="utf-8")
    result = run()
    assert len(signed) == 2 and signed[1] == 0  # every sentence of the new text was signed before
    assert sorted(f.kind for f in result.findings) == ["caption", "cross", "document"]


def test_code_fingerprint_covers_the_cached_stages_only() -> None:
    package = Path(cache.__file__).parent
    covered = {p.relative_to(package).parts[0] for p in package.rglob("*.py")} - cache.NOT_CACHED
    assert {"readers", "segment.py", "normalize.py", "files.py", "model.py", "pipeline.py", "sign.py",
            "candidates.py", "verify.py", "cache.py"} <= covered
    assert "formats" not in covered and "group.py" not in covered


def test_new_grouping_code_recompares_as_the_comparison_reads_some_of_its_rules(site: Path,
                                                                                monkeypatch: pytest.MonkeyPatch,
                                                                                comparisons: list[bool]) -> None:
    run()
    run(severity={**dedupe.model.DEFAULT_SEVERITY, "near": "warning"})
    assert comparisons == [True]  # another severity: the stored comparison serves
    monkeypatch.setattr(pipeline, "_GROUPING_CODE", "edited group.py")
    run()
    assert comparisons == [True, True]


def test_unused_entries_are_forgotten_and_a_warm_run_writes_nothing(site: Path) -> None:
    run()
    db_path = site / ".dedupe-cache" / "cache.sqlite3"
    db = sqlite3.connect(db_path)
    count = db.execute("SELECT count(*) FROM entries").fetchone()[0]
    # four files, the run's index and pairs, its findings, the files' manifest, and the
    # keys' signatures (one chunk and the entry that counts them)
    assert count == 9
    db.execute("UPDATE entries SET used = used - ? WHERE key IN "
               "(SELECT key FROM entries WHERE kind != 'signatures' LIMIT 1)",
               (cache.MAX_AGE_DAYS * 86400 + 10,))
    db.execute("UPDATE entries SET used = used - ?", (cache.USED_REFRESH_S + 10,))
    db.commit()
    before = db.execute("SELECT key, used FROM entries ORDER BY key").fetchall()
    db.close()
    run()  # reads every entry but the signatures (only a comparison does): all are marked used again
    db = sqlite3.connect(db_path)
    after = db.execute("SELECT key, used, kind FROM entries ORDER BY key").fetchall()
    assert [k for k, _, _ in after] == [k for k, _ in before]
    assert all(a > b for (_, a, kind), (_, b) in zip(after, before) if kind != "signatures")
    db.close()
    mtime = db_path.stat().st_mtime_ns
    run()
    assert db_path.stat().st_mtime_ns == mtime
    (site / "news" / "gone.txt").write_text(STRIKE.replace("Rail", "Bus"), encoding="utf-8")
    run()
    (site / "news" / "gone.txt").unlink()
    db = sqlite3.connect(db_path)
    db.execute("UPDATE entries SET used = used - ?", (cache.MAX_AGE_DAYS * 86400 + 10,))
    db.commit()
    db.close()
    run()  # the entries of this run are refreshed; those of gone.txt and the old pairs expire
    db = sqlite3.connect(db_path)
    assert db.execute("SELECT count(*) FROM entries").fetchone()[0] == 7
    db.close()


def test_only_the_latest_run_entries_are_kept(site: Path, monkeypatch: pytest.MonkeyPatch,
                                              signed: list[int]) -> None:
    monkeypatch.setattr(cache, "MAX_RUNS", 2)
    for threshold in (0.5, 0.6, 0.7, 0.8):  # four runs, four index entries
        run(threshold=threshold)
    run(threshold=0.8)
    assert len(signed) == 4  # the last run's entry is kept
    db = sqlite3.connect(site / ".dedupe-cache" / "cache.sqlite3")
    kinds = db.execute("SELECT kind, count(*) FROM entries GROUP BY kind ORDER BY kind").fetchall()
    db.close()
    assert kinds == [("file", 4), ("manifest", 1), ("result", 2), ("run", 2), ("signatures", 2)]


WRONG_SHAPES = [(1, 2), (), ("text",), ({"doc": 1}, 2, 3), ("text", (), "three", 4), (b"", b"", b"")]


def damage(site: Path, kind: str, part: str, payload: tuple) -> int:
    """Store ``payload``, with a sound checksum, as that part of every entry of a kind
    (and forget the run's result entry, which would make reading the others needless)."""
    db = sqlite3.connect(site / ".dedupe-cache" / "cache.sqlite3")
    damaged = db.execute(f"UPDATE entries SET {part} = ? WHERE kind = ?", (cache.encode(payload), kind)).rowcount
    if kind != "result":
        db.execute("DELETE FROM entries WHERE kind = 'result'")
    db.commit()
    db.close()
    return damaged


@pytest.mark.parametrize(("kind", "part"), [("file", "head"), ("file", "rows"), ("file", "words"), ("run", "head"),
                                           ("result", "head")])
@pytest.mark.parametrize("payload", WRONG_SHAPES, ids=[repr(p) for p in WRONG_SHAPES])
def test_an_entry_of_the_wrong_shape_is_dropped_with_a_warning_and_rebuilt(site: Path, kind: str, part: str,
                                                                           payload: tuple) -> None:
    """A valid checksum on the wrong payload (an older layout, a bug): never an error, and not twice."""
    run()
    damaged = damage(site, kind, part, payload)
    # the words are read when something is compared again: another threshold
    threshold = 0.8 if part == "words" else 0.5
    warm = run(threshold=threshold)
    assert output(warm) == output(dedupe.check("news", threshold=threshold))
    assert [[u.text for u in units] for units in warm.units] == [
        [u.text for u in units] for units in dedupe.check("news").units]
    entries = "entry" if damaged == 1 else "entries"
    assert [w for w in warm.warnings if "cache" in w] == [
        f".dedupe-cache/cache.sqlite3: {damaged} cache {entries} of the wrong shape dropped and made again"]
    again = run(threshold=threshold)
    assert output(again) == output(warm)
    assert not [w for w in again.warnings if "cache" in w]


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Paths of the files a run opens (a file whose stamp the manifest holds is not opened)."""
    seen: list[str] = []
    real = pipeline.files.read_or_skip

    def spy(path, *args):  # type: ignore[no-untyped-def]
        seen.append(path)
        return real(path, *args)

    monkeypatch.setattr(pipeline.files, "read_or_skip", spy)
    return seen


def test_an_edit_of_the_same_size_is_read_and_found(site: Path, opened: list[str]) -> None:
    run()
    opened.clear()
    strike = site / "news" / "strike.txt"
    edited = STRIKE.replace("Rail", "Bank", 1)
    assert len(edited) == len(STRIKE) and edited != STRIKE
    strike.write_text(edited, encoding="utf-8")
    aged(strike, 30)  # a different time, the size unchanged
    result = run()
    assert opened == ["news/strike.txt"]
    assert result.documents[3].source == edited


def test_a_file_touched_but_unchanged_is_read_and_keeps_its_entry(site: Path, opened: list[str],
                                                                   segmented: list[str]) -> None:
    cold = run()
    opened.clear()
    segmented.clear()
    aged(site / "news" / "budget.txt", 30)
    warm = run()
    assert opened == ["news/budget.txt"] and segmented == []
    assert output(warm) == output(cold)
    opened.clear()
    run()
    assert opened == []  # its new stamp is in the manifest now


def test_a_file_modified_moments_ago_is_read_again_on_the_next_run(site: Path, opened: list[str],
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """A coarse clock could give a second write within the same tick the first one's stamp."""
    monkeypatch.setattr(pipeline, "RACY_S", 45)  # "moments", however slow the machine; the others are 60 s old
    (site / "news" / "meals.txt").write_text(ARTICLES["news/meals.txt"] + "\nMore to follow.\n", encoding="utf-8")
    run()
    opened.clear()
    run()
    assert opened == ["news/meals.txt"]


def test_a_lower_size_limit_is_applied_to_files_the_manifest_holds(site: Path) -> None:
    run()
    result = run(max_file_bytes=500)  # strike.txt has 551 bytes, the others fewer
    assert [d.path for d in result.documents] == ["news/budget.txt", "news/library.txt", "news/meals.txt"]
    assert any("news/strike.txt" in w and "larger than the limit" in w for w in result.warnings)


def test_an_edit_signs_only_the_sentences_no_earlier_run_signed(site: Path, signed: list[int],
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(incremental, "CHUNK_KEYS", 4)  # the signatures stored over several entries
    db_path = site / ".dedupe-cache" / "cache.sqlite3"
    query = "SELECT key FROM entries WHERE kind = 'signatures'"
    run()
    before = {k for (k,) in sqlite3.connect(db_path).execute(query)}
    sentence = "The union said that a second strike would follow at the end of next month."
    (site / "news" / "strike.txt").write_text(f"{STRIKE}\n{sentence}\n", encoding="utf-8")
    edited = run()
    assert len(signed) == 2 and signed[0] > 1 and signed[1] == 1
    assert output(edited) == output(dedupe.check("news"))
    after = {k for (k,) in sqlite3.connect(db_path).execute(query)}
    assert len(before) > 2 and len(after - before) == 1  # one chunk added, holding the new sentence


def test_damaged_signatures_are_signed_again(site: Path, signed: list[int]) -> None:
    run()
    db = sqlite3.connect(site / ".dedupe-cache" / "cache.sqlite3")
    db.execute("UPDATE entries SET head = x'00' WHERE kind = 'signatures'")
    db.commit()
    db.close()
    again = run(threshold=0.8)  # another threshold: compared again, with no signature kept
    assert len(signed) == 2 and signed[1] == signed[0]
    assert output(again) == output(dedupe.check("news", threshold=0.8))


def test_signatures_are_not_kept_for_a_collection_over_the_limit(site: Path, signed: list[int],
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(incremental, "MAX_KEYS", 3)  # the newsroom has more keys than this
    run()
    again = run(threshold=0.8)
    assert len(signed) == 2 and signed[1] == signed[0]  # every key signed again
    assert output(again) == output(dedupe.check("news", threshold=0.8))
    db = sqlite3.connect(site / ".dedupe-cache" / "cache.sqlite3")
    assert db.execute("SELECT count(*) FROM entries WHERE kind = 'signatures'").fetchone()[0] == 0
    db.close()
