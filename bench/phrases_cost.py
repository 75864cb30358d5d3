"""What shared runs and echoes cost: the whole BBC check with them and without them.

Issue 13 allows the whole-process time to grow by at most 15%. Each round runs the
same command twice under ``/usr/bin/time -v``, once with the phrase checks on (the
defaults) and once with ``phrases = false`` in a config file, which skips the run
search (runs.py), the common-word table and phrases.py:

    python -m dedupe check CORPUS --no-cache --format json -o OUT --config CFG

The order alternates from round to round so that load from other processes falls on
both sides alike. The run without phrases must report no echo; the run with them must
report the same sentence-level findings plus the phrase ones. Prints wall and CPU
(user + sys) seconds per run with the load average after it, the medians, and the
growth of the medians.

    python bench/phrases_cost.py                  # ../shared/corpora/bbc, 5 rounds
    python bench/phrases_cost.py --rounds 3 PATH
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
from pathlib import Path

from gnutime import revision, timed  # bench/gnutime.py: this script's folder is on sys.path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpora" / "bbc"
SIDES = ("off", "on")


def kinds(path: Path) -> dict[str, int]:
    """Findings per kind in a JSON report."""
    counts: dict[str, int] = {}
    for f in json.loads(path.read_text(encoding="utf-8"))["findings"]:
        counts[f["kind"]] = counts.get(f["kind"], 0) + 1
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="?", default=str(DEFAULT_CORPUS))
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    if not Path(args.corpus).is_dir():
        sys.exit(f"{args.corpus}: corpus not found")
    print(f"{revision()}, corpus {args.corpus}")
    wall: dict[str, list[float]] = {s: [] for s in SIDES}
    cpu: dict[str, list[float]] = {s: [] for s in SIDES}
    with tempfile.TemporaryDirectory() as tmp:
        out = {s: Path(tmp) / f"{s}.json" for s in SIDES}
        config = {s: Path(tmp) / f"{s}.toml" for s in SIDES}
        for side in SIDES:
            config[side].write_text(f"phrases = {'true' if side == 'on' else 'false'}\n", encoding="utf-8")
        for n in range(args.rounds):
            for side in SIDES if n % 2 == 0 else SIDES[::-1]:
                command = [sys.executable, "-m", "dedupe", "check", args.corpus, "--no-cache", "--format", "json",
                           "-o", str(out[side]), "--config", str(config[side])]
                w, c, rss = timed(command)
                wall[side].append(w)
                cpu[side].append(c)
                print(f"round {n + 1} phrases {side:3}: wall {w:6.2f} s, cpu {c:6.2f} s, peak {rss / 1024:.0f} MiB, "
                      f"load average {os.getloadavg()[0]:.2f}", flush=True)
        found = {s: kinds(out[s]) for s in SIDES}
    if found["off"].get("echo"):
        sys.exit(f"phrases = false still reported {found['off']['echo']} echoes")
    print(f"findings off: {found['off']}")
    print(f"findings on:  {found['on']}")
    print("| | wall s (median, range) | CPU s user+sys (median, range) |")
    print("|---|---:|---:|")
    for side in SIDES:
        print(f"| phrases {side} | {statistics.median(wall[side]):.2f} ({min(wall[side]):.2f}-{max(wall[side]):.2f}) | "
              f"{statistics.median(cpu[side]):.2f} ({min(cpu[side]):.2f}-{max(cpu[side]):.2f}) |")
    for name, series in (("wall", wall), ("CPU", cpu)):
        growth = statistics.median(series["on"]) / statistics.median(series["off"]) - 1
        print(f"{name} growth of the medians: {growth:+.1%}")


if __name__ == "__main__":
    main()
