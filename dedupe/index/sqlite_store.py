"""The local back end: one SQLite file, ``index.sqlite3`` in the index folder, no server.

Tables: ``documents`` (path, content hash, date and its source, title, URL), ``units``
(document, position, key id, and the unit's row: role, span and source text,
``marshal``-ed), ``keys`` (exact key hash, word hashes as uint64 bytes, units that use
it) and ``bands`` (one row per LSH bucket: a band key and the ids of the keys in it, as
int64 bytes; band keys are ``candidates.band_keys`` of a key's signature, so the
buckets are MinHashLSH's, salted by signal). A bucket is one row, not one row per
member, so a query reads one row per band of a draft sentence, however many archived
sentences share it, and counts shared bands in numpy: SQLite handing over and grouping
one row per member cost most of a query. A key's band rows are not stored with it: when its last unit goes, they
are computed again from its words, which the index's settings make deterministic.

Every write is one ``BEGIN IMMEDIATE`` transaction, so two ``index add`` runs at once
take turns and neither loses the other's articles; readers open the file read-only.
``dedupe index build`` writes a new file next to the old one and moves it into place
when complete, so an interrupted build leaves the previous index as it was.
"""

from __future__ import annotations

import contextlib
import json
import marshal
import operator
import os
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np

from dedupe import candidates
from dedupe.index import (
    DEFAULT_FOLDER,
    DocEntry,
    KeyEntry,
    Place,
    Store,
    Stored,
    check_meta,
    dumps_meta,
    rebuild_hint,
    stored,
)
from dedupe.model import DedupeError, Provenance, Span
from dedupe.shingles import distinct

DB_NAME = "index.sqlite3"
SCHEMA_VERSION = 2  # 2: one row per LSH bucket
BUSY_TIMEOUT_S = 600.0  # a writer waits this long for another to finish its batch
_SALT = np.uint64(0xD6E8FEB86659FD93)  # band keys of signal s are xor-ed with (s + 1) * _SALT
BAND_BITS = 47  # of a band key kept: SQLite's 6-byte integers hold up to 2^47 - 1
SPILL_BITS = 6  # a build's band rows wait in 2^SPILL_BITS files, by their top bits, then go in sorted
SPILL_PARTS = 1 << SPILL_BITS
_SCHEMA = (
    "CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
    ("CREATE TABLE documents (id INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE, hash TEXT NOT NULL, "
     "date TEXT, source TEXT, title TEXT, url TEXT)"),
    ("CREATE TABLE units (doc INTEGER NOT NULL, pos INTEGER NOT NULL, key INTEGER NOT NULL, row BLOB NOT NULL, "
     "PRIMARY KEY (doc, pos)) WITHOUT ROWID"),
    "CREATE INDEX units_key ON units (key)",
    ("CREATE TABLE keys (id INTEGER PRIMARY KEY, hash INTEGER NOT NULL UNIQUE, words BLOB NOT NULL, "
     "units INTEGER NOT NULL)"),
    "CREATE TABLE bands (band INTEGER PRIMARY KEY, keys BLOB NOT NULL)",
)

Signer = Callable[[list[np.ndarray]], list[np.ndarray]]


def _ids(values: Sequence[int]) -> str:
    """A list of integers as the JSON array ``json_each`` reads (one parameter for any number)."""
    return f"[{','.join(map(str, map(int, values)))}]"  # json.dumps, without its checks


def _buckets(bands: np.ndarray, keys: np.ndarray) -> Iterator[tuple[int, bytes]]:
    """The rows of the band table for (band, key) pairs: each band once, with its keys
    sorted and each once, as int64 bytes."""
    order = np.lexsort((keys, bands))
    bands, keys = bands[order], keys[order]
    first = np.ones(len(bands), dtype=bool)
    first[1:] = (bands[1:] != bands[:-1]) | (keys[1:] != keys[:-1])
    bands, keys = bands[first], keys[first]
    starts = np.flatnonzero(np.concatenate(([True], bands[1:] != bands[:-1]))) if len(bands) else bands
    data = keys.astype("<i8").tobytes()
    ends = [*starts[1:].tolist(), len(keys)]
    for band, start, end in zip(bands[starts].tolist(), starts.tolist(), ends):
        yield band, data[start * 8 : end * 8]


def _members(rows: list[tuple[int, bytes]]) -> tuple[np.ndarray, np.ndarray]:
    """(first column repeated per member, member key ids) of rows (x, bucket's keys)."""
    sizes = np.fromiter((len(r[1]) // 8 for r in rows), dtype=np.int64, count=len(rows))
    keys = np.frombuffer(b"".join(r[1] for r in rows), dtype="<i8").astype(np.int64)
    return np.repeat(np.fromiter((r[0] for r in rows), dtype=np.int64, count=len(rows)), sizes), keys


class SQLiteStore(Store):
    def __init__(self, target: str, ranges: list[tuple[tuple[int, int], ...]], signer: Signer) -> None:
        self.target = target or DEFAULT_FOLDER
        self.folder = Path(self.target)
        self.path = self.folder / DB_NAME
        self.ranges = ranges
        self.signer = signer
        self._db: sqlite3.Connection | None = None
        self._writable = False
        self._spill: list[BinaryIO] = []  # a build's band rows, by part (see rebuilding)

    # -- connections ---------------------------------------------------------------
    def _damaged(self, err: BaseException) -> DedupeError:
        return DedupeError(f"{self.path}: not a dedupe index, or damaged ({err}); delete it and "
                           f"{rebuild_hint(self.target)}")

    def _connect(self, write: bool) -> sqlite3.Connection:
        if self._db is not None and (self._writable or not write):
            return self._db
        self.close()
        if write:
            try:
                self.folder.mkdir(parents=True, exist_ok=True)
                ignore = self.folder / ".gitignore"
                if not ignore.exists():
                    ignore.write_text("# created by dedupe\n*\n", encoding="utf-8")
            except OSError as err:
                raise DedupeError(f"{self.folder}: cannot create the index folder ({err.strerror or err})") from None
        elif not self.path.is_file():
            if self.folder.exists() and not self.folder.is_dir():
                raise DedupeError(f"{self.target}: is a file, not an index folder")
            raise DedupeError(f"{self.target}: no index here; build one with "
                              f"`dedupe index build PATH... --index {self.target}`")
        try:
            if write:
                db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
            else:
                db = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_S,
                                     isolation_level=None)
            # Pages are read, not mapped: mapped, each fault maps its neighbours too and
            # counts them in the process (a check against the 40x BBC index peaked at 400
            # MB, an add of 300 articles to it at 2.1 GB; read, 80 MB and 210 MB), for the
            # same time.
            db.execute("PRAGMA cache_size = -65536")  # 64 MB: a query's band look-ups share B-tree pages
            if write:
                db.create_function("joined", 2, operator.add, deterministic=True)  # two buckets' bytes
            self._prepare(db, write)
        except sqlite3.DatabaseError as err:
            raise self._damaged(err) from None
        except sqlite3.Error as err:
            raise DedupeError(f"{self.path}: cannot open the index ({err})") from None
        self._db, self._writable = db, write
        return db

    def _prepare(self, db: sqlite3.Connection, write: bool) -> None:
        """Check the schema; create it in a new file."""
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version == 0 and write:
            db.execute("BEGIN IMMEDIATE")
            if db.execute("PRAGMA user_version").fetchone()[0] == 0:  # nobody created it meanwhile
                if db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]:
                    raise sqlite3.DatabaseError("tables of something else")
                for statement in _SCHEMA:
                    db.execute(statement)
                db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            db.execute("COMMIT")
            version = SCHEMA_VERSION
        if version != SCHEMA_VERSION:
            raise DedupeError(f"{self.path}: index schema {version}, this dedupe reads schema {SCHEMA_VERSION}; "
                              f"{rebuild_hint(self.target)}")
        db.execute("SELECT count(*) FROM meta").fetchone()

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    @contextlib.contextmanager
    def rebuilding(self) -> Iterator[None]:
        """Writes go to a new file, moved over the old index when the block completes.

        Band rows, most of the index, would go into the band table's B-tree at random
        places, batch after batch, each insert reading a page from anywhere in a file of
        gigabytes. Instead they wait in SPILL_PARTS files on disk, split by the top bits
        of the band key, and go in at the end part by part, each sorted: the B-tree is
        then written in order, pages filled, and memory holds one part at a time."""
        final = self.path
        self._connect(write=True)  # the folder, and a clear error if the old file is damaged
        self.close()
        temp = self.folder / f"{DB_NAME}.build-{os.getpid()}"
        temp.unlink(missing_ok=True)
        spill = [self.folder / f"{DB_NAME}.build-{os.getpid()}.bands{n:02d}" for n in range(SPILL_PARTS)]
        self.path = temp
        try:
            db = self._connect(write=True)
            db.execute("PRAGMA journal_mode = OFF")  # a failed build is thrown away whole
            db.execute("PRAGMA synchronous = OFF")
            self._spill = [open(p, "wb") for p in spill]  # noqa: SIM115 - closed in finally
            yield
            for f in self._spill:
                f.close()
            self._spill = []
            for p in spill:
                rows = np.fromfile(p, dtype=np.int64).reshape(-1, 2)
                db.execute("BEGIN")  # a band's members are all in one part: it is written once, in order
                db.executemany("INSERT INTO bands VALUES (?, ?)", _buckets(rows[:, 0], rows[:, 1]))
                db.execute("COMMIT")
                p.unlink()
            db.execute("PRAGMA journal_mode = DELETE")
            self.close()
            os.replace(temp, final)
        finally:
            for f in self._spill:
                f.close()
            self._spill = []
            self.close()
            self.path = final
            temp.unlink(missing_ok=True)
            for p in spill:
                p.unlink(missing_ok=True)

    # -- reads ---------------------------------------------------------------------
    def _read(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        db = self._connect(write=False)
        try:
            return db.execute(sql, params).fetchall()
        except sqlite3.DatabaseError as err:
            raise self._damaged(err) from None

    def meta(self) -> dict[str, Any] | None:
        if not self.path.is_file() and not self._writable:
            return None  # no index yet: ``add`` makes one
        rows = self._read("SELECT value FROM meta WHERE name = 'index'")
        return json.loads(rows[0][0]) if rows else None

    def hashes(self, paths: Sequence[str]) -> dict[str, str]:
        if not self.path.is_file() and not self._writable:
            return {}
        rows = self._read("SELECT path, hash FROM documents WHERE path IN (SELECT value FROM json_each(?))",
                          (json.dumps(list(paths)),))
        return dict(rows)

    def paths_under(self, paths: Sequence[str]) -> list[str]:
        out = []
        for p in paths:
            folder = p.rstrip("/") + "/"
            out += [r[0] for r in self._read("SELECT path FROM documents WHERE path = ? OR substr(path, 1, ?) = ?",
                                             (p, len(folder), folder))]
        return sorted(set(out))

    def exact(self, hashes: Sequence[int]) -> dict[int, int]:
        rows = self._read("SELECT hash, id FROM keys WHERE hash IN (SELECT value FROM json_each(?))", (_ids(hashes),))
        return dict(rows)

    def band_keys(self, signal: int, signatures: np.ndarray) -> np.ndarray:
        """Band keys (rows x bands) of one signal's signatures, as stored: the top
        BAND_BITS bits of ``candidates.band_keys`` salted by signal (SQLite stores such
        an integer in 6 bytes instead of 8; a chance collision only adds a candidate,
        which verification drops)."""
        keys = candidates.band_keys(signatures, self.ranges[signal])
        with np.errstate(over="ignore"):
            keys ^= np.uint64(signal + 1) * _SALT
        return (keys >> np.uint64(64 - BAND_BITS)).astype(np.int64)

    def candidates(self, signal: int, signatures: np.ndarray, least: int = 1) -> np.ndarray:
        live = np.flatnonzero(~(signatures == candidates.EMPTY).all(axis=1))
        if not len(live):
            return np.zeros((0, 2), dtype=np.int64)
        keys = self.band_keys(signal, signatures[live])
        # Each distinct band key once, in order: SQLite walks the B-tree forwards, and a
        # page of it serves every key on it.
        wanted = keys.ravel().tolist()
        buckets = dict(self._read("SELECT band, keys FROM bands WHERE band IN (SELECT value FROM json_each(?))",
                                  (_ids(distinct(keys).tolist()),)))
        width = keys.shape[1]
        rows, members = _members([(n // width, buckets[b]) for n, b in enumerate(wanted) if b in buckets])
        if not len(members):
            return np.zeros((0, 2), dtype=np.int64)
        width = int(members.max()) + 1
        if least > 1:
            code, shared = np.unique(rows * width + members, return_counts=True)
            code = code[shared >= least]
        else:
            code = distinct(rows * width + members)
        return np.stack((live[code // width], code % width), axis=1)

    def keys(self, ids: Sequence[int]) -> Stored:
        rows = self._read("SELECT id, units, words FROM keys WHERE id IN (SELECT value FROM json_each(?))",
                          (_ids(sorted(ids)),))
        return stored([r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows])

    def places(self, ids: Sequence[int], limit: int) -> dict[int, list[Place]]:
        """Every unit of these keys, read in the order of the index on units.key (key,
        then document and position: no sort), and the documents they are in, in a
        second query. A query asks only for keys printed in fewer than
        ``boilerplate_min`` places, so few units are read past ``limit``; a window
        function choosing them in SQL took twice as long."""
        units = self._read("SELECT key, doc, row FROM units WHERE key IN (SELECT value FROM json_each(?)) "
                           "ORDER BY key, doc, pos", (_ids(ids),))
        kept: dict[int, list[tuple[int, bytes]]] = {k: [] for k in ids}
        for key, doc, row in units:
            if len(kept[key]) < limit:
                kept[key].append((doc, row))
        docs = {d: (path, Provenance(date, source, title, url)) for d, path, date, source, title, url in self._read(
            "SELECT id, path, date, source, title, url FROM documents WHERE id IN (SELECT value FROM json_each(?))",
            (_ids(sorted({doc for places in kept.values() for doc, _ in places})),))}
        return {k: [_place(*docs[doc], row) for doc, row in places if doc in docs] for k, places in kept.items()}

    def counts(self) -> dict[str, int]:
        out = {name: self._read(f"SELECT count(*) FROM {name}")[0][0] for name in ("documents", "units", "keys")}
        out["bytes"] = sum(p.stat().st_size for p in self.folder.glob(f"{DB_NAME}*") if ".build-" not in p.name)
        return out

    # -- writes --------------------------------------------------------------------
    def write(self, meta: dict[str, Any], docs: Sequence[DocEntry], keys: dict[int, KeyEntry],
              remove: Sequence[str] = (), clear: bool = False) -> None:
        db = self._connect(write=True)
        try:
            db.execute("BEGIN IMMEDIATE")
            try:
                self._write(db, meta, docs, keys, remove, clear)
            except BaseException:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")
        except sqlite3.OperationalError as err:
            raise DedupeError(f"{self.path}: cannot write the index ({err})") from None
        except sqlite3.DatabaseError as err:
            raise self._damaged(err) from None

    def _write(self, db: sqlite3.Connection, meta: dict[str, Any], docs: Sequence[DocEntry],
               keys: dict[int, KeyEntry], remove: Sequence[str], clear: bool) -> None:
        if clear:
            for table in ("documents", "units", "keys", "bands", "meta"):
                db.execute(f"DELETE FROM {table}")
        stored = db.execute("SELECT value FROM meta WHERE name = 'index'").fetchone()
        check_meta(self.target, json.loads(stored[0]) if stored else None, meta)
        db.execute("INSERT OR REPLACE INTO meta VALUES ('index', ?)", (dumps_meta(meta),))
        gone = list(remove) + [d.path for d in docs]
        doc_ids = [r[0] for r in db.execute("SELECT id FROM documents WHERE path IN (SELECT value FROM json_each(?))",
                                            (json.dumps(gone),))]
        if doc_ids:
            self._drop(db, doc_ids)
        if not docs:
            return
        wanted = sorted({h for d in docs for h in d.keys})
        have = dict(db.execute("SELECT hash, id FROM keys WHERE hash IN (SELECT value FROM json_each(?))",
                               (_ids(wanted),)).fetchall())
        new = [keys[h] for h in wanted if h not in have]
        next_id = (db.execute("SELECT max(id) FROM keys").fetchone()[0] or 0) + 1
        for n, k in enumerate(new):
            have[k.hash] = next_id + n
        db.executemany("INSERT INTO keys VALUES (?, ?, ?, 0)", ((have[k.hash], k.hash, k.words) for k in new))
        self._insert_bands(db, [have[k.hash] for k in new], [k.signatures for k in new])
        uses: dict[int, int] = {}
        for d in docs:
            cur = db.execute("INSERT INTO documents (path, hash, date, source, title, url) VALUES (?, ?, ?, ?, ?, ?)",
                             (d.path, d.hash, d.provenance.date, d.provenance.source, d.provenance.title,
                              d.provenance.url))
            doc = cur.lastrowid
            db.executemany("INSERT INTO units VALUES (?, ?, ?, ?)",
                           ((doc, pos, have[h], marshal.dumps(row)) for pos, (row, h) in enumerate(zip(d.rows, d.keys))))
            for h in d.keys:
                uses[have[h]] = uses.get(have[h], 0) + 1
        db.executemany("UPDATE keys SET units = units + ? WHERE id = ?", ((n, k) for k, n in uses.items()))

    def _insert_bands(self, db: sqlite3.Connection, ids: list[int], signatures: list[tuple[np.ndarray | None, ...]]
                      ) -> None:
        if not ids:
            return
        key_ids = np.asarray(ids, dtype=np.int64)
        found: list[tuple[np.ndarray, np.ndarray]] = []
        for s in range(len(self.ranges)):
            have = [i for i, sig in enumerate(signatures) if sig[s] is not None]
            if not have:
                continue
            sigs = np.stack([signatures[i][s] for i in have])  # type: ignore[misc]
            bands = self.band_keys(s, sigs).ravel()
            owner = np.repeat(key_ids[have], len(self.ranges[s]))
            if self._spill:
                part = bands >> (BAND_BITS - SPILL_BITS)  # the parts follow key order
                rows = np.stack((bands, owner), axis=1)
                for n in np.unique(part).tolist():
                    rows[part == n].tofile(self._spill[n])
                continue
            found.append((bands, owner))
        if found:  # new keys join their buckets: appended, as no bucket has them yet
            bands, owner = (np.concatenate(x) for x in zip(*found))
            db.executemany("INSERT INTO bands VALUES (?, ?) ON CONFLICT (band) DO UPDATE SET keys = "
                           "joined(keys, excluded.keys)", _buckets(bands, owner))

    def _drop(self, db: sqlite3.Connection, doc_ids: list[int]) -> None:
        """Remove documents, their units, and the keys (with their bands) no unit uses any more."""
        ids = _ids(doc_ids)
        uses = db.execute("SELECT key, count(*) FROM units WHERE doc IN (SELECT value FROM json_each(?)) GROUP BY key",
                          (ids,)).fetchall()
        db.execute("DELETE FROM units WHERE doc IN (SELECT value FROM json_each(?))", (ids,))
        db.execute("DELETE FROM documents WHERE id IN (SELECT value FROM json_each(?))", (ids,))
        db.executemany("UPDATE keys SET units = units - ? WHERE id = ?", ((n, k) for k, n in uses))
        dead = db.execute("SELECT id, words FROM keys WHERE units <= 0").fetchall()
        if not dead:
            return
        sigs = self.signer([np.frombuffer(w, dtype=np.uint64) for _, w in dead])
        key_ids = np.asarray([k for k, _ in dead], dtype=np.int64)
        touched = distinct(np.concatenate([self.band_keys(s, signed[~(signed == candidates.EMPTY).all(axis=1)]).ravel()
                                            for s, signed in enumerate(sigs)]))
        bands, members = _members(db.execute("SELECT band, keys FROM bands WHERE band IN (SELECT value FROM "
                                             "json_each(?))", (_ids(touched.tolist()),)).fetchall())
        kept = ~np.isin(members, key_ids)
        emptied = np.setdiff1d(touched, bands[kept])
        db.executemany("DELETE FROM bands WHERE band = ?", ((b,) for b in emptied.tolist()))
        db.executemany("INSERT OR REPLACE INTO bands VALUES (?, ?)", _buckets(bands[kept], members[kept]))
        db.execute("DELETE FROM keys WHERE units <= 0")


def _place(path: str, provenance: Provenance, row: bytes) -> Place:
    index, role, offset, length, line, column, end_line, end_column, text = marshal.loads(row)
    return Place(path, index, role, Span(offset, length, line, column, end_line, end_column), text, provenance)
