"""Plain-text reader: decoded text -> Document of paragraph blocks.

Paragraphs are separated by blank lines. Line breaks inside a paragraph are kept
(``Block.lines``) because in scraped text a line on its own (caption, headline,
byline) is a unit of its own; the segmenter decides which lines stand alone.

Suppression comments are whole lines: ``dedupe-ignore`` (the next paragraph),
``dedupe off`` … ``dedupe on``, optionally written as a comment (``# dedupe off``,
``// dedupe-ignore``, ``<!-- dedupe off -->``). The directive lines are not text.
"""

from __future__ import annotations

import re

from dedupe.model import Block, Document

DIRECTIVE = re.compile(r"^[ \t]*(?:#|//|<!--)?[ \t]*dedupe[- ](ignore|off|on)[ \t]*(?:-->)?[ \t]*$", re.IGNORECASE)
_LINE = re.compile(r"[^\n]*\n?")


def read(path: str, source: str) -> Document:
    """Split ``source`` into paragraph blocks that map 1:1 onto the source."""
    blocks: list[Block] = []
    para_start = -1
    para_end = 0
    off = False
    ignore_next = False
    para_suppressed = False

    def close() -> None:
        nonlocal para_start, ignore_next
        if para_start >= 0:
            text = source[para_start:para_end]
            blocks.append(Block("sentence", text, ((0, para_start, len(text)),), lines=True,
                                suppressed=para_suppressed))
            ignore_next = False
        para_start = -1

    for match in _LINE.finditer(source):
        line = match.group()
        if not line:
            break
        start = match.start()
        body = line.rstrip("\n")
        directive = DIRECTIVE.match(body)
        if directive:
            close()
            word = directive.group(1).lower()
            if word == "ignore":
                ignore_next = True
            else:
                off = word == "off"
            continue
        if not body.strip():
            close()
            continue
        if para_start < 0:
            para_start = start + (len(body) - len(body.lstrip()))
            para_suppressed = off or ignore_next
        para_end = start + len(body.rstrip())
    close()
    return Document(path=path, source=source, format="text", blocks=tuple(blocks))
