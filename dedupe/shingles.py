"""Shingling: normalised words -> word hashes -> shingle sets (the numeric side).

Shingles are word k-grams hashed to 64-bit integers: words are hashed once each with
BLAKE2b (stable across processes, so signatures can be cached) and k-grams are folded
from those in numpy. A unit shorter than k words gets one shingle for all its words,
so short captions still compare. The 64-bit shingle hashes are used for the exact
Jaccard; their high 32 bits feed MinHash (datasketch's 32-bit hash contract).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise

import numpy as np

_FOLD = np.uint64(0x100000001B3)  # FNV-1a 64-bit prime: folds word hashes into a k-gram hash
_MIX1 = np.uint64(0xFF51AFD7ED558CCD)
_MIX2 = np.uint64(0xC4CEB9FE1A85EC53)
_S33 = np.uint64(33)
_OWNER_BITS = 24
# Words shingled per numpy step: a step's temporaries take about 80 bytes a word, so
# that whole-corpus arrays of them (320 MB at four times BBC) are never alive at once.
CHUNK_WORDS = 1 << 18


class WordHasher:
    """Stable 64-bit word hashes, each distinct word hashed once per process."""

    def __init__(self) -> None:
        self._cache: dict[str, int] = {}

    def __call__(self, tokens: list[str]) -> np.ndarray:
        cache = self._cache
        for t in set(tokens).difference(cache):
            cache[t] = int.from_bytes(hashlib.blake2b(t.encode("utf-8"), digest_size=8).digest(), "little")
        return np.fromiter(map(cache.__getitem__, tokens), dtype=np.uint64, count=len(tokens))


_HASHER: WordHasher | None = None


def hasher() -> WordHasher:
    """The process's word hasher (it remembers the words it has hashed)."""
    global _HASHER
    if _HASHER is None:
        _HASHER = WordHasher()
    return _HASHER


def _mix(h: np.ndarray) -> np.ndarray:
    """MurmurHash3's 64-bit finaliser: spreads folded k-gram hashes over all bits."""
    h = h ^ (h >> _S33)
    h = h * _MIX1
    h = h ^ (h >> _S33)
    h = h * _MIX2
    return h ^ (h >> _S33)


@dataclass(frozen=True, slots=True)
class Shingles:
    """Shingle sets of many units in CSR form: unit i owns ``hashes[indptr[i]:indptr[i+1]]``,
    unique, ordered by their top bits (not necessarily fully sorted)."""

    indptr: np.ndarray  # int64, len = units + 1
    hashes: np.ndarray  # uint64

    def of(self, i: int) -> np.ndarray:
        return self.hashes[self.indptr[i] : self.indptr[i + 1]]

    def __len__(self) -> int:
        return len(self.indptr) - 1


def by_chunks(make: Callable[[list[np.ndarray]], Shingles], word_hashes: list[np.ndarray],
              step: int = 0) -> Shingles:
    """``make`` over runs of whole units of about ``step`` words, joined: the sets are
    the same as ``make(word_hashes)``'s, with a step's temporaries at a time (``step``
    words, CHUNK_WORDS when 0)."""
    step = step or CHUNK_WORDS
    sizes = np.fromiter((len(w) for w in word_hashes), dtype=np.int64, count=len(word_hashes))
    if sizes.sum() <= step:
        return make(word_hashes)
    ends = np.cumsum(sizes)
    cuts = [0]
    while cuts[-1] < len(word_hashes):
        done = int(ends[cuts[-1] - 1]) if cuts[-1] else 0
        cuts.append(max(int(np.searchsorted(ends, done + step, side="right")), cuts[-1] + 1))
    parts = [make(word_hashes[a:b]) for a, b in pairwise(cuts)]
    offsets = np.cumsum([0] + [len(p.hashes) for p in parts])
    indptr = np.concatenate([[0]] + [p.indptr[1:] + off for p, off in zip(parts, offsets)])
    return Shingles(indptr, np.concatenate([p.hashes for p in parts]))


def shingle(word_hashes: list[np.ndarray], k: int) -> Shingles:
    """Word k-gram shingle sets for many units at once, vectorised over their words (a
    step of CHUNK_WORDS at a time)."""
    return by_chunks(lambda part: _shingle(part, k), word_hashes)


def _shingle(word_hashes: list[np.ndarray], k: int) -> Shingles:
    counts = np.array([len(w) for w in word_hashes], dtype=np.int64)
    if not len(word_hashes) or counts.sum() == 0:
        return Shingles(np.zeros(len(word_hashes) + 1, dtype=np.int64), np.zeros(0, dtype=np.uint64))
    flat = np.concatenate(word_hashes) if len(word_hashes) > 1 else word_hashes[0]
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    unit_of = np.repeat(np.arange(len(word_hashes)), counts)
    pos_in_unit = np.arange(len(flat)) - np.repeat(starts, counts)
    n = len(flat)
    # k-gram starting at each word: fold up to k following words, stopping at the unit's end.
    span = np.minimum(k, counts[unit_of] - pos_in_unit)
    full = counts[unit_of] >= k
    # A unit shorter than k contributes one shingle (all its words), from its first word.
    keep = np.where(full, span == k, pos_in_unit == 0)
    acc = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for j in range(k):
            idx = np.minimum(np.arange(n) + j, n - 1)
            take = j < span
            acc = np.where(take, acc * _FOLD + flat[idx], acc)
        acc = _mix(acc ^ span.astype(np.uint64))
    return sets_by_owner(unit_of[keep], acc[keep], len(word_hashes))


def distinct(values: np.ndarray) -> np.ndarray:
    """The distinct values, sorted: np.unique's result by a sort. numpy 2.3 and later
    find plain np.unique's values with a hash table, ten times slower than a sort on
    a few thousand 64-bit hashes (0.47 ms against 0.05 ms), and its first call imports
    numpy.ma (~8 ms)."""
    out = np.sort(values.ravel())
    if len(out) > 1:
        out = out[np.concatenate(([True], out[1:] != out[:-1]))]
    return out


def sets_by_owner(owner: np.ndarray, hashes: np.ndarray, units: int) -> Shingles:
    """The set of hashes each unit owns, in CSR form: repeats within a unit dropped.
    ``owner`` must be non-decreasing (hashes listed unit by unit)."""
    if units < 1 << _OWNER_BITS:
        # one argsort on (unit, top hash bits) is ~8x faster than lexsort on both keys;
        # equal hashes still end up next to each other (equal top bits, same unit)
        order = np.argsort((owner.astype(np.uint64) << np.uint64(64 - _OWNER_BITS)) | (hashes >> np.uint64(_OWNER_BITS)))
    else:
        order = np.lexsort((hashes, owner))
    owner, hashes = owner[order], hashes[order]
    if len(hashes):
        first = np.ones(len(hashes), dtype=bool)
        first[1:] = (hashes[1:] != hashes[:-1]) | (owner[1:] != owner[:-1])
        owner, hashes = owner[first], hashes[first]
    indptr = np.zeros(units + 1, dtype=np.int64)
    np.cumsum(np.bincount(owner, minlength=units), out=indptr[1:])
    return Shingles(indptr, hashes)
