"""Writing outputs: every file dedupe writes (reports, baselines, caches) goes through
``write_outputs``, whole or not at all. Apart from files.py so that a replayed run
(replay.py) writes its outputs as a run does without importing dataclasses.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import stat
import sys
from collections.abc import Sequence

from dedupe.errors import DedupeError
from dedupe.escape import quote_path

# Names that stand for a descriptor this process already has open: written into, never replaced.
_STREAM_NAMES = {"/dev/stdin": 0, "/dev/stdout": 1, "/dev/stderr": 2}
_FD_NAME = re.compile(r"/(?:dev/fd|proc/self/fd)/([0-9]+)")


class _Output:
    """One output on its way: staged (its bytes in a temporary file beside the target,
    or nothing yet for a stream, device or FIFO), then committed."""

    __slots__ = ("descriptor", "device", "name", "raw", "target", "temp")

    def __init__(self, name: str, raw: bytes) -> None:
        self.name = name  # as the user gave it
        self.raw = raw
        self.target = ""  # the regular file a temporary file is renamed to
        self.temp = ""
        self.descriptor = -1  # a stream of this process to write into
        self.device = False  # a character device or FIFO: opened and written into

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
    fd, temp = _new_file(os.path.join(directory, f".{os.path.basename(target)}."))
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


def _new_file(prefix: str) -> tuple[int, str]:
    """A file made for this process alone (O_EXCL, mode 0600), named ``prefix`` and a
    random part, as tempfile.mkstemp makes one; tempfile itself costs a replayed run 6 ms
    of imports."""
    for _ in range(100):
        name = f"{prefix}{os.urandom(6).hex()}.tmp"
        try:
            return os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600), name
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temporary file name", prefix)


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
