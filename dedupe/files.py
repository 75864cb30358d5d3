"""Input discovery and safe file I/O.

In: paths from the user (files, directories, ``-`` for stdin). Out: ``Source`` values,
decoded text with the warnings met on the way. Inputs are opened read-only as bytes and
never written; every file dedupe writes goes through ``atomic_write``.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from typing import BinaryIO

from dedupe.errors import DedupeError
from dedupe.escape import quote_path
from dedupe.walk import STDIN_NAME, discover, not_regular  # noqa: F401  (files.discover is the API)
from dedupe.writes import atomic_write, write_outputs  # noqa: F401  (and files.write_outputs)

FORMATS = {".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown", ".mdx": "markdown",
           ".html": "html", ".htm": "html"}
# The HTML report names its generator: a report left in the folder being checked is not an article.
REPORT_GENERATOR = '<meta name="generator" content="dedupe '
REPORT_SNIFF_CHARS = 4096
# Byte order marks, longest first (UTF-32's little-endian mark starts with UTF-16's).
_BOMS = ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"), (codecs.BOM_UTF8, "utf-8"),
         (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
UTF16_SNIFF_BYTES = 4096
# Nothing to read: white space (Unicode's too) and the invisible characters editors leave.
_BLANK = re.compile(r"[\s\u200b\u200c\u200d\u2060\ufeff]*")
_LONE_SURROGATE = re.compile(r"[\ud800-\udfff]")



@dataclass(frozen=True, slots=True)
class Source:
    """A decoded input file; ``warnings`` say how decoding went when it was not clean."""

    path: str
    text: str
    format: str
    warnings: tuple[str, ...] = ()


class EmptyFile(DedupeError):
    """A file with nothing to read: a warning even when named on the command line (the
    pre-commit hook names every staged file, and an empty draft must not block the rest)."""


def format_of(path: str, default: str = "text") -> str:
    """Reader name for a path, by extension; unknown extensions read as plain text."""
    return FORMATS.get(os.path.splitext(path)[1].lower(), default)


def _looks_like_utf16(raw: bytes) -> bool:
    """Text in UTF-16 without a byte order mark: ASCII letters with a NUL byte beside
    each, so nearly every other byte is NUL."""
    head = raw[:UTF16_SNIFF_BYTES]
    half = len(head) // 2
    return half >= 4 and max(head[0::2].count(0), head[1::2].count(0)) >= 0.8 * half


def decode(path: str, raw: bytes) -> Source:
    """Decode bytes as UTF-8, or as UTF-16 or UTF-32 when a byte order mark says so.

    A file with a NUL byte anywhere is binary and refused; invalid UTF-8 falls back to
    replacement characters with a warning, so one bad byte does not stop a run. Line
    endings are kept as they are (a lone CR, classic Mac, counts as a line break where
    lines are counted), so every offset reported indexes the file's own text."""
    shown = quote_path(path)
    if not raw:
        raise EmptyFile(f"{shown}: file is empty")
    encoding = next((name for bom, name in _BOMS if raw.startswith(bom)), "")
    raw = raw[len(next((bom for bom, name in _BOMS if name == encoding), b"")):] if encoding else raw
    if encoding in ("", "utf-8") and b"\x00" in raw:
        if _looks_like_utf16(raw):
            raise DedupeError(f"{shown}: looks like UTF-16 without a byte order mark, which is not supported "
                              "(save it as UTF-8)")
        raise DedupeError(f"{shown}: looks like a binary file (contains NUL bytes), not an article")
    warnings: list[str] = []
    try:
        text = raw.decode(encoding or "utf-8")
    except UnicodeDecodeError as err:
        text = raw.decode(encoding or "utf-8", errors="replace")
        warnings.append(f"{shown}: invalid {(encoding or 'utf-8').upper()[:6]} at byte {err.start}; decoded with "
                        "replacement characters (U+FFFD)")
    if "\x00" in text:
        raise DedupeError(f"{shown}: looks like a binary file (contains NUL characters), not an article")
    return _checked(path, text, tuple(warnings))


def from_text(path: str, text: str) -> Source:
    """An in-memory text (the API's ``texts=``) held to what a file's decoded text is: not
    blank, and Unicode: a lone surrogate (no character at all, which no output can encode)
    becomes U+FFFD, one for one, with a warning, as an invalid UTF-8 byte does."""
    warnings: tuple[str, ...] = ()
    bad = _LONE_SURROGATE.search(text)
    if bad is not None:
        text = _LONE_SURROGATE.sub("\ufffd", text)
        warnings = ((f"{quote_path(path)}: text is not valid Unicode (a lone surrogate at character {bad.start()}); "
                     "replaced with U+FFFD"),)
    return _checked(path, text, warnings)


def _checked(path: str, text: str, warnings: tuple[str, ...]) -> Source:
    if _BLANK.fullmatch(text):
        raise EmptyFile(f"{quote_path(path)}: file is empty")
    return Source(path, text, format_of(path), warnings)


def _size(n_bytes: int) -> str:
    """A byte count as people write it: "10 MiB" when whole mebibytes, else "1000 bytes"."""
    mib = 1024 * 1024
    return f"{n_bytes // mib} MiB" if n_bytes % mib == 0 else f"{n_bytes} bytes"


def _read_limited(stream: BinaryIO, name: str, max_bytes: int) -> bytes:
    """The whole stream, refused when longer than ``max_bytes``. A regular file is read
    at its own size: ``read(max_bytes + 1)`` would allocate the whole limit (10 MiB by
    default) for every small article before shrinking it."""
    try:
        st = os.fstat(stream.fileno())
        size = st.st_size if stat.S_ISREG(st.st_mode) else -1
    except (OSError, ValueError):  # no file descriptor (a test's BytesIO stdin)
        size = -1
    raw = stream.read() if 0 <= size <= max_bytes else stream.read(max_bytes + 1)
    if len(raw) > max_bytes:
        raise DedupeError(f"{quote_path(name)}: file is larger than the limit of {_size(max_bytes)} (max-file-bytes)")
    return raw


def read_source(path: str, max_bytes: int) -> Source:
    """Read and decode one input; every failure is a DedupeError naming the file.

    The file is opened without blocking and refused unless it is a regular file: a FIFO
    opened for reading waits for a writer for ever, and a device never ends."""
    if path == STDIN_NAME:
        return decode("<stdin>", _read_limited(sys.stdin.buffer, "<stdin>", max_bytes))
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
        with open(fd, "rb") as fh:
            st = os.fstat(fd)
            if stat.S_ISDIR(st.st_mode):
                raise IsADirectoryError
            if not stat.S_ISREG(st.st_mode):
                raise not_regular(path, st)
            raw = _read_limited(fh, path, max_bytes)
    except IsADirectoryError:
        raise DedupeError(f"{quote_path(path)}: is a directory") from None
    except PermissionError:
        raise DedupeError(f"{quote_path(path)}: permission denied") from None
    except OSError as err:
        raise DedupeError(f"{quote_path(path)}: cannot read ({err.strerror or err})") from None
    return decode(path, raw)


def read_or_skip(path: str, explicit: bool, max_bytes: int) -> Source | str:
    """An input read and decoded, or the warning saying why it is skipped: a file found
    in a folder that cannot be read, an empty file (even one named: see EmptyFile), a
    dedupe report. A file named on the command line that cannot be read raises."""
    try:
        src = read_source(path, max_bytes)
    except EmptyFile as err:
        return f"{err} (skipped)"
    except DedupeError as err:
        if explicit:
            raise
        return f"{err} (skipped)"
    if src.format == "html" and REPORT_GENERATOR in src.text[:REPORT_SNIFF_CHARS]:
        return f"{quote_path(path)}: is a dedupe report, not an article (skipped)"
    return src


def refuse_overwriting_input(output: str, inputs: Iterable[str]) -> None:
    """Raise when ``output`` is one of the files just read: the tool never writes into an article."""
    try:
        out = os.stat(output)
    except OSError:
        return
    for path in inputs:
        try:
            st = os.stat(path)
        except OSError:
            continue
        if (st.st_dev, st.st_ino) == (out.st_dev, out.st_ino):
            raise DedupeError(f"{quote_path(output)}: is one of the files being checked; refusing to overwrite it")
