"""JSON output follows the documented, versioned schema in docs/."""

from __future__ import annotations

import json

import jsonschema
from click.testing import CliRunner
from conftest import EXAMPLES, ROOT

from dedupe.cli import cli

SCHEMA = json.loads((ROOT / "docs" / "dedupe-output.schema.json").read_text(encoding="utf-8"))


def test_examples_json_validates_against_the_schema_and_has_every_kind() -> None:
    out = CliRunner().invoke(cli, ["check", str(EXAMPLES), "--format", "json"])
    assert out.exit_code == 1, out.output
    data = json.loads(out.stdout)
    jsonschema.validate(data, SCHEMA)
    assert all(n >= 1 for n in data["summary"]["by_kind"].values()), data["summary"]
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
