"""Shingling: normalised words -> word hashes -> shingle sets (the numeric side).

Shingles are word k-grams hashed to 64-bit integers: words are hashed once each with
BLAKE2b (stable across processes, so signatures can be cached) and k-grams are folded
from those in numpy. A unit shorter than k words gets one shingle for all its words,
so short captions still compare. The 64-bit shingle hashes are used for the exact
Jaccard; their high 32 bits feed MinHash (datasketch's 32-bit hash contract).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
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
LOOKUP_BITS = 20  # bits of lookup's direct table at least
MAX_LOOKUP_BITS = 24  # and at most: 64 MB
LOOKUP_STEP = 1 << 20  # values looked up per numpy step


class _Hashes(dict[str, int]):
    """Word -> its hash, hashing a word the first time it is looked up (``__missing__``):
    a look-up per word is all a text costs once its words are known, without the set
    of its words the words not yet hashed were found by (0.11 against 0.16-0.19 s over
    BBC's 866,000 words)."""

    def __missing__(self, word: str) -> int:
        h = self[word] = int.from_bytes(hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest(), "little")
        return h


class WordHasher:
    """Stable 64-bit word hashes, each distinct word hashed once per process."""

    def __init__(self) -> None:
        self._cache = _Hashes()

    def __call__(self, tokens: list[str]) -> np.ndarray:
        return np.fromiter(map(self._cache.__getitem__, tokens), dtype=np.uint64, count=len(tokens))


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


def word_lists(word_hashes: Sequence[np.ndarray]) -> Shingles:
    """Many units' word hashes (one array each) in CSR form, as Shingles holds sets: here
    each unit's words in order, repeats kept."""
    sizes = np.fromiter((len(w) for w in word_hashes), dtype=np.int64, count=len(word_hashes))
    indptr = np.zeros(len(word_hashes) + 1, dtype=np.int64)
    np.cumsum(sizes, out=indptr[1:])
    flat = np.concatenate(word_hashes) if len(word_hashes) else np.zeros(0, dtype=np.uint64)
    return Shingles(indptr, flat.astype(np.uint64, copy=False))


def by_chunks(make: Callable[[Shingles], Shingles], words: Shingles, step: int = 0) -> Shingles:
    """``make`` over runs of whole units (``words``: their word lists, word_lists) of
    about ``step`` words, joined: the sets are the same as ``make(words)``'s, with a
    step's temporaries at a time (``step`` words, CHUNK_WORDS when 0)."""
    step = step or CHUNK_WORDS
    ends = words.indptr[1:]
    if len(words.hashes) <= step:
        return make(words)
    cuts = [0]
    while cuts[-1] < len(words):
        done = int(ends[cuts[-1] - 1]) if cuts[-1] else 0
        cuts.append(max(int(np.searchsorted(ends, done + step, side="right")), cuts[-1] + 1))
    parts = [make(_units(words, a, b)) for a, b in pairwise(cuts)]
    offsets = np.cumsum([0] + [len(p.hashes) for p in parts])
    indptr = np.concatenate([[0]] + [p.indptr[1:] + off for p, off in zip(parts, offsets)])
    return Shingles(indptr, np.concatenate([p.hashes for p in parts]))


def _units(words: Shingles, a: int, b: int) -> Shingles:
    """Units a to b-1 of a CSR, as one of their own (views, not copies)."""
    lo = words.indptr[a]
    return Shingles(words.indptr[a : b + 1] - lo, words.hashes[lo : words.indptr[b]])


def shingle(words: Shingles | Sequence[np.ndarray], k: int) -> Shingles:
    """Word k-gram shingle sets for many units at once (``words``: their word lists,
    word_lists, or one array of word hashes each), vectorised over their words (a step
    of CHUNK_WORDS at a time)."""
    return by_chunks(lambda part: _shingle(part, k), words if isinstance(words, Shingles) else word_lists(words))


def _shingle(words: Shingles, k: int) -> Shingles:
    counts = np.diff(words.indptr)
    if not len(counts) or not len(words.hashes):
        return Shingles(np.zeros(len(counts) + 1, dtype=np.int64), np.zeros(0, dtype=np.uint64))
    flat = words.hashes
    # A k-gram starts at each word of a unit of k words or more that has k - 1 after it;
    # a unit shorter than k contributes one shingle (all its words), from its first word.
    full = counts >= k
    starts = np.where(full, counts - k + 1, np.minimum(counts, 1))
    unit_of = np.repeat(np.arange(len(counts)), starts)
    pos = ranges(words.indptr[:-1], starts)
    span = np.where(full, k, counts)[unit_of]
    acc = flat[pos]
    with np.errstate(over="ignore"):
        for j in range(1, k):  # fold the next word in, where the k-gram has one
            acc = np.where(span > j, acc * _FOLD + flat[np.minimum(pos + j, len(flat) - 1)], acc)
        acc = _mix(acc ^ span.astype(np.uint64))
    return sets_by_owner(unit_of, acc, len(counts))


def ranges(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """start, start+1, ..., start+length-1 for each pair, one after another: the
    positions of many slices of one array, to gather them in one step."""
    return np.repeat(starts, lengths) + (np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths))


def distinct(values: np.ndarray) -> np.ndarray:
    """The distinct values, sorted: np.unique's result by a sort. numpy 2.3 and later
    find plain np.unique's values with a hash table, ten times slower than a sort on
    a few thousand 64-bit hashes (0.47 ms against 0.05 ms), and its first call imports
    numpy.ma (~8 ms)."""
    out = np.sort(values.ravel())
    if len(out) > 1:
        out = out[np.concatenate(([True], out[1:] != out[:-1]))]
    return out


def lookup(values: np.ndarray, table: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(found, index into ``table``, sorted and unique) for each hash. A bit table on
    the low bits (at least LOOKUP_BITS) rules most values out; a slot table on the same
    bits gives each value left the one entry it can be. Only values whose low bits two
    entries share are searched for: a binary search costs ~60 ns a value, six times the
    two look-ups (the common words are half the words of a text). The values are looked
    up LOOKUP_STEP at a time, so that a step's temporaries stay small: the whole-array
    temporaries of 13.7 million words (16 times BBC's keys) took 0.16-0.26 s, the steps
    0.10 s."""
    index = np.zeros(len(values), dtype=np.int64)
    return _looked_up(values, table, index), index


def contains(values: np.ndarray, table: np.ndarray) -> np.ndarray:
    """Whether each hash is in ``table`` (sorted and unique): lookup's found, without
    the index (8 bytes a value that a caller asking only this would have made)."""
    return _looked_up(values, table, None)


def _looked_up(values: np.ndarray, table: np.ndarray, index: np.ndarray | None) -> np.ndarray:
    """lookup's found, writing each found value's entry into ``index`` unless None."""
    found = np.zeros(len(values), dtype=bool)
    if not len(table) or not len(values):
        return found
    bits = min(MAX_LOOKUP_BITS, max(LOOKUP_BITS, len(table).bit_length() + 4))
    mask = np.uint64((1 << bits) - 1)
    table_low = (table & mask).view(np.int64)  # below 2**24: the same numbers, not copied
    held = np.zeros(1 << bits, dtype=bool)
    held[table_low] = True
    slots: np.ndarray = np.full(1 << bits, -1, dtype=np.int32 if len(table) < 1 << 31 else np.int64)
    slots[table_low] = np.arange(len(table))
    shared_low, count = np.unique(table_low, return_counts=True)
    slots[shared_low[count > 1]] = -1  # two entries or more: searched for
    for lo in range(0, len(values), LOOKUP_STEP):
        hi = lo + LOOKUP_STEP
        _lookup_step(values[lo:hi], table, mask, held, slots, found[lo:hi], None if index is None else index[lo:hi])
    return found


def _lookup_step(values: np.ndarray, table: np.ndarray, mask: np.uint64, held: np.ndarray, slots: np.ndarray,
                 found: np.ndarray, index: np.ndarray | None) -> None:
    """lookup over one step of values, written into that step's ``found`` and ``index``."""
    low = (values & mask).view(np.int64)
    maybe = np.flatnonzero(held[low])
    at = slots[low[maybe]]
    one = at >= 0
    hit = one.copy()
    hit[one] = table[at[one]] == values[maybe[one]]
    found[maybe[hit]] = True
    if index is not None:
        index[maybe[hit]] = at[hit]
    crowded = maybe[~one]
    if len(crowded):
        near = np.minimum(np.searchsorted(table, values[crowded]), len(table) - 1)
        hit = table[near] == values[crowded]
        found[crowded[hit]] = True
        if index is not None:
            index[crowded[hit]] = near[hit]


def sets_by_owner(owner: np.ndarray, hashes: np.ndarray, units: int) -> Shingles:
    """The set of hashes each unit owns, in CSR form: repeats within a unit dropped.
    ``owner`` must be non-decreasing (hashes listed unit by unit)."""
    ordered: tuple[np.ndarray, np.ndarray] | None = None
    if units < 1 << _OWNER_BITS:
        # one argsort on (unit, top hash bits) is ~8x faster than lexsort on both keys;
        # equal hashes end up next to each other unless two different hashes of a unit
        # share their top bits (never seen with 64-bit word hashes; small test values
        # do): then they may lie apart, and lexsort orders them exactly
        keys = (owner.astype(np.uint64) << np.uint64(64 - _OWNER_BITS)) | (hashes >> np.uint64(_OWNER_BITS))
        order = np.argsort(keys)
        keys, got = keys[order], hashes[order]
        if not ((keys[1:] == keys[:-1]) & (got[1:] != got[:-1])).any():
            ordered = owner[order], got
    if ordered is None:
        order = np.lexsort((hashes, owner))
        ordered = owner[order], hashes[order]
    owner, hashes = ordered
    if len(hashes):
        first = np.ones(len(hashes), dtype=bool)
        first[1:] = (hashes[1:] != hashes[:-1]) | (owner[1:] != owner[:-1])
        owner, hashes = owner[first], hashes[first]
    indptr = np.zeros(units + 1, dtype=np.int64)
    np.cumsum(np.bincount(owner, minlength=units), out=indptr[1:])
    return Shingles(indptr, hashes)
