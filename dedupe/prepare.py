"""The per-document stages: path or text -> read -> segment -> words (keys, word hashes).

Documents are independent here, so a large input is spread over processes (forked on
Linux, with Punkt already loaded); each sends its result back packed (model.pack).
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor

import numpy as np

from dedupe import files, normalize, readers, segment
from dedupe.model import UNCHECKED_ROLES, DedupeError, Document, Prepared, Settings, Unit, pack, unpack
from dedupe.shingles import hasher

PARALLEL_MIN_DOCUMENTS = 200  # below this, starting processes costs more than it saves
DOCS_PER_TASK = 64

Progress = Callable[[int, int], None]
# (path, named on the command line, document index, the file as already read, if it was)
Work = tuple[str, bool, int, "files.Source | None"]


def prepare_text(path: str, text: str, fmt: str, warnings: tuple[str, ...], settings: Settings,
                 doc: int = 0) -> Prepared:
    """One document's units and words, from its decoded text."""
    document = readers.get(fmt)(path, text)
    if warnings:
        document = Document(document.path, document.source, document.format, document.blocks,
                            document.warnings + warnings)
    units = segment.segment(document, doc)
    return Prepared(document, doc, units, *words(units, settings.min_words))


def words(units: Sequence[Unit], min_words: int) -> tuple[tuple[str, ...], np.ndarray, np.ndarray]:
    """Per unit its exact-repeat key ("" when shorter than ``min_words`` or of a role never
    compared) and word count, and the hashes of the checked units' words, one unit after
    another."""
    checked = [w if len(w) >= min_words and u.role not in UNCHECKED_ROLES else []
               for u, w in zip(units, (normalize.words(u.text) for u in units))]
    keys = tuple(normalize.key(w) for w in checked)
    counts = np.fromiter((len(w) for w in checked), dtype=np.int64, count=len(checked))
    return keys, counts, hasher()([t for w in checked for t in w])


def prepare_path(path: str, explicit: bool, settings: Settings, doc: int = 0,
                 src: files.Source | None = None) -> Prepared | str:
    """A prepared document (from ``src`` when the file was read already), or a warning
    when a file found by walking cannot be read (a file named on the command line raises
    instead: the run cannot do what was asked)."""
    if src is None:
        try:
            src = files.read_source(path, settings.max_file_bytes)
        except DedupeError as err:
            if explicit:
                raise
            return f"{err} (skipped)"
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


def prepare_all(paths: list[Work], settings: Settings, progress: Progress | None,
                meanwhile: Callable[[], object] | None = None) -> list[Prepared | str]:
    """Prepare every document; ``paths`` carry the document index each will have.
    ``meanwhile`` runs in this process while worker processes segment (it loads what
    the next stages need: datasketch imports scipy, about half a second)."""
    jobs = _jobs(settings, len(paths))
    if jobs == 1 or len(paths) < 2:
        out = []
        for n, (p, e, d, src) in enumerate(paths, 1):
            out.append(prepare_path(p, e, settings, d, src))
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
        if meanwhile:
            meanwhile()
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
