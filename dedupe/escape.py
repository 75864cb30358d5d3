"""How file names and untrusted text are shown: the way git shows them.

A file name on Linux is bytes; Python hands over the bytes that are not UTF-8 as lone
surrogates (U+DC80-U+DCFF, ``os.fsdecode``), which no UTF-8 output can hold. Article
text and file names may also hold control characters (ESC, BEL, the C1 range) that
retitle or clear a terminal. Both are written as C escapes, as git does
(``core.quotePath``): ``\\033`` for ESC, ``\\a`` for BEL, ``\\377`` for a byte that is
not UTF-8, one octal escape per byte (a C1 character is its two UTF-8 bytes).

- ``quote_path``: a file name that needs any escape is written in double quotes, with
  ``"`` and ``\\`` escaped too, exactly like ``git status``: ``"news/caf\\351.txt"``.
  A name that needs none (the usual case, accents included) is left as it is. Every
  output format shows names this way, so one name reads the same everywhere.
- ``controls``: text shown on a terminal (a snippet of an article, a message) with its
  control characters escaped; no quotes added. Tab and line breaks are escaped too:
  callers flatten whitespace first when they want spaces.
"""

from __future__ import annotations

import os
import re

_NAMED = {"\a": "\\a", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\v": "\\v", "\f": "\\f", "\r": "\\r"}
# C0 controls, DEL, C1 controls, and lone surrogates (bytes that were not UTF-8)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
# what makes git quote a name: the above, a double quote, and a backslash where it is
# not the path separator
_NEEDS_QUOTES = re.compile(r'[\x00-\x1f\x7f-\x9f\ud800-\udfff"]' + (r"|\\" if os.sep == "/" else ""))


def _octal(char: str) -> str:
    """The C escape of one character: named when C has a name, else octal per byte."""
    if char in _NAMED:
        return _NAMED[char]
    if "\udc80" <= char <= "\udcff":  # a byte that was not UTF-8, as os.fsdecode keeps it
        raw = bytes([ord(char) - 0xDC00])
    else:
        raw = char.encode("utf-8", errors="surrogatepass")
    return "".join(f"\\{b:03o}" for b in raw)


def controls(text: str) -> str:
    """``text`` with control characters and lone surrogates written as C escapes."""
    if not _CONTROL.search(text):
        return text
    return _CONTROL.sub(lambda m: _octal(m.group()), text)


def quote_path(path: str) -> str:
    """A file name as git shows it: unchanged when plain, else quoted with C escapes."""
    if not _NEEDS_QUOTES.search(path):
        return path
    body = path.replace("\\", "\\\\").replace('"', '\\"') if os.sep == "/" else path.replace('"', '\\"')
    return f'"{controls(body)}"'


def path_bytes(path: str) -> bytes:
    """The bytes of a file name, as the file system has them (for URIs, which
    percent-encode bytes); a lone surrogate that stands for no byte is kept as UTF-8."""
    try:
        return os.fsencode(path)
    except UnicodeEncodeError:
        return path.encode("utf-8", errors="surrogatepass")
