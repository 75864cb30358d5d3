"""Cold versus warm cache on the BBC corpus, whole process under GNU time.

Each round empties a fresh cache folder, then runs the same command twice under
``/usr/bin/time -v``:

    python -m dedupe check CORPUS --quiet -o OUT --cache-dir DIR

The first run (cold) reads, segments and shingles every article, compares them and
fills the cache; the second (warm) reads and hashes the files, loads their cached
heads and the run's index and verified pairs, and groups again. Both outputs must be
identical. Prints wall time and peak memory per run, the best and median of each
side, and the speed-up of the medians.

    python bench/cache.py                  # corpus defaults to ../shared/corpora/bbc, 5 rounds
    python bench/cache.py --rounds 3 PATH
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpora" / "bbc"
GNU_TIME = "/usr/bin/time"


def timed(command: list[str]) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of a command, from GNU time -v."""
    done = subprocess.run([GNU_TIME, "-v", *command], capture_output=True, text=True, cwd=ROOT, check=False)
    if done.returncode not in (0, 1):
        sys.exit(f"command failed ({done.returncode}): {' '.join(command)}\n{done.stderr}")
    clock = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)", done.stderr)
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    if not clock or not rss:
        sys.exit(f"no GNU time figures in:\n{done.stderr}")
    hours, minutes, seconds = clock.groups()
    return int(hours or 0) * 3600 + int(minutes) * 60 + float(seconds), int(rss.group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="?", default=str(DEFAULT_CORPUS))
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    if not Path(args.corpus).is_dir():
        sys.exit(f"{args.corpus}: corpus not found")
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                            cwd=ROOT, check=False).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", "dedupe"], capture_output=True, text=True,
                           cwd=ROOT, check=False).stdout.strip()
    print(f"commit {commit}{' (with uncommitted changes in dedupe/)' if dirty else ''}, corpus {args.corpus}")
    cold: list[float] = []
    warm: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in range(1, args.rounds + 1):
            cache_dir = Path(tmp) / f"cache{n}"
            outs = []
            for label, times in (("cold", cold), ("warm", warm)):
                out = Path(tmp) / f"{label}{n}.txt"
                command = [sys.executable, "-m", "dedupe", "check", args.corpus, "--quiet",
                           "-o", str(out), "--cache-dir", str(cache_dir)]
                seconds, rss = timed(command)
                times.append(seconds)
                outs.append(out.read_bytes())
                print(f"round {n} {label}: {seconds:6.2f} s wall, {rss / 1024:6.0f} MiB peak")
            if outs[0] != outs[1]:
                sys.exit("warm output differs from cold output")
    print(f"command: {' '.join(command[:4])} CORPUS --quiet -o OUT --cache-dir DIR")
    cold_m, warm_m = statistics.median(cold), statistics.median(warm)
    print(f"cold: best {min(cold):.2f} s, median {cold_m:.2f} s")
    print(f"warm: best {min(warm):.2f} s, median {warm_m:.2f} s")
    print(f"warm is {cold_m / warm_m:.1f}x faster (medians)")


if __name__ == "__main__":
    main()
