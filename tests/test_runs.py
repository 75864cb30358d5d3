"""runs.py and what phrases.py reads: the frozen list of common English words, the seed
pairing, the hash look-up, maximal runs, a unit's text read from its rows."""

from __future__ import annotations

import marshal

import numpy as np
import pytest
import wordfreq
from conftest import BBC

import dedupe
from dedupe import pipeline, runs, shingles
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
    by_position = np.zeros(10 * n, dtype=np.int64)  # seed_pairs reads the owners by position
    if owners is not None:
        by_position[positions] = owners
    p, q, held, held_places = runs.seed_pairs(keys.copy(), positions, 12,
                                              by_position if owners is not None else None, 6)
    want_pairs, want_places = naive_seed_pairs(keys.tolist(), positions.tolist(), 12,
                                               owners.tolist() if owners is not None else None, 6)
    got = set(zip(p.tolist(), q.tolist()))
    assert {(min(a, b), max(a, b)) for a, b in got} == want_pairs
    assert len(got) == len(p)  # each pair once
    places = np.ones(n, dtype=np.int64)  # a key not held at two places or more is at one
    places[held] = held_places
    assert places.tolist() == want_places


@pytest.mark.parametrize(("size", "step"), [(300, shingles.LOOKUP_STEP), (70_000, shingles.LOOKUP_STEP), (300, 333)])
def test_lookup_finds_each_value_as_a_dict_would_also_where_entries_share_low_bits(monkeypatch, size: int,
                                                                                 step: int) -> None:
    monkeypatch.setattr(shingles, "LOOKUP_STEP", step)  # the values looked up in one step, or in many
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
    assert shingles.contains(values, table).tolist() == found.tolist()


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


def test_whole_marks_the_positions_whose_k_words_lie_in_their_unit_as_counting_would() -> None:
    rng = np.random.default_rng(5)
    counts = rng.integers(0, 12, 300)  # empty units and units shorter than k among them
    words = runs.Words.of(np.zeros(int(counts.sum()), dtype=np.uint64), counts, np.arange(300))
    ends = np.repeat(np.cumsum(counts), counts)
    for k in (1, 2, 3, 8):
        assert words.whole(k).tolist() == (ends - np.arange(len(ends)) >= k).tolist()


def test_kgram_hashes_at_chosen_positions_and_chunk_by_chunk_are_those_of_every_position(
        monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(9)
    hashes = rng.integers(0, 2**63, 5_000, dtype=np.int64).astype(np.uint64)
    monkeypatch.setattr(runs, "CHUNK", 700)  # several chunks, the last one short
    for k in (2, 3, 8):
        every = runs.kgrams(hashes, k)
        at = rng.choice(len(hashes) - k + 1, 2_000)  # unsorted, repeated
        assert runs.kgrams_at(hashes, at.astype(np.int32), k).tolist() == every[at].tolist()
        # a k-gram is k words folded and mixed: naive fold of the first one
        acc = int(hashes[0])
        for j in range(1, k):
            acc = (acc * int(runs._FOLD) + int(hashes[j])) % 2**64
        folded = np.array([acc], dtype=np.uint64)
        assert runs.kgrams_at(hashes, np.array([0]), k)[0] == runs._finish(folded)[0]


def test_the_spread_of_kgrams_counted_chunk_by_chunk_is_that_of_all_whole_kgrams(
        monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(13)
    counts = rng.integers(1, 9, 2_000)
    hashes = rng.integers(0, 6, int(counts.sum())).astype(np.uint64)  # six words: many repeated 3-grams
    words = runs.Words.of(hashes, counts, np.repeat(np.arange(400), 5))
    valid = words.whole(3)
    wanted = runs.kgrams(hashes, 3)[rng.choice(np.flatnonzero(valid), 300)]
    monkeypatch.setattr(runs, "CHUNK", 1_000)
    got = runs.spread_kgrams(words, 3, wanted)
    g = runs.kgrams(hashes, 3)
    docs: dict[int, set[int]] = {}
    for h, d in zip(g[valid].tolist(), words.doc[valid].tolist()):
        docs.setdefault(h, set()).add(d)
    assert got.tolist() == [len(docs[h]) for h in wanted.tolist()]
    assert got.tolist() == runs.spread(g[valid], words.doc[valid], wanted).tolist()


def test_seed_pairs_with_every_key_at_one_place_pairs_nothing_and_holds_no_key() -> None:
    keys = np.arange(1_000, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)
    p, q, held, places = runs.seed_pairs(keys, np.arange(1_000), 8)
    assert (len(p), len(q), len(held), len(places)) == (0, 0, 0, 0)


def test_positions_and_ids_are_int32_below_two_to_the_31_words_and_int64_from_there() -> None:
    assert runs.index_type(2**31 - 1) is np.int32
    assert runs.index_type(2**31) is np.int64


needs_bbc = pytest.mark.skipif(not BBC.is_dir(), reason="the shared BBC corpus is absent (../shared/corpora/bbc)")


def politics_checked(monkeypatch: pytest.MonkeyPatch) -> tuple[list[str], dedupe.Result]:
    """200 BBC politics articles and their check, the runs searched in this process: a
    collection with shared runs and echoes, to check again with the search changed."""
    monkeypatch.setattr(pipeline, "spare_core", lambda: False)
    paths = sorted(str(p) for p in (BBC / "politics").glob("*.txt"))[:200]
    result = dedupe.check(paths)
    assert any(f.measure == "run" for f in result.findings)  # shared runs and echoes among them
    return paths, result


@needs_bbc
def test_the_int64_positions_of_a_collection_past_two_to_the_31_words_find_what_int32_does(
        monkeypatch: pytest.MonkeyPatch) -> None:
    paths, int32 = politics_checked(monkeypatch)
    seen: list[type] = []
    monkeypatch.setattr(runs, "index_type", lambda n: seen.append(np.int64) or np.int64)
    int64 = dedupe.check(paths)
    assert seen  # the int64 types were asked for
    assert int64.findings == int32.findings


@pytest.mark.parametrize("with_owners", [False, True])
def test_seeds_sorted_in_passes_pair_and_count_as_one_pass_does(with_owners: bool,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(17)
    n = 6_000
    values = rng.integers(0, 2**63, 900, dtype=np.int64).astype(np.uint64)
    # keys that differ only in the bits a pass's own sort would keep for its index
    # (bits 10 to 12 with 6,000 keys, but 9 with the 750 of a pass): one group in one sort
    monkeypatch.setattr(runs, "_INDEX_BITS", 8)
    values[:300] = values[:300] >> np.uint64(13) << np.uint64(13)
    values[300:600] = values[:300] | (rng.integers(1, 8, 300).astype(np.uint64) << np.uint64(10))
    keys = rng.choice(values, n)
    pos = np.sort(rng.choice(5 * n, n, replace=False))
    owners = np.sort(rng.integers(0, 400, 5 * n)) if with_owners else None

    def keys_of(at: np.ndarray) -> np.ndarray:
        return keys[np.searchsorted(pos, at)]  # a fresh array: seed_pairs sorts in it

    def found() -> tuple[set[tuple[int, int]], dict[int, int]]:
        p, q, held, places = runs.seeds(keys_of, pos, 12, owners, 6)
        assert len(set(zip(p.tolist(), q.tolist()))) == len(p)  # each pair once
        return set(zip(p.tolist(), q.tolist())), dict(zip(held.tolist(), places.tolist()))

    one = found()
    monkeypatch.setattr(runs, "PASS_KEYS", 1_000)  # eight passes
    monkeypatch.setattr(runs, "CHUNK", 700)
    assert found() == one
    assert one[0] and one[1]  # pairs and held keys to compare


@needs_bbc
def test_the_seeds_of_a_large_collection_sorted_in_passes_find_what_one_sort_does(
        monkeypatch: pytest.MonkeyPatch) -> None:
    paths, one = politics_checked(monkeypatch)
    passes: list[int] = []
    real = runs.seed_pairs
    monkeypatch.setattr(runs, "seed_pairs", lambda *a, **k: passes.append(1) or real(*a, **k))
    monkeypatch.setattr(runs, "PASS_KEYS", 5_000)  # 16 passes or more for each kind of seed
    assert dedupe.check(paths).findings == one.findings
    assert len(passes) >= 32
