"""Suppression comments shared by the Markdown and HTML readers.

``<!-- dedupe-ignore -->`` suppresses the next block (and the blocks inside its
element); ``<!-- dedupe off -->`` … ``<!-- dedupe on -->`` suppresses everything between.
The readers find the comments; this applies them to the blocks.
"""

from __future__ import annotations

import bisect
import dataclasses

from dedupe.model import Block


def apply_directives(
    extents: list[tuple[Block, int]], directives: list[tuple[int, str]], source_length: int
) -> list[Block]:
    """Blocks in source order, with ``suppressed`` set by the comment directives.

    ``extents`` pairs each block with the source offset where its element ends.
    ``dedupe-ignore`` takes the first block that starts after the comment, and the
    blocks that start inside its element (the captions of the images in a paragraph).
    """
    extents = sorted(extents, key=lambda extent: extent[0].pieces[0][1])
    blocks = [block for block, _ in extents]
    starts = [block.pieces[0][1] for block in blocks]
    ends = [end for _, end in extents]
    hidden = [False] * len(blocks)
    off_ranges: list[tuple[int, int]] = []
    off_since: int | None = None
    for offset, name in sorted(directives):
        if name == "dedupe off" and off_since is None:
            off_since = offset
        elif name == "dedupe on" and off_since is not None:
            off_ranges.append((off_since, offset))
            off_since = None
        elif name == "dedupe-ignore":
            first = bisect.bisect_right(starts, offset)
            for i in range(first, len(blocks)):
                if i > first and starts[i] >= ends[first]:
                    break
                hidden[i] = True
    if off_since is not None:
        off_ranges.append((off_since, source_length))
    for i, start in enumerate(starts):
        if any(a < start < b for a, b in off_ranges):
            hidden[i] = True
    return [dataclasses.replace(b, suppressed=True) if h else b for b, h in zip(blocks, hidden)]
