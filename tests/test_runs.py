"""runs.py and what phrases.py reads: the frozen list of common English words, the seed
pairing, a unit's text read from its rows."""

from __future__ import annotations

import marshal

import numpy as np
import pytest
import wordfreq

import dedupe
from dedupe import runs
from dedupe.model import UnitList, unit_rows
from dedupe.wordlist import COMMON_EN


def test_the_frozen_common_words_are_still_wordfreqs_list() -> None:
    assert list(COMMON_EN) == wordfreq.top_n_list("en", len(COMMON_EN), wordlist="small")


def naive_seed_pairs(keys: list[int], positions: list[int], max_places: int, owners: list[int] | None,
                     max_owners: int) -> tuple[set[tuple[int, int]], list[int]]:
    """seed_pairs written out with a dict: the pairs of positions with equal keys in
    groups small enough, and per position its group's places (distinct owners)."""
    groups: dict[int, list[int]] = {}
    for n, k in enumerate(keys):
        groups.setdefault(k, []).append(n)
    pairs, places = set(), [0] * len(keys)
    for members in groups.values():
        spread = len({owners[n] for n in members}) if owners is not None else len(members)
        for n in members:
            places[n] = spread
        if 2 <= len(members) <= max_places and (owners is None or spread <= max_owners):
            pairs |= {(positions[a], positions[b]) for i, a in enumerate(members) for b in members[i + 1 :]}
    return pairs, places


@pytest.mark.parametrize("with_owners", [False, True])
def test_seed_pairs_pairs_every_two_places_of_a_key_as_a_dict_would(with_owners: bool) -> None:
    rng = np.random.default_rng(7)
    n = 5_000
    keys = rng.choice(rng.integers(0, 2**63, 800, dtype=np.int64), n).astype(np.uint64)
    keys[:50] = np.uint64(2**64 - 1)  # the top bits all set
    positions = np.sort(rng.choice(10 * n, n, replace=False)).astype(np.int64)
    owners = np.sort(rng.integers(0, 300, n)).astype(np.int64) if with_owners else None
    p, q, places = runs.seed_pairs(keys, positions, 12, owners, 6)
    want_pairs, want_places = naive_seed_pairs(keys.tolist(), positions.tolist(), 12,
                                               owners.tolist() if owners is not None else None, 6)
    got = set(zip(p.tolist(), q.tolist()))
    assert {(min(a, b), max(a, b)) for a, b in got} == want_pairs
    assert len(got) == len(p)  # each pair once
    assert places.tolist() == want_places


def test_a_unit_lists_text_is_read_from_its_rows_without_making_the_unit() -> None:
    result = dedupe.check(texts={"a.txt": "First line of the story here.\n\nA second sentence follows it now.\n"})
    made = result.units[0]
    rows = unit_rows(made)
    packed = UnitList(0, marshal.dumps(list(rows)), len(rows))
    assert [packed.text(i) for i in range(len(packed))] == [u.text for u in made]
    assert packed.unpacked() is not None and all(item is None for item in packed._built or [])  # none made
    assert list(packed) == list(made)
