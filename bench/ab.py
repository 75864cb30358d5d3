"""Two checkouts of dedupe taking turns on one command, whole process: which is faster.

On a machine whose speed drifts by a fifth from minute to minute, two versions timed an
hour apart cannot be compared; taking turns, run for run, they meet the same minutes.
Each round runs ``python -m dedupe check ARGS`` once from each checkout (PYTHONPATH set
to it, from a neutral folder), under GNU time, and the medians and the spread of wall
time, CPU and peak memory are printed with the median of the per-round wall-time
ratios. The outputs of the two must be the same, byte for byte (it is a speed test of
one behaviour). Where Python writes no bytecode (PYTHONDONTWRITEBYTECODE), compile
each checkout first (``python -m compileall -q CHECKOUT/dedupe``): the figures would
otherwise include compiling.

    python bench/ab.py OLD_CHECKOUT NEW_CHECKOUT                      # BBC, --no-cache, 10 rounds
    python bench/ab.py OLD NEW --rounds 15 -- --no-cache -f json DIR  # other arguments
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

from gnutime import timed  # bench/gnutime.py: this script's folder is on sys.path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_ARGS = ["--no-cache", "-q", str(ROOT.parent / "shared" / "corpora" / "bbc")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("checkouts", nargs=2, type=Path, help="two folders, each holding a dedupe package")
    parser.add_argument("--rounds", type=int, default=10)
    parser.epilog = "Arguments after -- are dedupe check's (default: --no-cache -q and BBC)."
    argv = sys.argv[1:]
    cut = argv.index("--") if "--" in argv else len(argv)
    opts = parser.parse_args(argv[:cut])
    for folder in opts.checkouts:
        if not (folder / "dedupe" / "__init__.py").is_file():
            sys.exit(f"{folder}: no dedupe package there")
    args = argv[cut + 1 :] or DEFAULT_ARGS
    walls: list[list[float]] = [[], []]
    cpus: list[list[float]] = [[], []]
    peaks: list[list[float]] = [[], []]
    with tempfile.TemporaryDirectory(prefix="dedupe-ab-") as tmp:
        outputs = [Path(tmp) / "a.out", Path(tmp) / "b.out"]
        for _ in range(opts.rounds):
            for n, folder in enumerate(opts.checkouts):
                command = [sys.executable, "-m", "dedupe", "check", *args, "-o", str(outputs[n])]
                env = {**os.environ, "PYTHONPATH": str(folder.resolve())}
                wall, cpu, peak = timed(command, env, Path(tmp))  # (exit codes but 0 and 1 stop it)
                walls[n].append(wall)
                cpus[n].append(cpu)
                peaks[n].append(peak / 1024)
            if outputs[0].read_bytes() != outputs[1].read_bytes():
                sys.exit("the two checkouts' outputs differ")
    print(f"dedupe check {' '.join(args)}: {opts.rounds} rounds, taking turns")
    for n, folder in enumerate(opts.checkouts):
        print(f"{folder}: wall median {statistics.median(walls[n]):.2f} s ({min(walls[n]):.2f}-{max(walls[n]):.2f}), "
              f"CPU median {statistics.median(cpus[n]):.2f} s, peak {max(peaks[n]):.0f} MB")
    ratios = [b / a for a, b in zip(walls[0], walls[1])]
    print(f"second / first, wall, per round: median {statistics.median(ratios):.3f} "
          f"({min(ratios):.3f}-{max(ratios):.3f})")


if __name__ == "__main__":
    main()
