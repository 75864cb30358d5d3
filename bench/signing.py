"""MinHash signing of a corpus's keys on one and on several threads, in-process.

Makes the sets a cold run signs once (every exact-repeat key's word shingles and
content words, as compare.near_pairs makes them), then signs them ``--rounds`` times,
taking turns between the thread counts, and prints each one's median and fastest
time. It checks the rows of every thread count are the same. To compare two versions
of ``dedupe/sign.py``, run it from each (``PYTHONPATH=OTHER_CHECKOUT``) in turns: the
machine's speed drifts.

    python bench/signing.py                  # ../shared/corpora/bbc, 15 rounds, 1 and 2 threads
    python bench/signing.py --threads 1 2 4 PATH
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.append(str(ROOT))  # after PYTHONPATH: another checkout's dedupe comes first

import numpy as np

from dedupe import compare, files, pipeline, prepare, sign
from dedupe.model import Checked, Prepared, Settings
from dedupe.shingles import Shingles

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpora" / "bbc"


def key_sets(prepared: list[Prepared], checked: Checked, settings: Settings) -> list[Shingles]:
    """The signals' sets (compare.signals_of); a checkout from before signals_of made
    them in near_pairs, as here."""
    if hasattr(compare, "signals_of"):
        return [signal.sets for signal in compare.signals_of(prepared, checked, settings)]
    rep = compare._representative_words(prepared, checked)
    return [compare.shingle(rep, settings.shingle), compare._content_words(rep)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="?", default=str(DEFAULT_CORPUS))
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    settings = Settings()
    paths = files.discover([args.corpus], settings.include, settings.exclude)
    done = prepare.prepare_all([(p, True, d, None) for d, p in enumerate(paths)], settings, None)
    prepared = [p for p in done if isinstance(p, Prepared)]
    checked = pipeline._index_units(prepared, False)
    sets = key_sets(prepared, checked, settings)
    print(f"{sign.__file__}: {len(prepared)} articles, {len(checked.keys):,} keys, "
          f"{sum(len(s.hashes) for s in sets):,} shingles and words in {len(sets)} signals, {settings.num_perm} permutations")
    times: dict[int, list[float]] = {n: [] for n in args.threads}
    rows: dict[int, list[np.ndarray]] = {}
    for _ in range(args.rounds):
        for n in args.threads:
            t = time.perf_counter()
            signed = [sign.signatures(s, settings.num_perm, settings.seed, n) for s in sets]
            times[n].append(time.perf_counter() - t)
            rows.setdefault(n, signed)
    first = rows[args.threads[0]]
    for n in args.threads:
        same = all(np.array_equal(a, b) for a, b in zip(first, rows[n]))
        print(f"{n} thread{'s' if n > 1 else ''}: median {statistics.median(times[n]):.3f} s, "
              f"fastest {min(times[n]):.3f} s over {args.rounds} rounds; rows {'the same' if same else 'DIFFERENT'}")
        if not same:
            sys.exit(1)


if __name__ == "__main__":
    main()
