"""Candidates: signatures -> pairs of units that may be near-duplicates.

Banding follows datasketch's MinHashLSH exactly: the signature is cut into ``b`` bands
of ``r`` rows at ``MinHashLSH.hashranges`` and two units are candidates when any band
is equal. MinHashLSH inserts one key per Python call, hashing every band separately
(about 3 µs a band, so 45,000 sentences x 42 bands take 6 s); here every band of every
unit is hashed in one numpy expression and equal bands are found by sorting. A test
checks the pairs equal those of a real MinHashLSH on the same signatures (buckets of
up to BUCKET_CAP units: see ``_pairs_of_bands`` for bigger ones).

``(b, r)`` is chosen so that a pair exactly at the threshold becomes a candidate with
probability at least ``TARGET_RECALL``, with the fewest chance candidates below it.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import lru_cache

import numpy as np

TARGET_RECALL = 0.995
MIN_BANDS = 2  # MinHashLSH refuses fewer ("The number of bands are too small")
BUCKET_CAP = 32  # members of one LSH bucket paired with all others; see _pairs_of_bands
MIN_UNITS_FOR_THREADS = 4_096  # fewer units sort their bands faster than threads start
ESTIMATE_STEP = 2_048  # candidate pairs compared per numpy step (estimated_jaccard) ...
ESTIMATE_PERMUTATIONS = 32  # ... on this many permutations at a time: 128 B a unit
EMPTY = np.iinfo(np.uint32).max  # every row of an empty set's signature
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


def _probability(jaccard: float, b: int, r: int) -> float:
    """Chance that two sets with this Jaccard share at least one of b bands of r rows."""
    return float(1.0 - (1.0 - jaccard**r) ** b)


@lru_cache(maxsize=32)
def band_params(threshold: float, num_perm: int) -> tuple[int, int]:
    """(b, r) reaching TARGET_RECALL at the threshold with the least false-positive mass.

    At least MIN_BANDS bands, as MinHashLSH requires: at a threshold of 1 every (b, r)
    reaches the recall, and one band of all rows would have the least mass."""
    best: tuple[float, int, int] | None = None
    grid = np.linspace(0.0, threshold, 50)
    for r in range(1, num_perm + 1):
        b = num_perm // r
        if b < MIN_BANDS or _probability(threshold, b, r) < TARGET_RECALL:
            continue
        fp = float(np.mean([_probability(j, b, r) for j in grid]))
        if best is None or fp < best[0]:
            best = (fp, b, r)
    if best is None:  # a threshold too low for this num_perm: every band of one row
        return num_perm, 1
    return best[1], best[2]


@lru_cache(maxsize=32)
def min_shared_bands(threshold: float, num_perm: int) -> int:
    """The most bands a candidate may be asked to share with a query while a pair exactly
    at the threshold still shares that many with probability TARGET_RECALL or more.

    A pair of Jaccard j shares Binomial(b, j^r) bands. Where band_params could not
    choose r larger without losing recall, the count of shared bands can still sift:
    with the content-word signal (0.6, 42 bands of 3 rows) a pair at the threshold
    shares 3 or more bands 99.7 % of the time, while a chance candidate (j near 0.15)
    shares one. An archive query asks for that many, and proposes a fraction of the
    chance candidates it would otherwise read and verify."""
    b, r = band_params(threshold, num_perm)
    p = threshold**r
    pmf = [math.comb(b, k) * p**k * (1 - p) ** (b - k) for k in range(b + 1)]
    m = 1
    while m < b and sum(pmf[m + 1 :]) >= TARGET_RECALL:
        m += 1
    return m


@lru_cache(maxsize=32)
def hashranges(threshold: float, num_perm: int) -> tuple[tuple[int, int], ...]:
    """The band boundaries ``MinHashLSH(threshold, num_perm, params=band_params(...))``
    uses: b bands of r rows from the first row on (a test checks they are its
    ``hashranges``; importing datasketch would import scipy)."""
    b, r = band_params(threshold, num_perm)
    return tuple((i * r, (i + 1) * r) for i in range(b))


def columns(signatures: np.ndarray) -> np.ndarray:
    """The signatures one permutation a row (their transpose), each row contiguous:
    without a copy for sign.signatures' column-major arrays, with one otherwise."""
    if signatures.strides[0] == signatures.itemsize or len(signatures) < 2:
        return signatures.T
    return np.ascontiguousarray(signatures.T)


def band_keys(signatures: np.ndarray, ranges: tuple[tuple[int, int], ...]) -> np.ndarray:
    """One 64-bit key per (unit, band): a hash of the band's rows (_band_key). The
    result is the transpose of a bands x units array, each band's keys contiguous."""
    cols = columns(signatures)
    keys = np.empty((len(ranges), len(signatures)), dtype=np.uint64)
    for k in range(len(ranges)):
        keys[k] = _band_key(cols, ranges, k)
    return keys.T


def _band_key(cols: np.ndarray, ranges: tuple[tuple[int, int], ...], k: int) -> np.ndarray:
    """Band k's key of every unit, from the signatures one permutation a row (``columns``):
    its rows folded in, read a contiguous row at a time (uint32, widened as it goes)."""
    s, e = ranges[k]
    with np.errstate(over="ignore"):
        acc = np.full(cols.shape[1], np.uint64(k + 1) * _GOLDEN, dtype=np.uint64)
        for col in range(s, e):
            acc ^= cols[col]
            acc *= _GOLDEN
            acc ^= acc >> np.uint64(29)
    return acc


def _pairs_of_bands(band: Callable[[int], np.ndarray], bands: int, n: int, threads: int = 1,
                    sift: Callable[[np.ndarray], np.ndarray] | None = None) -> np.ndarray:
    """(i, j) with i < j for every two of the ``n`` units sharing a key in one band;
    ``band(k)`` gives band k's key of every unit.

    Each band is sorted on its own (43k keys sort in about a millisecond), and every
    bucket's pairs are laid out at once: the member at place k of a bucket of m is
    paired with places k+1 .. m-1.

    A bucket of more than BUCKET_CAP members is a line repeated with small variations
    in hundreds of articles (a template's "More information: <URL>." in every page):
    all m^2/2 pairs would make candidates and verification quadratic, so there only
    the BUCKET_CAP lowest rows are paired with the others (m x BUCKET_CAP pairs).
    Such lines are boilerplate, and a boilerplate cluster only needs one line every
    member is close to (group.py), which these pairs still find.

    A band's keys are made when it is sorted, not all bands' first (42 bands of 8
    bytes a unit: 57 MB at four times BBC). With ``threads`` > 1, bands are made and
    sorted side by side (numpy lets go of the GIL); a band's arrays are its own, so the
    peak memory grows only by a band's worth a thread. ``sift`` keeps some of a band's
    pair codes (candidate_pairs' cutoff) before the bands' are joined.
    """
    def pairs(k: int) -> np.ndarray | None:
        codes = _band_pairs(band(k), n)
        if codes is None or sift is None:
            return codes
        codes = sift(codes)
        return codes if len(codes) else None

    if threads > 1 and n >= MIN_UNITS_FOR_THREADS:
        from concurrent.futures import ThreadPoolExecutor  # here: a draft's few units need no threads

        with ThreadPoolExecutor(threads) as pool:
            found = list(pool.map(pairs, range(bands)))
    else:
        found = [pairs(k) for k in range(bands)]
    out = [codes for codes in found if codes is not None]
    if not out:
        return np.zeros((0, 2), dtype=np.int64)
    code = np.sort(np.concatenate(out))
    code = code[np.concatenate(([True], code[1:] != code[:-1]))].astype(np.int64)
    return np.stack((code // n, code % n), axis=1)


def _band_pairs(column: np.ndarray, n: int) -> np.ndarray | None:
    """The pair codes (i * n + j, i < j) of one band's buckets (see _pairs_of_bands),
    uint32 when every code fits."""
    found = _buckets(column, n)
    if found is None:
        return None
    order, sizes = found
    starts = np.cumsum(sizes) - sizes
    place = np.arange(len(order)) - np.repeat(starts, sizes)  # k within its bucket
    size = np.repeat(sizes, sizes)
    partners = np.where(place < BUCKET_CAP, size - 1 - place, 0)
    left = np.repeat(np.arange(len(order)), partners)
    right = left + 1 + np.arange(len(left)) - np.repeat(np.cumsum(partners) - partners, partners)
    a, b = order[left], order[right]
    code = np.minimum(a, b) * n + np.maximum(a, b)
    # Under 65,536 units a code fits 32 bits: the bands' codes (4.7 million for BBC's
    # words signal, most of them repeated across bands) sort in less than half the time.
    return code.astype(np.uint32) if n * n <= 1 << 32 else code  # type: ignore[no-any-return]


def _buckets(column: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray] | None:
    """The units of every bucket of two or more (equal keys in ``column``), bucket after
    bucket with rows ascending in each, and the buckets' sizes; None when there is none.

    Each key's low bits are replaced by its row and the keys sorted as values: twice as
    fast as an argsort of the keys (1.96 million keys at 45 times BBC: 54 ms a band),
    and each bucket's rows come out in order, as a bucket over BUCKET_CAP needs them.
    Keys that differ only in the bits given to rows (in 6 and 10 of the two signals'
    42 bands at 45 times BBC, almost never at BBC's size) are then told apart on the
    keys themselves.
    """
    bits = max(1, (n - 1).bit_length())
    low = np.uint64((1 << bits) - 1)
    packed = np.sort((column & ~low) | np.arange(n, dtype=np.uint64))
    top = packed >> np.uint64(bits)
    edges = np.flatnonzero(np.concatenate(([True], top[1:] != top[:-1], [True])))
    sizes = np.diff(edges)
    shared = sizes > 1
    if not shared.any():
        return None
    order = (packed[np.repeat(shared, sizes)] & low).astype(np.int64)
    sizes = sizes[shared]
    keys = column[order]
    bucket = np.repeat(np.arange(len(sizes)), sizes)
    mixed = np.flatnonzero((keys[1:] != keys[:-1]) & (bucket[1:] == bucket[:-1]))
    if not len(mixed):
        return order, sizes
    starts = np.cumsum(sizes) - sizes
    for b in np.unique(bucket[mixed]).tolist():  # a bucket holding several keys: its rows sorted by key
        s, e = starts[b], starts[b] + sizes[b]
        by_key = np.lexsort((order[s:e], keys[s:e]))
        order[s:e], keys[s:e] = order[s:e][by_key], keys[s:e][by_key]
    edges = np.flatnonzero(np.concatenate(([True], (keys[1:] != keys[:-1]) | (bucket[1:] != bucket[:-1]), [True])))
    sizes = np.diff(edges)
    shared = sizes > 1
    if not shared.any():
        return None
    return order[np.repeat(shared, sizes)], sizes[shared]


def candidate_pairs(signatures: np.ndarray, threshold: float, num_perm: int, threads: int = 1,
                    cutoff: float | None = None) -> np.ndarray:
    """Candidate pairs (i, j), i < j, of signature rows, sorted; no pair twice. A row
    with the empty sketch (a unit with no set in this signal) is never a candidate.
    ``threads``: bands sorted side by side (_pairs_of_bands).

    With ``cutoff``, only the candidates whose MinHash estimate (estimated_jaccard) is
    ``cutoff`` or more: the same pairs as filtering every candidate's estimate, found
    at a fraction of the cost and memory. Most candidates of a large run are chance
    ones: at 16 times BBC the content-word signal proposes 4.9 million pairs, of which
    132,000 are estimated likely; reading both 512-byte signatures of each took 1.65 s,
    and the pairs and their codes 240 MB. Two equal values have equal low bytes, so
    the share of equal low bytes is never below the estimate: each band's pairs are
    sifted on the low bytes (a 128-byte row a unit, the memory one block of
    estimated_jaccard takes) as the band is made, and only the pairs left are joined
    and estimated on the values.
    """
    rows = _with_sets(signatures)
    if len(rows) < 2:
        return np.zeros((0, 2), dtype=np.int64)
    ranges = hashranges(threshold, num_perm)
    cols = columns(signatures)
    every = len(rows) == len(signatures)
    n = len(rows)
    sift = None if cutoff is None else _sifter(_low_bytes(signatures), None if every else rows, cutoff)
    if every:
        pairs = _pairs_of_bands(lambda k: _band_key(cols, ranges, k), len(ranges), n, threads, sift)
    else:
        # Each band's keys made for every row, then those of the rows with a set taken: a
        # band's worth of memory, where taking the rows out of ``cols`` first would copy all
        # the signatures (80 MB for the content-word signal at four times BBC).
        pairs = rows[_pairs_of_bands(lambda k: _band_key(cols, ranges, k)[rows], len(ranges), n, threads, sift)]
    if cutoff is None:
        return pairs
    del sift  # and the low bytes with it
    return pairs[estimated_jaccard(signatures, pairs) >= cutoff]  # type: ignore[no-any-return]


def _with_sets(signatures: np.ndarray) -> np.ndarray:
    """The rows that are not the empty sketch (every value EMPTY), ascending. A row whose
    first value is not EMPTY has a set; only the others are read whole (a bool for every
    value of every row was made for it before: 41 MB at eight times BBC)."""
    maybe = np.flatnonzero(signatures[:, 0] == EMPTY)
    if not len(maybe):
        return np.arange(len(signatures))
    empty = np.zeros(len(signatures), dtype=bool)
    empty[maybe] = (signatures[maybe] == EMPTY).all(axis=1)
    return np.flatnonzero(~empty)


def _sifter(low: np.ndarray, rows: np.ndarray | None, cutoff: float) -> Callable[[np.ndarray], np.ndarray]:
    """A band's pair codes (over ``rows``, or every row when None) sifted on the low bytes."""
    n = len(low) if rows is None else len(rows)

    def sift(codes: np.ndarray) -> np.ndarray:
        a, b = codes // n, codes % n
        if rows is not None:
            a, b = rows[a], rows[b]
        return codes[_reach(low, a, b, cutoff)]  # type: ignore[no-any-return]

    return sift


def _low_bytes(signatures: np.ndarray) -> np.ndarray:
    """Each signature value's low byte, a unit's in one row."""
    return signatures.astype(np.uint8, order="C")


def _reach(low: np.ndarray, a: np.ndarray, b: np.ndarray, cutoff: float) -> np.ndarray:
    """Whether the share of equal low bytes of rows a and b, pair by pair, is ``cutoff``
    or more: true of every pair whose estimate is (the same division, of a count at
    least as large)."""
    out = np.empty(len(a), dtype=bool)
    for lo in range(0, len(a), ESTIMATE_STEP):
        hi = lo + ESTIMATE_STEP
        out[lo:hi] = np.count_nonzero(low[a[lo:hi]] == low[b[lo:hi]], axis=1) / low.shape[1] >= cutoff
    return out


def estimated_jaccard(signatures: np.ndarray, pairs: np.ndarray) -> np.ndarray:
    """MinHash's estimate for each pair: the share of equal signature rows. Read
    ESTIMATE_PERMUTATIONS permutations at a time, copied out row-major (a unit's values
    in one or two cache lines), and ESTIMATE_STEP pairs a step, both units of each
    gathered whole: a permutation at a time over every pair, whose temporaries (1.3 MB
    each for BBC's 300,000 word-signal pairs) were out of the cache, took 1.4 times as
    long; a row-major copy of all the signatures at once, 0.75 times, with a second
    copy of a signal's signatures in memory. When the pairs touch at most half the
    rows (the likely pairs of a large run), only those rows are copied out: at 45 times
    BBC, copying every row's block took 0.96 s of the content-word signal's 1.2 s."""
    equal = np.zeros(len(pairs), dtype=np.int64)
    if not len(pairs):
        return equal / signatures.shape[1]  # type: ignore[no-any-return]
    rows = np.sort(pairs.ravel())
    rows = rows[np.concatenate(([True], rows[1:] != rows[:-1]))]
    some = 2 * len(rows) <= len(signatures)
    a, b = (np.searchsorted(rows, pairs[:, 0]), np.searchsorted(rows, pairs[:, 1])) if some else (pairs[:, 0], pairs[:, 1])
    for p in range(0, signatures.shape[1], ESTIMATE_PERMUTATIONS):
        block = _block(signatures, rows if some else None, p, min(p + ESTIMATE_PERMUTATIONS, signatures.shape[1]))
        for lo in range(0, len(pairs), ESTIMATE_STEP):
            hi = lo + ESTIMATE_STEP
            equal[lo:hi] += np.count_nonzero(block[a[lo:hi]] == block[b[lo:hi]], axis=1)
    return equal / signatures.shape[1]  # type: ignore[no-any-return]


def _block(signatures: np.ndarray, rows: np.ndarray | None, start: int, stop: int) -> np.ndarray:
    """Permutations start..stop-1 of the given rows (of every row when None), row-major.
    A column-major array's rows are gathered a permutation (a contiguous column) at a
    time; gathering a row whole would read a cache line a value."""
    if rows is None:
        return np.ascontiguousarray(signatures[:, start:stop])
    if signatures.strides[0] != signatures.itemsize:  # row-major: each row's values side by side
        return np.ascontiguousarray(signatures[rows, start:stop])
    out = np.empty((len(rows), stop - start), dtype=signatures.dtype)
    for c in range(start, stop):
        out[:, c - start] = signatures[:, c].take(rows)
    return out
