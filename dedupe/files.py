"""Input discovery and safe file I/O.

In: paths from the user (files, directories, ``-`` for stdin). Out: ``Source`` values,
decoded text with the warnings met on the way. Inputs are opened read-only as bytes and
never written; every file dedupe writes goes through ``atomic_write``.
"""

from __future__ import annotations

import codecs
import contextlib
import errno
import fnmatch
import os
import re
import stat
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import BinaryIO

from dedupe.escape import quote_path
from dedupe.model import DedupeError

FORMATS = {".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown", ".mdx": "markdown",
           ".html": "html", ".htm": "html"}
STDIN_NAME = "-"
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
_KINDS = ((stat.S_ISFIFO, "a named pipe"), (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
          (stat.S_ISSOCK, "a socket"))


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


def _not_regular(path: str, st: os.stat_result) -> DedupeError:
    kind = next((name for test, name in _KINDS if test(st.st_mode)), "a special file")
    hint = "; to check piped text, pipe it to `dedupe check -`" if stat.S_ISFIFO(st.st_mode) else ""
    return DedupeError(f"{quote_path(path)}: not a regular file ({kind}){hint}")


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


def discover(paths: Iterable[str], include: Iterable[str], exclude: Iterable[str],
             warnings: list[str] | None = None, stats: dict[str, os.stat_result] | None = None) -> list[str]:
    """Files to check, in a stable order. Files named explicitly are always taken (but
    for FIFOs, devices and sockets, refused: opening one can block for ever);
    directories are walked (hidden folders and files skipped, symlink loops avoided,
    only regular files taken) and filtered by the include/exclude globs. A folder that
    cannot be listed (no permission, a path longer than the system allows) is skipped
    with a warning appended to ``warnings``, as an unreadable file is. ``stats`` gets
    each file's ``os.stat`` (taken anyway), for the cache to tell unchanged files."""
    included, excluded = _glob_matcher(tuple(include)), _glob_matcher(tuple(exclude))
    found: list[str] = []
    seen: set[object] = set()  # (device, inode): a file reached by two names is read once
    unlisted = warnings if warnings is not None else []

    def cannot_list(err: OSError) -> None:
        unlisted.append(f"{quote_path(err.filename or '?')}: cannot list folder ({err.strerror or err}) (skipped)")

    for given in paths:
        if given == STDIN_NAME:
            found.append(STDIN_NAME)
            continue
        if not os.path.lexists(given):
            raise DedupeError(f"{quote_path(given)}: no such file or directory")
        if os.path.isdir(given):
            visited: set[tuple[int, int]] = set()
            for root, dirs, files in os.walk(given, onerror=cannot_list, followlinks=True):
                try:
                    st = os.stat(root)
                except OSError as err:
                    cannot_list(err)
                    dirs[:] = []
                    continue
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
                        if stats is not None and file_st is not None:
                            stats[full] = file_st
        elif os.path.exists(given):
            given_st = os.stat(given)
            if not stat.S_ISREG(given_st.st_mode):
                raise _not_regular(given, given_st)
            if (given_st.st_dev, given_st.st_ino) not in seen:
                seen.add((given_st.st_dev, given_st.st_ino))
                found.append(given)
                if stats is not None:
                    stats[given] = given_st
        else:
            raise DedupeError(f"{quote_path(given)}: broken symbolic link")
    return found


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
                raise _not_regular(path, st)
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


# Names that stand for a descriptor this process already has open: written into, never replaced.
_STREAM_NAMES = {"/dev/stdin": 0, "/dev/stdout": 1, "/dev/stderr": 2}
_FD_NAME = re.compile(r"/(?:dev/fd|proc/self/fd)/([0-9]+)")


@dataclass(slots=True)
class _Output:
    """One output on its way: staged (its bytes in a temporary file beside the target,
    or nothing yet for a stream, device or FIFO), then committed."""

    name: str  # as the user gave it
    raw: bytes
    target: str = ""  # the regular file a temporary file is renamed to
    temp: str = ""
    descriptor: int = -1  # a stream of this process to write into
    device: bool = False  # a character device or FIFO: opened and written into

    def stage(self) -> None:
        """Choose how to write, and write a regular file's temporary copy; raise OSError."""
        fd_name = _FD_NAME.fullmatch(self.name)
        if self.name in _STREAM_NAMES or fd_name:
            self.descriptor = _STREAM_NAMES[self.name] if self.name in _STREAM_NAMES else int(fd_name.group(1))  # type: ignore[union-attr]
            return
        try:
            st: os.stat_result | None = os.stat(self.name)  # through symlinks
        except FileNotFoundError:
            st = None  # a new file, or a link to one
        if st is not None and stat.S_ISDIR(st.st_mode):
            raise IsADirectoryError(errno.EISDIR, "Is a directory")
        if st is not None and (stat.S_ISCHR(st.st_mode) or stat.S_ISFIFO(st.st_mode)):
            self.device = True
            return
        if st is not None and not stat.S_ISREG(st.st_mode):
            raise OSError(errno.EINVAL, "not a regular file, character device or FIFO")
        # A symlink is followed: its target is replaced, the link stays.
        self.target = os.path.realpath(self.name) if os.path.islink(self.name) else self.name
        self.temp = _temporary_copy(self.target, self.raw, stat.S_IMODE(st.st_mode) if st else None)

    def commit(self) -> None:
        """Put the output in place; raise OSError."""
        if self.temp:
            os.replace(self.temp, self.target)
            self.temp = ""
        elif self.descriptor >= 0:
            for stream in (sys.stdout, sys.stderr):
                stream.flush()
            _write_all(self.descriptor, self.raw)
        elif self.device:
            fd = os.open(self.name, os.O_WRONLY | os.O_NOCTTY)  # blocks until a FIFO has a reader, as `>` does
            try:
                _write_all(fd, self.raw)
            finally:
                os.close(fd)

    def discard(self) -> None:
        if self.temp:
            with contextlib.suppress(OSError):
                os.unlink(self.temp)
            self.temp = ""


def _write_all(fd: int, raw: bytes) -> None:
    view = memoryview(raw)
    while view:
        view = view[os.write(fd, view) :]


def _temporary_copy(target: str, raw: bytes, mode: int | None) -> str:
    """``raw`` in a new temporary file beside ``target``, flushed to disk, with the mode the
    shell would give ``target`` (its own mode when it exists, else 0666 minus the umask)."""
    if mode is None:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    directory = os.path.dirname(target) or "."
    os.makedirs(directory, exist_ok=True)
    import tempfile  # here: a check that writes no file does without it (3 ms)

    fd, temp = tempfile.mkstemp(prefix=f".{os.path.basename(target)}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(temp, mode)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    return temp


def write_outputs(outputs: Sequence[tuple[str | os.PathLike[str], str | bytes]]) -> None:
    """Write every output, or none when one cannot be written.

    A regular file, or a path that does not exist yet, is written atomically: a
    temporary file in the same folder, flushed, renamed over the target (a symlink is
    followed, and its target replaced). A character device (``/dev/null``), a FIFO or a
    standard stream (``/dev/stdout``, ``/dev/fd/N``) is written into: renaming a file over
    it would replace the device. Every regular file is staged first, so a folder that
    cannot be written leaves all outputs as they were; a failure after the first output
    is in place says which were written. Text is UTF-8."""
    staged = [_Output(os.fspath(path), data.encode("utf-8") if isinstance(data, str) else data)
              for path, data in outputs]
    done: list[str] = []
    try:
        for output in staged:
            try:
                output.stage()
            except OSError as err:
                raise _write_error(output.name, err, done, len(staged)) from None
        for output in staged:
            try:
                output.commit()
            except OSError as err:
                raise _write_error(output.name, err, done, len(staged)) from None
            done.append(output.name)
    finally:
        for output in staged:
            output.discard()


def _write_error(name: str, err: OSError, done: list[str], count: int) -> DedupeError:
    message = f"{quote_path(name)}: cannot write ({err.strerror or err})"
    if count > 1:
        message += f"; written: {', '.join(map(quote_path, done))}" if done else "; no output was written"
    return DedupeError(message)


def atomic_write(path: str | os.PathLike[str], data: str | bytes) -> None:
    """Write one output whole or not at all (see ``write_outputs``)."""
    write_outputs([(path, data)])
