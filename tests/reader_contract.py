"""What every reader must satisfy, checked the same way for each format."""

from __future__ import annotations

from dedupe.model import Block, Document, LineIndex


def assert_pieces_exact(document: Document) -> None:
    """The reader contract: every piece is a character-for-character copy of the source."""
    for block in document.blocks:
        assert block.pieces, block
        assert list(block.pieces) == sorted(block.pieces), block
        for text_start, source_start, length in block.pieces:
            assert 0 <= text_start <= len(block.text)
            text = block.text[text_start : text_start + length]
            assert text == document.source[source_start : source_start + length], (block, text_start)


def source_line(document: Document, block: Block, text: str) -> int:
    """The 1-based source line where ``text`` (found in the block's text) starts."""
    start = block.text.index(text)
    return LineIndex(document.source).line_col(block.source_offset(start))[0]
