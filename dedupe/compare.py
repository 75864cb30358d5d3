"""Comparison across the run: checked keys -> verified near pairs (sign, candidates, verify).

In: the prepared documents (their words) and the checked index (model.Checked). Out:
verified near-duplicate key pairs and near-copy document pairs, for group.py. The
numeric heart of a run, imported only when a comparison has to be made: a warm cached
run loads its pairs from the cache and never imports numpy.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from collections.abc import Sequence

import numpy as np

from dedupe import candidates, sign, verify
from dedupe.clusters import boilerplate_articles, stars
from dedupe.group import (
    TITLE_ROLES,
    NearKey,
    front_matter_fields,
    lead_in,
    one_folder,
    one_substitution,
    site_page,
)
from dedupe.incremental import KnownSignatures
from dedupe.memory import Spill
from dedupe.model import Checked, Prepared, Settings, Unit
from dedupe.normalize import words as normalize_words
from dedupe.shingles import (
    Shingles,
    by_chunks,
    contains,
    distinct,
    hasher,
    sets_by_owner,
    shingle,
    word_lists,
)

# A whole-article copy needs this many checked units of its own on both sides (units
# that are not template lines): pages of one or two lines ("The check is case
# sensitive:") share a line, not an article.
MIN_DOCUMENT_UNITS = 3
# ... and a third of the smaller one's units must be equal in both: two pages built
# from one template for sibling subjects ("Create an XFS filesystem" / "Create an F2FS
# filesystem" on every line) are near on shingles and share hardly a line.
MIN_EXACT_SHARE = 1 / 3
# ... and not two pages of sibling subjects from one template: when half the lines that
# differ (at least SWAPPED_MIN_LINES) differ first by the same word, the pages are parallel.
SWAPPED_MIN_LINES = 2
SWAPPED_SHARE = 0.5
# ... and not two pages with different titles whose opening descriptions differ by one
# substitution that does not name the page ("Save an API token" / "Remove an API token"
# on `cargo login` and `cargo logout`; "circular" / "linear directed" on two layout
# engines): sibling subjects. A substitution naming the page ("a new Docker container" /
# "a new Podman container" on `docker run` and `podman run`) is one text for two names.
LEAD_MAX_SUBSTITUTED = 3  # words replaced on each side ("block-sorting" / "efficient statistical")


def near_pairs(prepared: list[Prepared], checked: Checked, settings: Settings, timings: dict[str, float],
               known: KnownSignatures | None = None, spill: Spill | None = None, words: np.ndarray | None = None
               ) -> tuple[list[NearKey], list[tuple[int, int, float]]]:
    """Verified near-duplicate key pairs and near-copy document pairs, from the words of
    one representative unit per key. Two signals (verify.py): word shingles, and the
    sets of content words, which still see reworded sentences. ``known``: signatures of
    keys signed in an earlier run (incremental.py), copied rather than signed again.
    ``spill``: the sets and signatures kept in memory-mapped files (memory.py), for a
    run past its memory budget. ``words``: every document's word hashes one after
    another, when the caller made them already (pipeline._checked_words)."""
    t = time.perf_counter()
    threads = threads_for(settings)
    signals = signals_of(prepared, checked, settings, spill, words)
    empty = spill.empty if spill is not None else np.empty
    timings["shingle"] = time.perf_counter() - t
    proposed = []
    doc_pairs: list[tuple[int, int]] = []
    documents = settings.scope == "repo" and len(prepared) > 1  # near-copy documents are looked for
    key_docs = _key_docs(checked) if documents else []
    timings["sign"] = timings["candidates"] = timings["documents"] = 0.0
    for n, signal in enumerate(signals):  # one signal's signatures alive at a time (memory)
        t = time.perf_counter()
        signed = (known.signatures(signal.measure, checked.keys, signal.sets, settings.seed, threads, empty)
                  if known is not None else sign.signatures(signal.sets, settings.num_perm, settings.seed, threads, empty))
        timings["sign"] += time.perf_counter() - t
        t = time.perf_counter()
        pairs = candidates.candidate_pairs(signed, signal.threshold, settings.num_perm, threads,
                                           verify.estimate_cutoff(signal.threshold))
        proposed.append(pairs)
        timings["candidates"] += time.perf_counter() - t
        if n == 0 and documents:
            t = time.perf_counter()
            doc_pairs = _document_candidates(checked, signed, key_docs, settings, len(prepared))
            timings["documents"] += time.perf_counter() - t
        del signed, pairs
    t = time.perf_counter()
    near_keys: list[NearKey] = list(verify.verified(signals, np.concatenate(proposed)))
    if settings.scope == "article":
        doc_of_key = [checked.doc[ids[0]] for ids in checked.by_key]
        near_keys = [p for p in near_keys if doc_of_key[p[0]] == doc_of_key[p[1]]]
    timings["verify"] = time.perf_counter() - t

    t = time.perf_counter()
    near_docs = _near_documents(checked, doc_pairs, key_docs, signals[0].sets, settings, prepared)
    timings["documents"] += time.perf_counter() - t
    return near_keys, near_docs


def signals_of(prepared: list[Prepared], checked: Checked, settings: Settings,
               spill: Spill | None = None, words: np.ndarray | None = None) -> list[verify.Signal]:
    """The sets each key is signed and compared on, a signal each: its representative
    unit's word shingles, and its content words (none when word_threshold is 0). Every
    key's words (8 B a word) are dropped on the way out, not held through signing."""
    rep_words = _representative_words(prepared, checked, words)
    signals = [verify.Signal("shingles", _kept(shingle(rep_words, settings.shingle), spill), settings.threshold)]
    if settings.word_threshold:
        signals.append(verify.Signal("words", _kept(_content_words(rep_words), spill), settings.word_threshold))
    return signals


def _kept(sets: Shingles, spill: Spill | None) -> Shingles:
    """The sets, in files when the run spills (their arrays in memory dropped)."""
    return sets if spill is None else Shingles(spill.kept(sets.indptr), spill.kept(sets.hashes))


def threads_for(settings: Settings) -> int:
    """Threads for the comparison's numpy work: one per process the run may use."""
    return settings.jobs or max(1, min(os.cpu_count() or 1, 8))


def _content_words(rep_words: Shingles | Sequence[np.ndarray]) -> Shingles:
    """Each key's set of content words (verify.FUNCTION_WORDS left out) as word hashes,
    each once; empty, so not compared on words, when fewer than verify.MIN_CONTENT_WORDS.
    ``rep_words``: each key's words (shingles.word_lists, or one array each)."""
    words = rep_words if isinstance(rep_words, Shingles) else word_lists(rep_words)
    function = contains(words.hashes, distinct(hasher()(sorted(verify.FUNCTION_WORDS))))
    content = np.zeros(len(words.hashes) + 1, dtype=np.int64)
    np.cumsum(~function, out=content[1:])
    return by_chunks(_content_words_of, Shingles(content[words.indptr], words.hashes[~function]))


def _content_words_of(content: Shingles) -> Shingles:
    owner = np.repeat(np.arange(len(content)), np.diff(content.indptr))
    words = sets_by_owner(owner, content.hashes, len(content))
    counts = np.diff(words.indptr)
    enough = counts >= verify.MIN_CONTENT_WORDS
    indptr = np.concatenate(([0], np.cumsum(np.where(enough, counts, 0))))
    return Shingles(indptr, words.hashes[np.repeat(enough, counts)])


def _representative_words(prepared: list[Prepared], checked: Checked, words: np.ndarray | None = None) -> Shingles:
    """Per key, the word hashes of its first unit (all units of a key have the same
    words), as word lists in CSR form (shingles.word_lists), gathered in one step.
    ``words``: every document's word hashes one after another, when made already
    (pipeline._checked_words, for the shared-run search): not copied again (53 MB and
    24 ms at eight times BBC)."""
    assert all(p.word_counts is not None and p.word_hashes is not None for p in prepared)
    counts = np.concatenate([p.word_counts for p in prepared])  # type: ignore[misc]  # per unit, documents in turn
    units_before = np.zeros(len(prepared) + 1, dtype=np.int64)
    np.cumsum([len(p.word_counts) for p in prepared], out=units_before[1:])  # type: ignore[arg-type]
    first = checked.by_key.firsts()
    doc, unit = np.asarray(checked.doc, dtype=np.int64), np.asarray(checked.unit, dtype=np.int64)
    rep = units_before[doc[first]] + unit[first]  # each key's first unit, numbered across documents
    sizes = counts[rep]
    indptr = np.zeros(len(rep) + 1, dtype=np.int64)
    np.cumsum(sizes, out=indptr[1:])
    flat = np.concatenate([p.word_hashes for p in prepared]) if words is None else words  # type: ignore[misc]
    # Keys are numbered in the order their first units are met (pipeline._index_units),
    # so those units come in order: a byte a word picks their words out, where the
    # words' positions took eight (at 16x BBC 0.26 s, now 0.18 s).
    chosen = np.zeros(len(counts), dtype=bool)
    chosen[rep] = True
    return Shingles(indptr, flat[np.repeat(chosen, counts)])


def _key_docs(checked: Checked) -> list[int]:
    """Per key, how many documents it is in. A key's ids are in order and checked ids
    are numbered document by document, so its documents are in order too: one, plus
    one for each change of document between its neighbouring ids."""
    by_key = checked.by_key
    ids = np.asarray(by_key.ids, dtype=np.int64)
    starts = np.asarray(by_key.starts, dtype=np.int64)
    sizes = starts[1:] - starts[:-1]
    docs = np.asarray(checked.doc, dtype=np.int64)[ids]
    key = np.repeat(np.arange(len(sizes)), sizes)
    changed = (key[1:] == key[:-1]) & (docs[1:] != docs[:-1])
    return (1 + np.bincount(key[1:][changed], minlength=len(sizes))).tolist()  # type: ignore[no-any-return]


def _doc_signatures(checked: Checked, sigs: np.ndarray, keep: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per document with kept units, its id and MinHash: the element-wise minimum of its
    units' (a document's shingle set is the union of its units')."""
    docs = np.asarray(checked.doc, dtype=np.int64)[keep]
    if not len(docs):
        return docs, np.zeros((0, sigs.shape[1]), dtype=sigs.dtype)
    rows = np.asarray(checked.key, dtype=np.int64)[keep]
    doc_ids, starts = np.unique(docs, return_index=True)
    # A permutation at a time (candidates.columns: contiguous rows), so that the units'
    # values are gathered from one row that stays in cache, not from all 128 at once.
    out = np.empty((sigs.shape[1], len(doc_ids)), dtype=sigs.dtype)
    for p, row in enumerate(candidates.columns(sigs)):
        out[p] = np.minimum.reduceat(row.take(rows), starts)
    return doc_ids, out.T


def _doc_candidates(checked: Checked, sigs: np.ndarray, keep: np.ndarray, threshold: float,
                    num_perm: int) -> np.ndarray:
    """Candidate pairs (a, b), a < b, of the documents with kept units, as document ids."""
    doc_ids, doc_sigs = _doc_signatures(checked, sigs, keep)
    pairs = candidates.candidate_pairs(doc_sigs, threshold, num_perm, cutoff=verify.estimate_cutoff(threshold))
    return doc_ids[pairs]  # type: ignore[no-any-return]


def _subject_swapped(a: list[str], b: list[str]) -> bool:
    """True for two pages written from one template about sibling subjects: most of the
    lines that differ differ by the same substitution ("Create an F2FS filesystem" /
    "Create an XFS filesystem", "GitHub" / "GitLab" on every line). Each differing line
    of the smaller side is paired with the line of the other that shares most words."""
    only_a, only_b = sorted(set(a) - set(b)), sorted(set(b) - set(a))
    if len(only_a) > len(only_b):
        only_a, only_b = only_b, only_a
    if len(only_a) < SWAPPED_MIN_LINES:
        return False
    swaps: Counter[tuple[tuple[str, ...], tuple[str, ...]]] = Counter()
    words_b = [(line.split(), set(line.split())) for line in only_b]
    for line in only_a:
        wa = line.split()
        wb = max(words_b, key=lambda w: len(w[1] & set(wa)))[0]
        head = 0
        while head < min(len(wa), len(wb)) and wa[head] == wb[head]:
            head += 1
        tail = 0
        while tail < min(len(wa), len(wb)) - head and wa[-1 - tail] == wb[-1 - tail]:
            tail += 1
        for word_a, word_b in zip(wa[head : len(wa) - tail], wb[head : len(wb) - tail]):
            if word_a != word_b:
                swaps[(word_a,), (word_b,)] += 1
                break
    return bool(swaps) and swaps.most_common(1)[0][1] >= max(SWAPPED_MIN_LINES, SWAPPED_SHARE * len(only_a))


def _document_candidates(checked: Checked, sigs: np.ndarray, key_docs: list[int], settings: Settings,
                         articles: int) -> list[tuple[int, int]]:
    """Candidate near-copy document pairs, sorted, from the documents' signatures with
    and without template lines (see _near_documents); ``key_docs``: per key, the
    documents it is in. The two sets of pairs are joined in numpy, and Python pairs
    made once (tldr-pages: 68,000 pairs each, 0.1 s a set of tuples)."""
    c = checked
    least = boilerplate_articles(settings, articles)
    everything = np.ones(len(c.key), dtype=bool)
    template = np.fromiter((key_docs[k] >= least for k in c.key), dtype=bool, count=len(c.key))
    from concurrent.futures import ThreadPoolExecutor  # here: a check of one article never gets this far

    with ThreadPoolExecutor(min(2, threads_for(settings))) as pool:
        found = list(pool.map(lambda keep: _doc_candidates(c, sigs, keep, settings.document_threshold,
                                                           settings.num_perm), [everything, ~template]))
    pairs = np.concatenate(found)
    code = distinct(pairs[:, 0] * articles + pairs[:, 1])  # sorted as the pairs are; np.unique imports numpy.ma
    return list(zip((code // articles).tolist(), (code % articles).tolist()))


def _title_and_lead(units: Sequence[Unit], source: str = "") -> tuple[list[str], list[str]] | None:
    """A page's title and opening description as normalised words: the ``title`` and
    ``description`` of its front matter (a documentation site's page: "title:
    urls.AbsURL", "description: Returns an absolute URL.", whose body may open with a
    section heading such as "Usage"), else its first unit, when that is a title or
    heading, and the first sentence after it; None without both."""
    fields = front_matter_fields(source)
    if fields.get("title") and fields.get("description"):
        return normalize_words(fields["title"]), normalize_words(fields["description"])
    if units and units[0].role in TITLE_ROLES:
        lead = next((u for u in units[1:] if u.role == "sentence"), None)
        return None if lead is None else (normalize_words(units[0].text), normalize_words(lead.text))
    return None


def _sibling_subjects(a: Sequence[Unit], b: Sequence[Unit], source_a: str = "", source_b: str = "") -> bool:
    """True for two pages with different titles whose opening descriptions differ by one
    substitution (up to LEAD_MAX_SUBSTITUTED words on each side) where neither side's words name its
    own page: two subjects described from one template, not one page copied."""
    ta, tb = _title_and_lead(a, source_a), _title_and_lead(b, source_b)
    if ta is None or tb is None or ta[0] == tb[0] or not one_substitution(ta[1], tb[1], LEAD_MAX_SUBSTITUTED):
        return False
    (title_a, lead_a), (title_b, lead_b) = ta, tb
    n = min(len(lead_a), len(lead_b))
    head = 0
    while lead_a[head] == lead_b[head]:
        head += 1
    tail = 0
    while tail < n - head and lead_a[-1 - tail] == lead_b[-1 - tail]:
        tail += 1

    def names(swapped: list[str], title: list[str]) -> bool:
        """A swapped word is, or contains, a word of the title ("opentofu" of `tofu plan`)."""
        return any(t == w or (len(t) >= 3 and t in w) for w in swapped for t in title)

    return not (names(lead_a[head : len(lead_a) - tail], title_a) or names(lead_b[head : len(lead_b) - tail], title_b))


def _near_documents(checked: Checked, pairs: Sequence[tuple[int, int]], key_docs: list[int], rep_shingles: Shingles,
                    settings: Settings, prepared: list[Prepared]) -> list[tuple[int, int, float]]:
    """Verified near-copy document pairs (a, b, exact Jaccard of their shingles), of the
    candidate ``pairs``.

    Template lines (keys in ``boilerplate_articles`` articles or more) would make pages
    built from one template look like copies, so two pages are compared without them
    and each needs MIN_DOCUMENT_UNITS units of its own. But in a small collection the
    copies of one article make its own sentences look like template lines (three copies
    of a story in twelve files), so articles whose units are mostly the same (unit-key
    Jaccard at the threshold) are counted once when deciding what is a template line.
    Candidates come from the documents' signatures with and without template lines
    (_document_candidates). Two pages of a site in one section (group.one_folder) that
    are near but not equal are sibling pages written from its template (rule 13).
    """
    if not pairs:
        return []
    c = checked
    threshold, least = settings.document_threshold, boilerplate_articles(settings, len(prepared))
    units = {p.doc: p.units for p in prepared}
    sources = {p.doc: p.document.source for p in prepared}
    paths = {p.doc: p.document.path for p in prepared}
    doc_keys = {d: c.key[c.first[d] : c.first[d] + c.count[d]] for d in sorted({d for p in pairs for d in p})}
    key_sets = {d: set(keys) for d, keys in doc_keys.items()}  # once a page, not twice a pair
    same: dict[int, dict[int, float]] = {}
    for a, b in pairs:
        ka, kb = key_sets[a], key_sets[b]
        both = len(ka & kb)
        if both >= threshold * (len(ka) + len(kb) - both):  # the share of the union they share
            same.setdefault(a, {})[b] = same.setdefault(b, {})[a] = 1.0
    copy_of = {d: leader for leader, star in stars({d: (len(n), 0) for d, n in same.items()}, same, 1.0).items()
               for d in star.members}
    shared = {k for k, n in enumerate(key_docs) if n >= least
              and len({copy_of.get(c.doc[i], c.doc[i]) for i in c.by_key[k]}) >= least}
    # lead-ins ("With a binary input:") are connective prose: two pages of examples
    # introduced alike are not copies of each other
    firsts = {k: c.by_key.first(k) for d in doc_keys for k in doc_keys[d]}
    connective = {k for k, i in firsts.items() if c.role[i] == "sentence"
                  and lead_in(units[c.doc[i]][c.unit[i]].text, len(c.keys[k].split()))}
    # each page's own keys, made once a page: tldr-pages has 39,000 candidate pairs of 7,400 pages
    own_keys = {d: [k for k in keys if k not in shared and k not in connective] for d, keys in doc_keys.items()}
    out = []
    for a, b in sorted(pairs):
        own = own_keys[a], own_keys[b]
        if min(len(own[0]), len(own[1])) < MIN_DOCUMENT_UNITS:
            continue
        if len(set(own[0]) & set(own[1])) < MIN_EXACT_SHARE * min(len(set(o)) for o in own):
            continue  # parallel pages: each line says the same of another subject
        if _subject_swapped([c.keys[k] for k in own[0]], [c.keys[k] for k in own[1]]):
            continue
        if _sibling_subjects(units[a], units[b], sources[a], sources[b]):
            continue
        sa, sb = (distinct(np.concatenate([rep_shingles.of(k) for k in o])) for o in own)
        score = verify.exact_jaccard(sa, sb)
        if score < 1.0 and all(site_page(sources[d]) for d in (a, b)) and one_folder((paths[d] for d in (a, b)), paths.values()):
            continue  # rule 13: sibling pages of one section written from its template, not one page copied
        if score >= threshold:
            out.append((a, b, score))
    return out
