"""Whole-process benchmark on the BBC corpus: dedupe against the plain datasketch pipeline.

Runs, one after the other and each under GNU time (``/usr/bin/time -v``):
  1. ``dedupe check CORPUS --format json``;
  2. ``bench/baseline_datasketch.py CORPUS --mode bulk`` (MinHash.bulk + MinHashLSH);
  3. with ``--update``, the same baseline feeding MinHash one shingle per call.
It prints wall time, peak memory, sentences per second, the speed-up, and recall: the
share of the baseline's verified pairs that dedupe also reports (a pair counts when
both sentences fall in occurrences of one finding), and how many of the pairs it does
not report are team sheets or fixture lists ("list" units, reported only as exact
repeats inside one article).

    python bench/bbc.py                 # corpus defaults to ../shared/corpora/bbc
    python bench/bbc.py --update        # also the per-shingle baseline (~3x slower)
"""

from __future__ import annotations

import argparse
import bisect
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpora" / "bbc"
GNU_TIME = "/usr/bin/time"


def timed(cmd: list[str]) -> tuple[float, int, str]:
    """Run a command under GNU time -v: (wall seconds, peak RSS in KiB, stderr)."""
    proc = subprocess.run([GNU_TIME, "-v", *cmd], capture_output=True, text=True, cwd=ROOT, check=False)
    if proc.returncode not in (0, 1):
        sys.exit(f"command failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stderr[-2000:]}")
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)", proc.stderr)
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr)
    assert wall and rss, proc.stderr[-2000:]
    seconds = int(wall.group(1) or 0) * 3600 + int(wall.group(2)) * 60 + float(wall.group(3))
    return seconds, int(rss.group(1)), proc.stderr


def missed(pairs: list[list], findings: list[dict]) -> list[list]:
    """The baseline pairs (path, offset, path, offset, jaccard) dedupe does not report."""
    spans: dict[str, list[tuple[int, int, int]]] = {}
    for n, f in enumerate(findings):
        for o in f["occurrences"]:
            spans.setdefault(os.path.abspath(o["path"]), []).append((o["offset"], o["offset"] + o["length"], n))
    for v in spans.values():
        v.sort()

    def groups(path: str, offset: int) -> set[int]:
        v = spans.get(os.path.abspath(path), [])
        i = bisect.bisect_right(v, (offset, float("inf"), 0))
        return {n for s, e, n in v[max(0, i - 64) : i] if s <= offset < e}

    return [p for p in pairs if not groups(p[0], p[1]) & groups(p[2], p[3])]


def with_list_unit(missed: list[list]) -> int:
    """How many missed pairs have a list unit (team sheet, fixtures) on one side: dedupe
    reports those only as an exact repeat inside one article, by design."""
    from dedupe import prepare
    from dedupe.model import Settings

    roles: dict[tuple[str, int], str] = {}
    for path in sorted({p for pair in missed for p in (pair[0], pair[2])}):
        prepared = prepare.prepare_path(path, True, Settings())
        assert not isinstance(prepared, str), prepared
        roles.update({(path, u.span.offset): u.role for u in prepared.units})
    return sum(1 for pa, oa, pb, ob, _ in missed if "list" in (roles.get((pa, oa)), roles.get((pb, ob))))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("corpus", nargs="?", default=str(DEFAULT_CORPUS))
    ap.add_argument("--update", action="store_true", help="also run the per-shingle update baseline")
    args = ap.parse_args()
    if not Path(args.corpus).is_dir():
        sys.exit(f"corpus not found: {args.corpus}")
    if not Path(GNU_TIME).exists():
        sys.exit("GNU time is missing: apt-get install -y time")
    tmp = Path(tempfile.mkdtemp(prefix="dedupe-bench-"))
    dedupe_cmd = [sys.executable, "-m", "dedupe", "check", args.corpus, "--format", "json", "-o",
                  str(tmp / "ours.json"), "--quiet", "--no-cache"]
    rows = []
    wall, rss, _ = timed(dedupe_cmd)
    ours = json.loads((tmp / "ours.json").read_text(encoding="utf-8"))
    units = ours["summary"]["units"]
    rows.append(("dedupe", wall, rss))
    modes = ["bulk"] + (["update"] if args.update else [])
    recall = {}
    for mode in modes:
        out = tmp / f"{mode}.jsonl"
        wall_b, rss_b, _err = timed([sys.executable, "bench/baseline_datasketch.py", args.corpus, "--mode", mode,
                                    "--pairs", str(out)])
        pairs = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
        lost = missed(pairs, ours["findings"])
        recall[mode] = (len(pairs) - len(lost), len(pairs), with_list_unit(lost))
        rows.append((f"datasketch {mode}", wall_b, rss_b))
    print(f"corpus: {args.corpus}: {ours['summary']['files']} files, {units} units checked")
    print(f"{'pipeline':<20} {'wall s':>8} {'peak MiB':>9} {'units/s':>9} {'speed-up':>9}")
    for name, wall_s, rss_k in rows:
        print(f"{name:<20} {wall_s:>8.2f} {rss_k / 1024:>9.0f} {units / wall_s:>9.0f} {wall_s / rows[0][1]:>8.2f}x")
    for mode, (hit, total, lists) in recall.items():
        print(f"dedupe reports {hit} of the {total} pairs the {mode} baseline verified ({hit / max(total, 1):.4f}); "
              f"of the {total - hit} it does not, {lists} have a list unit on one side")
    print(f"dedupe findings by kind: {ours['summary']['by_kind']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
