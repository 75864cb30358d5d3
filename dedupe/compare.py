"""Comparison across the run: checked keys -> verified near pairs (sign, candidates, verify).

In: the prepared documents (their words) and the checked index (model.Checked). Out:
verified near-duplicate key pairs and near-copy document pairs, for group.py. The
numeric heart of a run, imported only when a comparison has to be made: a warm cached
run loads its pairs from the cache and never imports numpy or datasketch.
"""

from __future__ import annotations

import time

import numpy as np

from dedupe import candidates, sign, verify
from dedupe.group import NearKey, boilerplate
from dedupe.model import Checked, Prepared, Settings
from dedupe.shingles import Shingles, hasher, sets_by_owner, shingle


def near_pairs(prepared: list[Prepared], checked: Checked, settings: Settings,
               timings: dict[str, float]) -> tuple[list[NearKey], list[tuple[int, int, float]]]:
    """Verified near-duplicate key pairs and near-copy document pairs, from the words of
    one representative unit per key. Two signals (verify.py): word shingles, and the
    sets of content words, which still see reworded sentences."""
    t = time.perf_counter()
    rep_words = _representative_words(prepared, checked)
    signals = [verify.Signal("shingles", shingle(rep_words, settings.shingle), settings.threshold)]
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


def _stacked(sets: list[Shingles]) -> Shingles:
    """Several CSR set lists as one, rows one list after another."""
    offsets = np.cumsum([0] + [len(x.hashes) for x in sets])
    indptr = np.concatenate([[0]] + [x.indptr[1:] + off for x, off in zip(sets, offsets)])
    return Shingles(indptr, np.concatenate([x.hashes for x in sets]))


def _content_words(rep_words: list[np.ndarray]) -> Shingles:
    """Each key's set of content words (verify.FUNCTION_WORDS left out) as word hashes,
    each once; empty, so not compared on words, when fewer than verify.MIN_CONTENT_WORDS."""
    sizes = np.fromiter((len(w) for w in rep_words), dtype=np.int64, count=len(rep_words))
    flat = np.concatenate(rep_words) if rep_words else np.zeros(0, dtype=np.uint64)
    owner = np.repeat(np.arange(len(rep_words)), sizes)
    function = np.sort(hasher()(sorted(verify.FUNCTION_WORDS)))
    at = np.minimum(np.searchsorted(function, flat), len(function) - 1)
    keep = function[at] != flat
    words = sets_by_owner(owner[keep], flat[keep], len(rep_words))
    counts = np.diff(words.indptr)
    enough = counts >= verify.MIN_CONTENT_WORDS
    indptr = np.concatenate(([0], np.cumsum(np.where(enough, counts, 0))))
    return Shingles(indptr, words.hashes[np.repeat(enough, counts)])


def _representative_words(prepared: list[Prepared], checked: Checked) -> list[np.ndarray]:
    """Per key, the word hashes of its first unit (all units of a key have the same words)."""
    out = []
    assert all(p.word_counts is not None and p.word_hashes is not None for p in prepared)
    word_ends = [np.cumsum(p.word_counts) for p in prepared]  # type: ignore[arg-type]
    for ids in checked.by_key:
        d, u = checked.doc[ids[0]], checked.unit[ids[0]]
        end = word_ends[d][u]
        out.append(prepared[d].word_hashes[end - prepared[d].word_counts[u] : end])  # type: ignore[index]
    return out


def _near_documents(prepared: list[Prepared], checked: Checked, sigs: np.ndarray, rep_shingles: Shingles,
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
