"""dedupe: find repeated and near-duplicate sentences, captions and articles.

    >>> import dedupe
    >>> caption = "Commuters queue outside Leeds station (Photo: Jane Doe)"
    >>> body = "The strike began at dawn and lasted until the evening."
    >>> result = dedupe.check(texts={"draft.txt": f"{caption}\\n\\n{body}\\n\\n{caption}\\n"})
    >>> [(f.kind, [o.span.line for o in f.occurrences]) for f in result.findings]
    [('caption', [1, 5])]

``check`` takes paths (files or folders) and/or in-memory texts and returns a Result
of plain frozen dataclasses; it never prints.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from typing import Any

__version__ = "0.1.0"

from dedupe.model import (
    Block,
    DedupeError,
    Document,
    Finding,
    Occurrence,
    Provenance,
    Result,
    Settings,
    Span,
    Unit,
)


def check(
    paths: Iterable[str] | str = (),
    *,
    texts: Mapping[str, str] | None = None,
    settings: Settings | None = None,
    **options: Any,
) -> Result:
    """Check articles for repeats. ``options`` override Settings fields by name
    (``threshold=0.6, scope="article"``) and are validated like the config file."""
    from dedupe import config, pipeline

    if isinstance(paths, str):
        paths = [paths]
    base = settings or Settings()
    if options:
        base = config.validate(options, None, base)
    return pipeline.check(paths, texts=texts, settings=replace(base))


__all__ = [
    "Block",
    "DedupeError",
    "Document",
    "Finding",
    "Occurrence",
    "Provenance",
    "Result",
    "Settings",
    "Span",
    "Unit",
    "__version__",
    "check",
]
