"""runs.py and what phrases.py reads: the frozen list of common English words, the seed
pairing, the hash look-up, maximal runs, a unit's text read from its rows."""

from __future__ import annotations

import marshal

import numpy as np
import pytest
import wordfreq

import dedupe
from dedupe import runs, shingles
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


@pytest.mark.parametrize("size", [300, 70_000])
def test_lookup_finds_each_value_as_a_dict_would_also_where_entries_share_low_bits(size: int) -> None:
    rng = np.random.default_rng(11)
    table = rng.integers(0, 2**63, size, dtype=np.int64).astype(np.uint64)
    low = np.uint64((1 << shingles.LOOKUP_BITS) - 1)
    # entries that differ only above the low bits, and values that share an entry's low bits only
    table[: size // 10] = (table[: size // 10] & low) | (np.arange(size // 10, dtype=np.uint64) << np.uint64(40))
    table[size // 10 : size // 5] = (table[: size // 10] & low) | np.uint64(1 << 62)
    table = np.unique(table)
    values = np.concatenate((rng.choice(table, 2_000), rng.integers(0, 2**63, 2_000, dtype=np.int64).astype(np.uint64),
                             (table[:500] & low) | np.uint64(1 << 50)))
    found, index = shingles.lookup(values, table)
    where = {int(v): n for n, v in enumerate(table.tolist())}
    want = [where.get(v) for v in values.tolist()]
    assert found.tolist() == [w is not None for w in want]
    assert index[found].tolist() == [w for w in want if w is not None]


def naive_maximal_runs(words: runs.Words, p: list[int], q: list[int]) -> list[tuple[int, int, int, int, int]]:
    """maximal_runs written out: each seed pair of two units extended word by word."""
    h, unit, ip = words.hashes.tolist(), words.unit.tolist(), words.indptr.tolist()
    found = set()
    for a, b in zip(p, q):
        if unit[a] == unit[b]:
            continue
        a, b = (a, b) if unit[a] < unit[b] else (b, a)
        ua, ub = unit[a], unit[b]
        while a > ip[ua] and b > ip[ub] and h[a - 1] == h[b - 1]:
            a, b = a - 1, b - 1
        n = 1
        while a + n < ip[ua + 1] and b + n < ip[ub + 1] and h[a + n] == h[b + n]:
            n += 1
        found.add((ua, ub, a, b, n))
    return sorted(found, key=lambda r: (r[2], r[3]))


def test_maximal_runs_extends_each_seed_pair_to_its_run_once_as_a_loop_would() -> None:
    rng = np.random.default_rng(3)
    counts = rng.integers(1, 30, 400)
    hashes = rng.integers(0, 12, int(counts.sum())).astype(np.uint64)  # 12 words: long runs, many seeds
    words = runs.Words.of(hashes, counts, np.repeat(np.arange(100), 4))
    p, q = rng.integers(0, len(hashes), (2, 3_000))
    p, q = p[hashes[p] == hashes[q]], q[hashes[p] == hashes[q]]
    got = runs.maximal_runs(words, p, q)
    rows = list(zip(got.a.tolist(), got.b.tolist(), got.pa.tolist(), got.pb.tolist(), got.length.tolist()))
    assert rows == naive_maximal_runs(words, p.tolist(), q.tolist())


def test_a_unit_lists_text_is_read_from_its_rows_without_making_the_unit() -> None:
    result = dedupe.check(texts={"a.txt": "First line of the story here.\n\nA second sentence follows it now.\n"})
    made = result.units[0]
    rows = unit_rows(made)
    packed = UnitList(0, marshal.dumps(list(rows)), len(rows))
    assert [packed.text(i) for i in range(len(packed))] == [u.text for u in made]
    assert packed.unpacked() is not None and all(item is None for item in packed._built or [])  # none made
    assert list(packed) == list(made)
