"""Signatures kept between runs: a key's MinHash is signed once, not on every edit.

In: the signatures a comparison made last time, by exact-repeat key (cache entries),
and this run's keys with their sets. Out: this run's signatures, the rows of known
keys copied and only new keys signed: row for row what ``sign.signatures`` makes of
all of them.

A key's sets are a function of its text alone: the key is its normalised words joined
by spaces (no word holds a space), every unit of a key has those words, and the sets
are hashed from them (shingles of ``settings.shingle`` words, content words). So the
signature stored under a key's text, with the same num_perm, seed and shingle size
(in the entries' keys) and the same code (the cache's fingerprint), is the one the
comparison would sign. After one edited article in BBC, a few keys of 40,000 are new.

Stored in chunks of CHUNK_KEYS keys, each its own entry with its keys and their
signatures (about 40 MB for BBC's two signals: one entry would be copied three times
over to be written, a peak above the run's own). A run that signed new keys adds
chunks of those keys only (rewriting 40 MB after each edit cost more than the signing
it saves), until more than half the stored keys are gone, when its own keys replace
them all. A chunk holds its keys with their rows, so entries left from different runs
(a run stopped halfway) still say only true things.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

import numpy as np

from dedupe import sign
from dedupe.shingles import Shingles

VERSION = "1"  # of the entries' layout
CHUNK_KEYS = 4_096  # keys an entry holds: 2 signals x 128 permutations x 4 B = 4 MB
# Signatures are kept for collections of up to this many keys (about 5,000 news
# articles): a run reads all those stored, and holds the first signal's while it signs
# the second, 50 MB of each at this size, growing with the collection; larger ones are
# signed whole on every comparison, as without the cache, their memory bounded.
MAX_KEYS = 100_000

Payload = tuple  # type: ignore[type-arg]


class KnownSignatures:
    """Signatures by key text from earlier runs, and those this run made (to store)."""

    def __init__(self, chunks: Sequence[Payload], num_perm: int) -> None:
        self.num_perm = num_perm
        self.rows: dict[str, int] = {}
        self.known: dict[str, np.ndarray] = {}  # measure -> stored signatures, a row per key in ``rows``
        measures = {c[1] for c in chunks}
        self.stored: tuple[str, ...] | None = None  # the signals of the stored chunks, when they agree
        if len(measures) == 1:  # chunks stored with other signals than this run's are of no use together
            self.stored = chunks[0][1]
            self.rows = dict(zip((k for c in chunks for k in c[0]), range(sum(len(c[0]) for c in chunks))))
            self.known = {m: np.concatenate([c[2 + n].reshape(-1, num_perm) for c in chunks])
                          for n, m in enumerate(self.stored)}
        self.keys: Sequence[str] = ()
        self.new = np.zeros(0, dtype=np.int64)  # rows of this run's keys no stored chunk has
        self.made: dict[str, np.ndarray] = {}

    @property
    def signed(self) -> int:
        """Keys this run signed rather than copied."""
        return len(self.new)

    def signatures(self, measure: str, keys: Sequence[str], sets: Shingles, seed: int, threads: int,
                   empty: Callable[..., np.ndarray] = np.empty) -> np.ndarray:
        """``sign.signatures(sets, num_perm, seed, threads, empty)``, where set i is key
        i's: the rows of keys signed before copied, the others signed now."""
        known = self.known.pop(measure, None)  # each signal is signed once a run
        rows = (np.fromiter((self.rows.get(k, -1) for k in keys), dtype=np.int64, count=len(keys))
                if known is not None else np.full(len(keys), -1, dtype=np.int64))
        new = np.flatnonzero(rows < 0)
        if len(new) == len(keys):
            out = sign.signatures(sets, self.num_perm, seed, threads, empty)
        else:
            out = empty((len(keys), self.num_perm), np.uint32, "F")
            old = np.flatnonzero(rows >= 0)
            out[old] = known[rows[old]]  # type: ignore[index]
            if len(new):
                out[new] = sign.signatures(_taken(sets, new), self.num_perm, seed, threads)
        self.keys, self.new = keys, new
        self.made[measure] = out
        return out

    def replaces(self) -> bool:
        """True when this run's chunks should replace the stored ones rather than be added
        to them: the stored ones are of other signals, or more than half their keys are
        gone (edits and deletions leave keys behind)."""
        return self.stored != tuple(self.made) or len(self.rows) + len(self.new) > 2 * len(self.keys)

    def chunks(self, replace: bool) -> Iterator[Payload]:
        """What to store for the next run, a chunk at a time: this run's new keys with
        their signatures, or all its keys (to ``replace`` the stored chunks); then
        forgets them. Nothing when no key was new."""
        made, self.made = self.made, {}
        if not self.signed or not made:
            return
        measures = tuple(made)
        rows = np.arange(len(self.keys)) if replace else self.new
        for lo in range(0, len(rows), CHUNK_KEYS):
            at = rows[lo : lo + CHUNK_KEYS]
            yield (tuple(self.keys[i] for i in at.tolist()), measures, *(np.ascontiguousarray(made[m][at])
                                                                         for m in measures))


def chunk_ok(payload: Payload, num_perm: int) -> bool:
    """True when a stored chunk has the shape ``chunks`` gives it: keys, signal names, and
    an array of num_perm uint32 a key for each signal."""
    if len(payload) < 3 or not isinstance(payload[0], tuple) or not isinstance(payload[1], tuple):
        return False
    keys, measures, *arrays = payload
    return (len(measures) == len(arrays) and all(isinstance(m, str) for m in measures)
            and all(isinstance(k, str) for k in keys[:1])
            and all(hasattr(a, "dtype") and a.dtype == np.uint32 and a.size == len(keys) * num_perm for a in arrays))


def _taken(sets: Shingles, rows: np.ndarray) -> Shingles:
    """The sets of some rows, in that order, as their own Shingles."""
    starts = sets.indptr[rows]
    sizes = sets.indptr[rows + 1] - starts
    indptr = np.concatenate(([0], np.cumsum(sizes))).astype(sets.indptr.dtype)
    at = np.repeat(starts - indptr[:-1], sizes) + np.arange(indptr[-1])
    return Shingles(indptr, sets.hashes[at])
