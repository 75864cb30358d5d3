"""Input discovery and safe file I/O.

In: paths from the user (files, directories, ``-`` for stdin). Out: ``Source`` values,
decoded text with the warnings met on the way. Inputs are opened read-only as bytes and
never written; every file dedupe writes goes through ``atomic_write``.
"""

from __future__ import annotations

import codecs
import fnmatch
import os
import re
import stat
import sys
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from dedupe.model import DedupeError

FORMATS = {".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html"}
BINARY_SNIFF_BYTES = 8192
STDIN_NAME = "-"


@dataclass(frozen=True, slots=True)
class Source:
    """A decoded input file; ``warnings`` say how decoding went when it was not clean."""

    path: str
    text: str
    format: str
    warnings: tuple[str, ...] = ()


_LONE_CR = re.compile(r"\r(?!\n)")


def format_of(path: str, default: str = "text") -> str:
    """Reader name for a path, by extension; unknown extensions read as plain text."""
    return FORMATS.get(os.path.splitext(path)[1].lower(), default)


def _glob_matcher(patterns: tuple[str, ...]) -> Callable[[str, str], bool]:
    """A test of (relative path, file name) against the globs, compiled once: the same
    answer as fnmatch on either, without re-reading the patterns for every file."""
    if not patterns:
        return lambda rel, name: False
    regex = re.compile("|".join(fnmatch.translate(os.path.normcase(p)) for p in patterns))
    return lambda rel, name: bool(regex.match(os.path.normcase(rel)) or regex.match(os.path.normcase(name)))


def discover(paths: Iterable[str], include: Iterable[str], exclude: Iterable[str]) -> list[str]:
    """Files to check, in a stable order. Files named explicitly are always taken;
    directories are walked (hidden folders and files skipped, symlink loops avoided,
    only regular files taken) and filtered by the include/exclude globs."""
    included, excluded = _glob_matcher(tuple(include)), _glob_matcher(tuple(exclude))
    found: list[str] = []
    seen: set[object] = set()  # (device, inode): a file reached by two names is read once
    for given in paths:
        if given == STDIN_NAME:
            found.append(STDIN_NAME)
            continue
        if not os.path.lexists(given):
            raise DedupeError(f"{given}: no such file or directory")
        if os.path.isdir(given):
            visited: set[tuple[int, int]] = set()
            for root, dirs, files in os.walk(given, followlinks=True):
                st = os.stat(root)
                if (st.st_dev, st.st_ino) in visited:
                    dirs[:] = []
                    continue
                visited.add((st.st_dev, st.st_ino))
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                folder = os.path.relpath(root, given).replace(os.sep, "/")
                prefix = "" if folder == "." else folder + "/"
                for name in sorted(files):
                    if name.startswith("."):
                        continue
                    full = os.path.join(root, name)
                    rel = prefix + name
                    if not included(rel, name) or excluded(rel, name):
                        continue
                    file_st: os.stat_result | None
                    try:
                        file_st = os.stat(full)
                    except OSError:  # broken link or loop: read_source turns it into a warning
                        file_st = None
                    if file_st is not None and not stat.S_ISREG(file_st.st_mode):
                        continue  # a FIFO, socket or device: opening it could block forever
                    same = (file_st.st_dev, file_st.st_ino) if file_st is not None else full
                    if same not in seen:
                        seen.add(same)
                        found.append(full)
        elif os.path.exists(given):
            given_st = os.stat(given)
            if (given_st.st_dev, given_st.st_ino) not in seen:
                seen.add((given_st.st_dev, given_st.st_ino))
                found.append(given)
        else:
            raise DedupeError(f"{given}: broken symbolic link")
    return found


def decode(path: str, raw: bytes) -> Source:
    """Decode bytes as UTF-8 (BOM aware). Binary files are refused; invalid UTF-8 falls
    back to replacement characters with a warning, so one bad byte does not stop a run.
    Line endings are kept, but for a lone CR (classic Mac) which becomes LF, as editors
    show it: one character for one, so every offset reported still indexes the file's text."""
    if not raw or raw.isspace():
        raise DedupeError(f"{path}: file is empty")
    if b"\x00" in raw[:BINARY_SNIFF_BYTES]:
        raise DedupeError(f"{path}: looks like a binary file (contains NUL bytes), not an article")
    warnings: list[str] = []
    raw = raw.removeprefix(codecs.BOM_UTF8)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        text = raw.decode("utf-8", errors="replace")
        warnings.append(
            f"{path}: invalid UTF-8 at byte {err.start}; decoded with replacement characters (U+FFFD)"
        )
    if "\r" in text:
        text = _LONE_CR.sub("\n", text)
    return Source(path, text, format_of(path), tuple(warnings))


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
        raise DedupeError(f"{name}: file is larger than the limit of {_size(max_bytes)} (max-file-bytes)")
    return raw


def read_source(path: str, max_bytes: int) -> Source:
    """Read and decode one input; every failure is a DedupeError naming the file."""
    if path == STDIN_NAME:
        return decode("<stdin>", _read_limited(sys.stdin.buffer, "<stdin>", max_bytes))
    try:
        with open(path, "rb") as fh:
            raw = _read_limited(fh, path, max_bytes)
    except IsADirectoryError:
        raise DedupeError(f"{path}: is a directory") from None
    except PermissionError:
        raise DedupeError(f"{path}: permission denied") from None
    except OSError as err:
        raise DedupeError(f"{path}: cannot read ({err.strerror or err})") from None
    return decode(path, raw)


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
            raise DedupeError(f"{output}: is one of the files being checked; refusing to overwrite it")


def atomic_write(path: str | os.PathLike[str], data: str | bytes) -> None:
    """Write a whole file or nothing: temp file in the same folder, fsync, rename.

    Text is UTF-8; a file name that is not (os.walk gives its bytes as surrogates) is
    written back as its own bytes, as on stdout. The file gets the mode the shell would
    give it (an existing file's mode, else 0666 minus the umask), not mkstemp's 0600."""
    target = Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    raw = data.encode("utf-8", errors="surrogateescape") if isinstance(data, str) else data
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    except OSError as err:
        raise DedupeError(f"{target}: cannot write ({err.strerror or err})") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException as err:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(err, OSError):
            raise DedupeError(f"{target}: cannot write ({err.strerror or err})") from None
        raise
