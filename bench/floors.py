"""What a cold and an edited run cannot go below today: whole processes cut after a
stage, next to the full runs, in turns.

Issue 16 asks for a cold BBC run of 1.0 s and one edited article in 0.3 s. This
script times, whole process under GNU time, in turns each round (medians):

- start: the interpreter and the modules a cold run imports, nothing run;
- prepared: a cold run's first stage alone, on every core as the run does it
  (walk, read, segment, words and their hashes: ``prepare.prepare_all`` with the
  default settings), then exit: what any cold run spends before comparing;
- cold: ``python -m dedupe check CORPUS --no-cache -q -o OUT``;
- regrouped: the same command through a cache whose comparison is stored, with a new
  allow list each round (``--config``): the index, the near pairs and the shared runs
  come from the cache's snapshot, and only grouping, phrases and the output run
  again. That is what an edited run would still take if its comparison cost
  nothing, for as long as grouping and phrases run over every article;
- edited: the same command after a new sentence was appended to one article (the
  first the check reads, in path order; the corpus is copied, its files dated back).

The outputs of cold and edited are checked against a ``--no-cache`` run of the same
files in the first round.

    python bench/floors.py                    # BBC, 5 rounds
    python bench/floors.py --rounds 3 DIR...  # other folders, one run over them all
    python bench/floors.py DIR... --rounds 1 --cases prepared cold  # some cases only
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

from dedupe import walk
from dedupe.model import Settings

ROOT = Path(__file__).resolve().parent.parent
BBC = ROOT.parent / "shared" / "corpora" / "bbc"
CASES = ("start", "prepared", "cold", "regrouped", "edited")
IMPORTS = "import dedupe.cli, dedupe.pipeline, dedupe.prepare, dedupe.compare, dedupe.group, dedupe.phrases"
# A cold run's first stage as pipeline._check runs it: every file found, in path order.
PREPARE = """
import sys
from dedupe import prepare, walk
from dedupe.model import Settings
s = Settings(cache=False)
found = walk.Walk(sys.argv[1:], s.include, s.exclude, stamped=False).found
out = prepare.prepare_all([(p, False, d, None) for d, p in enumerate(sorted(found))], s, None)
print(sum(not isinstance(p, str) for p in out), "documents", file=sys.stderr)
"""
SENTENCE = "\nThe minister said on day {} that the figures were a welcome surprise for the economy.\n"
BACK_S = 3600  # the copies are dated this far back, as a repository's files are


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="*", type=Path, default=[BBC])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--cases", nargs="+", choices=CASES, default=list(CASES), help="the cases to time (default: all)")
    args = parser.parse_args()
    for folder in args.corpus:
        if not folder.is_dir():
            sys.exit(f"{folder}: corpus not found")
    named = ", ".join(map(str, args.corpus[:3])) + (f" and {len(args.corpus) - 3} more folders" if len(args.corpus) > 3 else "")
    print(f"{revision()}, {named}; {os.cpu_count()} cores")
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    cases = [c for c in CASES if c in args.cases]
    walls: dict[str, list[float]] = {c: [] for c in cases}
    cpus: dict[str, list[float]] = {c: [] for c in cases}
    env = dict(os.environ, DEDUPE_NO_REPLAY="1")  # every check here runs; none is replayed
    with tempfile.TemporaryDirectory(prefix="dedupe-floors-") as tmp:
        work = Path(tmp)
        cached = bool({"regrouped", "edited"} & set(cases))  # the cases that need a copy (one is edited)
        corpus = [work / f"corpus{i}" for i in range(len(args.corpus))] if cached else list(args.corpus)
        if cached:
            for src, dst in zip(args.corpus, corpus):
                shutil.copytree(src, dst)
            back = time.time() - BACK_S
            for p in (p for folder in corpus for p in folder.rglob("*") if p.is_file()):
                os.utime(p, (back, back))
        settings = Settings()
        found = walk.Walk(list(map(str, corpus)), settings.include, settings.exclude, stamped=False).found
        if not found:
            sys.exit(f"no article to check in {', '.join(map(str, args.corpus))}")
        edited = Path(min(found))  # the first article a check reads
        original = edited.read_bytes()
        cache, out, config, empty = work / "cache", work / "out.txt", work / "allow.toml", work / "empty.toml"
        check = [sys.executable, "-m", "dedupe", "check", *map(str, corpus), "-q", "-o", str(out)]
        empty.write_text("")
        if cached:
            timed([*check, "--cache-dir", str(cache), "--config", str(empty)], env)  # fills the cache
        for n in range(1, args.rounds + 1):
            for case in cases:
                if case == "start":
                    command = [sys.executable, "-c", IMPORTS]
                elif case == "prepared":
                    command = [sys.executable, "-c", PREPARE, *map(str, corpus)]
                elif case == "cold":
                    command = [*check, "--no-cache", "--config", str(empty)]
                else:
                    # a new allow list each round: the findings are grouped again, the comparison is not made again
                    config.write_text(f'allow = ["floors bench round {n} {case}"]\n')
                    command = [*check, "--cache-dir", str(cache), "--config", str(config)]
                    if case == "edited":
                        edited.write_bytes(original + SENTENCE.format(n).encode())
                wall, cpu, _ = timed(command, env)
                walls[case].append(wall)
                cpus[case].append(cpu)
                print(f"round {n} {case:9}: {wall:6.2f} s wall, {cpu:6.2f} s CPU")
                if n == 1 and case in ("cold", "edited"):
                    _same_as_uncached(check, out, work, env, empty if case == "cold" else config)
            if cached:
                edited.write_bytes(original)
                os.utime(edited, (back, back))
    print("cases: start = python -c 'import ...'; prepared = walk + prepare.prepare_all (every core); "
          "cold = check --no-cache; regrouped = check, comparison from the cache, new allow list; "
          "edited = check after one article changed")
    for case in cases:
        print(f"{case}: wall median {statistics.median(walls[case]):.2f} s "
              f"({min(walls[case]):.2f}-{max(walls[case]):.2f}), CPU median {statistics.median(cpus[case]):.2f} s")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


def _same_as_uncached(check: list[str], out: Path, work: Path, env: dict[str, str], config: Path) -> None:
    """The run just made wrote what a --no-cache run of the same files and config writes."""
    fresh = work / "fresh.txt"
    command = [*check[:-1], str(fresh), "--no-cache", "--config", str(config)]
    timed(command, env)
    if fresh.read_bytes() != out.read_bytes():
        sys.exit("a run's output differs from a --no-cache run's")


if __name__ == "__main__":
    main()
