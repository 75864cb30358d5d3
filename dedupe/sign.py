"""Signing: shingle sets -> MinHash signatures, all units at once.

The permutations are datasketch's own (``MinHash(num_perm, seed).permutations``, the
"affine32" scheme, drawn the way datasketch draws them), applied to every shingle of
every unit in one numpy expression per chunk and reduced per unit with
``np.minimum.reduceat``. This is exactly what ``MinHash.update_batch`` computes for
one set, without a Python call per shingle or per unit (a test checks the rows equal
datasketch's).
"""

from __future__ import annotations

import random
from collections.abc import Callable
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

    datasketch draws ``np.random.RandomState(seed).randint(0, 2**31, num_perm,
    dtype=uint32)`` (doubled, plus one), then ``randint(0, 2**32, ...)``: each value is
    one 32-bit output of the Mersenne Twister, masked to 31 bits for the first (no
    draw is rejected when the range is a power of two). Python's ``random`` runs the
    same generator; given the state numpy's integer seeding makes (``_mt_state``),
    ``getrandbits(32)`` yields the same outputs. This spares a check of one draft
    importing numpy.random (5 to 9 ms).
    """
    gen = random.Random()
    gen.setstate((3, (*_mt_state(seed), 624), None))  # position 624: the next draw regenerates, as numpy's
    a = np.fromiter(((gen.getrandbits(32) & 0x7FFFFFFF) * 2 + 1 for _ in range(num_perm)), dtype=_U32, count=num_perm)
    b = np.fromiter((gen.getrandbits(32) for _ in range(num_perm)), dtype=_U32, count=num_perm)
    return a, b


def _mt_state(seed: int) -> list[int]:
    """MT19937's 624 words after ``init_genrand(seed)``: how ``RandomState(seed)``
    seeds it for an integer seed (Python's ``random.seed`` seeds it another way)."""
    if not 0 <= seed < 1 << 32:
        raise ValueError(f"seed must be between 0 and 2**32 - 1, got {seed}")
    state = [seed]
    for i in range(1, 624):
        state.append((1812433253 * (state[-1] ^ (state[-1] >> 30)) + i) & 0xFFFFFFFF)
    return state


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


def signatures(shingles: Shingles, num_perm: int, seed: int, threads: int = 1,
               empty: Callable[..., np.ndarray] = np.empty) -> np.ndarray:
    """One MinHash signature row (uint32) per unit; units without shingles get the
    empty-sketch value (all 0xFFFFFFFF), as an empty datasketch MinHash has.

    Permutations run along rows (num_perm x shingles) so that the per-unit minimum is a
    ``reduceat`` over contiguous memory, in chunks of whole units that fit in cache.
    The array is column-major (``out.T`` is C-contiguous, one permutation a row): LSH
    bands read the permutations a row at a time (candidates.columns) and would
    otherwise need a transposed copy, which took as long as the signing.
    With ``threads`` > 1 the units are cut into that many runs signed side by side
    (numpy lets go of the GIL for these loops, so the cores share the work).
    ``empty`` makes the array (``np.empty``'s arguments): memory.Spill's, in a file.
    """
    n = len(shingles)
    out = empty((n, num_perm), _U32, "F")
    out.fill(np.iinfo(_U32).max)
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
        from concurrent.futures import ThreadPoolExecutor  # here: most runs sign in one thread

        with ThreadPoolExecutor(len(parts)) as pool:
            list(pool.map(lambda units: _sign_units(shingles.indptr, hv, units, a.reshape(-1, 1), b.reshape(-1, 1),
                                                    out), parts))
    return out


def _sign_units(indptr: np.ndarray, hv: np.ndarray, units: np.ndarray, a: np.ndarray, b: np.ndarray,
                out: np.ndarray) -> None:
    """Sign ``units`` (ascending, non-empty) into their rows of ``out``, a chunk at a time.

    The permuted values go into one buffer reused by every chunk, and the minima
    straight into ``out`` where a chunk's units are consecutive, as they mostly are:
    making two 2 MB arrays a chunk and copying the minima took a quarter of the
    signing (BBC's two signals on one core: 0.22 s, now 0.16 s)."""
    ends = indptr[units + 1]
    buf = np.empty((len(a), 2 * CHUNK_SHINGLES), _U32)
    rows = out.T
    with np.errstate(over="ignore"):
        i = 0
        while i < len(units):
            lo = indptr[units[i]]
            j = max(int(np.searchsorted(ends, lo + CHUNK_SHINGLES, side="right")), i + 1)
            chunk = units[i:j]
            m = ends[j - 1] - lo
            phv = buf[:, :m] if m <= buf.shape[1] else np.empty((len(a), m), _U32)  # a unit longer than that
            np.multiply(hv[lo : lo + m], a, out=phv)
            np.add(phv, b, out=phv)
            first, last = int(chunk[0]), int(chunk[-1])
            if last - first == j - i - 1:
                np.minimum.reduceat(phv, indptr[first : last + 1] - lo, axis=1, out=rows[:, first : last + 1])
            else:
                rows[:, chunk] = np.minimum.reduceat(phv, indptr[chunk] - lo, axis=1)
            i = j
