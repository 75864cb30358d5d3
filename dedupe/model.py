"""The data passed between pipeline stages.

Every stage takes and returns these frozen dataclasses; no stage imports another.
Positions are computed once, by the readers and the segmenter, and carried as data:
nothing downstream searches the source for a sentence (repeats would make that wrong).
"""

from __future__ import annotations

import bisect
import itertools
import marshal
import operator
import re
from abc import abstractmethod
from array import array
from collections.abc import Callable, Iterable, Iterator, MutableSequence, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, TypeVar, overload

from dedupe.errors import DedupeError, InternalError  # noqa: F401  (imported from here too)

if TYPE_CHECKING:
    import numpy as np

# Roles a unit can play. "line" is a plain-text line that stands alone (caption,
# headline, byline); "caption" is an explicit caption (figcaption, image alt/title).
Role = Literal["sentence", "line", "caption", "heading", "item", "cell", "quote", "title", "list"]
CAPTION_ROLES = frozenset({"line", "caption"})
# Roles that are shown but never compared: an HTML page's <title> restates its headline
# (often with " | Site name") by design, as Markdown front matter does, which is not read.
UNCHECKED_ROLES = frozenset({"title"})

Kind = Literal["repeat", "near", "caption", "cross", "boilerplate", "document", "archive", "echo"]
Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[str, ...] = ("error", "warning", "info")
OFF = "off"  # a severity in config that turns a kind off: its findings are not reported
# Every kind of finding with its default severity, in the order outputs list them: the
# one table of kinds (config validates against it, formats take their order from it).
DEFAULT_SEVERITY: dict[str, Severity] = {
    "repeat": "error",  # the same text twice in one article
    "caption": "error",  # a caption or standalone line repeated in one article
    "near": "error",  # a near variant in the same article
    "document": "error",  # whole articles that are near-copies
    "cross": "warning",  # text repeated in a few other articles
    "archive": "warning",  # text of a draft already in the published archive
    "echo": "warning",  # a distinctive phrase or fact restated in one article
    "boilerplate": "info",  # text spread over many articles, repeated in none
}
KINDS: tuple[str, ...] = tuple(DEFAULT_SEVERITY)

# Which exact similarity an occurrence's score is (see Occurrence): Jaccard of word
# shingles, Jaccard of content-word sets, the share of a passage matched, a shared
# word run's share of its sentence, the share of a sentence's words another has in the
# same order (an edited copy, phrases.py), or the Jaccard of two whole articles' shingles.
Measure = Literal["shingles", "words", "passage", "run", "order", "document"]

ALLOW_REGEX_PREFIX = "re:"  # an allow-list entry that is a regular expression, not a sentence
_LINE_BREAK = re.compile(r"\r\n?|\n")


@dataclass(frozen=True, slots=True)
class Span:
    """Where a piece of text sits in its decoded source; every output format points here.

    Columns count characters (code points), 1-based; ``end_column`` is exclusive,
    as SARIF's ``endColumn``. ``offset``/``length`` are 0-based character offsets.
    """

    offset: int
    length: int
    line: int
    column: int
    end_line: int
    end_column: int


class LineIndex:
    """Offset -> (line, column) by bisect over line starts, built once per document."""

    __slots__ = ("starts",)

    def __init__(self, source: str) -> None:
        starts = [0]
        if "\r" in source:  # CRLF, and a lone CR (classic Mac), as editors and markdown-it count lines
            starts.extend(m.end() for m in _LINE_BREAK.finditer(source))
        else:
            pos = source.find("\n")
            while pos != -1:
                starts.append(pos + 1)
                pos = source.find("\n", pos + 1)
        self.starts = starts

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based line and column of the character at ``offset``."""
        i = bisect.bisect_right(self.starts, offset) - 1
        return i + 1, offset - self.starts[i] + 1

    def span(self, start: int, end: int) -> Span:
        """The Span covering source[start:end] (end exclusive)."""
        return Span(*self.bounds(start, end))

    def bounds(self, start: int, end: int) -> tuple[int, int, int, int, int, int]:
        """The fields of ``span(start, end)``, without making a Span (a unit row holds them):
        ``line_col`` of ``start`` and of ``end - 1`` (one column on), inline (once a unit)."""
        starts = self.starts
        i = bisect.bisect_right(starts, start) - 1
        line, col = i + 1, start - starts[i] + 1
        if end <= start:
            return (start, end - start, line, col, line, col)
        j = bisect.bisect_right(starts, end - 1, i) - 1
        return (start, end - start, line, col, j + 1, end - starts[j] + 1)


@dataclass(frozen=True, slots=True)
class Block:
    """A run of text a reader found: a paragraph, heading, list item, caption...

    ``text`` is the visible text with markup removed. ``pieces`` maps it back to the
    source: each ``(text_start, source_start, length)`` says that
    ``text[text_start:text_start+length]`` came from
    ``source[source_start:source_start+length]`` character for character. Text between
    pieces (a space standing for a tag, a decoded entity) has no exact source and maps
    to the nearest piece. Pieces are sorted by ``text_start``.
    ``role`` is the unit role for the whole block, or "sentence" when the segmenter
    should split it into sentences (and standalone lines, for plain text).
    ``lines`` is True when line breaks inside the block are meaningful (plain text).
    """

    role: Role
    text: str
    pieces: tuple[tuple[int, int, int], ...]
    lines: bool = False
    suppressed: bool = False

    def source_offset(self, text_offset: int, *, end: bool = False) -> int:
        """Source offset of text[text_offset]; with ``end``, the source offset just after
        text[text_offset - 1], so that text[a:b] maps to source[start(a):end(b)]."""
        pieces = self.pieces
        if not pieces:
            return 0
        probe = text_offset - 1 if end else text_offset
        # the last piece starting at or before probe (tuples compare in C: no key function)
        i = max(bisect.bisect_right(pieces, (probe, _AFTER_ANY, _AFTER_ANY)) - 1, 0)
        t0, s0, n = pieces[i]
        if t0 <= probe < t0 + n:
            return s0 + probe - t0 + (1 if end else 0)
        if probe < t0:  # before the first piece
            return s0
        # In a gap after piece i (a decoded entity, a collapsed space): a start stays on
        # the gap's anchor; an end runs to where the next piece begins in the source.
        if end:
            return pieces[i + 1][1] if i + 1 < len(pieces) else s0 + max(n, 1)
        return s0 + n - 1 if n else s0


@dataclass(frozen=True, slots=True)
class Document:
    """One article as a reader saw it."""

    path: str
    source: str
    format: str
    blocks: Sequence[Block]  # a tuple, or a BlockList for a document from a worker or the cache
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Unit:
    """A sentence, standalone line, caption, heading... the thing that is compared."""

    doc: int  # index into Result.documents
    index: int  # position of the unit within its document
    role: Role
    text: str  # visible text (markup removed)
    span: Span
    block: int  # index of the block it came from
    suppressed: bool = False
    text_start: int = 0  # where ``text`` starts in its block's text


_AFTER_ANY = float("inf")  # sorts after any source offset or length
T = TypeVar("T")
Rows = Sequence[tuple] | bytes  # type: ignore[type-arg]  # rows of plain values, or marshal-ed


class LazyRows(Sequence[T]):
    """A sequence built from plain rows on first access.

    Documents that come back from a worker process or the cache arrive as rows of
    plain values; most of their units and blocks are never looked at (only those in
    findings, or in articles an HTML report shows), so each item is made when first
    asked for. The rows may also arrive still ``marshal``-ed (``bytes``, with their
    count), or be pending (a function that fetches them, with their count): a warm
    cached run then fetches and unpacks rows only when something asks for them.

    Packed rows leave out a text that is a slice of the document's ``source`` (None in
    its place: ``thin``), cut from the source again when a unit, a block or a text is
    asked for: most texts are slices, and were kept twice over (BBC: 5.9 KB of packed
    rows an article, 1.3 KB without them).
    """

    __slots__ = ("_built", "_n", "_rows", "_source")
    TEXT = 0  # where a row holds its text

    def __init__(self, rows: Rows | Callable[[], Rows], n: int | None = None, source: str | None = None) -> None:
        if n is None:
            if isinstance(rows, bytes) or callable(rows):
                raise ValueError("packed or pending rows need their count")
            n = len(rows)
        self._rows = rows
        self._n = n
        self._built: list[T | None] | None = None
        self._source = source  # the document's text, which packed rows' missing texts are slices of

    @abstractmethod
    def _make(self, row: tuple) -> T:  # type: ignore[type-arg]
        """The item a row stands for."""

    def __len__(self) -> int:
        return self._n

    @overload
    def __getitem__(self, i: int) -> T: ...

    @overload
    def __getitem__(self, i: slice) -> list[T]: ...

    def __getitem__(self, i: int | slice) -> T | list[T]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        built = self._built if self._built is not None else self._load()
        item = built[i]
        if item is None:
            item = built[i] = self._make(self._row(i))
        return item

    def _load(self) -> list[T | None]:
        """Fetch and unpack the rows (once), their texts still left out (``thin``)."""
        if callable(self._rows):
            self._rows = self._rows()
        if isinstance(self._rows, bytes):
            self._rows = self._thin_rows(self._rows)
        self._built = [None] * self._n
        return self._built

    def _thin_rows(self, packed: bytes) -> list[tuple]:  # type: ignore[type-arg]
        """Packed rows unmarshalled, their texts still left out (``thin``)."""
        rows: list[tuple] = marshal.loads(packed)  # type: ignore[type-arg]
        if self._source is None and any(r[self.TEXT] is None for r in rows):
            raise ValueError("packed rows without their texts need the document's source")
        return rows

    def _filled(self, r: tuple) -> tuple:  # type: ignore[type-arg]
        """A row with its text put back, if ``thin`` left it out."""
        t = self.TEXT
        if r[t] is not None:
            return r
        start, length = self._where(r)  # type: ignore[misc]  # thin left out only texts it could place
        return r[:t] + (self._source[start : start + length],) + r[t + 1 :]  # type: ignore[index]

    def _row(self, i: int) -> tuple:  # type: ignore[type-arg]
        """Row ``i`` (the rows unpacked), its text put back."""
        return self._filled(self._rows[i])  # type: ignore[index,arg-type]  # unpacked by _load

    @classmethod
    def _where(cls, row: tuple) -> tuple[int, int] | None:  # type: ignore[type-arg]
        """Where in the source (start, length) the row's text would be, if the row says
        (None: it does not)."""
        return None

    @classmethod
    def thin(cls, rows: Iterable[tuple], source: str) -> list[tuple]:  # type: ignore[type-arg]
        """The rows to pack: each text that is its slice of ``source`` left out (None)."""
        t, where = cls.TEXT, cls._where
        out = []
        for r in rows:
            w = where(r)  # compared in place (startswith), no slice made; a text left out already stays so
            out.append(r[:t] + (None,) + r[t + 1 :] if w is not None and r[t] is not None and w[1] == len(r[t])
                       and source.startswith(r[t], w[0]) else r)
        return out

    def rows(self) -> Rows | Callable[[], Rows]:
        """The rows as given (still packed or pending when nothing was asked for yet)."""
        return self._rows

    def unpacked(self) -> Sequence[tuple]:  # type: ignore[type-arg]
        """The rows as plain tuples, fetched and unpacked if need be, no item made; a
        text ``thin`` left out is None (``_row`` puts it back)."""
        if self._built is None:
            self._load()
        return self._rows  # type: ignore[return-value]

    def passing_rows(self, texts: bool = True) -> Sequence[tuple]:  # type: ignore[type-arg]
        """The rows as plain tuples for one pass over them: rows still marshal-ed stay
        so (unpacked here, not kept), where ``unpacked`` would keep every article's
        rows as tuples, several times their packed size, for units few are asked for.
        Without ``texts``, a text ``thin`` left out stays None: a pass that reads no text
        (the exact-repeat index) does not cut them out of the source (40-50 ms a pass
        over BBC's units)."""
        rows = (self._thin_rows(self._rows) if self._built is None and isinstance(self._rows, bytes)
                else self.unpacked())
        return list(map(self._filled, rows)) if texts and self._source is not None else rows

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and len(self) == len(other) and all(a == b for a, b in zip(self, other))

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"{type(self).__name__}({list(self)!r})"


class UnitList(LazyRows[Unit]):
    """A document's units. A row is ``(index, role, text, offset, length, line, column,
    end_line, end_column, block, suppressed, text_start)``."""

    __slots__ = ("_doc",)
    TEXT = 2

    def __init__(self, doc: int, rows: Rows | Callable[[], Rows], n: int | None = None,
                 source: str | None = None) -> None:
        super().__init__(rows, n, source)
        self._doc = doc

    @classmethod
    def _where(cls, row: tuple) -> tuple[int, int]:  # type: ignore[type-arg]
        return row[3], row[4]  # its span's offset and length

    def _make(self, r: tuple) -> Unit:  # type: ignore[type-arg]
        return Unit(self._doc, r[0], r[1], r[2], Span(*r[3:9]), r[9], r[10], r[11])

    def text(self, i: int) -> str:
        """Unit ``i``'s text, without making the unit: phrases.py reads the text of
        ~20,000 units to look for quotations, and making each Unit costs more."""
        if self._built is None:
            self._load()
        return self._row(i)[2]  # type: ignore[no-any-return]

    def roles(self) -> list[Role]:
        """Every unit's role, in order, without making the units (group.py reads a
        page's roles to find its sections)."""
        return [r[1] for r in self.unpacked()]


class BlockList(LazyRows[Block]):
    """A document's blocks. A row is ``(role, text, pieces, lines, suppressed)``."""

    __slots__ = ()
    TEXT = 1

    @classmethod
    def _where(cls, row: tuple) -> tuple[int, int] | None:  # type: ignore[type-arg]
        pieces = row[2]  # one piece from the text's start: a plain-text paragraph
        if len(pieces) != 1 or pieces[0][0] != 0:
            return None
        return pieces[0][1], pieces[0][2]

    def _make(self, r: tuple) -> Block:  # type: ignore[type-arg]
        return Block(*r)


CHECKED_ARRAYS = ("doc", "unit", "pos", "key", "spans", "block")  # Checked's numbers (Checked.compact)


class KeyIds(Sequence["array[int]"]):
    """The checked ids of each exact-repeat key, in order: key k's are
    ``ids[starts[k]:starts[k + 1]]`` (an array, indexed and added like a list). Two
    arrays where a list of lists held a list and its int objects a key: 41 MB at eight
    times BBC, 6 MB this way (tracemalloc)."""

    __slots__ = ("ids", "starts")

    def __init__(self, ids: array[int] | None = None, starts: array[int] | None = None) -> None:
        self.ids = ids if ids is not None else array("q")
        self.starts = starts if starts is not None else array("q", [0])

    @classmethod
    def of(cls, key: Sequence[int], keys: int) -> KeyIds:
        """Each key's ids, from the key id of every checked id (``keys`` keys in all)."""
        import numpy as np

        of_id = np.asarray(key, dtype=np.int64)  # an array('q') is read in place
        starts = np.zeros(keys + 1, dtype=np.int64)
        np.cumsum(np.bincount(of_id, minlength=keys), out=starts[1:])
        return cls(array("q", np.argsort(of_id, kind="stable").tobytes()), array("q", starts.tobytes()))

    def __len__(self) -> int:
        return len(self.starts) - 1

    def first(self, k: int) -> int:
        """Key ``k``'s first checked id (without a slice made)."""
        return self.ids[self.starts[k]]

    def size(self, k: int) -> int:
        """How many checked ids key ``k`` has."""
        return self.starts[k + 1] - self.starts[k]

    def firsts(self) -> np.ndarray:
        """Every key's first checked id (int64), in one step."""
        import numpy as np

        return np.asarray(self.ids, dtype=np.int64)[np.asarray(self.starts, dtype=np.int64)[:-1]]

    @overload
    def __getitem__(self, k: int) -> array[int]: ...

    @overload
    def __getitem__(self, k: slice) -> list[array[int]]: ...

    def __getitem__(self, k: int | slice) -> array[int] | list[array[int]]:
        starts = self.starts
        if type(k) is int and 0 <= k < len(starts) - 1:  # the way grouping asks, kept short
            return self.ids[starts[k] : starts[k + 1]]
        if isinstance(k, slice):
            return [self[j] for j in range(*k.indices(len(self)))]
        k = operator.index(k)
        if not -len(self) <= k < len(self):
            raise IndexError("key id out of range")
        return self[k % len(self)]

    def __iter__(self) -> Iterator[array[int]]:
        ids, starts = self.ids, self.starts
        return (ids[a:b] for a, b in zip(starts, itertools.islice(starts, 1, None)))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, KeyIds) and self.ids == other.ids and self.starts == other.starts

    __hash__ = None  # type: ignore[assignment]


@dataclass(slots=True)
class Checked:
    """The units that take part in comparison, as parallel lists indexed by checked id,
    with what grouping reads of each unit (role, suppression, span): grouping works from
    this index alone, so a warm cached run does not unpack the units of every article.

    The numbers are appended to lists, then kept in arrays of 64-bit ints (``compact``:
    indexed like lists, read by numpy without a copy): a list holds a pointer and, past
    256, an int object (32 bytes) a number. At eight times BBC the index held 114 MB in
    lists, 45 MB with arrays and KeyIds (tracemalloc)."""

    doc: MutableSequence[int] = field(default_factory=list)
    unit: MutableSequence[int] = field(default_factory=list)  # index of the Unit within its document
    pos: MutableSequence[int] = field(default_factory=list)  # position among the document's checked units
    key: MutableSequence[int] = field(default_factory=list)  # exact-repeat key id
    keys: list[str] = field(default_factory=list)  # key id -> normalised text
    by_key: KeyIds = field(default_factory=KeyIds)  # key id -> checked ids
    first: dict[int, int] = field(default_factory=dict)  # document -> its first checked id
    count: dict[int, int] = field(default_factory=dict)  # document -> its number of checked units
    role: list[Role] = field(default_factory=list)  # the unit's role
    suppressed: list[bool] = field(default_factory=list)  # the unit is suppressed by a directive
    spans: MutableSequence[int] = field(default_factory=list)  # the unit's Span, six numbers per checked id
    block: MutableSequence[int] = field(default_factory=list)  # the block (paragraph) the unit is in

    def at(self, doc: int, pos: int) -> int | None:
        """The checked id at a position of a document, if there is one."""
        return self.first[doc] + pos if 0 <= pos < self.count.get(doc, 0) else None

    def span(self, i: int) -> Span:
        return Span(*self.spans[6 * i : 6 * i + 6])

    def add(self, doc: int, rows: Sequence[tuple], keys: list[int]) -> None:  # type: ignore[type-arg]
        """Append a document's checked units, as UnitList rows in order, with their key ids
        (their texts are not read: they may be None, unit_rows without texts)."""
        self.first[doc], self.count[doc] = len(self.doc), len(rows)
        self.doc.extend([doc] * len(rows))
        self.pos.extend(range(len(rows)))
        self.key.extend(keys)
        for r in rows:  # appending to lists: extending an array converts a number at a time, slower
            self.unit.append(r[0])
            self.role.append(r[1])
            self.suppressed.append(r[10])
            self.spans.extend(r[3:9])
            self.block.append(r[9])

    def compact(self) -> None:
        """The numbers moved from lists into arrays, once every document is added."""
        for f in CHECKED_ARRAYS:
            setattr(self, f, array("q", getattr(self, f)))


@dataclass(frozen=True, slots=True)
class Prepared:
    """One document after the per-document stages (prepare.py): its units and, per unit,
    the exact-repeat key and word hashes the comparison needs. A document loaded from
    the cache carries no words (``keys`` None) until a comparison asks for them."""

    document: Document
    doc: int  # the document index its units carry
    units: Sequence[Unit]
    keys: tuple[str, ...] | None = None  # per unit; "" for units too short to check
    word_counts: np.ndarray | None = None  # per unit: words hashed for it (0 for unchecked units)
    # uint64: the words of the checked units, one after another (once compared, a read-only
    # view of the run's joined words: pipeline._words_held_once)
    word_hashes: np.ndarray | None = None


# A Prepared as plain values, for worker processes and the cache (marshal and pickle
# both handle them at C speed), in three parts the cache stores and reads apart:
#   head  (format, warnings, number of blocks, number of units): small, always read
#   rows  (blocks, units) as marshal-ed rows, unpacked by LazyRows on first access
#   words (keys, word counts, word hashes): read only when a comparison is made
PART_NAMES = ("head", "rows", "words")
Packed = dict  # part name -> tuple


def head(p: Prepared) -> tuple:  # type: ignore[type-arg]
    """A Prepared's head part: (format, warnings, number of blocks, number of units)."""
    d = p.document
    return (d.format, d.warnings, len(d.blocks), len(p.units))


def pack(p: Prepared) -> Packed:
    d = p.document
    return {"head": head(p),
            "rows": (_packed_rows(d.blocks, BlockList, _block_row, d.source),
                     _packed_rows(p.units, UnitList, _unit_row, d.source)),
            "words": (p.keys, p.word_counts, p.word_hashes)}


def packed_shape_ok(part: str, payload: tuple) -> bool:  # type: ignore[type-arg]
    """True when a payload read back (from the cache) has the shape ``pack`` gives that part."""
    if part == "head":
        return (len(payload) == 4 and payload[0] in ("text", "markdown", "html") and isinstance(payload[1], tuple)
                and all(isinstance(w, str) for w in payload[1])
                and all(isinstance(n, int) and n >= 0 for n in payload[2:]))
    if part == "rows":
        return len(payload) == 2 and all(isinstance(r, bytes) for r in payload)
    return (len(payload) == 3 and isinstance(payload[0], tuple) and all(isinstance(k, str) for k in payload[0])
            and all(hasattr(a, "__array_interface__") and len(a.shape) == 1 for a in payload[1:])
            and len(payload[1]) == len(payload[0]))


def unpack(path: str, source: str, head: tuple, rows: tuple | Callable[[], tuple],  # type: ignore[type-arg]
           words: tuple | None, doc: int) -> Prepared:  # type: ignore[type-arg]
    """The Prepared that was packed, its units numbered as document ``doc``. ``rows`` may
    be a function that fetches them, called when a block or unit is first asked for."""
    fmt, warnings, n_blocks, n_units = head
    blocks = (lambda: rows()[0]) if callable(rows) else rows[0]
    units = (lambda: rows()[1]) if callable(rows) else rows[1]
    document = Document(path, source, fmt, BlockList(blocks, n_blocks, source), warnings)
    return Prepared(document, doc, UnitList(doc, units, n_units, source), *(words or ()))


def _packed_rows(items: Sequence, kind: type[LazyRows], row: Callable[[Any], tuple],  # type: ignore[type-arg]
                 source: str) -> bytes:
    if isinstance(items, LazyRows):
        if isinstance(items.rows(), bytes):
            return items.rows()  # type: ignore[return-value]  # never unpacked: pass it on as it came
        return marshal.dumps(kind.thin(items.unpacked(), source))  # rows already: no item made
    return marshal.dumps(kind.thin(map(row, items), source))


def _block_row(b: Block) -> tuple:  # type: ignore[type-arg]
    return (b.role, b.text, b.pieces, b.lines, b.suppressed)


def unit_rows(units: Sequence[Unit], texts: bool = True) -> Sequence[tuple]:  # type: ignore[type-arg]
    """A document's units as UnitList rows, for one pass (without making Units of rows
    not yet made, nor keeping packed rows unpacked: LazyRows.passing_rows; without
    ``texts``, a text may be None)."""
    return units.passing_rows(texts) if isinstance(units, UnitList) else [_unit_row(u) for u in units]


def _unit_row(u: Unit) -> tuple:  # type: ignore[type-arg]
    s = u.span
    return (u.index, u.role, u.text, s.offset, s.length, s.line, s.column, s.end_line, s.end_column, u.block,
            u.suppressed, u.text_start)


# A run of words two checked units share (runs.py -> phrases.py): checked ids a < b, the
# run's first word in each, its length in words, what it may be inside one article
# (RUN_PHRASE, RUN_NUMBER bits), and per word of the run (first word, lowest bit) a bit
# for each content word and for each number that heads a rare two-word part.
RunRow = tuple[int, int, int, int, int, int, int, int]
EditedPair = tuple[int, int, float]  # two checked ids that are edited copies, and their share in order (phrases.py)
RUN_PHRASE, RUN_NUMBER = 1, 2


@dataclass(frozen=True, slots=True)
class RunCandidates:
    """The runs the comparison found: ``shared`` runs of ``min_run`` words or more, and
    shorter ``echoes`` inside one article. Plain rows, cached with the comparison."""

    shared: list[RunRow]
    echoes: list[RunRow]


# Occurrence.doc of a place in the archive index (dedupe check --against): it was not
# read in this run, so it has no Document in Result.documents and no Units.
ARCHIVED = -1

DateSource = Literal["front matter", "html meta", "git", "unpublished"]


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where and when a place was published, for the question "which came first?".

    ``date`` is ISO 8601 as found; ``source`` says where: the front matter, the HTML
    meta, the first git commit that added the text, or "unpublished" for a draft checked
    against the archive that has no date yet. ``first`` compares the places of one
    finding: True for the oldest, False for a newer place (the one to fix), None when
    the dates do not tell.
    """

    date: str | None = None
    source: DateSource | None = None
    title: str | None = None
    url: str | None = None
    first: bool | None = None


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One place a finding occurs; ``text`` is exactly source[offset:offset+length].

    ``similarity`` is this place's exact similarity to the finding's representative
    occurrence (1.0 for the representative and its exact copies), on ``measure``.
    Occurrences with the same ``variant`` have the same normalised text; variant 0 is
    the representative's. ``context`` is the span of the sentence a phrase sits in,
    when the occurrence is a phrase inside a longer sentence (a shared run, an echo).
    """

    path: str
    span: Span
    text: str
    doc: int  # index into Result.documents; ARCHIVED for a place in the archive index
    units: tuple[int, ...]  # unit indexes (within the document) the occurrence covers
    role: Role = "sentence"
    similarity: float = 1.0
    measure: Measure = "shingles"
    variant: int = 0
    context: Span | None = None
    provenance: Provenance | None = None  # cross-article and archive matches: when and where published


@dataclass(frozen=True, slots=True)
class Finding:
    """One repeated text and every place it occurs, in every article.

    Each occurrence carries its own exact similarity to the representative occurrence
    (``occurrences[representative]``) and the measure it is on; the finding's
    ``similarity`` and ``measure`` are those of its lowest occurrence. Similarities are
    exact, never MinHash estimates: "shingles", the Jaccard of word-shingle sets (1.0
    for exact repeats after normalisation); "words", of content-word sets, for a variant
    that reached only ``word_threshold`` (words replaced, moved, clauses swapped), and
    weaker than any shingle score; "passage", the share of a passage matched; "run",
    a shared run's share of its sentence; "order", the share of the longer sentence's
    words another has in the same order (an edited copy below both Jaccard
    thresholds); "document", the Jaccard of two whole articles' shingles.
    """

    kind: Kind
    severity: Severity
    similarity: float
    occurrences: tuple[Occurrence, ...]
    fingerprint: str
    suppressed: bool = False
    measure: Measure = "shingles"
    representative: int = 0  # index of the representative occurrence
    run_words: int = 0  # a shared run's or an echo's length in words (0 for whole units)


@dataclass(frozen=True, slots=True)
class Settings:
    """Every knob the pipeline reads; built and validated by config.py. The detection
    defaults come from bench/quality.py on the BBC and tldr-pages corpora (docs/tuning.md)."""

    threshold: float = 0.5  # word-shingle Jaccard a near pair reaches ...
    word_threshold: float = 0.6  # ... or content-word set Jaccard (0 turns this signal off)
    shingle: int = 2  # words per shingle
    num_perm: int = 128
    seed: int = 1
    min_words: int = 3  # shorter units are not checked (a three-word caption is)
    boilerplate_min: int = 10  # articles a line is in to be boilerplate (a quarter of a small collection)
    document_threshold: float = 0.7
    # Shared runs and echoes (runs.py): a quote or clause of ``min_run`` words or more
    # reused inside a longer sentence, unless found in more than ``run_max_articles``
    # articles (a stock phrase); an echo's plain phrase has ``echo_min_words`` words or
    # more, and its rarest three-word part is in at most ``echo_max_articles`` articles.
    min_run: int = 8
    run_max_articles: int = 5
    echo_min_words: int = 5
    echo_max_articles: int = 1
    # Phrase-level checks (shared runs and echoes) at all: false keeps to whole
    # sentences, as before they existed (what bench/phrases_cost.py compares against).
    phrases: bool = True
    scope: Literal["article", "repo"] = "repo"
    include: tuple[str, ...] = ("*.txt", "*.md", "*.markdown", "*.mdx", "*.html", "*.htm")
    exclude: tuple[str, ...] = ()
    max_file_bytes: int = 10 * 1024 * 1024
    jobs: int = 0  # 0 = choose from input size and CPU count
    max_memory: int = 0  # bytes the run's processes may hold together; 0 = a share of what is free (memory.py)
    fail_on: Severity = "error"
    # Intentional repeats: exact sentences (compared after normalisation) and, written
    # "re:PATTERN", regular expressions searched in a unit's text. See group.py.
    allow: tuple[str, ...] = ()
    # Per-file cache on disk (cache.py). Off for the API; config.load turns it on for the CLI.
    cache: bool = False
    cache_dir: str = ".dedupe-cache"
    # The archive index (dedupe index ..., check --against): a folder, or redis://host:port/db.
    index: str = ".dedupe-index"
    severity: dict[str, str] = field(default_factory=lambda: dict(DEFAULT_SEVERITY))


@dataclass(frozen=True, slots=True)
class Result:
    """What a check returns: findings sorted by path and offset, plus what was read."""

    findings: tuple[Finding, ...]
    documents: tuple[Document, ...]
    units: tuple[Sequence[Unit], ...]  # per document
    settings: Settings
    warnings: tuple[str, ...] = ()
    timings: dict[str, float] = field(default_factory=dict)
    # the number of articles that made text boilerplate in this run: boilerplate_min, or a
    # quarter of a smaller collection (0 when comparing within articles only)
    boilerplate_articles: int = 0
    # Those of ``warnings`` about how this run went (its memory budget, the cache), not
    # about the files: the same run replayed (replay.py) would repeat them untrue.
    run_warnings: tuple[str, ...] = ()

    @property
    def unit_count(self) -> int:
        return sum(len(u) for u in self.units)

    def counts(self) -> dict[str, int]:
        """Unsuppressed findings per kind, every kind present."""
        out = {k: 0 for k in KINDS}
        for f in self.findings:
            if not f.suppressed:
                out[f.kind] += 1
        return out

    @property
    def suppressed_count(self) -> int:
        return sum(1 for f in self.findings if f.suppressed)

    def failing(self) -> list[Finding]:
        """Unsuppressed findings at or above the fail level."""
        limit = SEVERITIES.index(self.settings.fail_on)
        return [f for f in self.findings if not f.suppressed and SEVERITIES.index(f.severity) <= limit]
