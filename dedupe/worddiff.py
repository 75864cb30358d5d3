"""Word-level display diffs for reports: which words were added, dropped or changed.

Not a detection stage. Similarity and grouping come from the pipeline; this module
only lines up the words of two texts the pipeline already paired, so a reader can see
what differs. It works on words (runs of non-space characters) and compares them the
way a reader would: case, curly versus straight quotes, dashes and the punctuation
stuck to a word do not make two words different ("Friday." = "friday").

    >>> [(e.op, e.a_text, e.b_text) for e in changes("the walkout would affect", "the strike would affect")]
    [('replace', 'walkout', 'strike')]

All offsets are character offsets into the texts given, so a caller can mark the
changed words in place.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Literal

Op = Literal["equal", "insert", "delete", "replace"]

_WORD = re.compile(r"\S+")
_EDGE_PUNCTUATION = re.compile(r"^[^\w]+|[^\w]+$")
_SAME_CHARS = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-",
                             "\u2014": "-", "\u2212": "-", "\u00ad": None})
PAIR_MIN_RATIO = 0.5  # two differing blocks are shown as one changed row from this share of words in common
PAIR_LOOKAHEAD = 20  # blocks searched ahead for a partner: keeps long rewritten stretches linear


@dataclass(frozen=True, slots=True)
class Edit:
    """One run of the diff: ``a[a_start:a_end]`` became ``b[b_start:b_end]``.

    For "insert" the ``a`` range is empty (at the place the words went in), for
    "delete" the ``b`` range is. Ranges run from the first word's first character to
    the last word's last character.
    """

    op: Op
    a_start: int
    a_end: int
    b_start: int
    b_end: int
    a_text: str
    b_text: str


@dataclass(frozen=True, slots=True)
class Row:
    """One row of a side-by-side view of two lists of blocks.

    ``left``/``right`` are block indexes (None when the row has a block on one side
    only). ``status`` is "same" (the blocks read the same), "changed" (shown with their
    word differences), "left" (only in the left text) or "right". ``left_changed`` and
    ``right_changed`` are the (start, end) character ranges of differing words.
    """

    status: Literal["same", "changed", "left", "right"]
    left: int | None
    right: int | None
    left_changed: tuple[tuple[int, int], ...] = ()
    right_changed: tuple[tuple[int, int], ...] = ()


@lru_cache(maxsize=1 << 16)
def word_key(word: str) -> str:
    """What a word is compared by: NFKC, case folded, quotes and dashes unified,
    punctuation at either end dropped (a word that is only punctuation keeps it)."""
    folded = unicodedata.normalize("NFKC", word).translate(_SAME_CHARS).casefold()
    return _EDGE_PUNCTUATION.sub("", folded) or folded


def words(text: str) -> list[tuple[int, int]]:
    """(start, end) of each word of a text."""
    return [m.span() for m in _WORD.finditer(text)]


def _matcher(a: Sequence[Hashable], b: Sequence[Hashable]) -> SequenceMatcher[Hashable]:
    # autojunk off: in a 300-word article "the" is not noise to be skipped.
    return SequenceMatcher(None, a, b, autojunk=False)


def diff(a: str, b: str) -> list[Edit]:
    """Every run of the word diff of ``a`` to ``b``, equal runs included, in order."""
    wa, wb = words(a), words(b)
    ka = [word_key(a[s:e]) for s, e in wa]
    kb = [word_key(b[s:e]) for s, e in wb]
    out: list[Edit] = []
    for op, i1, i2, j1, j2 in _matcher(ka, kb).get_opcodes():
        a_start = wa[i1][0] if i1 < len(wa) else len(a)
        a_end = wa[i2 - 1][1] if i2 > i1 else a_start
        b_start = wb[j1][0] if j1 < len(wb) else len(b)
        b_end = wb[j2 - 1][1] if j2 > j1 else b_start
        out.append(Edit(op, a_start, a_end, b_start, b_end, a[a_start:a_end], b[b_start:b_end]))  # type: ignore[arg-type]
    return out


def changes(a: str, b: str) -> list[Edit]:
    """Only the runs that differ."""
    return [e for e in diff(a, b) if e.op != "equal"]


def changed_ranges(a: str, b: str) -> tuple[tuple[tuple[int, int], ...], tuple[tuple[int, int], ...]]:
    """Character ranges of the words only in ``a`` and of the words only in ``b``."""
    edits = changes(a, b)
    return (tuple((e.a_start, e.a_end) for e in edits if e.a_end > e.a_start),
            tuple((e.b_start, e.b_end) for e in edits if e.b_end > e.b_start))


def inline(a: str, b: str) -> list[tuple[Literal["same", "del", "ins"], str]]:
    """``b`` read with ``a``'s words shown where they were dropped or changed:
    ("same", words), ("del", words only in a), ("ins", words only in b), in reading
    order. Joined with spaces this reads as one sentence with its edits."""
    out: list[tuple[Literal["same", "del", "ins"], str]] = []
    for e in diff(a, b):
        if e.op == "equal":
            out.append(("same", e.b_text))
            continue
        if e.a_text:
            out.append(("del", e.a_text))
        if e.b_text:
            out.append(("ins", e.b_text))
    return out


def _block_keys(text: str) -> tuple[str, ...]:
    return tuple(word_key(text[s:e]) for s, e in words(text))


def _pairs(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    m = _matcher(a, b)
    return m.quick_ratio() >= PAIR_MIN_RATIO and m.ratio() >= PAIR_MIN_RATIO


def side_by_side(left: Sequence[str], right: Sequence[str]) -> list[Row]:
    """Rows pairing the blocks of two texts: equal blocks side by side, changed blocks
    paired when at least PAIR_MIN_RATIO of their words match, the rest on one side."""
    lk = [_block_keys(t) for t in left]
    rk = [_block_keys(t) for t in right]
    rows: list[Row] = []
    for op, i1, i2, j1, j2 in _matcher(lk, rk).get_opcodes():
        if op == "equal":
            rows.extend(Row("same", i, j) for i, j in zip(range(i1, i2), range(j1, j2)))
            continue
        j = j1
        for i in range(i1, i2):
            match = next((k for k in range(j, min(j2, j + PAIR_LOOKAHEAD)) if _pairs(lk[i], rk[k])), None)
            if match is None:
                rows.append(Row("left", i, None))
                continue
            rows.extend(Row("right", None, k) for k in range(j, match))
            lc, rc = changed_ranges(left[i], right[match])
            rows.append(Row("changed", i, match, lc, rc))
            j = match + 1
        rows.extend(Row("right", None, k) for k in range(j, j2))
    return rows
