"""Baseline: findings recorded by content, old ones ignored, new ones (and new copies) reported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from newsroom import BUDGET, CAPTION, LIBRARY_SENTENCE, MEALS, SHARED_SENTENCE, STRIKE, newsroom

from dedupe import baseline
from dedupe.cli import cli


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    repo = newsroom(tmp_path / "site")
    monkeypatch.chdir(repo.root)
    return repo


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def write_baseline() -> dict:
    done = run("baseline", "news", "--no-cache")
    assert done.exit_code == 0, done.output
    return json.loads(Path(".dedupe-baseline.json").read_text(encoding="utf-8"))


def test_baseline_records_findings_by_fingerprint_with_counts(repo) -> None:
    data = write_baseline()
    assert data["version"] == 2
    rows = data["findings"]
    assert [(r["kind"], r["occurrences"]) for r in sorted(rows, key=lambda r: r["kind"])] == [
        ("caption", 2), ("cross", 2)]
    assert [r["fingerprint"] for r in rows] == sorted(r["fingerprint"] for r in rows)
    assert all("line" not in r and "path" not in r for r in rows)


def test_baseline_file_is_byte_for_byte_stable(repo) -> None:
    write_baseline()
    first = Path(".dedupe-baseline.json").read_bytes()
    write_baseline()
    assert Path(".dedupe-baseline.json").read_bytes() == first
    assert first.endswith(b"}\n")


def test_baselined_findings_are_not_reported_and_the_run_passes(repo) -> None:
    write_baseline()
    done = run("check", "news", "--baseline", ".dedupe-baseline.json", "--no-cache")
    assert done.exit_code == 0
    assert done.stdout.splitlines() == ["0 findings in 4 files, 17 units checked"]
    assert "2 findings in the baseline .dedupe-baseline.json not reported" in done.stderr


def test_new_finding_is_reported_and_old_one_is_not(repo) -> None:
    write_baseline()
    repo.write("news/meals.txt", MEALS + "\n" + LIBRARY_SENTENCE + "\n")
    done = run("check", "news", "--baseline", ".dedupe-baseline.json", "--no-cache")
    assert done.exit_code == 0  # a cross finding is a warning: reported, does not fail
    lines = done.stdout.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("news/library.txt:5:1: cross: \"The extra hours will run")
    assert "also at news/meals.txt:9:1" in lines[0]


def test_new_copy_of_a_baselined_sentence_counts_as_new(repo) -> None:
    write_baseline()
    repo.write("news/strike.txt", STRIKE + "\n" + CAPTION + "\n")
    done = run("check", "news", "--baseline", ".dedupe-baseline.json", "--no-cache", "--format", "json")
    assert done.exit_code == 1
    findings = json.loads(done.stdout)["findings"]
    assert [(f["kind"], [o["line"] for o in f["occurrences"]]) for f in findings] == [("caption", [3, 9, 13])]


def test_moving_a_paragraph_does_not_invalidate_the_baseline(repo) -> None:
    write_baseline()
    title, first, second, shared = BUDGET.strip("\n").split("\n\n")
    repo.write("news/budget.txt", f"{title}\n\n{shared}\n\n{first}\n\n{second}" + "\n")
    repo.commit("Move the holiday paragraph up")
    done = run("check", "news", "--baseline", ".dedupe-baseline.json", "--no-cache")
    assert done.exit_code == 0
    assert done.stdout.splitlines() == ["0 findings in 4 files, 17 units checked"]
    assert "stale" not in done.stderr


def test_fixed_finding_is_listed_as_stale(repo) -> None:
    write_baseline()
    repo.write("news/meals.txt", MEALS.replace(SHARED_SENTENCE + "\n\n", ""))
    done = run("check", "news", "--baseline", ".dedupe-baseline.json", "--no-cache")
    assert done.exit_code == 0
    stale = [line for line in done.stderr.splitlines() if line.startswith("dedupe:   cross x2 ")]
    assert "1 stale baseline entry" in done.stderr
    assert len(stale) == 1 and "The budget also protects funding" in stale[0]


def test_subtract_keeps_suppressed_findings_for_the_summary() -> None:
    import dedupe

    text = f"{SHARED_SENTENCE}\n\ndedupe-ignore\n{SHARED_SENTENCE}\n\n{LIBRARY_SENTENCE}\n\n{LIBRARY_SENTENCE}\n"
    result = dedupe.check(texts={"a.txt": text})
    assert sorted(f.suppressed for f in result.findings) == [False, True]
    entries = baseline.entries(result.findings)
    assert len(entries) == 1
    sub = baseline.subtract(result, entries)
    assert [f.suppressed for f in sub.result.findings] == [True]
    assert sub.baselined == 1 and sub.stale == ()


@pytest.mark.parametrize(
    "content, message",
    [
        ("{not json", "baseline is not valid JSON"),
        ('{"version": 7, "findings": []}', ("baseline version 7 is not one this dedupe reads (1, 2); write it "
                                           "again with `dedupe baseline`")),
        ('{"findings": 3}', "not a dedupe baseline"),
        ('{"version": 1, "findings": [{"kind": "repeat"}]}', "baseline entry 1 needs fingerprint"),
    ],
)
def test_bad_baseline_file_is_a_one_line_error(repo, content: str, message: str) -> None:
    Path("bad.json").write_text(content, encoding="utf-8")
    done = run("check", "news", "--baseline", "bad.json", "--no-cache")
    assert done.exit_code == 2
    assert done.stderr.startswith("dedupe: error: bad.json: ") and message in done.stderr
    assert len(done.stderr.splitlines()) == 1


def test_missing_baseline_file_says_how_to_write_one(repo) -> None:
    done = run("check", "news", "--baseline", "nope.json")
    assert done.exit_code == 2
    assert "nope.json: baseline file not found (write one with `dedupe baseline`)" in done.stderr


def test_a_version_1_baseline_still_matches_findings_that_did_not_change(repo) -> None:
    data = write_baseline()
    Path("old.json").write_text(json.dumps({**data, "version": 1}), encoding="utf-8")
    done = run("check", "news", "--baseline", "old.json", "--no-cache")
    assert done.exit_code == 0, done.output
    assert "2 findings in the baseline old.json not reported" in done.stderr


def test_a_baseline_that_is_a_fifo_is_refused_without_waiting(repo, tmp_path) -> None:
    import os

    os.mkfifo(tmp_path / "baseline.json")
    result = CliRunner().invoke(cli, ["check", "news", "--baseline", str(tmp_path / "baseline.json")])
    assert result.exit_code == 2
    assert result.stderr == f"dedupe: error: {tmp_path / 'baseline.json'}: cannot read baseline (not a regular file)\n"
