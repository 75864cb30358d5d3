"""The per-document stages: path or text -> read -> segment -> words (keys, word hashes).

Documents are independent here, so a large input is spread over processes (forked on
Linux, with Punkt already loaded); each sends its result back packed (model.pack).
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Sequence
from itertools import chain
from typing import Any

import numpy as np

from dedupe import files, normalize, readers, segment
from dedupe.aside import exit_with_parent
from dedupe.model import (
    UNCHECKED_ROLES,
    DedupeError,
    Document,
    InternalError,
    Prepared,
    Settings,
    Unit,
    pack,
    unit_rows,
    unpack,
)
from dedupe.shingles import hasher

PARALLEL_MIN_DOCUMENTS = 200  # below this, starting processes costs more than it saves
DOCS_PER_TASK = 64
F_SETPIPE_SZ = 1031  # from <linux/fcntl.h>
RESULTS_PIPE_BYTES = 1 << 20  # Linux's default limit for an unprivileged process (/proc/sys/fs/pipe-max-size)
_LONE_CR = re.compile(r"\r(?!\n)")

Progress = Callable[[int, int], None]
# (path, named on the command line, document index, the file as already read, if it was)
Work = tuple[str, bool, int, "files.Source | None"]


def prepare_text(path: str, text: str, fmt: str, warnings: tuple[str, ...], settings: Settings,
                 doc: int = 0) -> Prepared:
    """One document's units and words, from its decoded text.

    The readers and the segmenter see a lone CR (classic Mac line ending) as the line
    break it is, an LF (one character for one, so offsets do not move); the Document
    keeps the text as it is, so an occurrence's text is the file's own. Any failure but
    a DedupeError is a bug, raised as an InternalError naming the file."""
    try:
        seen = _LONE_CR.sub("\n", text) if "\r" in text else text
        document = readers.get(fmt)(path, seen)
        document = Document(document.path, text, document.format, document.blocks, document.warnings + warnings)
        units = segment.segment(document, doc)
        return Prepared(document, doc, units, *words(units, settings.min_words))
    except (DedupeError, InternalError):
        raise
    except Exception as err:  # a bug: named with its file for the report
        raise InternalError(path, f"{type(err).__name__}: {err}") from err


def words(units: Sequence[Unit], min_words: int) -> tuple[tuple[str, ...], np.ndarray, np.ndarray]:
    """Per unit its exact-repeat key ("" when shorter than ``min_words`` or of a role never
    compared) and word count, and the hashes of the checked units' words, one unit after
    another."""
    rows = unit_rows(units)
    checked = [w if len(w) >= min_words and r[1] not in UNCHECKED_ROLES else []
               for r, w in zip(rows, normalize.words_of([r[2] for r in rows]))]
    keys = tuple(map(normalize.key, checked))
    counts = np.fromiter(map(len, checked), dtype=np.int64, count=len(checked))
    return keys, counts, hasher()(list(chain.from_iterable(checked)))


def prepare_path(path: str, explicit: bool, settings: Settings, doc: int = 0,
                 src: files.Source | None = None) -> Prepared | str:
    """A prepared document (from ``src`` when the file was read already), or a warning
    when a file found by walking cannot be read (a file named on the command line raises
    instead: the run cannot do what was asked)."""
    if src is None:
        found = files.read_or_skip(path, explicit, settings.max_file_bytes)
        if isinstance(found, str):
            return found
        src = found
    return prepare_text(src.path, src.text, src.format, src.warnings, settings, doc)


def _prepare_chunk(chunk: list[Work], settings: Settings) -> list[tuple | str]:  # type: ignore[type-arg]
    """Worker task: prepare documents and send them back packed."""
    out: list[tuple | str] = []  # type: ignore[type-arg]
    for p, e, d, src in chunk:
        r = prepare_path(p, e, settings, d, src)
        out.append(r if isinstance(r, str) else (r.document.path, r.document.source, pack(r)))
    return out


def _jobs(settings: Settings, n_docs: int) -> int:
    if settings.jobs:
        return settings.jobs
    if n_docs < PARALLEL_MIN_DOCUMENTS:
        return 1
    return max(1, min(os.cpu_count() or 1, 8))


def prepare_all(paths: list[Work], settings: Settings, progress: Progress | None) -> list[Prepared | str]:
    """Prepare every document; ``paths`` carry the document index each will have."""
    jobs = _jobs(settings, len(paths))
    if jobs == 1 or len(paths) < 2:
        out = []
        for n, (p, e, d, src) in enumerate(paths, 1):
            out.append(prepare_path(p, e, settings, d, src))
            if progress:
                progress(n, len(paths))
        return out
    import multiprocessing  # here: a run of one process (a draft, a few files) does without

    chunks = [paths[i : i + DOCS_PER_TASK] for i in range(0, len(paths), DOCS_PER_TASK)]
    parts: list[list[Prepared | str]] = [[] for _ in chunks]
    done = 0

    def received(i: int, part: list[tuple | str]) -> None:  # type: ignore[type-arg]
        nonlocal done
        parts[i] = [r if isinstance(r, str) else unpack(r[0], r[1], r[2]["head"], r[2]["rows"], r[2]["words"], w[2])
                    for r, w in zip(part, chunks[i])]
        done += len(part)
        if progress:
            progress(done, len(paths))

    if sys.platform == "linux":
        _share_chunks(multiprocessing.get_context("fork"), jobs, chunks, settings, received)
    else:  # workers start fresh (spawn): each is sent its chunks and loads Punkt itself
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=jobs, initializer=exit_with_parent, initargs=(os.getpid(),)) as pool:
            results = pool.map(_prepare_chunk, chunks, [settings] * len(chunks))  # all submitted now
            for i, part in enumerate(results):
                received(i, part)
    return [r for part in parts for r in part]


# What forked workers inherit (set while they are forked and work): the chunks, the
# settings, and the bounds of the chunks not yet taken (next from the front, end).
_SHARED: tuple[list[list[Work]], Settings, Any] | None = None


def _share_chunks(context: Any, jobs: int, chunks: list[list[Work]], settings: Settings,
                  received: Callable[[int, list[tuple | str]], None]) -> None:  # type: ignore[type-arg]
    """Every chunk prepared by ``jobs - 1`` forked workers, which take chunks from the
    last one back, and by this process, from the first one on, until they meet: the
    chunks this process prepares are neither pickled nor sent, and one process fewer
    starts. Workers inherit Punkt (loaded here first) and the chunks."""
    global _SHARED
    from concurrent.futures import Future, ProcessPoolExecutor

    segment.tokenizer()
    bounds = context.Array("q", [0, len(chunks)])
    _SHARED = (chunks, settings, bounds)
    try:
        with ProcessPoolExecutor(max_workers=jobs - 1, mp_context=context, initializer=exit_with_parent,
                                 initargs=(os.getpid(),)) as pool:
            _widen_results_pipe(pool)
            # a task per chunk: a worker is never idle while chunks are left; a task finding none left returns None
            pending: list[Future[tuple[int, list[tuple | str]] | None]] = [  # type: ignore[type-arg]
                pool.submit(_prepare_last) for _ in chunks]
            try:
                while (i := _take(bounds, last=False)) is not None:
                    received(i, _prepare_chunk(chunks[i], settings))
                    still = []
                    for f in pending:
                        if not f.done():
                            still.append(f)
                        elif (got := f.result()) is not None:
                            received(*got)
                    pending = still
                for f in pending:
                    if (got := f.result()) is not None:
                        received(*got)
            finally:
                with bounds.get_lock():  # on an error, the tasks left take nothing more
                    bounds[1] = bounds[0]
    finally:
        _SHARED = None


def _widen_results_pipe(pool: Any) -> None:
    """The pipe workers send their results through, widened to hold a chunk's (about
    450 KB for 64 BBC articles; 64 KB by default): a worker then goes on to its next
    chunk while this process, busy preparing its own, reads the last one."""
    import fcntl

    try:
        fcntl.fcntl(pool._result_queue._writer.fileno(), F_SETPIPE_SZ, RESULTS_PIPE_BYTES)
    except (AttributeError, OSError):  # another executor's layout, or a lower limit: the default size
        pass


def _take(bounds: Any, last: bool) -> int | None:
    """The first (or last) chunk not yet taken, now taken; None when none is left."""
    with bounds.get_lock():
        lo, hi = bounds[0], bounds[1]
        if lo >= hi:
            return None
        if last:
            bounds[1] = hi - 1
            return hi - 1  # type: ignore[no-any-return]
        bounds[0] = lo + 1
        return lo  # type: ignore[no-any-return]


def _prepare_last() -> tuple[int, list[tuple | str]] | None:  # type: ignore[type-arg]
    """Worker task (forked by _share_chunks): the last chunk not yet taken, prepared and
    packed, with its index; None when none is left."""
    assert _SHARED is not None
    chunks, settings, bounds = _SHARED
    i = _take(bounds, last=True)
    return None if i is None else (i, _prepare_chunk(chunks[i], settings))
