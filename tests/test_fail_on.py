"""Severity per kind and --fail-on: the exit status follows the lowest level that fails."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from newsroom import BUDGET, MEALS, STRIKE

from dedupe.cli import cli


@pytest.fixture
def cross_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Two articles sharing one sentence: a single cross finding (a warning by default)."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "budget.txt").write_text(BUDGET, encoding="utf-8")
    (tmp_path / "meals.txt").write_text(MEALS, encoding="utf-8")
    return tmp_path


def exit_code(*args: str) -> int:
    return CliRunner().invoke(cli, ["check", ".", "--no-cache", *args]).exit_code


def test_a_warning_does_not_fail_by_default(cross_only: Path) -> None:
    assert exit_code() == 0


@pytest.mark.parametrize("level, code", [("error", 0), ("warning", 1), ("info", 1)])
def test_fail_on_sets_the_lowest_failing_level(cross_only: Path, level: str, code: int) -> None:
    assert exit_code("--fail-on", level) == code


def test_severity_table_in_config_changes_the_level(cross_only: Path) -> None:
    (cross_only / ".dedupe.toml").write_text('[severity]\ncross = "error"\n', encoding="utf-8")
    assert exit_code() == 1
    (cross_only / ".dedupe.toml").write_text('fail-on = "warning"\n[severity]\ncross = "info"\n',
                                            encoding="utf-8")
    assert exit_code() == 0
    assert exit_code("--fail-on", "info") == 1


def test_an_error_fails_unless_its_kind_is_lowered(cross_only: Path) -> None:
    (cross_only / "strike.txt").write_text(STRIKE, encoding="utf-8")
    assert exit_code() == 1
    (cross_only / ".dedupe.toml").write_text('[severity]\ncaption = "warning"\n', encoding="utf-8")
    assert exit_code() == 0


def test_unknown_level_is_a_usage_error(cross_only: Path) -> None:
    done = CliRunner().invoke(cli, ["check", ".", "--fail-on", "fatal"])
    assert done.exit_code == 2 and "'fatal' is not one of 'error', 'warning', 'info'" in done.stderr
