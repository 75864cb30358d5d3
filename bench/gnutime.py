"""Whole-process figures of one command, from GNU time, and the commit they were taken
at: what every bench script quotes."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

GNU_TIME = "/usr/bin/time"
ROOT = Path(__file__).resolve().parent.parent


def timed(command: list[str], env: dict[str, str] | None = None, cwd: Path = ROOT) -> tuple[float, float, int]:
    """Wall seconds, CPU seconds (user + system) and peak RSS (KiB) of a command run
    from the project root (or ``cwd``, in ``env``, else this environment); exit codes 0
    and 1 (findings) are a run, anything else stops."""
    wall, cpu, rss, _ = timed_tree(command, env, cwd, sample=False)
    return wall, cpu, rss


def timed_tree(command: list[str], env: dict[str, str] | None = None, cwd: Path = ROOT,
               sample: bool = True, may_die: bool = False) -> tuple[float, float, int, int]:
    """``timed``'s figures and the peak of the memory the command's processes hold
    together (KiB; 0 unless ``sample``). GNU time's peak RSS is that of the largest
    process alone: a run whose worker or forked child holds memory beside the main
    process needs more than it says. Sampled every SAMPLE_S as the sum of each
    process's proportional set size (Linux's Pss: a page shared by n processes counts
    1/n in each, so pages a forked child still shares with its parent count once).
    ``may_die``: a command killed by a signal (the OOM killer) gives figures too."""
    process = subprocess.Popen([GNU_TIME, "-v", *command], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True, cwd=cwd, env=env)
    peak = [0]
    sampler = threading.Thread(target=_sample_tree, args=(process, peak), daemon=True) if sample else None
    if sampler:
        sampler.start()
    _, stderr = process.communicate()
    if sampler:
        sampler.join()
    done = subprocess.CompletedProcess(process.args, process.returncode, "", stderr)
    if done.returncode not in (0, 1) and not (may_die and "Command terminated by signal" in stderr):
        sys.exit(f"command failed ({done.returncode}): {' '.join(command[:8])} ...\n{done.stderr[-3000:]}")
    clock = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)", done.stderr)
    user = re.search(r"User time \(seconds\): ([\d.]+)", done.stderr)
    system = re.search(r"System time \(seconds\): ([\d.]+)", done.stderr)
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    if not (clock and user and system and rss):
        sys.exit(f"no GNU time figures in:\n{done.stderr[-3000:]}")
    hours, minutes, seconds = clock.groups()
    wall = int(hours or 0) * 3600 + int(minutes) * 60 + float(seconds)
    return wall, float(user.group(1)) + float(system.group(1)), int(rss.group(1)), peak[0]


SAMPLE_S = 0.02


def _sample_tree(process: subprocess.Popen[str], peak: list[int]) -> None:
    """Until ``process`` ends: the largest sum of Pss over it and its descendants, in ``peak``."""
    while process.poll() is None:
        peak[0] = max(peak[0], sum(_pss(pid) for pid in _tree(process.pid)))
        time.sleep(SAMPLE_S)


def _tree(root: int) -> list[int]:
    """``root`` and its descendants now (parents read from /proc/PID/stat)."""
    children: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat") as f:
                    parent = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(parent, []).append(int(name))
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        out.append(pid)
        todo.extend(children.get(pid, ()))
    return out


def _pss(pid: int) -> int:
    """A process's proportional set size in KiB (0 once it has gone)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def revision() -> str:
    """The commit the figures are taken at, marked when dedupe/ has uncommitted changes."""
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                            cwd=ROOT, check=False).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", "dedupe"], capture_output=True, text=True,
                           cwd=ROOT, check=False).stdout.strip()
    return f"commit {commit}{' (with uncommitted changes in dedupe/)' if dirty else ''}"


class MemoryCgroup:
    """A fresh memory control group with a hard limit, for one command at a time: the
    command runs under ``prefix`` (it joins the group, then execs), the kernel kills
    it if all its processes together pass ``limit`` bytes, and ``peak`` is what the
    group held at most (its page cache included). cgroup v1 (/sys/fs/cgroup/memory)
    or v2 (/sys/fs/cgroup with the memory controller); needs root."""

    def __init__(self, limit: int, name: str = "dedupe-bench") -> None:
        v1 = Path("/sys/fs/cgroup/memory")
        self.v1 = v1.is_dir() and (v1 / "memory.limit_in_bytes").exists()
        self.path = (v1 if self.v1 else Path("/sys/fs/cgroup")) / f"{name}-{os.getpid()}"
        self.path.mkdir()
        (self.path / ("memory.limit_in_bytes" if self.v1 else "memory.max")).write_text(str(limit))
        if not self.v1:
            (self.path / "memory.swap.max").write_text("0")
        self.prefix = ["sh", "-c", f'echo $$ > {self.path}/cgroup.procs && exec "$@"', "sh"]

    def peak(self) -> int:
        """Bytes the group held at most since it was made."""
        return int((self.path / ("memory.max_usage_in_bytes" if self.v1 else "memory.peak")).read_text())

    def killed(self) -> bool:
        """True when the kernel killed a process of the group for passing the limit."""
        text = (self.path / ("memory.oom_control" if self.v1 else "memory.events")).read_text()
        return any(line.startswith("oom_kill ") and int(line.split()[1]) > 0 for line in text.splitlines())

    def close(self) -> None:
        """Removes the group once the command's processes have left it: a child whose
        parent the kernel killed may still be on its way out (then it is killed)."""
        for attempt in range(50):
            left = [int(pid) for pid in (self.path / "cgroup.procs").read_text().split()]
            if not left:
                break
            if attempt == 40:
                for pid in left:
                    with contextlib.suppress(OSError):
                        os.kill(pid, signal.SIGKILL)
            time.sleep(0.1)
        self.path.rmdir()
