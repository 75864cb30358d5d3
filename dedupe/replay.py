"""Replay: the same check on the same files writes again what it wrote last time.

A warm run that finds nothing changed still starts Python, imports the command line
(click, the data model), walks the folders, reads the cache and formats the findings
again: about 0.3 s on BBC's 2,225 articles, half of it before any of dedupe's work.
The console entry point (``__main__.main``) asks this module first. It imports only
the standard library's light modules and walk.py, and answers from one file:

- **recorded** by ``check`` when it ends normally: its outputs (files and stdout), the
  lines it said on stderr and its exit status, with what they came from. That is the
  command's arguments, working folder, the environment and terminals that decide the
  output, the Python and dedupe code, the files walked with their stamps
  (``walk.stamp``), the walk's own globs, and the config and baseline files (stamped, or
  absent);
- **replayed** only when all of that is still so: the same folders walked again with the
  same globs find the same files, every one with the same stamp.

Files in a git work tree have their places dated by git's history, which moves without
a file changing: the entry also holds each work tree's HEAD commit, asked of git again
(``git rev-parse HEAD``, one process a work tree) before a replay.

Left to the usual run (nothing recorded): stdin, the HTML report (it is dated),
--changed and --touching (git's diff), an archive index (--against), no cache, GIT_DIR
or GIT_WORK_TREE set, warnings about the run's own means (memory, the cache, places git
had no time to date), and files written less than RACY_S before the run (rewritten
within the file system's timestamp granularity, a file keeps its stamp).
``DEDUPE_NO_REPLAY=1`` turns replay off. Entries live in the cache folder's ``replay/``;
the MAX_KEPT used last are kept.
"""

from __future__ import annotations

import marshal
import os
import sys
import zlib
from collections.abc import Iterable, Mapping, Sequence

from dedupe import escape, walk, writes
from dedupe.errors import DedupeError

VERSION = 2  # of an entry's layout
MAX_KEPT = 8  # entries kept in the cache folder (several commands over one tree, as cache.MAX_RUNS)
RACY_S = walk.RACY_S  # a check that read a file stamped this recently is not recorded
FOLDER = "replay"
DEFAULT_CACHE_DIR = ".dedupe-cache"  # model.Settings.cache_dir (a test keeps them equal)
CONFIG_NAMES = (".dedupe.toml", "pyproject.toml")  # config.CONFIG_NAMES (a test keeps them equal)
# What else the output depends on: colour (NO_COLOR, with the terminals below), where
# Punkt's data may be looked up (NLTK_DATA, HOME, APPDATA), and git's work tree (GIT_DIR).
ENVIRONMENT = ("NO_COLOR", "NLTK_DATA", "HOME", "APPDATA", "GIT_DIR", "GIT_WORK_TREE")
OFF = "DEDUPE_NO_REPLAY"
ARGV: list[str] | None = None  # the command line, set by the entry point: only its runs record
CURRENT: Recording | None = None  # the check being recorded (cli.say adds the lines it says)
# The walk a replay made and found something changed in, with its globs: the check then
# run records by it rather than walking the same folders again (``Recording``).
DECLINED: tuple[tuple[Any, ...], walk.Walk] | None = None
Stamp = tuple[int, int, int, int, int]
TYPE_CHECKING = False  # as in dedupe/__init__.py: typing is not imported for a replay

if TYPE_CHECKING:
    from typing import Any, TextIO


def _code() -> tuple[tuple[str, int, int], ...]:
    """The package's files (its Python sources, and in a wheel the report's templates)
    with modification time and size: a new version or a local edit changes them."""
    root = os.path.dirname(os.path.abspath(__file__))
    out = []
    stack = [root]
    while stack:
        folder = stack.pop()
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir():
                    if entry.name != "__pycache__":
                        stack.append(entry.path)
                elif not entry.name.endswith(".pyc"):
                    st = entry.stat()
                    out.append((os.path.relpath(entry.path, root), st.st_mtime_ns, st.st_size))
    return tuple(sorted(out))


def cache_folder(argv: Sequence[str]) -> str | None:
    """The cache folder the command names (``--cache-dir``, the last one given), or the
    default; None when it turns the cache off or its arguments are not plain enough to
    read without click (``--`` before paths)."""
    folder = DEFAULT_CACHE_DIR
    args = list(argv)
    for i, arg in enumerate(args):
        if arg in ("--no-cache", "--"):
            return None
        if arg == "--cache-dir":
            if i + 1 >= len(args):
                return None
            folder = args[i + 1]
        elif arg.startswith("--cache-dir="):
            folder = arg.split("=", 1)[1]
    return folder


def named_outputs(argv: Sequence[str]) -> set[str]:
    """The files the command names for its outputs (-o, --output, --json, --sarif, as
    ``-o FILE``, ``--json=FILE`` or ``-oFILE``). A replay writes no other file: an entry
    is a file in the cache folder, and whoever could write one must not be able to make
    a check write anywhere else. Forms not read here (``-qo FILE``) only cost a replay."""
    names: set[str] = set()
    for i, arg in enumerate(argv):
        if arg in ("-o", "--output", "--json", "--sarif"):
            names.update(argv[i + 1:i + 2])
        elif arg.startswith(("--output=", "--json=", "--sarif=")):
            names.add(arg.split("=", 1)[1])
        elif arg.startswith("-o") and len(arg) > 2 and not arg.startswith("--"):
            names.add(arg[2:])
    return names


def _key(argv: Sequence[str], environ: Mapping[str, str], out: TextIO, err: TextIO) -> tuple[Any, ...]:
    """Everything besides the files that decides what a check writes."""
    return (VERSION, tuple(argv), os.getcwd(), tuple(environ.get(k) for k in ENVIRONMENT),
            _isatty(out), _isatty(err), (getattr(out, "encoding", "") or "").lower(), sys.version,
            sys.executable, _code())


def _isatty(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _path(folder: str, key: tuple[Any, ...]) -> str:
    return os.path.join(folder, FOLDER, f"{zlib.crc32(repr(key).encode()):08x}.marshal")


def _stamp_of(path: str) -> Stamp | None:
    try:
        return walk.stamp(os.stat(path))
    except OSError:
        return None


def heads(found: Iterable[str]) -> tuple[tuple[str, str | None], ...]:
    """The work trees holding these files (walk.work_tree), each with its HEAD commit
    (None: no commit yet, or git cannot say)."""
    known: dict[str, str | None] = {}
    folders = {os.path.dirname(os.path.abspath(p)) for p in found}
    tops = sorted({t for t in (walk.work_tree(f, known) for f in folders) if t})
    return tuple((top, walk.head_commit(top)) for top in tops)


def config_candidates(config_file: str | None) -> list[str]:
    """The config files a run's settings could come from: the one named, or every name
    config.find_config looks for from the working folder up (stamped, or absent)."""
    if config_file:
        return [config_file]
    here = os.path.realpath(os.getcwd())
    found = []
    while True:
        found += [os.path.join(here, name) for name in CONFIG_NAMES]
        up = os.path.dirname(here)
        if up == here:
            return found
        here = up


class Recording:
    """What a check read, taken before it runs; ``record`` stores it with what the check
    wrote. The stamps are taken first, so a file changed while the run reads it is
    stamped as it was and is not replayed; the run reads by the same walk (``walked``)."""

    def __init__(self, argv: Sequence[str], folder: str, given: Sequence[str], include: Iterable[str],
                 exclude: Iterable[str], others: Iterable[str]) -> None:
        self.key = _key(argv, os.environ, sys.stdout, sys.stderr)
        self.folder = folder
        self.walk = (tuple(given), tuple(include), tuple(exclude))
        walked = _declined(self.walk) or walk.Walk(*self.walk)
        self.found = tuple(walked.found)
        self.stamps = tuple(map(walked.stamps.get, self.found))
        self.unlisted = tuple(walked.unlisted)
        self.since = walked.started  # the stamps were taken after this
        self.walked: walk.Walk | None = walked  # until the run takes it (``take_walk``)
        self.others = tuple((p, _stamp_of(p)) for p in others)
        self.heads = heads(self.found)
        self.said: list[str] = []  # lines said on stderr (cli.say)

    def take_walk(self) -> walk.Walk | None:
        """The walk, for the run to read by (once: the run lets its stamps go)."""
        walked, self.walked = self.walked, None
        return walked

    def settled(self) -> bool:
        """False when a file was written less than RACY_S before it was stamped, or could
        not be stamped. Counted from the walk, not from the end of the run: a file
        written again within one tick of a coarse clock after the run read it keeps its
        stamp, however long the run then took."""
        recent = self.since - RACY_S * 1e9
        return all(s is not None and s[0] < recent and s[1] < recent for s in self.stamps)

    def record(self, outputs: Sequence[tuple[str | None, str]], status: int) -> None:
        """Store the run: its outputs as cli.emit wrote them ((path, text); no path or -
        for stdout), its stderr lines and exit status. Best effort: a cache folder that
        cannot be written only means no replay."""
        if not self.settled():
            return
        entry = (self.key, self.walk, self.found, self.stamps, self.unlisted, self.others,
                 tuple((p, t) for p, t in outputs), tuple(self.said), int(status), self.heads)
        target = _path(self.folder, self.key)
        try:
            os.makedirs(os.path.dirname(target), exist_ok=True)
            writes.atomic_write(target, marshal.dumps(entry))
            _prune(os.path.dirname(target))
        except (OSError, DedupeError, ValueError):
            pass


def _declined(globs: tuple[Any, ...]) -> walk.Walk | None:
    """The walk of the replay declined just before, when it walked these paths with these
    globs (once: taken). Its stamps were taken before the run reads, as a record's must."""
    global DECLINED
    declined, DECLINED = DECLINED, None
    return declined[1] if declined is not None and declined[0] == globs else None


def _prune(folder: str) -> None:
    """Keep the MAX_KEPT entries used last (a replay touches its entry)."""
    entries = sorted(os.scandir(folder), key=lambda e: e.stat().st_mtime_ns, reverse=True)
    for entry in entries[MAX_KEPT:]:
        try:
            os.unlink(entry.path)
        except OSError:
            pass


def _valid(entry: Any, key: tuple[Any, ...]) -> bool:
    """True when the entry is this command's and nothing it came from has changed."""
    if not (isinstance(entry, tuple) and len(entry) == 10 and entry[0] == key):
        return False
    _, (given, include, exclude), found, stamps, unlisted, others, _, _, _, git = entry
    if any(_stamp_of(p) != s for p, s in others):
        return False
    global DECLINED
    try:
        now = walk.Walk(given, include, exclude)
    except DedupeError:
        return False
    DECLINED = ((given, include, exclude), now)
    return (tuple(now.found) == found and tuple(now.unlisted) == unlisted
            and tuple(map(now.stamps.get, now.found)) == stamps and heads(now.found) == git)


def attempt(argv: Sequence[str], environ: Mapping[str, str] | None = None,
            out: TextIO | None = None, err: TextIO | None = None) -> int | None:
    """Write again what the same check wrote last time, and return its exit status;
    None when there is nothing to replay (the command then runs as usual)."""
    environ = os.environ if environ is None else environ
    out, err = out or sys.stdout, err or sys.stderr
    if not argv or argv[0] != "check" or environ.get(OFF, "") not in ("", "0"):
        return None
    folder = cache_folder(argv[1:])
    if folder is None:
        return None
    key = _key(argv, environ, out, err)
    path = _path(folder, key)
    try:
        with open(path, "rb") as f:
            entry = marshal.loads(f.read())  # marshal.load(f) reads a file in small pieces: 20 ms, not 1
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if not _valid(entry, key):
        return None
    outputs, said, status = entry[6], entry[7], entry[8]
    written = [(p, t) for p, t in outputs if p and p != walk.STDIN_NAME]
    if not {p for p, _ in written} <= named_outputs(argv):
        return None
    if written:
        try:
            writes.write_outputs(written)
        except DedupeError:
            return None  # the usual run says why
    for line in said:
        err.write(escape.controls(line) + "\n")  # as cli.say wrote it (escaped again: an entry is a file)
    err.flush()
    try:
        for p, text in outputs:
            if not p or p == walk.STDIN_NAME:
                out.write(text)
        out.flush()
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), out.fileno())
        return 141  # as cli.Exit.BROKEN_PIPE
    try:
        os.utime(path)
    except OSError:
        pass
    return int(status)
