"""End-to-end tests of `dedupe check`, in process with click's CliRunner.

Every test runs in its own empty working directory (so no pyproject.toml of the
checkout is picked up as config) and names articles by relative paths, so the
output lines can be compared exactly.
"""

from __future__ import annotations

import json
import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest
from articles import (
    CAPTION,
    COUNCIL_BUDGET,
    FLOOD_RESTATED,
    HOSPITAL_PARKING,
    LIBRARY_HOURS,
    NEAR_SIMILARITY_SHINGLE_2,
    NEAR_SIMILARITY_SHINGLE_3,
    RAIL_STRIKE,
    SCHOOL_MEALS,
    STYLE_GUIDE_PAGE,
)
from click.testing import CliRunner, Result

import dedupe
from dedupe.cli import cli, use_color

ANSI = re.compile(r"\x1b\[[0-9;]*m")
CAPTION_SNIPPET = "Commuters queue outside Leeds station on Monday morning (Photo: Jane…"
CAPTION_LINE = (f'rail-strike.txt:4:1: caption: "{CAPTION_SNIPPET}" '
                f"(also at rail-strike.txt:10:1, similarity 1.00)")
CAPTION_SUMMARY = "1 finding (1 caption) in 1 file, 7 units checked"
CROSS_LINE = ('council-budget.txt:7:1: cross: "The budget also protects funding for the holiday activities '
              'programme,…" (also at school-meals.txt:5:1, similarity 1.00)')


@pytest.fixture(autouse=True)
def in_empty_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for name in ("NO_COLOR", "CI", "GITHUB_ACTIONS"):
        monkeypatch.delenv(name, raising=False)
    return tmp_path


def article(name: str, text: str) -> str:
    path = Path(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return name


def run(*args: str, stdin: str | None = None, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), input=stdin, env=env, prog_name="dedupe")


# Exit codes


def test_clean_article_exits_0_and_prints_only_the_summary() -> None:
    out = run("check", article("library-hours.txt", LIBRARY_HOURS))
    assert out.exit_code == 0, out.output
    assert out.stdout == "0 findings in 1 file, 5 units checked\n"
    assert out.stderr == ""


def test_caption_printed_twice_exits_1_with_a_compiler_style_line_and_summary_last() -> None:
    out = run("check", article("rail-strike.txt", RAIL_STRIKE))
    assert out.exit_code == 1
    assert out.stdout.splitlines() == [CAPTION_LINE, CAPTION_SUMMARY]


def test_near_duplicate_line_names_both_places_and_the_exact_similarity() -> None:
    out = run("check", article("flood.txt", FLOOD_RESTATED))
    assert out.exit_code == 1
    assert out.stdout.splitlines() == [
        ('flood.txt:3:1: near: "The agency said river levels at Mytholmroyd had risen by almost a metre…" '
         "(also at flood.txt:7:1, similarity 0.70)"),
        "1 finding (1 near) in 1 file, 4 units checked",
    ]


def test_unknown_option_is_a_usage_error() -> None:
    out = run("check", "--bogus", article("library-hours.txt", LIBRARY_HOURS))
    assert out.exit_code == 2
    assert "Error: No such option '--bogus'" in out.stderr
    assert out.stdout == ""


def test_no_path_checks_the_current_folder_as_ruff_and_codespell_do() -> None:
    article("news/rail-strike.txt", RAIL_STRIKE)
    article("library-hours.txt", LIBRARY_HOURS)
    out = run("check")
    assert out.exit_code == 1
    assert out.stdout.splitlines() == [CAPTION_LINE.replace("rail-strike.txt", "./news/rail-strike.txt"),
                                       "1 finding (1 caption) in 2 files, 12 units checked"]
    assert run("check", ".").stdout == out.stdout


def test_a_report_written_in_the_folder_is_not_read_back_as_an_article() -> None:
    """With no path meaning the current folder, `dedupe report` then `dedupe check` would otherwise find
    every repeat again in the report (dedupe-report.html is an .html file like any article)."""
    article("news/rail-strike.txt", RAIL_STRIKE)
    assert run("report").exit_code == 0
    assert run("report", "-o", "news/old-report.html").exit_code == 0
    out = run("check")
    assert out.exit_code == 1
    assert out.stdout.splitlines() == [CAPTION_LINE.replace("rail-strike.txt", "./news/rail-strike.txt"),
                                       "1 finding (1 caption) in 1 file, 7 units checked"]
    assert out.stderr.splitlines() == [
        "dedupe: warning: ./dedupe-report.html: is a dedupe report, not an article (skipped)",
        "dedupe: warning: ./news/old-report.html: is a dedupe report, not an article (skipped)"]


def test_baseline_with_no_path_records_the_current_folder() -> None:
    article("news/rail-strike.txt", RAIL_STRIKE)
    assert run("baseline").exit_code == 0
    assert len(json.loads(Path(".dedupe-baseline.json").read_text(encoding="utf-8"))["findings"]) == 1


def test_path_that_does_not_exist_exits_2_naming_it() -> None:
    out = run("check", "drafts/missing-article.txt")
    assert out.exit_code == 2
    assert out.stderr == "dedupe: error: drafts/missing-article.txt: no such file or directory\n"


def test_threshold_out_of_range_exits_2_naming_the_option() -> None:
    out = run("check", "--threshold", "1.5", article("library-hours.txt", LIBRARY_HOURS))
    assert out.exit_code == 2
    assert out.stderr == "dedupe: error: option --threshold must be between 0 and 1, got 1.5\n"


def test_min_words_out_of_range_is_named_as_typed_on_the_command_line() -> None:
    out = run("check", "--min-words", "0", article("library-hours.txt", LIBRARY_HOURS))
    assert out.exit_code == 2
    assert out.stderr == "dedupe: error: option --min-words must be between 1 and 1000, got 0\n"


def test_threshold_that_is_not_a_number_is_a_usage_error() -> None:
    out = run("check", "--threshold", "high", article("library-hours.txt", LIBRARY_HOURS))
    assert out.exit_code == 2
    assert "'high' is not a valid float" in out.stderr


def test_empty_folder_is_an_error_not_a_pass(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    out = run("check", "content")
    assert out.exit_code == 2
    assert out.stderr == "dedupe: error: no files to check in content\n"


def test_folder_with_only_pdf_files_is_an_error_not_a_pass(tmp_path: Path) -> None:
    (tmp_path / "scans").mkdir()
    (tmp_path / "scans" / "front-page.pdf").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    out = run("check", "scans")
    assert out.exit_code == 2
    assert out.stderr == "dedupe: error: no files to check in scans\n"


# Output formats and destinations


def test_json_output_has_version_summary_and_findings_pointing_into_the_file() -> None:
    out = run("check", "--format", "json", article("rail-strike.txt", RAIL_STRIKE))
    assert out.exit_code == 1
    data = json.loads(out.stdout)
    assert data["version"] == "2"
    assert data["summary"]["files"] == 1
    assert data["summary"]["findings"] == 1
    assert data["summary"]["by_kind"]["caption"] == 1
    [finding] = data["findings"]
    assert (finding["kind"], finding["severity"], finding["similarity"]) == ("caption", "error", 1.0)
    assert [(o["line"], o["column"], o["text"]) for o in finding["occurrences"]] == [
        (4, 1, CAPTION), (10, 1, CAPTION)
    ]
    for o in finding["occurrences"]:
        assert RAIL_STRIKE[o["offset"] : o["offset"] + o["length"]] == CAPTION


def test_output_file_gets_the_report_and_stdout_stays_empty(tmp_path: Path) -> None:
    out = run("check", article("rail-strike.txt", RAIL_STRIKE), "--output", "reports/dedupe.txt")
    assert out.exit_code == 1
    assert out.stdout == ""
    assert (tmp_path / "reports" / "dedupe.txt").read_text(encoding="utf-8") == f"{CAPTION_LINE}\n{CAPTION_SUMMARY}\n"
    assert os.listdir(tmp_path / "reports") == ["dedupe.txt"]  # no temp file left behind


def test_output_file_replaces_an_earlier_report_whole(tmp_path: Path) -> None:
    report = tmp_path / "reports" / "dedupe.json"
    report.parent.mkdir()
    report.write_text("an older, much longer report " * 500, encoding="utf-8")
    out = run("check", article("library-hours.txt", LIBRARY_HOURS), "-f", "json", "-o", "reports/dedupe.json")
    assert out.exit_code == 0
    assert json.loads(report.read_text(encoding="utf-8"))["summary"]["findings"] == 0
    assert os.listdir(report.parent) == ["dedupe.json"]


def test_output_file_gets_the_permissions_the_shell_would_give_it(tmp_path: Path) -> None:
    umask = os.umask(0o022)
    try:
        out = run("check", article("rail-strike.txt", RAIL_STRIKE), "-o", "dedupe.txt")
    finally:
        os.umask(umask)
    assert out.exit_code == 1
    assert oct((tmp_path / "dedupe.txt").stat().st_mode & 0o777) == oct(0o644)


def test_output_that_is_one_of_the_articles_is_refused_and_the_article_kept(tmp_path: Path) -> None:
    article("rail-strike.txt", RAIL_STRIKE)
    out = run("check", "rail-strike.txt", "-o", "./rail-strike.txt")
    assert out.exit_code == 2
    assert out.stderr == ("dedupe: error: ./rail-strike.txt: is one of the files being checked; "
                          "refusing to overwrite it\n")
    assert (tmp_path / "rail-strike.txt").read_text(encoding="utf-8") == RAIL_STRIKE


def test_output_dash_means_stdout() -> None:
    out = run("check", article("rail-strike.txt", RAIL_STRIKE), "-o", "-")
    assert out.exit_code == 1
    assert out.stdout.splitlines() == [CAPTION_LINE, CAPTION_SUMMARY]


def test_stdin_is_read_as_plain_text() -> None:
    out = run("check", "-", stdin=RAIL_STRIKE)
    assert out.exit_code == 1
    assert out.stdout.splitlines()[0] == (f'<stdin>:4:1: caption: "{CAPTION_SNIPPET}" '
                                          f"(also at <stdin>:10:1, similarity 1.00)")


@pytest.mark.parametrize("folder", ["2024", "news"], ids=["sorts-before-stdin", "sorts-after-stdin"])
def test_stdin_next_to_a_folder_with_a_skipped_file(folder: str) -> None:
    article(f"{folder}/rail-strike.txt", RAIL_STRIKE)
    article(f"{folder}/empty.txt", "")
    out = run("check", "-", folder, "--format", "json", stdin=RAIL_STRIKE)
    assert out.exit_code == 1
    data = json.loads(out.stdout)
    assert data["summary"]["files"] == 2
    assert f"{folder}/empty.txt: file is empty (skipped)" in out.stderr
    copies = sorted(["<stdin>", f"{folder}/rail-strike.txt"])
    assert sorted((f["kind"], sorted(o["path"] for o in f["occurrences"])) for f in data["findings"]) == [
        ("caption", [copies[0], copies[0], copies[1], copies[1]]), ("document", copies)]


def test_markdown_front_matter_title_is_not_a_repeat_of_the_heading() -> None:
    out = run("check", article("style-guide.md", STYLE_GUIDE_PAGE))
    assert out.exit_code == 1
    assert out.stdout.splitlines()[:-1] == [
        ('style-guide.md:8:1: repeat: "Headlines now use sentence case throughout the site." '
         "(also at style-guide.md:15:1, similarity 1.00)")
    ]


# Options that change what is found


def test_scope_repo_reports_a_sentence_shared_by_two_articles() -> None:
    out = run("check", article("council-budget.txt", COUNCIL_BUDGET), article("school-meals.txt", SCHOOL_MEALS))
    assert out.exit_code == 0  # cross is a warning by default: reported, not failing
    assert out.stdout.splitlines() == [CROSS_LINE, "1 finding (1 cross) in 2 files, 8 units checked"]


def test_scope_article_drops_findings_across_articles() -> None:
    out = run("check", "--scope", "article",
              article("council-budget.txt", COUNCIL_BUDGET), article("school-meals.txt", SCHOOL_MEALS))
    assert out.exit_code == 0
    assert out.stdout == "0 findings in 2 files, 8 units checked\n"


def test_scope_article_still_reports_repeats_inside_an_article() -> None:
    out = run("check", "--scope", "article", article("rail-strike.txt", RAIL_STRIKE),
              article("council-budget.txt", COUNCIL_BUDGET), article("school-meals.txt", SCHOOL_MEALS))
    assert out.exit_code == 1
    assert out.stdout.splitlines()[0] == CAPTION_LINE


def test_min_words_lowered_makes_a_two_word_line_count() -> None:
    name = article("hospital-parking.txt", HOSPITAL_PARKING)
    assert run("check", name).stdout == "0 findings in 1 file, 5 units checked\n"
    out = run("check", "--min-words", "2", name)
    assert out.exit_code == 1
    assert out.stdout.splitlines()[0] == ('hospital-parking.txt:5:1: caption: "Recommended News" '
                                          "(also at hospital-parking.txt:9:1, similarity 1.00)")


def test_shingle_size_changes_the_exact_similarity_reported() -> None:
    name = article("flood.txt", FLOOD_RESTATED)
    # the word-set signal would still see it, and the 12 words they share are a shared run
    # (or, under a longer --min-run, an echo)
    shingles_only = ("check", "-f", "json", "--word-threshold", "0", "--min-run", "50", "--echo-min-words", "50")
    by_two = json.loads(run(*shingles_only, name).stdout)["findings"]
    by_three = json.loads(run(*shingles_only, "--shingle", "3", name).stdout)["findings"]
    by_four = json.loads(run(*shingles_only, "--shingle", "4", name).stdout)["findings"]
    # group.py rounds similarities to 4 places
    assert [(f["kind"], f["similarity"]) for f in by_two] == [
        ("near", pytest.approx(NEAR_SIMILARITY_SHINGLE_2, abs=5e-5))
    ]
    assert [(f["kind"], f["similarity"]) for f in by_three] == [
        ("near", pytest.approx(NEAR_SIMILARITY_SHINGLE_3, abs=5e-5))
    ]
    # 13/29 with 4-word shingles: under the 0.5 threshold; the words still in order make
    # it an edited copy, reported on that measure instead (phrases.py)
    assert [(f["kind"], f["measure"]) for f in by_four] == [("near", "order")]


def test_threshold_above_the_pair_similarity_drops_the_near_finding() -> None:
    name = article("flood.txt", FLOOD_RESTATED)
    # not the 12 words they share (a shared run, or under a longer --min-run an echo)
    sentences_only = ("check", "--word-threshold", "0", "--min-run", "50", "--echo-min-words", "50")
    assert run(*sentences_only, "--threshold", "0.70", name).exit_code == 1  # 19/27 = 0.7037
    # over the shingle score, the pair is still an edited copy: 22 of its 24 words in
    # order (0.9167, measure "order"), and a threshold over that drops it too
    edited = json.loads(run(*sentences_only, "--threshold", "0.71", "-f", "json", name).stdout)["findings"]
    assert [(f["kind"], f["measure"], round(f["similarity"], 4)) for f in edited] == [("near", "order", 0.9167)]
    out = run(*sentences_only, "--threshold", "0.92", name)
    assert out.exit_code == 0
    assert out.stdout == "0 findings in 1 file, 4 units checked\n"


# Warnings and colour


def test_warnings_go_to_stderr_and_quiet_silences_them(tmp_path: Path) -> None:
    latin1 = RAIL_STRIKE.replace("Talks between", "Caf\xe9 talks between").encode("latin-1")
    (tmp_path / "cafe-review.txt").write_bytes(latin1)
    loud = run("check", "cafe-review.txt")
    quiet = run("check", "--quiet", "cafe-review.txt")
    bad_byte = latin1.index(b"\xe9")
    assert loud.stderr == (f"dedupe: warning: cafe-review.txt: invalid UTF-8 at byte {bad_byte}; "
                           "decoded with replacement characters (U+FFFD)\n")
    assert quiet.stderr == ""
    assert loud.exit_code == quiet.exit_code == 1
    assert quiet.stdout == loud.stdout


def test_color_flag_adds_ansi_codes_to_the_text_format() -> None:
    out = run("check", "--color", article("rail-strike.txt", RAIL_STRIKE))
    assert out.stdout.splitlines()[0] == (f'\x1b[1mrail-strike.txt:4:1\x1b[0m: \x1b[31mcaption\x1b[0m: '
                                          f'"{CAPTION_SNIPPET}"\x1b[2m (also at rail-strike.txt:10:1, '
                                          f"similarity 1.00)\x1b[0m")
    assert ANSI.sub("", out.stdout).splitlines() == [CAPTION_LINE, CAPTION_SUMMARY]


def test_no_color_flag_and_a_pipe_give_plain_text() -> None:
    name = article("rail-strike.txt", RAIL_STRIKE)
    assert not ANSI.search(run("check", "--no-color", name).stdout)
    assert not ANSI.search(run("check", name).stdout)  # CliRunner's stdout is not a terminal


def test_color_flag_wins_over_no_color_variable() -> None:
    out = run("check", "--color", article("rail-strike.txt", RAIL_STRIKE), env={"NO_COLOR": "1"})
    assert ANSI.search(out.stdout)


def test_color_flag_does_not_touch_json() -> None:
    out = run("check", "--color", "-f", "json", article("rail-strike.txt", RAIL_STRIKE))
    assert not ANSI.search(out.stdout)
    json.loads(out.stdout)


class _Terminal:
    def isatty(self) -> bool:
        return True


def test_use_color_on_a_terminal_unless_no_color_is_set(monkeypatch: pytest.MonkeyPatch) -> None:
    assert use_color(_Terminal(), None) is True
    monkeypatch.setenv("NO_COLOR", "1")
    assert use_color(_Terminal(), None) is False
    monkeypatch.setenv("NO_COLOR", "")  # no-color.org: an empty value does not count
    assert use_color(_Terminal(), None) is True


@pytest.mark.parametrize(("no_color", "coloured"), [(None, True), ("1", False)])
def test_text_on_a_real_terminal_is_coloured_unless_no_color(tmp_path: Path, no_color: str | None,
                                                              coloured: bool) -> None:
    name = article("rail-strike.txt", RAIL_STRIKE)
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "CI", "GITHUB_ACTIONS")}
    if no_color is not None:
        env["NO_COLOR"] = no_color
    leader, follower = pty.openpty()
    try:
        proc = subprocess.run([sys.executable, "-m", "dedupe", "check", name], stdout=follower,
                              stderr=subprocess.PIPE, env=env, cwd=tmp_path, timeout=120, check=False)
        os.close(follower)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # EIO: the terminal's other end is closed and drained
                break
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(leader)
    shown = b"".join(chunks).decode("utf-8")
    assert proc.returncode == 1, proc.stderr
    assert bool(ANSI.search(shown)) is coloured
    assert ANSI.sub("", shown).replace("\r\n", "\n").splitlines() == [CAPTION_LINE, CAPTION_SUMMARY]


# Version and help


def test_version_prints_the_package_version() -> None:
    out = run("--version")
    assert out.exit_code == 0
    assert out.stdout == f"dedupe, version {dedupe.__version__}\n"


@pytest.mark.parametrize("args", [["--help"], ["check", "--help"], ["check", "-h"]])
def test_help_ends_with_examples_and_exit_statuses(args: list[str]) -> None:
    out = run(*args)
    assert out.exit_code == 0
    assert out.stdout.startswith("Usage: dedupe ")
    shown = [line.strip() for line in out.stdout.splitlines()]
    examples = shown.index("Examples:")
    assert shown[examples + 1] == "dedupe check article.txt                 one draft before publishing"
    assert "cat draft.md | dedupe check -            read stdin (as plain text)" in shown[examples:]
    assert ("Exit status: 0 nothing that fails, 1 findings that fail, 2 usage or input error, 3 internal error "
            "(a bug)." in shown[examples:])
    assert "With no PATHS, the current folder is checked." in shown[examples:]


@pytest.mark.parametrize(("given", "seen"), [(None, "1"), ("4", "4")])
def test_the_command_loads_numpy_with_one_blas_thread_unless_the_caller_chose(given: str | None, seen: str) -> None:
    env = {k: v for k, v in os.environ.items() if k != "OPENBLAS_NUM_THREADS"}
    if given is not None:
        env["OPENBLAS_NUM_THREADS"] = given
    code = ("import os, sys; from dedupe import cli; before = 'numpy' in sys.modules; sys.argv = ['dedupe', '--version']\n"
            "try:\n    cli.main()\nexcept SystemExit:\n    pass\n"
            "print(before, os.environ.get('OPENBLAS_NUM_THREADS'))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert done.stdout.splitlines()[-1] == f"False {seen}"  # numpy not loaded before main set the variable
