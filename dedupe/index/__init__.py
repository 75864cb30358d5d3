"""The index of signed units that outlives a run: one abstraction, two back ends.

What it holds, per exact-repeat key (a normalised text, stored once however many
articles print it): its 64-bit hash (the exact key), its word hashes (from which
verification rebuilds the shingle and content-word sets exactly), its MinHash band keys
for each signal, and how many units use it. Per unit: its document, position, role,
span and source text. Per document: path, content hash, and title, date and URL when
the file gives them. What it answers: "keys exactly equal to these", "keys sharing a
band with these signatures", then the words of those keys for exact verification
(archive.py) and the places that print them.

Back ends (``open_store``): a folder (default ``.dedupe-index/``) holds one SQLite file,
no server (sqlite_store.py); ``redis://host:port/db`` is a Redis server shared by CI
runners and editors, in datasketch's MinHashLSH key layout (redis_store.py). The same
queries give the same answers on both.

An index is versioned by what changes signatures and keys (``signature_settings``):
one built with other settings, or by a version that lays it out differently, is
refused with the command that rebuilds it.
"""

from __future__ import annotations

import hashlib
import json
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from dedupe import __version__, normalize
from dedupe.model import DedupeError, Provenance, Settings, Span

if TYPE_CHECKING:
    import numpy as np

FORMAT = "1"  # of the stored layout; an index of another format is refused
DEFAULT_FOLDER = ".dedupe-index"
SIGNALS = ("shingles", "words")  # signal index -> measure (verify.py); words only with a word_threshold


@dataclass(frozen=True, slots=True)
class Place:
    """A unit of an archived article, as stored: enough to show it and say where it is."""

    path: str
    index: int  # the unit's position in its document
    role: str
    span: Span
    text: str  # the source text of the unit, markup included
    provenance: Provenance


@dataclass(frozen=True, slots=True)
class DocEntry:
    """An article to store: its path, content hash, provenance, and its checked units
    as rows ``(index, role, offset, length, line, column, end_line, end_column, text)``
    with the hash of each unit's exact-repeat key."""

    path: str
    hash: str
    provenance: Provenance
    rows: tuple[tuple[Any, ...], ...]
    keys: tuple[int, ...]  # per row: its key hash


@dataclass(frozen=True, slots=True)
class KeyEntry:
    """A normalised text to store once: its word hashes and, per signal, its MinHash
    signature (None when the key has no set in that signal: too few content words)."""

    hash: int
    words: bytes  # uint64 word hashes, in order
    signatures: tuple[np.ndarray | None, ...]


@dataclass(frozen=True, slots=True)
class Stored:
    """Keys found in the index, as parallel arrays: their ids (sorted), how many units
    print each, and each one's word hashes."""

    ids: np.ndarray  # int64
    units: np.ndarray  # int64
    words: list[np.ndarray]  # uint64 word hashes per key


def stored(ids: list[int], units: list[int], blobs: list[bytes]) -> Stored:
    """A Stored from rows read, words as uint64 bytes: one buffer, split (thousands of
    keys a query: one array each would cost more than reading them)."""
    import numpy as np

    order = np.argsort(np.asarray(ids, dtype=np.int64), kind="stable")
    blobs = [blobs[i] for i in order]
    flat = np.frombuffer(b"".join(blobs), dtype=np.uint64)
    ends = np.cumsum(np.fromiter((len(b) // 8 for b in blobs), dtype=np.int64, count=len(blobs))).tolist()
    return Stored(np.asarray(ids, dtype=np.int64)[order], np.asarray(units, dtype=np.int64)[order],
                  [flat[a:b] for a, b in zip([0, *ends], ends)])  # slices: np.split costs 5 us a piece


class Store(ABC):
    """One back end. Writes are atomic per ``write`` call and safe when several
    processes write at once; reads see the last complete write."""

    target: str
    batch_docs = 2000  # articles per write while indexing: bounds memory, and each write is atomic

    @abstractmethod
    def meta(self) -> dict[str, Any] | None:
        """What the index was built with (``index_meta``), or None when it is empty."""

    @abstractmethod
    def hashes(self, paths: Sequence[str]) -> dict[str, str]:
        """The stored content hash of each of these paths that is in the index."""

    @abstractmethod
    def paths_under(self, paths: Sequence[str]) -> list[str]:
        """Stored paths equal to one of these or inside one of these folders."""

    @abstractmethod
    def write(self, meta: dict[str, Any], docs: Sequence[DocEntry], keys: dict[int, KeyEntry],
              remove: Sequence[str] = (), clear: bool = False) -> None:
        """In one transaction: empty the index if ``clear``; drop the documents at
        ``remove`` and at the paths of ``docs`` (a changed article replaces its old
        entries), keys no unit uses any more with them; store ``docs``, and the ``keys``
        they use that are not stored yet. ``meta`` is recorded, or checked against the
        stored one when another process wrote first."""

    @abstractmethod
    def exact(self, hashes: Sequence[int]) -> dict[int, int]:
        """Key hash -> key id, for the hashes stored."""

    @abstractmethod
    def candidates(self, signal: int, signatures: np.ndarray, least: int = 1) -> np.ndarray:
        """Distinct (signature row, key id) pairs, int64 n x 2, of the keys that share at
        least ``least`` bands with a row in this signal. Rows with the empty sketch have
        none."""

    @abstractmethod
    def keys(self, ids: Sequence[int]) -> Stored:
        """The stored keys of these ids (ids no longer stored are left out)."""

    @abstractmethod
    def places(self, ids: Sequence[int], limit: int) -> dict[int, list[Place]]:
        """Up to ``limit`` places of each key, in the order they were stored."""

    @abstractmethod
    def counts(self) -> dict[str, int]:
        """Documents, units and keys stored, and the size in bytes."""

    def close(self) -> None:
        """Release connections."""


def signature_settings(settings: Settings) -> dict[str, Any]:
    """The settings that change what is stored: keys, word hashes, signatures, bands."""
    s = settings
    return {"normalizer": normalize.NORMALIZER_VERSION, "min_words": s.min_words, "shingle": s.shingle,
            "num_perm": s.num_perm, "seed": s.seed, "threshold": s.threshold, "word_threshold": s.word_threshold}


def index_meta(settings: Settings) -> dict[str, Any]:
    return {"format": FORMAT, "tool": __version__, "settings": signature_settings(settings)}


def key_hash(key: str) -> int:
    """The exact key of a normalised text: 64 bits of BLAKE2b, signed (SQLite's integers)."""
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(), "little", signed=True)


def rebuild_hint(target: str) -> str:
    return f"rebuild it with `dedupe index build PATH... --index {target}`"


def check_meta(target: str, stored: dict[str, Any] | None, meta: dict[str, Any]) -> None:
    """Refuse an index of another format, or built with other signature settings than
    ``meta`` (``index_meta`` of this run's settings)."""
    if stored is None:
        return
    if stored.get("format") != meta["format"]:
        raise DedupeError(f"{target}: index format {stored.get('format')!r} (built by dedupe "
                          f"{stored.get('tool', '?')}) is not the format {meta['format']!r} this dedupe "
                          f"{meta['tool']} reads; {rebuild_hint(target)}")
    mine, theirs = meta["settings"], stored.get("settings", {})
    differ = [k for k in mine if theirs.get(k) != mine[k]]
    if differ:
        were = ", ".join(f"{k}={theirs.get(k)!r}" for k in differ)
        now = ", ".join(f"{k}={mine[k]!r}" for k in differ)
        raise DedupeError(f"{target}: index built with {were} (dedupe {stored.get('tool', '?')}), this run uses "
                          f"{now}; run with the index's settings, or {rebuild_hint(target)}")


def dumps_meta(meta: dict[str, Any]) -> str:
    return json.dumps(meta, sort_keys=True)


def open_store(target: str, settings: Settings) -> Store:
    """The back end a target names: ``redis://host:port/db`` or a folder path.
    Raises DedupeError for an unknown scheme, an unreachable server or a damaged index."""
    from dedupe import archive, candidates

    ranges = [candidates.hashranges(settings.threshold, settings.num_perm)]
    if settings.word_threshold:
        ranges.append(candidates.hashranges(settings.word_threshold, settings.num_perm))
    if "://" in target:
        scheme = target.split("://", 1)[0].lower()
        if scheme in ("redis", "rediss", "unix"):
            from dedupe.index import redis_store

            return redis_store.RedisStore(target, ranges)
        raise DedupeError(f"{target}: unknown index URL scheme {scheme!r} (use a folder path or redis://host:port/db)")
    from dedupe.index import sqlite_store

    return sqlite_store.SQLiteStore(target, ranges, lambda words: archive.signatures(words, settings))
