"""The bad-input matrix, through a real process: `python -m dedupe check ...`.

For every bad input: the documented exit code, a one-line message on stderr naming
the file, no Traceback, and the input files' bytes unchanged after the run. A file
named on the command line that cannot be read is an error (exit 2); the same file
found while walking a folder is skipped with a warning and the rest is checked.

Articles live in tmp_path/"in"; the process runs in tmp_path/"run" so nothing it
writes there (a cache, a report) can be mistaken for a change to an article.
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from articles import CAPTION, FLOOD_RESTATED, LIBRARY_HOURS, RAIL_STRIKE

TIMEOUT_S = 120  # generous: a hang, not slowness, is what this catches
PNG_BYTES = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00"
             b"\x1f\xf3\xffa\x00\x00\x00\x0cIDATx\x9cc`\x18\x05\x00\x00\x10\x00\x01\x00\x00\x00\x00IEND\xaeB`\x82")
CAPTION_LINE = ('rail-strike.txt:4:1: caption: "Commuters queue outside Leeds station on Monday morning '
                '(Photo: Jane…" (also at rail-strike.txt:10:1, similarity 1.00)')


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "run").mkdir()
    (tmp_path / "in").mkdir()
    return tmp_path / "in"


def dedupe(tmp_path: Path, *args: str | Path, command: tuple[str, ...] | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "CI", "GITHUB_ACTIONS")}
    cmd = [*(command or (sys.executable, "-m", "dedupe")), "check", *map(str, args)]
    proc = subprocess.run(cmd, cwd=tmp_path / "run", env=env, capture_output=True, text=True, check=False,
                          errors="surrogateescape", timeout=TIMEOUT_S)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


def fingerprints(folder: Path) -> dict[str, str]:
    """sha256 of every regular file under folder (symlinks and FIFOs not followed)."""
    out = {}
    for root, _, names in os.walk(folder):
        for name in names:
            path = Path(root, name)
            if path.is_symlink() or not path.is_file():
                continue
            out[str(path.relative_to(folder))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


@pytest.fixture
def unchanged(folder: Path):
    """Checks after the test that no article's bytes changed (and none appeared or vanished)."""
    box: dict[str, dict[str, str]] = {}

    def snapshot() -> None:
        box["before"] = fingerprints(folder)

    yield snapshot
    assert "before" in box, "call unchanged() once the articles are written"
    assert fingerprints(folder) == box["before"]


def one_error_line(proc: subprocess.CompletedProcess[str], message: str) -> None:
    assert proc.returncode == 2, (proc.stdout, proc.stderr)
    assert proc.stderr == f"dedupe: error: {message}\n"
    assert proc.stdout == ""


# Named on the command line: exit 2, one line


def test_png_named_explicitly_is_refused_as_binary(folder: Path, tmp_path: Path, unchanged) -> None:
    (folder / "front-page.png").write_bytes(PNG_BYTES)
    unchanged()
    proc = dedupe(tmp_path, folder / "front-page.png")
    one_error_line(proc, f"{folder / 'front-page.png'}: looks like a binary file (contains NUL bytes), not an article")


def test_text_file_with_nul_bytes_named_explicitly_is_refused(folder: Path, tmp_path: Path, unchanged) -> None:
    (folder / "council.txt").write_bytes(LIBRARY_HOURS.encode("utf-8")[:120] + b"\x00\x00\x00\x00")
    unchanged()
    proc = dedupe(tmp_path, folder / "council.txt")
    one_error_line(proc, f"{folder / 'council.txt'}: looks like a binary file (contains NUL bytes), not an article")


@pytest.mark.parametrize("content", [b"", b"\n\n   \n", "\u3000\u2003\n\u00a0\u200b\n".encode()],
                         ids=["zero-bytes", "blank-lines", "unicode-spaces"])
def test_empty_file_named_explicitly_is_a_warning_and_the_others_are_checked(folder: Path, tmp_path: Path, unchanged,
                                                                            content: bytes) -> None:
    """pre-commit names the staged files: an empty draft must not block the commit of the others."""
    (folder / "draft.md").write_bytes(content)
    (folder / "rail-strike.txt").write_text(RAIL_STRIKE, encoding="utf-8")
    unchanged()
    proc = dedupe(tmp_path, "../in/draft.md", "../in/rail-strike.txt")
    assert proc.returncode == 1
    assert proc.stderr == "dedupe: warning: ../in/draft.md: file is empty (skipped)\n"
    assert proc.stdout.splitlines() == [CAPTION_LINE.replace("rail-strike.txt", "../in/rail-strike.txt"),
                                        "1 finding (1 caption) in 1 file, 7 units checked"]


def test_only_empty_files_named_is_an_error(folder: Path, tmp_path: Path, unchanged) -> None:
    (folder / "draft.txt").write_bytes(b"\n")
    unchanged()
    one_error_line(dedupe(tmp_path, "../in/draft.txt"),
                   "no files to check in ../in/draft.txt: ../in/draft.txt: file is empty (skipped)")


def test_fifo_named_explicitly_is_refused_without_waiting_for_a_writer(folder: Path, tmp_path: Path,
                                                                      unchanged) -> None:
    os.mkfifo(folder / "live-blog.txt")  # opening it for reading would wait for a writer forever
    (folder / "rail-strike.txt").write_text(RAIL_STRIKE, encoding="utf-8")
    unchanged()
    proc = dedupe(tmp_path, "../in/rail-strike.txt", "../in/live-blog.txt")  # TIMEOUT_S bounds a hang
    one_error_line(proc, "../in/live-blog.txt: not a regular file (a named pipe); "
                         "to check piped text, pipe it to `dedupe check -`")


def test_utf16_file_with_a_byte_order_mark_is_decoded(folder: Path, tmp_path: Path, unchanged) -> None:
    (folder / "rail-strike.txt").write_bytes(RAIL_STRIKE.encode("utf-16"))  # BOM, then UTF-16 in this machine's order
    (folder / "rail-strike-be.txt").write_bytes(b"\xfe\xff" + RAIL_STRIKE.encode("utf-16-be"))
    unchanged()
    proc = dedupe(tmp_path, "../in/rail-strike.txt", "../in/rail-strike-be.txt", "--scope", "article")
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr == ""
    assert proc.stdout.splitlines() == [CAPTION_LINE.replace("rail-strike.txt", "../in/rail-strike-be.txt"),
                                        CAPTION_LINE.replace("rail-strike.txt", "../in/rail-strike.txt"),
                                        "2 findings (2 caption) in 2 files, 14 units checked"]


def test_utf16_without_a_byte_order_mark_is_named_as_such(folder: Path, tmp_path: Path, unchanged) -> None:
    (folder / "rail-strike.txt").write_bytes(RAIL_STRIKE.encode("utf-16-le"))
    unchanged()
    one_error_line(dedupe(tmp_path, "../in/rail-strike.txt"),
                   "../in/rail-strike.txt: looks like UTF-16 without a byte order mark, which is not supported "
                   "(save it as UTF-8)")


def test_nul_bytes_after_the_first_8_kib_still_mean_binary(folder: Path, tmp_path: Path, unchanged) -> None:
    (folder / "dump.txt").write_bytes(RAIL_STRIKE.encode("utf-8") * 20 + b"\x00\x01\x02\x03")
    unchanged()
    one_error_line(dedupe(tmp_path, "../in/dump.txt"),
                   "../in/dump.txt: looks like a binary file (contains NUL bytes), not an article")


def test_file_over_the_size_limit_is_an_error_naming_file_and_limit(folder: Path, tmp_path: Path, unchanged) -> None:
    (tmp_path / "run" / ".dedupe.toml").write_text("max-file-bytes = 1000\n", encoding="utf-8")
    (folder / "rail-strike.txt").write_text(RAIL_STRIKE * 3, encoding="utf-8")
    unchanged()
    proc = dedupe(tmp_path, folder / "rail-strike.txt")
    one_error_line(proc, f"{folder / 'rail-strike.txt'}: file is larger than the limit of 1000 bytes (max-file-bytes)")


def test_file_at_the_size_limit_is_read(folder: Path, tmp_path: Path, unchanged) -> None:
    size = len(RAIL_STRIKE.encode("utf-8"))
    (tmp_path / "run" / ".dedupe.toml").write_text(f"max-file-bytes = {size}\n", encoding="utf-8")
    (folder / "rail-strike.txt").write_text(RAIL_STRIKE, encoding="utf-8")
    unchanged()
    assert dedupe(tmp_path, folder / "rail-strike.txt").returncode == 1


def test_path_that_does_not_exist_is_an_error(folder: Path, tmp_path: Path, unchanged) -> None:
    unchanged()
    one_error_line(dedupe(tmp_path, folder / "missing.txt"), f"{folder / 'missing.txt'}: no such file or directory")


def test_unreadable_file_named_explicitly_is_an_error(folder: Path, tmp_path: Path, unchanged) -> None:
    path = folder / "embargoed.txt"
    path.write_text(RAIL_STRIKE, encoding="utf-8")
    unchanged()
    path.chmod(0)
    try:
        try:
            path.open("rb").close()
        except PermissionError:
            pass
        else:
            pytest.skip("running as root (or with CAP_DAC_OVERRIDE): chmod 000 does not stop this user "
                        "reading the file; test_symlink_loop_named_explicitly covers a file that cannot be opened")
        one_error_line(dedupe(tmp_path, path), f"{path}: permission denied")
    finally:
        path.chmod(0o644)


def test_symlink_loop_named_explicitly_is_an_error(folder: Path, tmp_path: Path, unchanged) -> None:
    (folder / "loop.txt").symlink_to("loop.txt")
    unchanged()
    one_error_line(dedupe(tmp_path, folder / "loop.txt"), f"{folder / 'loop.txt'}: broken symbolic link")


def test_malformed_config_is_one_line_naming_the_file(folder: Path, tmp_path: Path, unchanged) -> None:
    config = tmp_path / "run" / "pyproject.toml"
    config.write_text('[tool.dedupe]\nthreshold = 0.6\nexclude = ["drafts/*"\n', encoding="utf-8")
    (folder / "rail-strike.txt").write_text(RAIL_STRIKE, encoding="utf-8")
    unchanged()
    proc = dedupe(tmp_path, folder / "rail-strike.txt")
    one_error_line(proc, f"{config}: invalid TOML: Unclosed array (at end of document)")


def test_config_with_a_wrong_type_is_one_line_naming_file_and_key(folder: Path, tmp_path: Path, unchanged) -> None:
    config = tmp_path / "run" / ".dedupe.toml"
    config.write_text("min-words = 2.5\n", encoding="utf-8")
    (folder / "rail-strike.txt").write_text(RAIL_STRIKE, encoding="utf-8")
    unchanged()
    one_error_line(dedupe(tmp_path, folder / "rail-strike.txt"), f"{config}: min-words must be an integer, got 2.5")


# Bad bytes that do not stop the run


def test_invalid_utf8_is_decoded_with_replacement_and_a_warning(folder: Path, tmp_path: Path, unchanged) -> None:
    latin1 = RAIL_STRIKE.replace("Talks between", "Caf\xe9 talks between").encode("latin-1")
    (folder / "rail-strike.txt").write_bytes(latin1)
    unchanged()
    proc = dedupe(tmp_path, "../in/rail-strike.txt")
    assert proc.returncode == 1  # the run went on and found the doubled caption
    bad_byte = latin1.index(b"\xe9")
    assert proc.stderr == (f"dedupe: warning: ../in/rail-strike.txt: invalid UTF-8 at byte {bad_byte}; "
                           "decoded with replacement characters (U+FFFD)\n")
    assert proc.stdout.splitlines()[0] == CAPTION_LINE.replace("rail-strike.txt", "../in/rail-strike.txt")


def test_invalid_utf8_in_a_clean_article_still_exits_0(folder: Path, tmp_path: Path, unchanged) -> None:
    (folder / "library-hours.txt").write_bytes(LIBRARY_HOURS.replace("£", "\xa3").encode("latin-1"))
    unchanged()
    proc = dedupe(tmp_path, "../in/library-hours.txt")
    assert proc.returncode == 0
    assert proc.stderr.startswith("dedupe: warning: ../in/library-hours.txt: invalid UTF-8 at byte ")
    assert proc.stderr.count("\n") == 1


# Found while walking a folder: skipped with a warning, the rest checked


def test_empty_and_binary_files_in_a_folder_are_skipped_with_warnings(folder: Path, tmp_path: Path,
                                                                     unchanged) -> None:
    news = folder / "news"
    news.mkdir()
    (news / "rail-strike.txt").write_text(RAIL_STRIKE, encoding="utf-8")
    (news / "a-empty.txt").write_bytes(b"")
    (news / "b-scan.txt").write_bytes(PNG_BYTES)
    unchanged()
    proc = dedupe(tmp_path, news)
    assert proc.returncode == 1
    assert proc.stderr.splitlines() == [
        f"dedupe: warning: {news / 'a-empty.txt'}: file is empty (skipped)",
        (f"dedupe: warning: {news / 'b-scan.txt'}: looks like a binary file (contains NUL bytes), "
         "not an article (skipped)"),
    ]
    assert proc.stdout.splitlines()[-1] == "1 finding (1 caption) in 1 file, 7 units checked"


def test_oversized_file_in_a_folder_is_skipped_with_a_warning(folder: Path, tmp_path: Path, unchanged) -> None:
    (tmp_path / "run" / ".dedupe.toml").write_text("max-file-bytes = 1000\n", encoding="utf-8")
    (folder / "archive.txt").write_text(LIBRARY_HOURS * 3, encoding="utf-8")
    (folder / "short.txt").write_text(CAPTION + "\n\n" + CAPTION + "\n", encoding="utf-8")
    unchanged()
    proc = dedupe(tmp_path, folder)
    assert proc.returncode == 1
    assert proc.stderr == (f"dedupe: warning: {folder / 'archive.txt'}: file is larger than the limit of "
                           "1000 bytes (max-file-bytes) (skipped)\n")


def test_folder_where_every_file_is_skipped_is_an_error(folder: Path, tmp_path: Path, unchanged) -> None:
    (folder / "draft.txt").write_bytes(b"")
    (folder / "scan.txt").write_bytes(PNG_BYTES)
    unchanged()
    proc = dedupe(tmp_path, folder)
    assert proc.returncode == 2
    assert proc.stderr.splitlines() == [
        (f"dedupe: error: no files to check in {folder}: {folder / 'draft.txt'}: file is empty (skipped); "
        f"{folder / 'scan.txt'}: looks like a binary file (contains NUL bytes), not an article (skipped)")
    ]


def test_symlink_loops_in_a_folder_do_not_hang_and_each_article_is_read_once(folder: Path, tmp_path: Path,
                                                                             unchanged) -> None:
    news = folder / "content" / "news"
    news.mkdir(parents=True)
    (news / "rail-strike.txt").write_text(RAIL_STRIKE, encoding="utf-8")
    (folder / "content" / "library-hours.txt").write_text(LIBRARY_HOURS, encoding="utf-8")
    (news / "back-up").symlink_to("..")  # content/news/back-up -> content
    (news / "same").symlink_to(".")  # content/news/same -> content/news
    (news / "dead-end.txt").symlink_to("dead-end.txt")  # a file symlink that loops on itself
    unchanged()
    proc = dedupe(tmp_path, folder / "content")
    assert proc.returncode == 1
    assert proc.stdout.splitlines()[-1] == "1 finding (1 caption) in 2 files, 12 units checked"
    assert proc.stderr == (f"dedupe: warning: {news / 'dead-end.txt'}: cannot read "
                           "(Too many levels of symbolic links) (skipped)\n")


def test_a_second_name_for_the_same_article_does_not_make_it_a_copy_of_itself(folder: Path, tmp_path: Path,
                                                                              unchanged) -> None:
    (folder / "rail-strike.txt").write_text(RAIL_STRIKE, encoding="utf-8")
    (folder / "rail-strike-latest.txt").symlink_to("rail-strike.txt")
    unchanged()
    proc = dedupe(tmp_path, "../in", "../in/rail-strike.txt", "../in/./rail-strike.txt")
    assert proc.returncode == 1
    assert proc.stdout.splitlines() == [
        CAPTION_LINE.replace("rail-strike.txt", "../in/rail-strike-latest.txt"),
        "1 finding (1 caption) in 1 file, 7 units checked",
    ]


def test_fifo_in_a_folder_is_passed_over_instead_of_blocking(folder: Path, tmp_path: Path, unchanged) -> None:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no named pipes on this platform")
    (folder / "rail-strike.txt").write_text(RAIL_STRIKE, encoding="utf-8")
    os.mkfifo(folder / "live-blog.txt")  # opening it for reading would wait for a writer forever
    unchanged()
    proc = dedupe(tmp_path, folder)
    assert proc.returncode == 1
    assert proc.stderr == ""
    assert proc.stdout.splitlines()[-1] == "1 finding (1 caption) in 1 file, 7 units checked"


def deep_folder(root: Path, length: int) -> Path:
    """A folder whose path from ``root`` is longer than ``length`` characters (made step by step, as
    no single call may take a path that long)."""
    step = "chapter-" + "x" * 192
    fd = os.open(root, os.O_RDONLY)
    made = root
    try:
        while len(str(made)) <= length:
            os.mkdir(step, dir_fd=fd)
            inner = os.open(step, os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = inner
            made = made / step
        os.close(os.open("rail-strike.txt", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd))
    finally:
        os.close(fd)
    return made


def test_folder_too_deep_to_list_is_a_warning_naming_it(folder: Path, tmp_path: Path, unchanged) -> None:
    (folder / "rail-strike.txt").write_text(RAIL_STRIKE, encoding="utf-8")
    deep = deep_folder(folder, os.pathconf("/", "PC_PATH_MAX"))
    unchanged()
    proc = dedupe(tmp_path, "../in")
    assert proc.returncode == 1
    [warning] = proc.stderr.splitlines()
    assert warning.startswith("dedupe: warning: ../in/chapter-")
    assert warning.endswith(": cannot list folder (File name too long) (skipped)")
    assert len(warning) < 8000  # the folder named, and not the whole deep path each time (only the first)
    assert str(deep.relative_to(folder)).startswith(warning.split("../in/")[1].split(":")[0])
    assert proc.stdout.splitlines()[-1] == "1 finding (1 caption) in 1 file, 7 units checked"


def test_folder_without_permission_is_a_warning_naming_it(folder: Path, tmp_path: Path, unchanged) -> None:
    (folder / "rail-strike.txt").write_text(RAIL_STRIKE, encoding="utf-8")
    (folder / "embargoed").mkdir()
    (folder / "embargoed" / "library-hours.txt").write_text(LIBRARY_HOURS, encoding="utf-8")
    unchanged()
    (folder / "embargoed").chmod(0)
    try:
        if os.access(folder / "embargoed", os.R_OK):
            pytest.skip("running as root (or with CAP_DAC_OVERRIDE): chmod 000 does not stop this user listing "
                        "the folder; test_folder_too_deep_to_list covers a folder that cannot be listed")
        proc = dedupe(tmp_path, "../in")
    finally:
        (folder / "embargoed").chmod(0o755)
    assert proc.returncode == 1
    assert proc.stderr == "dedupe: warning: ../in/embargoed: cannot list folder (Permission denied) (skipped)\n"


def test_folder_named_like_a_file_is_walked_not_read(folder: Path, tmp_path: Path, unchanged) -> None:
    odd = folder / "chapter-1.txt"
    odd.mkdir()
    (odd / "rail-strike.txt").write_text(RAIL_STRIKE, encoding="utf-8")
    unchanged()
    proc = dedupe(tmp_path, odd)
    assert proc.returncode == 1
    assert proc.stdout.splitlines()[0] == CAPTION_LINE.replace("rail-strike.txt", str(odd / "rail-strike.txt"))


def test_file_name_that_is_not_utf8_can_be_reported_to_a_file(folder: Path, tmp_path: Path, unchanged) -> None:
    name = os.fsencode(folder) + b"/caf\xe9-review.txt"
    with open(name, "wb") as fh:
        fh.write(RAIL_STRIKE.encode("utf-8"))
    unchanged()
    proc = dedupe(tmp_path, folder, "-o", "reports/dedupe.txt")
    assert proc.returncode == 1
    assert proc.stderr == ""
    report = (tmp_path / "run" / "reports" / "dedupe.txt").read_bytes()
    assert report.startswith(b'"' + os.fsencode(folder) + b'/caf\\351-review.txt":4:1: caption: ')  # as git shows it
    assert os.listdir(tmp_path / "run" / "reports") == ["dedupe.txt"]


# The installed console script


def installed_dedupe() -> str | None:
    found = shutil.which("dedupe")
    if found:
        return found
    beside = Path(sys.executable).parent / "dedupe"
    return str(beside) if beside.exists() else None


def test_installed_console_script_checks_the_examples(tmp_path: Path) -> None:
    script = installed_dedupe()
    if script is None:
        pytest.skip("no `dedupe` console script on PATH or next to the Python running the tests: "
                    "run `pip install -e .` first")
    examples = Path(__file__).resolve().parent.parent / "examples"
    (tmp_path / "run").mkdir()
    proc = dedupe(tmp_path, examples, "--no-color", command=(script,))
    assert proc.returncode == 1, proc.stderr
    summary = proc.stdout.splitlines()[-1]
    assert summary.startswith(f"{proc.stdout.count(chr(10)) - 1} findings (")
    assert summary.endswith(" units checked")
    assert " in 16 files, " in summary


# Settings at the edge of their range, baselines built to break the parser


@pytest.mark.parametrize(("options", "summary"), [
    # no near pair reaches 1 on either signal; the run the two sentences share is still a repeat
    (("--threshold", "1", "--word-threshold", "1"), "2 findings (1 repeat, 1 caption)"),
    (("--threshold", "1"), "2 findings (1 caption, 1 near)"),  # the restated sentence, by its word set
    (("--word-threshold", "1"), "2 findings (1 caption, 1 near)"),  # the same, by its shingles
], ids=["both", "threshold", "word-threshold"])
def test_a_threshold_of_1_is_in_range_and_runs(folder: Path, tmp_path: Path, unchanged, options: tuple[str, ...],
                                               summary: str) -> None:
    (folder / "flood.txt").write_text(FLOOD_RESTATED, encoding="utf-8")
    (folder / "rail-strike.txt").write_text(RAIL_STRIKE, encoding="utf-8")
    unchanged()
    proc = dedupe(tmp_path, "../in/rail-strike.txt", "../in/flood.txt", *options)
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr == ""
    assert CAPTION_LINE.replace("rail-strike.txt", "../in/rail-strike.txt") in proc.stdout.splitlines()
    assert proc.stdout.splitlines()[-1].startswith(f"{summary} in 2 files, ")


def test_baseline_nested_too_deep_is_the_baseline_error(folder: Path, tmp_path: Path, unchanged) -> None:
    (folder / "rail-strike.txt").write_text(RAIL_STRIKE, encoding="utf-8")
    (tmp_path / "run" / "baseline.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    unchanged()
    proc = dedupe(tmp_path, "../in/rail-strike.txt", "--baseline", "baseline.json")
    one_error_line(proc, "baseline.json: baseline is not valid JSON (nested too deeply)")


# A bug: exit 3, one line naming the input, a traceback only when asked for

CRASH = """\
import sys
from dedupe import cli, segment
real = segment.segment
def segment_or_crash(document, doc):
    if document.path.endswith("crash.txt"):
        raise ZeroDivisionError("division by zero")
    return real(document, doc)
segment.segment = segment_or_crash
sys.argv[0] = "dedupe"
cli.main()
"""


def crash(tmp_path: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """dedupe check with a segmenter that fails on any file named crash.txt: a stand-in for a bug."""
    base = {k: v for k, v in os.environ.items() if k not in ("CI", "DEDUPE_DEBUG")}
    return subprocess.run([sys.executable, "-c", CRASH, "check", "--no-cache", *args], cwd=tmp_path / "run",
                          env={**base, **(env or {})}, capture_output=True, text=True, check=False, timeout=TIMEOUT_S)


HINT = ("this is a bug in dedupe: please report it with the input that caused it "
        "(run again with --debug or DEDUPE_DEBUG=1 for the traceback)")


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_bug_exits_3_with_one_line_naming_the_file_and_a_hint(folder: Path, tmp_path: Path, unchanged,
                                                                 jobs: str) -> None:
    for name in ("a.txt", "crash.txt", "z.txt"):
        (folder / name).write_text(RAIL_STRIKE, encoding="utf-8")
    unchanged()
    proc = crash(tmp_path, "../in", "-j", jobs)
    assert proc.returncode == 3
    assert proc.stdout == ""
    assert proc.stderr == ("dedupe: internal error while reading ../in/crash.txt: ZeroDivisionError: division by "
                           f"zero; {HINT}\n")


@pytest.mark.parametrize("ask", [("--debug",), ()], ids=["--debug", "DEDUPE_DEBUG=1"])
def test_a_bug_shows_its_traceback_when_asked(folder: Path, tmp_path: Path, unchanged, ask: tuple[str, ...]) -> None:
    (folder / "crash.txt").write_text(RAIL_STRIKE, encoding="utf-8")
    unchanged()
    proc = crash(tmp_path, "../in", *ask, env=None if ask else {"DEDUPE_DEBUG": "1"})
    assert proc.returncode == 3
    assert "Traceback (most recent call last)" in proc.stderr
    # where the bug is: its frame, then the error (Python 3.13 prints the frame's source line between)
    assert re.search(r", in segment_or_crash\n(?:    .*\n)*ZeroDivisionError: division by zero\n", proc.stderr)
    assert proc.stderr.endswith(f"dedupe: internal error while reading ../in/crash.txt: ZeroDivisionError: "
                                f"division by zero; {HINT}\n")


def test_a_bug_outside_any_one_file_names_the_inputs(folder: Path, tmp_path: Path, unchanged) -> None:
    (folder / "rail-strike.txt").write_text(RAIL_STRIKE, encoding="utf-8")
    unchanged()
    script = CRASH.replace("segment.segment = segment_or_crash", "from dedupe import group\n"
                           "group.group = lambda *a: 1 / 0")
    base = {k: v for k, v in os.environ.items() if k not in ("CI", "DEDUPE_DEBUG")}
    proc = subprocess.run([sys.executable, "-c", script, "check", "--no-cache", "../in", "-"], input="",
                          cwd=tmp_path / "run", env=base, capture_output=True, text=True, check=False,
                          timeout=TIMEOUT_S)
    assert proc.returncode == 3
    assert proc.stderr.endswith("dedupe: internal error while checking ../in -: ZeroDivisionError: division by "
                                f"zero; {HINT}\n")
    assert "Traceback" not in proc.stderr


def test_a_closed_standard_output_exits_141_quietly(folder: Path, tmp_path: Path, unchanged) -> None:
    """`dedupe check . | head`: the reader went away; no traceback, the shell's code for SIGPIPE."""
    (folder / "rail-strike.txt").write_text(RAIL_STRIKE, encoding="utf-8")
    unchanged()
    proc = subprocess.Popen([sys.executable, "-m", "dedupe", "check", "--no-cache", str(folder)], cwd=tmp_path / "run",
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # before dedupe writes anything
    assert proc.wait(TIMEOUT_S) == 141
    assert proc.stderr.read() == b""
