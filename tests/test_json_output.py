"""JSON output follows the documented, versioned schema in docs/."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner
from conftest import EXAMPLES, NOT_IN_EXAMPLES, ROOT

from dedupe import pipeline
from dedupe.cli import cli
from dedupe.formats import json as json_format
from dedupe.model import KINDS

SCHEMA = json.loads((ROOT / "docs" / "dedupe-output.schema.json").read_text(encoding="utf-8"))


def test_examples_json_validates_against_the_schema_and_has_every_kind() -> None:
    out = CliRunner().invoke(cli, ["check", str(EXAMPLES), "--format", "json"])
    assert out.exit_code == 1, out.output
    data = json.loads(out.stdout)
    jsonschema.validate(data, SCHEMA)
    assert {k for k, n in data["summary"]["by_kind"].items() if n >= 1} == set(KINDS) - NOT_IN_EXAMPLES
    assert data["summary"]["failing"] == sum(
        1 for f in data["findings"] if f["severity"] == "error" and not f["suppressed"]
    )


def test_schema_rejects_output_missing_a_required_field() -> None:
    out = CliRunner().invoke(cli, ["check", str(EXAMPLES), "--format", "json"])
    data = json.loads(out.stdout)
    del data["findings"][0]["occurrences"][0]["offset"]
    try:
        jsonschema.validate(data, SCHEMA)
    except jsonschema.ValidationError as err:
        assert "offset" in err.message
    else:
        raise AssertionError("schema accepted an occurrence without offset")


def test_a_doubled_team_sheet_validates_with_role_list(tmp_path: Path) -> None:
    side = "Harriers: Walsh; Okafor, Brennan, Duffy, Lyle; McAteer, Byrne (capt), Kowalczyk; Fenwick, Oduya, Hart."
    report = tmp_path / "report.txt"
    report.write_text(f"Harriers 2-1 Rovers\n\nHarriers won the derby late on.\n\n{side}\n\n{side}\n", encoding="utf-8")
    out = CliRunner().invoke(cli, ["check", str(report), "--format", "json", "--no-cache"])
    data = json.loads(out.stdout)
    jsonschema.validate(data, SCHEMA)
    assert [o["role"] for f in data["findings"] for o in f["occurrences"]] == ["list", "list"]


def test_json_text_is_what_json_dumps_writes_with_an_indent_of_two() -> None:
    class Name(str):
        pass

    class Count(int):
        pass

    odd = {"empty": [[], {}, ()], "nested": {"a": [1, [2, {"b": None}]], "c": (True, False)},
           "floats": [0.1, 1e-05, 1e16, -0.0, 2.5, float("inf"), float("-inf"), float("nan"), 1 / 3],
           "ints": [0, -7, 10**20, Count(3)], "bools": [True, False],
           "strings": ["", 'quote " backslash \\ slash /', "tab\tnew\nline\r\x00\x1f\x7f", "é ü 漢字 \u2028 \U0001f600",
                       "\ud800", Name("sub")], "": "empty key", "é": {"x": []}}
    result = pipeline.check([str(EXAMPLES)])
    for value in (odd, json_format.document(result), [], {}, "text", 1.5, None):
        assert json_format.dumps(value) == json.dumps(value, ensure_ascii=False, indent=2)


def test_json_text_refuses_values_json_cannot_hold() -> None:
    for value in ({"x": object()}, {"x": {1, 2}}, [b"bytes"]):
        with pytest.raises(TypeError):
            json_format.dumps(value)
