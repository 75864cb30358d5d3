"""Sections of a scraped plain-text page, and two shapes of them that are not prose.

A scraper that keeps a page's text but drops its headings leaves two or more blank
lines where each heading was (in the BBC corpus: above readers' letters, between the
boxes of a spec comparison). Those gaps split a plain-text article into sections, and two
section shapes hold text that repeats by design, not because the article repeats itself
(group.py rule 9):

- **A readers' section**: READERS_MIN_PARAGRAPHS paragraphs or more, at least
  READERS_PERSONAL_SHARE of them speaking in the first or second person outside
  quotation marks: readers' letters, one a paragraph ("I agree wholeheartedly with Mr
  Forsyth.", "Best song of the last 25 years?"). A news story reports speech in the
  third person and puts first-person words inside quotation marks; a column or an
  interview is one voice in a few paragraphs, not a run of twenty. Letters are by
  different writers: what they share is held to the length group.py asks of text
  shared by different articles.
- **Parallel sections**: PARALLEL_SECTIONS sections or more of one length (at least
  PARALLEL_MIN_PARAGRAPHS paragraphs each): a spec box or a run of profiles answering
  the same questions in the same order, so the same line in the same slot of two of
  them says one thing of two subjects ("Wireless and a dvd burner can be added at
  extra cost." under two computers).

Only plain text: Markdown and HTML keep their headings, and their sections are not
guessed from blank lines.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from dedupe.model import Document
from dedupe.normalize import words

SECTION_BREAK = re.compile(r"\n[ \t]*\n[ \t]*\n")  # two blank lines or more: a heading was here
READERS_MIN_PARAGRAPHS = 20
READERS_PERSONAL_SHARE = 0.5
PARALLEL_SECTIONS = 3
PARALLEL_MIN_PARAGRAPHS = 3
PERSONAL = frozenset(["i", "i'm", "i've", "i'd", "i'll", "me", "my", "mine", "myself", "we", "we're", "we've",
                      "we'd", "we'll", "us", "our", "ours", "you", "you're", "you've", "you'd", "you'll", "your",
                      "yours"])
# a quotation: straight or curly double marks around text without such marks
_QUOTED = re.compile(r"\"[^\"\n]*\"|“[^“”\n]*”")


@dataclass(frozen=True, slots=True)
class Sections:
    """Where each block of a document sits: its section, and its paragraph within it."""

    section: tuple[int, ...]  # block -> section number
    slot: tuple[int, ...]  # block -> paragraph number within its section
    readers: frozenset[int]  # sections that are readers' letters
    parallel: frozenset[int]  # sections of the length PARALLEL_SECTIONS or more sections share


def personal(text: str) -> bool:
    """The paragraph speaks in the first or second person outside quotation marks."""
    return not PERSONAL.isdisjoint(words(_QUOTED.sub(" ", text)))


def sections(doc: Document) -> Sections | None:
    """The sections of a plain-text document (split at two or more blank lines); None
    for other formats, or a document with no such break."""
    if doc.format != "text" or not doc.blocks:
        return None
    section, slot = [], []
    n, k, end = 0, 0, None
    for block in doc.blocks:
        start = block.pieces[0][1] if block.pieces else 0
        if end is not None and SECTION_BREAK.search(doc.source, end, start):
            n, k = n + 1, 0
        section.append(n)
        slot.append(k)
        k += 1
        if block.pieces:
            last = block.pieces[-1]
            end = last[1] + last[2]
    if n == 0:
        return None
    members: dict[int, list[int]] = {}
    for b, s in enumerate(section):
        members.setdefault(s, []).append(b)
    readers = frozenset(s for s, bs in members.items() if len(bs) >= READERS_MIN_PARAGRAPHS
                        and sum(personal(doc.blocks[b].text) for b in bs) >= READERS_PERSONAL_SHARE * len(bs))
    lengths = Counter(len(bs) for bs in members.values() if len(bs) >= PARALLEL_MIN_PARAGRAPHS)
    parallel = frozenset(s for s, bs in members.items() if lengths[len(bs)] >= PARALLEL_SECTIONS)
    return Sections(tuple(section), tuple(slot), readers, parallel)
