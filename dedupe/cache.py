"""Per-file cache: what the per-document stages made of a file, kept between runs.

In: entry keys (a hash of a file's path and decoded text and of everything else the
per-document stages depend on) and payloads (plain tuples, lists, dicts, strings,
numbers and numpy arrays, as ``model.pack`` makes them). Out: the payloads stored by
an earlier run, or nothing. An entry has up to three parts, read apart (model.PART_NAMES):
a small head, the rows (blocks and units) and the words (keys and word hashes). A run
also stores its index and verified pairs (a run entry keyed by all the files' keys and
the comparison's settings) and its findings with every document's head (a result
entry keyed by the files' keys, every setting and the grouping's code too), and a
manifest of the files' stamps, texts and keys that links to the last result entry
(``get_linked``), and git's dates of texts under each HEAD commit (pipeline._git_dates).
A warm run over an unchanged repository stats its files and reads
the manifest and that result entry in one query: no file opened, nothing per file, no
grouping; rows are read when a unit is asked for. When only grouping settings
changed, it loads the heads and the run entry and groups again; words are read when
something has to be compared. A run's writes go in one transaction at its end
(``deferred``).

Storage: one SQLite database, ``cache.sqlite3`` in the cache folder (default
``.dedupe-cache/``, which gets a ``.gitignore`` of its own). A run reads each part it
needs in one query and writes in one transaction, so a crash leaves the last complete
state (writes are not synced to the disk: a power loss may cost the cache, never a
wrong result). Payloads are
``marshal``-ed (arrays as dtype and bytes) with a CRC-32 checksum: a damaged entry, a
damaged or foreign database, a locked or read-only folder all count as misses, and a
database that cannot be read is deleted and rebuilt; the cache never fails a run. A
payload with a sound checksum but not the shape its reader expects (an older layout,
a bug) is dropped with a warning and made again: ``get`` takes the reader's check.
Entries not used for ``MAX_AGE_DAYS`` are deleted, and run and result entries (one per
set of files and settings: each edit makes a new one, as large as the run's index or
findings) beyond the ``MAX_RUNS`` of each kind used last. Findings are stored as plain
values (``plain``), never pickled: a cache folder cannot make a run execute code.

The key's ``fingerprint`` part covers the tool's own source (every ``.py`` file of the
package but those in ``NOT_CACHED``, so any change to a reader, the segmenter or the
comparison invalidates the cache), the
normaliser version, the Python version (``marshal``'s format) and the settings the
caller names.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import hashlib
import marshal
import os
import sqlite3
import sys
import time
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import fields, is_dataclass
from pathlib import Path
from typing import Any

from dedupe import model
from dedupe.model import PART_NAMES

DB_NAME = "cache.sqlite3"
SCHEMA_VERSION = 7
MAX_AGE_DAYS = 30
MAX_RUNS = 8  # run (and result) entries kept: a few settings and scopes over the same tree, and the last edits
KINDS = ("file", "run", "result", "manifest", "signatures", "git")
COUNTED_KINDS = frozenset({"run", "result", "manifest"})  # of which only the MAX_RUNS used last are kept
USED_REFRESH_S = 86400  # an entry's "used" time is refreshed at most once a day
SQLITE_TIMEOUT_S = 10.0
FEW_KEYS = 64  # up to this many keys are looked up with IN (...), more through a temporary table
_ARRAY = "__ndarray__"
_PACKAGE = Path(__file__).resolve().parent
# Code that runs after the cached stages (grouping, output, the command line): a change
# to it cannot make a cached entry wrong. Everything else is in the code fingerprint.
NOT_CACHED = frozenset({"formats", "group.py", "passages.py", "cli.py", "__main__.py", "config.py", "baseline.py", "changed.py"})

Payload = tuple  # plain values: marshal-able, with numpy arrays at the top level


def code_fingerprint() -> str:
    """A hash of the package's Python sources: a new version or a local edit changes it.
    Modules that only present or filter results (NOT_CACHED) are left out, so editing a
    formatter or the grouping rules does not throw the cache away."""
    h = hashlib.sha256()
    for path in sorted(_PACKAGE.rglob("*.py")):
        if path.relative_to(_PACKAGE).parts[0] in NOT_CACHED:
            continue
        h.update(str(path.relative_to(_PACKAGE)).encode() + b"\0")
        try:
            h.update(path.read_bytes())
        except OSError:
            h.update(b"?")
    return h.hexdigest()


def source_fingerprint(*names: str) -> str:
    """A hash of some of the package's modules (by file name), for entries that depend
    on code left out of ``code_fingerprint``."""
    h = hashlib.sha256()
    for name in names:
        h.update(name.encode() + b"\0" + (_PACKAGE / name).read_bytes())
    return h.hexdigest()


def fingerprint(*parts: object) -> str:
    """The part of every key that is not the file: code, Python, byte order, and ``parts``."""
    h = hashlib.sha256()
    for part in (code_fingerprint(), sys.version, sys.byteorder, *parts):
        h.update(repr(part).encode() + b"\0")
    return h.hexdigest()


def plain(value: object) -> object:
    """A value made of dedupe.model's dataclasses (findings, occurrences, spans) as plain
    values ``marshal`` takes: each dataclass a tuple of ``...`` (which no field holds),
    its class name and its fields. Not pickle: a cache folder must not be able to run
    code (a CI cache is restored from elsewhere). Numbers and strings, most of the
    fields, are taken as they are without a call each."""
    kind = type(value)
    if kind in _LEAVES:
        return value
    if isinstance(value, (tuple, list)):
        return type(value)(v if type(v) in _LEAVES else plain(v) for v in value)
    if isinstance(value, dict):
        return {k: v if type(v) in _LEAVES else plain(v) for k, v in value.items()}
    if is_dataclass(value) and not isinstance(value, type):
        return (..., kind.__name__, *(v if type(v) in _LEAVES else plain(v)
                                      for v in map(value.__getattribute__, _field_names(kind))))  # type: ignore[arg-type]
    return value


_LEAVES = frozenset({int, float, str, bool, type(None), bytes})


@functools.cache
def _field_names(cls: Any) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


_CONTAINERS = frozenset({tuple, list, dict})


def unplain(value: Any) -> Any:
    """The value ``plain`` was given, its dataclasses made again (only dedupe.model's).
    Only containers are recursed into: a warm run makes tens of thousands of fields, most
    of them numbers and strings, and a call for each took a fifth of its time. A tuple
    holding no container is taken as it is (BBC's 2,658 such tuples were copied: 32-38
    ms to make BBC's 812 findings again, 20-28 ms without the copies)."""
    kind = type(value)
    if kind is tuple:
        if value and value[0] is ...:
            return _dataclass(value[1])(*[unplain(v) if type(v) in _CONTAINERS else v for v in value[2:]])
        for v in value:
            if type(v) in _CONTAINERS:
                return tuple([unplain(v) if type(v) in _CONTAINERS else v for v in value])
        return value  # a tuple of numbers and strings (an occurrence's units) is what it was: not copied
    if kind is list:
        return [unplain(v) if type(v) in _CONTAINERS else v for v in value]
    if kind is dict:
        return {k: unplain(v) if type(v) in _CONTAINERS else v for k, v in value.items()}
    return value


@functools.cache
def _dataclass(name: str) -> type:
    cls = getattr(model, name, None)
    if not (isinstance(cls, type) and is_dataclass(cls)):
        raise ValueError(f"not a dedupe.model dataclass: {name!r}")
    return cls


def encode(payload: Payload) -> bytes:
    """Bytes for a payload: top-level numpy arrays become (marker, dtype, bytes)."""
    plain = tuple((_ARRAY, a.dtype.str, a.tobytes()) if hasattr(a, "__array_interface__") else a for a in payload)
    body = marshal.dumps(plain)
    return zlib.crc32(body).to_bytes(4, "little") + body


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection meanwhile. Containers just unmarshalled cannot be
    garbage, yet making tens of thousands of them triggers collections that scan them
    all: they took two thirds of the time to load a run's index of BBC's 43,000 units
    (and 6 ms of a warm run's 0.13 s making its findings and documents)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def decode(blob: bytes) -> Payload | None:
    """The payload stored in ``blob``, or None when it is damaged. Arrays are read in
    place, read-only, from the bytes unmarshalled (no copy of the body nor of the
    arrays: an edited BBC run reads 2,225 files' word hashes and 43 MB of signatures,
    whose decoding took 0.165 s with the copies, 0.069 s without)."""
    if len(blob) < 4:
        return None
    body = memoryview(blob)[4:]
    if zlib.crc32(body).to_bytes(4, "little") != blob[:4]:
        return None
    try:
        plain = marshal.loads(body)
    except (EOFError, ValueError, TypeError):
        return None
    if not isinstance(plain, tuple):
        return None
    if not any(isinstance(a, tuple) and len(a) == 3 and a[0] == _ARRAY for a in plain):
        return plain
    import numpy as np  # only payloads with arrays need it: a warm run never imports numpy

    return tuple(
        np.frombuffer(a[2], dtype=np.dtype(a[1]))
        if isinstance(a, tuple) and len(a) == 3 and a[0] == _ARRAY else a
        for a in plain
    )


class Cache:
    """A cache folder: key, get and put entries; every failure is a miss and a warning.
    Nothing touches the disk until the first ``get`` or ``put``; each opens and closes
    its own connection, so there is nothing to close."""

    def __init__(self, folder: str | os.PathLike[str], fingerprint: str) -> None:
        self.folder = Path(folder)
        self.fingerprint = fingerprint
        self.warnings: list[str] = []
        self._broken = False
        self._to_touch: set[str] = set()  # keys read whose "used" mark is old
        self._pending: list[tuple[list[tuple[str, dict[str, Payload]]], list[str], str, dict[str, str]]] | None = None

    def key(self, *parts: str | bytes) -> str:
        """The entry key for these parts (a file's path and text, say) under this fingerprint."""
        h = hashlib.sha256(self.fingerprint.encode())
        h.update(b"".join(b"\0" + (part if isinstance(part, bytes) else part.encode("utf-8", errors="surrogatepass"))
                          for part in parts))
        return h.hexdigest()

    def _warn(self, err: BaseException) -> None:
        self._broken = True
        self.warnings.append(f"{self.folder / DB_NAME}: cache not used ({err})")

    def _connect(self) -> sqlite3.Connection | None:
        """A new connection to a sound database (rebuilt when damaged); None when unusable."""
        if self._broken:
            return None
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            ignore = self.folder / ".gitignore"
            if not ignore.exists():
                ignore.write_text("# created by dedupe\n*\n", encoding="utf-8")
            try:
                return self._open()
            except sqlite3.DatabaseError:
                # Not a database, or one damaged beyond use: start again.
                (self.folder / DB_NAME).unlink()
                return self._open()
        except (OSError, sqlite3.Error) as err:
            self._warn(err)
            return None

    def _open(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.folder / DB_NAME, timeout=SQLITE_TIMEOUT_S, isolation_level=None)
        try:
            # No fsync: a cache needs no durability, and a run that stores a manifest (the
            # texts of every file) waited on the disk for longer than it took to make it.
            # A write cut short by a power loss damages a payload (its checksum says so: a
            # miss) or the database (deleted and rebuilt: see _connect).
            db.execute("PRAGMA synchronous = OFF")
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version != SCHEMA_VERSION:
                db.execute("BEGIN IMMEDIATE")
                db.execute("DROP TABLE IF EXISTS entries")
                # The small columns first: SQLite reaches a column by walking the overflow
                # pages of every column before it, and the clean-up below reads ``used`` of
                # every entry (with the blobs first, that read the whole database, 60 MB for
                # BBC, on every run that wrote anything). Indexed, it reads nothing else.
                db.execute("CREATE TABLE entries (key TEXT PRIMARY KEY, kind TEXT NOT NULL, used INTEGER NOT NULL, "
                           "link TEXT, head BLOB NOT NULL, rows BLOB, words BLOB)")
                db.execute("CREATE INDEX entries_used ON entries (used)")
                db.execute("CREATE INDEX entries_kind ON entries (kind, used)")
                db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                db.execute("COMMIT")
            db.execute("SELECT count(*) FROM entries LIMIT 1").fetchone()
        except sqlite3.Error:
            db.close()
            raise
        return db

    def get(self, keys: list[str], part: str = "head",
            valid: Callable[[Payload], bool] | None = None) -> dict[str, Payload]:
        """The stored payloads (``part`` of the entry) of those keys that have a sound one:
        an intact checksum and, when ``valid`` is given, the shape it accepts. Entries of
        the wrong shape are deleted (so they are made again), with one warning."""
        if part not in PART_NAMES:
            raise ValueError(f"no such part: {part}")
        db = self._connect() if keys else None
        found: dict[str, Payload] = {}
        if db is not None:
            try:
                if len(keys) <= FEW_KEYS:  # a run, result or manifest entry: no table for so few
                    rows = db.execute(f"SELECT key, {part}, used FROM entries WHERE key IN "
                                      f"({','.join('?' * len(keys))})", keys).fetchall()
                else:
                    db.execute("CREATE TEMP TABLE wanted (key TEXT PRIMARY KEY)")
                    db.executemany("INSERT OR IGNORE INTO wanted VALUES (?)", ((k,) for k in keys))
                    rows = db.execute(f"SELECT e.key, e.{part}, e.used FROM entries e JOIN wanted w ON e.key = w.key"
                                      ).fetchall()
            except sqlite3.Error as err:
                self._warn(err)
                rows = []
            finally:
                db.close()
            old = int(time.time()) - USED_REFRESH_S
            wrong: list[str] = []
            with gc_paused():
                for key, blob, used in rows:
                    payload = decode(blob) if blob is not None else None
                    if payload is not None and valid is not None and not valid(payload):
                        wrong.append(key)
                    elif payload is not None:
                        found[key] = payload
                        if used < old:
                            self._to_touch.add(key)
            if wrong:
                self._drop(wrong)
        return found

    def get_linked(self, key: str, valid: Callable[[Payload], bool],
                   linked_valid: Callable[[Payload], bool]) -> tuple[Payload | None, str | None, Payload | None]:
        """The head of ``key``, the key it links to (``put``'s ``links``) and that entry's
        head, in one query: a warm run's manifest and the result it led to last time."""
        db = self._connect()
        if db is None:
            return None, None, None
        try:
            row = db.execute("SELECT m.head, m.used, m.link, r.head, r.used FROM entries m "
                             "LEFT JOIN entries r ON r.key = m.link WHERE m.key = ?", (key,)).fetchone()
        except sqlite3.Error as err:
            self._warn(err)
            row = None
        finally:
            db.close()
        if row is None:
            return None, None, None
        head, used, link, linked, linked_used = row
        old = int(time.time()) - USED_REFRESH_S
        with gc_paused():
            payload = decode(head)
            if payload is not None and not valid(payload):
                self._drop([key])
                return None, None, None
            found = decode(linked) if linked is not None else None
            if found is not None and not linked_valid(found):
                self._drop([link])
                found = None
        for k, u, p in ((key, used, payload), (link, linked_used, found)):
            if p is not None and u < old:
                self._to_touch.add(k)
        return payload, link if payload is not None else None, found

    def _drop(self, keys: list[str]) -> None:
        """Delete entries whose payload has the wrong shape, and say so once."""
        self.warnings.append(f"{self.folder / DB_NAME}: {len(keys)} cache {'entry' if len(keys) == 1 else 'entries'} "
                             "of the wrong shape dropped and made again")
        self.forget(keys)

    def forget(self, keys: list[str]) -> None:
        """Delete entries now (in a transaction of their own): entries a run replaced
        with fewer, which nothing would read again."""
        db = self._connect()
        if db is None:
            return
        try:
            db.execute("BEGIN IMMEDIATE")
            db.executemany("DELETE FROM entries WHERE key = ?", ((k,) for k in keys))
            db.execute("COMMIT")
        except sqlite3.Error as err:
            self._warn(err)
        finally:
            db.close()  # closing rolls back a transaction left open

    def with_parts(self, key: str, parts: list[str]) -> list[str]:
        """``key`` and the keys of the entries it was made from, to mark used together: a
        result entry read in place of the file and run entries it sums up keeps them
        from being forgotten (they are read again after an edit, or for a report)."""
        if key in self._to_touch:
            self._to_touch.update(parts)
        return [key, *parts]

    def put(self, entries: list[tuple[str, dict[str, Payload]]], used: list[str], kind: str = "file",
            links: dict[str, str] | None = None) -> None:
        """Store new entries of a kind (key and its parts by name: a head, and maybe rows and
        words), mark ``used`` keys as used now, point entries at others (``links``, new
        entries or stored ones: see ``get_linked``), forget old entries; one transaction,
        or, inside ``deferred``, part of the one at its end.
        A key read less than ``USED_REFRESH_S`` after it was last marked is not marked again,
        so a warm run over an unchanged repository writes nothing."""
        if kind not in KINDS:
            raise ValueError(f"no such kind of entry: {kind}")
        touch = [k for k in used if k in self._to_touch]
        links = links or {}
        if not entries and not touch and not links:
            return
        if self._pending is not None:
            self._pending.append((entries, touch, kind, links))
        else:
            self._write([(entries, touch, kind, links)])

    def put_now(self, entries: Iterable[tuple[str, dict[str, Payload]]], kind: str) -> None:
        """Store entries in a transaction of their own, inside ``deferred`` too, each
        encoded as it is written: entries of tens of megabytes together (signatures),
        which would be held and copied at once at the end of the run."""
        if kind not in KINDS:
            raise ValueError(f"no such kind of entry: {kind}")
        self._write([(entries, [], kind, {})])  # type: ignore[list-item]

    @contextlib.contextmanager
    def deferred(self) -> Iterator[None]:
        """Puts made meanwhile are written when it ends (unless by an exception), in one
        transaction: a run that stores file, run, manifest and result entries waits for
        the disk once, not four times. Nothing it puts is read back meanwhile."""
        self._pending = []
        try:
            yield
            batch, self._pending = self._pending, None
            self._write(batch)
        finally:
            self._pending = None

    def _write(self, batch: list[tuple[list[tuple[str, dict[str, Payload]]], list[str], str, dict[str, str]]]
               ) -> None:
        if not any(entries or touch or links for entries, touch, _, links in batch):
            return
        db = self._connect()
        if db is None:
            return
        now = int(time.time())
        try:
            db.execute("BEGIN IMMEDIATE")
            for entries, touch, kind, links in batch:
                db.executemany("INSERT OR REPLACE INTO entries (key, kind, used, link, head, rows, words) "
                               "VALUES (?, ?, ?, ?, ?, ?, ?)",
                               ((k, kind, now, links.get(k), *(encode(parts[n]) if n in parts else None
                                                              for n in PART_NAMES)) for k, parts in entries))
                db.executemany("UPDATE entries SET link = ? WHERE key = ?",
                               ((target, k) for k, target in links.items() if k not in {e[0] for e in entries}))
                db.executemany("UPDATE entries SET used = ? WHERE key = ?", ((now, k) for k in touch))
            db.execute("DELETE FROM entries WHERE used < ?", (now - MAX_AGE_DAYS * 86400,))
            for kind in sorted({kind for entries, _, kind, _ in batch if entries and kind in COUNTED_KINDS}):
                db.execute("DELETE FROM entries WHERE kind = ? AND key NOT IN "
                           "(SELECT key FROM entries WHERE kind = ? ORDER BY used DESC, rowid DESC LIMIT ?)",
                           (kind, kind, MAX_RUNS))
            db.execute("COMMIT")
            for _, touch, _, _ in batch:
                self._to_touch.difference_update(touch)
        except sqlite3.Error as err:
            try:
                if db.in_transaction:
                    db.execute("ROLLBACK")
            except sqlite3.Error:
                pass
            self._warn(err)
        finally:
            db.close()

