"""Readers: decoded source text -> Document with exact source positions, one module per format."""

from __future__ import annotations

from collections.abc import Callable

from dedupe.model import DedupeError, Document

Reader = Callable[[str, str], Document]


def get(fmt: str) -> Reader:
    """The reader for a format name ("text", "markdown", "html"); unknown names are an error."""
    if fmt == "text":
        from dedupe.readers import text

        return text.read
    if fmt == "markdown":
        from dedupe.readers import markdown

        return markdown.read
    if fmt == "html":
        from dedupe.readers import html

        return html.read
    raise DedupeError(f"unknown input format {fmt!r}")
