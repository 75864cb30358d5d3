"""Signing: shingle sets -> MinHash signatures, all units at once.

The permutations are datasketch's own (``MinHash(num_perm, seed).permutations``, the
"affine32" scheme, drawn the way datasketch draws them), applied to every shingle of
every unit in one numpy expression per chunk and reduced per unit with
``np.minimum.reduceat``. This is exactly what ``MinHash.update_batch`` computes for
one set, without a Python call per shingle or per unit (a test checks the rows equal
datasketch's).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache

import numpy as np

from dedupe.shingles import Shingles

SCHEME = "affine32"
CHUNK_SHINGLES = 4_096  # shingles per numpy chunk: 128 permutations x 4k x 4 B = 2 MB
MIN_UNITS_PER_THREAD = 2_048  # fewer units than this are not worth a thread
_U32 = np.uint32
_FMIX32 = (_U32(16), _U32(0x85EBCA6B), _U32(13), _U32(0xC2B2AE35), _U32(16))


@lru_cache(maxsize=8)
def permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """datasketch's (a, b) for this num_perm and seed, as uint32 vectors.

    Drawn as ``MinHash._init_permutations`` draws them for the "affine32" scheme (odd
    multipliers), rather than by making a MinHash: importing datasketch imports
    scipy, half a second of a run that takes one. A test checks they equal
    datasketch's.
    """
    gen = np.random.RandomState(seed)
    a = gen.randint(0, 1 << 31, num_perm, dtype=_U32) * _U32(2) + _U32(1)
    b = gen.randint(0, 1 << 32, num_perm, dtype=_U32)
    return a, b


def _fmix32(h: np.ndarray) -> np.ndarray:
    s1, m1, s2, m2, s3 = _FMIX32
    h = h ^ (h >> s1)
    h = h * m1
    h = h ^ (h >> s2)
    h = h * m2
    return h ^ (h >> s3)


def minhash_input(hashes: np.ndarray) -> np.ndarray:
    """The 32-bit values MinHash sees for 64-bit shingle hashes (their high half)."""
    return (hashes >> np.uint64(32)).astype(_U32)


def signatures(shingles: Shingles, num_perm: int, seed: int, threads: int = 1) -> np.ndarray:
    """One MinHash signature row (uint32) per unit; units without shingles get the
    empty-sketch value (all 0xFFFFFFFF), as an empty datasketch MinHash has.

    Permutations run along rows (num_perm x shingles) so that the per-unit minimum is a
    ``reduceat`` over contiguous memory, in chunks of whole units that fit in cache.
    The array is column-major (``out.T`` is C-contiguous, one permutation a row): LSH
    bands read the permutations a row at a time (candidates.columns) and would
    otherwise need a transposed copy, which took as long as the signing.
    With ``threads`` > 1 the units are cut into that many runs signed side by side
    (numpy lets go of the GIL for these loops, so the cores share the work).
    """
    n = len(shingles)
    out = np.full((n, num_perm), np.iinfo(_U32).max, dtype=_U32, order="F")
    nonempty = np.flatnonzero(np.diff(shingles.indptr))
    if not len(nonempty):
        return out
    a, b = permutations(num_perm, seed)
    with np.errstate(over="ignore"):
        hv = _fmix32(minhash_input(shingles.hashes))
    parts = np.array_split(nonempty, max(1, min(threads, len(nonempty) // MIN_UNITS_PER_THREAD)))
    if len(parts) == 1:
        _sign_units(shingles.indptr, hv, nonempty, a.reshape(-1, 1), b.reshape(-1, 1), out)
    else:
        with ThreadPoolExecutor(len(parts)) as pool:
            list(pool.map(lambda units: _sign_units(shingles.indptr, hv, units, a.reshape(-1, 1), b.reshape(-1, 1),
                                                    out), parts))
    return out


def _sign_units(indptr: np.ndarray, hv: np.ndarray, units: np.ndarray, a: np.ndarray, b: np.ndarray,
                out: np.ndarray) -> None:
    """Sign ``units`` (ascending, non-empty) into their rows of ``out``, a chunk at a time."""
    ends = indptr[units + 1]
    with np.errstate(over="ignore"):
        i = 0
        while i < len(units):
            lo = indptr[units[i]]
            j = max(int(np.searchsorted(ends, lo + CHUNK_SHINGLES, side="right")), i + 1)
            chunk = units[i:j]
            hi = ends[j - 1]
            phv = hv[lo:hi] * a + b
            out.T[:, chunk] = np.minimum.reduceat(phv, indptr[chunk] - lo, axis=1)
            i = j
