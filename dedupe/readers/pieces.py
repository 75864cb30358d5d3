"""Building a block's visible text together with its pieces, for the Markdown and HTML readers.

Mapped text is always sliced from the source, so ``text[t:t+n] == source[s:s+n]`` holds
by construction; unmapped text (a decoded entity, a line break shown as a space) gets a
zero-length anchor piece at the source position it stands for.
"""

from __future__ import annotations


class TextBuilder:
    """The visible text of one block as it is built, with its pieces."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.parts: list[str] = []
        self.size = 0
        self.pieces: list[tuple[int, int, int]] = []

    def mapped(self, start: int, end: int) -> None:
        """Append ``source[start:end]``, merging with the previous piece when contiguous."""
        if end <= start:
            return
        if self.pieces:
            t, s, n = self.pieces[-1]
            if n and t + n == self.size and s + n == start:
                self.pieces[-1] = (t, s, n + end - start)
                self._append(self.source[start:end])
                return
        self.pieces.append((self.size, start, end - start))
        self._append(self.source[start:end])

    def unmapped(self, text: str, anchor: int) -> None:
        """Append text that has no exact source, anchored at ``anchor``."""
        if text:
            self.pieces.append((self.size, anchor, 0))
            self._append(text)

    def _append(self, text: str) -> None:
        self.parts.append(text)
        self.size += len(text)
