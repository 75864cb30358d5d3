"""The archive index end to end: dedupe index build/add/remove/info and check --against,
on the local SQLite back end and on a real redis-server (conftest.redis_server)."""

from __future__ import annotations

import itertools
import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import BBC, REDIS_SERVER, RedisServer

from dedupe import archive, normalize
from dedupe.cli import cli
from dedupe.index import key_hash, open_store
from dedupe.model import ARCHIVED, Settings

needs_bbc = pytest.mark.skipif(not BBC.is_dir(), reason=f"the BBC corpus is not at {BBC} (../shared/corpora/bbc)")

# Three sentences of three BBC articles; the third reworded (two words of 24 changed).
BUSINESS = ("Quarterly profits at US media giant TimeWarner jumped 76% to $1.13bn (£600m) for the three months "
            "to December, from $639m year-earlier.")
SPORT = ("World and Commonwealth 100m champion Kim Collins will compete in the 60m at the Norwich Union Grand "
         "Prix in Birmingham on 18 February.")
TECH = ("Microsoft said the new version will be far less vulnerable to the bugs that make its current browser a "
        "favourite of tech-savvy criminals.")
TECH_REWORDED = TECH.replace("new version", "new release").replace("the bugs", "the flaws")
DRAFT = f"Round-up of the week\n\n{BUSINESS}\n\n{SPORT} The rest of this paragraph is new.\n\n{TECH_REWORDED}\n"


def archive_files() -> list[str]:
    return [str(BBC / kind / f"{n:03d}.txt") for kind in ("business", "sport", "tech") for n in range(1, 41)]


def bigram_jaccard(a: str, b: str) -> float:
    """The shingle similarity computed here the plain way: sets of word pairs."""
    wa, wb = normalize.words(a), normalize.words(b)
    sa, sb = set(itertools.pairwise(wa)), set(itertools.pairwise(wb))
    return len(sa & sb) / len(sa | sb)


@pytest.fixture(params=["sqlite", "redis"])
def target(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty index on each back end."""
    if request.param == "redis":
        return str(request.getfixturevalue("redis_url"))
    return str(tmp_path / "index")


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "dedupe", *args], capture_output=True, text=True, check=False)


def cli_ok(*args: str) -> str:
    out = CliRunner().invoke(cli, list(args))
    assert out.exit_code == 0, out.output
    return out.output


@needs_bbc
def test_draft_of_three_bbc_sentences_one_reworded_reports_three_archive_matches(target: str, tmp_path: Path) -> None:
    cli_ok("index", "build", *archive_files(), "--index", target, "-q")
    draft = tmp_path / "draft.txt"
    draft.write_text(DRAFT, encoding="utf-8")
    out = CliRunner().invoke(cli, ["check", str(draft), "--against", target, "--format", "json"])
    assert out.exit_code == 0, out.output  # archive findings are warnings: they do not fail by default
    found = [f for f in json.loads(out.stdout)["findings"] if f["kind"] == "archive"]
    got = [(f["occurrences"][0]["text"], [(o["path"], o["text"], o["similarity"]) for o in f["occurrences"][1:]])
           for f in found]
    assert got == [
        (BUSINESS, [(str(BBC / "business" / "001.txt"), BUSINESS, 1.0)]),
        (SPORT, [(str(BBC / "sport" / "010.txt"), SPORT, 1.0)]),
        (TECH_REWORDED, [(str(BBC / "tech" / "020.txt"), TECH, pytest.approx(bigram_jaccard(TECH, TECH_REWORDED)))]),
    ]
    assert [f["similarity"] for f in found] == [1.0, 1.0, pytest.approx(19 / 27)]
    assert all(f["severity"] == "warning" and f["occurrences"][1]["archived"] for f in found)
    # the draft is not published yet: the archived place came first, the draft is the one to fix
    assert [[o["provenance"]["first"] for o in f["occurrences"]] for f in found] == [[False, True]] * 3
    assert [f["occurrences"][0]["provenance"]["date_source"] for f in found] == ["unpublished"] * 3


@needs_bbc
def test_both_back_ends_give_the_same_findings(redis_url: str, tmp_path: Path) -> None:
    local = str(tmp_path / "index")
    for t in (local, redis_url):
        cli_ok("index", "build", *archive_files(), "--index", t, "-q")
    draft = tmp_path / "draft.txt"
    draft.write_text(DRAFT + "\n" + (BBC / "business" / "002.txt").read_text(encoding="utf-8"), encoding="utf-8")
    results = [json.loads(CliRunner().invoke(cli, ["check", str(draft), "--against", t, "-f", "json"]).stdout)
               for t in (local, redis_url)]
    assert len(results[0]["findings"]) > 10
    assert results[0]["findings"] == results[1]["findings"]


NEWS = ("The council approved the new cycle lanes on Tuesday after a long debate.\n\n"
        "Work on the first section along the river will begin in the spring.\n")
CHANGED = ("The council approved the new cycle lanes on Tuesday after a long debate.\n\n"
           "Residents of the old town have asked for a crossing near the school gates.\n")


def test_index_add_of_a_changed_article_replaces_its_old_entries(target: str, tmp_path: Path) -> None:
    article = tmp_path / "site" / "lanes.txt"
    article.parent.mkdir()
    article.write_text(NEWS, encoding="utf-8")
    settings = Settings()
    cli_ok("index", "add", str(article), "--index", target, "-q")
    article.write_text(CHANGED, encoding="utf-8")
    assert "1 article indexed, 0 unchanged" in cli_ok("index", "add", str(article.parent), "--index", target)
    store = open_store(target, settings)
    try:
        assert store.counts()["documents"] == 1 and store.counts()["units"] == 2 and store.counts()["keys"] == 2
        old = key_hash(normalize.key(normalize.words("Work on the first section along the river will begin in the spring.")))
        new = key_hash(normalize.key(normalize.words(CHANGED.split("\n\n")[1])))
        assert store.exact([old, new]).keys() == {new}
        draft = archive_prepared(tmp_path, "Work on the first section along the river will begin in the spring.")
        assert archive.query(draft, store, settings) == []
        draft = archive_prepared(tmp_path, "Residents of the old town have asked for a crossing near the school gates.")
        assert [o.path for o in archive.query(draft, store, settings)[0].occurrences if o.doc == ARCHIVED] == [
            str(article)]
    finally:
        store.close()


def test_unchanged_article_is_not_signed_again(target: str, tmp_path: Path) -> None:
    article = tmp_path / "lanes.txt"
    article.write_text(NEWS, encoding="utf-8")
    cli_ok("index", "add", str(article), "--index", target)
    assert "0 articles indexed, 1 unchanged; 1 in the index" in cli_ok("index", "add", str(article), "--index", target)


def archive_prepared(tmp_path: Path, text: str) -> list:  # type: ignore[type-arg]
    from dedupe import prepare

    return [prepare.prepare_text(str(tmp_path / "draft.txt"), text + "\n", "text", (), Settings(), 0)]


def test_index_remove_removes_its_entries(target: str, tmp_path: Path, redis_server: RedisServer) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "lanes.txt").write_text(NEWS, encoding="utf-8")
    (site / "other.txt").write_text(CHANGED, encoding="utf-8")  # shares its first sentence with lanes.txt
    cli_ok("index", "build", str(site), "--index", target)
    assert "1 article removed; 1 in the index" in cli_ok("index", "remove", str(site / "lanes.txt"), "--index", target)
    settings = Settings()
    store = open_store(target, settings)
    try:
        assert store.counts() | {"bytes": 0} == {"documents": 1, "units": 2, "keys": 2, "bytes": 0}
        shared = archive.query(archive_prepared(tmp_path, NEWS.split("\n\n")[0]), store, settings)
        assert [o.path for o in shared[0].occurrences[1:]] == [str(site / "other.txt")]
        assert archive.query(archive_prepared(tmp_path, NEWS.split("\n\n")[1].strip()), store, settings) == []
    finally:
        store.close()
    cli_ok("index", "remove", str(site), "--index", target)
    assert_empty(target)


def test_a_near_variant_added_later_joins_the_buckets_of_the_stored_sentence(target: str, tmp_path: Path) -> None:
    """Two adds, the second a reworded copy of the first's sentence: a third wording, equal
    to neither (so found through the buckets only), finds both; each removal takes only
    its own article out of the buckets they share."""
    (tmp_path / "a.txt").write_text(TECH + "\n", encoding="utf-8")
    (tmp_path / "b.txt").write_text(TECH_REWORDED + "\n", encoding="utf-8")
    cli_ok("index", "add", str(tmp_path / "a.txt"), "--index", target, "-q")
    cli_ok("index", "add", str(tmp_path / "b.txt"), "--index", target, "-q")
    if not target.startswith("redis://"):
        db = sqlite3.connect(Path(target) / "index.sqlite3")
        shared = db.execute("SELECT count(*) FROM bands WHERE length(keys) = 16").fetchone()[0]
        db.close()
        assert shared > 0  # the case under test: buckets holding both sentences
    settings = Settings()

    def found() -> list[str]:
        store = open_store(target, settings)
        try:
            draft = archive_prepared(tmp_path, TECH.replace("criminals", "crooks"))
            return sorted(o.path for f in archive.query(draft, store, settings)
                          for o in f.occurrences if o.doc == ARCHIVED)
        finally:
            store.close()

    assert found() == [str(tmp_path / "a.txt"), str(tmp_path / "b.txt")]
    cli_ok("index", "remove", str(tmp_path / "a.txt"), "--index", target, "-q")
    assert found() == [str(tmp_path / "b.txt")]
    cli_ok("index", "remove", str(tmp_path / "b.txt"), "--index", target, "-q")
    assert_empty(target)


def test_places_of_a_sentence_are_the_first_stored_up_to_the_limit(target: str, tmp_path: Path) -> None:
    """A sentence printed in 13 articles (a line this common is never reported, so its
    places are asked for directly): each key gets the places stored first, however many
    it has, and another key's places are not counted against its limit."""
    line = "The county council will publish its spending plans for the coming year on Monday morning."
    folder = tmp_path / "archive"
    folder.mkdir()
    for n in range(13):
        (folder / f"a{n:02d}.txt").write_text(f"Report {n} from the county desk has a first line of its own.\n\n{line}\n",
                                              encoding="utf-8")
    cli_ok("index", "build", str(folder), "--index", target, "-q")
    store = open_store(target, Settings())
    try:
        ids = store.exact([key_hash(normalize.key(normalize.words(t)))
                           for t in (line, "Report 5 from the county desk has a first line of its own.")])
        common, own = ids.values()
        places = store.places([common, own], 4)
        assert [(Path(p.path).name, p.text) for p in places[common]] == [(f"a{n:02d}.txt", line) for n in range(4)]
        assert [Path(p.path).name for p in places[own]] == ["a05.txt"]
        assert [Path(p.path).name for p in store.places([common], 20)[common]] == [f"a{n:02d}.txt" for n in range(13)]
    finally:
        store.close()


def assert_empty(target: str) -> None:
    """No unit, key or LSH bucket is left behind."""
    if target.startswith("redis://"):
        import redis

        client = redis.Redis.from_url(target)
        left = sorted(k for k in client.keys(b"*") if k not in (b"dedupe:meta", b"dedupe:next", b"dedupe:units"))
        assert left == [] and client.get(b"dedupe:units") == b"0"
        client.close()
    else:
        db = sqlite3.connect(Path(target) / "index.sqlite3")
        assert [db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ("documents", "units", "keys", "bands")
                ] == [0, 0, 0, 0]
        db.close()


@needs_bbc
def test_two_index_adds_at_once_lose_no_article(target: str, tmp_path: Path) -> None:
    """Two processes add the same 150 articles under two folders at once: every key is
    wanted by both, so a lost update would show in the counts."""
    names = sorted(os.listdir(BBC / "business"))[:150]
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        for n in names:
            shutil.copy(BBC / "business" / n, tmp_path / folder / n)
    procs = [subprocess.Popen([sys.executable, "-m", "dedupe", "index", "add", str(tmp_path / folder), "--index",
                               target, "-q"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for folder in ("a", "b")]
    for p in procs:
        _, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
    alone = str(tmp_path / "alone")
    cli_ok("index", "add", str(tmp_path / "a"), "--index", alone, "-q")
    settings = Settings()
    one = open_store(alone, settings).counts()
    store = open_store(target, settings)
    try:
        both = store.counts()
        assert (both["documents"], both["units"], both["keys"]) == (300, 2 * one["units"], one["keys"])
        paths = [str(tmp_path / f / n) for f in ("a", "b") for n in names]
        assert len(store.hashes(paths)) == 300
    finally:
        store.close()
    assert "0 articles indexed, 300 unchanged" in cli_ok("index", "add", str(tmp_path / "a"), str(tmp_path / "b"),
                                                         "--index", target)


def test_index_built_with_other_settings_is_refused(target: str, tmp_path: Path) -> None:
    article = tmp_path / "lanes.txt"
    article.write_text(NEWS, encoding="utf-8")
    cli_ok("index", "build", str(article), "--index", target)
    draft = tmp_path / "draft.txt"
    draft.write_text(NEWS, encoding="utf-8")
    out = run("check", str(draft), "--against", target, "--shingle", "3")
    assert out.returncode == 2 and out.stdout == ""
    assert out.stderr.count("\n") == 1 and "Traceback" not in out.stderr
    assert "index built with shingle=2" in out.stderr and "this run uses shingle=3" in out.stderr
    assert f"rebuild it with `dedupe index build PATH... --index {target}`" in out.stderr
    (tmp_path / ".dedupe.toml").write_text("threshold = 0.6\n", encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "dedupe", "index", "add", str(article), "--index", target],
                         capture_output=True, text=True, cwd=tmp_path, check=False)
    assert out.returncode == 2 and "threshold=0.5" in out.stderr and "threshold=0.6" in out.stderr


def test_index_of_another_format_is_refused(tmp_path: Path) -> None:
    article = tmp_path / "lanes.txt"
    article.write_text(NEWS, encoding="utf-8")
    target = str(tmp_path / "index")
    cli_ok("index", "build", str(article), "--index", target)
    db = sqlite3.connect(Path(target) / "index.sqlite3")
    meta = json.loads(db.execute("SELECT value FROM meta").fetchone()[0])
    db.execute("UPDATE meta SET value = ?", (json.dumps(meta | {"format": "0", "tool": "0.0.1"}),))
    db.commit()
    db.close()
    out = run("check", str(article), "--against", target)
    assert out.returncode == 2 and out.stderr.count("\n") == 1
    assert "index format '0' (built by dedupe 0.0.1)" in out.stderr and "rebuild it with" in out.stderr


@pytest.mark.parametrize("make, message", [
    (lambda p, port: "ftp://example.org/index", "unknown index URL scheme 'ftp'"),
    (lambda p, port: f"redis://127.0.0.1:{port}/0", "cannot reach the Redis index"),
    (lambda p, port: corrupt(p), "not a dedupe index, or damaged"),
    (lambda p, port: str(p / "nothing-here"), "no index here; build one with"),
])
def test_unusable_index_is_one_line_and_exit_2(tmp_path: Path, make, message: str) -> None:  # type: ignore[no-untyped-def]
    import socket

    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    target = make(tmp_path, port)
    draft = tmp_path / "draft.txt"
    draft.write_text(NEWS, encoding="utf-8")
    for args in (["check", str(draft), "--against", target], ["index", "info", "--index", target]):
        out = run(*args)
        assert out.returncode == 2, out
        assert out.stderr.count("\n") == 1 and "Traceback" not in out.stderr and message in out.stderr, out.stderr


def corrupt(tmp_path: Path) -> str:
    folder = tmp_path / "index"
    folder.mkdir()
    (folder / "index.sqlite3").write_bytes(b"this is not a database, just a damaged file\n" * 200)
    return str(folder)


def test_indexing_writes_nothing_into_the_archive(target: str, tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    (site / "lanes.txt").write_text(NEWS, encoding="utf-8")
    (site / "other.md").write_text("---\ntitle: Other\n---\n\n" + CHANGED, encoding="utf-8")
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in site.iterdir()}
    cli_ok("index", "build", str(site), "--index", target)
    cli_ok("index", "add", str(site), "--index", target)
    cli_ok("index", "remove", str(site / "other.md"), "--index", target)
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in site.iterdir()} == before


def test_index_info_prints_size_articles_settings_and_version(target: str, tmp_path: Path) -> None:
    article = tmp_path / "lanes.txt"
    article.write_text(NEWS, encoding="utf-8")
    cli_ok("index", "build", str(article), "--index", target)
    lines = cli_ok("index", "info", "--index", target).splitlines()
    assert lines[:3] == [f"index: {target}", "articles: 1", "units: 2 (2 distinct texts)"]
    assert lines[3].startswith("size: ") and int(lines[3][6:-6].replace(",", "")) > 0
    assert lines[4:] == [
        "built by: dedupe 0.1.0 (index format 1)",
        (f"settings: min_words=3, normalizer={normalize.NORMALIZER_VERSION}, num_perm=128, seed=1, shingle=2, "
         "threshold=0.5, word_threshold=0.6"),
        "usable with the current settings: yes",
    ]


def test_archived_article_is_not_its_own_match(target: str, tmp_path: Path) -> None:
    article = tmp_path / "lanes.txt"
    article.write_text(NEWS, encoding="utf-8")
    cli_ok("index", "build", str(article), "--index", target)
    out = CliRunner().invoke(cli, ["check", str(article), "--against", target, "-f", "json"])
    assert json.loads(out.stdout)["findings"] == []


def test_archive_match_shows_title_date_and_url_from_front_matter(target: str, tmp_path: Path) -> None:
    published = tmp_path / "site" / "lanes.md"
    published.parent.mkdir()
    published.write_text('---\ntitle: "Cycle lanes approved"\ndate: 2024-03-05\nurl: https://news.example/lanes\n'
                         "---\n\n" + NEWS, encoding="utf-8")
    cli_ok("index", "build", str(published.parent), "--index", target)
    draft = tmp_path / "draft.md"
    draft.write_text("---\ndate: 2024-04-01\n---\n\nWork on the first section along the river will begin in the "
                     "spring.\n", encoding="utf-8")
    out = CliRunner().invoke(cli, ["check", str(draft), "--against", target])
    assert out.output.splitlines()[0] == (
        f'{draft}:5:1: archive: "Work on the first section along the river will begin in the spring." (also at '
        f'{published}:9:1 ("Cycle lanes approved", 2024-03-05, 1.00), similarity 1.00; first at {published}:9:1 '
        f"(2024-03-05, front matter); fix the newer: {draft}:5:1)")
    data = json.loads(CliRunner().invoke(cli, ["check", str(draft), "--against", target, "-f", "json"]).stdout)
    assert [o["provenance"] for o in data["findings"][0]["occurrences"]] == [
        {"date": "2024-04-01", "date_source": "front matter", "title": None, "url": None, "first": False},
        {"date": "2024-03-05", "date_source": "front matter", "title": "Cycle lanes approved",
         "url": "https://news.example/lanes", "first": True},
    ]


STORIES = [
    "The harbour master closed the eastern quay after storm damage on Monday.",
    "A new bakery opened in the market square, selling rye bread from an old family recipe.",
    "Police are appealing for witnesses after a van struck a lamp post on Mill Road.",
    "The school choir won first prize at the regional festival in the cathedral.",
    "Floodwater has receded from the lower fields, farmers say, but repairs will take weeks.",
    "The library will stay open until nine on Thursdays from next month.",
    "Volunteers planted two hundred oak saplings along the old railway path.",
    "Bus fares rise by ten pence in April, the transport authority confirmed.",
    "A retired teacher has written a history of the town's three cinemas.",
    "The county cricket club signed a young fast bowler from the second eleven.",
]


def test_template_line_printed_all_over_the_archive_is_not_reported(target: str, tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    footer = "Follow our newsroom on social media for the latest updates from the city."
    assert len(STORIES) == Settings().boilerplate_min
    for n, story in enumerate(STORIES):
        (site / f"{n:02d}.txt").write_text(f"{story}\n\n{footer}\n", encoding="utf-8")
    cli_ok("index", "build", str(site), "--index", target)
    draft = tmp_path / "draft.txt"
    draft.write_text(f"{STORIES[3]}\n\n{footer}\n", encoding="utf-8")
    data = json.loads(CliRunner().invoke(cli, ["check", str(draft), "--against", target, "-f", "json"]).stdout)
    assert [(f["occurrences"][0]["line"], [o["path"] for o in f["occurrences"][1:]]) for f in data["findings"]] == [
        (1, [str(site / "03.txt")])]
    (site / "09.txt").write_text(STORIES[9] + "\n", encoding="utf-8")  # nine copies: not template any more
    cli_ok("index", "add", str(site), "--index", target)
    data = json.loads(CliRunner().invoke(cli, ["check", str(draft), "--against", target, "-f", "json"]).stdout)
    assert [(f["occurrences"][0]["line"], len(f["occurrences"]) - 1) for f in data["findings"]] == [(1, 1), (3, 9)]


def test_redis_fixture_runs_a_real_redis_server(redis_server: RedisServer) -> None:
    import redis

    client = redis.Redis.from_url(redis_server.url())
    info = client.info("server")
    assert redis_server.process.poll() is None
    assert info["process_id"] == redis_server.process.pid and info["tcp_port"] == redis_server.port
    assert os.readlink(f"/proc/{redis_server.process.pid}/exe") == os.path.realpath(REDIS_SERVER)
    assert client.config_get("dir")["dir"] == str(redis_server.folder)
    client.close()


def test_datasketch_minhashlsh_reads_the_redis_index(redis_server: RedisServer, redis_url: str,
                                                     tmp_path: Path) -> None:
    """The Redis layout is datasketch's: its own MinHashLSH opened on the same basename
    finds the same candidates."""
    from datasketch import MinHash, MinHashLSH

    from dedupe import candidates, sign
    from dedupe.index.redis_store import lsh_basename

    site = tmp_path / "site"
    site.mkdir()
    (site / "lanes.txt").write_text(NEWS, encoding="utf-8")
    (site / "other.txt").write_text(CHANGED, encoding="utf-8")
    cli_ok("index", "build", str(site), "--index", redis_url)
    settings = Settings()
    words = [[h for h in archive_prepared(tmp_path, NEWS.split("\n\n")[0])[0].word_hashes]]
    import numpy as np

    sig = archive.signatures([np.asarray(words[0], dtype=np.uint64)], settings)[0]
    store = open_store(redis_url, settings)
    ours = set(store.candidates(0, sig)[:, 1].tolist())
    store.close()
    lsh = MinHashLSH(threshold=settings.threshold, num_perm=settings.num_perm,
                     params=candidates.band_params(settings.threshold, settings.num_perm),
                     storage_config={"type": "redis", "basename": lsh_basename(0),
                                     "redis": {"host": "127.0.0.1", "port": redis_server.port, "db": 0}})
    theirs = lsh.query(MinHash(num_perm=settings.num_perm, seed=settings.seed, hashvalues=sig[0], scheme=sign.SCHEME))
    assert len(ours) == 1 and set(theirs) == ours


def test_every_output_format_shows_archive_matches(tmp_path: Path) -> None:
    import jsonschema
    from conftest import ROOT

    published = tmp_path / "site" / "lanes.md"
    published.parent.mkdir()
    published.write_text('---\ntitle: "Cycle lanes approved"\ndate: 2024-03-05\n---\n\n' + NEWS, encoding="utf-8")
    target = str(tmp_path / "index")
    cli_ok("index", "build", str(published.parent), "--index", target)
    draft = tmp_path / "draft.md"
    draft.write_text("Work on the first section along the river will begin in the spring.\n", encoding="utf-8")
    outputs = {fmt: CliRunner().invoke(cli, ["check", str(draft), "--against", target, "-f", fmt]).output
               for fmt in ("json", "sarif", "github", "html")}
    schema = json.loads((ROOT / "docs" / "dedupe-output.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(json.loads(outputs["json"]), schema)
    sarif = json.loads(outputs["sarif"])
    jsonschema.validate(sarif, json.loads((ROOT / "tests" / "data" / "sarif-schema-2.1.0.json").read_text()))
    (result,) = sarif["runs"][0]["results"]
    assert result["ruleId"] == "archive" and result["level"] == "warning"
    assert result["relatedLocations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith("site/lanes.md")
    assert outputs["github"].startswith(f"::warning file={draft},line=1,col=1,")
    assert f"also at {published}:8:1" in outputs["github"]
    assert "in the archive" in outputs["html"] and f"{published}:8" in outputs["html"]


def test_index_commands_use_the_config_index_and_report_shows_matches(tmp_path: Path) -> None:
    (tmp_path / ".dedupe.toml").write_text('index = "published-index"\n', encoding="utf-8")
    site = tmp_path / "site"
    site.mkdir()
    (site / "lanes.txt").write_text(NEWS, encoding="utf-8")
    (tmp_path / "draft.txt").write_text(NEWS.split("\n\n")[1], encoding="utf-8")
    for args in (["index", "build", "site"], ["report", "draft.txt", "--against", "published-index", "-o", "r.html"]):
        out = subprocess.run([sys.executable, "-m", "dedupe", *args], capture_output=True, text=True, cwd=tmp_path,
                             check=False)
        assert out.returncode == 0, out.stderr
    assert (tmp_path / "published-index" / "index.sqlite3").is_file()
    assert "site/lanes.txt:3" in (tmp_path / "r.html").read_text(encoding="utf-8")
