"""Signing in numpy gives exactly datasketch's MinHash."""

from __future__ import annotations

import numpy as np
import pytest
from datasketch import MinHash

from dedupe.shingles import Shingles
from dedupe.sign import minhash_input, signatures


def _sets(n: int, seed: int = 0) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    return [np.unique(rng.integers(0, 2**63, size=int(rng.integers(0, 60)), dtype=np.uint64)) for _ in range(n)]


@pytest.mark.parametrize("chunk", [4_096, 17])  # one chunk with gaps; chunks of consecutive units, some too long
def test_signatures_equal_datasketch_update_batch(monkeypatch, chunk: int) -> None:
    from dedupe import sign

    monkeypatch.setattr(sign, "CHUNK_SHINGLES", chunk)
    sets = _sets(200)
    indptr = np.concatenate(([0], np.cumsum([len(s) for s in sets])))
    sigs = signatures(Shingles(indptr, np.concatenate(sets)), 128, 1)
    for row, s in zip(sigs, sets):
        m = MinHash(num_perm=128, seed=1, hashfunc=lambda x: x)
        m.update_batch(minhash_input(s).tolist())
        assert np.array_equal(m.hashvalues, row)


def test_chunking_does_not_change_signatures(monkeypatch) -> None:
    from dedupe import sign

    sets = _sets(300, seed=3)
    indptr = np.concatenate(([0], np.cumsum([len(s) for s in sets])))
    shingles = Shingles(indptr, np.concatenate(sets))
    whole = signatures(shingles, 64, 7)
    monkeypatch.setattr(sign, "CHUNK_SHINGLES", 17)
    assert np.array_equal(whole, signatures(shingles, 64, 7))


def test_permutations_equal_datasketch_for_any_size_and_seed() -> None:
    from dedupe.sign import SCHEME, permutations

    for num_perm, seed in ((128, 1), (64, 7), (256, 0), (2, 12345)):
        a, b = MinHash(num_perm=num_perm, seed=seed, scheme=SCHEME).permutations
        ours = permutations(num_perm, seed)
        assert ours[0].dtype == ours[1].dtype == np.uint32
        assert np.array_equal(ours[0], a) and np.array_equal(ours[1], b)


def test_signing_in_threads_gives_the_same_rows(monkeypatch) -> None:
    from dedupe import sign

    sets = _sets(301, seed=5) + [np.zeros(0, dtype=np.uint64)] * 3  # empty sets at the end keep the empty sketch
    indptr = np.concatenate(([0], np.cumsum([len(s) for s in sets])))
    shingles = Shingles(indptr, np.concatenate(sets))
    whole = signatures(shingles, 128, 1)
    monkeypatch.setattr(sign, "MIN_UNITS_PER_THREAD", 10)
    assert np.array_equal(whole, signatures(shingles, 128, 1, threads=3))
    assert (whole[-3:] == np.iinfo(np.uint32).max).all()


@pytest.mark.parametrize(("block", "long_unit"), [(7, 5), (64, 1), (1 << 15, 40)])
def test_blocks_and_long_units_give_datasketch_rows(monkeypatch, block: int, long_unit: int) -> None:
    """Units are signed a block at a time, in order of size, and put back in their own
    order; units longer than LONG_UNIT one by one: every row is still its own set's."""
    from dedupe import sign

    monkeypatch.setattr(sign, "BLOCK_UNITS", block)
    monkeypatch.setattr(sign, "LONG_UNIT", long_unit)
    sets = _sets(150, seed=11) + [np.zeros(0, dtype=np.uint64)] + _sets(20, seed=12)  # an empty set mid-way
    indptr = np.concatenate(([0], np.cumsum([len(s) for s in sets])))
    sigs = signatures(Shingles(indptr, np.concatenate(sets)), 128, 1, threads=2)
    for row, s in zip(sigs, sets):
        m = MinHash(num_perm=128, seed=1, hashfunc=lambda x: x)
        m.update_batch(minhash_input(s).tolist())
        assert np.array_equal(m.hashvalues, row)
