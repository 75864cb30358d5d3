"""Segmentation: Document -> Units (sentences, standalone lines, captions, headings).

Blocks come from the reader. A block whose role is not "sentence" (heading, caption,
table cell) is one unit. A prose block is split into sentences with Punkt (punkt.py:
nltk's algorithm and parameters, nltk's spans, without nltk's run-time cost); a
unit of it that enumerates names (a team sheet, a fixture list: ``is_list``) is a
"list" unit, which grouping reports only when repeated exactly in one article, and so
are three or more lines in a row that differ only in their last word (a menu of share
buttons: ``_menus``).
In plain text, line breaks matter: a line with no sentence-final punctuation (a photo
caption, headline, byline, "Recommended News") is its own unit and never glued to the
next sentence, unless the paragraph is hard-wrapped and the line plainly continues.

Punkt must work offline: nltk's trained English data cannot be downloaded here, so we
ship English parameters (an abbreviation list) and use the installed punkt_tab data as
well when it is present.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from dedupe import punkt
from dedupe.model import Block, Document, LineIndex, Unit

# Abbreviations Punkt must not end a sentence after (lower case, without the final
# period). Kept to tokens that are rarely a sentence's last word: "no" and "us" are
# left out on purpose ("He said no." ends a sentence far more often than "No. 5").
ABBREVIATIONS = frozenset(
    ["mr", "mrs", "ms", "dr", "prof", "rev", "hon", "sr", "jr", "st", "mt", "ft", "messrs", "mme", "mlle", "gen", "col", "lt", "maj", "capt", "cmdr", "sgt", "cpl", "adm", "brig", "gov", "sen", "rep", "pres", "supt", "insp", "det", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun", "inc", "ltd", "corp", "co", "plc", "llc", "bros", "dept", "univ", "assn", "est", "approx", "vs", "etc", "al", "cf", "ca", "viz", "e.g", "i.e", "a.m", "p.m", "u.s", "u.k", "u.n", "u.s.a", "e.u", "d.c", "n.y", "l.a", "fig", "figs", "vol", "vols", "ed", "eds", "pp", "ch", "sec", "art", "para", "nos", "ref", "repr", "ave", "blvd", "rd", "hwy"]
)
SENTENCE_END = re.compile(r"[.!?…。！？][\"'”’»)\]]*$")
MAYBE_BREAK = re.compile(r"[.!?。！？]")  # sentence ends: Punkt's, and CJK ones (_cjk_split)
PUNKT_BREAK = re.compile(r"[.!?]")  # Punkt only ever ends a sentence at one of these
CJK_END = re.compile(r"[。！？][」』”’）)]*")
# A photo credit or agency line at the end of a caption: the caption stays one unit.
CREDIT = re.compile(r"\((?:photo|picture|image|pic|credit|source)s?\b|\b(?:image|photo|picture)\s+(?:copyright|caption|credit)"
                    r"|copyright|©|\b(?:getty(?: images)?|reuters|afp|ap photo|pa wire|pa media|epa)\b", re.IGNORECASE)
PROSE_TAIL_WORDS = 4  # a line's last piece has this many words to be a sentence, not a credit or a tag
CJK_CHAR = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
CJK_CHARS_PER_WORD = 2  # unspaced scripts: about two characters a word
CONTINUES = re.compile(r"[,;:\-–—(/&]$")
LIST_MARKER = re.compile(r"[ \t]*(?:[-*•+]|\(?\d{1,3}[.)]|\(?[a-zA-Z][.)])[ \t]+")
_WORD = re.compile(r"\w+")
MARKUP_OPENERS = frozenset("`[*_~")  # Markdown marks that may open right before a unit's first word
MARKUP_CLOSING = re.compile(r"(?:[`*_~]+|\]\([^()\s]*(?:\s+\"[^\"]*\")?\)|\])+")
PROSE_ROLES = frozenset({"sentence", "item"})  # blocks split into sentences (a list item may hold several)
MAX_WRAP_COLUMNS = 100
WRAPPED_SHARE = 2 / 3

# A list unit: a team sheet, a fixture list, a line of names ("Replacements: Grey,
# Quinn, Mbeki, Lawless."). Its items are split on semicolons, on commas that are
# not inside a number (10,000), and on " v " between two sides; a short label ending
# in a colon ("Subs not used:", or a bare ":") is left out first.
LIST_SEPARATOR = re.compile(r";|,(?!\d)|\s(?:v|vs)\.?\s")
LIST_LABEL = re.compile(r"\s*(?:[^\s:,;.]+\s+){0,2}[^\s:,;.]*:\s+")  # matched at the start only
LIST_PARENTHESIS = re.compile(r"\([^()]*\)?")  # left out: "(capt)", "(Ambrose 80)", "(Toulouse, capt)"
LIST_TOKEN = re.compile(r"[^\W_][\w'’.-]*")
MIN_LIST_ITEMS = 4
MAX_ITEM_WORDS = 4  # "J van der Berg", "Republic of Ireland"
SHORT_ITEM_SHARE = 0.9  # of the items; one long item in ten is a missing comma ("J Smit (Bath) T Brown")
CAPITALISED_SHARE = 0.75  # of the words outside parentheses: names, numbers
MENU_MIN_LINES = 3  # standalone lines in a row, equal but for their last word: a menu
MENU_MIN_WORDS, MENU_MAX_WORDS = 3, 6


@lru_cache(maxsize=1)
def tokenizer() -> punkt.SentenceSplitter:
    """Punkt with nltk's installed English model if present, else shipped parameters
    (our abbreviations are added to either)."""
    params = punkt.installed_parameters("english") or punkt.Parameters()
    return punkt.SentenceSplitter(params.with_abbreviations(ABBREVIATIONS))


def _ends_with_abbreviation(line: str) -> bool:
    """True when a line's final period belongs to an abbreviation ("the U.S." wrapped)."""
    last = line.rsplit(None, 1)[-1].lower().rstrip(".")
    return last in ABBREVIATIONS


def _line_bounds(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-empty line of a block, whitespace trimmed."""
    out = []
    pos = 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped:
            lead = len(line) - len(line.lstrip())
            out.append((pos + lead, pos + lead + len(stripped)))
        pos += len(line) + 1
    return out


def _runs(text: str) -> list[tuple[int, int, bool]]:
    """Group a plain-text paragraph's lines into runs for Punkt: (start, end, standalone).

    A line breaks the run after it when it ends a sentence, when it stands alone
    (no final punctuation and it does not continue on the next line), or when the next
    line starts a list item. ``standalone`` marks a single line with no final
    punctuation: a caption, headline or byline.
    """
    lines = _line_bounds(text)
    if not lines:
        return []
    widest = max(e - s for s, e in lines)
    # Hard-wrapped prose: three or more lines, none wider than a terminal's 100 columns,
    # most of them breaking mid-sentence, with a sentence end somewhere.
    open_ended = sum(1 for s, e in lines[:-1] if not SENTENCE_END.search(text, s, e))
    prose = bool(MAYBE_BREAK.search(text))  # a headline/byline/date header has no sentence end at all
    wrapped = (len(lines) >= 3 and widest <= MAX_WRAP_COLUMNS and prose
               and open_ended >= WRAPPED_SHARE * (len(lines) - 1))
    wrap = widest if wrapped else 0
    runs: list[tuple[int, int, bool]] = []
    run_start = lines[0][0]
    run_lines = 0
    for i, (start, end) in enumerate(lines):
        run_lines += 1
        line = text[start:end]
        nxt = text[lines[i + 1][0] : lines[i + 1][1]] if i + 1 < len(lines) else ""
        ends_sentence = bool(SENTENCE_END.search(line))
        if not nxt or LIST_MARKER.match(nxt):
            brk = True
        elif ends_sentence:
            brk = not _ends_with_abbreviation(line)
        elif CONTINUES.search(line) or nxt[:1].islower():
            brk = False
        elif wrap and len(line) >= 0.85 * wrap and len(line) + 1 + len(nxt.split(None, 1)[0]) > wrap:
            brk = False  # hard-wrapped: the next word would not have fitted on this line
        else:
            brk = True
        if brk:
            standalone = run_lines == 1 and not ends_sentence
            runs.append((run_start, end, standalone))
            run_lines = 0
            if nxt:
                run_start = lines[i + 1][0]
    return runs


def _sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Punkt sentence bounds inside text[start:end], list markers left out."""
    chunk = text[start:end]
    body = chunk.rstrip()
    if not MAYBE_BREAK.search(body, 0, len(body) - 1):
        bounds: Iterable[tuple[int, int]] = [(len(chunk) - len(chunk.lstrip()), len(body))]
    else:
        bounds = tokenizer().span_tokenize(chunk) if PUNKT_BREAK.search(body) else [(0, len(chunk))]
        if CJK_END.search(body, 0, len(body) - 1):
            bounds = [piece for a, b in bounds for piece in _cjk_split(chunk, a, b)]
    out = []
    for a, b in bounds:
        while a < b and chunk[a].isspace():
            a += 1
        while b > a and chunk[b - 1].isspace():
            b -= 1
        marker = LIST_MARKER.match(chunk, a)
        if marker and marker.end() < b:
            a = marker.end()
        piece = chunk[a:b]
        if piece.strip() and _WORD.search(piece):
            out.append((start + a, start + b))
    return out


def _cjk_split(chunk: str, a: int, b: int) -> list[tuple[int, int]]:
    """chunk[a:b] cut after each Chinese or Japanese full stop, exclamation or question
    mark (and its closing quotes): Punkt, trained on spaced scripts, never ends there."""
    out, at = [], a
    for m in CJK_END.finditer(chunk, a, b):
        if m.end() < b:
            out.append((at, m.end()))
            at = m.end()
    out.append((at, b))
    return out


def _prose_line(text: str, pieces: list[tuple[int, int]]) -> bool:
    """True when a line with no final punctuation is prose that lost its last full stop
    (a scraped paragraph, a truncated quote), not a caption, headline or byline: it holds
    two sentences or more, each but the last ending a sentence, and its last piece is
    not a photo credit ("(Photo: Jane Doe)", "Image copyright Reuters")."""
    if len(pieces) < 2:
        return False
    last = text[pieces[-1][0] : pieces[-1][1]]
    words = len(last) // CJK_CHARS_PER_WORD if CJK_CHAR.search(last) else len(last.split())
    if CREDIT.search(last) or words < PROSE_TAIL_WORDS:
        return False
    return all(SENTENCE_END.search(text, a, b) for a, b in pieces[:-1])


def is_list(text: str) -> bool:
    """True for an enumeration of names rather than a sentence.

    Four items or more; nine in ten of them of at most four words, the first one too;
    three quarters of the words capitalised or numbers (parenthesised notes left out).
    A sentence that lists names opens with a clause ("Its best-selling brands include
    Harbour Gold, Millers, ...": a first item of six words); prose with commas has
    fewer items ("He said the plan, which was costly, would fail": three) or lower-case
    words ("They included the textile, clothing, tobacco, chemicals and transport
    sectors": one word in ten capitalised).
    """
    if len(LIST_SEPARATOR.findall(text)) < MIN_LIST_ITEMS - 1:
        return False  # most sentences: too few separators for four items
    label = LIST_LABEL.match(text)
    body = LIST_PARENTHESIS.sub(" ", text[label.end() if label else 0 :]).rstrip(". ")
    items = [words for item in LIST_SEPARATOR.split(body) if (words := item.split())]
    if len(items) < MIN_LIST_ITEMS or len(items[0]) > MAX_ITEM_WORDS:
        return False
    if sum(len(words) <= MAX_ITEM_WORDS for words in items) < SHORT_ITEM_SHARE * len(items):
        return False
    tokens = [t for words in items for t in LIST_TOKEN.findall(" ".join(words))]
    capitalised = sum(t[0].isupper() or t[0].isdigit() for t in tokens)
    return bool(tokens) and capitalised >= CAPITALISED_SHARE * len(tokens)


def _block_units(block: Block) -> list[tuple[int, int, str]]:
    """(text_start, text_end, role) for each unit of a block."""
    text = block.text
    if not text.strip():
        return []
    if block.role not in PROSE_ROLES:
        lead = len(text) - len(text.lstrip())
        return [(lead, len(text.rstrip()), block.role)]
    units = [(a, b, "list" if is_list(text[a:b]) else role) for a, b, role in _prose_units(block)]
    if block.role == "item":  # the sentences of a list item are items: lines of a list
        units = [(a, b, "item" if role == "sentence" else role) for a, b, role in units]
    return _menus(text, units)


def _menus(text: str, units: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Runs of MENU_MIN_LINES or more standalone lines that differ only in their last word
    ("Share this with Facebook", "... with Twitter", "... with Email") are a menu, not a
    restatement: "list" units. Two such lines (a caption printed twice, one word changed)
    are not a menu."""
    out = list(units)
    i = 0
    while i < len(out):
        prefix = _menu_prefix(text, out[i])
        j = i
        while prefix is not None and j + 1 < len(out) and _menu_prefix(text, out[j + 1]) == prefix:
            j += 1
        if j + 1 - i >= MENU_MIN_LINES:
            out[i : j + 1] = [(a, b, "list") for a, b, _ in out[i : j + 1]]
        i = j + 1
    return out


def _menu_prefix(text: str, unit: tuple[int, int, str]) -> tuple[str, ...] | None:
    """A standalone line's words but the last, when it is short enough to be a menu entry."""
    a, b, role = unit
    words = text[a:b].split()
    if role not in ("line", "item") or not MENU_MIN_WORDS <= len(words) <= MENU_MAX_WORDS:
        return None
    return tuple(w.casefold() for w in words[:-1])


def _prose_units(block: Block) -> list[tuple[int, int, str]]:
    """(text_start, text_end, role) for each sentence, standalone line and list item
    of a prose block."""
    text = block.text
    if not block.lines:
        lead = len(text) - len(text.lstrip())
        return [(a, b, "sentence") for a, b in _sentences(text, lead, len(text.rstrip()))]
    out: list[tuple[int, int, str]] = []
    for start, end, standalone in _runs(text):
        marker = LIST_MARKER.match(text, start)
        body_start = marker.end() if marker and marker.end() < end else start
        pieces = _sentences(text, body_start, end) if standalone and MAYBE_BREAK.search(text, body_start, end) else []
        if standalone and not _prose_line(text, pieces):
            out.append((body_start, end, "item" if body_start > start else "line"))
        elif standalone:  # several sentences whose last lost its full stop
            out.extend((a, b, "item" if body_start > start else "sentence") for a, b in pieces)
        else:  # the sentences of a "- " or "1." line are items, as in a Markdown list
            role = "item" if body_start > start else "sentence"
            out.extend((a, b, role) for a, b in _sentences(text, body_start, end))
    return out


def _with_markup(source: str, start: int, end: int) -> tuple[int, int]:
    """A Markdown unit's span widened to the markup around its first and last words, so
    that no span starts inside a code span, a link or an emphasis (`` `cmd` does``,
    ``[the guide](url)``) or ends before its closing marks."""
    while start > 0 and source[start - 1] in MARKUP_OPENERS:
        start -= 1
    closing = MARKUP_CLOSING.match(source, end)
    return start, closing.end() if closing else end


def segment(document: Document, doc_index: int) -> tuple[Unit, ...]:
    """The units of a document in source order, each with its exact source span."""
    index = LineIndex(document.source)
    units: list[Unit] = []
    markup = document.format == "markdown"
    for b, block in enumerate(document.blocks):
        for start, end, role in _block_units(block):
            src_start = block.source_offset(start)
            src_end = block.source_offset(end, end=True)
            if markup:
                src_start, src_end = _with_markup(document.source, src_start, src_end)
            span = index.span(src_start, src_end)
            units.append(
                Unit(doc_index, len(units), role, block.text[start:end], span, b, block.suppressed,  # type: ignore[arg-type]
                     start)
            )
    return tuple(units)
