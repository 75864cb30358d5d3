"""Normalisation: unit text -> normalised words and exact-repeat key.

Two units are an exact repeat when their keys are equal: the key ignores case
(Unicode case folding after NFKC), curly versus straight quotes, the kind of dash,
spacing and punctuation, since none of these changes what the reader reads twice.
Plain Python on purpose: a warm cached run needs keys (for the allow list) but no
numpy; hashing words into shingles is shingles.py.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

NORMALIZER_VERSION = "3"

_QUOTES = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u0060": "'",
        "\u00b4": "'", "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
        "\u00ab": '"', "\u00bb": '"', "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-",
        "\u2014": "-", "\u2015": "-", "\u2212": "-", "\u00ad": None,
    }
)
_WORDS = re.compile(r"\w+(?:'\w+)*")
_ASCII_WORDS = re.compile(r"\w+(?:'\w+)*", re.ASCII)  # the same words in ASCII text, a third faster
# ASCII characters that are not \w, each made a space: split() then gives _WORDS's words
# of an ASCII text without an apostrophe
_ASCII_NOT_WORD = str.maketrans({c: " " for c in map(chr, range(128)) if not (c.isalnum() or c == "_")})
# ... the same, with NUL kept: words_of joins a document's texts with it
_ASCII_NOT_WORD_NUL_KEPT = {c: r for c, r in _ASCII_NOT_WORD.items() if c != 0}
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]")
_CJK_SPLIT = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]|[^\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af]+")
# A web address is one word, "url": two sentences that differ only in a link read the
# same ("More information: <https://...>."), and its path is not prose.
_URL = re.compile(r"\b(?:[a-z][a-z0-9+.-]*://|www\.)[^\s<>\"'`]+")
# English closed-class words: articles, pronouns, auxiliaries, conjunctions, prepositions
# (verify.py's word signal and passages.py's weak links leave them out; group.py's
# lines of names allow them).
FUNCTION_WORDS = frozenset(["a", "an", "the", "this", "that", "these", "those", "i", "me", "my", "mine", "we", "us", "our", "ours", "you", "your", "yours", "he", "him", "his", "she", "her", "hers", "it", "its", "they", "them", "their", "theirs", "who", "whom", "whose", "which", "what", "am", "is", "are", "was", "were", "be", "been", "being", "have", "has", "had", "having", "do", "does", "did", "done", "will", "would", "shall", "should", "can", "could", "may", "might", "must", "and", "or", "but", "nor", "so", "yet", "if", "then", "than", "because", "as", "while", "although", "though", "whether", "of", "to", "in", "on", "at", "by", "for", "with", "from", "into", "onto", "about", "over", "under", "after", "before", "between", "through", "during", "without", "within", "against", "among", "around", "up", "down", "out", "off", "not", "no", "there", "here", "also", "just", "only", "very"])


def _folded(text: str) -> str:
    """NFKC, quotes and dashes unified, case folded. ASCII text (most of it) skips NFKC,
    which leaves it unchanged, and folds case with lower(), which is the same there."""
    if text.isascii():
        return (text.translate(_QUOTES) if "`" in text else text).lower()
    return unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold()


def normalize(text: str) -> str:
    """Unicode NFKC, case folded, quotes and dashes unified, whitespace collapsed."""
    return " ".join(_folded(text).split())


def words(text: str) -> list[str]:
    """The words of a text after normalisation; punctuation is not a word. Chinese,
    Japanese and Korean are written without spaces: each of their characters is a word,
    so their shingles are character pairs, the usual unit for near-duplicate CJK text."""
    folded = _folded(text)
    if "://" in folded or "www." in folded:
        folded = _URL.sub(" url ", folded)
    if folded.isascii():
        if "'" in folded:
            return _ASCII_WORDS.findall(folded)  # type: ignore[no-any-return]
        return folded.translate(_ASCII_NOT_WORD).split()  # no apostrophe: the runs of \w, faster
    found = _WORDS.findall(folded)
    if _CJK.search(folded):
        found = [part for word in found for part in (_CJK_SPLIT.findall(word) if _CJK.search(word) else [word])]
    return found


def words_of(texts: list[str]) -> list[list[str]]:
    """``words`` of each text, in a few steps for all of them when they are ASCII without
    web addresses (a document's units, most of the time): joined by NUL, folded and
    made into runs of word characters at once, then split apart. Each call of ``words``
    costs its own checks and foldings: BBC's 44,000 units took 0.32-0.53 s one by one,
    0.25-0.36 s this way. Texts holding NUL themselves, non-ASCII text and addresses
    are read one by one."""
    joined = "\0".join(texts)
    if len(texts) < 2 or not joined.isascii() or joined.count("\0") != len(texts) - 1:
        return [words(t) for t in texts]
    folded = (joined.translate(_QUOTES) if "`" in joined else joined).lower()
    if "://" in folded or "www." in folded:
        return [words(t) for t in texts]
    if "'" not in folded:
        return [part.split() for part in folded.translate(_ASCII_NOT_WORD_NUL_KEPT).split("\0")]
    return [_ASCII_WORDS.findall(part) if "'" in part else part.translate(_ASCII_NOT_WORD).split()
            for part in folded.split("\0")]


def word_spans(text: str) -> list[tuple[int, int]]:
    """Where each word of ``words(text)`` sits in ``text``: (start, end), in order. A
    phrase found among a unit's words is shown at its exact place through these.
    Non-ASCII text is folded a character at a time (with its combining marks), so
    every folded character knows the character it came from."""
    starts: list[int] = []  # per folded character: where its source character starts ...
    ends: list[int] | None = None  # ... and ends (None: ASCII text folds in place)
    if text.isascii():
        folded = _folded(text)
    else:
        chunks = re.findall(r".[\u0300-\u036f\u1ab0-\u1aff\u20d0-\u20ff\ufe20-\ufe2f]*", text, re.DOTALL)
        parts = [_folded(ch) for ch in chunks]
        folded = "".join(parts)
        ends = []
        at = 0
        for ch, part in zip(chunks, parts):
            starts.extend([at] * len(part))
            at += len(ch)
            ends.extend([at] * len(part))
    spans: list[tuple[int, int]] = []
    pos = 0
    urls = list(_URL.finditer(folded)) if "://" in folded or "www." in folded else []
    for url in [*urls, None]:
        stop = url.start() if url else len(folded)
        spans.extend(m.span() for m in _WORDS.finditer(folded, pos, stop))
        if url:
            spans.append(url.span())
            pos = url.end()
    if ends is None:
        return spans
    return [(starts[a], ends[b - 1]) for a, b in spans]


def key(unit_words: list[str]) -> str:
    """The exact-repeat key of a unit: its normalised words joined by spaces."""
    return " ".join(unit_words)


def in_order(a: Sequence[str], b: Sequence[str]) -> int:
    """How many words two word lists have in the same order: their longest common
    subsequence (an edited copy keeps most of its words in order, phrases.py).
    Bit-parallel (Crochemore, Iliopoulos, Pinzon and Reid, 2001): one bit per word of
    ``a`` in a Python int, one addition and a few masks per word of ``b``; a test
    checks it against the plain dynamic programme."""
    if not a or not b:
        return 0
    masks: dict[str, int] = {}
    for i, x in enumerate(a):
        masks[x] = masks.get(x, 0) | (1 << i)
    full = (1 << len(a)) - 1
    v = full
    for y in b:
        m = masks.get(y)
        if m:
            u = v & m
            v = ((v + u) | (v - u)) & full
    return len(a) - v.bit_count()
