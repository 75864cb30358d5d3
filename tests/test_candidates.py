"""Candidates: numpy banding proposes exactly MinHashLSH's pairs; exact verification."""

from __future__ import annotations

import math

import numpy as np
from datasketch import MinHash, MinHashLSH

from dedupe.candidates import (
    BUCKET_CAP,
    _pairs_of_bands,
    _probability,
    band_params,
    candidate_pairs,
    hashranges,
)
from dedupe.shingles import Shingles
from dedupe.verify import Signal, exact_jaccard, exact_jaccards, verified


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


def test_hashranges_equal_minhashlsh_for_its_band_params() -> None:
    for threshold in (0.3, 0.5, 0.6, 0.8, 0.95):
        for num_perm in (16, 128, 256):
            lsh = MinHashLSH(threshold=threshold, num_perm=num_perm, params=band_params(threshold, num_perm))
            assert tuple(map(tuple, lsh.hashranges)) == hashranges(threshold, num_perm)


def test_pairs_equal_those_of_a_real_minhashlsh(monkeypatch) -> None:
    from dedupe import candidates

    monkeypatch.setattr(candidates, "MIN_UNITS_FOR_THREADS", 0)  # threads=3 below really takes three
    sets = _similar_sets()
    indptr = np.concatenate(([0], np.cumsum([len(s) for s in sets])))
    from dedupe.sign import minhash_input, signatures

    sigs = signatures(Shingles(indptr, np.concatenate(sets)), 128, 1)
    ours = {tuple(p) for p in candidate_pairs(sigs, 0.5, 128).tolist()}
    assert np.array_equal(candidate_pairs(sigs, 0.5, 128, threads=3), candidate_pairs(sigs, 0.5, 128))
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
    got = verified([Signal("shingles", shingles, 0.5)], pairs)
    expected = {(i, j) for i, j in pairs.tolist() if exact_jaccard(sets[i], sets[j]) >= 0.5}
    assert {(p.a, p.b) for p in got} == expected
    for p in got:
        assert p.similarity == exact_jaccard(sets[p.a], sets[p.b]) >= 0.5
        assert p.measure == "shingles"


def test_exact_jaccards_equal_the_one_pair_version() -> None:
    sets = _similar_sets(2)
    indptr = np.concatenate(([0], np.cumsum([len(s) for s in sets])))
    shingles = Shingles(indptr, np.concatenate(sets))
    pairs = np.array([(i, j) for i in range(len(sets)) for j in range(len(sets)) if i != j])
    got = exact_jaccards(shingles, pairs)
    assert got.tolist() == [exact_jaccard(sets[i], sets[j]) for i, j in pairs.tolist()]


def test_exact_jaccards_when_values_share_their_top_bits(monkeypatch) -> None:
    """exact_jaccards sorts on the pair's number over each value's top bits: values that
    differ in their low bits only (two in a pair, and three, where it sorts on both) must
    still be counted right, step after step."""
    from dedupe import verify

    rng = np.random.default_rng(11)
    base = rng.integers(0, 2**40, size=40, dtype=np.uint64) << np.uint64(24)
    sets = []
    for _ in range(60):  # values drawn from a few top-bit groups: many share their top bits
        picked = base[rng.integers(0, len(base), size=25)] | rng.integers(0, 4, size=25, dtype=np.uint64)
        sets.append(np.unique(picked))
    indptr = np.concatenate(([0], np.cumsum([len(x) for x in sets])))
    shingles = Shingles(indptr, np.concatenate(sets))
    pairs = np.array([(i, j) for i in range(len(sets)) for j in range(i + 1, len(sets))])
    expected = [exact_jaccard(sets[i], sets[j]) for i, j in pairs.tolist()]
    assert exact_jaccards(shingles, pairs).tolist() == expected
    monkeypatch.setattr(verify, "PAIRS_PER_STEP", 7)
    assert exact_jaccards(shingles, pairs).tolist() == expected
    a = 5 << 30
    for first, second, jaccard in (([a, a | 1], [a | 1, 9 << 30], 1 / 3),  # three values share their top bits
                                   ([a, 7 << 30], [a | 1, 7 << 30], 1 / 3),  # two do, and differ
                                   ([a, 7 << 30], [a, 8 << 30], 1 / 3)):  # two do, and are equal
        two = Shingles(np.array([0, 2, 4]), np.array(first + second, dtype=np.uint64))
        assert exact_jaccards(two, np.array([[0, 1]])).tolist() == [jaccard]


def test_a_pair_below_the_shingle_threshold_is_kept_by_the_word_signal_and_says_so() -> None:
    sets = _similar_sets(3)
    indptr = np.concatenate(([0], np.cumsum([len(s) for s in sets])))
    shingles = Shingles(indptr, np.concatenate(sets))
    pairs = np.array([(0, 1), (0, 3), (0, 4)])  # variants keeping 28, 15 and 8 of 30
    strict = Signal("shingles", shingles, 0.8)
    loose = Signal("words", shingles, 0.3)
    got = {(p.a, p.b): (p.measure, p.similarity) for p in verified([strict, loose], pairs)}
    assert got == {
        (0, 1): ("shingles", exact_jaccard(sets[0], sets[1])),
        (0, 3): ("words", exact_jaccard(sets[0], sets[3])),
    }


def test_a_bucket_bigger_than_the_cap_pairs_every_member_with_the_first_ones_only() -> None:
    m = BUCKET_CAP + 50
    keys = np.zeros((m + 3, 2), dtype=np.uint64)  # one bucket of m rows in band 0 ...
    keys[m:, 0] = [7, 8, 8]  # ... and a pair in band 0
    keys[:, 1] = np.arange(m + 3) + 100  # band 1 shares nothing
    rows = np.random.default_rng(0).permutation(m)  # the bucket's rows, not in order
    keys[rows, 0] = 5
    got = {tuple(p) for p in _pairs_of_bands(lambda k: keys[:, k], keys.shape[1], len(keys)).tolist()}
    members = sorted(rows.tolist())
    expected = {(members[i], members[j]) for i in range(BUCKET_CAP) for j in range(i + 1, m)}
    assert got == expected | {(m + 1, m + 2)}


def test_keys_sharing_their_top_bits_are_still_buckets_of_their_own() -> None:
    """A band's keys are sorted with their low bits given to the rows: keys that differ
    only there (interleaved, in buckets under and over the cap) must still make buckets
    of equal keys alone, each paired as the cap says."""
    from dedupe.candidates import _band_pairs

    rng = np.random.default_rng(3)
    n = 400
    column = (rng.integers(0, 3, size=n).astype(np.uint64) << np.uint64(40)) | rng.integers(0, 3, size=n).astype(
        np.uint64)  # 9 keys, three to a top
    column[::50] = np.arange(8, dtype=np.uint64) << np.uint64(50)  # and some keys held once
    buckets: dict[int, list[int]] = {}
    for row, key in enumerate(column.tolist()):
        buckets.setdefault(key, []).append(row)
    assert max(map(len, buckets.values())) > BUCKET_CAP > min(map(len, buckets.values()))
    expected = {(rows[i], rows[j]) for rows in buckets.values() for i in range(min(BUCKET_CAP, len(rows)))
                for j in range(i + 1, len(rows))}
    codes = _band_pairs(column, n)
    assert codes is not None
    assert {(c // n, c % n) for c in codes.tolist()} == expected and len(codes) == len(expected)
    assert _band_pairs(np.arange(n, dtype=np.uint64) << np.uint64(20), n) is None  # no two keys equal


def test_rows_with_an_empty_sketch_are_never_candidates() -> None:
    sets = _similar_sets(4)[:10] + [np.zeros(0, dtype=np.uint64)] * 3
    indptr = np.concatenate(([0], np.cumsum([len(s) for s in sets])))
    from dedupe.sign import signatures

    pairs = candidate_pairs(signatures(Shingles(indptr, np.concatenate(sets)), 128, 1), 0.5, 128)
    assert len(pairs) and pairs.max() < 10


def test_a_row_whose_first_value_is_that_of_the_empty_sketch_still_has_a_set() -> None:
    """Rows are told empty on their first value, then read whole only when it is EMPTY:
    a set's signature may hold the value 0xFFFFFFFF in some permutation, its first too."""
    from dedupe.candidates import EMPTY
    from dedupe.sign import signatures

    sets = _similar_sets(4)[:10] + [np.zeros(0, dtype=np.uint64)]
    indptr = np.concatenate(([0], np.cumsum([len(s) for s in sets])))
    sigs = np.array(signatures(Shingles(indptr, np.concatenate(sets)), 128, 1))
    found = candidate_pairs(sigs, 0.5, 128)
    assert len(found) and (found[:, 0] == 0).any()
    sigs[0, 0] = sigs[1, 0] = sigs[2, 0] = EMPTY  # three sets whose first value is EMPTY
    assert np.array_equal(candidate_pairs(sigs, 0.5, 128), found)
    sigs[0] = EMPTY  # now the empty sketch: never a candidate
    assert not (candidate_pairs(sigs, 0.5, 128) == 0).any()


def test_exact_jaccard() -> None:
    a = np.array([1, 2, 3, 4], dtype=np.uint64)
    b = np.array([3, 4, 5], dtype=np.uint64)
    assert exact_jaccard(a, b) == 2 / 5


def test_min_shared_bands_keeps_the_target_recall_at_the_threshold() -> None:
    """Asked to share m bands, a pair exactly at the threshold still becomes a candidate
    with probability TARGET_RECALL or more, and m + 1 would fall short."""
    from dedupe import candidates

    def recall(t: float, m: int) -> float:
        b, r = candidates.band_params(t, 128)
        p = t**r
        return sum(math.comb(b, k) * p**k * (1 - p) ** (b - k) for k in range(m, b + 1))

    assert [candidates.min_shared_bands(t, 128) for t in (0.5, 0.6, 0.7, 0.8)] == [1, 3, 2, 1]
    for t in (0.5, 0.6, 0.7, 0.8):
        m = candidates.min_shared_bands(t, 128)
        assert recall(t, m) >= candidates.TARGET_RECALL > recall(t, m + 1)


def test_a_threshold_of_1_gets_bands_minhashlsh_accepts_and_pairs_identical_sets() -> None:
    """At 1.0 every (b, r) reaches the target recall; one band of 128 rows has the least chance mass,
    but MinHashLSH refuses fewer than two bands."""
    b, r = band_params(1.0, 128)
    assert b >= 2 and b * r <= 128
    assert len(hashranges(1.0, 128)) == b
    from dedupe.sign import signatures

    sets = _similar_sets(2)[:10]
    sigs = signatures(Shingles(np.concatenate(([0], np.cumsum([len(s) for s in sets]))),
                               np.concatenate(sets)), 128, 1)
    sigs = np.concatenate((sigs, sigs[:1]))  # one identical pair: rows 0 and 10
    assert [0, 10] in candidate_pairs(sigs, 1.0, 128).tolist()


def test_signature_layout_changes_neither_bands_nor_estimates() -> None:
    """sign.signatures gives a column-major array (read a permutation at a time); a
    row-major copy of it (the archive index stacks rows) must band and estimate alike,
    and the estimate is the share of equal rows."""
    from dedupe.candidates import band_keys, estimated_jaccard
    from dedupe.sign import signatures

    sets = _similar_sets(3)
    column_major = signatures(Shingles(np.concatenate(([0], np.cumsum([len(s) for s in sets]))),
                                       np.concatenate(sets)), 128, 1)
    row_major = np.ascontiguousarray(column_major)
    assert column_major.flags.f_contiguous and row_major.flags.c_contiguous
    ranges = hashranges(0.5, 128)
    assert np.array_equal(band_keys(column_major, ranges), band_keys(row_major, ranges))
    pairs = candidate_pairs(column_major, 0.5, 128)
    assert np.array_equal(pairs, candidate_pairs(row_major, 0.5, 128)) and len(pairs) > 40
    expected = [np.count_nonzero(row_major[a] == row_major[b]) / 128 for a, b in pairs.tolist()]
    assert estimated_jaccard(column_major, pairs).tolist() == expected
    assert estimated_jaccard(row_major, pairs).tolist() == expected
    few = pairs[::9]  # pairs touching few of the rows: only those rows are copied out
    assert 2 * len(np.unique(few)) <= len(row_major)
    assert estimated_jaccard(column_major, few).tolist() == expected[::9]
    assert estimated_jaccard(row_major, few).tolist() == expected[::9]


def test_a_cutoff_sifts_on_low_bytes_and_keeps_exactly_the_pairs_estimated_at_or_over_it() -> None:
    """candidate_pairs' cutoff sifts on the values' low bytes first: pairs that agree
    there and not in the high bytes must still be judged on the values, a pair exactly
    at the cutoff kept, and the result be what filtering every estimate gives, for both
    signature layouts."""
    from dedupe.candidates import estimated_jaccard

    rng = np.random.default_rng(7)
    n, perms = 300, 128
    sigs = rng.integers(0, 2**32, size=(n, perms), dtype=np.uint32)
    for i in range(1, n):  # each row copies a share of the one before, around the cutoff
        same = rng.random(perms) < rng.uniform(0.2, 0.7)
        sigs[i, same] = sigs[i - 1, same]
        low_only = ~same & (rng.random(perms) < 0.4)  # and others agree in the low byte only
        sigs[i, low_only] = sigs[i - 1, low_only] ^ np.uint32(0x100)
    sigs[1, :64] = sigs[0, :64]  # exactly at a cutoff of 0.5: kept
    sigs[1, 64:] = sigs[0, 64:] ^ np.uint32(1)
    for layout in (sigs, np.asfortranarray(sigs)):
        every = candidate_pairs(layout, 0.5, perms)
        low_share = np.count_nonzero((layout[every[:, 0]] & 0xFF) == (layout[every[:, 1]] & 0xFF), axis=1) / perms
        for cutoff in (0.3, 0.4, 0.5):
            estimated = estimated_jaccard(layout, every) >= cutoff
            got = candidate_pairs(layout, 0.5, perms, cutoff=cutoff)
            assert np.array_equal(got, every[estimated])
            assert cutoff != 0.5 or [0, 1] in got.tolist()
            assert ((low_share >= cutoff) & ~estimated).sum() > 20  # pairs only the values turn away


def test_candidates_with_a_cutoff_are_the_candidates_whose_estimate_reaches_it(monkeypatch) -> None:
    """candidate_pairs sifts each band's pairs on the low bytes when given a cutoff: the
    pairs must be those of filtering every candidate's estimate, with rows without a set
    among them, in threads, and when the cutoff leaves no pair at all."""
    from dedupe import candidates
    from dedupe.candidates import estimated_jaccard
    from dedupe.sign import signatures

    sets = _similar_sets(4)
    sets[3] = sets[7] = np.zeros(0, dtype=np.uint64)  # rows with the empty sketch
    sigs = signatures(Shingles(np.concatenate(([0], np.cumsum([len(s) for s in sets]))), np.concatenate(sets)), 128, 1)
    sigs[5, 64:] = sigs[0, 64:] ^ np.uint32(0x100)  # the low bytes agree with row 0's and the values do not
    for threads in (1, 2):
        monkeypatch.setattr(candidates, "MIN_UNITS_FOR_THREADS", 1 if threads > 1 else 10**9)
        for threshold, cutoff in ((0.5, 0.3), (0.6, 0.4), (0.5, 0.9), (0.5, 1.01)):
            every = candidate_pairs(sigs, threshold, 128, threads)
            expected = every[estimated_jaccard(sigs, every) >= cutoff]
            got = candidate_pairs(sigs, threshold, 128, threads, cutoff)
            assert np.array_equal(got, expected) and got.dtype == every.dtype
            assert len(got) > 10 if cutoff < 0.5 else (len(got) == 0) == (cutoff > 1)
