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

__version__ = "0.1.0"
TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (mypy reads the name alike): the
# console entry point imports this package first, and a replay (replay.py) needs nothing of typing

if TYPE_CHECKING:
    from typing import Any

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

_MODEL_NAMES = frozenset({"Block", "DedupeError", "Document", "Finding", "Occurrence", "Provenance", "Result",
                          "Settings", "Span", "Unit"})


def __getattr__(name: str) -> Any:
    """The data model's names, imported when first asked for: the console entry point
    imports this package before it knows whether it will run at all (replay.py)."""
    if name in _MODEL_NAMES:
        from dedupe import model

        return getattr(model, name)
    raise AttributeError(f"module 'dedupe' has no attribute {name!r}")


def check(
    paths: Iterable[str] | str = (),
    *,
    texts: Mapping[str, str] | None = None,
    settings: Settings | None = None,
    **options: Any,
) -> Result:
    """Check articles for repeats. ``options`` override Settings fields by name
    (``threshold=0.6, scope="article"``) and are validated like the config file."""
    from dataclasses import replace

    from dedupe import config, pipeline
    from dedupe.model import Settings

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
