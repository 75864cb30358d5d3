"""Verification: candidate pairs -> pairs whose exact similarity reaches a threshold.

A pair of units is near-duplicate when it reaches the threshold of at least one
signal, each an exact Jaccard on its own sets:

- ``shingles``: word k-grams (``shingle`` words, ``threshold``). Word order counts,
  so it is strict: one word changed in ten leaves about 0.64 with 2-word shingles.
- ``words``: the set of content words (``word_threshold``): the words less the
  ``FUNCTION_WORDS`` (the, of, was, he...), in units with at least
  ``MIN_CONTENT_WORDS`` of them. Order does not count, so it still sees a sentence
  whose clauses were swapped or a third of whose words were replaced or moved, where
  the shingle score falls to 0.2 or less. Function words are left out because any
  two sentences share some: with them, unrelated sentences score 0.2 to 0.35 on word
  sets, close enough to any useful threshold to flood LSH with chance candidates
  (3.4 million on the BBC corpus, against 0.33 million without them); and a unit
  with fewer content words is too small for its score to mean anything ("He
  deserves his chance." and "He deserves another chance." share two of three).

Every candidate is scored exactly on both signals; the score reported is the shingle
Jaccard when that reaches its threshold, else the word Jaccard, and ``measure`` says
which. Never a MinHash estimate. Candidates whose estimate falls more than
``ESTIMATE_MARGIN`` below the threshold of the signal that proposed them are dropped
unverified: with 128 permutations that is over four standard deviations, so a true
pair is lost less than once in 10^5, and it saves verifying the many chance
candidates LSH proposes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from dedupe.normalize import FUNCTION_WORDS  # noqa: F401 (re-exported: compare, runs and the tests read it here)
from dedupe.shingles import Shingles

ESTIMATE_MARGIN = 0.2
MIN_CONTENT_WORDS = 5
PAIRS_PER_STEP = 8_192  # candidate pairs scored per numpy step: ~70 bytes a value of their sets (23 MB for 20-shingle sets)
_PAIR_BITS = (PAIRS_PER_STEP - 1).bit_length()  # a pair's number within its step (exact_jaccards' sort key)


@dataclass(frozen=True, slots=True)
class Signal:
    """One exact similarity between units: a set per unit, and the Jaccard a pair must reach."""

    measure: str  # "shingles" or "words"
    sets: Shingles
    threshold: float


class Near(NamedTuple):
    """A verified near-duplicate pair of rows (a < b) and the signal that qualified it."""

    a: int
    b: int
    similarity: float  # exact Jaccard on ``measure``
    measure: str


def exact_jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Jaccard of two shingle-hash arrays, each without repeats."""
    if not len(a) and not len(b):
        return 1.0
    inter = len(np.intersect1d(a, b, assume_unique=True))
    return inter / (len(a) + len(b) - inter)


def estimate_cutoff(threshold: float) -> float:
    """The MinHash estimate a candidate pair of a signal needs to be verified: within
    ESTIMATE_MARGIN of the signal's threshold."""
    return threshold - ESTIMATE_MARGIN


def exact_jaccards(sets: Shingles, pairs: np.ndarray) -> np.ndarray:
    """Exact Jaccard of each pair of rows, in numpy: both sets of every pair are laid
    side by side, sorted within the pair, and equal neighbours counted. A row with an
    empty set takes no part in the signal: its pairs score 0.

    The values are sorted on one 64-bit key, the pair's number over the value's top
    bits, three to four times faster than lexsort on the pair and the value (1.12 s
    against 0.33 s for the shingle signal's 200,000 pairs at 16 times BBC). A value
    both sets hold is then next to its copy, as long as no third value of the pair
    shares its top bits; where one does (once in millions of pairs), that step is
    sorted on both instead.
    """
    out = np.zeros(len(pairs))
    counts = np.diff(sets.indptr)
    top = np.uint64(_PAIR_BITS)
    for lo in range(0, len(pairs), PAIRS_PER_STEP):
        step = pairs[lo : lo + PAIRS_PER_STEP]
        rows = step.T.ravel()  # every pair's first row, then every pair's second
        starts, sizes = sets.indptr[rows], counts[rows]
        owner = np.repeat(np.tile(np.arange(len(step), dtype=np.uint64), 2), sizes)
        first = np.repeat(starts - np.concatenate(([0], np.cumsum(sizes)[:-1])), sizes)
        values = sets.hashes[first + np.arange(len(owner))]
        key = (owner << np.uint64(64 - _PAIR_BITS)) | (values >> top)
        order = np.argsort(key)
        key, values, owner = key[order], values[order], owner[order]
        tie = key[1:] == key[:-1]
        if (tie[1:] & tie[:-1]).any():  # three values of a pair share their top bits
            order = np.lexsort((values, owner))
            values, owner = values[order], owner[order]
            same = (values[1:] == values[:-1]) & (owner[1:] == owner[:-1])
        else:
            same = tie & (values[1:] == values[:-1])
        inter = np.bincount(owner[1:][same].astype(np.int64), minlength=len(step))
        size_a, size_b = sizes[: len(step)], sizes[len(step) :]
        union = size_a + size_b - inter
        out[lo : lo + len(step)] = np.where((size_a > 0) & (size_b > 0), inter / np.maximum(union, 1), 0.0)
    return out


def jaccards_between(few: Shingles, many: Shingles, pairs: np.ndarray) -> np.ndarray:
    """Exact Jaccard of each pair (row of ``few``, row of ``many``): what
    ``exact_jaccards`` gives for the two sets, where ``few`` holds a handful of sets (a
    draft's sentences) and ``many`` thousands (their candidates in an archive). Each
    value of a ``many`` set is looked up among the distinct values of ``few`` (binary
    searches over a small array) instead of sorting every pair's values together. An
    empty set scores 0."""
    out = np.zeros(len(pairs))
    if not len(pairs) or not len(few.hashes):
        return out
    universe, rank = np.unique(few.hashes, return_inverse=True)
    n = len(universe)
    owner_few = np.repeat(np.arange(len(few)), np.diff(few.indptr))
    members = np.sort(owner_few * n + rank.ravel())  # (row of few, value) as one code
    for lo in range(0, len(pairs), PAIRS_PER_STEP):
        step = pairs[lo : lo + PAIRS_PER_STEP]
        rows, cols = step[:, 0], step[:, 1]
        size_a, starts, size_b = np.diff(few.indptr)[rows], many.indptr[cols], np.diff(many.indptr)[cols]
        owner = np.repeat(np.arange(len(step)), size_b)
        first = np.repeat(starts - np.concatenate(([0], np.cumsum(size_b)[:-1])), size_b)
        values = many.hashes[first + np.arange(len(owner))]
        at = np.minimum(np.searchsorted(universe, values), n - 1)
        known = np.flatnonzero(universe[at] == values)  # values some set of ``few`` has
        codes = rows[owner[known]] * n + at[known]
        hit = members[np.minimum(np.searchsorted(members, codes), len(members) - 1)] == codes
        inter = np.bincount(owner[known[hit]], minlength=len(step))
        union = size_a + size_b - inter
        out[lo : lo + len(step)] = np.where((size_a > 0) & (size_b > 0), inter / np.maximum(union, 1), 0.0)
    return out


def distinct_pairs(pairs: np.ndarray) -> np.ndarray:
    """Rows of (a, b) sorted, each once (a sort: faster than np.unique's hashing here)."""
    if not len(pairs):
        return pairs.reshape(0, 2).astype(np.int64)
    width = int(pairs.max()) + 1
    code = np.sort(pairs[:, 0].astype(np.int64) * width + pairs[:, 1])
    code = code[np.concatenate(([True], code[1:] != code[:-1]))]
    return np.stack((code // width, code % width), axis=1)


def verified(signals: Sequence[Signal], pairs: np.ndarray) -> list[Near]:
    """The candidate pairs (rows a < b) that reach the threshold of some signal, scored on
    the first signal they reach, in the order given (the shingle signal first)."""
    if not len(pairs):
        return []
    pairs = distinct_pairs(pairs)
    measure = np.full(len(pairs), -1)
    score = np.zeros(len(pairs))
    for n, signal in reversed(list(enumerate(signals))):  # the first signal reached wins
        exact = exact_jaccards(signal.sets, pairs)
        hit = exact >= signal.threshold
        measure[hit], score[hit] = n, exact[hit]
    keep = np.flatnonzero(measure >= 0)
    names = [s.measure for s in signals]
    return [Near(a, b, s, names[m]) for a, b, s, m in
            zip(pairs[keep, 0].tolist(), pairs[keep, 1].tolist(), score[keep].tolist(), measure[keep].tolist())]

