"""Signing: shingle sets -> MinHash signatures, all units at once.

The permutations are datasketch's own (``MinHash(num_perm, seed).permutations``, the
"affine32" scheme, drawn the way datasketch draws them), applied to every shingle of
units of one size at a time in one numpy expression per step, and reduced per unit
with an element-wise minimum. This is exactly what ``MinHash.update_batch`` computes for
one set, without a Python call per shingle or per unit (a test checks the rows equal
datasketch's).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from functools import lru_cache
from itertools import pairwise

import numpy as np

from dedupe.shingles import Shingles

SCHEME = "affine32"
CHUNK_SHINGLES = 4_096  # shingles per numpy step (twice this): 128 permutations x 8k x 4 B = 4 MB
MIN_UNITS_PER_THREAD = 2_048  # fewer units than this are not worth a thread
BLOCK_UNITS = 1 << 13  # units signed together at most: their signatures in size order take 4 MB (a block a thread)
LONG_UNIT = 256  # units with more shingles than this are signed one at a time
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

    The units are signed a block of BLOCK_UNITS at a time (``_sign_block``). The array
    is column-major (``out.T`` is C-contiguous, one permutation a row): LSH bands read
    the permutations a row at a time (candidates.columns) and would otherwise need a
    transposed copy, which took as long as the signing. With ``threads`` > 1 the blocks
    (at least MIN_UNITS_PER_THREAD units each) are signed side by side: numpy lets go
    of the GIL for these loops, so the cores share the work.
    ``empty`` makes the array (``np.empty``'s arguments): memory.Spill's, in a file.
    """
    n = len(shingles)
    out = empty((n, num_perm), _U32, "F")
    if not n:
        return out
    a, b = permutations(num_perm, seed)
    count = max(-(-n // BLOCK_UNITS), min(threads, n // MIN_UNITS_PER_THREAD))
    edges = np.linspace(0, n, count + 1).astype(np.int64).tolist()
    blocks = list(pairwise(edges))
    if threads == 1 or len(blocks) == 1:
        for lo, hi in blocks:
            _sign_block(shingles.indptr, shingles.hashes, lo, hi, a, b, out)
    else:
        from concurrent.futures import ThreadPoolExecutor  # here: most runs sign in one thread

        with ThreadPoolExecutor(min(threads, len(blocks))) as pool:
            list(pool.map(lambda block: _sign_block(shingles.indptr, shingles.hashes, block[0], block[1], a, b, out),
                          blocks))
    return out


def _sign_block(indptr: np.ndarray, hashes: np.ndarray, lo: int, hi: int, a: np.ndarray, b: np.ndarray,
                out: np.ndarray) -> None:
    """Sign units ``lo`` to ``hi`` into their rows of ``out``, units of one size at a time.

    The values MinHash sees are made for the block's shingles alone: made for all the
    shingles at once, with their temporaries, they took 74 MB at the peak of signing
    at eight times BBC (6.5 million shingles), where the block's take under 1 MB.

    The units are taken in order of their number of shingles. For each size k, a step
    of units (about 2 x CHUNK_SHINGLES shingles) is a k x units matrix of their values,
    one unit a column; permuted, it is num_perm x k x units, and the minimum over k is
    an element-wise minimum of whole rows, which numpy vectorises (and runs without the
    GIL). ``reduceat`` over each unit's run of values (what this did before) spent most
    of its time per run: BBC's two signals took 0.25 s on one thread and 0.26 s on two,
    now 0.18 and 0.13 s (medians of 15). The block's rows are put back in unit order at
    the end, one gather a permutation; they cost 4 MB a thread while it signs (BBC's
    peak RSS 170 -> 181 MB). Units of more than LONG_UNIT shingles (a few a corpus) are
    signed one at a time."""
    base = int(indptr[lo])
    with np.errstate(over="ignore"):
        hv = _fmix32(minhash_input(hashes[base : indptr[hi]]))
    sizes = indptr[lo + 1 : hi + 1] - indptr[lo:hi]
    order = np.argsort(sizes, kind="stable")
    ordered = sizes[order]
    starts = indptr[lo:hi][order] - base
    num_perm = len(a)
    by_size = np.empty((num_perm, hi - lo), _U32)  # the block's signatures, units in size order
    buf = np.empty(num_perm * max(2 * CHUNK_SHINGLES, LONG_UNIT), _U32)
    a3, b3 = a.reshape(-1, 1, 1), b.reshape(-1, 1, 1)
    cuts = np.flatnonzero(np.diff(ordered)) + 1
    with np.errstate(over="ignore"):
        for first, last in zip([0, *cuts.tolist()], [*cuts.tolist(), hi - lo]):
            k = int(ordered[first])
            if k == 0:
                by_size[:, first:last] = np.iinfo(_U32).max
            elif k > LONG_UNIT:
                for c in range(first, last):
                    permuted = np.multiply(hv[starts[c] : starts[c] + k], a3[:, 0])
                    np.add(permuted, b3[:, 0], out=permuted)
                    permuted.min(axis=1, out=by_size[:, c])
            else:
                step = max(1, 2 * CHUNK_SHINGLES // k)
                offsets = np.arange(k).reshape(-1, 1)
                for i in range(first, last, step):
                    j = min(last, i + step)
                    permuted = buf[: num_perm * k * (j - i)].reshape(num_perm, k, j - i)
                    np.multiply(hv[starts[i:j] + offsets], a3, out=permuted)
                    np.add(permuted, b3, out=permuted)
                    if k == 1:
                        by_size[:, i:j] = permuted[:, 0]
                    else:
                        np.minimum.reduce(permuted, axis=1, out=by_size[:, i:j])
    back = np.empty(hi - lo, dtype=np.int64)
    back[order] = np.arange(hi - lo)
    rows = out.T
    for p in range(num_perm):  # a row at a time: rows[:, lo:hi] as a whole is not contiguous, and take would copy
        # mode="clip": no bounds check (the positions are a permutation), twice as fast
        np.take(by_size[p], back, out=rows[p, lo:hi], mode="clip")
