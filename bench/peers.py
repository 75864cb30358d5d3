"""dedupe next to the tools a user would pick instead: speed on BBC, then quality on planted BBC.

Speed (one table, all in the same run): each tool runs ``--rounds`` times (default 5)
on the plain corpus (``--speed-corpus``, default ../shared/corpora/bbc), the tools
taking turns within each round so that the machine's load falls on all alike, each
run a whole process under GNU time:

- dedupe cold: ``dedupe check DIR --no-cache -q -o OUT`` (the text a terminal or a
  pre-commit hook shows);
- dedupe warm: the same command with the cache on (``--cache-dir``), run once before
  the rounds: every timed run is the same command again on unchanged files, which
  dedupe replays (dedupe/replay.py);
- the bulk datasketch pipeline: ``bench/baseline_datasketch.py DIR --mode bulk``;
- sim_text and jscpd, with the options below, when installed.

It prints the median wall time, the fastest and slowest, the median CPU time (user +
system, child processes included), peak RSS, and each tool's median wall time divided
by dedupe cold's (a datasketch figure of 7 means dedupe cold is 7 times faster).
``--speed-only`` stops there.

Quality: the corpus is bench/quality.py's (same seed, same 3,000 planted cases), written to a
temporary folder; each tool runs on it as a whole process under GNU time, and its
output is converted to pairs of regions (file, start, end in characters):

- dedupe: ``dedupe check DIR -f json`` (occurrence offsets);
- sim_text (Debian package ``similarity-tester``, a word-run matcher): ``sim_text -r 8
  -n``, line ranges;
- jscpd 5.3 (npm, copy/paste detector): ``--min-lines 0 --min-tokens 10 -f txt -r
  json``, character positions;
- the datasketch pipeline a developer writes first (bench/baseline_datasketch.py,
  ``--mode bulk``): sentence pairs by offset.

A planted case is found when one reported pair has a region on the original and a
region on its copy (for every tool alike, so a whole line or a long run counts).
A reported pair that finds no case is "not planted"; those between the known
duplicate articles (word 5-gram Jaccard >= 0.5) are counted apart. Nothing is
installed: a missing tool is named with the command that installs it, and skipped.

    python bench/peers.py
    python bench/peers.py --jscpd /tmp/peers/jscpd/node_modules/.bin/jscpd
    python bench/peers.py --speed-only --rounds 5
"""

from __future__ import annotations

import argparse
import bisect
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import quality

ROOT = quality.ROOT
GNU_TIME = "/usr/bin/time"
Region = tuple[str, int, int]  # article name, start, end (characters)

INSTALL = {
    "sim_text": "apt-get install -y similarity-tester",
    "jscpd": "npm install -g jscpd@5.3   (or: npm install --prefix DIR jscpd@5.3, then --jscpd DIR/node_modules/.bin/jscpd)",
    "time": "apt-get install -y time",
}
GROUPS = ("exact", "case/punct", "1-word", "2-word", "3-word", "swap", "reword", "caption", "paragraph")


@dataclass
class Run:
    tool: str
    findings: list[list[Region]]  # each a group of two or more regions the tool says repeat
    seconds: float
    peak_mb: float
    note: str = ""


def timed(cmd: list[str], cwd: Path) -> tuple[float, float, subprocess.CompletedProcess]:
    """Run under GNU time -v: (wall seconds, peak RSS in MB, the process)."""
    seconds, _, peak, proc = timed_cpu(cmd, cwd)
    return seconds, peak, proc


def timed_cpu(cmd: list[str], cwd: Path) -> tuple[float, float, float, subprocess.CompletedProcess]:
    """Run under GNU time -v: (wall seconds, CPU seconds, peak RSS in MB, the process)."""
    proc = subprocess.run([GNU_TIME, "-v", *cmd], capture_output=True, text=True, cwd=cwd, check=False)
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)", proc.stderr)
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr)
    user = re.search(r"User time \(seconds\): ([\d.]+)", proc.stderr)
    system = re.search(r"System time \(seconds\): ([\d.]+)", proc.stderr)
    if not wall or not rss or not user or not system:
        sys.exit(f"no timing from GNU time for {' '.join(cmd)}:\n{proc.stderr[-2000:]}")
    seconds = int(wall.group(1) or 0) * 3600 + int(wall.group(2)) * 60 + float(wall.group(3))
    return seconds, float(user.group(1)) + float(system.group(1)), int(rss.group(1)) / 1024, proc


@dataclass
class Timed:
    tool: str
    command: list[str]
    cwd: Path
    walls: list[float]
    cpus: list[float]
    peaks: list[float]


def speed_tools(folder: Path, tmp: Path, args: argparse.Namespace) -> list[Timed]:
    """The commands to time on ``folder``; tools not installed are named and left out."""
    out = tmp / "out"
    tools = [Timed("dedupe cold", [sys.executable, "-m", "dedupe", "check", str(folder), "--no-cache", "-q",
                                   "-o", str(out)], ROOT, [], [], []),
             Timed("dedupe warm", [sys.executable, "-m", "dedupe", "check", str(folder), "--cache-dir",
                                   str(tmp / "cache"), "-q", "-o", str(out)], ROOT, [], [], []),
             Timed("datasketch bulk pipeline", [sys.executable, str(ROOT / "bench" / "baseline_datasketch.py"),
                                                str(folder), "--mode", "bulk"], ROOT, [], [], [])]
    if shutil.which("sim_text"):
        listing = tmp / "sim_files.txt"
        listing.write_text("\n".join(sorted(str(p.relative_to(folder)) for p in folder.rglob("*.txt"))) + "\n",
                           encoding="utf-8")
        script = f"sim_text -r {args.run_length} -n -T -i -o {tmp / 'sim.txt'} < {listing}"
        tools.append(Timed(f"sim_text -r {args.run_length}", ["sh", "-c", script], folder, [], [], []))
    else:
        print(f"sim_text not found, skipped: {INSTALL['sim_text']}", file=sys.stderr)
    exe = shutil.which(args.jscpd)
    if exe:
        tools.append(Timed(f"jscpd --min-tokens {args.min_tokens}", [exe, "--min-lines", "0", "--min-tokens",
                           str(args.min_tokens), "-f", "txt", "-r", "json", "-o", str(tmp / "jscpd"), "--no-gitignore",
                           "--max-size", "10mb", str(folder)], tmp, [], [], []))
    else:
        print(f"jscpd not found ({args.jscpd}), skipped: {INSTALL['jscpd']}", file=sys.stderr)
    return tools


def speed(folder: Path, args: argparse.Namespace) -> None:
    """Every tool ``args.rounds`` times on ``folder``, taking turns; the table of medians."""
    with tempfile.TemporaryDirectory(prefix="dedupe-speed-") as name:
        tmp = Path(name)
        tools = speed_tools(folder, tmp, args)
        timed_cpu(tools[1].command, ROOT)  # fills the warm run's cache
        for _ in range(args.rounds):
            for tool in tools:
                wall, cpu, peak, proc = timed_cpu(tool.command, tool.cwd)
                if proc.returncode not in (0, 1):
                    sys.exit(f"{tool.tool} failed ({proc.returncode}): {proc.stderr[-2000:]}")
                tool.walls.append(wall)
                tool.cpus.append(cpu)
                tool.peaks.append(peak)
    cold = statistics.median(tools[0].walls)
    load = " ".join(Path("/proc/loadavg").read_text().split()[:3]) if Path("/proc/loadavg").exists() else "?"
    print(f"# speed on {folder} ({sum(1 for _ in folder.rglob('*.txt'))} files), medians of {args.rounds} runs, "
          f"{os.cpu_count()} cores, load average after: {load}; {time.strftime('%Y-%m-%d %H:%M')}\n")
    print("| tool | wall s (median) | fastest-slowest | CPU s (median) | peak MB | wall time / dedupe cold's |")
    print("|---|---:|---:|---:|---:|---:|")
    for tool in tools:
        wall = statistics.median(tool.walls)
        print(f"| {tool.tool} | {wall:.2f} | {min(tool.walls):.2f}-{max(tool.walls):.2f} | "
              f"{statistics.median(tool.cpus):.2f} | {max(tool.peaks):.0f} | {wall / cold:.2f}x |")
    print()


class Lines:
    """Line number -> character offset, per article of the planted corpus."""

    def __init__(self, texts: dict[str, str]) -> None:
        self.starts = {n: [0] + [m.end() for m in re.finditer("\n", t)] for n, t in texts.items()}
        self.texts = texts

    def span(self, name: str, first: int, last: int) -> tuple[int, int]:
        """Characters of 1-based lines first..last."""
        starts = self.starts[name]
        end = starts[last] if last < len(starts) else len(self.texts[name])
        return starts[first - 1], end


def run_dedupe(folder: Path, names: Callable[[str], str]) -> Run:
    out = folder.parent / "dedupe.json"
    seconds, peak, proc = timed([sys.executable, "-m", "dedupe", "check", str(folder), "-f", "json", "-o", str(out),
                                 "--no-cache", "-q"], ROOT)
    if proc.returncode not in (0, 1):
        sys.exit(f"dedupe failed: {proc.stderr[-2000:]}")
    findings = [[(names(o["path"]), o["offset"], o["offset"] + o["length"]) for o in f["occurrences"]]
                for f in json.loads(out.read_text(encoding="utf-8"))["findings"]]
    return Run("dedupe", findings, seconds, peak)


def run_sim_text(folder: Path, names: Callable[[str], str], lines: Lines, run_length: int) -> Run | None:
    if not shutil.which("sim_text"):
        print(f"sim_text not found: {INSTALL['sim_text']}", file=sys.stderr)
        return None
    files = sorted(str(p.relative_to(folder)) for p in folder.rglob("*.txt"))
    listing = folder.parent / "sim_files.txt"
    listing.write_text("\n".join(files) + "\n", encoding="utf-8")
    out = folder.parent / "sim.txt"
    seconds, peak, proc = timed(["sh", "-c", f"sim_text -r {run_length} -n -T -i -o {out} < {listing}"], folder)
    if proc.returncode != 0:
        sys.exit(f"sim_text failed: {proc.stderr[-2000:]}")
    row = re.compile(r"^(\S+): line (\d+)-(\d+)\s*\|(\S+): line (\d+)-(\d+)\s*\[\d+\]")
    pairs = []
    for line in out.read_text(encoding="utf-8", errors="replace").splitlines():
        m = row.match(line)
        if m:
            a, b = names(m.group(1)), names(m.group(4))
            pairs.append([(a, *lines.span(a, int(m.group(2)), int(m.group(3)))),
                          (b, *lines.span(b, int(m.group(5)), int(m.group(6))))])
    return Run(f"sim_text -r {run_length}", pairs, seconds, peak)


def run_jscpd(folder: Path, names: Callable[[str], str], jscpd: str, min_tokens: int) -> Run | None:
    exe = shutil.which(jscpd)
    if not exe:
        print(f"jscpd not found ({jscpd}): {INSTALL['jscpd']}", file=sys.stderr)
        return None
    version = subprocess.run([exe, "--version"], capture_output=True, text=True, check=False).stdout.strip()
    report = folder.parent / "jscpd"
    seconds, peak, proc = timed([exe, "--min-lines", "0", "--min-tokens", str(min_tokens), "-f", "txt", "-r", "json",
                                 "-o", str(report), "--no-gitignore", "--max-size", "10mb", str(folder)], folder.parent)
    if proc.returncode not in (0, 1):
        sys.exit(f"jscpd failed: {proc.stderr[-2000:]}")
    pairs = []
    for d in json.loads((report / "jscpd-report.json").read_text(encoding="utf-8"))["duplicates"]:
        ends = []
        for side in (d["firstFile"], d["secondFile"]):
            ends.append((names(side["name"]), side["startLoc"]["position"], side["endLoc"]["position"]))
        pairs.append(ends)
    return Run(f"jscpd --min-tokens {min_tokens}", pairs, seconds, peak, version)


def run_datasketch(folder: Path, names: Callable[[str], str]) -> Run:
    out = folder.parent / "baseline.jsonl"
    seconds, peak, proc = timed([sys.executable, str(ROOT / "bench" / "baseline_datasketch.py"), str(folder),
                                 "--mode", "bulk", "--pairs", str(out)], ROOT)
    if proc.returncode != 0:
        sys.exit(f"baseline failed: {proc.stderr[-2000:]}")
    pairs = []
    for line in out.read_text(encoding="utf-8").splitlines():
        pa, oa, pb, ob, _ = json.loads(line)
        pairs.append([(names(pa), oa, oa + 1), (names(pb), ob, ob + 1)])
    return Run("datasketch MinHashLSH", pairs, seconds, peak)


@dataclass
class Scored:
    recall: dict[str, float]
    found: int  # planted cases found
    unplanted: list[list[Region]]  # findings that find no planted case, outside duplicate articles
    duplicate: int  # findings inside the known duplicate articles


def score(plan: quality.Plan, run: Run) -> Scored:
    """Cases found, and the findings that find none (outside the known duplicate articles)."""
    marks: dict[str, list[tuple[int, int, int, str]]] = defaultdict(list)
    for n, c in enumerate(plan.cases):
        marks[c.src].append((*c.src_new, n, "src"))
        marks[c.host].append((*c.copy_new, n, "copy"))
    for v in marks.values():
        v.sort()

    def tags(region: Region) -> set[tuple[int, str]]:
        name, s, e = region
        items = marks.get(name, [])
        i = bisect.bisect_left(items, (e,))
        return {(n, side) for a, b, n, side in items[max(0, i - 400) : i] if a < e and s < b}

    found: set[int] = set()
    unplanted: list[list[Region]] = []
    duplicate = 0
    for finding in run.findings:
        hit: set[int] = set()
        regions = [(r, tags(r)) for r in finding]
        for i, (a, ta) in enumerate(regions):
            for b, tb in regions[i + 1 :]:
                hit |= {n for n, s in ta if (n, "copy" if s == "src" else "src") in tb}
        if hit:
            found |= hit
        elif len({r[0] for r in finding}) == 2 and tuple(sorted({r[0] for r in finding})) in plan.duplicates:
            duplicate += 1
        else:
            unplanted.append(finding)
    recall = {}
    for group in GROUPS:
        members = quality.GROUPS.get(group, (group,))
        ids = [n for n, c in enumerate(plan.cases) if c.edit in members]
        recall[group] = sum(n in found for n in ids) / len(ids)
    return Scored(recall, len(found), unplanted, duplicate)


def print_sample(run: Run, scored: Scored, texts: dict[str, str], n: int, seed: int) -> None:
    """A seeded sample of a tool's unplanted findings, two regions each, for labelling."""
    rng = __import__("random").Random(seed)
    print(f"\n### {run.tool}: {n} of {len(scored.unplanted)} findings that are not planted\n")
    for k, finding in enumerate(rng.sample(scored.unplanted, min(n, len(scored.unplanted))), 1):
        (a, sa, ea), (b, sb, eb) = finding[:2]
        print(f"{k}. {a}:{sa}-{ea} ~ {b}:{sb}-{eb} ({len(finding)} regions)")
        print(f"   A: {texts[a][sa:max(ea, sa + 160)][:300]!r}")  # a one-character region is a sentence start
        print(f"   B: {texts[b][sb:max(eb, sb + 160)][:300]!r}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", type=Path, default=quality.DEFAULT_CORPUS)
    ap.add_argument("--per-type", type=int, default=quality.PER_TYPE)
    ap.add_argument("--seed", type=int, default=quality.SEED)
    ap.add_argument("--jscpd", default="jscpd", help="jscpd executable (default: jscpd on PATH)")
    ap.add_argument("--min-tokens", type=int, default=10, help="jscpd --min-tokens")
    ap.add_argument("--run-length", type=int, default=8, help="sim_text -r")
    ap.add_argument("--sample", type=int, default=20, help="unplanted findings printed per tool for labelling")
    ap.add_argument("--speed-corpus", type=Path, default=quality.DEFAULT_CORPUS, help="corpus the speed table is on")
    ap.add_argument("--rounds", type=int, default=5, help="runs of each tool for the speed table (0: none)")
    ap.add_argument("--speed-only", action="store_true", help="the speed table only, no quality table")
    args = ap.parse_args()
    if not shutil.which(GNU_TIME):
        print(f"GNU time not found: {INSTALL['time']}", file=sys.stderr)
        return 2
    if args.rounds:
        speed(args.speed_corpus, args)
    if args.speed_only:
        return 0
    texts = quality.load_corpus(args.corpus)
    plan = quality.plan(texts, args.per_type, args.seed)
    lines = Lines(plan.texts)
    with tempfile.TemporaryDirectory(prefix="dedupe-peers-") as tmp:
        folder = Path(tmp) / "corpus"
        for name, text in plan.texts.items():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_text(text, encoding="utf-8")
        base = folder.resolve()

        def names(path: str) -> str:
            p = Path(path)
            return (p.resolve() if p.is_absolute() else (base / p).resolve()).relative_to(base).as_posix()

        runs = [run_dedupe(folder, names), run_sim_text(folder, names, lines, args.run_length),
                run_jscpd(folder, names, args.jscpd, args.min_tokens), run_datasketch(folder, names)]
    print(f"# {len(plan.cases)} planted cases in {len(plan.texts)} articles ({args.corpus.name}, seed {args.seed}); "
          f"{time.strftime('%Y-%m-%d')}\n")
    print("| tool | " + " | ".join(GROUPS) + " | cases found | findings | not planted | in duplicate articles "
          "| wall s | peak MB |")
    print("|---|" + "---:|" * (len(GROUPS) + 6))
    scores = []
    for run in runs:
        if run is None:
            continue
        sc = score(plan, run)
        scores.append((run, sc))
        cells = " | ".join(f"{sc.recall[g]:.2f}" for g in GROUPS)
        print(f"| {run.tool} | {cells} | {sc.found} | {len(run.findings)} | {len(sc.unplanted)} | {sc.duplicate} | "
              f"{run.seconds:.1f} | {run.peak_mb:.0f} |")
    for run in runs:
        if run is not None and run.note:
            print(f"\n{run.tool}: {run.note}")
    if args.sample:
        for run, sc in scores:
            print_sample(run, sc, plan.texts, args.sample, args.seed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
