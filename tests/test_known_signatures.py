"""Signatures kept between runs (incremental.py): copied by key, they are the rows
signing every key again gives, whatever the order and mix of known and new keys."""

from __future__ import annotations

import numpy as np
import pytest

from dedupe import incremental, sign
from dedupe.shingles import Shingles

NUM_PERM, SEED = 128, 1


def sets_of(members: list[np.ndarray]) -> Shingles:
    indptr = np.concatenate(([0], np.cumsum([len(m) for m in members]))).astype(np.int64)
    hashes = np.concatenate(members) if members else np.zeros(0, dtype=np.uint64)
    return Shingles(indptr, hashes.astype(np.uint64))


@pytest.fixture
def universe() -> dict[str, np.ndarray]:
    """Sixty keys with random sets, two of them empty."""
    rng = np.random.default_rng(7)
    out = {f"key {n}": np.unique(rng.integers(0, 2**63, rng.integers(1, 30), dtype=np.uint64)) for n in range(58)}
    out["empty 1"] = out["empty 2"] = np.zeros(0, dtype=np.uint64)
    return out


def test_kept_signatures_equal_signing_every_key(universe: dict[str, np.ndarray],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(incremental, "CHUNK_KEYS", 7)  # stored over several chunks
    names = sorted(universe)
    first_keys = names[:40]
    first = incremental.KnownSignatures([], NUM_PERM)
    for measure in ("shingles", "words"):
        made = first.signatures(measure, first_keys, sets_of([universe[k] for k in first_keys]), SEED, 1)
        assert np.array_equal(made, sign.signatures(sets_of([universe[k] for k in first_keys]), NUM_PERM, SEED))
    chunks = list(first.chunks(replace=True))
    assert len(chunks) == 6 and all(incremental.chunk_ok(c, NUM_PERM) for c in chunks)

    later_keys = names[20:][::-1] + ["key 3"]  # known and new keys, in another order, one twice
    sets = sets_of([universe[k] for k in later_keys])
    later = incremental.KnownSignatures(chunks, NUM_PERM)
    for measure in ("shingles", "words"):
        assert np.array_equal(later.signatures(measure, later_keys, sets, SEED, 1),
                              sign.signatures(sets, NUM_PERM, SEED))
    assert later.signed == len(set(later_keys) - set(first_keys))  # keys signed, each for both signals


def test_nothing_is_stored_again_when_every_key_was_known(universe: dict[str, np.ndarray]) -> None:
    keys = sorted(universe)
    first = incremental.KnownSignatures([], NUM_PERM)
    first.signatures("shingles", keys, sets_of([universe[k] for k in keys]), SEED, 1)
    again = incremental.KnownSignatures(list(first.chunks(replace=True)), NUM_PERM)
    again.signatures("shingles", keys[5:], sets_of([universe[k] for k in keys[5:]]), SEED, 1)
    assert again.signed == 0 and list(again.chunks(replace=False)) == []


def test_chunks_of_other_signals_are_not_mixed(universe: dict[str, np.ndarray]) -> None:
    keys = sorted(universe)[:10]
    sets = sets_of([universe[k] for k in keys])
    one = incremental.KnownSignatures([], NUM_PERM)
    one.signatures("shingles", keys, sets, SEED, 1)
    both = incremental.KnownSignatures([], NUM_PERM)
    both.signatures("shingles", keys, sets, SEED, 1)
    both.signatures("words", keys, sets, SEED, 1)
    mixed = incremental.KnownSignatures(list(one.chunks(True)) + list(both.chunks(True)), NUM_PERM)
    mixed.signatures("shingles", keys, sets, SEED, 1)
    assert mixed.signed == len(keys)  # neither run's chunks are taken: signed again, not guessed


def kept(universe: dict[str, np.ndarray], keys: list[str], chunks: list[tuple]) -> incremental.KnownSignatures:
    """A run over ``keys`` with the stored ``chunks``, both signals signed."""
    known = incremental.KnownSignatures(chunks, NUM_PERM)
    sets = sets_of([universe[k] for k in keys])
    for measure in ("shingles", "words"):
        assert np.array_equal(known.signatures(measure, keys, sets, SEED, 1), sign.signatures(sets, NUM_PERM, SEED))
    return known


def test_a_run_adds_its_new_keys_until_half_the_stored_ones_are_gone(universe: dict[str, np.ndarray]) -> None:
    names = sorted(universe)
    first = kept(universe, names[:40], [])
    assert first.replaces()  # nothing stored yet
    stored = list(first.chunks(first.replaces()))
    second = kept(universe, names[20:50], stored)
    assert not second.replaces()  # 40 stored and 10 new keys, for 30 keys
    added = list(second.chunks(replace=False))
    assert sorted(k for c in added for k in c[0]) == names[40:50]
    third = kept(universe, names[20:50], stored + added)
    assert third.signed == 0
    fourth = kept(universe, names[45:], stored + added)
    assert fourth.replaces()  # 50 stored and 10 new keys, for 15 keys: most stored keys are gone
    assert sorted(k for c in fourth.chunks(replace=True) for k in c[0]) == names[45:]
