"""Cold, warm and one-edited-file runs through the cache on the BBC corpus, whole
process under GNU time.

The corpus is copied to a temporary folder (files older than the cache's racy window,
walk.RACY_S, as in a real repository). Each round empties a fresh cache folder,
then runs the same command under ``/usr/bin/time -v``:

    python -m dedupe check CORPUS --quiet -o OUT --cache-dir DIR

- cold: reads, segments and shingles every article, compares them, fills the cache;
- warm: the same command again, nothing changed: replayed (dedupe/replay.py), its
  outputs written again from one file once the walk finds every file as it was.
  The article the last round edited was restored more than RACY_S before: a file
  written within RACY_S of a run is left out of its manifest and its replay record,
  and the next run reads and stores it again;
- other: another command on the unchanged files (``--format json``): no replay, the
  findings come from the cache's manifest and the result it links to (one query);
- edited: the first command after one sentence was appended to one article (EDITED),
  which is then restored.

Warm output must equal cold output, and (checked in the first round) the edited run's
output must equal a ``--no-cache`` run's on the edited corpus. Prints wall time, CPU
and peak memory per run, the best and median of each case, the speed-up of the warm
median over the cold one, and the load average before and after.

    python bench/cache.py                  # corpus defaults to ../shared/corpora/bbc, 5 rounds
    python bench/cache.py --rounds 3 PATH
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

from gnutime import revision, timed  # bench/gnutime.py: this script's folder is on sys.path

from dedupe.walk import RACY_S  # files stamped more recently are read again, and not recorded

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpora" / "bbc"
EDITED = "business/001.txt"  # the article the edited case appends a sentence to
SENTENCE = "\nThe chancellor said the figures were a welcome surprise for the whole economy.\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="?", default=str(DEFAULT_CORPUS))
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    if not Path(args.corpus).is_dir():
        sys.exit(f"{args.corpus}: corpus not found")
    print(f"{revision()}, corpus {args.corpus}")
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    cases = ("cold", "warm", "other", "edited")
    walls: dict[str, list[float]] = {c: [] for c in cases}
    cpus: dict[str, list[float]] = {c: [] for c in cases}
    peaks: dict[str, list[int]] = {c: [] for c in cases}
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus"
        shutil.copytree(args.corpus, corpus)
        edited = corpus / EDITED
        if not edited.is_file():
            sys.exit(f"{edited}: the article the edited case changes is not in the corpus")
        original = edited.read_bytes()
        time.sleep(RACY_S + 0.5)  # the copies are as old as a repository's files are
        for n in range(1, args.rounds + 1):
            cache_dir = Path(tmp) / f"cache{n}"
            outs = {}
            for case in cases:
                if case == "edited":
                    edited.write_bytes(original + SENTENCE.encode())
                out = Path(tmp) / ("other.json" if case == "other" else "out.txt")
                command = [sys.executable, "-m", "dedupe", "check", str(corpus), "--quiet",
                           "-o", str(out), "--cache-dir", str(cache_dir)] + (["--format", "json"] * (case == "other"))
                wall, cpu, rss = timed(command)
                walls[case].append(wall)
                cpus[case].append(cpu)
                peaks[case].append(rss)
                outs[case] = out.read_bytes()
                print(f"round {n} {case:6}: {wall:6.2f} s wall, {cpu:6.2f} s CPU, {rss / 1024:6.0f} MiB peak")
                if case == "edited" and n == 1:
                    fresh = Path(tmp) / "fresh.txt"
                    timed([sys.executable, "-m", "dedupe", "check", str(corpus), "--quiet", "-o", str(fresh),
                           "--no-cache"])
                    if fresh.read_bytes() != outs[case]:
                        sys.exit("the edited run's output differs from a --no-cache run's")
                if case == "edited":
                    edited.write_bytes(original)
                    if n < args.rounds:  # restored more than RACY_S ago, as the copies were
                        time.sleep(RACY_S + 0.5)
            if outs["cold"] != outs["warm"]:
                sys.exit("warm output differs from cold output")
    print(f"command: {' '.join(command[:4])} CORPUS --quiet -o OUT --cache-dir DIR (other: --format json)")
    for case in cases:
        print(f"{case}: wall best {min(walls[case]):.2f} s, median {statistics.median(walls[case]):.2f} s; "
              f"CPU median {statistics.median(cpus[case]):.2f} s; peak {max(peaks[case]) / 1024:.0f} MiB")
    print(f"warm is {statistics.median(walls['cold']) / statistics.median(walls['warm']):.1f}x faster (medians)")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
