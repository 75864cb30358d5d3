"""The archive index: articles in, stored units out; drafts in, ``archive`` findings out.

Indexing (``dedupe index build/add/remove``): read -> segment -> words (prepare.py, in
batches of ``Store.batch_docs`` so memory stays bounded), then per exact-repeat key its word
hashes and MinHash signatures (shingles.py, sign.py) and per article its provenance
(provenance.py), written to a store (dedupe.index). An article whose content hash is
already stored at its path is never signed again.

Checking (``dedupe check DRAFTS --against TARGET``): the drafts' checked units are
looked up by exact key and by LSH band (candidates.py's band keys, in the store). A
candidate shares at least ``candidates.min_shared_bands`` bands with its draft unit, as
many as keep the chance that a pair at the threshold is proposed at TARGET_RECALL: an
archive of a million sentences has thousands of chance collisions in one band of the
content-word signal, and few in three. Every candidate is verified exactly on both
signals (verify.py) from the words the index stored: the similarity reported is an
exact Jaccard, never an estimate. Each
draft unit that matches is one ``archive`` finding: the draft's place first, then the
archived places, best first. A line the archive prints in ``boilerplate_min`` places
or more is template text (a footer, a standfirst) and is not reported; neither is the
archive's own copy of the article being checked (same path).
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from dedupe import candidates, files, prepare, provenance, sign, verify
from dedupe.compare import _content_words
from dedupe.index import DocEntry, KeyEntry, Place, Store, index_meta, key_hash
from dedupe.model import (
    ALLOW_REGEX_PREFIX,
    ARCHIVED,
    DedupeError,
    Finding,
    Occurrence,
    Prepared,
    Provenance,
    Settings,
)
from dedupe.shingles import Shingles, distinct, shingle

MAX_PLACES = 10  # archived places shown per finding (the most similar)
NOT_INDEXED_ROLES = frozenset({"list"})  # team sheets and fixture lists pair only inside one article

Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class Update:
    """What an index run did."""

    added: int  # articles new or changed, signed and stored
    unchanged: int  # articles whose content hash was stored already
    removed: int
    warnings: tuple[str, ...] = ()


def measures(settings: Settings) -> list[tuple[str, float]]:
    """The signals compared, in order, with their thresholds: word shingles, and content
    words when the word signal is on (as compare.near_pairs)."""
    return [("shingles", settings.threshold)] + ([("words", settings.word_threshold)] if settings.word_threshold else [])


def sets(measure: str, words: Sequence[np.ndarray], settings: Settings) -> Shingles:
    """The exact sets of one signal (as compare.near_pairs makes them)."""
    return shingle(list(words), settings.shingle) if measure == "shingles" else _content_words(list(words))


def signals(words: Sequence[np.ndarray], settings: Settings) -> list[verify.Signal]:
    """The exact sets of each signal."""
    return [verify.Signal(name, sets(name, words, settings), threshold) for name, threshold in measures(settings)]


def signatures(words: Sequence[np.ndarray], settings: Settings) -> list[np.ndarray]:
    """Per signal, one MinHash signature row per unit (the empty-sketch row when the unit
    has no set in that signal)."""
    if not len(words):
        return [np.zeros((0, settings.num_perm), dtype=np.uint32) for _ in measures(settings)]
    return [sign.signatures(s.sets, settings.num_perm, settings.seed) for s in signals(words, settings)]


def _checked(p: Prepared) -> list[tuple[int, str, np.ndarray]]:
    """(unit position, key, word hashes) of each unit of a document that is compared."""
    assert p.keys is not None and p.word_counts is not None and p.word_hashes is not None
    ends = np.cumsum(p.word_counts)
    out = []
    for u, k in enumerate(p.keys):
        if k and p.units[u].role not in NOT_INDEXED_ROLES:
            out.append((u, k, p.word_hashes[ends[u] - p.word_counts[u] : ends[u]]))
    return out


def entries(prepared: Sequence[Prepared], hashes: Sequence[str], provs: Sequence[Provenance],
            settings: Settings) -> tuple[list[DocEntry], dict[int, KeyEntry]]:
    """What the store keeps of prepared articles: their units, and their keys signed."""
    docs: list[DocEntry] = []
    words: dict[int, np.ndarray] = {}
    for p, content, prov in zip(prepared, hashes, provs):
        rows, keys = [], []
        source = p.document.source
        for u, k, w in _checked(p):
            unit = p.units[u]
            s = unit.span
            rows.append((unit.index, unit.role, s.offset, s.length, s.line, s.column, s.end_line, s.end_column,
                         source[s.offset : s.offset + s.length]))
            h = key_hash(k)
            keys.append(h)
            words.setdefault(h, w)
        docs.append(DocEntry(stored_path(p.document.path), content, prov, tuple(rows), tuple(keys)))
    order = list(words)
    signed = signatures([words[h] for h in order], settings)
    empty = [(sig == np.iinfo(np.uint32).max).all(axis=1) for sig in signed]
    keys_out = {h: KeyEntry(h, words[h].astype(np.uint64).tobytes(),
                            tuple(None if empty[s][i] else signed[s][i] for s in range(len(signed))))
                for i, h in enumerate(order)}
    return docs, keys_out


def stored_path(path: str) -> str:
    """The path an article is stored under: as found, normalised ("./a/../b.md" is "b.md")."""
    return os.path.normpath(path)


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", errors="surrogatepass")).hexdigest()


def update(store: Store, paths: Sequence[str], settings: Settings, *, rebuild: bool = False,
           progress: Progress | None = None) -> Update:
    """Store the articles under ``paths`` (files, folders walked): new and changed ones
    signed and written in batches, unchanged ones (same content hash) skipped. With
    ``rebuild`` the index is made anew from these articles only."""
    meta = index_meta(settings)
    from dedupe.index import check_meta

    if not rebuild:
        check_meta(store.target, store.meta(), meta)
    found = files.discover(paths, settings.include, settings.exclude)
    explicit = {p for p in paths if not os.path.isdir(p)}
    if not found:
        raise DedupeError(f"no files to index in {', '.join(paths)}")
    if rebuild and hasattr(store, "rebuilding"):
        with store.rebuilding():
            return _update(store, found, explicit, settings, meta, True, progress)
    return _update(store, found, explicit, settings, meta, rebuild, progress)


def _update(store: Store, found: list[str], explicit: set[str], settings: Settings, meta: dict[str, object],
            clear: bool, progress: Progress | None) -> Update:
    warnings: list[str] = []
    added = unchanged = 0
    git = provenance.GitDates()
    first = True
    for lo in range(0, len(found), store.batch_docs):
        batch = found[lo : lo + store.batch_docs]
        sources: list[files.Source] = []
        for path in batch:
            try:
                sources.append(files.read_source(path, settings.max_file_bytes))
            except DedupeError as err:
                if path in explicit:
                    raise
                warnings.append(f"{err} (skipped)")
        hashes = {s.path: content_hash(s.text) for s in sources}
        stored = {} if clear else store.hashes([stored_path(s.path) for s in sources])
        fresh = [s for s in sources if stored.get(stored_path(s.path)) != hashes[s.path]]
        unchanged += len(sources) - len(fresh)
        work: list[prepare.Work] = [(s.path, True, d, s) for d, s in enumerate(fresh)]
        prepared = [p for p in prepare.prepare_all(work, settings, None) if isinstance(p, Prepared)]
        dated = git.files_added([p.document.path for p in prepared])
        provs = []
        for p in prepared:
            prov = provenance.of_document(p.document)
            if prov.date is None and p.document.path in dated:
                prov = Provenance(dated[p.document.path], "git", prov.title, prov.url)
            provs.append(prov)
        docs, keys = entries(prepared, [hashes[p.document.path] for p in prepared], provs, settings)
        if docs or (clear and first):
            store.write(meta, docs, keys, clear=clear and first)
            first = False
        added += len(docs)
        if progress:
            progress(min(lo + len(batch), len(found)), len(found))
    return Update(added, unchanged, 0, tuple(warnings))


def remove(store: Store, paths: Sequence[str], settings: Settings) -> Update:
    """Remove the stored articles at these paths, or inside these folders."""
    from dedupe.index import check_meta

    meta = index_meta(settings)
    check_meta(store.target, store.meta(), meta)
    gone = store.paths_under([stored_path(p) for p in paths])
    if not gone:
        raise DedupeError(f"{store.target}: no indexed article at {', '.join(paths)}")
    store.write(meta, [], {}, remove=gone)
    return Update(0, 0, len(gone))


def _quiet(settings: Settings, allow_keys: frozenset[str]) -> Callable[[str, str, bool], bool]:
    patterns = [re.compile(a[len(ALLOW_REGEX_PREFIX) :]) for a in settings.allow if a.startswith(ALLOW_REGEX_PREFIX)]
    return lambda key, text, suppressed: suppressed or key in allow_keys or any(r.search(text) for r in patterns)


def findings(prepared: Sequence[Prepared], target: str, settings: Settings,
             allow_keys: frozenset[str] = frozenset()) -> list[Finding]:
    """The drafts' units found in the archive index at ``target``, exactly or near, one
    finding per unit (provenance.ordered then says which place came first)."""
    from dedupe.index import open_store

    store = open_store(target, settings)
    try:
        return query(prepared, store, settings, allow_keys)
    finally:
        store.close()


def query(prepared: Sequence[Prepared], store: Store, settings: Settings,
          allow_keys: frozenset[str] = frozenset()) -> list[Finding]:
    """``findings`` on an open store."""
    from dedupe.index import check_meta

    check_meta(store.target, store.meta(), index_meta(settings))
    rows = [(p, u, k, w) for p in prepared for u, k, w in _checked(p)]
    if not rows:
        return []
    words = [w for _, _, _, w in rows]
    hashes = [key_hash(k) for _, _, k, _ in rows]
    exact = store.exact(hashes)
    proposed = [np.array([(i, exact[h]) for i, h in enumerate(hashes) if h in exact], dtype=np.int64).reshape(-1, 2)]
    ours = signals(words, settings)  # made once: signed here, verified against below
    for s, signal in enumerate(ours):
        signed = sign.signatures(signal.sets, settings.num_perm, settings.seed)
        proposed.append(store.candidates(s, signed, candidates.min_shared_bands(signal.threshold, settings.num_perm)))
    pairs = _distinct(np.concatenate(proposed))
    found = store.keys(distinct(pairs[:, 1]).tolist())
    column = np.searchsorted(found.ids, pairs[:, 1])
    known = (column < len(found.ids)) & (found.ids[np.minimum(column, len(found.ids) - 1)] == pairs[:, 1])
    known &= found.units[np.minimum(column, len(found.ids) - 1)] < settings.boilerplate_min  # template lines
    pairs, column = pairs[known], column[known]
    scores, reached = _verified(ours, found.words, pairs[:, 0], column, settings)
    names = [name for name, _ in measures(settings)]
    matches: dict[int, dict[int, tuple[float, str]]] = {}
    hit = np.flatnonzero(reached >= 0)
    exact_ids = np.fromiter((exact.get(h, -1) for h in hashes), dtype=np.int64, count=len(hashes))
    same_key = exact_ids[pairs[hit, 0]] == pairs[hit, 1]  # the draft's own text: a copy if the words agree too
    for i, key, col, score, reach, same in zip(pairs[hit, 0].tolist(), pairs[hit, 1].tolist(), column[hit].tolist(),
                                               scores[hit].tolist(), reached[hit].tolist(), same_key.tolist()):
        copy = same and np.array_equal(words[i], found.words[col])
        matches.setdefault(i, {})[key] = (1.0, "shingles") if copy else (score, names[reach])
    best = {i: sorted(m, key=lambda k: _rank(m[k]))[: MAX_PLACES + 1] for i, m in matches.items()}
    places = store.places(sorted({k for keys in best.values() for k in keys}), MAX_PLACES + 1)
    quiet = _quiet(settings, allow_keys)
    out = []
    for i, keys in sorted(best.items()):
        p, u, k, _ = rows[i]
        f = _finding(p, u, k, {key: matches[i][key] for key in keys}, places, settings, quiet)
        if f is not None:
            out.append(f)
    return out


def _distinct(pairs: np.ndarray) -> np.ndarray:
    """Distinct (row, key) pairs, sorted."""
    if not len(pairs):
        return pairs.reshape(0, 2).astype(np.int64)
    width = int(pairs[:, 1].max()) + 1
    code = distinct(pairs[:, 0] * width + pairs[:, 1])
    return np.stack((code // width, code % width), axis=1)


def _rank(score: tuple[float, str]) -> tuple[bool, float]:
    """Best match first: a shingle score before a word score, then the higher."""
    return (score[1] != "shingles", -score[0])


def _verified(ours: list[verify.Signal], archived: list[np.ndarray], rows: np.ndarray, columns: np.ndarray,
              settings: Settings) -> tuple[np.ndarray, np.ndarray]:
    """Per (draft unit, archived key) pair, the exact similarity on the first signal whose
    threshold it reaches (shingles, then content words) and that signal's index (-1
    when it reaches none): the scores of verify.verified, for all pairs at once. A
    signal's sets are made only for the archived keys of the pairs no earlier signal
    settled (a near variant of a sentence mostly reaches the shingle threshold)."""
    score = np.zeros(len(rows))
    measure = np.full(len(rows), -1)
    todo = np.arange(len(rows))
    for n, signal in enumerate(ours):
        if not len(todo):
            break
        used, local = np.unique(columns[todo], return_inverse=True)
        theirs = sets(signal.measure, [archived[c] for c in used.tolist()], settings)
        exact = verify.jaccards_between(signal.sets, theirs, np.stack((rows[todo], local.ravel()), axis=1))
        hit = exact >= signal.threshold
        score[todo[hit]], measure[todo[hit]] = exact[hit], n
        todo = todo[~hit]
    return score, measure


def _finding(p: Prepared, u: int, key: str, found: dict[int, tuple[float, str]], places: dict[int, list[Place]],
             settings: Settings, quiet: Callable[[str, str, bool], bool]) -> Finding | None:
    unit = p.units[u]
    s = unit.span
    draft = Occurrence(p.document.path, s, p.document.source[s.offset : s.offset + s.length], p.doc, (unit.index,),
                       unit.role)
    own = stored_path(p.document.path)
    ranked = sorted(((sim, measure, k, place) for k, (sim, measure) in found.items() for place in places.get(k, ())
                     if place.path != own),
                    key=lambda t: (-(t[1] == "shingles"), -t[0], t[3].path, t[3].span.offset))[:MAX_PLACES]
    if not ranked:
        return None
    variants: dict[int, int] = {}  # key id -> variant number (0 is the draft's text)
    for _, _, k, _ in ranked:
        variants.setdefault(k, len(variants) + (0 if found[k][0] == 1.0 else 1))
    archived = tuple(
        Occurrence(place.path, place.span, place.text, ARCHIVED, (), place.role, similarity=sim,  # type: ignore[arg-type]
                   measure=measure, variant=variants[k], provenance=place.provenance)  # type: ignore[arg-type]
        for sim, measure, k, place in ranked)
    weakest = min(archived, key=lambda o: (o.measure == "shingles", o.similarity))
    fingerprint = hashlib.sha256(b"archive\0" + key.encode("utf-8")).hexdigest()[:32]
    return Finding("archive", settings.severity.get("archive", "warning"), weakest.similarity,  # type: ignore[arg-type]
                   (draft, *archived), fingerprint, quiet(key, unit.text, unit.suppressed), measure=weakest.measure)
