"""Candidates: numpy banding proposes exactly MinHashLSH's pairs; exact verification."""

from __future__ import annotations

import numpy as np
from datasketch import MinHash, MinHashLSH

from dedupe.candidates import band_params, candidate_pairs, hashranges, _probability
from dedupe.normalize import Shingles
from dedupe.verify import exact_jaccard, verified


def _similar_sets(seed: int = 0) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    base = [rng.integers(0, 2**63, size=30, dtype=np.uint64) for _ in range(40)]
    out = []
    for b in base:
        out.append(np.unique(b))
        for keep in (28, 22, 15, 8):  # variants sharing fewer and fewer shingles
            extra = rng.integers(0, 2**63, size=30 - keep, dtype=np.uint64)
            out.append(np.unique(np.concatenate((b[:keep], extra))))
    return out


def test_band_params_reach_the_target_recall_at_the_threshold() -> None:
    for threshold in (0.4, 0.5, 0.6, 0.8):
        b, r = band_params(threshold, 128)
        assert b * r <= 128
        assert _probability(threshold, b, r) >= 0.995


def test_pairs_equal_those_of_a_real_minhashlsh() -> None:
    sets = _similar_sets()
    indptr = np.concatenate(([0], np.cumsum([len(s) for s in sets])))
    from dedupe.sign import minhash_input, signatures

    sigs = signatures(Shingles(indptr, np.concatenate(sets)), 128, 1)
    ours = {tuple(p) for p in candidate_pairs(sigs, 0.5, 128).tolist()}
    lsh = MinHashLSH(threshold=0.5, num_perm=128, params=band_params(0.5, 128))
    assert tuple(map(tuple, lsh.hashranges)) == hashranges(0.5, 128)
    minhashes = []
    for i, s in enumerate(sets):
        m = MinHash(num_perm=128, seed=1, hashfunc=lambda x: x)
        m.update_batch(minhash_input(s).tolist())
        minhashes.append(m)
        lsh.insert(i, m)
    theirs = {(min(i, j), max(i, j)) for i, m in enumerate(minhashes) for j in lsh.query(m) if i != j}
    assert ours == theirs
    assert len(ours) > 40  # the test has real near pairs in it


def test_verified_scores_are_exact_and_at_or_above_threshold() -> None:
    sets = _similar_sets(1)
    indptr = np.concatenate(([0], np.cumsum([len(s) for s in sets])))
    shingles = Shingles(indptr, np.concatenate(sets))
    pairs = np.array([(i, j) for i in range(len(sets)) for j in range(i + 1, len(sets))])
    got = verified(shingles, pairs, np.ones(len(pairs)), 0.5)
    expected = {(i, j) for i, j in pairs.tolist() if exact_jaccard(sets[i], sets[j]) >= 0.5}
    assert {(i, j) for i, j, _ in got} == expected
    for i, j, score in got:
        assert score == exact_jaccard(sets[i], sets[j]) >= 0.5


def test_exact_jaccard() -> None:
    a = np.array([1, 2, 3, 4], dtype=np.uint64)
    b = np.array([3, 4, 5], dtype=np.uint64)
    assert exact_jaccard(a, b) == 2 / 5
