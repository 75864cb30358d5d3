"""Whole-process figures of one command, from GNU time, and the commit they were taken
at: what every bench script quotes."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

GNU_TIME = "/usr/bin/time"
ROOT = Path(__file__).resolve().parent.parent


def timed(command: list[str], env: dict[str, str] | None = None, cwd: Path = ROOT) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds (user + system) and peak RSS (KiB) of a command run
    from the project root (or ``cwd``, in ``env``, else this environment); exit codes 0
    and 1 (findings) are a run, anything else stops."""
    done = subprocess.run([GNU_TIME, "-v", *command], capture_output=True, text=True, cwd=cwd, check=False, env=env)
    if done.returncode not in (0, 1):
        sys.exit(f"command failed ({done.returncode}): {' '.join(command[:8])} ...\n{done.stderr[-3000:]}")
    clock = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)", done.stderr)
    user = re.search(r"User time \(seconds\): ([\d.]+)", done.stderr)
    system = re.search(r"System time \(seconds\): ([\d.]+)", done.stderr)
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    if not (clock and user and system and rss):
        sys.exit(f"no GNU time figures in:\n{done.stderr[-3000:]}")
    hours, minutes, seconds = clock.groups()
    wall = int(hours or 0) * 3600 + int(minutes) * 60 + float(seconds)
    return wall, float(user.group(1)) + float(system.group(1)), int(rss.group(1))


def revision() -> str:
    """The commit the figures are taken at, marked when dedupe/ has uncommitted changes."""
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                            cwd=ROOT, check=False).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", "dedupe"], capture_output=True, text=True,
                           cwd=ROOT, check=False).stdout.strip()
    return f"commit {commit}{' (with uncommitted changes in dedupe/)' if dirty else ''}"
