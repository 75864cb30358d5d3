"""Archive index at scale: build once, then check one draft against it, local and Redis.

1. Generates an N-times BBC corpus (``--copies``, default 40: about 89,000 articles)
   under ``--work`` (default /tmp/dedupe-bench-archive), once: copy 0 is the corpus,
   copy c replaces each word with probability ``SUBSTITUTION`` by another word of
   the same article (seeded by copy and path), so copies are near variants of their
   original and seldom exact, as a wire story rewritten by several desks.
2. Builds the index of it, whole process under GNU time (``/usr/bin/time -v``):
   ``python -m dedupe index build CORPUS --index TARGET``; records wall time,
   articles per second, peak memory and the size of the index.
3. Writes one draft of 30 sentences from 30 original articles (every third reworded)
   and checks it 20 times (``--queries``): inside the process (``archive.query`` on
   an open store; wall p50 and p95, CPU p50) and as a whole process
   (``python -m dedupe check DRAFT --against TARGET --no-cache``; wall p50 and p95, CPU
   p50 and peak RSS, and the same check without ``--against``, alternated with it: what
   the archive adds). The package's bytecode is compiled first, as pip does when it
   installs a wheel. Each figure is printed with the load average: on a shared machine
   the wall time is mostly waiting for a core, and the CPU time is what a quiet machine
   would take.

Local by default; ``--redis-copies N`` also builds and queries a Redis index of an
N-times corpus on a redis-server the script starts (Redis keeps the whole index in
memory in datasketch's layout, about 30 KB per distinct sentence: 40 copies would
need more memory than this machine has). The build runs under ``nice -n 10``
(``--nice``), the queries do not. Run the big build once:

    python bench/archive.py --copies 40 --redis-copies 1
    python bench/archive.py --copies 2 --redis-copies 2      # a quick check first
    python bench/archive.py --copies 40 --reuse              # queries again, on the index built before
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpora" / "bbc"
GNU_TIME = "/usr/bin/time"
SUBSTITUTION = 0.12  # chance that a word of a copy is replaced
DRAFT_SENTENCES = 30
_WORD = re.compile(r"[A-Za-z]+")


def generate(corpus: Path, out: Path, copies: int) -> int:
    """The N-times corpus under ``out`` (kept between runs); returns its article count."""
    done = out / ".complete"
    if done.exists() and done.read_text() == str(copies):
        return sum(1 for _ in out.rglob("*.txt"))
    shutil.rmtree(out, ignore_errors=True)
    articles = sorted(p for p in corpus.rglob("*.txt") if p.name != "README.TXT")
    for path in articles:
        text = path.read_text(encoding="utf-8", errors="replace")
        words = _WORD.findall(text) or ["news"]
        rel = path.relative_to(corpus)
        for c in range(copies):
            variant = text if c == 0 else substituted(text, words, random.Random(f"{c}:{rel}"))
            target = out / f"copy{c:02d}" / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(variant, encoding="utf-8")
    done.write_text(str(copies))
    return len(articles) * copies


def substituted(text: str, words: list[str], rng: random.Random) -> str:
    """The text with each word replaced, with probability SUBSTITUTION, by one of ``words``."""
    return _WORD.sub(lambda m: rng.choice(words) if rng.random() < SUBSTITUTION else m.group(0), text)


def draft(corpus: Path, out: Path) -> Path:
    """30 sentences of 30 original articles, one of every three with two words swapped."""
    from dedupe import files, prepare
    from dedupe.model import Settings

    rng = random.Random(7)
    articles = sorted(p for p in corpus.rglob("*.txt") if p.name != "README.TXT")
    sentences = []
    for path in rng.sample(articles, DRAFT_SENTENCES):
        src = files.read_source(str(path), Settings().max_file_bytes)
        units = [u for u in prepare.prepare_text(src.path, src.text, src.format, (), Settings()).units
                 if u.role == "sentence" and len(u.text.split()) >= 12]
        text = rng.choice(units).text
        if len(sentences) % 3 == 2:
            w = text.split()
            i = rng.randrange(1, len(w) - 3)
            w[i], w[i + 2] = w[i + 2], w[i]
            text = " ".join(w)
        sentences.append(text)
    path = out / "draft.txt"
    path.write_text("A draft of the week\n\n" + "\n\n".join(sentences) + "\n", encoding="utf-8")
    return path


def timed(command: list[str], cwd: Path) -> tuple[float, int, str]:
    """Wall seconds, peak RSS (KiB) and stderr of a command under GNU time -v (cpu_seconds
    reads its CPU time from the stderr)."""
    done = subprocess.run([GNU_TIME, "-v", *command], capture_output=True, text=True, cwd=cwd, check=False)
    if done.returncode not in (0, 1):
        sys.exit(f"command failed ({done.returncode}): {' '.join(command)}\n{done.stderr}")
    clock = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)", done.stderr)
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    assert clock and rss, done.stderr
    wall = int(clock.group(1) or 0) * 3600 + int(clock.group(2)) * 60 + float(clock.group(3))
    return wall, int(rss.group(1)), done.stderr


def cpu_seconds(stderr: str) -> float:
    """User plus system CPU seconds, from GNU time -v's report: on a loaded machine the
    wall time is mostly waiting for a core, the CPU time what the run itself costs."""
    user = re.search(r"User time \(seconds\): ([\d.]+)", stderr)
    system = re.search(r"System time \(seconds\): ([\d.]+)", stderr)
    assert user and system, stderr
    return float(user.group(1)) + float(system.group(1))


def compiled() -> None:
    """The package's bytecode written, as pip writes it when it installs the wheel. Under
    PYTHONDONTWRITEBYTECODE (this machine sets it) an editable checkout has none, and every
    process compiled dedupe's modules from source: about 0.06 s of CPU a check."""
    import compileall

    import dedupe

    compileall.compile_dir(str(Path(dedupe.__file__).parent), quiet=1)


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def measure(target: str, corpus: Path, articles: int, draft_path: Path, queries: int, cwd: Path,
            build: bool = True, nice: int = 10) -> None:
    from dedupe import archive, files, prepare
    from dedupe.index import open_store
    from dedupe.model import Settings

    settings = Settings()
    if build:
        wall, rss, _ = timed(["nice", "-n", str(nice), sys.executable, "-m", "dedupe", "index", "build", str(corpus),
                              "--index", target, "-q"], cwd)
        print(f"build: {articles} articles in {wall:.1f} s ({articles / wall:.0f} articles/s), peak RSS "
              f"{rss / 1024:.0f} MB ({rss * 1024 / articles / 1000:.1f} KB per article); {load()}")
    store = open_store(target, settings)
    counts = store.counts()
    print(f"index: {counts['documents']} articles, {counts['units']} units, {counts['keys']} distinct texts, "
          f"{counts['bytes'] / 1e6:.0f} MB")
    src = files.read_source(str(draft_path), settings.max_file_bytes)
    drafts = [prepare.prepare_text(src.path, src.text, src.format, (), settings)]
    inside, inside_cpu = [], []
    t = time.perf_counter()
    found = archive.query(drafts, store, settings)
    first = time.perf_counter() - t
    for _ in range(queries):
        t, c = time.perf_counter(), time.process_time()
        found = archive.query(drafts, store, settings)
        inside.append(time.perf_counter() - t)
        inside_cpu.append(time.process_time() - c)
    store.close()
    print(f"query inside the process ({queries}x): p50 {percentile(inside, 50) * 1000:.0f} ms, p95 "
          f"{percentile(inside, 95) * 1000:.0f} ms, CPU p50 {percentile(inside_cpu, 50) * 1000:.0f} ms (the first, on a "
          f"fresh connection: {first * 1000:.0f} ms); "
          f"{len(found)} of {DRAFT_SENTENCES} sentences found, {sum(len(f.occurrences) - 1 for f in found)} archived "
          f"places; {load()}")
    # the same check with and without --against, alternated, so that both see the same load
    whole: dict[bool, list[float]] = {True: [], False: []}
    cpu: dict[bool, list[float]] = {True: [], False: []}
    peak = 0
    for _ in range(queries):
        for against in (True, False):
            wall, rss, err = timed([sys.executable, "-m", "dedupe", "check", str(draft_path), "--no-cache", "-q", "-o",
                                    os.devnull, *(["--against", target] if against else [])], cwd)
            whole[against].append(wall)
            cpu[against].append(cpu_seconds(err))
            peak = max(peak, rss) if against else peak
    print(f"check as a whole process ({queries}x): wall p50 {percentile(whole[True], 50):.2f} s, p95 "
          f"{percentile(whole[True], 95):.2f} s, fastest {min(whole[True]):.2f} s; CPU p50 "
          f"{percentile(cpu[True], 50):.2f} s; peak RSS {peak / 1024:.0f} MB; the same check without --against: "
          f"wall p50 {percentile(whole[False], 50):.2f} s, p95 {percentile(whole[False], 95):.2f} s, CPU p50 "
          f"{percentile(cpu[False], 50):.2f} s; {load()}")


def load() -> str:
    """The load average, printed with each figure: on a shared machine it explains most of the spread."""
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} (5 min: {five:.1f})"


def redis_server(folder: Path) -> tuple[subprocess.Popen[bytes], str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen(["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--dir", str(folder),
                             "--save", "", "--appendonly", "no"], stdout=subprocess.DEVNULL)
    time.sleep(0.5)
    return proc, f"redis://127.0.0.1:{port}/0"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    ap.add_argument("--copies", type=int, default=40)
    ap.add_argument("--redis-copies", type=int, default=0, help="also a Redis index of this many copies (0: none)")
    ap.add_argument("--queries", type=int, default=20)
    ap.add_argument("--nice", type=int, default=10, help="niceness of the index build (the queries are not niced)")
    ap.add_argument("--reuse", action="store_true", help="query the local index left by an earlier run, if any")
    ap.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "dedupe-bench-archive")
    args = ap.parse_args()
    if not args.corpus.is_dir():
        sys.exit(f"no corpus at {args.corpus}")
    args.work.mkdir(parents=True, exist_ok=True)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT,
                            check=False).stdout
    print(f"dedupe {commit.strip()}, {os.cpu_count()} cores, {load()}")
    compiled()
    draft_path = draft(args.corpus, args.work)
    corpus = args.work / f"bbc{args.copies}x"
    articles = generate(args.corpus, corpus, args.copies)
    index = args.work / f"index{args.copies}x"
    if not args.reuse:
        shutil.rmtree(index, ignore_errors=True)
    print(f"-- local index (SQLite), {args.copies}x BBC")
    measure(str(index), corpus, articles, draft_path, args.queries, args.work,
            build=not (index / "index.sqlite3").exists(), nice=args.nice)
    if args.redis_copies:
        small = args.work / f"bbc{args.redis_copies}x"
        n = generate(args.corpus, small, args.redis_copies)
        folder = Path(tempfile.mkdtemp(prefix="redis-", dir=args.work))
        proc, url = redis_server(folder)
        try:
            print(f"-- Redis index, {args.redis_copies}x BBC")
            measure(url, small, n, draft_path, args.queries, args.work, nice=args.nice)
        finally:
            proc.terminate()
            proc.wait()
            shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
