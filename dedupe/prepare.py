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
               for r, w in zip(rows, map(normalize.words, [r[2] for r in rows]))]
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
    from concurrent.futures import ProcessPoolExecutor

    chunks = [paths[i : i + DOCS_PER_TASK] for i in range(0, len(paths), DOCS_PER_TASK)]
    done = 0
    out = []
    # Load Punkt once here: forked workers inherit it instead of each loading it again.
    # Elsewhere workers start fresh and load it themselves.
    context = multiprocessing.get_context("fork") if sys.platform == "linux" else None
    if context is not None:
        segment.tokenizer()
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=exit_with_parent,
                             initargs=(os.getpid(),)) as pool:
        parts = pool.map(_prepare_chunk, chunks, [settings] * len(chunks))  # all submitted now
        for chunk, part in zip(chunks, parts):
            for r, (_, _, d, _) in zip(part, chunk):
                if isinstance(r, str):
                    out.append(r)
                else:
                    path, source, packed = r
                    out.append(unpack(path, source, packed["head"], packed["rows"], packed["words"], d))
            done += len(part)
            if progress:
                progress(done, len(paths))
    return out
