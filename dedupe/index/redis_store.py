"""The shared back end: a Redis server, ``redis://host:port/db``, for several CI runners
and editors checking against one archive.

The LSH buckets are datasketch's own layout (``MinHashLSH(storage_config={"type":
"redis", "basename": ...})``): for each signal a basename ``dedupe:lsh:<signal>``, for
band ``i`` a hash table named ``<basename>_bucket_<i as 2 bytes>``, whose buckets are
Redis sets of pickled key ids at ``<table name><band bytes>``, and the list of a key's
band values under ``<basename>_keys``. A band's value is ``MinHashLSH._H`` of the
signature rows (big-endian, 32 bits each), so a datasketch ``MinHashLSH`` opened on the same
server and basename answers the same queries (a test checks it). The layout is written
here directly, in pipelines, because datasketch sends one query per band and table.

Besides: ``dedupe:meta`` (what the index was built with), ``dedupe:docs`` (path ->
the article and its unit rows, marshal-ed), ``dedupe:exact`` (key hash -> key id),
``dedupe:words`` (key id -> word hashes), ``dedupe:places:<key id>`` (the units that
print the key, as (path, position)) and ``dedupe:next`` (the last key id given).
Writers take turns under a Redis lock (``dedupe:lock``) and write in one MULTI/EXEC
transaction; readers need no lock.
"""

from __future__ import annotations

import contextlib
import json
import marshal
import pickle
import struct
from collections.abc import Iterator, Sequence
from typing import Any, cast
from urllib.parse import urlsplit

import numpy as np

from dedupe import candidates
from dedupe.index import (
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

PREFIX = b"dedupe:"
# the writers' lock (redis-py takes its name as text; the key is PREFIX + b"lock")
LOCK_NAME = (PREFIX + b"lock").decode()
LOCK_TIMEOUT_S = 600  # a writer that dies holding the lock frees it after this
CONNECT_TIMEOUT_S = 5.0
PIPELINE_COMMANDS = 10_000  # commands sent per round trip while writing


def lsh_basename(signal: int) -> bytes:
    from dedupe.index import SIGNALS

    return PREFIX + b"lsh:" + SIGNALS[signal].encode()


def table_name(signal: int, band: int) -> bytes:
    """datasketch's name for the hash table of one band."""
    return lsh_basename(signal) + b"_bucket_" + struct.pack(">H", band)


def member(key_id: int) -> bytes:
    """A key id as datasketch stores keys in Redis (``prepickle``)."""
    return pickle.dumps(key_id)


def place_ref(path: str, pos: int) -> bytes:
    """A unit of a stored article as a member of a key's places (not marshal: it writes
    an interned string differently from an equal one that is not, and SREM needs the
    same bytes)."""
    return path.encode("utf-8", "surrogateescape") + b"\0" + str(pos).encode()


def from_place_ref(ref: bytes) -> tuple[str, int]:
    path, _, pos = ref.rpartition(b"\0")
    return path.decode("utf-8", "surrogateescape"), int(pos)


class RedisStore(Store):
    batch_docs = 200  # a write is one MULTI/EXEC of about 300 commands per distinct text: keep it small

    def __init__(self, target: str, ranges: list[tuple[tuple[int, int], ...]]) -> None:
        try:
            import redis
        except ImportError:
            raise DedupeError(f"{target}: a Redis index needs the redis package: pip install 'dedupe[redis]'") from None
        self.target = target
        self.ranges = ranges
        self._errors: tuple[type[BaseException], ...] = (redis.RedisError,)
        try:
            self.client = redis.Redis.from_url(target, socket_connect_timeout=CONNECT_TIMEOUT_S,
                                               socket_timeout=60)
            self.client.ping()
        except (ValueError, redis.RedisError) as err:
            raise DedupeError(f"{_public(target)}: cannot reach the Redis index ({err})") from None

    @contextlib.contextmanager
    def _guard(self) -> Iterator[None]:
        try:
            yield
        except self._errors as err:
            raise DedupeError(f"{_public(self.target)}: Redis index error ({err})") from None
        except (ValueError, EOFError, TypeError, json.JSONDecodeError) as err:
            raise DedupeError(f"{_public(self.target)}: not a dedupe index, or damaged ({err}); "
                              f"{rebuild_hint(self.target)}") from None

    def close(self) -> None:
        self.client.close()

    # -- band values -----------------------------------------------------------------
    def band_values(self, signal: int, signatures: np.ndarray) -> list[list[bytes]]:
        """Per row, datasketch's ``_H`` of each band: the rows byte-swapped, as big-endian
        uint32 (an "affine32" MinHash keeps 32-bit hash values)."""
        wide = signatures.astype(">u4")
        return [[row[s:e].tobytes() for s, e in self.ranges[signal]] for row in wide]

    # -- reads -----------------------------------------------------------------------
    def meta(self) -> dict[str, Any] | None:
        with self._guard():
            raw = self.client.get(PREFIX + b"meta")
            return json.loads(raw) if raw else None

    def hashes(self, paths: Sequence[str]) -> dict[str, str]:
        if not paths:
            return {}
        with self._guard():
            rows = self.client.hmget(PREFIX + b"docs", list(paths))
            return {p: marshal.loads(cast(bytes, r))[0] for p, r in zip(paths, rows) if r is not None}

    def paths_under(self, paths: Sequence[str]) -> list[str]:
        with self._guard():
            stored = [cast(bytes, k).decode("utf-8", "surrogateescape") for k in self.client.hkeys(PREFIX + b"docs")]
        out: set[str] = set()
        for p in paths:
            folder = p.rstrip("/") + "/"
            out.update(s for s in stored if s == p or s.startswith(folder))
        return sorted(out)

    def exact(self, hashes: Sequence[int]) -> dict[int, int]:
        if not hashes:
            return {}
        with self._guard():
            found = self.client.hmget(PREFIX + b"exact", [str(h) for h in hashes])
        return {h: int(k) for h, k in zip(hashes, found) if k is not None}

    def candidates(self, signal: int, signatures: np.ndarray, least: int = 1) -> np.ndarray:
        live = np.flatnonzero(~(signatures == candidates.EMPTY).all(axis=1))
        values = self.band_values(signal, signatures[live])
        with self._guard():
            pipe = self.client.pipeline(transaction=False)
            for row in values:
                for band, value in enumerate(row):
                    pipe.smembers(table_name(signal, band) + value)
            answers = iter(pipe.execute())
        shared: dict[tuple[int, int], int] = {}
        for r, row in zip(live.tolist(), values):
            for _ in row:
                for m in next(answers):
                    pair = (r, pickle.loads(m))
                    shared[pair] = shared.get(pair, 0) + 1
        return np.array(sorted(p for p, n in shared.items() if n >= least), dtype=np.int64).reshape(-1, 2)

    def keys(self, ids: Sequence[int]) -> Stored:
        if not len(ids):
            return stored([], [], [])
        with self._guard():
            pipe = self.client.pipeline(transaction=False)
            pipe.hmget(PREFIX + b"words", [str(i) for i in ids])
            for i in ids:
                pipe.scard(PREFIX + b"places:%d" % i)
            words, *uses = pipe.execute()
        kept = [n for n, w in enumerate(words) if w is not None]
        return stored([int(ids[n]) for n in kept], [uses[n] for n in kept], [words[n] for n in kept])

    def places(self, ids: Sequence[int], limit: int) -> dict[int, list[Place]]:
        if not ids:
            return {}
        with self._guard():
            pipe = self.client.pipeline(transaction=False)
            for i in ids:
                pipe.smembers(PREFIX + b"places:%d" % i)
            refs = {i: sorted(map(from_place_ref, members)) for i, members in zip(ids, pipe.execute())}
            refs = {i: r[:limit] for i, r in refs.items()}
            paths = sorted({path for r in refs.values() for path, _ in r})
            docs = dict(zip(paths, self.client.hmget(PREFIX + b"docs", paths))) if paths else {}
        out: dict[int, list[Place]] = {}
        unpacked: dict[str, tuple[Any, ...]] = {}
        for i, r in refs.items():
            out[i] = []
            for path, pos in r:
                if docs.get(path) is None:
                    continue  # removed meanwhile
                if path not in unpacked:
                    unpacked[path] = marshal.loads(cast(bytes, docs[path]))
                _, date, source, title, url, rows, _ = unpacked[path]
                index, role, offset, length, line, column, end_line, end_column, text = rows[pos]
                out[i].append(Place(path, index, role, Span(offset, length, line, column, end_line, end_column),
                                    text, Provenance(date, source, title, url)))
        return out

    def counts(self) -> dict[str, int]:
        with self._guard():
            pipe = self.client.pipeline(transaction=False)
            pipe.hlen(PREFIX + b"docs")
            pipe.hlen(PREFIX + b"words")
            pipe.get(PREFIX + b"units")
            pipe.info("memory")
            docs, keys, units, memory = pipe.execute()
        return {"documents": docs, "units": int(units or 0), "keys": keys, "bytes": int(memory.get("used_memory", 0))}

    # -- writes ----------------------------------------------------------------------
    def write(self, meta: dict[str, Any], docs: Sequence[DocEntry], keys: dict[int, KeyEntry],
              remove: Sequence[str] = (), clear: bool = False) -> None:
        with self._guard(), self.client.lock(LOCK_NAME, timeout=LOCK_TIMEOUT_S, blocking_timeout=LOCK_TIMEOUT_S):
            if clear:
                self._clear()
            check_meta(self.target, self.meta(), meta)
            pipe = self.client.pipeline(transaction=True)
            pipe.set(PREFIX + b"meta", dumps_meta(meta))
            gone = [p for p in dict.fromkeys(list(remove) + [d.path for d in docs])]
            self._store(pipe, docs, keys, self._drop(pipe, gone))
            pipe.execute()

    def _clear(self) -> None:
        """Delete every key of the index (not the lock, which this writer holds)."""
        batch = []
        for name in self.client.scan_iter(match=PREFIX + b"*", count=PIPELINE_COMMANDS):
            if name != PREFIX + b"lock":
                batch.append(name)
            if len(batch) >= PIPELINE_COMMANDS:
                self.client.delete(*batch)
                batch = []
        if batch:
            self.client.delete(*batch)

    def _drop(self, pipe: Any, paths: list[str]) -> set[int]:
        """Queue the removal of stored documents, and of the keys no other unit uses;
        return the ids of those keys."""
        if not paths:
            return set()
        stored = dict(zip(paths, self.client.hmget(PREFIX + b"docs", paths)))
        leaving: dict[int, set[tuple[str, int]]] = {}
        for path, raw in stored.items():
            if raw is None:
                continue
            key_ids = marshal.loads(cast(bytes, raw))[6]
            for pos, k in enumerate(key_ids):
                leaving.setdefault(k, set()).add((path, pos))
            pipe.hdel(PREFIX + b"docs", path)
            pipe.decrby(PREFIX + b"units", len(key_ids))
        ids = sorted(leaving)
        read = self.client.pipeline(transaction=False)
        for k in ids:
            read.scard(PREFIX + b"places:%d" % k)
        dead = []
        for k, n in zip(ids, read.execute()):
            if n > len(leaving[k]):
                pipe.srem(PREFIX + b"places:%d" % k, *(place_ref(*r) for r in leaving[k]))
            else:
                dead.append(k)
        self._drop_keys(pipe, dead)
        return set(dead)

    def _drop_keys(self, pipe: Any, dead: list[int]) -> None:
        """Queue the removal of keys: their places, words, exact entries, and LSH entries
        (as datasketch's ``MinHashLSH.remove`` does, from each key's stored band list)."""
        if not dead:
            return
        read = self.client.pipeline(transaction=False)
        read.hmget(PREFIX + b"keyhash", [str(k) for k in dead])
        for k in dead:
            for s in range(len(self.ranges)):
                read.lrange(lsh_basename(s) + b"_keys" + member(k), 0, -1)
        hashes, *lists = read.execute()
        buckets: dict[tuple[bytes, bytes], set[bytes]] = {}  # (table, band value) -> members leaving it
        for n, k in enumerate(dead):
            m = member(k)
            pipe.delete(PREFIX + b"places:%d" % k)
            pipe.hdel(PREFIX + b"words", str(k))
            pipe.hdel(PREFIX + b"keyhash", str(k))
            if hashes[n] is not None:
                pipe.hdel(PREFIX + b"exact", hashes[n])
            for s in range(len(self.ranges)):
                keys_name = lsh_basename(s) + b"_keys"
                for band, value in enumerate(lists[n * len(self.ranges) + s]):
                    buckets.setdefault((table_name(s, band), value), set()).add(m)
                pipe.delete(keys_name + m)
                pipe.hdel(keys_name, m)
        names = list(buckets)
        read = self.client.pipeline(transaction=False)
        for table, value in names:
            read.scard(table + value)
        for (table, value), size in zip(names, read.execute()):
            pipe.srem(table + value, *buckets[(table, value)])
            if size <= len(buckets[(table, value)]):
                pipe.hdel(table, value)  # the bucket is empty now: datasketch drops its entry too

    def _store(self, pipe: Any, docs: Sequence[DocEntry], keys: dict[int, KeyEntry], dropped: set[int]) -> None:
        if not docs:
            return
        wanted = sorted({h for d in docs for h in d.keys})
        known = dict(zip(wanted, self.client.hmget(PREFIX + b"exact", [str(h) for h in wanted])))
        # a key this same write drops (its last article changed) is stored again, anew
        new = [h for h in wanted if known[h] is None or int(cast(bytes, known[h])) in dropped]
        top = self.client.incrby(PREFIX + b"next", len(new)) if new else 0
        ids = {h: int(v) for h, v in known.items() if v is not None}
        ids.update({h: top - len(new) + 1 + n for n, h in enumerate(new)})
        if new:
            pipe.hset(PREFIX + b"words", mapping={str(ids[h]): keys[h].words for h in new})
            pipe.hset(PREFIX + b"exact", mapping={str(h): ids[h] for h in new})
            pipe.hset(PREFIX + b"keyhash", mapping={str(ids[h]): str(h) for h in new})
            self._insert_lsh(pipe, [(ids[h], keys[h]) for h in new])
        for d in docs:
            p = d.provenance
            key_ids = [ids[h] for h in d.keys]
            pipe.hset(PREFIX + b"docs", d.path, marshal.dumps((d.hash, p.date, p.source, p.title, p.url,
                                                                list(d.rows), key_ids)))
            pipe.incrby(PREFIX + b"units", len(key_ids))
            for pos, k in enumerate(key_ids):
                pipe.sadd(PREFIX + b"places:%d" % k, place_ref(d.path, pos))

    def _insert_lsh(self, pipe: Any, new: list[tuple[int, KeyEntry]]) -> None:
        """Queue the LSH entries of new keys as datasketch's ``MinHashLSH._insert`` writes
        them (a bucket's name in its band's table, the key in the bucket, the key's band
        values in its list), with one HSET per table for all the keys of the write."""
        for s in range(len(self.ranges)):
            signed = [(k, key.signatures[s]) for k, key in new if key.signatures[s] is not None]
            if not signed:
                continue
            values = self.band_values(s, np.stack([sig for _, sig in signed]))  # type: ignore[misc]
            keys_name = lsh_basename(s) + b"_keys"
            members = [member(k) for k, _ in signed]
            pipe.hset(keys_name, mapping={m: keys_name + m for m in members})
            tables: list[dict[bytes, bytes]] = [{} for _ in self.ranges[s]]
            for m, row in zip(members, values):
                pipe.rpush(keys_name + m, *row)
                for band, value in enumerate(row):
                    table = table_name(s, band)
                    tables[band][value] = table + value
                    pipe.sadd(table + value, m)
            for band, buckets in enumerate(tables):
                pipe.hset(table_name(s, band), mapping=buckets)


def _public(target: str) -> str:
    """The URL without its password, for messages."""
    parts = urlsplit(target)
    if parts.password:
        return target.replace(f":{parts.password}@", ":***@")
    return target
