"""verify.jaccards_with: one set against many, the same scores as the pairwise exact Jaccard."""

from __future__ import annotations

import numpy as np

from dedupe import verify
from dedupe.shingles import sets_by_owner


def test_one_set_against_many_scores_as_exact_jaccards() -> None:
    rng = np.random.default_rng(3)
    vocabulary = rng.integers(0, 2**63, 60, dtype=np.uint64)
    sizes = rng.integers(0, 25, 200)
    sizes[:3] = 0  # empty sets score 0, as in exact_jaccards
    owner = np.repeat(np.arange(len(sizes)), sizes)
    sets = sets_by_owner(owner, rng.choice(vocabulary, owner.size), len(sizes))
    rows = rng.permutation(len(sizes))[:150]
    pairs = np.stack((np.full(len(rows), 7), rows), axis=1)
    assert np.allclose(verify.jaccards_with(sets.of(7), sets, rows), verify.exact_jaccards(sets, pairs))
    assert verify.jaccards_with(sets.of(0), sets, rows).tolist() == [0.0] * len(rows)
