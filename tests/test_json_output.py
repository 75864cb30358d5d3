"""JSON output follows the documented, versioned schema in docs/."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
from click.testing import CliRunner
from conftest import EXAMPLES, NOT_IN_EXAMPLES, ROOT

from dedupe.cli import cli
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
