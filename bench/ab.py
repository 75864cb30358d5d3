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

With ``--edited``, each checkout runs through a cache of its own, as a pre-commit
check after an edit: the corpus is copied (its files dated an hour back, as in a
repository), each cache is filled and read once, and each round appends a new sentence
to one article (the first in path order) before the two run in turns, the order
swapped every round: every run compares one edited article with the last run's cache.

    python bench/ab.py OLD_CHECKOUT NEW_CHECKOUT                      # BBC, --no-cache, 10 rounds
    python bench/ab.py OLD NEW --rounds 15 -- --no-cache -f json DIR  # other arguments
    python bench/ab.py OLD NEW --edited [CORPUS]                      # one edited article, cached
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from gnutime import timed  # bench/gnutime.py: this script's folder is on sys.path

ROOT = Path(__file__).resolve().parent.parent
BBC = ROOT.parent / "shared" / "corpora" / "bbc"
DEFAULT_ARGS = ["--no-cache", "-q", str(BBC)]
SENTENCE = "\nThe minister said on day {} that the figures were a welcome surprise for the economy.\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("checkouts", nargs=2, type=Path, help="two folders, each holding a dedupe package")
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--edited", nargs="?", type=Path, const=BBC, metavar="CORPUS",
                        help="one article edited a round, each checkout through its own cache (default corpus: BBC)")
    parser.epilog = "Arguments after -- are dedupe check's (default: --no-cache -q and BBC)."
    argv = sys.argv[1:]
    cut = argv.index("--") if "--" in argv else len(argv)
    opts = parser.parse_args(argv[:cut])
    for folder in opts.checkouts:
        if not (folder / "dedupe" / "__init__.py").is_file():
            sys.exit(f"{folder}: no dedupe package there")
    args = argv[cut + 1 :] or (["-q"] if opts.edited else DEFAULT_ARGS)
    walls: list[list[float]] = [[], []]
    cpus: list[list[float]] = [[], []]
    peaks: list[list[float]] = [[], []]
    with tempfile.TemporaryDirectory(prefix="dedupe-ab-") as tmp:
        outputs = [Path(tmp) / "a.out", Path(tmp) / "b.out"]
        commands = [[sys.executable, "-m", "dedupe", "check", *args, "-o", str(outputs[n])] for n in range(2)]
        envs = [{**os.environ, "PYTHONPATH": str(folder.resolve())} for folder in opts.checkouts]
        edited = None
        if opts.edited:
            edited, text = _edited_corpus(opts.edited, Path(tmp) / "corpus")
            for n in range(2):
                commands[n] += [str(Path(tmp) / "corpus"), "--cache-dir", str(Path(tmp) / f"cache-{n}")]
                for _ in range(2):  # filled, then read once
                    timed(commands[n], envs[n], Path(tmp))
        for r in range(opts.rounds):
            if edited is not None:
                edited.write_text(text + SENTENCE.format(r), encoding="utf-8")
            for n in ((0, 1) if edited is None or r % 2 == 0 else (1, 0)):
                wall, cpu, peak = timed(commands[n], envs[n], Path(tmp))  # (exit codes but 0 and 1 stop it)
                walls[n].append(wall)
                cpus[n].append(cpu)
                peaks[n].append(peak / 1024)
            if outputs[0].read_bytes() != outputs[1].read_bytes():
                sys.exit("the two checkouts' outputs differ")
    what = f"{' '.join(args)}, one article of {opts.edited} edited a round" if opts.edited else " ".join(args)
    print(f"dedupe check {what}: {opts.rounds} rounds, taking turns")
    for n, folder in enumerate(opts.checkouts):
        print(f"{folder}: wall median {statistics.median(walls[n]):.2f} s ({min(walls[n]):.2f}-{max(walls[n]):.2f}), "
              f"CPU median {statistics.median(cpus[n]):.2f} s, peak {max(peaks[n]):.0f} MB")
    ratios = [b / a for a, b in zip(walls[0], walls[1])]
    print(f"second / first, wall, per round: median {statistics.median(ratios):.3f} "
          f"({min(ratios):.3f}-{max(ratios):.3f})")


def _edited_corpus(source: Path, corpus: Path) -> tuple[Path, str]:
    """A copy of ``source`` dated an hour back (older than the cache's racy window), and
    the article to edit with its text."""
    if not source.is_dir():
        sys.exit(f"{source}: corpus not found")
    shutil.copytree(source, corpus)
    then = time.time() - 3600
    files = sorted(p for p in corpus.rglob("*") if p.is_file())
    for path in files:
        os.utime(path, (then, then))
    edited = next((p for p in files if p.suffix in (".txt", ".md")), None)
    if edited is None:
        sys.exit(f"{source}: no .txt or .md article to edit")
    return edited, edited.read_text(encoding="utf-8")


if __name__ == "__main__":
    main()
