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

NORMALIZER_VERSION = "2"

_QUOTES = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u0060": "'",
        "\u00b4": "'", "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
        "\u00ab": '"', "\u00bb": '"', "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-",
        "\u2014": "-", "\u2015": "-", "\u2212": "-", "\u00ad": None,
    }
)
_WORDS = re.compile(r"\w+(?:'\w+)*")
# A web address is one word, "url": two sentences that differ only in a link read the
# same ("More information: <https://...>."), and its path is not prose.
_URL = re.compile(r"\b(?:[a-z][a-z0-9+.-]*://|www\.)[^\s<>\"'`]+")


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
    """The words of a text after normalisation; punctuation is not a word."""
    folded = _folded(text)
    if "://" in folded or "www." in folded:
        folded = _URL.sub(" url ", folded)
    return _WORDS.findall(folded)


def key(unit_words: list[str]) -> str:
    """The exact-repeat key of a unit: its normalised words joined by spaces."""
    return " ".join(unit_words)
