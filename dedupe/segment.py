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
next sentence, unless the line plainly continues: the paragraph is hard-wrapped (the
next word would not have fitted; the width is measured over the whole document), the
line ends in a comma or a word no sentence ends with ("the", "of"), or it is long
prose broken mid-sentence. Such a line is still split into sentences when it holds
two or more of three words or more that are not photo credits (a paragraph a scraper
cut short); a caption with its credit ("... Leeds station. Image copyright Reuters",
"... (Photo: Jane Doe)") or a two-part headline stays one unit.
Sentences end where Punkt says, at CJK sentence punctuation (。！？), and after a
one-letter word before a word that starts sentences ("Plan B. The council..."):
Punkt takes any letter and full stop for an initial ("J. Smith").

Punkt must work offline: nltk's trained English data cannot be downloaded here, so we
ship English parameters (an abbreviation list) and use the installed punkt_tab data as
well when it is present.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from itertools import pairwise

from dedupe import punkt
from dedupe.model import Block, Document, LineIndex, UnitList

# Abbreviations Punkt must not end a sentence after (lower case, without the final
# period). Kept to tokens that are rarely a sentence's last word: "no" and "us" are
# left out on purpose ("He said no." ends a sentence far more often than "No. 5").
ABBREVIATIONS = frozenset(
    ["mr", "mrs", "ms", "dr", "prof", "rev", "hon", "sr", "jr", "st", "mt", "ft", "messrs", "mme", "mlle", "gen", "col", "lt", "maj", "capt", "cmdr", "sgt", "cpl", "adm", "brig", "gov", "sen", "rep", "pres", "supt", "insp", "det", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat", "sun", "inc", "ltd", "corp", "co", "plc", "llc", "bros", "dept", "univ", "assn", "est", "approx", "vs", "etc", "al", "cf", "ca", "viz", "e.g", "i.e", "a.m", "p.m", "u.s", "u.k", "u.n", "u.s.a", "e.u", "d.c", "n.y", "l.a", "fig", "figs", "vol", "vols", "ed", "eds", "pp", "ch", "sec", "art", "para", "nos", "ref", "repr", "ave", "blvd", "rd", "hwy"]
)
SENTENCE_END = re.compile(r"[.!?…。！？][\"'”’»)\]」』）]*$")
MAYBE_BREAK = re.compile(r"[.!?。！？]")  # sentence ends: Punkt's, and CJK ones (CJK_END)
PUNKT_BREAK = re.compile(r"[.!?]")  # Punkt only ever ends a sentence at one of these
# Sentence ends Punkt does not see. CJK sentence punctuation and its closing brackets
# (Punkt splits on whitespace, and Chinese and Japanese put none after a sentence).
CJK_END = re.compile(r"[。！？]+[\"'”’」』）)\]]*")
# A one-letter word and a full stop ("Plan B.", "vitamin C.", "than I.") before a word
# that starts sentences and is never a surname: Punkt reads the letter as an initial
# and glues the sentences. "A" and "I" count only before a lower-case word, so that
# "J. A. Smith" stays whole.
LETTER_BREAK = re.compile(  # it opens with the full stop: a literal first is scanned for fast
    r"\.(?<=(?<![\w.])[A-Za-z]\.)[\"'”’)\]]*(?=\s+[\"'“‘(]?(?:(?:The|An|He|She|It|Its|They|We|You|But|And|This|That|"
    r"These|Those|There|Then|In|On|At|For|If|When|While|As|After|Before|However|Meanwhile|So|His|Her|Their|Our|My|"
    r"Your|Mr|Mrs|Ms|Dr|Some|Many|Most|Other|Others|One|Two|Three|Now|Yet|Still|Also|Although|Despite|Last|Next|"
    r"Earlier|Later|Today|Yesterday|Here|What|Why|How|Who|Where)\b|(?:A|I)\s+[a-z]))"
)
# A piece of a line that is a photo credit or an agency name, not a sentence of prose
# (matched at the piece's start) ...
CREDIT = re.compile(
    r"\W*(?:(?:image|photo(?:graph)?|picture|pic|video|footage)s?\s*(?:copyright|credit|courtesy|caption|:|by\b)|"
    r"(?:photo\s*)?credit\s*:|copyright\b|©|getty(?: images)?\b|reuters\b|afp\b|ap photo\b|pa (?:wire|media)\b|epa\b)",
    re.IGNORECASE)
MAX_CREDIT_WORDS = 8
# ... or a credit closing a caption's last sentence: "... Leeds station (Photo: Jane Doe)".
CREDIT_TAIL = re.compile(r"\((?:photo|picture|image|pic|credit|source)s?\b[^()]*\)\W*$", re.IGNORECASE)
CAPTION_MAX_WORDS = 30  # a line with a credit and no more words than this is a caption, whatever its sentences
MIN_SPLIT_WORDS = 3  # a line splits into sentences only when two of them have this many words
# The last word of a line that continues: articles, prepositions, conjunctions and
# auxiliaries no sentence or headline ends with. "in", "on", "up", "out" and "off" are
# left out ("Log in", "Game on", "Sign up").
OPEN_ENDED = frozenset(
    ["the", "a", "an", "of", "to", "and", "or", "nor", "but", "for", "with", "from", "by", "into", "onto", "upon",
     "than", "that", "which", "whose", "whom", "is", "are", "was", "were", "be", "been", "being", "has", "have",
     "had", "will", "would", "shall", "should", "can", "could", "may", "might", "must", "his", "her", "their",
     "its", "our", "my", "your", "these", "those", "as", "if", "because", "although", "while", "whether", "between",
     "about", "against", "during", "without", "within", "towards", "toward", "among", "such", "very", "not", "mr",
     "mrs", "ms", "dr"]
)
# A line of prose broken mid-sentence: this many words and a sentence end inside it.
PROSE_MIN_WORDS = 15
INNER_END = re.compile(r"[.!?][\"'”’)\]]*\s+[\"'“‘(]?[A-Z]")
CJK_CHAR = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
CJK_CHARS_PER_WORD = 2  # unspaced scripts: about two characters a word
CONTINUES = re.compile(r"[,;:\-–—(/&]$")
LIST_MARKER = re.compile(r"[ \t]*(?:[-*•+]|\(?\d{1,3}[.)]|\(?[a-zA-Z][.)])[ \t]+")
_WORD = re.compile(r"\w+")
MARKUP_OPENERS = frozenset("`[*_~")  # Markdown marks that may open right before a unit's first word
MARKUP_CLOSING = re.compile(r"(?:[`*_~]+|\]\([^()\s]*(?:\s+\"[^\"]*\")?\)|\])+")
PROSE_ROLES = frozenset({"sentence", "item"})  # blocks split into sentences (a list item may hold several)
MAX_WRAP_COLUMNS = 100
MIN_WRAP_COLUMNS = 40
WRAPPED_SHARE = 2 / 3
MIN_WRAPPED_LINES = 3  # lines breaking a sentence, in a paragraph or a document, to call it hard-wrapped
FEW_WRAPPED_LINES = 6  # below this many, every one of them must be full (WRAPPED_SHARE of them above)
MIN_WRAPPED_WIDTH = 0.6  # of the wrap width: a shorter line ends where its author ended it

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


def _run_ons(text: str, lines: list[tuple[int, int]]) -> list[tuple[int, int, bool]]:
    """(length, length of the next line's first word, ends a sentence) of each line;
    the last line's next word has length 0."""
    nxt = [len(text[s:e].split(None, 1)[0]) for s, e in lines[1:]] + [0]
    return [(e - s, w, bool(SENTENCE_END.search(text, s, e))) for (s, e), w in zip(lines, nxt)]


def _wrap_of(run_ons: list[tuple[int, int, bool]]) -> int:
    """The width lines were hard-wrapped at, or 0 when they were not.

    Greedy wrapping at a width W leaves every line that breaks a sentence so full
    that the next word would not have fitted (a line that ends a sentence may end a
    paragraph, and is not counted). W is taken as the widest line, which is at most
    the true width, so a true wrap always passes; lines of an author's own length (a
    headline over a byline, list items, a menu) rarely do, bar the widest one. Lines
    wider than a terminal (MAX_WRAP_COLUMNS) or all narrower than MIN_WRAP_COLUMNS
    were not wrapped."""
    open_lines = [(n, w) for n, w, ends in run_ons if w and not ends]
    if len(open_lines) < MIN_WRAPPED_LINES:
        return 0
    width = max(n for n, _, _ in run_ons)
    if not MIN_WRAP_COLUMNS <= width <= MAX_WRAP_COLUMNS:
        return 0
    full = sum(1 for n, w in open_lines if n >= MIN_WRAPPED_WIDTH * width and n + 1 + w > width)
    share = WRAPPED_SHARE if len(open_lines) >= FEW_WRAPPED_LINES else 1  # few lines: each one must be full
    return width if full >= share * len(open_lines) else 0


def wrap_width(blocks: Iterable[Block]) -> int:
    """The width a plain-text document is hard-wrapped at, or 0: measured over all its
    paragraphs, so that a wrapped paragraph of two lines is known for one. One-line
    paragraphs take no part (in an article of one line per paragraph, nothing wraps)."""
    run_ons: list[tuple[int, int, bool]] = []
    prose = False
    for block in blocks:
        if block.lines and block.role == "sentence" and "\n" in block.text:
            run_ons.extend(_run_ons(block.text, _line_bounds(block.text)))
            prose = prose or bool(MAYBE_BREAK.search(block.text))
    return _wrap_of(run_ons) if prose else 0


def _continues(line: str, nxt: str) -> bool:
    """True when a line without final punctuation runs on into the next one: it ends in
    a comma, a dash or a word no sentence ends with, the next one starts in lower case,
    or it is prose (long, with a sentence end inside, no photo credit at its end) broken
    mid-sentence before a line that is prose too, not a caption."""
    if CONTINUES.search(line) or nxt[:1].islower():
        return True
    last = line.rsplit(None, 1)[-1].lower()
    if last in OPEN_ENDED:
        return True
    return (len(line.split()) >= PROSE_MIN_WORDS and bool(INNER_END.search(line)) and not CREDIT_TAIL.search(line)
            and (bool(SENTENCE_END.search(nxt)) or len(nxt.split()) >= PROSE_MIN_WORDS))


def _runs(text: str, wrap: int = 0) -> list[tuple[int, int, bool]]:
    """Group a plain-text paragraph's lines into runs for Punkt: (start, end, standalone).

    A line breaks the run after it when it ends a sentence, when it stands alone
    (no final punctuation and it does not continue on the next line), or when the next
    line starts a list item. ``standalone`` marks a single line with no final
    punctuation: a caption, headline or byline, or a paragraph cut short. ``wrap`` is
    the document's wrap width (``wrap_width``); without one, the paragraph's own lines
    may still show one.
    """
    lines = _line_bounds(text)
    if not lines:
        return []
    if not wrap and len(lines) > MIN_WRAPPED_LINES and MAYBE_BREAK.search(text):  # a header block has no "."
        wrap = _wrap_of(_run_ons(text, lines))
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
        elif (wrap and len(line) >= MIN_WRAPPED_WIDTH * wrap
              and len(line) + 1 + len(nxt.split(None, 1)[0]) > wrap):
            brk = False  # hard-wrapped: the next word would not have fitted on this line
        else:
            brk = not _continues(line, nxt)
        if brk:
            standalone = run_lines == 1 and not ends_sentence
            runs.append((run_start, end, standalone))
            run_lines = 0
            if nxt:
                run_start = lines[i + 1][0]
    return runs


def _sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence bounds inside text[start:end], list markers left out: Punkt's, split
    again at CJK sentence punctuation and after a one-letter word Punkt took for an
    initial."""
    chunk = text[start:end]
    body = chunk.rstrip()
    if not MAYBE_BREAK.search(body, 0, len(body) - 1):
        bounds: Iterable[tuple[int, int]] = [(len(chunk) - len(chunk.lstrip()), len(body))]
    else:
        bounds = tokenizer().span_tokenize(chunk) if PUNKT_BREAK.search(body) else [(0, len(chunk))]
        cuts = [m.end() for m in LETTER_BREAK.finditer(chunk)]
        if not chunk.isascii():
            cuts += [m.end() for m in CJK_END.finditer(chunk)]
        if cuts:
            bounds = _split_further(chunk, list(bounds), sorted(cuts))
    out = []
    for a, b in bounds:
        while a < b and chunk[a].isspace():
            a += 1
        while b > a and chunk[b - 1].isspace():
            b -= 1
        marker = LIST_MARKER.match(chunk, a)
        if marker and marker.end() < b:
            a = marker.end()
        if a < b and _WORD.search(chunk, a, b):  # trimmed: not empty is not blank
            out.append((start + a, start + b))
    return out


def _split_further(chunk: str, bounds: list[tuple[int, int]], cuts: list[int]) -> list[tuple[int, int]]:
    """Punkt's sentence bounds in chunk, each cut again at the ``cuts`` inside it (a CJK
    sentence end, a LETTER_BREAK) that have text after them."""
    out: list[tuple[int, int]] = []
    for a, b in bounds:
        edges = [a, *(c for c in cuts if a < c < b and chunk[c:b].strip()), b]
        out.extend(pairwise(edges))
    return out


def _words_in(text: str) -> int:
    """Words of a piece of text; in unspaced scripts, about two characters a word."""
    return len(text) // CJK_CHARS_PER_WORD if CJK_CHAR.search(text) else len(text.split())


def _line_units(text: str, start: int, end: int, line_role: str, sentence_role: str) -> list[tuple[int, int, str]]:
    """A standalone line (no final punctuation) as units: one unit of ``line_role`` (a
    caption, headline or byline, with or without a photo credit), or its sentences, of
    ``sentence_role``, when it holds two or more of MIN_SPLIT_WORDS words or more that
    are not credits (a paragraph cut short, whose sentences are compared like any
    other). A line with a credit and at most CAPTION_MAX_WORDS other words is a
    caption, even of two sentences; a longer one is a paragraph with a credit line
    glued to it, and the credit stays a unit of its own."""
    if not MAYBE_BREAK.search(text, start, end):
        return [(start, end, line_role)]
    pieces = _sentences(text, start, end)
    credit = [bool(CREDIT.match(text, a, b)) and len(text[a:b].split()) <= MAX_CREDIT_WORDS for a, b in pieces]
    prose = [_words_in(text[a:b]) for (a, b), c in zip(pieces, credit) if not c]
    captioned = any(credit) or bool(pieces and CREDIT_TAIL.search(text, pieces[-1][0], pieces[-1][1]))
    if sum(n >= MIN_SPLIT_WORDS for n in prose) < 2 or (captioned and sum(prose) <= CAPTION_MAX_WORDS):
        return [(start, end, line_role)]
    return [(a, b, line_role if c else sentence_role) for (a, b), c in zip(pieces, credit)]


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
    # Most sentences have too few separators for four items: counted first without the
    # pattern, from the characters each separator needs (a "v" for " v " and " vs. ").
    if text.count(",") + text.count(";") + text.count("v") < MIN_LIST_ITEMS - 1:
        return False
    if len(LIST_SEPARATOR.findall(text)) < MIN_LIST_ITEMS - 1:
        return False
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


def _block_units(block: Block, wrap: int = 0) -> list[tuple[int, int, str]]:
    """(text_start, text_end, role) for each unit of a block; ``wrap`` is the
    document's hard-wrap width, 0 when it has none."""
    text = block.text
    if not text.strip():
        return []
    if block.role not in PROSE_ROLES:
        lead = len(text) - len(text.lstrip())
        return [(lead, len(text.rstrip()), block.role)]
    units = [(a, b, "list" if is_list(text[a:b]) else role) for a, b, role in _prose_units(block, wrap)]
    if block.role == "item":  # the sentences of a list item are items: lines of a list
        units = [(a, b, "item" if role == "sentence" else role) for a, b, role in units]
    return _menus(text, units)


def _menus(text: str, units: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Runs of MENU_MIN_LINES or more standalone lines that differ only in their last word
    ("Share this with Facebook", "... with Twitter", "... with Email") are a menu, not a
    restatement: "list" units. Two such lines (a caption printed twice, one word changed)
    are not a menu."""
    if len(units) < MENU_MIN_LINES:  # most paragraphs
        return units
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
    if role not in ("line", "item"):
        return None
    words = text[a:b].split()
    if not MENU_MIN_WORDS <= len(words) <= MENU_MAX_WORDS:
        return None
    return tuple(w.casefold() for w in words[:-1])


def _prose_units(block: Block, wrap: int = 0) -> list[tuple[int, int, str]]:
    """(text_start, text_end, role) for each sentence, standalone line and list item
    of a prose block."""
    text = block.text
    if not block.lines:
        lead = len(text) - len(text.lstrip())
        return [(a, b, "sentence") for a, b in _sentences(text, lead, len(text.rstrip()))]
    out: list[tuple[int, int, str]] = []
    for start, end, standalone in _runs(text, wrap):
        marker = LIST_MARKER.match(text, start)
        body_start = marker.end() if marker and marker.end() < end else start
        role = "item" if body_start > start else "sentence"  # the sentences of a "- " or "1." line are items
        if standalone:
            out.extend(_line_units(text, body_start, end, "item" if body_start > start else "line", role))
        else:
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


def segment(document: Document, doc_index: int) -> UnitList:
    """The units of a document in source order, each with its exact source span. They
    are made as rows (UnitList), and a Unit only when one is asked for: most are sent
    to another process or compared as rows and never looked at."""
    index = LineIndex(document.source)
    wrap = wrap_width(document.blocks)
    rows: list[tuple] = []  # type: ignore[type-arg]
    markup = document.format == "markdown"
    for b, block in enumerate(document.blocks):
        pieces = block.pieces
        # a block that is one slice of the source (a plain-text paragraph) maps offsets by adding
        sliced = len(pieces) == 1 and pieces[0][0] == 0 and pieces[0][2] == len(block.text)
        for start, end, role in _block_units(block, wrap):
            if sliced:  # what source_offset gives there: units are non-empty and inside the text
                src_start, src_end = pieces[0][1] + start, pieces[0][1] + end
            else:
                src_start = block.source_offset(start)
                src_end = block.source_offset(end, end=True)
            if markup:
                src_start, src_end = _with_markup(document.source, src_start, src_end)
            rows.append((len(rows), role, block.text[start:end], *index.bounds(src_start, src_end), b,
                         block.suppressed, start))
    return UnitList(doc_index, rows)
