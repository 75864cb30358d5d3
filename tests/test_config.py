"""Configuration: discovery from the working directory upward, validation, CLI overrides.

Every error is a DedupeError whose one-line message names the file and the key.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from articles import COUNCIL_BUDGET, FLOOD_RESTATED, SCHOOL_MEALS
from click.testing import CliRunner

from dedupe import config
from dedupe.cli import cli
from dedupe.model import KINDS, DedupeError, Settings

PYPROJECT_HEAD = '[project]\nname = "northern-daily-site"\nversion = "1.0"\n\n'


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A newsroom checkout: site/content/news/ with the working directory deep inside it."""
    news = tmp_path / "site" / "content" / "news"
    news.mkdir(parents=True)
    monkeypatch.chdir(news)
    return tmp_path / "site"


def pyproject(folder: Path, table: str) -> Path:
    path = folder / "pyproject.toml"
    path.write_text(PYPROJECT_HEAD + "[tool.dedupe]\n" + table, encoding="utf-8")
    return path


def dedupe_toml(folder: Path, body: str) -> Path:
    path = folder / ".dedupe.toml"
    path.write_text(body, encoding="utf-8")
    return path


def error_of(config_file: str | None = None) -> str:
    with pytest.raises(DedupeError) as err:
        config.load(config_file)
    message = str(err.value)
    assert "\n" not in message
    return message


# Discovery


def test_tool_dedupe_table_in_pyproject_is_found_from_a_nested_folder(site: Path) -> None:
    pyproject(site, 'threshold = 0.8\nmin-words = 6\nscope = "article"\n')
    settings = config.load()
    assert (settings.threshold, settings.min_words, settings.scope) == (0.8, 6, "article")


def test_dedupe_toml_with_top_level_keys_is_found_from_a_nested_folder(site: Path) -> None:
    dedupe_toml(site, 'threshold = 0.65\nexclude = ["drafts/*"]\n')
    settings = config.load()
    assert (settings.threshold, settings.exclude) == (0.65, ("drafts/*",))


def test_dedupe_toml_may_also_use_a_tool_dedupe_table(site: Path) -> None:
    dedupe_toml(site, "[tool.dedupe]\nshingle = 3\n")
    assert config.load().shingle == 3


def test_pyproject_without_a_dedupe_table_is_passed_over_for_one_further_up(site: Path) -> None:
    (site / "content" / "pyproject.toml").write_text(PYPROJECT_HEAD, encoding="utf-8")
    pyproject(site, "min-words = 7\n")
    assert config.load().min_words == 7


def test_the_nearest_config_file_wins(site: Path) -> None:
    pyproject(site, "min-words = 7\n")
    dedupe_toml(site / "content", "min-words = 5\n")
    assert config.load().min_words == 5


def test_dedupe_toml_wins_over_pyproject_in_the_same_folder(site: Path) -> None:
    pyproject(site, "min-words = 7\n")
    dedupe_toml(site, "min-words = 5\n")
    assert config.load().min_words == 5


def test_without_a_config_file_the_defaults_apply(site: Path) -> None:
    found = config.find_config()
    if found is not None and site not in found[0].parents:
        pytest.skip(f"a config file above the test folder is picked up: {found[0]}")
    settings = config.load()
    assert (settings.threshold, settings.min_words, settings.shingle) == (
        Settings().threshold, Settings().min_words, Settings().shingle)


def test_config_option_is_used_instead_of_searching(site: Path) -> None:
    dedupe_toml(site, "min-words = [not toml")  # would be an error if it were read
    chosen = site / "dedupe-strict.toml"
    chosen.write_text("min-words = 9\n", encoding="utf-8")
    assert config.load(str(chosen)).min_words == 9


@pytest.mark.parametrize("key", ["min-words", "min_words"])
def test_keys_with_dashes_or_underscores_are_both_accepted(site: Path, key: str) -> None:
    dedupe_toml(site, f"{key} = 6\n")
    assert config.load().min_words == 6


# Command line over the file


def test_command_line_flags_override_the_file(site: Path) -> None:
    # the two sentences share a 12-word run: a shared run or an echo under any threshold
    dedupe_toml(site, "threshold = 0.95\nword_threshold = 0\nmin_run = 50\n[severity]\necho = \"off\"\n")
    Path("flood.txt").write_text(FLOOD_RESTATED, encoding="utf-8")
    from_file = CliRunner().invoke(cli, ["check", "flood.txt"])
    from_flag = CliRunner().invoke(cli, ["check", "--threshold", "0.6", "flood.txt"])
    # 19/27 shingles, and 22 of 24 words in order (an edited copy), are under the file's 0.95
    assert from_file.exit_code == 0, from_file.output
    assert from_flag.exit_code == 1
    assert from_flag.stdout.splitlines()[0].startswith("flood.txt:3:1: near: ")


def test_scope_flag_overrides_the_file_scope(site: Path) -> None:
    dedupe_toml(site, 'scope = "article"\n')
    Path("council-budget.txt").write_text(COUNCIL_BUDGET, encoding="utf-8")
    Path("school-meals.txt").write_text(SCHOOL_MEALS, encoding="utf-8")
    names = ["council-budget.txt", "school-meals.txt"]
    assert CliRunner().invoke(cli, ["check", *names]).stdout.startswith("0 findings")
    assert ": cross: " in CliRunner().invoke(cli, ["check", "--scope", "repo", *names]).stdout


def test_config_file_error_on_the_command_line_is_one_line_and_exit_2(site: Path) -> None:
    path = pyproject(site, 'threshold = "high"\n')
    out = CliRunner().invoke(cli, ["check", "anything.txt"])
    assert out.exit_code == 2
    assert out.stderr == f"dedupe: error: {path}: [tool.dedupe] threshold must be a number, got 'high'\n"


def test_missing_config_option_file_is_an_error(site: Path) -> None:
    assert error_of("dedupe-strict.toml") == "dedupe-strict.toml: config file not found"
    out = CliRunner().invoke(cli, ["check", "--config", "dedupe-strict.toml", "anything.txt"])
    assert out.exit_code == 2
    assert out.stderr == "dedupe: error: dedupe-strict.toml: config file not found\n"


def test_config_option_pointing_at_a_pyproject_without_a_table_is_an_error(site: Path) -> None:
    (site / "pyproject.toml").write_text(PYPROJECT_HEAD, encoding="utf-8")
    path = str(site / "pyproject.toml")
    assert error_of(path) == f"{path}: has no [tool.dedupe] table"


# Validation


def test_unknown_key_names_the_file_and_the_key(site: Path) -> None:
    path = dedupe_toml(site, "treshold = 0.6\n")
    assert error_of().startswith(f"{path}: unknown key 'treshold' (known keys: ")


def test_unknown_key_in_pyproject_names_the_table(site: Path) -> None:
    path = pyproject(site, "treshold = 0.6\n")
    message = error_of()
    assert message.startswith(f"{path}: [tool.dedupe] unknown key 'treshold' (known keys: ")
    assert "threshold" in message.split("known keys: ", 1)[1]


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ('threshold = "high"', "threshold must be a number, got 'high'"),
        ("threshold = true", "threshold must be a number, got True"),
        ("min-words = 2.5", "min-words must be an integer, got 2.5"),
        ('shingle = "3"', "shingle must be an integer, got '3'"),
        ("include = 3", "include must be a list of glob strings, got 3"),
        ('exclude = ["drafts/*", 4]', "exclude must be a list of glob strings, got ['drafts/*', 4]"),
        ('scope = "site"', "scope must be one of article, repo, got 'site'"),
        ('fail-on = "fatal"', "fail-on must be one of error, warning, info, got 'fatal'"),
    ],
)
def test_wrong_type_names_the_key_and_the_value(site: Path, line: str, problem: str) -> None:
    path = pyproject(site, line + "\n")
    assert error_of() == f"{path}: [tool.dedupe] {problem}"


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("threshold = 1.5", "threshold must be between 0 and 1, got 1.5"),
        ("threshold = -0.1", "threshold must be between 0 and 1, got -0.1"),
        ("shingle = 0", "shingle must be between 1 and 10, got 0"),
        ("min_words = 0", "min_words must be between 1 and 1000, got 0"),
        ("num-perm = 8", "num-perm must be between 16 and 1024, got 8"),
        ("max-file-bytes = 0", "max-file-bytes must be between 1 and 1099511627776, got 0"),
    ],
)
def test_out_of_range_value_names_the_key_the_range_and_the_value(site: Path, line: str, problem: str) -> None:
    path = dedupe_toml(site, line + "\n")
    assert error_of() == f"{path}: {problem}"


def test_range_ends_are_allowed(site: Path) -> None:
    dedupe_toml(site, "threshold = 1\nshingle = 10\nmin-words = 1\n")
    settings = config.load()
    assert (settings.threshold, settings.shingle, settings.min_words) == (1.0, 10, 1)
    assert isinstance(settings.threshold, float)


def test_malformed_toml_is_one_line_naming_the_file(site: Path) -> None:
    path = pyproject(site, "threshold = 0.6\nmin-words 6\n")
    assert error_of() == f"{path}: invalid TOML: Expected '=' after a key in a key/value pair (at line 7, column 11)"


def test_config_that_is_not_utf8_names_the_file(site: Path) -> None:
    path = site / ".dedupe.toml"
    path.write_bytes("# r\xe9glages de la r\xe9daction\nthreshold = 0.6\n".encode("latin-1"))
    assert error_of() == f"{path}: config is not valid UTF-8"


def test_tool_dedupe_that_is_not_a_table_is_an_error(site: Path) -> None:
    path = site / "pyproject.toml"
    path.write_text(PYPROJECT_HEAD + "[tool]\ndedupe = 3\n", encoding="utf-8")
    assert error_of() == f"{path}: [tool.dedupe] must be a table"


# The severity table


def test_severity_table_changes_only_the_kinds_it_names(site: Path) -> None:
    pyproject(site, '[tool.dedupe.severity]\ncross = "error"\nboilerplate = "warning"\n')
    severity = config.load().severity
    assert severity == {**Settings().severity, "cross": "error", "boilerplate": "warning"}


def test_severity_raised_to_error_makes_a_cross_finding_fail_the_run(site: Path) -> None:
    dedupe_toml(site, '[severity]\ncross = "error"\n')
    Path("council-budget.txt").write_text(COUNCIL_BUDGET, encoding="utf-8")
    Path("school-meals.txt").write_text(SCHOOL_MEALS, encoding="utf-8")
    out = CliRunner().invoke(cli, ["check", "council-budget.txt", "school-meals.txt"])
    assert out.exit_code == 1


def test_severity_with_an_unknown_kind_lists_the_kinds(site: Path) -> None:
    path = pyproject(site, '[tool.dedupe.severity]\ncrosss = "error"\n')
    assert error_of() == f"{path}: [tool.dedupe] severity: unknown kind 'crosss' (kinds: {', '.join(KINDS)})"


def test_severity_with_an_unknown_level_names_kind_and_level(site: Path) -> None:
    path = pyproject(site, '[tool.dedupe.severity]\ncross = "fatal"\n')
    assert error_of() == f"{path}: [tool.dedupe] severity.cross must be one of error, warning, info, off, got 'fatal'"


def test_severity_that_is_not_a_table_is_an_error(site: Path) -> None:
    path = pyproject(site, 'severity = "high"\n')
    assert error_of() == f"{path}: [tool.dedupe] severity must be a table of kind = level, got 'high'"


# Every key the error message lists as known can be set with a valid value.

VALID = {
    "allow": '["Comments are moderated and may take up to 24 hours to appear on the site."]',
    "boilerplate_min": "4",
    "cache": "false",
    "cache_dir": '".cache/dedupe"',
    "index": '"redis://127.0.0.1:6379/0"',
    "document_threshold": "0.8",
    "echo_max_articles": "2",
    "echo_min_words": "5",
    "exclude": '["drafts/*"]',
    "fail_on": '"warning"',
    "include": '["*.md"]',
    "jobs": "2",
    "max_file_bytes": "1000000",
    "max_memory": '"2G"',
    "min_run": "10",
    "min_words": "6",
    "num_perm": "256",
    "phrases": "false",
    "run_max_articles": "3",
    "scope": '"article"',
    "seed": "7",
    "severity": '{ cross = "error" }',
    "shingle": "3",
    "threshold": "0.6",
    "word_threshold": "0.7",
}


@pytest.mark.parametrize(
    "key",
    [
        key for key in sorted(config.KNOWN_KEYS)
    ],
)
def test_every_known_key_can_be_set_in_the_config_file(site: Path, key: str) -> None:
    assert key in VALID, f"add a valid example value for the new key {key!r} to VALID"
    dedupe_toml(site, f"{key.replace('_', '-')} = {VALID[key]}\n")
    config.load()
