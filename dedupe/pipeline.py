"""The pipeline: paths or texts -> Result. The only module that knows the stage order.

read -> segment -> words (prepare.py, per document, spread over processes for large
inputs) -> index the exact-repeat keys -> shingle, sign, candidates, verify (compare.py)
-> group. Output order never depends on the number of processes: documents are sorted
by path and findings by path and offset.

With the cache on (cache.py), each file's units and words are stored under a hash of
its text, the run's index and verified pairs under the list of those hashes, and its
findings under that list and every setting; a manifest keeps each file's stamp, text
and key: a warm run over an unchanged repository stats the files and reads the
manifest and the result entry it links to, in one query. ``prepare`` and
``compare`` (readers, numpy) are imported when there is something to prepare or
compare, not before.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import os
import time
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, TypeVar

from dedupe import cache, files, memory, provenance, walk
from dedupe.aside import Aside, spare_core
from dedupe.clusters import boilerplate_articles
from dedupe.escape import quote_path
from dedupe.model import (
    ALLOW_REGEX_PREFIX,
    CHECKED_ARRAYS,
    OFF,
    Checked,
    DedupeError,
    Document,
    EditedPair,
    Finding,
    KeyIds,
    Prepared,
    Result,
    RunCandidates,
    RunRow,
    Settings,
    Unit,
    head,
    pack,
    packed_shape_ok,
    unit_rows,
    unpack,
)

if TYPE_CHECKING:
    import numpy as np

    from dedupe.group import NearKey
    from dedupe.incremental import KnownSignatures
    from dedupe.prepare import Progress, Work

SNAPSHOT_VERSION = "3"  # of the run entry's layout (_snapshot)
MANIFEST_VERSION = "1"  # of the manifest entry's layout (_read_all)
RACY_S = walk.RACY_S  # a file stamped less than this long ago is read again next time (_read_all)
GIT_VERSION = "1"  # of a git entry's layout (_git_payload)
RESULT_VERSION = "3"  # of the result entry's layout (documents' heads, findings, boilerplate cutoff, dated?)
# The grouping's code: a result entry holds findings, which group.py and passages.py make (cache.NOT_CACHED).
_GROUPING_CODE = cache.source_fingerprint("group.py", "passages.py")
T = TypeVar("T")
# Fewer checked words than this: the shared-run search takes less time than forking
# a process for it (aside.py) saves; BBC has about 850,000.
RUNS_ASIDE_MIN_WORDS = 100_000
# What is read beside the comparison after the runs: the echoes, and the edited copies
# (None: not read there, phrases.py finds them when it needs them).
_Read = tuple["list[RunRow] | None", "list[EditedPair] | None"]


def check(
    paths: Iterable[str] = (),
    *,
    texts: Mapping[str, str] | None = None,
    settings: Settings | None = None,
    progress: Progress | None = None,
    against: str | None = None,
    keep: Callable[[Finding], bool] | None = None,
    walked: walk.Walk | None = None,
) -> Result:
    """Check files (and directories, walked) and/or in-memory texts named by path.

    ``texts`` maps a name (its extension picks the reader, default plain text) to the
    article's text. ``against`` names an archive index (dedupe.index) to look the
    articles up in: its matches are ``archive`` findings. ``keep`` drops the findings it
    says no to before their places are dated (git is asked once a place); the cache
    still holds them all. ``walked`` is a walk of ``paths`` made already with the
    settings' globs (the command line's, for its replay record), taken instead of
    walking again. Raises DedupeError for input the run cannot go on without.
    """
    settings = settings or Settings()
    thaw = gc.get_freeze_count() == 0  # what _check freezes is thawed on the way out, unless a caller froze first
    try:
        if not settings.cache:
            return _check(paths, texts, settings, progress, against, keep, None, walked)
        store = cache.Cache(settings.cache_dir, _cache_fingerprint(settings))
        with store.deferred():  # what the run stores is written at its end, in one transaction
            return _check(paths, texts, settings, progress, against, keep, store, walked)
    finally:
        if thaw:
            gc.unfreeze()


def _check(paths: Iterable[str], texts: Mapping[str, str] | None, settings: Settings, progress: Progress | None,
           against: str | None, keep: Callable[[Finding], bool] | None, store: cache.Cache | None,
           walked: walk.Walk | None) -> Result:
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    given = list(paths)
    if walked is None:
        with cache.gc_paused():  # a stamp a file: no garbage, and no collection scanning them
            walked = walk.Walk(given, settings.include, settings.exclude, stamped=store is not None)
    found, unlisted = walked.found, walked.unlisted  # unlisted: folders that could not be listed
    stamps = walked.stamps if store is not None else {}  # for the cache only (_read_all)
    del walked  # the stamps are let go after _read_all
    explicit = {p for p in given if p == files.STDIN_NAME or not os.path.isdir(p)}
    # Documents are numbered in path order before preparing, so that units are built
    # with their final document index; a skipped file only leaves a gap to close.
    named = sorted([(p, p in explicit, None) for p in found] + [(n, True, t) for n, t in (texts or {}).items()],
                   key=lambda w: w[0])
    work: list[Work] = [(p, e, d, None) for d, (p, e, t) in enumerate(named) if t is None]
    identity: dict[str, str] = {}  # path -> cache key of what was read there
    in_texts: list[tuple[int, files.Source]] = []  # (document index, in-memory text)
    empty_texts: list[str] = []
    for d, (name, _, text) in enumerate(named):
        if text is not None:
            try:
                in_texts.append((d, files.from_text(name, text)))
            except files.EmptyFile as err:
                empty_texts.append(f"{err} (skipped)")
    result_key = ""
    manifest_entry: list[tuple[str, dict[str, cache.Payload]]] = []
    links: dict[str, str] = {}
    if store is None:
        prepared_or_warn = _prepare(work, settings, progress)
    else:
        manifest_key = store.key("manifest", MANIFEST_VERSION, str(settings.max_file_bytes), *given)
        with cache.gc_paused():
            read, prepared_or_warn, manifest = _read_all(work, settings, store, identity, stamps, manifest_key)
        stamps = {}
        identity.update((src.path, store.key("text", src.path, src.text)) for _, src in in_texts)
        sources = sorted([(w[2], src.path, src.text) for w, src in read] + [(d, s.path, s.text) for d, s in in_texts])
        result_key = store.key("result", RESULT_VERSION, _result_settings(settings), _GROUPING_CODE,
                               *(identity[path] for _, path, _ in sources))
        written, link, linked = manifest
        # The manifest points at this run's result: next time, one read finds both. It is
        # stored with the run's last write, once every entry the run reads has been read.
        manifest_entry = [(manifest_key, {"head": written})] if written is not None else []
        links = {manifest_key: result_key} if manifest_entry or (link is not None and link != result_key) else {}
        if against is None:  # archive findings are looked up in the index every time
            stored = (linked if link == result_key and linked is not None
                      else store.get([result_key], valid=_result_ok).get(result_key))
            if stored is not None and len(stored[0]) == len(sources):
                warnings = unlisted + [w for w in prepared_or_warn if isinstance(w, str)] + empty_texts
                with cache.gc_paused():  # thousands of findings and documents made, none of them garbage
                    hit = _stored_result(stored, sources, warnings, settings, store, identity, result_key, timings,
                                         t0, (manifest_entry, links, [manifest_key] if link is not None else []), keep)
                if hit is not None:
                    return hit
        prepared_or_warn += _prepare_cached(read, settings, progress, store, identity)
    if in_texts:
        from dedupe import prepare
    prepared_or_warn += empty_texts
    for d, src in in_texts:
        prepared_or_warn.append(prepare.prepare_text(src.path, src.text, src.format, src.warnings, settings, d))
    warnings = unlisted + [w for w in prepared_or_warn if isinstance(w, str)]
    prepared = sorted((p for p in prepared_or_warn if isinstance(p, Prepared)), key=lambda p: p.doc)
    del prepared_or_warn  # ``prepared`` is the run's one list of its documents (_words_held_once replaces them)
    prepared = [p if p.doc == d else _renumbered(p, d) for d, p in enumerate(prepared)]  # close the gaps
    if not prepared:
        detail = f": {'; '.join(warnings[:3])}" if warnings else ""
        if len(warnings) > 3:
            detail += f"; and {len(warnings) - 3} more skipped"
        raise DedupeError(f"no files to check in {', '.join(map(quote_path, given)) or 'the input'}{detail}")
    timings["read+segment+shingle"] = time.perf_counter() - t0
    # The documents read live to the end of the run: later collections need not scan
    # them (a full one took 0.02-0.03 s of BBC's comparison or grouping). check() thaws them.
    gc.freeze()

    snapshot_key = _snapshot_key(store, settings, [identity[p.document.path] for p in prepared]) if store else ""
    snapshot = store.get([snapshot_key], valid=_snapshot_ok).get(snapshot_key) if store else None
    budget = (memory.plan(sum(len(p.document.source) for p in prepared), len(prepared), settings.max_memory)
              if snapshot is None else None)
    run_warnings = [budget.warning] if budget is not None and budget.warning else []
    warnings += run_warnings
    with contextlib.ExitStack() as aside:  # the phrase work read beside the comparison, until it is taken
        read_aside: Callable[[], _Read] = _nothing_read
        if snapshot is None:
            checked, near_keys, near_docs, runs_found, read_aside = _compare(prepared, settings, timings, store,
                                                                             identity, aside, budget)
        else:
            checked, near_keys, near_docs, stored_runs = _from_snapshot(snapshot)
            store.put([], used=[snapshot_key])  # type: ignore[union-attr]
            runs_found = functools.partial(_same, stored_runs)

        from dedupe.group import group

        t = time.perf_counter()
        docs = tuple(p.document for p in prepared)
        units = tuple(p.units for p in prepared)
        allow_keys = _allow_keys(settings)
        with cache.gc_paused():  # as in _with_runs: grouping makes containers that are not garbage
            findings = group(docs, units, checked, near_keys, near_docs, settings, allow_keys,
                             lambda: runs_found().shared)
        timings["group"] = time.perf_counter() - t
        t = time.perf_counter()
        shared = runs_found()
        if store and snapshot is None:
            store.put([(snapshot_key, {"head": _snapshot(checked, near_keys, near_docs, shared)})], used=[], kind="run")
        read_echoes, edited = read_aside()
        findings = _with_runs(findings, docs, units, checked, shared, settings, allow_keys, read_echoes, edited)
    findings = _in_sections(findings, docs, units)
    timings["phrases"] = time.perf_counter() - t
    cutoff = boilerplate_articles(settings, len(docs)) if settings.scope == "repo" else 0
    undated = findings
    if against is not None:
        from dedupe import archive

        t = time.perf_counter()
        if store is not None:
            prepared = _with_words(prepared, store, identity, settings)
        findings += [f for f in archive.findings(prepared, against, settings, allow_keys) if f.severity != OFF]
        findings.sort(key=lambda f: (f.occurrences[0].path, f.occurrences[0].span.offset, f.kind))
        timings["archive"] = time.perf_counter() - t
    git = _git_dates(store)
    findings = _dated([f for f in findings if keep(f)] if keep else findings, docs, warnings, run_warnings, git,
                      store)
    if store and (manifest_entry or links):
        store.put(manifest_entry, used=[], kind="manifest", links=links)
    if store:
        # Dates read from the articles alone are as cached as the articles; git's are not.
        dated = against is None and keep is None and not any(git.tops.values())
        store.put([(result_key, {"head": (tuple(head(p) for p in prepared),
                                          cache.plain(tuple(findings if dated else undated)), cutoff, dated)})],
                  used=[], kind="result")
    run_warnings += store.warnings if store else []
    doc_warnings = [w for p in prepared for w in p.document.warnings] + (store.warnings if store else [])
    return Result(tuple(findings), docs, units, settings, tuple(warnings + doc_warnings), timings, cutoff,
                  tuple(run_warnings))


def _dated(findings: list[Finding], docs: tuple[Document, ...], warnings: list[str], run_warnings: list[str],
           git: provenance.GitDates, store: cache.Cache | None) -> list[Finding]:
    """The findings with their places in the order they came (git history, dates in the
    articles), looked up on every run where git is asked: history moves without any
    article changing. git's answers are kept by HEAD's commit (``_git_dates``)."""
    findings = provenance.ordered(findings, docs, git)
    if git.skipped:
        skipped = (f"which came first: {git.skipped} place{'s' if git.skipped != 1 else ''} left undated "
                   f"(git log -S stops after {provenance.MAX_GIT_LOOKUPS} look-ups or "
                   f"{provenance.GIT_BUDGET_S:g} s{'; the next run goes on from there' if store else ''})")
        warnings.append(skipped)
        run_warnings.append(skipped)
    if store is not None and git.answers:
        learned = [(_git_key(store, h), {"head": _git_payload(git.answers[h])}) for h in sorted(git.learned)]
        store.put(learned, used=[_git_key(store, h) for h in git.answers if h not in git.learned], kind="git")
    return findings


def _git_dates(store: cache.Cache | None) -> provenance.GitDates:
    """Dates from git, with the answers earlier runs got for the same HEAD commit: a
    warm run in a work tree asks git only for its HEAD, and a run that stopped at
    provenance.MAX_GIT_LOOKUPS leaves the next one fewer to ask."""
    if store is None:
        return provenance.GitDates()

    def remembered(head: str) -> dict[tuple[str, str], str | None]:
        key = _git_key(store, head)
        got = store.get([key], valid=_git_ok).get(key)
        return {} if got is None else {(n, t): d or None for n, t, d in zip(*got)}

    return provenance.GitDates(remembered)


def _git_key(store: cache.Cache, head: str) -> str:
    return store.key("git", GIT_VERSION, head)


def _git_payload(answers: dict[tuple[str, str], str | None]) -> cache.Payload:
    """(paths in the work tree, texts, dates or "")."""
    return (tuple(n for n, _ in answers), tuple(t for _, t in answers), tuple(d or "" for d in answers.values()))


def _git_ok(payload: cache.Payload) -> bool:
    return (len(payload) == 3 and all(isinstance(part, tuple) for part in payload)
            and len(payload[0]) == len(payload[1]) == len(payload[2]))


def _stored_result(stored: cache.Payload, sources: list[tuple[int, str, str]], warnings: list[str],
                   settings: Settings, store: cache.Cache, identity: dict[str, str], result_key: str,
                   timings: dict[str, float], t0: float,
                   manifest: tuple[list[tuple[str, dict[str, cache.Payload]]], dict[str, str], list[str]],
                   keep: Callable[[Finding], bool] | None) -> Result | None:
    """The Result of an earlier run over the same files with the same settings and code,
    from its one cache entry: documents and units with their rows still in the cache
    (fetched when one is asked for), the findings as they were before dating, or dated
    when no git dated them. None when the findings cannot be made again, or git could
    now date findings stored dated (the run goes on as on a miss, and stores them anew)."""
    heads, plain_findings, cutoff, dated = stored
    # Findings dated without git (no article in a work tree) stay dated while that holds;
    # once git could date them, they are grouped again (the run entry is still there).
    if dated and any(map(provenance.maybe_in_git, {os.path.dirname(path) or "." for _, path, _ in sources})):
        return None
    try:
        findings = cache.unplain(plain_findings)
    except (ValueError, TypeError):
        return None
    if not all(isinstance(f, Finding) for f in findings):
        return None
    if keep is not None:
        findings = [f for f in findings if keep(f)]
    pending = _PendingRows(store, settings)
    prepared = [unpack(path, text, h, pending.add(identity[path], path, text, d), None, d)
                for d, ((_, path, text), h) in enumerate(zip(sources, heads))]
    keys = [identity[path] for _, path, _ in sources]
    snapshot_key = _snapshot_key(store, settings, keys)
    entry, links, manifest_used = manifest
    store.put(entry, used=store.with_parts(result_key, [snapshot_key, *keys]) + manifest_used, kind="manifest",
              links=links)
    docs = tuple(p.document for p in prepared)
    run_warnings: list[str] = []
    if not dated:
        findings = _dated(list(findings), docs, warnings, run_warnings, _git_dates(store), store)
    timings["cached"] = time.perf_counter() - t0
    doc_warnings = [w for p in prepared for w in p.document.warnings] + store.warnings
    return Result(tuple(findings), docs, tuple(p.units for p in prepared), settings,
                  tuple(warnings + doc_warnings), timings, cutoff, tuple(run_warnings + store.warnings))


def _snapshot_key(store: cache.Cache, settings: Settings, texts: list[str]) -> str:
    """The cache key of the comparison of these texts (their cache keys): its settings,
    and group.py's code, as the comparison reads some of its rules (compare.py: sibling
    pages, lead-ins)."""
    return store.key("run", SNAPSHOT_VERSION, _compare_settings(settings), _GROUPING_CODE, *texts)


def _result_ok(payload: cache.Payload) -> bool:
    """True when a result entry read back has the shape the run stored: documents' heads,
    findings as plain values (made again by _stored_result, which gives up on values
    that do not make them), the boilerplate cutoff, and whether they are stored dated
    (when no git history dated them). Checked in constant time (the first head): the
    checksum vouches for the rest, and a layout changed by a new version has a new key."""
    return (len(payload) == 4 and isinstance(payload[0], tuple) and isinstance(payload[1], tuple)
            and isinstance(payload[2], int) and isinstance(payload[3], bool)
            and all(isinstance(h, tuple) and packed_shape_ok("head", h) for h in payload[0][:1]))


def _prepare(work: list[Work], settings: Settings, progress: Progress | None) -> list[Prepared | str]:
    """Every document through the per-document stages."""
    from dedupe import prepare

    return prepare.prepare_all(work, settings, progress)


Manifest = tuple["cache.Payload | None", "str | None", "cache.Payload | None"]


def _read_all(work: list[Work], settings: Settings, store: cache.Cache, identity: dict[str, str],
              stamps: dict[str, tuple[int, int, int, int, int]],
              manifest_key: str) -> tuple[list[tuple[Work, files.Source]], list[Prepared | str], Manifest]:
    """Every file read and decoded once, and keyed by its text (``identity``); the
    warnings of files found by walking that cannot be read; the manifest to store (None
    when the stored one still holds), the result key the stored one links to, and that
    result entry.

    A file whose stamp (``stamps``, from the walk's own ``stat``) equals the one the
    manifest entry (one per list of paths given) stored with its text is not opened:
    its text and key come from that entry, read in one query with the result entry of
    the last run over it. Any other file is read and hashed, so a file touched but not
    changed keeps its key. A file modified less than RACY_S ago is not stored: written
    again within one tick of a coarse clock, it could keep the first write's stamp with
    the second's text. (Setting a file's time back changes its change time, which is
    in the stamp.)"""
    skipped: list[Prepared | str] = []
    read: list[tuple[Work, files.Source]] = []
    stored, link, linked = store.get_linked(manifest_key, _manifest_ok, _result_ok) if stamps else (None, None, None)
    known: dict[str, int] = {}
    if stored is not None:
        known = {path: n for n, path in enumerate(stored[0])}
    fresh = stored is None or len(known) != len(work)
    racy = (time.time_ns() - RACY_S * 1_000_000_000)
    entry: list[tuple[str, tuple[int, ...], str, str, tuple[str, ...], str]] = []
    for p, e, d, _ in work:
        stamp = stamps.get(p)
        n = known.get(p, -1)
        if stored is not None and n >= 0 and stamp is not None and stored[1][n] == stamp:
            src = files.Source(p, stored[5][n], stored[3][n], stored[4][n])
            key = stored[2][n]
        else:
            fresh = True
            got = files.read_or_skip(p, e, settings.max_file_bytes)
            if isinstance(got, str):
                skipped.append(got)
                continue
            src = got
            key = store.key(src.path, src.text, *src.warnings)
        identity[src.path] = key
        read.append(((p, e, d, src), src))
        if stamp is not None and stamp[0] < racy:
            entry.append((p, stamp, key, src.format, src.warnings, src.text))
        else:
            fresh = True
    written = (tuple(map(tuple, zip(*entry))) if entry else ((),) * 6) if fresh and stamps else None
    return read, skipped, (written, link, linked)


def _manifest_ok(payload: cache.Payload) -> bool:
    """True when a manifest entry read back has the shape _read_all gives it: six
    parallel tuples (paths, stamps, keys, formats, warnings, texts)."""
    return (len(payload) == 6 and all(isinstance(c, tuple) and len(c) == len(payload[0]) for c in payload)
            and all(isinstance(t, tuple) and len(t) == 5 for t in payload[1][:1]))


def _prepare_cached(read: list[tuple[Work, files.Source]], settings: Settings, progress: Progress | None,
                    store: cache.Cache, identity: dict[str, str]) -> list[Prepared | str]:
    """The per-document stages through the cache, for files read and keyed already
    (_read_all): a hit is its cached head only, its rows fetched if a unit or block is
    asked for (_PendingRows) and its words if a comparison is made (_with_words).
    Misses are prepared from the text read and stored together."""
    out: list[Prepared | str] = []
    found = store.get([identity[src.path] for _, src in read], valid=functools.partial(packed_shape_ok, "head"))
    pending = _PendingRows(store, settings)
    misses: list[Work] = []
    for item, src in read:
        stored_head = found.get(identity[src.path])
        if stored_head is None:
            misses.append(item)
        else:
            out.append(unpack(src.path, src.text, stored_head,
                              pending.add(identity[src.path], src.path, src.text, item[2]), None, item[2]))
    fresh = _prepare(misses, settings, progress) if misses else []
    store.put([(identity[r.document.path], pack(r)) for r in fresh if isinstance(r, Prepared)], used=list(found))
    return out + fresh


class _PendingRows:
    """The rows (blocks and units) of documents found in the cache, fetched for all of
    them in one query when the first is asked for. A document whose rows have gone
    meanwhile (a damaged entry) is segmented again from its text."""

    def __init__(self, store: cache.Cache, settings: Settings) -> None:
        self.store, self.settings = store, settings
        self.waiting: dict[str, tuple[str, str, int]] = {}  # key -> (path, source, document index)
        self.rows: dict[str, tuple] = {}  # type: ignore[type-arg]

    def add(self, key: str, path: str, source: str, doc: int) -> Callable[[], tuple]:  # type: ignore[type-arg]
        """A function that returns this document's rows."""
        self.waiting[key] = (path, source, doc)
        return lambda: self.get(key)

    def get(self, key: str) -> tuple:  # type: ignore[type-arg]
        if key not in self.rows:
            found = self.store.get(list(self.waiting), part="rows", valid=functools.partial(packed_shape_ok, "rows"))
            for k, (path, source, doc) in self.waiting.items():
                self.rows[k] = found.get(k) or self._again(path, source, doc)
            self.waiting.clear()
        return self.rows[key]

    def _again(self, path: str, source: str, doc: int) -> tuple:  # type: ignore[type-arg]
        from dedupe import prepare

        again = prepare.prepare_text(path, source, files.format_of(path), (), self.settings, doc)
        return pack(again)["rows"]  # type: ignore[no-any-return]


def _compare(prepared: list[Prepared], settings: Settings, timings: dict[str, float], store: cache.Cache | None,
             identity: dict[str, str], aside: contextlib.ExitStack, budget: memory.Plan | None = None
             ) -> tuple[Checked, list[NearKey], list[tuple[int, int, float]], Callable[[], RunCandidates],
                        Callable[[], _Read]]:
    """The index of exact-repeat keys, the verified near pairs, a call that gives the
    shared word runs, and one that gives the echoes they make (None when echoes are
    off) and the edited copies (call it after the runs). The runs are searched and read
    beside the comparison (aside.py) when the input is large enough and a core is likely
    free; they are asked for as late as they are needed (grouping takes the runs only
    for its passages, once the sentences are grouped), and the child holds on till
    ``aside`` closes, so that its work fills the time this process leaves a core idle.
    ``budget`` (memory.plan): whether the search may be forked, and whether the
    comparison's sets and signatures go to memory-mapped files, in the cache's folder
    when there is one."""
    from dedupe import compare, incremental

    if store is not None:
        prepared = _with_words(prepared, store, identity, settings)
    t = time.perf_counter()
    # The index's lists (a list of ids a key) are not garbage, and the collections their
    # making sets off scan them all: 0.54 s for the index at 8x BBC, 0.45 s without.
    with cache.gc_paused():
        checked = _index_units(prepared, settings.scope == "article")
    timings["exact"] = time.perf_counter() - t
    known, known_key, chunks = None, "", 0
    if store is not None and len(checked.keys) <= incremental.MAX_KEYS:
        known, known_key, chunks = _known_signatures(store, settings)
    read: Callable[[], _Read] = _nothing_read
    runs_found: Callable[[], RunCandidates] = functools.partial(_same, RunCandidates([], []))
    word_hashes, counts = _words_held_once(prepared)
    if settings.phrases:
        fork = (compare.threads_for(settings) > 1 and len(word_hashes) >= RUNS_ASIDE_MIN_WORDS and spare_core()
                and (budget is None or budget.fork))
        runs_aside: Aside[object] = aside.enter_context(
            Aside(fork, _runs_and_echoes, word_hashes, counts, checked, tuple(p.document for p in prepared),
                  tuple(p.units for p in prepared), settings, store is not None))
    files = memory.Spill(settings.cache_dir if store is not None else None) if budget and budget.spill else None
    try:
        near_keys, near_docs = compare.near_pairs(prepared, checked, settings, timings, known, files, word_hashes)
    finally:
        if files is not None:
            files.close()
    if store is not None and known is not None:
        t = time.perf_counter()
        _store_signatures(store, known_key, chunks, known)
        timings["sign"] += time.perf_counter() - t
    if settings.phrases:

        @functools.cache
        def runs_taken() -> RunCandidates:
            t = time.perf_counter()
            found: RunCandidates = runs_aside.result()  # type: ignore[assignment]
            timings["shared runs"] = time.perf_counter() - t
            return found

        def read_taken() -> _Read:
            runs_taken()  # the parts come in order
            return runs_aside.result()  # type: ignore[return-value]

        runs_found, read = runs_taken, read_taken
    return checked, near_keys, near_docs, runs_found, read


def _same(value: T) -> T:
    """``value``, as a call (functools.partial): what a later stage asks for is at hand."""
    return value


def _nothing_read() -> tuple[None, None]:
    """No echoes nor edited copies read beside: phrases.py finds them when it needs them."""
    return None, None


def _runs_and_echoes(word_hashes: np.ndarray, counts: np.ndarray, checked: Checked, docs: tuple[Document, ...],
                     units: tuple[Sequence[Unit], ...], settings: Settings, stored: bool = True
                     ) -> Iterator[RunCandidates | tuple[list[RunRow] | None, list[EditedPair]]]:
    """In two parts: the shared runs and echo candidates (runs.py), then the echoes
    those make, read in the text (phrases.echo_runs; None when echoes are off), and the
    edited copies among the sentences they link (phrases.edited_pairs): all of the
    phrase stage that needs no grouping. The echo candidates are in the first part only
    when they are ``stored`` (the cache's snapshot of the comparison): read here, they
    are of no use to the main process (BBC has 16,000, ~10 ms to unpickle)."""
    from dedupe import phrases, runs

    found = runs.candidates(word_hashes, counts, checked, settings)
    yield found if stored else RunCandidates(found.shared, [])
    edited = phrases.edited_pairs(checked, found, settings, counts)
    if settings.severity.get("echo") == OFF:
        yield None, edited
    else:
        yield phrases.echo_runs(docs, units, checked, found), edited


def _known_signatures(store: cache.Cache, settings: Settings) -> tuple[KnownSignatures, str, int]:
    """The signatures earlier comparisons with these signing settings made (by key), the
    key of the entry that counts their chunks, and how many it counts."""
    from dedupe import incremental

    head_key = store.key("signatures", incremental.VERSION, repr((settings.num_perm, settings.seed, settings.shingle)))
    head = store.get([head_key], valid=lambda p: len(p) == 1 and isinstance(p[0], int)).get(head_key)
    count = head[0] if head else 0
    keys = [store.key(head_key, str(i)) for i in range(count)]
    found = store.get(keys, valid=functools.partial(incremental.chunk_ok, num_perm=settings.num_perm)) if keys else {}
    store.put([], used=[head_key, *keys])  # marked used (once a day) even when no run rewrites them
    with cache.gc_paused():
        return incremental.KnownSignatures([found[k] for k in keys if k in found], settings.num_perm), head_key, count


def _store_signatures(store: cache.Cache, head_key: str, count: int, known: KnownSignatures) -> None:
    """The signatures of the keys this run signed, added as new chunks (or all of this
    run's, replacing the stored chunks: KnownSignatures.replaces), then how many chunks
    there are: a run stopped in between leaves chunks that still hold true rows."""
    if not known.signed:
        return
    replace = known.replaces()
    n = 0 if replace else count

    def numbered() -> Iterator[tuple[str, dict[str, cache.Payload]]]:
        nonlocal n
        for chunk in known.chunks(replace):
            yield store.key(head_key, str(n)), {"head": chunk}
            n += 1

    store.put_now(numbered(), kind="signatures")
    store.put_now([(head_key, {"head": (n,)})], kind="signatures")
    if n < count:
        store.forget([store.key(head_key, str(i)) for i in range(n, count)])


def _checked_words(prepared: list[Prepared]) -> tuple[np.ndarray, np.ndarray]:
    """The word hashes of every checked unit in checked-id order, and how many each has."""
    import numpy as np

    counts = np.concatenate([p.word_counts for p in prepared])  # type: ignore[misc]
    return np.concatenate([p.word_hashes for p in prepared]), counts[counts > 0]  # type: ignore[misc]


def _words_held_once(prepared: list[Prepared]) -> tuple[np.ndarray, np.ndarray]:
    """``_checked_words``, with each document's word hashes then a read-only view of the
    joined array (the list's documents replaced), so that the comparison holds the words
    once, not twice: 55 MB at eight times BBC, at its peak. (A run that caches holds the
    documents' own arrays until it writes them, at its end.)"""
    words, counts = _checked_words(prepared)
    words.flags.writeable = False
    at = 0
    for d, p in enumerate(prepared):
        n = len(p.word_hashes)  # type: ignore[arg-type]
        prepared[d] = Prepared(p.document, p.doc, p.units, p.keys, p.word_counts, words[at : at + n])
        at += n
    return words, counts


def _with_runs(findings: list[Finding], docs: tuple[Document, ...], units: tuple[Sequence[Unit], ...],
               checked: Checked, shared: RunCandidates, settings: Settings, allow_keys: frozenset[str],
               echoes: list[RunRow] | None = None, edited: list[EditedPair] | None = None) -> list[Finding]:
    """The findings with the shared runs and echoes added (``echoes``: the echo
    candidates read already, if they were), and without the kinds the config turns
    off. phrases.py is imported only when there are runs to read."""
    if shared.shared or shared.echoes or echoes or edited:
        from dedupe import phrases
        from dedupe.group import reported_phrase

        def reported(f: Finding) -> bool:
            return reported_phrase(f, units, docs)

        # no cyclic collection meanwhile: reading the units of ~20,000 candidate runs
        # makes containers that are not garbage, and a full collection scans them all
        with cache.gc_paused():
            findings = findings + [f for f in phrases.findings(docs, units, checked, shared, findings, settings,
                                                               allow_keys, echoes, reported, edited)
                                   if reported(f)]
        findings.sort(key=lambda f: (f.occurrences[0].path, f.occurrences[0].span.offset, f.kind))
    return [f for f in findings if f.severity != OFF]


def _in_sections(findings: list[Finding], docs: tuple[Document, ...],
                 units: tuple[Sequence[Unit], ...]) -> list[Finding]:
    """The findings rule 9 keeps (group.py): after the phrases, so that a sentence
    dropped here does not leave its phrases to be reported instead. Each document's
    sections are read once, only for documents with a finding inside them."""
    from dedupe.group import reported_in_sections
    from dedupe.sections import Sections, sections

    read: dict[int, Sections | None] = {}

    def sections_of(d: int) -> Sections | None:
        if d not in read:
            read[d] = sections(docs[d])
        return read[d]

    return [f for f in findings if reported_in_sections(f, units, sections_of)]


def _with_words(prepared: list[Prepared], store: cache.Cache, identity: dict[str, str],
                settings: Settings) -> list[Prepared]:
    """Documents loaded from the cache without their words, given them: from the cache,
    or made again from their units when the entry has gone meanwhile."""
    lacking = [identity[p.document.path] for p in prepared if p.keys is None]
    if not lacking:
        return prepared
    from dedupe import prepare

    stored = store.get(lacking, part="words", valid=functools.partial(packed_shape_ok, "words"))
    out = []
    for p in prepared:
        if p.keys is None:
            words = stored.get(identity[p.document.path]) or prepare.words(p.units, settings.min_words)
            p = Prepared(p.document, p.doc, p.units, *words)
        out.append(p)
    return out


def _index_units(prepared: list[Prepared], per_article: bool) -> Checked:
    """The checked units of every document, numbered in document order, grouped by
    exact-repeat key (per article when the scope is one article)."""
    checked = Checked()
    key_id: dict[str | tuple[int, str], int] = {}
    for d, p in enumerate(prepared):
        assert p.keys is not None
        keys = [k for k in p.keys if k]
        rows = unit_rows(p.units, texts=False)  # the index reads no text
        checked.add(d, [rows[u] for u, k in enumerate(p.keys) if k],
                    [key_id.setdefault((d, k), len(key_id)) for k in keys] if per_article
                    else [key_id.setdefault(k, len(key_id)) for k in keys])
    checked.keys = [k[1] for k in key_id] if per_article else list(key_id)  # type: ignore[misc,arg-type]
    checked.compact()
    checked.by_key = KeyIds.of(checked.key, len(key_id))
    return checked


def _snapshot(checked: Checked, near_keys: list[NearKey], near_docs: list[tuple[int, int, float]],
              shared: RunCandidates) -> cache.Payload:
    """What grouping needs of a comparison, as plain lists for the cache."""
    from dedupe.group import MEASURES

    fields = {f: getattr(checked, f) for f in Checked.__dataclass_fields__}
    fields.update((f, fields[f].tobytes()) for f in CHECKED_ARRAYS)
    fields["by_key"] = (checked.by_key.ids.tobytes(), checked.by_key.starts.tobytes())
    return (fields, [(a, b, s, MEASURES.index(m)) for a, b, s, m in near_keys], near_docs, shared.shared,
            shared.echoes)


def _snapshot_ok(payload: cache.Payload) -> bool:
    """True when a run entry read back has the shape _snapshot gives it (checked in
    constant time: the lengths of the index's parallel lists agree)."""
    if len(payload) != 5 or not isinstance(payload[0], dict) or set(payload[0]) != set(Checked.__dataclass_fields__):
        return False
    fields, near_keys, near_docs, shared, echoes = payload
    if not (all(isinstance(rows, list) for rows in (near_keys, near_docs, shared, echoes))
            and all(isinstance(v, dict if k in ("first", "count") else bytes if k in CHECKED_ARRAYS
                               else tuple if k == "by_key" else list) for k, v in fields.items())):
        return False
    n = len(fields["doc"])  # bytes: 8 a checked unit
    by_key = fields["by_key"]
    return (n % 8 == 0 and all(len(fields[k]) == n for k in ("unit", "pos", "key", "block"))
            and all(len(fields[k]) * 8 == n for k in ("role", "suppressed")) and len(fields["spans"]) == 6 * n
            and len(by_key) == 2 and all(isinstance(b, bytes) for b in by_key) and len(by_key[0]) == n
            and len(by_key[1]) == 8 * (len(fields["keys"]) + 1)
            and all(isinstance(p, tuple) and len(p) == 4 for p in near_keys[:1])
            and all(isinstance(p, tuple) and len(p) == 3 for p in near_docs[:1]))


def _from_snapshot(payload: cache.Payload) -> tuple[Checked, list[NearKey], list[tuple[int, int, float]], RunCandidates]:
    from dedupe.group import MEASURES

    fields, near_keys, near_docs, shared, echoes = payload
    for f in CHECKED_ARRAYS:  # stored as their bytes (_snapshot); array() reads bytes as its items
        fields[f] = array("q", fields[f])
    fields["by_key"] = KeyIds(*(array("q", b) for b in fields["by_key"]))
    return (Checked(**fields), [(a, b, s, MEASURES[m]) for a, b, s, m in near_keys], [tuple(p) for p in near_docs],
            RunCandidates([tuple(r) for r in shared], [tuple(r) for r in echoes]))


def _result_settings(settings: Settings) -> str:
    """Every setting the findings depend on (not how the run goes: processes, memory,
    cache, nor the exit status's level)."""
    return repr(replace(settings, jobs=0, max_memory=0, cache=False, cache_dir="", fail_on="error"))


def _compare_settings(settings: Settings) -> str:
    """The settings the index and the comparison read (not the grouping's: allow lists
    and severities do not throw the comparison away)."""
    s = settings
    return repr((s.threshold, s.word_threshold, s.num_perm, s.seed, s.shingle, s.scope, s.document_threshold,
                 s.boilerplate_min, s.min_words, s.min_run, s.run_max_articles, s.echo_min_words, s.echo_max_articles, s.phrases))


def _cache_fingerprint(settings: Settings) -> str:
    """What per-document results depend on besides the file and the code (the
    normaliser's version is in normalize.py's source, which the code fingerprint covers:
    normalize.py, with its regular expressions, is not imported by a warm run)."""
    return cache.fingerprint(settings.min_words, settings.shingle)


def _allow_keys(settings: Settings) -> frozenset[str]:
    """Normalised keys of the allow list's sentences (its ``re:`` entries are group.py's)."""
    if not settings.allow:
        return frozenset()
    from dedupe import normalize

    return frozenset(normalize.key(normalize.words(a)) for a in settings.allow
                     if not a.startswith(ALLOW_REGEX_PREFIX))


def _renumbered(p: Prepared, doc: int) -> Prepared:
    """The same prepared document with its units moved to another document index."""
    units = tuple(Unit(doc, u.index, u.role, u.text, u.span, u.block, u.suppressed, u.text_start) for u in p.units)
    return Prepared(p.document, doc, units, p.keys, p.word_counts, p.word_hashes)
