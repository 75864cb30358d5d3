"""dedupe: find repeated and near-duplicate sentences, captions and articles.

    >>> import dedupe
    >>> result = dedupe.check(texts={"draft.txt": "A caption\\n\\nBody text here.\\n\\nA caption\\n"})
    >>> [f.kind for f in result.findings]
    ['caption']

``check`` takes paths (files or folders) and/or in-memory texts and returns a Result
of plain frozen dataclasses; it never prints.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Iterable, Mapping

__version__ = "0.1.0"

from dedupe.model import (  # noqa: E402
    Block,
    DedupeError,
    Document,
    Finding,
    Occurrence,
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


__all__ = ["Block", "DedupeError", "Document", "Finding", "Occurrence", "Result", "Settings", "Span", "Unit",
           "check", "__version__"]
