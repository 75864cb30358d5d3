"""The pipeline: paths or texts -> Result. The only module that knows the stage order.

read -> segment -> normalise/shingle (per document, spread over processes for large
inputs) -> sign -> candidates -> verify -> group. Output order never depends on the
number of processes: documents are sorted by path and findings by path and offset.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
import sys
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

import numpy as np

from dedupe import cache, candidates, files, normalize, readers, segment, sign, verify
from dedupe.group import MEASURES, Checked, NearKey, boilerplate, group
from dedupe.model import (
    ALLOW_REGEX_PREFIX,
    Block,
    DedupeError,
    Document,
    Result,
    Settings,
    Span,
    Unit,
    UnitList,
)

PARALLEL_MIN_DOCUMENTS = 200  # below this, starting processes costs more than it saves
DOCS_PER_TASK = 64

Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class Prepared:
    """One document after the per-document stages."""

    document: Document
    units: Sequence[Unit]
    keys: tuple[str, ...]  # per unit; "" for units too short to check
    word_counts: np.ndarray  # per unit: words hashed for it (0 for unchecked units)
    word_hashes: np.ndarray  # uint64: the words of the checked units, one after another


def _prepare_text(path: str, text: str, fmt: str, warnings: tuple[str, ...], settings: Settings,
                  doc: int = 0) -> Prepared:
    document = readers.get(fmt)(path, text)
    if warnings:
        document = Document(document.path, document.source, document.format, document.blocks,
                            document.warnings + warnings)
    units = segment.segment(document, doc)
    unit_words = [normalize.words(u.text) for u in units]
    checked = [w if len(w) >= settings.min_words else [] for w in unit_words]
    keys = tuple(normalize.key(w) for w in checked)
    counts = np.fromiter((len(w) for w in checked), dtype=np.int64, count=len(checked))
    hashes = _hasher()([t for w in checked for t in w])
    return Prepared(document, units, keys, counts, hashes)


_HASHER: normalize.WordHasher | None = None


def _hasher() -> normalize.WordHasher:
    global _HASHER
    if _HASHER is None:
        _HASHER = normalize.WordHasher()
    return _HASHER


def _prepare_path(path: str, explicit: bool, settings: Settings, doc: int = 0) -> Prepared | str:
    """A prepared document, or a warning when a file found by walking cannot be read
    (a file named on the command line raises instead: the run cannot do what was asked)."""
    try:
        src = files.read_source(path, settings.max_file_bytes)
    except DedupeError as err:
        if explicit:
            raise
        return f"{err} (skipped)"
    return _prepare_text(src.path, src.text, src.format, src.warnings, settings, doc)


Packed = tuple  # a Prepared as plain tuples, lists and arrays: pickles at C speed


def _pack(p: Prepared) -> Packed:
    d = p.document
    blocks = [(b.role, b.text, b.pieces, b.lines, b.suppressed) for b in d.blocks]
    units = [(u.index, u.role, u.text, *astuple_span(u.span), u.block, u.suppressed, u.text_start) for u in p.units]
    return (d.path, d.source, d.format, blocks, d.warnings, units, p.keys, p.word_counts, p.word_hashes)


def astuple_span(s: Span) -> tuple[int, int, int, int, int, int]:
    return (s.offset, s.length, s.line, s.column, s.end_line, s.end_column)


def _unpack(t: Packed, doc: int) -> Prepared:
    path, source, fmt, blocks, warnings, units, keys, counts, hashes = t
    document = Document(path, source, fmt, tuple(Block(*b) for b in blocks), warnings)
    built = UnitList(doc, units)
    return Prepared(document, built, keys, counts, hashes)


def _prepare_chunk(chunk: list[tuple[str, bool, int]], settings: Settings) -> list[Packed | str]:
    """Worker task: prepare documents and send them back packed."""
    out: list[Packed | str] = []
    for p, e, d in chunk:
        r = _prepare_path(p, e, settings, d)
        out.append(r if isinstance(r, str) else _pack(r))
    return out


def _jobs(settings: Settings, n_docs: int) -> int:
    if settings.jobs:
        return settings.jobs
    if n_docs < PARALLEL_MIN_DOCUMENTS:
        return 1
    return max(1, min(os.cpu_count() or 1, 8))


def _prepare_all(paths: list[tuple[str, bool, int]], settings: Settings,
                 progress: Progress | None) -> list[Prepared | str]:
    """Prepare every document; ``paths`` carry the document index each will have."""
    jobs = _jobs(settings, len(paths))
    if jobs == 1 or len(paths) < 2:
        out = []
        for n, (p, e, d) in enumerate(paths, 1):
            out.append(_prepare_path(p, e, settings, d))
            if progress:
                progress(n, len(paths))
        return out
    chunks = [paths[i : i + DOCS_PER_TASK] for i in range(0, len(paths), DOCS_PER_TASK)]
    done = 0
    out = []
    # Load Punkt (and nltk) once here: forked workers inherit it instead of each
    # importing nltk again. Elsewhere workers start fresh and load it themselves.
    context = multiprocessing.get_context("fork") if sys.platform == "linux" else None
    if context is not None:
        segment.tokenizer()
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        parts = pool.map(_prepare_chunk, chunks, [settings] * len(chunks))  # all submitted now
        # While the workers segment, this process would only wait: load what the next
        # stages need (datasketch, which imports scipy: about half a second) meanwhile.
        sign.permutations(settings.num_perm, settings.seed)
        for chunk, part in zip(chunks, parts):
            out.extend(r if isinstance(r, str) else _unpack(r, d) for r, (_, _, d) in zip(part, chunk))
            done += len(part)
            if progress:
                progress(done, len(paths))
    return out


def _prepare_cached(paths: list[tuple[str, bool, int]], settings: Settings, progress: Progress | None,
                    store: cache.Cache) -> list[Prepared | str]:
    """The per-document stages through the cache. Files are read and hashed here; hits
    are unpacked, misses prepared as usual (in processes when many) and stored together."""
    out: list[Prepared | str] = []
    sources: dict[int, tuple[str, str, str]] = {}  # position in paths -> (path, decoded text, cache key)
    for n, (p, e, _) in enumerate(paths):
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
    for n, (p, _, d) in enumerate(paths):
        hit = found.get(sources[n][2]) if n in sources else None
        if hit is None:
            if n in sources or p == files.STDIN_NAME:
                misses.append(n)
            continue
        out.append(_unpack((*sources[n][:2], *hit), d))
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
    explicit = {p for p in given if p == files.STDIN_NAME or not os.path.isdir(p)}
    # Documents are numbered in path order before preparing, so that units are built
    # with their final document index; a skipped file only leaves a gap to close.
    named = sorted([(p, p in explicit, None) for p in found] + [(n, True, t) for n, t in (texts or {}).items()],
                   key=lambda w: w[0])
    work = [(p, e, d) for d, (p, e, t) in enumerate(named) if t is None]
    store = cache.Cache(settings.cache_dir, _cache_fingerprint(settings)) if settings.cache else None
    prepared_or_warn = _prepare_all(work, settings, progress) if store is None else \
        _prepare_cached(work, settings, progress, store)
    for d, (name, _, text) in enumerate(named):
        if text is not None:
            prepared_or_warn.append(_prepare_text(name, text, files.format_of(name), (), settings, d))
    warnings = [w for w in prepared_or_warn if isinstance(w, str)]
    prepared = sorted((p for p in prepared_or_warn if isinstance(p, Prepared)), key=lambda p: p.document.path)
    prepared = [p if not p.units or p.units[0].doc == d else _renumbered(p, d) for d, p in enumerate(prepared)]
    if not prepared:
        detail = f": {'; '.join(warnings[:3])}" if warnings else ""
        if len(warnings) > 3:
            detail += f"; and {len(warnings) - 3} more skipped"
        raise DedupeError(f"no files to check in {', '.join(given) or 'the input'}{detail}")
    timings["read+segment+shingle"] = time.perf_counter() - t0

    result = _compare(prepared, settings, timings, store)
    doc_warnings = [w for p in prepared for w in p.document.warnings] + (store.warnings if store else [])
    return Result(result[0], result[1], result[2], settings, tuple(warnings + doc_warnings), timings)


def _compare(prepared: list[Prepared], settings: Settings, timings: dict[str, float],  # type: ignore[no-untyped-def]
             store: cache.Cache | None = None):
    t = time.perf_counter()
    docs = tuple(p.document for p in prepared)
    units = tuple(p.units for p in prepared)
    checked = _index_units(prepared, settings.scope == "article")
    rep_words = []
    word_ends = [np.cumsum(p.word_counts) for p in prepared]
    for ids in checked.by_key:
        d, u = checked.doc[ids[0]], checked.unit[ids[0]]
        end = word_ends[d][u]
        rep_words.append(prepared[d].word_hashes[end - prepared[d].word_counts[u] : end])
    timings["exact"] = time.perf_counter() - t

    pairs_key = _pairs_key(store, checked, settings) if store else ""
    stored = store.get([pairs_key]).get(pairs_key) if store else None
    if stored is None:
        near_keys, near_docs = _near_pairs(prepared, checked, rep_words, settings, timings)
        if store:
            store.put([(pairs_key, _pairs_payload(near_keys, near_docs))], used=[])
    else:
        near_keys, near_docs = _pairs_from_payload(stored)
        store.put([], used=[pairs_key])  # type: ignore[union-attr]

    t = time.perf_counter()
    findings = group(docs, units, checked, near_keys, near_docs, settings, _allow_keys(settings))
    timings["group"] = time.perf_counter() - t
    return tuple(findings), docs, units


def _index_units(prepared: list[Prepared], per_article: bool) -> Checked:
    """The checked units of every document, numbered in document order, grouped by
    exact-repeat key (per article when the scope is one article)."""
    checked = Checked()
    scoped: list[str | tuple[int, str]] = []
    for d, p in enumerate(prepared):
        units = list(itertools.compress(range(len(p.keys)), p.keys))
        checked.first[d], checked.count[d] = len(checked.doc), len(units)
        checked.doc.extend([d] * len(units))
        checked.unit.extend(units)
        checked.pos.extend(range(len(units)))
        keys = [k for k in p.keys if k]
        scoped.extend([(d, k) for k in keys] if per_article else keys)
    key_id: dict[str | tuple[int, str], int] = {}
    checked.key = [key_id.setdefault(k, len(key_id)) for k in scoped]
    checked.keys = [k[1] if isinstance(k, tuple) else k for k in key_id]
    checked.by_key = [[] for _ in key_id]
    for i, kid in enumerate(checked.key):
        checked.by_key[kid].append(i)
    return checked


def _pairs_key(store: cache.Cache, checked: Checked, settings: Settings) -> str:
    """Cache key of the near pairs: the checked units' keys and documents, and the settings
    the comparison reads. Grouping is not cached: allow lists and severities do not miss."""
    s = settings
    compare = repr((s.threshold, s.word_threshold, s.num_perm, s.seed, s.shingle, s.scope, s.document_threshold,
                    s.boilerplate_min))
    return store.key("near pairs", compare, "\n".join(checked.keys),
                     np.asarray(checked.key, dtype=np.int64).tobytes(), np.asarray(checked.doc, dtype=np.int64).tobytes())


def _pairs_payload(near_keys: list[NearKey], near_docs: list[tuple[int, int, float]]) -> cache.Payload:
    def arrays(pairs: list[tuple[int, int, float]]) -> tuple[np.ndarray, np.ndarray]:
        ids = np.array([(a, b) for a, b, _ in pairs], dtype=np.int64).reshape(-1)
        return ids, np.array([s for _, _, s in pairs], dtype=np.float64)

    measures = np.array([MEASURES.index(m) for *_, m in near_keys], dtype=np.int8)
    return (*arrays([p[:3] for p in near_keys]), measures, *arrays(near_docs))


def _pairs_from_payload(payload: cache.Payload) -> tuple[list[NearKey], list[tuple[int, int, float]]]:
    key_ids, key_sims, measures, doc_ids, doc_sims = payload
    return (list(zip(key_ids[0::2].tolist(), key_ids[1::2].tolist(), key_sims.tolist(),
                     [MEASURES[m] for m in measures.tolist()])),
            list(zip(doc_ids[0::2].tolist(), doc_ids[1::2].tolist(), doc_sims.tolist())))


def _near_pairs(prepared: list[Prepared], checked: Checked, rep_words: list[np.ndarray], settings: Settings,
                timings: dict[str, float]) -> tuple[list[NearKey], list[tuple[int, int, float]]]:
    """Verified near-duplicate key pairs and near-copy document pairs, from the words of
    one representative unit per key. Two signals (verify.py): word shingles, and the
    sets of content words, which still see reworded sentences."""
    t = time.perf_counter()
    signals = [verify.Signal("shingles", normalize.shingle(rep_words, settings.shingle), settings.threshold)]
    if settings.word_threshold:
        signals.append(verify.Signal("words", _content_words(rep_words), settings.word_threshold))
    timings["shingle"] = time.perf_counter() - t
    t = time.perf_counter()
    stacked = _stacked([signal.sets for signal in signals])  # every signal signed in one pass
    sigs = np.split(sign.signatures(stacked, settings.num_perm, settings.seed),
                    np.cumsum([len(signal.sets) for signal in signals])[:-1])
    timings["sign"] = time.perf_counter() - t
    t = time.perf_counter()
    proposed = []
    for signal, signed in zip(signals, sigs):
        pairs = candidates.candidate_pairs(signed, signal.threshold, settings.num_perm)
        proposed.append(verify.likely(pairs, candidates.estimated_jaccard(signed, pairs), signal.threshold))
    timings["candidates"] = time.perf_counter() - t
    t = time.perf_counter()
    near_keys: list[NearKey] = list(verify.verified(signals, np.concatenate(proposed)))
    if settings.scope == "article":
        doc_of_key = [checked.doc[ids[0]] for ids in checked.by_key]
        near_keys = [p for p in near_keys if doc_of_key[p[0]] == doc_of_key[p[1]]]
    timings["verify"] = time.perf_counter() - t

    t = time.perf_counter()
    near_docs: list[tuple[int, int, float]] = []
    if settings.scope == "repo" and len(prepared) > 1:
        template = {k for cluster in boilerplate(checked, near_keys, settings, len(prepared)) for k in cluster.keys}
        near_docs = _near_documents(prepared, checked, sigs[0], signals[0].sets, settings, template)
    timings["documents"] = time.perf_counter() - t
    return near_keys, near_docs


def _stacked(sets: list[normalize.Shingles]) -> normalize.Shingles:
    """Several CSR set lists as one, rows one list after another."""
    offsets = np.cumsum([0] + [len(x.hashes) for x in sets])
    indptr = np.concatenate([[0]] + [x.indptr[1:] + off for x, off in zip(sets, offsets)])
    return normalize.Shingles(indptr, np.concatenate([x.hashes for x in sets]))


def _content_words(rep_words: list[np.ndarray]) -> normalize.Shingles:
    """Each key's set of content words (verify.FUNCTION_WORDS left out) as word hashes,
    each once; empty, so not compared on words, when fewer than verify.MIN_CONTENT_WORDS."""
    sizes = np.fromiter((len(w) for w in rep_words), dtype=np.int64, count=len(rep_words))
    flat = np.concatenate(rep_words) if rep_words else np.zeros(0, dtype=np.uint64)
    owner = np.repeat(np.arange(len(rep_words)), sizes)
    function = np.sort(_hasher()(sorted(verify.FUNCTION_WORDS)))
    at = np.minimum(np.searchsorted(function, flat), len(function) - 1)
    keep = function[at] != flat
    words = normalize.sets_by_owner(owner[keep], flat[keep], len(rep_words))
    counts = np.diff(words.indptr)
    enough = counts >= verify.MIN_CONTENT_WORDS
    indptr = np.concatenate(([0], np.cumsum(np.where(enough, counts, 0))))
    return normalize.Shingles(indptr, words.hashes[np.repeat(enough, counts)])


def _cache_fingerprint(settings: Settings) -> str:
    """What per-document results depend on besides the file and the code."""
    return cache.fingerprint(normalize.NORMALIZER_VERSION, settings.min_words, settings.shingle)


def _allow_keys(settings: Settings) -> frozenset[str]:
    """Normalised keys of the allow list's sentences (its ``re:`` entries are group.py's)."""
    return frozenset(normalize.key(normalize.words(a)) for a in settings.allow
                     if not a.startswith(ALLOW_REGEX_PREFIX))


def _renumbered(p: Prepared, doc: int) -> Prepared:
    """The same prepared document with its units moved to another document index."""
    units = tuple(Unit(doc, u.index, u.role, u.text, u.span, u.block, u.suppressed, u.text_start) for u in p.units)
    return Prepared(p.document, units, p.keys, p.word_counts, p.word_hashes)


def _near_documents(prepared: list[Prepared], checked: Checked, sigs: np.ndarray, rep_shingles: normalize.Shingles,
                    settings: Settings, template: set[int]) -> list[tuple[int, int, float]]:
    """Verified near-copy document pairs. A document's shingle set is the union of its
    checked units' sets, so its MinHash is the element-wise minimum of theirs: no
    second pass over the shingles, only the candidate pairs are unioned and verified.
    Boilerplate keys (``template``) are left out: two pages made of the same template
    lines and little else are not copies of each other."""
    own = np.fromiter((k not in template for k in checked.key), dtype=bool, count=len(checked.key))
    docs = np.asarray(checked.doc, dtype=np.int64)[own]
    if not len(docs):
        return []
    key_rows = np.asarray(checked.key, dtype=np.int64)[own]
    doc_ids, starts = np.unique(docs, return_index=True)
    doc_sigs = np.minimum.reduceat(sigs[key_rows], starts, axis=0)
    pairs = candidates.candidate_pairs(doc_sigs, settings.document_threshold, settings.num_perm)
    pairs = verify.likely(pairs, candidates.estimated_jaccard(doc_sigs, pairs), settings.document_threshold)
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
