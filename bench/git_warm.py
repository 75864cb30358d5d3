"""Warm runs on a corpus committed to git, whole process under GNU time.

A place of a cross finding in a git work tree is dated by ``git log -S`` (up to
provenance.MAX_GIT_LOOKUPS look-ups or GIT_BUDGET_S a run). The corpus is copied to a
temporary folder, committed in a new repository (one commit), left older than the
cache's racy window, then the same command runs from the repository's root:

    python -m dedupe check . -q -f json -o OUT --cache-dir DIR

- cold: an empty cache;
- filling: the next runs while the JSON still warns that places were left undated
  (each run looks up the next ones; at most --max-filling runs: code that keeps no
  answers never settles);
- warm, no replay: DEDUPE_NO_REPLAY=1, every answer in the cache;
- replayed: the same command again.

Every settled run's output must equal the first settled one's. ``--pythonpath DIR``
runs another checkout's code (a worktree of an earlier commit) instead of this one.

    python bench/git_warm.py                     # ../shared/corpora/bbc, 5 rounds of each warm case
    python bench/git_warm.py --rounds 3 --pythonpath /tmp/basewt PATH
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from gnutime import revision, timed  # bench/gnutime.py: this script's folder is on sys.path

from dedupe.walk import RACY_S  # files stamped more recently are read again, and not recorded

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpora" / "bbc"
UNDATED = "left undated"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="?", default=str(DEFAULT_CORPUS))
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--max-filling", type=int, default=10)
    parser.add_argument("--pythonpath", help="run the code of this checkout (PYTHONPATH)")
    args = parser.parse_args()
    if not Path(args.corpus).is_dir():
        sys.exit(f"{args.corpus}: corpus not found")
    code = Path(args.pythonpath).resolve() if args.pythonpath else ROOT
    other = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=code,
                           check=False).stdout.strip()
    print(f"{f'commit {other} ({code})' if args.pythonpath else revision()}, corpus {args.corpus}")
    env = dict(os.environ, PYTHONPATH=str(code), GIT_AUTHOR_NAME="Bench", GIT_AUTHOR_EMAIL="bench@example.invalid",
               GIT_COMMITTER_NAME="Bench", GIT_COMMITTER_EMAIL="bench@example.invalid")
    env.pop("DEDUPE_NO_REPLAY", None)
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp) / "repo"
        shutil.copytree(args.corpus, repo)
        for command in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "corpus"]):
            subprocess.run(["git", *command], cwd=repo, env=env, check=True, capture_output=True)
        time.sleep(RACY_S + 0.5)
        out = Path(tmp) / "out.json"
        command = [sys.executable, "-m", "dedupe", "check", ".", "-q", "-f", "json", "-o", str(out),
                   "--cache-dir", str(Path(tmp) / "cache")]

        def run(case: str, extra: dict[str, str] | None = None) -> tuple[float, float, int, str, bool]:
            wall, cpu, rss = timed(command, {**env, **(extra or {})}, cwd=repo)
            text = out.read_text(encoding="utf-8")
            undated = any(UNDATED in w for w in json.loads(text).get("warnings", []))
            print(f"{case:18}: {wall:6.2f} s wall, {cpu:6.2f} s CPU, {rss / 1024:5.0f} MiB peak"
                  + (f" ({UNDATED})" if undated else ""))
            return wall, cpu, rss, text, undated

        run("cold")
        filling = 0
        while True:
            settled, undated = run("filling" if filling else "first warm")[3:]
            filling += 1
            if not undated or filling >= args.max_filling:
                break
        walls: dict[str, list[float]] = {"warm, no replay": [], "replayed": []}
        for _ in range(args.rounds):
            for case, extra in (("warm, no replay", {"DEDUPE_NO_REPLAY": "1"}), ("replayed", None)):
                wall, _, _, text, _ = run(case, extra)
                walls[case].append(wall)
                if text != settled and not undated:
                    sys.exit(f"{case}: the output differs from the first settled run's")
    print(f"command (from the repository): {' '.join(command[:4])} . -q -f json -o OUT --cache-dir DIR")
    print(f"runs until no place was left undated: {filling}" if not undated else
          f"places still left undated after {filling} warm runs (outputs not compared: which places git dated "
          "within its time budget can differ from run to run)")
    for case, values in walls.items():
        print(f"{case}: wall median {statistics.median(values):.2f} s, best {min(values):.2f} s")


if __name__ == "__main__":
    main()
