"""The walk: which files a run reads, and the stamps that tell they are unchanged.

In: paths from the user (files, directories, ``-`` for stdin) and the include/exclude
globs. Out: file paths in a stable order, each with its stamp (``Walk``); and the git
work tree and HEAD commit that a check's dates depend on. Apart from files.py
so that the console entry point's replay (replay.py) walks exactly as a run does while
importing nothing heavier than ``re``.
"""

from __future__ import annotations

import fnmatch
import os
import re
import stat
import time
from collections.abc import Callable, Iterable

from dedupe.errors import DedupeError
from dedupe.escape import quote_path

STDIN_NAME = "-"
# A file stamped less than this long ago may be written again within one tick of a
# coarse clock and keep its stamp: the cache reads it again next time (pipeline) and a
# check that read it is not recorded for replay (replay).
RACY_S = 2
_KINDS = ((stat.S_ISFIFO, "a named pipe"), (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
          (stat.S_ISSOCK, "a socket"))


def not_regular(path: str, st: os.stat_result) -> DedupeError:
    kind = next((name for test, name in _KINDS if test(st.st_mode)), "a special file")
    hint = "; to check piped text, pipe it to `dedupe check -`" if stat.S_ISFIFO(st.st_mode) else ""
    return DedupeError(f"{quote_path(path)}: not a regular file ({kind}){hint}")


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
                raise not_regular(given, given_st)
            if (given_st.st_dev, given_st.st_ino) not in seen:
                seen.add((given_st.st_dev, given_st.st_ino))
                found.append(given)
                if stats is not None:
                    stats[given] = given_st
        else:
            raise DedupeError(f"{quote_path(given)}: broken symbolic link")
    return found


class Walk:
    """One walk of ``paths``: the files found in order (``discover``), the warnings of
    folders that could not be listed, and, when ``stamped``, each file's stamp. Made
    once a check: the run reads by it, and its replay record (replay.py) is stamped by
    it, so a check recorded for replay does not walk twice."""

    __slots__ = ("found", "stamps", "started", "unlisted")

    def __init__(self, paths: Iterable[str], include: Iterable[str], exclude: Iterable[str],
                 stamped: bool = True) -> None:
        self.started = time.time_ns()  # before any stamp was taken: what RACY_S is counted from
        self.unlisted: list[str] = []
        stats: dict[str, os.stat_result] | None = {} if stamped else None
        self.found = discover(paths, include, exclude, self.unlisted, stats)
        self.stamps = {p: stamp(st) for p, st in stats.items()} if stats else {}


def stamp(st: os.stat_result) -> tuple[int, int, int, int, int]:
    """What changes when a file is written, renamed over or replaced: modification and
    change times (ns), size, inode and device."""
    return (st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino, st.st_dev)


def work_tree(folder: str, known: dict[str, str | None] | None = None) -> str | None:
    """The nearest folder from ``folder`` up that holds a ``.git`` (git's top-level folder
    of a work tree, a submodule's too), looked up in the real folder as git does; None
    outside any. ``known`` remembers the answer for every folder passed on the way."""
    here = os.path.realpath(folder)
    passed = []
    top: str | None = None
    while True:
        if known is not None and here in known:
            top = known[here]
            break
        passed.append(here)
        if os.path.exists(os.path.join(here, ".git")):
            top = here
            break
        up = os.path.dirname(here)
        if up == here:
            break
        here = up
    if known is not None:
        known.update((p, top) for p in passed)
    return top


def git(args: list[str], cwd: str) -> str | None:
    """git's output of a command run in ``cwd``; None when it fails or cannot run."""
    import subprocess  # a run outside any git work tree never starts one

    try:
        out = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False,
                             stdin=subprocess.DEVNULL)
    except OSError:  # no git, no such folder, or an argument over the system's limit (E2BIG)
        return None
    return out.stdout if out.returncode == 0 else None


def head_commit(top: str, run: Callable[[list[str], str], str | None] = git) -> str | None:
    """The commit HEAD names in the work tree ``top`` (None: no commit yet, or git cannot
    say): what git's history-dependent answers are kept by (provenance.GitDates) and a
    replay is checked against (replay.heads)."""
    out = run(["rev-parse", "--verify", "--quiet", "HEAD"], top)
    return out.strip() or None if out else None
