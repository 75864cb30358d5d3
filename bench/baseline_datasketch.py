"""The straightforward datasketch pipeline dedupe is measured against.

What a developer writes first with datasketch: split each article into sentences,
take word shingles, one MinHash per sentence (``--mode update`` feeds it one shingle
per call, ``--mode bulk`` uses ``MinHash.bulk``), insert every sentence into a
MinHashLSH, query every sentence, and confirm each candidate with the exact Jaccard.
Sentences are split the same way as dedupe (same readers and units), with nltk's own
Punkt as a developer would call it (``PunktSentenceTokenizer``, dedupe's abbreviations
added: the spans dedupe's Punkt gives, bench/punkt.py), so both compare the same
pairs; the shingle size, threshold and minimum length are dedupe's defaults. Prints the verified pairs as JSON lines when ``--pairs FILE`` is given.

    /usr/bin/time -v python bench/baseline_datasketch.py ../shared/corpora/bbc --mode bulk
"""

from __future__ import annotations

import argparse
import json
import sys
import time

from datasketch import MinHash, MinHashLSH
from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

from dedupe import files, normalize, readers, segment
from dedupe.model import Settings


def nltk_punkt() -> PunktSentenceTokenizer:
    """nltk's Punkt with dedupe's shipped abbreviations (no trained model is installed here)."""
    params = PunktParameters()
    params.abbrev_types.update(segment.ABBREVIATIONS)
    return PunktSentenceTokenizer(params)


def sentences(root: str, settings: Settings) -> list[tuple[str, int, list[str]]]:
    """(path, offset, words) for every unit long enough to check."""
    out = []
    for path in files.discover([root], settings.include, settings.exclude):
        src = files.read_source(path, settings.max_file_bytes)
        doc = readers.get(src.format)(src.path, src.text)
        for unit in segment.segment(doc, 0):
            w = normalize.words(unit.text)
            if len(w) >= settings.min_words:
                out.append((path, unit.span.offset, w))
    return out


def shingles(words: list[str], k: int) -> set[bytes]:
    if len(words) < k:
        return {" ".join(words).encode()}
    return {" ".join(words[i : i + k]).encode() for i in range(len(words) - k + 1)}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("root")
    ap.add_argument("--mode", choices=("update", "bulk"), default="bulk")
    ap.add_argument("--pairs", help="write verified pairs (path, offset, path, offset, jaccard) as JSON lines")
    args = ap.parse_args()
    settings = Settings()
    t0 = time.perf_counter()
    punkt = nltk_punkt()
    segment.tokenizer = lambda: punkt  # type: ignore[assignment,misc,return-value]
    units = sentences(args.root, settings)
    t1 = time.perf_counter()
    sets = [shingles(w, settings.shingle) for _, _, w in units]
    if args.mode == "bulk":
        mhs = MinHash.bulk(sets, num_perm=settings.num_perm)
    else:
        mhs = []
        for s in sets:
            m = MinHash(num_perm=settings.num_perm)
            for sh in s:
                m.update(sh)
            mhs.append(m)
    t2 = time.perf_counter()
    lsh = MinHashLSH(threshold=settings.threshold, num_perm=settings.num_perm)
    with lsh.insertion_session() as session:
        for i, m in enumerate(mhs):
            session.insert(i, m, check_duplication=False)
    pairs = []
    for i, m in enumerate(mhs):
        for j in lsh.query(m):
            if j > i:
                inter = len(sets[i] & sets[j])
                score = inter / (len(sets[i]) + len(sets[j]) - inter)
                if score >= settings.threshold:
                    pairs.append((i, j, score))
    t3 = time.perf_counter()
    if args.pairs:
        with open(args.pairs, "w", encoding="utf-8") as fh:
            for i, j, s in pairs:
                fh.write(json.dumps([units[i][0], units[i][1], units[j][0], units[j][1], round(s, 4)]) + "\n")
    print(
        f"baseline-{args.mode}: {len(units)} sentences, {len(pairs)} verified pairs; "
        f"segment {t1 - t0:.2f}s, sign {t2 - t1:.2f}s, lsh+verify {t3 - t2:.2f}s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
