"""The pipeline: paths or texts -> Result. The only module that knows the stage order.

read -> segment -> normalise/shingle (per document, spread over processes for large
inputs) -> sign -> candidates -> verify -> group. Output order never depends on the
number of processes: documents are sorted by path and findings by path and offset.
"""

from __future__ import annotations

import os
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Callable, Iterable, Mapping

import numpy as np

from dedupe import cache, candidates, files, normalize, readers, segment, sign, verify
from dedupe.group import Checked, group
from dedupe.model import ALLOW_REGEX_PREFIX, Block, DedupeError, Document, Result, Settings, Span, Unit

PARALLEL_MIN_DOCUMENTS = 200  # below this, starting processes costs more than it saves
DOCS_PER_TASK = 64

Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class Prepared:
    """One document after the per-document stages."""

    document: Document
    units: tuple[Unit, ...]
    keys: tuple[str, ...]  # per unit; "" for units too short to check
    shingles: normalize.Shingles  # per unit (empty for unchecked units)


def _prepare_text(path: str, text: str, fmt: str, warnings: tuple[str, ...], settings: Settings) -> Prepared:
    document = readers.get(fmt)(path, text)
    if warnings:
        document = Document(document.path, document.source, document.format, document.blocks,
                            document.warnings + warnings)
    units = segment.segment(document, 0)
    hasher = _hasher()
    unit_words = [normalize.words(u.text) for u in units]
    keys = tuple(normalize.key(w) if len(w) >= settings.min_words else "" for w in unit_words)
    hashed = [hasher(w) if k else np.zeros(0, dtype=np.uint64) for w, k in zip(unit_words, keys)]
    return Prepared(document, units, keys, normalize.shingle(hashed, settings.shingle))


_HASHER: normalize.WordHasher | None = None


def _hasher() -> normalize.WordHasher:
    global _HASHER
    if _HASHER is None:
        _HASHER = normalize.WordHasher()
    return _HASHER


def _prepare_path(path: str, explicit: bool, settings: Settings) -> Prepared | str:
    """A prepared document, or a warning when a file found by walking cannot be read
    (a file named on the command line raises instead: the run cannot do what was asked)."""
    try:
        src = files.read_source(path, settings.max_file_bytes)
    except DedupeError as err:
        if explicit:
            raise
        return f"{err} (skipped)"
    return _prepare_text(src.path, src.text, src.format, src.warnings, settings)


Packed = tuple  # a Prepared as plain tuples, lists and arrays: pickles at C speed


def _pack(p: Prepared) -> Packed:
    d = p.document
    blocks = [(b.role, b.text, b.pieces, b.lines, b.suppressed) for b in d.blocks]
    units = [(u.index, u.role, u.text, *astuple_span(u.span), u.block, u.suppressed) for u in p.units]
    return (d.path, d.source, d.format, blocks, d.warnings, units, p.keys, p.shingles.indptr, p.shingles.hashes)


def astuple_span(s: Span) -> tuple[int, int, int, int, int, int]:
    return (s.offset, s.length, s.line, s.column, s.end_line, s.end_column)


def _unpack(t: Packed, doc: int) -> Prepared:
    path, source, fmt, blocks, warnings, units, keys, indptr, hashes = t
    document = Document(path, source, fmt, tuple(Block(*b) for b in blocks), warnings)
    built = tuple(Unit(doc, u[0], u[1], u[2], Span(*u[3:9]), u[9], u[10]) for u in units)
    return Prepared(document, built, keys, normalize.Shingles(indptr, hashes))


def _prepare_chunk(chunk: list[tuple[str, bool]], settings: Settings) -> list[Packed | str]:
    """Worker task: prepare documents and send them back packed."""
    out: list[Packed | str] = []
    for p, e in chunk:
        r = _prepare_path(p, e, settings)
        out.append(r if isinstance(r, str) else _pack(r))
    return out


def _jobs(settings: Settings, n_docs: int) -> int:
    if settings.jobs:
        return settings.jobs
    if n_docs < PARALLEL_MIN_DOCUMENTS:
        return 1
    return max(1, min(os.cpu_count() or 1, 8))


def _prepare_all(paths: list[tuple[str, bool]], settings: Settings, progress: Progress | None) -> list[Prepared | str]:
    jobs = _jobs(settings, len(paths))
    if jobs == 1 or len(paths) < 2:
        out = []
        for n, (p, e) in enumerate(paths, 1):
            out.append(_prepare_path(p, e, settings))
            if progress:
                progress(n, len(paths))
        return out
    chunks = [paths[i : i + DOCS_PER_TASK] for i in range(0, len(paths), DOCS_PER_TASK)]
    done = 0
    out = []
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        for part in pool.map(_prepare_chunk, chunks, [settings] * len(chunks)):
            out.extend(r if isinstance(r, str) else _unpack(r, 0) for r in part)
            done += len(part)
            if progress:
                progress(done, len(paths))
    return out


def _prepare_cached(paths: list[tuple[str, bool]], settings: Settings, progress: Progress | None,
                    store: cache.Cache) -> list[Prepared | str]:
    """The per-document stages through the cache. Files are read and hashed here; hits
    are unpacked, misses prepared as usual (in processes when many) and stored together."""
    out: list[Prepared | str] = []
    sources: dict[int, tuple[str, str, str]] = {}  # position in paths -> (path, decoded text, cache key)
    for n, (p, e) in enumerate(paths):
        if p == files.STDIN_NAME:
            continue  # read once, by the miss path below
        try:
            src = files.read_source(p, settings.max_file_bytes)
        except DedupeError as err:
            if e:
                raise
            out.append(f"{err} (skipped)")
            continue
        sources[n] = (src.path, src.text, store.key(src.path, src.text, *src.warnings))
    found = store.get([k for _, _, k in sources.values()])
    misses = []
    for n, (p, _) in enumerate(paths):
        hit = found.get(sources[n][2]) if n in sources else None
        if hit is None:
            if n in sources or p == files.STDIN_NAME:
                misses.append(n)
            continue
        out.append(_unpack((*sources[n][:2], *hit), 0))
    fresh = _prepare_all([paths[n] for n in misses], settings, progress)
    new = [(sources[n][2], _pack(r)[2:]) for n, r in zip(misses, fresh)
           if n in sources and isinstance(r, Prepared) and r.document.source == sources[n][1]]
    store.put(new, used=list(found))
    return out + fresh


def check(
    paths: Iterable[str] = (),
    *,
    texts: Mapping[str, str] | None = None,
    settings: Settings | None = None,
    progress: Progress | None = None,
) -> Result:
    """Check files (and directories, walked) and/or in-memory texts named by path.

    ``texts`` maps a name (its extension picks the reader, default plain text) to the
    article's text. Raises DedupeError for input the run cannot go on without.
    """
    settings = settings or Settings()
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    given = list(paths)
    found = files.discover(given, settings.include, settings.exclude)
    explicit = {p for p in given if p == files.STDIN_NAME or os.path.isfile(p)}
    work = [(p, p in explicit) for p in found]
    store = cache.Cache(settings.cache_dir, _cache_fingerprint(settings)) if settings.cache else None
    prepared_or_warn = _prepare_all(work, settings, progress) if store is None else \
        _prepare_cached(work, settings, progress, store)
    for name, text in (texts or {}).items():
        prepared_or_warn.append(_prepare_text(name, text, files.format_of(name), (), settings))
    warnings = [w for w in prepared_or_warn if isinstance(w, str)]
    prepared = sorted((p for p in prepared_or_warn if isinstance(p, Prepared)), key=lambda p: p.document.path)
    if not prepared:
        detail = f" ({len(warnings)} skipped)" if warnings else ""
        raise DedupeError(f"no files to check in {', '.join(given) or 'the input'}{detail}")
    timings["read+segment+shingle"] = time.perf_counter() - t0

    result = _compare(prepared, settings, timings, store)
    doc_warnings = [w for p in prepared for w in p.document.warnings] + (store.warnings if store else [])
    return Result(result[0], result[1], result[2], settings, tuple(warnings + doc_warnings), timings)


def _compare(prepared: list[Prepared], settings: Settings, timings: dict[str, float],  # type: ignore[no-untyped-def]
             store: cache.Cache | None = None):
    t = time.perf_counter()
    docs = tuple(p.document for p in prepared)
    units = tuple(
        tuple(Unit(d, u.index, u.role, u.text, u.span, u.block, u.suppressed) for u in p.units)
        for d, p in enumerate(prepared)
    )
    checked = Checked()
    key_id: dict[str, int] = {}
    unit_sets: list[np.ndarray] = []
    for d, p in enumerate(prepared):
        pos = 0
        for u, k in enumerate(p.keys):
            if not k:
                continue
            if settings.scope == "article":
                k = f"{d}\0{k}"
            kid = key_id.get(k)
            if kid is None:
                kid = key_id[k] = len(checked.keys)
                checked.keys.append(k.split("\0", 1)[-1])
                checked.by_key.append([])
                unit_sets.append(p.shingles.of(u))
            checked.by_key[kid].append(len(checked.doc))
            checked.doc.append(d)
            checked.unit.append(u)
            checked.pos.append(pos)
            checked.key.append(kid)
            pos += 1
    rep_shingles = _csr(unit_sets)
    timings["exact"] = time.perf_counter() - t

    pairs_key = _pairs_key(store, checked, settings) if store else ""
    stored = store.get([pairs_key]).get(pairs_key) if store else None
    if stored is None:
        near_keys, near_docs = _near_pairs(prepared, checked, rep_shingles, settings, timings)
        if store:
            store.put([(pairs_key, _pairs_payload(near_keys, near_docs))], used=[])
    else:
        near_keys, near_docs = _pairs_from_payload(stored)
        store.put([], used=[pairs_key])  # type: ignore[union-attr]

    t = time.perf_counter()
    findings = group(docs, units, checked, near_keys, near_docs, settings, _allow_keys(settings))
    timings["group"] = time.perf_counter() - t
    return tuple(findings), docs, units


def _pairs_key(store: cache.Cache, checked: Checked, settings: Settings) -> str:
    """Cache key of the near pairs: the checked units' keys and documents, and the settings
    the comparison reads. Grouping is not cached: allow lists and severities do not miss."""
    s = settings
    compare = repr((s.threshold, s.num_perm, s.seed, s.shingle, s.scope, s.document_threshold))
    return store.key("near pairs", compare, "\n".join(checked.keys),
                     np.asarray(checked.key, dtype=np.int64).tobytes(), np.asarray(checked.doc, dtype=np.int64).tobytes())


def _pairs_payload(near_keys: list[tuple[int, int, float]], near_docs: list[tuple[int, int, float]]) -> cache.Payload:
    def arrays(pairs: list[tuple[int, int, float]]) -> tuple[np.ndarray, np.ndarray]:
        ids = np.array([(a, b) for a, b, _ in pairs], dtype=np.int64).reshape(-1)
        return ids, np.array([s for _, _, s in pairs], dtype=np.float64)

    return (*arrays(near_keys), *arrays(near_docs))


def _pairs_from_payload(payload: cache.Payload) -> tuple[list[tuple[int, int, float]], list[tuple[int, int, float]]]:
    key_ids, key_sims, doc_ids, doc_sims = payload
    return (list(zip(key_ids[0::2].tolist(), key_ids[1::2].tolist(), key_sims.tolist())),
            list(zip(doc_ids[0::2].tolist(), doc_ids[1::2].tolist(), doc_sims.tolist())))


def _near_pairs(prepared: list[Prepared], checked: Checked, rep_shingles: normalize.Shingles, settings: Settings,
                timings: dict[str, float]) -> tuple[list[tuple[int, int, float]], list[tuple[int, int, float]]]:
    """Verified near-duplicate key pairs and near-copy document pairs."""
    t = time.perf_counter()
    sigs = sign.signatures(rep_shingles, settings.num_perm, settings.seed)
    timings["sign"] = time.perf_counter() - t
    t = time.perf_counter()
    pairs = candidates.candidate_pairs(sigs, settings.threshold, settings.num_perm)
    timings["candidates"] = time.perf_counter() - t
    t = time.perf_counter()
    near_keys = verify.verified(rep_shingles, pairs, candidates.estimated_jaccard(sigs, pairs), settings.threshold)
    if settings.scope == "article":
        doc_of_key = [checked.doc[ids[0]] for ids in checked.by_key]
        near_keys = [p for p in near_keys if doc_of_key[p[0]] == doc_of_key[p[1]]]
    timings["verify"] = time.perf_counter() - t

    t = time.perf_counter()
    near_docs: list[tuple[int, int, float]] = []
    if settings.scope == "repo" and len(prepared) > 1:
        near_docs = _near_documents(prepared, checked, sigs, rep_shingles, settings)
    timings["documents"] = time.perf_counter() - t
    return near_keys, near_docs


def _cache_fingerprint(settings: Settings) -> str:
    """What per-document results depend on besides the file and the code."""
    return cache.fingerprint(normalize.NORMALIZER_VERSION, settings.min_words, settings.shingle)


def _allow_keys(settings: Settings) -> frozenset[str]:
    """Normalised keys of the allow list's sentences (its ``re:`` entries are group.py's)."""
    return frozenset(normalize.key(normalize.words(a)) for a in settings.allow
                     if not a.startswith(ALLOW_REGEX_PREFIX))


def _csr(sets: list[np.ndarray]) -> normalize.Shingles:
    indptr = np.zeros(len(sets) + 1, dtype=np.int64)
    if sets:
        np.cumsum([len(s) for s in sets], out=indptr[1:])
    hashes = np.concatenate(sets) if sets else np.zeros(0, dtype=np.uint64)
    return normalize.Shingles(indptr, hashes.astype(np.uint64, copy=False))


def _near_documents(prepared: list[Prepared], checked: Checked, sigs: np.ndarray, rep_shingles: normalize.Shingles,
                    settings: Settings) -> list[tuple[int, int, float]]:
    """Verified near-copy document pairs. A document's shingle set is the union of its
    checked units' sets, so its MinHash is the element-wise minimum of theirs: no
    second pass over the shingles, only the candidate pairs are unioned and verified."""
    docs = np.asarray(checked.doc, dtype=np.int64)
    if not len(docs):
        return []
    key_rows = np.asarray(checked.key, dtype=np.int64)
    doc_ids, starts = np.unique(docs, return_index=True)
    doc_sigs = np.minimum.reduceat(sigs[key_rows], starts, axis=0)
    pairs = candidates.candidate_pairs(doc_sigs, settings.document_threshold, settings.num_perm)
    est = candidates.estimated_jaccard(doc_sigs, pairs)
    pairs = pairs[est >= settings.document_threshold - verify.ESTIMATE_MARGIN]
    involved = sorted(set(pairs.ravel().tolist()))
    bounds = np.concatenate((starts, [len(docs)]))
    union = {r: np.unique(np.concatenate([rep_shingles.of(k) for k in key_rows[bounds[r] : bounds[r + 1]]]))
             for r in involved}
    out = []
    for a, b in pairs.tolist():
        score = verify.exact_jaccard(union[a], union[b])
        if score >= settings.document_threshold:
            out.append((int(doc_ids[a]), int(doc_ids[b]), score))
    return out
