"""How a cold run grows with the corpus: BBC and copies of it, 1x to 45x, whole process.

Copy 0 is the corpus itself; copy k (k >= 1) has every article with half its words
replaced, each word by chance (seeded by k and the article's name) with a word drawn
from the corpus's own vocabulary, capitals and punctuation kept. Copies of an article
therefore share about a quarter of their word pairs: they do not all match each other,
while the corpus's own repeats stay in copy 0. A size of N is copies 0 to N-1, given
to one run as N folders:

    /usr/bin/time -v python -m dedupe check COPY0 ... COPY{N-1} --no-cache --quiet -o OUT

Prints per size the articles, megabytes of text, wall and CPU seconds (user + system,
workers included), peak RSS (the largest process; GNU time's "maximum resident set
size") and peak RSS per article, the peak of all the run's processes together (their
Pss summed, sampled every 20 ms: gnutime.timed_tree; the worker that prepares
documents and the child that searches shared runs hold memory beside the main
process) and that per article, then the growth exponent of each: the slope of
log(figure) against log(articles), least squares over the sizes run. Copies are
written once under --workdir and reused. Large sizes are heavy: --nice runs dedupe
under ``nice -n 10`` so that others on the machine keep their share.

    python bench/scale.py                         # sizes 1 2 4 8
    python bench/scale.py --sizes 1 2 4 8 16 40 --nice
"""

from __future__ import annotations

import argparse
import math
import random
import re
import sys
import tempfile
import time
from pathlib import Path

from gnutime import MemoryCgroup, timed_tree  # bench/gnutime.py: this script's folder is on sys.path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dedupe import files
from dedupe.model import Settings

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpora" / "bbc"
DEFAULT_WORKDIR = Path(tempfile.gettempdir()) / "dedupe-scale"
REPLACED = 0.5  # share of words replaced in each copy
_WORD = re.compile(r"[A-Za-z]+")


def vocabulary(texts: list[str]) -> list[str]:
    """The corpus's distinct lower-case words, sorted (a stable list to draw from)."""
    return sorted({w.lower() for t in texts for w in _WORD.findall(t)})


def substituted(text: str, words: list[str], rng: random.Random) -> str:
    """The text with each word replaced, with chance REPLACED, by a word of ``words``;
    a capitalised word's replacement is capitalised."""

    def swap(m: re.Match[str]) -> str:
        if rng.random() >= REPLACED:
            return m.group()
        w = rng.choice(words)
        return w.capitalize() if m.group()[0].isupper() else w

    return _WORD.sub(swap, text)


def articles(corpus: Path) -> list[Path]:
    """The files dedupe reads in the corpus (its default include globs)."""
    return [Path(p) for p in files.discover([str(corpus)], Settings().include, ())]


def copies(corpus: Path, workdir: Path, count: int) -> list[Path]:
    """Folders copy0 (the corpus itself) .. copy{count-1}, written if missing."""
    sources = articles(corpus)
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in sources]
    words = vocabulary(texts)
    out = [corpus]
    for k in range(1, count):
        folder = workdir / f"copy{k}"
        done = folder / ".complete"
        if not done.exists():
            for path, text in zip(sources, texts):
                name = path.relative_to(corpus)
                rng = random.Random(f"{k}/{name.as_posix()}")
                target = folder / name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(substituted(text, words, rng), encoding="utf-8")
            done.write_text("", encoding="utf-8")
        out.append(folder)
    return out


def _bytes(size: str) -> int:
    """Bytes of a size written 2G, 512M or a number (dedupe's own reading of --max-memory)."""
    from dedupe.memory import parse_size

    return parse_size(size)


def exponent(xs: list[float], ys: list[float]) -> float:
    """Least-squares slope of log(y) against log(x)."""
    lx, ly = [math.log(x) for x in xs], [math.log(y) for y in ys]
    mx, my = sum(lx) / len(lx), sum(ly) / len(ly)
    return sum((a - mx) * (b - my) for a, b in zip(lx, ly)) / sum((a - mx) ** 2 for a in lx)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--workdir", type=Path, default=DEFAULT_WORKDIR, help="where the copies are written")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 2, 4, 8], help="copies per run")
    parser.add_argument("--nice", action="store_true", help="run dedupe under nice -n 10")
    parser.add_argument("--dedupe-args", default="", help="more options for dedupe check (e.g. '-j 2')")
    parser.add_argument("--limit", help="run each size in a memory control group of this hard limit (e.g. 1G; "
                                         "needs root): does it finish inside, and what did the group hold at most")
    args = parser.parse_args()
    limit = _bytes(args.limit) if args.limit else 0
    folders = copies(args.corpus, args.workdir, max(args.sizes))
    sources = articles(args.corpus)
    per_copy = len(sources)
    megabytes = sum(p.stat().st_size for p in sources) / 1e6
    print(f"# {args.corpus} ({per_copy} articles, {megabytes:.1f} MB) and copies with {REPLACED:.0%} of words "
          f"replaced; {time.strftime('%Y-%m-%d %H:%M')}, load average {' '.join(Path('/proc/loadavg').read_text().split()[:3])}")
    within = f" within {args.limit} | group peak MB |" if limit else ""
    print(f"\n| copies | articles | MB | wall s | CPU s | peak RSS MB | KB per article | all processes MB | KB per article |{within}")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|" + ("---|---:|" if limit else ""))
    rows = []
    for n in sorted(args.sizes):
        out = args.workdir / f"out-{n}.txt"
        command = [sys.executable, "-m", "dedupe", "check", *map(str, folders[:n]), "--no-cache", "--quiet",
                   "-o", str(out), *args.dedupe_args.split()]
        group = MemoryCgroup(limit) if limit else None
        try:
            wall, cpu, rss, total = timed_tree((group.prefix if group else []) + (["nice", "-n", "10"] if args.nice else [])
                                               + command, may_die=group is not None)
            held = f" {'killed' if group.killed() else 'yes'} | {group.peak() / 2**20:.0f} |" if group else ""
        finally:
            if group:
                group.close()
        count = per_copy * n
        rows.append((count, wall, cpu, rss, total))
        print(f"| {n} | {count:,} | {megabytes * n:.0f} | {wall:.1f} | {cpu:.1f} | {rss / 1024:.0f} | "
              f"{rss / count:.0f} | {total / 1024:.0f} | {total / count:.0f} |{held}", flush=True)
    if len(rows) > 1:
        xs = [float(r[0]) for r in rows]
        print(f"\ngrowth exponent (slope of log figure against log articles): wall "
              f"{exponent(xs, [r[1] for r in rows]):.2f}, CPU {exponent(xs, [r[2] for r in rows]):.2f}, "
              f"peak RSS {exponent(xs, [float(r[3]) for r in rows]):.2f}, all processes "
              f"{exponent(xs, [float(r[4]) for r in rows]):.2f}")


if __name__ == "__main__":
    main()
