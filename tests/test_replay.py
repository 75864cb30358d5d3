"""Replay (dedupe/replay.py): a check run again on unchanged files writes again what it
wrote, from one file, and anything it came from that changed sends it the usual way.

Most tests record in process (click's CliRunner, with the racy window at zero so that
files written by the test count as settled) and replay with ``replay.attempt``; one runs
the console entry point twice in a subprocess, as a user does.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from articles import CAPTION, COUNCIL_BUDGET, RAIL_STRIKE, SCHOOL_MEALS
from click.testing import CliRunner, Result

from dedupe import config, replay
from dedupe.cli import cli
from dedupe.model import Settings


@pytest.fixture(autouse=True)
def in_empty_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for name in ("NO_COLOR", "CI", "GITHUB_ACTIONS", replay.OFF, "GIT_DIR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(replay, "RACY_S", 0.0)
    monkeypatch.setattr(replay, "CURRENT", None)
    monkeypatch.setattr(replay, "DECLINED", None)
    (tmp_path / "news").mkdir()
    (tmp_path / "news" / "rail-strike.txt").write_text(RAIL_STRIKE, encoding="utf-8")
    (tmp_path / "news" / "council-budget.txt").write_text(COUNCIL_BUDGET, encoding="utf-8")
    (tmp_path / "news" / "school-meals.txt").write_bytes(SCHOOL_MEALS.encode() + b"\nA stray byte \xff here.\n")
    return tmp_path


def record(monkeypatch: pytest.MonkeyPatch, *args: str) -> Result:
    """The command run as the entry point runs it (replay.ARGV set), in process."""
    monkeypatch.setattr(replay, "ARGV", list(args))
    return CliRunner().invoke(cli, list(args), prog_name="dedupe")


def replayed(*args: str, env: dict[str, str] | None = None) -> tuple[int | None, str, str]:
    """replay.attempt's status, stdout and stderr, with streams like CliRunner's."""
    out, err = (io.TextIOWrapper(io.BytesIO(), encoding="utf-8", newline="") for _ in range(2))
    status = replay.attempt(list(args), dict(os.environ) if env is None else env, out, err)
    out.flush()
    err.flush()
    return status, out.buffer.getvalue().decode(), err.buffer.getvalue().decode()  # type: ignore[attr-defined]


ARGS = ("check", "news")
RACY_S = replay.RACY_S  # the module's own, before the fixture sets it to zero


def test_the_same_check_on_unchanged_files_writes_again_what_it_wrote(monkeypatch: pytest.MonkeyPatch) -> None:
    run = record(monkeypatch, *ARGS, "--sarif", "out/dedupe.sarif")
    assert run.exit_code == 1, run.output
    assert "invalid UTF-8" in run.stderr and run.stdout.count("\n") > 1
    sarif = Path("out/dedupe.sarif").read_bytes()
    Path("out/dedupe.sarif").unlink()
    assert replayed(*ARGS, "--sarif", "out/dedupe.sarif") == (1, run.stdout, run.stderr)
    assert Path("out/dedupe.sarif").read_bytes() == sarif


def test_a_clean_check_replays_its_exit_status_0(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    (tmp_path / "one").mkdir()
    (tmp_path / "one" / "a.txt").write_text("The library opens at nine on weekdays.\n", encoding="utf-8")
    run = record(monkeypatch, "check", "one", "-q")
    assert run.exit_code == 0, run.output
    assert replayed("check", "one", "-q") == (0, run.stdout, "")


@pytest.mark.parametrize("change", ["edit", "touch", "add", "delete", "config", "baseline", "code"])
def test_anything_the_check_came_from_that_changed_sends_it_the_usual_way(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path, change: str) -> None:
    args = (*ARGS, "--baseline", "base.json")
    assert record(monkeypatch, "baseline", "news", "-o", "base.json").exit_code == 0
    status = record(monkeypatch, *args).exit_code  # 0: the baseline holds every finding
    assert replayed(*args)[0] == status == 0
    article = tmp_path / "news" / "rail-strike.txt"
    if change == "edit":
        article.write_text(RAIL_STRIKE.replace("Monday", "Friday"), encoding="utf-8")  # the same size
    elif change == "touch":
        os.utime(article)  # a new modification time, the same text: still read again
    elif change == "add":
        (tmp_path / "news" / "deeper").mkdir()
        (tmp_path / "news" / "deeper" / "new.md").write_text(f"{CAPTION}\n", encoding="utf-8")
    elif change == "delete":
        (tmp_path / "news" / "council-budget.txt").unlink()
    elif change == "config":
        Path(".dedupe.toml").write_text("threshold = 0.9\n", encoding="utf-8")
    elif change == "baseline":
        Path("base.json").write_text('{"version": 1, "findings": [] }\n', encoding="utf-8")
    else:
        monkeypatch.setattr(replay, "_code", lambda: (("cli.py", 1, 1),))
    assert replayed(*args) == (None, "", "")


def test_a_file_the_walk_does_not_take_changes_nothing(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    run = record(monkeypatch, *ARGS)
    (tmp_path / "news" / "notes.pdf").write_bytes(b"%PDF")  # not an article: the globs leave it out
    (tmp_path / "news" / ".hidden.txt").write_text(CAPTION, encoding="utf-8")
    assert replayed(*ARGS) == (1, run.stdout, run.stderr)


def test_another_command_or_terminal_is_not_replayed(monkeypatch: pytest.MonkeyPatch) -> None:
    record(monkeypatch, *ARGS)
    assert replayed(*ARGS, "-q")[0] is None
    assert replayed("check", "./news")[0] is None
    assert replayed(*ARGS, env={**os.environ, "NO_COLOR": "1"})[0] is None
    assert replayed(*ARGS, env={**os.environ, replay.OFF: "1"})[0] is None
    assert replayed(*ARGS)[0] == 1


@pytest.mark.parametrize("args", [
    ("check", "news", "--no-cache"),
    ("check", "news", "--format", "html", "-o", "report.html"),
    ("check", "news", "--html", "report.html"),
    ("check", "news", "--config", "cache-dir.toml"),  # a cache folder the command line does not name
])
def test_checks_that_cannot_be_replayed_record_nothing(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                       args: tuple[str, ...]) -> None:
    Path("cache-dir.toml").write_text('cache-dir = "other-cache"\n', encoding="utf-8")
    assert record(monkeypatch, *args).exit_code == 1
    assert not list(tmp_path.glob(f"*/{replay.FOLDER}"))
    assert replayed(*args)[0] is None


def test_in_a_git_work_tree_a_new_head_commit_sends_the_check_the_usual_way(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """git dates the places of files in a work tree, and its answers follow HEAD."""
    def git(*args: str) -> None:
        subprocess.run(["git", "-c", "user.name=Ed", "-c", "user.email=ed@example.org", *args], cwd=tmp_path,
                       check=True, capture_output=True)

    git("init", "-q")
    git("add", "news")
    git("commit", "-qm", "news")
    run = record(monkeypatch, *ARGS, "-f", "json")
    assert '"date_source": "git"' in run.stdout
    assert replayed(*ARGS, "-f", "json") == (1, run.stdout, run.stderr)
    git("commit", "-q", "--allow-empty", "-m", "nothing new")
    assert replayed(*ARGS, "-f", "json")[0] is None
    monkeypatch.setenv("GIT_DIR", str(tmp_path / ".git"))
    assert record(monkeypatch, *ARGS, "-o", "git-dir.txt").exit_code == 1
    assert replayed(*ARGS, "-o", "git-dir.txt")[0] is None


def test_files_written_within_the_racy_window_are_not_recorded(monkeypatch: pytest.MonkeyPatch,
                                                               tmp_path: Path) -> None:
    monkeypatch.setattr(replay, "RACY_S", 3600.0)
    assert record(monkeypatch, *ARGS).exit_code == 1
    assert not (tmp_path / ".dedupe-cache" / replay.FOLDER).exists()


def test_the_racy_window_is_counted_from_the_walk_not_from_the_end_of_the_run(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A file written just before the walk is racy however long the run then takes: it
    could be written again within one tick of a coarse clock after the run read it."""
    monkeypatch.setattr(replay, "RACY_S", RACY_S)
    (tmp_path / "news" / "rail-strike.txt").write_text(RAIL_STRIKE + "\nNew.\n", encoding="utf-8")
    taken = replay.Recording(["check", "news"], ".dedupe-cache", ["news"], Settings().include, Settings().exclude, [])
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() + 10 * RACY_S)  # a run that took long
    assert not taken.settled()
    monkeypatch.setattr(replay, "RACY_S", 0.0)
    assert taken.settled()


def test_a_run_with_warnings_about_its_own_means_is_not_recorded(monkeypatch: pytest.MonkeyPatch,
                                                                 tmp_path: Path) -> None:
    run = record(monkeypatch, *ARGS, "--max-memory", "1M")
    assert run.exit_code == 1 and "memory" in run.stderr
    assert not (tmp_path / ".dedupe-cache" / replay.FOLDER).exists()


def test_a_damaged_entry_is_not_replayed(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    record(monkeypatch, *ARGS)
    (entry,) = (tmp_path / ".dedupe-cache" / replay.FOLDER).iterdir()
    entry.write_bytes(entry.read_bytes()[:100])
    assert replayed(*ARGS)[0] is None
    entry.write_bytes(b"\x00garbage")
    assert replayed(*ARGS)[0] is None


def test_the_entries_used_last_are_kept(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for n in range(replay.MAX_KEPT + 2):
        record(monkeypatch, *ARGS, "-o", f"out{n}.txt")
        os.utime(next(iter(sorted((tmp_path / ".dedupe-cache" / replay.FOLDER).iterdir(),
                                  key=lambda p: p.stat().st_mtime_ns, reverse=True))), ns=(n, 10**9 * (n + 1)))
    assert len(list((tmp_path / ".dedupe-cache" / replay.FOLDER).iterdir())) == replay.MAX_KEPT
    assert replayed(*ARGS, "-o", "out0.txt")[0] is None
    assert replayed(*ARGS, "-o", f"out{replay.MAX_KEPT + 1}.txt")[0] == 1


def test_the_cache_folder_is_read_from_the_command_line_as_click_reads_it() -> None:
    assert replay.cache_folder(["news"]) == replay.DEFAULT_CACHE_DIR == Settings().cache_dir
    assert replay.cache_folder(["--cache-dir", "a", "news", "--cache-dir=b"]) == "b"
    assert replay.cache_folder(["news", "--no-cache"]) is None
    assert replay.cache_folder(["--", "news"]) is None
    assert replay.cache_folder(["news", "--cache-dir"]) is None
    assert replay.CONFIG_NAMES == config.CONFIG_NAMES


def test_the_console_entry_point_replays_without_importing_the_command_line(tmp_path: Path) -> None:
    time.sleep(RACY_S + 0.1)  # the articles as old as a repository's files
    command = [sys.executable, "-X", "importtime", "-m", "dedupe", "check", "news", "-o", "out.txt"]
    env = {k: v for k, v in os.environ.items() if k not in (replay.OFF, "NO_COLOR")}
    first = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, env=env, timeout=120, check=False)
    text = Path("out.txt").read_text(encoding="utf-8")
    second = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, env=env, timeout=120, check=False)
    assert (first.returncode, second.returncode) == (1, 1)
    assert "dedupe.cli" in first.stderr and "dedupe.cli" not in second.stderr
    assert Path("out.txt").read_text(encoding="utf-8") == text
    said = [line for line in second.stderr.splitlines() if not line.startswith("import time:")]
    assert said == [line for line in first.stderr.splitlines() if not line.startswith("import time:")]
    (tmp_path / "news" / "council-budget.txt").unlink()
    third = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, env=env, timeout=120, check=False)
    fresh = subprocess.run([sys.executable, "-m", "dedupe", "check", "news", "--no-cache"], cwd=tmp_path,
                           capture_output=True, text=True, env=env, timeout=120, check=False)
    assert "dedupe.cli" in third.stderr
    assert Path("out.txt").read_text(encoding="utf-8") == fresh.stdout != text


def test_a_replay_writes_no_file_the_command_does_not_name(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """An entry is a file in the cache folder: one rewritten to name another output, or
    to say control characters, cannot make the check write elsewhere or drive a terminal."""
    import marshal

    record(monkeypatch, *ARGS, "--json", "out.json")
    (entry,) = (tmp_path / ".dedupe-cache" / replay.FOLDER).iterdir()
    stored = marshal.loads(entry.read_bytes())
    entry.write_bytes(marshal.dumps(stored[:7] + (("\x1b]0;title\x07",),) + stored[8:]))
    assert replayed(*ARGS, "--json", "out.json")[2] == "\\033]0;title\\a\n"
    entry.write_bytes(marshal.dumps(stored[:6] + ((("elsewhere.txt", "planted"), *stored[6]),) + stored[7:]))
    assert replayed(*ARGS, "--json", "out.json")[0] is None
    assert not (tmp_path / "elsewhere.txt").exists()


def test_the_outputs_a_command_names_are_read_as_click_reads_them() -> None:
    assert replay.named_outputs(["news", "-o", "a", "--json=b", "--sarif", "c", "-od", "--output", "e"]) == {
        "a", "b", "c", "d", "e"}
    assert replay.named_outputs(["news", "-q", "--json"]) == set()


def counted_walks(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """A list that gets the paths of every walk made from now on."""
    from dedupe import walk

    walked: list[object] = []
    real = walk.discover

    def counted(*args: object, **kwargs: object) -> list[str]:
        walked.append(args[0])
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(walk, "discover", counted)
    return walked


def test_a_recorded_check_walks_its_folders_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The record's stamps and the run's reading come from one walk."""
    walked = counted_walks(monkeypatch)
    assert record(monkeypatch, *ARGS).exit_code == 1
    assert len(walked) == 1
    assert replayed(*ARGS)[0] == 1


def test_a_check_the_replay_declined_records_by_the_replays_walk(monkeypatch: pytest.MonkeyPatch,
                                                                 tmp_path: Path) -> None:
    """An edited file: the replay walks and declines, and the check then run records and
    reads by that walk instead of walking the same folders again; the record is sound
    (the next replay writes what that check wrote)."""
    assert record(monkeypatch, *ARGS).exit_code == 1
    (tmp_path / "news" / "rail-strike.txt").write_text(RAIL_STRIKE + "\nA sentence added at the end.\n",
                                                       encoding="utf-8")
    walked = counted_walks(monkeypatch)
    assert replayed(*ARGS) == (None, "", "")
    assert len(walked) == 1
    again = record(monkeypatch, *ARGS)
    assert len(walked) == 1  # the check took the replay's walk
    assert replay.DECLINED is None  # taken once
    assert replayed(*ARGS) == (again.exit_code, again.stdout, again.stderr)
    assert len(walked) == 2
    os.utime(tmp_path / "news" / "rail-strike.txt")  # declined again, then a check with other globs
    assert replayed(*ARGS)[0] is None
    assert len(walked) == 3
    assert record(monkeypatch, "check", "news", "--exclude", "school-*").exit_code in (0, 1)
    assert len(walked) == 4  # walked afresh: the declined walk was of other globs
