"""Formatters: Result -> str. They never compute: no similarity, no positions, no grouping.

``get(name)`` returns a format's ``render(result, **options)``; unknown names fail.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from dedupe.model import DedupeError, Result

Render = Callable[..., str]

FORMATS: dict[str, str] = {
    "text": "dedupe.formats.text",
    "json": "dedupe.formats.json",
    "sarif": "dedupe.formats.sarif",
    "github": "dedupe.formats.github",
    "html": "dedupe.formats.html",
}


def get(name: str) -> Render:
    """The render function of a format name."""
    try:
        module = FORMATS[name]
    except KeyError:
        raise DedupeError(f"unknown format {name!r} (formats: {', '.join(FORMATS)})") from None
    return importlib.import_module(module).render  # type: ignore[no-any-return]


__all__ = ["FORMATS", "Render", "Result", "get"]
