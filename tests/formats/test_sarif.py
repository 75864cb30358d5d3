"""SARIF output: valid 2.1.0, one rule per kind, fingerprints that survive moves, suppressions counted."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner
from conftest import NOT_IN_EXAMPLES
from newsroom import ARTICLES, BUDGET, CAPTION, SHARED_SENTENCE

import dedupe
from dedupe.cli import cli
from dedupe.formats import sarif
from dedupe.model import KINDS

ROOT = Path(__file__).resolve().parents[2]
# Vendored from the OASIS sarif-spec repository (issue 5 allows it): no PyPI package ships it.
SCHEMA = ROOT / "tests" / "data" / "sarif-schema-2.1.0.json"
GOLDEN = ROOT / "tests" / "golden" / "newsroom.sarif"


def log(result: dedupe.Result) -> dict:
    return json.loads(sarif.render(result))


@pytest.fixture
def newsroom_result() -> dedupe.Result:
    return dedupe.check(texts=ARTICLES)


def test_sarif_of_the_examples_validates_against_the_schema() -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    result = dedupe.check([str(ROOT / "examples")])
    assert {f.kind for f in result.findings} == set(KINDS) - NOT_IN_EXAMPLES
    jsonschema.validate(log(result), schema)


def test_sarif_matches_the_golden_file(newsroom_result: dedupe.Result, request: pytest.FixtureRequest) -> None:
    text = sarif.render(newsroom_result).replace(dedupe.__version__, "VERSION")
    if request.config.getoption("--update-golden", default=False):
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(text, encoding="utf-8")
    assert text == GOLDEN.read_text(encoding="utf-8")


def test_one_rule_per_kind_with_the_kind_as_id(newsroom_result: dedupe.Result) -> None:
    run = log(newsroom_result)["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == list(KINDS)
    assert {r["id"]: r["defaultConfiguration"]["level"] for r in rules} == {
        "repeat": "error", "caption": "error", "near": "error", "document": "error", "cross": "warning",
        "archive": "warning", "echo": "warning", "boilerplate": "note"}
    assert all(rules[r["ruleIndex"]]["id"] == r["ruleId"] for r in run["results"])
    assert run["columnKind"] == "unicodeCodePoints"


def test_result_points_at_first_occurrence_and_relates_the_others(newsroom_result: dedupe.Result) -> None:
    results = {r["ruleId"]: r for r in log(newsroom_result)["runs"][0]["results"]}
    cross = results["cross"]
    assert cross["level"] == "warning"
    region = cross["locations"][0]["physicalLocation"]["region"]
    loc = cross["locations"][0]["physicalLocation"]["artifactLocation"]
    assert loc == {"uri": "news/budget.txt", "uriBaseId": "%SRCROOT%"}
    assert (region["startLine"], region["startColumn"], region["endLine"], region["endColumn"]) == (
        7, 1, 7, len(SHARED_SENTENCE) + 1)
    assert region["snippet"]["text"] == SHARED_SENTENCE
    related = cross["relatedLocations"]
    assert [(r["id"], r["physicalLocation"]["artifactLocation"]["uri"],
             r["physicalLocation"]["region"]["startLine"]) for r in related] == [(1, "news/meals.txt", 5)]
    assert "[news/meals.txt:5:1](1)" in cross["message"]["text"]
    caption = results["caption"]
    assert caption["level"] == "error"
    assert caption["properties"] == {"similarity": 1.0, "measure": "shingles", "occurrences": 2, "representative": 0}


def test_columns_count_code_points_not_bytes() -> None:
    line = "£5 😀 " + SHARED_SENTENCE
    result = dedupe.check(texts={"a.txt": f"{line}\n\n{line}\n"})
    region = log(result)["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]
    assert region["startColumn"] == 1
    assert region["endColumn"] == len(line) + 1  # the emoji is one code point (two UTF-16 units)


def test_partial_fingerprint_is_the_content_fingerprint_and_survives_moving_lines() -> None:
    before = dedupe.check(texts=ARTICLES)
    title, first, second, shared = BUDGET.strip("\n").split("\n\n")
    moved = dict(ARTICLES, **{"news/budget.txt": f"{title}\n\n{shared}\n\n{first}\n\n{second}" + "\n"})
    after = dedupe.check(texts=moved)

    def prints(result: dedupe.Result) -> dict[str, tuple[str, int]]:
        return {r["partialFingerprints"][sarif.FINGERPRINT_KEY]: (
            r["ruleId"], r["locations"][0]["physicalLocation"]["region"]["startLine"])
            for r in log(result)["runs"][0]["results"]}

    assert set(prints(before)) == set(prints(after)) == {f.fingerprint for f in before.findings}
    assert prints(before) != prints(after)  # the cross finding moved from line 7 to line 3


def test_suppressed_finding_carries_a_suppression_and_is_counted() -> None:
    text = f"{CAPTION}\n\nSome words in between, enough to be a sentence.\n\n# dedupe-ignore\n{CAPTION}\n"
    result = dedupe.check(texts={"a.txt": text})
    run = log(result)["runs"][0]
    assert [r["suppressions"][0]["kind"] for r in run["results"]] == ["inSource"]
    assert run["properties"]["summary"]["suppressed"] == 1
    assert run["properties"]["summary"]["findings"] == 0


def test_cli_writes_text_to_the_terminal_and_sarif_to_a_file(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    for name, text in ARTICLES.items():
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    done = CliRunner().invoke(cli, ["check", "news", "--sarif", "out/dedupe.sarif", "--json", "dedupe.json"])
    assert done.exit_code == 1
    assert done.stdout.splitlines()[-1] == "2 findings (1 caption, 1 cross) in 4 files, 17 units checked"
    data = json.loads((tmp_path / "out" / "dedupe.sarif").read_text(encoding="utf-8"))
    assert [r["ruleId"] for r in data["runs"][0]["results"]] == ["cross", "caption"]
    assert json.loads((tmp_path / "dedupe.json").read_text(encoding="utf-8"))["summary"]["findings"] == 2


def test_absolute_paths_become_file_uris() -> None:
    assert sarif.artifact_location("/srv/site/a b.md") == {"uri": "file:///srv/site/a%20b.md"}
    assert sarif.artifact_location("./docs/x#1.md") == {"uri": "docs/x%231.md", "uriBaseId": "%SRCROOT%"}
