"""Where outputs go, through a real process: `python -m dedupe check ... -o/--json/--sarif/--html`.

A regular file (or a path that does not exist yet) is written atomically; a character
device, a FIFO or a standard stream is written straight into; a symlink is followed
and its target written. File names and article text are shown the way git shows them
(control characters and bytes that are not UTF-8 as C escapes) in every format.
Outputs are all written or none: a failure before the first one is written leaves
every earlier output untouched.

Never the real /dev/null or /dev/stdout: as root, the defect this guards against turns
them into regular files. Devices are made with mknod in tmp_path.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from articles import CAPTION, RAIL_STRIKE

TIMEOUT_S = 120  # generous: a hang, not slowness, is what this catches
CAPTION_TAIL = (':4:1: caption: "Commuters queue outside Leeds station on Monday morning (Photo: Jane…" '
                "(also at {}:10:1, similarity 1.00)")


@pytest.fixture
def run_dir(tmp_path: Path) -> Path:
    (tmp_path / "run").mkdir()
    (tmp_path / "run" / "rail-strike.txt").write_text(RAIL_STRIKE, encoding="utf-8")
    return tmp_path / "run"


def dedupe(cwd: Path, *args: str | Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "CI", "GITHUB_ACTIONS", "DEDUPE_DEBUG")}
    proc = subprocess.run([sys.executable, "-m", "dedupe", "check", "--no-cache", *map(str, args)], cwd=cwd,
                          env={**base, **(env or {})}, capture_output=True, text=True, check=False,
                          errors="surrogateescape", timeout=TIMEOUT_S)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


def private_null(folder: Path) -> Path:
    """A character device like /dev/null (major 1, minor 3), made in ``folder``."""
    path = folder / "null"
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except (PermissionError, AttributeError):
        pytest.skip("mknod of a character device needs root (CAP_MKNOD); CI runs as root in its container")
    return path


def assert_still_null(path: Path) -> None:
    st = os.lstat(path)
    assert stat.S_ISCHR(st.st_mode), "the device was replaced by a regular file"
    assert (os.major(st.st_rdev), os.minor(st.st_rdev)) == (1, 3)


@pytest.mark.parametrize("option", ["-o", "--json", "--sarif", "--html"])
def test_a_character_device_output_is_written_into_not_replaced(run_dir: Path, option: str) -> None:
    null = private_null(run_dir)
    proc = dedupe(run_dir, "rail-strike.txt", option, null)
    assert proc.returncode == 1, proc.stderr
    assert_still_null(null)
    assert sorted(os.listdir(run_dir)) == ["null", "rail-strike.txt"]  # no temporary file left beside it


def test_a_symlinked_output_keeps_its_link_and_writes_the_target(run_dir: Path) -> None:
    (run_dir / "reports").mkdir()
    (run_dir / "reports" / "latest.json").write_text("{}\n", encoding="utf-8")
    (run_dir / "out.json").symlink_to("reports/latest.json")
    proc = dedupe(run_dir, "rail-strike.txt", "--json", "out.json")
    assert proc.returncode == 1, proc.stderr
    assert os.readlink(run_dir / "out.json") == "reports/latest.json"
    written = json.loads((run_dir / "reports" / "latest.json").read_text(encoding="utf-8"))
    assert [o["line"] for o in written["findings"][0]["occurrences"]] == [4, 10]
    assert os.listdir(run_dir / "reports") == ["latest.json"]


def test_a_dangling_symlink_output_creates_its_target(run_dir: Path) -> None:
    (run_dir / "reports").mkdir()
    (run_dir / "report.sarif").symlink_to("reports/2026-11-30.sarif")
    proc = dedupe(run_dir, "rail-strike.txt", "--sarif", "report.sarif")
    assert proc.returncode == 1, proc.stderr
    assert (run_dir / "report.sarif").is_symlink()
    assert json.loads((run_dir / "reports" / "2026-11-30.sarif").read_text(encoding="utf-8"))["version"] == "2.1.0"


def test_a_fifo_output_is_written_into_for_the_reader_at_the_other_end(run_dir: Path) -> None:
    fifo = run_dir / "results.json"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    proc = dedupe(run_dir, "rail-strike.txt", "--json", fifo)
    reader.join(TIMEOUT_S)
    assert proc.returncode == 1, proc.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert json.loads(received[0])["summary"]["findings"] == 1


def test_a_link_to_standard_output_writes_to_the_pipe(run_dir: Path) -> None:
    (run_dir / "stdout").symlink_to("/proc/self/fd/1")  # a private name: the real /dev/stdout is never at risk
    proc = dedupe(run_dir, "rail-strike.txt", "--format", "json", "--sarif", "stdout", "-o", "report.json")
    assert proc.returncode == 1, proc.stderr
    assert json.loads(proc.stdout)["version"] == "2.1.0"
    assert os.readlink(run_dir / "stdout") == "/proc/self/fd/1"


@pytest.mark.parametrize("name", ["/dev/fd/1", "/dev/stdout"])
def test_dev_stdout_and_dev_fd_write_to_standard_output(run_dir: Path, name: str) -> None:
    if name == "/dev/stdout" and os.geteuid() == 0:
        pytest.skip("as root, a regression would replace this machine's /dev/stdout; /dev/fd/1 and the private "
                    "link cover the same code (a regression there fails without damage)")
    proc = dedupe(run_dir, "rail-strike.txt", "--format", "json", "-o", "report.json", "--sarif", name)
    assert proc.returncode == 1, proc.stderr
    assert json.loads(proc.stdout)["version"] == "2.1.0"


# All outputs or none


def test_an_output_that_cannot_be_written_leaves_the_others_unwritten(run_dir: Path) -> None:
    (run_dir / "old.json").write_text('{"earlier": true}\n', encoding="utf-8")
    (run_dir / "not-a-folder").write_text("a file where a folder is expected\n", encoding="utf-8")
    proc = dedupe(run_dir, "rail-strike.txt", "-o", "report.txt", "--json", "old.json",
                  "--sarif", "not-a-folder/dedupe.sarif")
    assert proc.returncode == 2
    assert proc.stderr == ("dedupe: error: not-a-folder/dedupe.sarif: cannot write (Not a directory); "
                           "no output was written\n")
    assert proc.stdout == ""
    assert (run_dir / "old.json").read_text(encoding="utf-8") == '{"earlier": true}\n'
    assert sorted(os.listdir(run_dir)) == ["not-a-folder", "old.json", "rail-strike.txt"]


# File names that are not UTF-8, control characters


@pytest.fixture
def odd_names(run_dir: Path) -> tuple[Path, str, str]:
    """A folder with an article whose name is not UTF-8 and one whose name holds an escape sequence."""
    news = run_dir / "news"
    news.mkdir()
    latin1 = os.fsencode(news) + b"/caf\xe9-review.txt"
    with open(latin1, "wb") as fh:
        fh.write(RAIL_STRIKE.encode("utf-8"))
    (news / "title\x1b]0;pwned\x07.txt").write_text(RAIL_STRIKE.replace(CAPTION, "A different caption line, "
                                                    "printed twice (Photo: Jo Bloggs)"), encoding="utf-8")
    return news, '"news/caf\\351-review.txt"', '"news/title\\033]0;pwned\\a.txt"'


def test_a_name_that_is_not_utf8_is_quoted_like_git_in_every_format(run_dir: Path, odd_names) -> None:
    _, latin1, _ = odd_names
    proc = dedupe(run_dir, "news", "--format", "text", "--json", "r.json", "--sarif", "r.sarif",
                  "--html", "r.html", "--scope", "article")
    assert proc.returncode == 1, proc.stderr
    assert proc.stdout.splitlines()[0] == latin1 + CAPTION_TAIL.format(latin1)
    for name in ("r.json", "r.sarif", "r.html"):
        (run_dir / name).read_bytes().decode("utf-8")  # valid UTF-8 throughout: no raw byte 0xE9
    report = json.loads((run_dir / "r.json").read_text(encoding="utf-8"))
    assert report["findings"][0]["occurrences"][0]["path"] == latin1
    sarif = json.loads((run_dir / "r.sarif").read_text(encoding="utf-8"))
    location = sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location == {"uri": "news/caf%E9-review.txt", "uriBaseId": "%SRCROOT%"}  # a URI percent-encodes bytes
    assert latin1.replace("\\", "\\\\") in sarif["runs"][0]["results"][0]["message"]["text"]
    assert "caf\\351-review.txt" in (run_dir / "r.html").read_text(encoding="utf-8")


def test_control_characters_in_names_and_text_never_reach_the_terminal(run_dir: Path, odd_names) -> None:
    news, _, escaped = odd_names
    hostile = "The mayor said \x1b[2J\x1b]0;pwned\x07the road would reopen on Friday morning."
    (news / "roadworks.txt").write_text(f"{hostile}\n\n{hostile}\n", encoding="utf-8")
    (news / "empty\x1b[2J.txt").write_bytes(b"")
    for fmt in ("text", "github"):
        proc = dedupe(run_dir, "news", "--format", fmt, "--scope", "article", "--color")
        assert proc.returncode == 1, proc.stderr
        shown = proc.stdout + proc.stderr
        assert "\x07" not in shown and "\x1b]" not in shown and "\x1b[2J" not in shown
        assert "\x1b[" in proc.stdout or fmt == "github"  # dedupe's own colours are kept
        assert escaped.strip('"') in proc.stdout
        assert "The mayor said \\033[2J\\033]0;pwned\\athe road would" in proc.stdout
        assert proc.stderr == 'dedupe: warning: "news/empty\\033[2J.txt": file is empty (skipped)\n'
