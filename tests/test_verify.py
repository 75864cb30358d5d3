"""verify.jaccards_between: a few sets against many, the same scores as the pairwise exact Jaccard."""

from __future__ import annotations

import numpy as np
import pytest

from dedupe import verify
from dedupe.shingles import Shingles, sets_by_owner


def test_a_few_sets_against_many_score_as_exact_jaccards(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(verify, "PAIRS_PER_STEP", 64)  # several steps
    rng = np.random.default_rng(3)
    vocabulary = rng.integers(0, 2**63, 60, dtype=np.uint64)
    sizes = rng.integers(0, 25, 200)
    sizes[:3] = 0  # empty sets score 0, as in exact_jaccards
    owner = np.repeat(np.arange(len(sizes)), sizes)
    sets = sets_by_owner(owner, rng.choice(vocabulary, owner.size), len(sizes))
    few = Shingles(sets.indptr[:13] - sets.indptr[0], sets.hashes[: sets.indptr[12]])  # the first 12 sets
    pairs = np.stack((rng.integers(0, 12, 500), rng.integers(0, len(sizes), 500)), axis=1)
    scores = verify.jaccards_between(few, sets, pairs)
    assert np.allclose(scores, verify.exact_jaccards(sets, pairs))
    assert scores[pairs[:, 0] < 3].tolist() == [0.0] * int((pairs[:, 0] < 3).sum())
    same = (pairs[:, 0] == pairs[:, 1]) & (pairs[:, 0] >= 3)  # a set against itself
    assert same.any() and scores[same].tolist() == [1.0] * int(same.sum())
    assert ((scores > 0) & (scores < 1)).sum() > 100
