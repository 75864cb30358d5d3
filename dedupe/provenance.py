"""Provenance: where and when a place was published, and which of two places came first.

In: a document's source (its front matter or HTML head) and, for dates, the git history
of its file. Out: ``model.Provenance`` values, and findings whose cross-article and
archive occurrences say which place is older.

The date of a place is, in order: a date in the Markdown front matter (``date``,
``published``...) or the HTML meta (``article:published_time``, ``<time datetime>``...);
else the date of the first commit that added the text (``git log -S``, oldest first);
else unknown. The newer place is the one to fix. Front matter is read with a few
regular expressions (``key: value`` or ``key = "value"`` lines), not a YAML parser:
only flat scalar keys are wanted. Nothing here writes anything.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import datetime, timezone
from functools import lru_cache
from typing import Any

from dedupe import walk
from dedupe.model import ARCHIVED, Document, Finding, Occurrence, Provenance

ORDERED_KINDS = frozenset({"cross", "archive"})  # matches between places in different articles
MAX_GIT_LOOKUPS = 200  # git log -S runs per check: one per place without a date in its file ...
GIT_BUDGET_S = 2.0  # ... and the time they may take together; places left over have no date
HEAD_CHARS = 65_536  # an HTML head is read this far at most
_DATE_KEYS = ("date", "published", "publishdate", "pubdate", "published_at", "date_published")
_TITLE_KEYS = ("title",)
_URL_KEYS = ("url", "permalink", "canonical", "canonical_url", "canonicalurl")
_FRONT = re.compile(r"\A\ufeff?(---|\+\+\+)[ \t]*\r?\n(.*?)\r?\n(?:---|\.\.\.|\+\+\+)[ \t]*(?:\r?\n|\Z)", re.DOTALL)
_LINE = re.compile(r"^([A-Za-z_][\w-]*)[ \t]*[:=][ \t]*(.+?)[ \t]*$", re.MULTILINE)
_META_DATES = ("article:published_time", "datepublished", "date", "dc.date", "dc.date.issued", "pubdate",
               "publish-date", "og:published_time", "sailthru.date", "parsely-pub-date")


def _unquoted(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value


@lru_cache(maxsize=1)
def _head_parser() -> Any:
    """The class that reads an HTML page's head (html.parser is imported for HTML pages
    only: most checks have none, and a one-draft check is counted in tenths of a second)."""
    from html.parser import HTMLParser

    class Head(HTMLParser):
        """The metadata of an HTML page's head: meta names and properties, title, canonical link."""

        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.meta: dict[str, str] = {}
            self.title = ""
            self.canonical = ""
            self.time = ""
            self._in_title = False

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            a = {k.lower(): v or "" for k, v in attrs}
            if tag == "meta":
                name = (a.get("property") or a.get("name") or a.get("itemprop") or "").lower()
                if name and "content" in a:
                    self.meta.setdefault(name, a["content"])
            elif tag == "title":
                self._in_title = True
            elif tag == "link" and "canonical" in a.get("rel", "").lower().split():
                self.canonical = self.canonical or a.get("href", "")
            elif tag == "time" and a.get("datetime") and not self.time:
                self.time = a["datetime"]

        def handle_endtag(self, tag: str) -> None:
            if tag == "title":
                self._in_title = False

        def handle_data(self, data: str) -> None:
            if self._in_title:
                self.title += data

    return Head


def of_document(document: Document) -> Provenance:
    """What the file itself says: date, title and URL from front matter or HTML meta."""
    if document.format == "html":
        head = _head_parser()()
        head.feed(document.source[:HEAD_CHARS])
        date = next((head.meta[k] for k in _META_DATES if head.meta.get(k)), "") or head.time
        title = head.meta.get("og:title") or " ".join(head.title.split())
        url = head.canonical or head.meta.get("og:url", "")
        return Provenance(date or None, "html meta" if date else None, title or None, url or None)
    values = front_matter(document.source) if document.format == "markdown" else None
    if values is None:
        return Provenance()
    found = [next((values[k] for k in keys if values.get(k)), None) for keys in (_DATE_KEYS, _TITLE_KEYS, _URL_KEYS)]
    return Provenance(found[0], "front matter" if found[0] else None, found[1], found[2])


def front_matter(source: str) -> dict[str, str] | None:
    """The one-line fields of a page's front matter (YAML or TOML, keys in lower case,
    values unquoted); None when the page opens with none."""
    match = _FRONT.match(source)
    if match is None:
        return None
    return {k.lower(): _unquoted(v) for k, v in _LINE.findall(match.group(2))}


def parsed(date: str | None) -> datetime | None:
    """A date as found (ISO 8601 or RFC 2822), as an aware datetime; None when unreadable.
    A date without a time is its day's midnight UTC."""
    if not date:
        return None
    text = date.strip().replace("Z", "+00:00")
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        try:
            from email.utils import parsedate_to_datetime  # rare: most dates are ISO 8601

            value = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    return value if value.tzinfo else value.replace(tzinfo=timezone.utc)


def maybe_in_git(folder: str) -> bool:
    """False when no folder from ``folder`` up holds a ``.git`` (and git is not pointed
    elsewhere by GIT_DIR): then the folder is in no work tree, and git need not be run
    to say so (a process per folder, on every run)."""
    return bool(os.environ.get("GIT_DIR")) or walk.work_tree(folder) is not None


class GitDates:
    """Dates of the first commits that added texts to files, by ``git log -S``, cached,
    at most MAX_GIT_LOOKUPS runs. Files outside a git work tree have none.

    git's answer depends on the history behind HEAD alone, so answers are kept by HEAD's
    commit: ``remembered(head)`` gives those an earlier run stored (the cache's, see
    pipeline._git_dates), which cost no look-up; ``answers`` holds them with this run's,
    and ``learned`` names the heads that gained some."""

    def __init__(self, remembered: Callable[[str], dict[tuple[str, str], str | None]] | None = None) -> None:
        self.tops: dict[str, str | None] = {}  # folder -> git's top-level folder of its work tree
        self._trees: dict[str, str | None] = {}  # walk.work_tree's memo
        self._toplevels: dict[str, str | None] = {}  # folder git was asked from -> its answer
        self.heads: dict[str, str | None] = {}  # work tree -> HEAD's commit (None: no commit yet)
        self.found: dict[tuple[str, str], str | None] = {}
        self.answers: dict[str, dict[tuple[str, str], str | None]] = {}  # head -> (path in its tree, text) -> date
        self.learned: set[str] = set()
        self._remembered = remembered
        self.spent = 0.0  # seconds in git log -S
        self.skipped = 0  # places not looked up: over MAX_GIT_LOOKUPS or GIT_BUDGET_S
        self.added: dict[str, dict[str, str]] = {}  # work tree -> real path -> date its file was added
        self.runs = 0

    def _git(self, args: list[str], cwd: str) -> str | None:
        return walk.git(args, cwd)

    def top(self, folder: str) -> str | None:
        """git's top-level folder of the work tree ``folder`` is in. git is asked once a
        work tree (from the nearest folder up that holds a ``.git``, walk.work_tree),
        not once a folder: a docs site's hundreds of folders would each start a git
        process on every run. With GIT_DIR set, git is asked from the folder itself."""
        if folder not in self.tops:
            if not os.path.isdir(folder):
                self.tops[folder] = None
            elif os.environ.get("GIT_DIR"):
                self.tops[folder] = self._toplevel(folder)
            else:
                tree = walk.work_tree(folder, self._trees)
                self.tops[folder] = self._toplevel(tree) if tree is not None else None
        return self.tops[folder]

    def _toplevel(self, folder: str) -> str | None:
        if folder not in self._toplevels:
            out = self._git(["rev-parse", "--show-toplevel"], folder)
            self._toplevels[folder] = out.strip() or None if out else None
        return self._toplevels[folder]

    def head(self, top: str) -> str | None:
        if top not in self.heads:
            self.heads[top] = walk.head_commit(top, self._git)
        return self.heads[top]

    def first_added(self, path: str, text: str) -> str | None:
        """The committer date (ISO 8601) of the oldest commit whose change to ``path``
        added ``text``; None when the file is not in git or the text never committed."""
        if (path, text) in self.found:
            return self.found[(path, text)]
        date = None
        folder = os.path.dirname(os.path.abspath(path))
        top = self.top(folder)
        if top is not None and text.strip() and "\x00" not in text + path:  # no NUL in a command line
            name = os.path.relpath(os.path.abspath(path), top)
            head = self.head(top)
            known = self._known(head) if head is not None else None
            if known is not None and (name, text) in known:
                date = known[(name, text)]
            elif self.runs >= MAX_GIT_LOOKUPS or self.spent >= GIT_BUDGET_S:
                self.skipped += 1
                return None
            else:
                self.runs += 1
                t = time.perf_counter()
                out = self._git(["log", "--reverse", "--format=%cI", f"-S{text}", "--", name], top)
                self.spent += time.perf_counter() - t
                date = out.split("\n", 1)[0].strip() or None if out else None
                if known is not None and head is not None and out is not None:  # a failure is not an answer
                    known[(name, text)] = date
                    self.learned.add(head)
        self.found[(path, text)] = date
        return date

    def _known(self, head: str) -> dict[tuple[str, str], str | None]:
        if head not in self.answers:
            self.answers[head] = self._remembered(head) if self._remembered is not None else {}
        return self.answers[head]

    def files_added(self, paths: Sequence[str]) -> dict[str, str]:
        """Per file, the committer date of the commit that first added it (one git log
        per work tree): the archive's dates, where signing each text would be too slow."""
        by_top: dict[str, list[str]] = {}
        for p in paths:
            top = self.top(os.path.dirname(os.path.abspath(p)))
            if top is not None:
                by_top.setdefault(top, []).append(p)
        out: dict[str, str] = {}
        for top, members in by_top.items():
            if top not in self.added:
                self.added[top] = {}
                log = self._git(["log", "--reverse", "--diff-filter=A", "--format=%x00%cI", "--name-only",
                                 "--no-renames", "--"], top) or ""
                for entry in log.split("\0")[1:]:
                    date, _, names = entry.partition("\n")
                    for name in names.split("\n"):
                        if name.strip():
                            self.added[top].setdefault(os.path.realpath(os.path.join(top, name.strip())),
                                                       date.strip())
            added = self.added[top]
            for p in members:
                if os.path.realpath(p) in added:
                    out[p] = added[os.path.realpath(p)]
        return out


def with_dates(places: Sequence[Provenance | None]) -> list[Provenance]:
    """The places of one finding with ``first`` set. An unpublished draft is newer than
    any published place. When every date is known, the oldest place (strictly) is first
    and the others are not; with some unknown, a place newer than another known one is
    still not first, and the rest stay unknown, except that a single published place
    among unpublished drafts came first whatever its date."""
    provs = [p or Provenance() for p in places]
    latest = datetime.max.replace(tzinfo=timezone.utc)
    dates = [latest if p.source == "unpublished" else parsed(p.date) for p in provs]
    known = [d for d in dates if d is not None]
    published = [d for d in dates if d != latest]
    out = []
    for p, d in zip(provs, dates):
        if d == latest:
            first: bool | None = False if published else None
        elif d is not None and any(k < d for k in known):
            first = False
        elif (len(published) == 1 and len(dates) > 1  # the only published place among drafts
              or d is not None and None not in published and published.count(d) == 1):  # the oldest, strictly
            first = True
        else:
            first = None
        out.append(replace(p, first=first))
    return out


def ordered(findings: Iterable[Finding], documents: Sequence[Document], git: GitDates | None = None) -> list[Finding]:
    """Findings with a Provenance on every occurrence of the kinds that join different
    articles: the file's own date, else git's, else unknown (a draft checked against the
    archive is then unpublished); then which came first. Archived places keep the
    provenance the index stored."""
    git = git or GitDates()
    own: dict[int, Provenance] = {}
    out = []
    for f in findings:
        if f.kind not in ORDERED_KINDS:
            out.append(f)
            continue
        places: list[Provenance | None] = []
        for o in f.occurrences:
            if o.doc == ARCHIVED:
                places.append(o.provenance)
                continue
            if o.doc not in own:
                own[o.doc] = of_document(documents[o.doc])
            p = own[o.doc]
            if p.date is None:
                date = git.first_added(o.path, o.text)
                if date:
                    p = replace(p, date=date, source="git")
                elif f.kind == "archive":
                    p = replace(p, source="unpublished")
            places.append(p)
        occs = tuple(replace(o, provenance=p) for o, p in zip(f.occurrences, with_dates(places)))
        out.append(replace(f, occurrences=occs))
    return out


def newer(occurrences: Sequence[Occurrence]) -> list[Occurrence]:
    """The places known to be newer than another (the ones to fix)."""
    return [o for o in occurrences if o.provenance is not None and o.provenance.first is False]
