"""The same whole-process check at two or more commits, in alternating rounds.

Issue 12 asks that BBC's whole-process time be no worse than before a change, measured
in the same run. Each revision is checked out into a temporary git worktree (its
``dedupe`` package compiled once), and every round runs

    python -m dedupe check CORPUS --no-cache --format json -o OUT [--config CFG]

under ``/usr/bin/time -v`` once per revision (with ``--phrases off`` and ``on``, once per
side: the issue-13 comparison at each commit), in an order that alternates from round to
round so that load from other processes falls on every side alike. Prints each run, then
the medians with their ranges, CPU beside wall, each revision's change against the
first, and with both sides each revision's phrase-stage growth. The Python environment
is this one (the dependencies of the revisions must match).

    python bench/revisions.py d153db9 HEAD                    # ../shared/corpora/bbc, 9 rounds
    python bench/revisions.py 1715047 HEAD --phrases off on --rounds 6
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from gnutime import ROOT, revision, timed  # bench/gnutime.py: this script's folder is on sys.path

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpora" / "bbc"


def checkout(rev: str, into: Path) -> Path:
    """A detached worktree of ``rev`` at ``into``, its package compiled (the environment
    may forbid writing bytecode, which would put compiling into every timed run)."""
    subprocess.run(["git", "worktree", "add", "--detach", "-q", str(into), rev], cwd=ROOT, check=True)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(into / "dedupe")], check=True)
    return into


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("revisions", nargs="+", help="commits to compare, the first as the reference")
    parser.add_argument("--corpus", default=str(DEFAULT_CORPUS))
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--phrases", nargs="+", choices=("on", "off"), default=["on"],
                        help="the phrase stage's setting(s) to run each revision with (default: on, the defaults)")
    args = parser.parse_args()
    if not Path(args.corpus).is_dir():
        sys.exit(f"{args.corpus}: corpus not found")
    print(f"{revision()}; corpus {args.corpus}; {args.rounds} rounds", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        trees: dict[str, Path] = {}
        try:
            for n, rev in enumerate(args.revisions):
                trees[rev] = checkout(rev, Path(tmp) / f"rev{n}")
            configs = {side: Path(tmp) / f"{side}.toml" for side in args.phrases}
            for side, path in configs.items():
                path.write_text(f"phrases = {'true' if side == 'on' else 'false'}\n", encoding="utf-8")
            runs = [(rev, side) for rev in args.revisions for side in args.phrases]
            wall: dict[tuple[str, str], list[float]] = {r: [] for r in runs}
            cpu: dict[tuple[str, str], list[float]] = {r: [] for r in runs}
            for n in range(args.rounds):
                for rev, side in runs if n % 2 == 0 else runs[::-1]:
                    command = [sys.executable, "-m", "dedupe", "check", str(Path(args.corpus).resolve()), "--no-cache",
                               "--format", "json",
                               "-o", str(Path(tmp) / "out.json"), "--config", str(configs[side])]
                    # run from the worktree: ``python -m`` puts the working folder first on sys.path
                    env = {**os.environ, "PYTHONPATH": str(trees[rev])}
                    w, c, _ = timed(command, env, cwd=trees[rev])
                    wall[(rev, side)].append(w)
                    cpu[(rev, side)].append(c)
                    print(f"round {n + 1} {rev} phrases {side}: wall {w:.2f} s, cpu {c:.2f} s, "
                          f"load average {os.getloadavg()[0]:.2f}", flush=True)
        finally:
            for tree in trees.values():
                subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT, check=False)
    print("| revision | phrases | wall s (median, range) | CPU s (median, range) | wall change | CPU change |")
    print("|---|---|---:|---:|---:|---:|")
    for rev, side in runs:
        w, c = wall[(rev, side)], cpu[(rev, side)]
        ref = (args.revisions[0], side)
        dw = statistics.median(w) / statistics.median(wall[ref]) - 1
        dc = statistics.median(c) / statistics.median(cpu[ref]) - 1
        print(f"| {rev} | {side} | {statistics.median(w):.3f} ({min(w):.2f}-{max(w):.2f}) | "
              f"{statistics.median(c):.3f} ({min(c):.2f}-{max(c):.2f}) | {dw:+.1%} | {dc:+.1%} |")
    if len(args.phrases) == 2:
        for rev in args.revisions:
            on, off = statistics.median(wall[(rev, "on")]), statistics.median(wall[(rev, "off")])
            print(f"{rev}: phrases on against off, wall medians {on / off - 1:+.1%}")


if __name__ == "__main__":
    main()
