"""Punkt sentence boundaries: text -> (start, end) spans, as nltk's Punkt gives them.

nltk's ``PunktSentenceTokenizer.span_tokenize`` is the reference: the same regular
expressions, the same candidate contexts and the same first- and second-pass rules
over Punkt's trained parameters (abbreviations, collocations, frequent sentence
starters, orthographic contexts), so the spans are equal (bench/punkt.py compares
them over a whole corpus, tests/test_punkt.py on samples and generated text). What
differs is the cost. nltk 3.10 runs every one of Punkt's fixed patterns through
``nltk.redos``, a wrapper that times each call on the third-party ``regex`` engine,
and ``import nltk`` loads the whole library (0.7 s): span_tokenize over the BBC
corpus took 2.9 s with nltk 3.10.4 against 0.55 s with 3.9.2. Here the patterns are
compiled once with ``regex`` itself (the engine nltk uses, so character classes such
as ``\\s`` and ``\\w`` mean exactly what they mean there), candidates are judged on
plain strings rather than one token object per word, and judgements of recurring
contexts ("said. The") are remembered.

nltk is imported only to load its trained English model, and only when one is
installed (``installed_parameters``); otherwise the caller's shipped parameters are
used and nltk is never imported.
"""

from __future__ import annotations

import os
import re
import string
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

import regex

# The patterns of nltk.tokenize.punkt.PunktLanguageVars (nltk 3.10) for English,
# spelled out: sentence-ending characters, characters that cannot be in a word, the
# word tokenizer and the context around a possible sentence end.
SENT_END_CHARS = (".", "?", "!")
# (nltk's format strings, kept verbatim: percent formats because the patterns hold braces)
_SENT_END = "[%s]" % regex.escape("".join(SENT_END_CHARS))  # noqa: UP031
_NON_WORD = r"(?:[)\";}\]\*:@\'\({\[\u2018\u2019\u201c\u201d\xab\xbb%s])" % regex.escape(  # noqa: UP031
    "".join(c for c in SENT_END_CHARS if c != "."))
_MULTI_CHAR = r"(?:\-{2,}|\.{2,}|(?:\.\s){2,}\.)"
_WORD_START = r"[^\(\"\`{\[:;&\#\*@\)}\]\-,]"
_WORD_TOKENIZE_FMT = r"""(
        %(MultiChar)s
        |
        (?=%(WordStart)s)\S+?  # Accept word characters until end is found
        (?= # Sequences marking a word's end
            \s|                                 # White-space
            $|                                  # End-of-string
            %(NonWord)s|%(MultiChar)s|          # Punctuation
            ,(?=$|\s|%(NonWord)s|%(MultiChar)s) # Comma if at end of word
        )
        |
        \S
    )"""
_PERIOD_CONTEXT_FMT = r"""
        %(SentEndChars)s             # a potential sentence ending
        (?=(?P<after_tok>
            %(NonWord)s              # either other punctuation
            |
            \s+(?P<next_tok>\S+)     # or whitespace and some other token
        ))"""
_PARTS = {"NonWord": _NON_WORD, "MultiChar": _MULTI_CHAR, "WordStart": _WORD_START, "SentEndChars": _SENT_END}
WORD_TOKENIZER = regex.compile(_WORD_TOKENIZE_FMT % _PARTS, regex.UNICODE | regex.VERBOSE)
PERIOD_CONTEXT = regex.compile(_PERIOD_CONTEXT_FMT % _PARTS, regex.UNICODE | regex.VERBOSE)
_SEPARATORS = re.compile("[\x1c-\x1f]")  # white space to str.split and str.strip, not to the tokenizer
# The same two patterns compiled with ``re``, which runs them about twice as fast. Their
# only classes are \s and \S: ``re``'s \s is str.isspace(), which takes the separators
# above for white space, where regex's (Unicode's White_Space) does not, and the two
# agree on every other character (tests/test_punkt.py checks them all). A text without
# separators gets the same matches from either.
_WORD_TOKENIZER_RE = re.compile(_WORD_TOKENIZE_FMT % _PARTS, re.VERBOSE)
_PERIOD_CONTEXT_RE = re.compile(_PERIOD_CONTEXT_FMT % _PARTS, re.VERBOSE)
_CLOSING = "\"')]}\u2018\u2019\u201c\u201d\xab\xbb"  # what BOUNDARY_REALIGNMENT moves back, and its first character
BOUNDARY_REALIGNMENT = regex.compile(r'["\')\]}\u2018\u2019\u201c\u201d\xab\xbb]+?(?:\s+|(?=--)|$)', regex.MULTILINE)
# nltk.tokenize.punkt.PunktToken's patterns
_NUMERIC = regex.compile(r"^-?[\.,]?\d[\d,\.-]*\.?$")
_INITIAL = regex.compile(r"[^\W\d]\.$", regex.UNICODE)
NUMBER_TYPE = "##number##"
PUNCTUATION = frozenset(";:,.!?")  # a token that is one of these never starts a sentence
# Orthographic context flags (nltk.tokenize.punkt._ORTHO_*)
ORTHO_BEG_UC, ORTHO_MID_UC, ORTHO_UNK_UC = 1 << 1, 1 << 2, 1 << 3
ORTHO_BEG_LC, ORTHO_MID_LC, ORTHO_UNK_LC = 1 << 4, 1 << 5, 1 << 6
ORTHO_UC = ORTHO_BEG_UC | ORTHO_MID_UC | ORTHO_UNK_UC
ORTHO_LC = ORTHO_BEG_LC | ORTHO_MID_LC | ORTHO_UNK_LC
_LAST_WHITESPACE = tuple(string.whitespace)  # what nltk looks back for before a candidate: ASCII only
MAX_REMEMBERED = 1 << 16  # contexts whose judgement is kept (then forgotten all at once)


@dataclass(frozen=True)
class Parameters:
    """Punkt's trained parameters (nltk's PunktParameters), lower-case word types."""

    abbrev_types: frozenset[str] = frozenset()
    collocations: frozenset[tuple[str, str]] = frozenset()
    sent_starters: frozenset[str] = frozenset()
    ortho_context: Mapping[str, int] = field(default_factory=dict)

    @classmethod
    def of(cls, params: object) -> Parameters:
        """Ours from an nltk PunktParameters."""
        return cls(frozenset(params.abbrev_types), frozenset(params.collocations),  # type: ignore[attr-defined]
                   frozenset(params.sent_starters), dict(params.ortho_context))  # type: ignore[attr-defined]

    def with_abbreviations(self, more: Iterable[str]) -> Parameters:
        return Parameters(self.abbrev_types | frozenset(more), self.collocations, self.sent_starters,
                          self.ortho_context)


BREAK, ABBREVIATION, ELLIPSIS = "break", "abbreviation", "ellipsis"  # first-pass marks
UNKNOWN = "unknown"  # the orthographic heuristic cannot tell


class _Token(NamedTuple):
    """A word token as the second pass reads it, as the token before a candidate
    break and as the token after one."""

    mark: str  # first-pass mark: BREAK, ABBREVIATION, ELLIPSIS or ""
    period_final: bool
    bare: str  # its type without a final period
    initial: bool  # one letter and a period
    as_next: str  # its type as the token after a break (no final period if it is a break itself)
    starter: bool | str  # the orthographic heuristic: it starts a sentence (True, False, UNKNOWN)
    upper: bool  # its first character is upper case
    ortho: int  # the orthographic contexts its type was seen in
    sent_starter: bool  # its type is a frequent sentence starter


def _first_pass(tok: str, abbrev_types: frozenset[str]) -> str:
    """nltk's ``_first_pass_annotation``: sentence-end characters and period-final
    words that are not abbreviations are breaks; runs of periods are ellipses."""
    if tok in SENT_END_CHARS:
        return BREAK
    if len(tok) > 1 and tok[0] == "." and tok.strip(".") == "":
        return ELLIPSIS
    if tok[-1] == "." and not tok.endswith(".."):
        low = tok[:-1].lower()
        return ABBREVIATION if low in abbrev_types or low.split("-")[-1] in abbrev_types else BREAK
    return ""


class SentenceSplitter:
    """Sentence spans of a text, as ``nltk``'s ``PunktSentenceTokenizer(params).span_tokenize``."""

    def __init__(self, params: Parameters) -> None:
        self.params = params
        self._judged: dict[str, bool] = {}  # candidate context -> it holds a break
        self._tokens: dict[str, _Token] = {}  # word token -> what the passes read of it

    def span_tokenize(self, text: str) -> list[tuple[int, int]]:
        """(start, end) of each sentence, closing quotes and brackets realigned onto the
        sentence they close."""
        return self._realigned(text, self._slices(text))

    def _slices(self, text: str) -> list[tuple[int, int]]:
        """Sentence slices before realignment (nltk's ``_slices_from_text``): a break
        at each candidate whose context holds a sentence break. The candidate contexts
        are nltk's ``_match_potential_end_contexts``: the word before a sentence-end
        character, looked back for to the last ASCII whitespace since the previous
        candidate, and the token after it; a candidate whose word overlaps the next
        candidate's is dropped."""
        spaces = [c for c in _LAST_WHITESPACE if c in text]
        one = spaces[0] if len(spaces) == 1 else None
        # (start of the word before, end of the context, end of the break, start of the next token or -1)
        candidates: list[tuple[int, int, int, int]] = []
        prev_start = prev_stop = 0
        for match in (PERIOD_CONTEXT if _SEPARATORS.search(text) else _PERIOD_CONTEXT_RE).finditer(text):
            at, end = match.span()
            if one is not None:
                back = text.rfind(one, prev_stop, at)
            else:
                back = max([text.rfind(c, prev_stop, at) for c in spaces], default=-1)
            start = back + 1 if back > prev_stop else prev_start
            if candidates and prev_stop > start:
                candidates.pop()  # its word overlaps this one's
            # the context is the word before, the sentence-end character and the after_tok group,
            # which follows it: one slice of the text
            candidates.append((start, match.end("after_tok"), end, match.start("next_tok")))
            prev_start, prev_stop = start, at
        out: list[tuple[int, int]] = []
        last_break = 0
        judged = self._judged
        for start, context_end, end, next_start in candidates:
            context = text[start:context_end]
            brk = judged.get(context)
            if brk is None:
                if len(judged) >= MAX_REMEMBERED:
                    judged.clear()
                brk = judged[context] = self._contains_break(context)
            if brk:
                out.append((last_break, end))
                last_break = next_start if next_start >= 0 else end
        out.append((last_break, len(text.rstrip())))
        return out

    def _contains_break(self, context: str) -> bool:
        """Whether a token of the context but its last ends a sentence (nltk's
        ``text_contains_sentbreak``: the first pass, then the second over each token
        and the next).

        A context without ". ." (how the one token that spans a space starts) and
        without the separators str.strip takes for white space and the tokenizer does
        not (a line of them has no tokens for nltk, which skips lines str.strip leaves
        empty) has the tokens of its pieces between spaces, and a piece of letters and
        digits, with or without a final period, is one token (none of them ends a token
        early): most pieces are read without the tokenizer's pattern."""
        if ". ." not in context and (context.isprintable() or not _SEPARATORS.search(context)):
            toks: list[str] = []
            for piece in context.split(" "):
                if piece.isalnum() or (piece[-1:] == "." and piece[:-1].isalnum()):
                    toks.append(piece)
                elif piece:
                    toks += _WORD_TOKENIZER_RE.findall(piece)  # (no separators here)
        else:
            toks = [t for line in context.split("\n") if line.strip() for t in WORD_TOKENIZER.findall(line)]
        if len(toks) < 2:
            return False
        known = self._tokens
        if len(known) >= MAX_REMEMBERED:
            known.clear()
        infos = [known.get(t) or known.setdefault(t, self._token(t)) for t in toks]
        return any(self._ends_sentence(infos[i], infos[i + 1]) for i in range(len(infos) - 1))

    def _token(self, tok: str) -> _Token:
        """What the two passes read of a token, worked out once."""
        low = tok.lower()
        # the patterns are tried only where they can match: a number starts with a sign, a
        # separator or a digit (any non-ASCII character may be one to regex's Unicode data),
        # an initial is one character and a period
        first = low[:1]
        typ = (NUMBER_TYPE if (first in "-.," or first.isdigit() or not first.isascii()) and _NUMERIC.match(low)
               else low)
        bare = typ[:-1] if len(typ) > 1 and typ[-1] == "." else typ
        mark = _first_pass(tok, self.params.abbrev_types)
        as_next = bare if mark == BREAK else typ
        initial = len(tok) == 2 and tok[1] == "." and _INITIAL.match(tok) is not None
        return _Token(mark, tok[-1] == ".", bare, initial, as_next,
                      self._ortho_heuristic(tok, as_next), tok[0].isupper(),
                      self.params.ortho_context.get(as_next, 0), as_next in self.params.sent_starters)

    def _ends_sentence(self, tok: _Token, nxt: _Token) -> bool:
        """Whether ``tok`` ends a sentence, followed by ``nxt``, after nltk's
        ``_second_pass_annotation`` (collocations, abbreviations and ellipses followed
        by a sentence starter, initials and ordinals) of its first-pass mark."""
        if not tok.period_final:  # only period-final tokens are reconsidered
            return tok.mark == BREAK
        if (tok.bare, nxt.as_next) in self.params.collocations:
            return False
        if tok.mark in (ABBREVIATION, ELLIPSIS) and not tok.initial and (
                nxt.starter is True or nxt.upper and nxt.sent_starter):
            return True
        if tok.initial or tok.bare == NUMBER_TYPE:
            if nxt.starter is False:
                return False
            if nxt.starter == UNKNOWN and tok.initial and nxt.upper and not nxt.ortho & ORTHO_LC:
                return False
        return tok.mark == BREAK

    def _ortho_heuristic(self, tok: str, typ: str) -> bool | str:
        """True, False or "unknown": whether the token starts a sentence, from the
        cases its type was seen in."""
        if tok in PUNCTUATION:
            return False
        ortho = self.params.ortho_context.get(typ, 0)
        if tok[0].isupper() and ortho & ORTHO_LC and not ortho & ORTHO_MID_UC:
            return True
        if tok[0].islower() and (ortho & ORTHO_UC or not ortho & ORTHO_BEG_LC):
            return False
        return UNKNOWN

    @staticmethod
    def _realigned(text: str, slices: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """Closing punctuation after a break moved onto the sentence before it
        (nltk's ``_realign_boundaries``); empty sentences dropped."""
        out = []
        realign = 0
        last = len(slices) - 1
        for i, (start, stop) in enumerate(slices):
            start += realign
            if i == last:
                if start < stop:
                    out.append((start, stop))
                continue
            nxt_start, nxt_stop = slices[i + 1]
            # (most sentences start with none of the closing characters the pattern opens with)
            m = (BOUNDARY_REALIGNMENT.match(text[nxt_start:nxt_stop])
                 if nxt_start < nxt_stop and text[nxt_start] in _CLOSING else None)
            if m:
                out.append((start, nxt_start + len(m.group(0).rstrip())))
                realign = m.end()
            else:
                realign = 0
                if start < stop:
                    out.append((start, stop))
        return out


def _nltk_data_dirs() -> list[str]:
    """The folders nltk looks for its data in by default (nltk.data.path)."""
    dirs = [d for d in os.environ.get("NLTK_DATA", "").split(os.pathsep) if d]
    home = os.path.expanduser("~/")
    if "APPENGINE_RUNTIME" not in os.environ and home != "~/":
        dirs.append(os.path.join(home, "nltk_data"))
    dirs += [os.path.join(sys.prefix, *sub) for sub in (("nltk_data",), ("share", "nltk_data"), ("lib", "nltk_data"))]
    if sys.platform.startswith("win"):
        dirs += [os.path.join(os.environ.get("APPDATA", "C:\\"), "nltk_data"), r"C:\nltk_data", r"D:\nltk_data",
                 r"E:\nltk_data"]
    else:
        dirs += ["/usr/share/nltk_data", "/usr/local/share/nltk_data", "/usr/lib/nltk_data", "/usr/local/lib/nltk_data"]
    return dirs


def installed_parameters(language: str = "english") -> Parameters | None:
    """The trained Punkt model nltk has installed for ``language``, or None.

    nltk (0.7 s to import) is imported only when a ``punkt_tab`` folder or zip is in
    one of its data folders; nltk then finds and reads the model itself.
    """
    if not any(os.path.exists(os.path.join(d, "tokenizers", name)) for d in _nltk_data_dirs()
               for name in ("punkt_tab", "punkt_tab.zip")):
        return None
    # ``import nltk`` imports every nltk subpackage, and a few (association measures,
    # alignment, a parser) import scipy (about a second) inside ``try/except
    # ImportError`` and work without it: scipy is hidden meanwhile (a None entry in
    # sys.modules fails its import), and restored straight after.
    hidden = [name for name in ("scipy", "scipy.stats") if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]
    try:
        from nltk.tokenize.punkt import PunktTokenizer

        return Parameters.of(PunktTokenizer(language)._params)
    except (LookupError, ImportError, OSError, ValueError):
        return None
    finally:
        for name in hidden:
            if name in sys.modules and sys.modules[name] is None:
                del sys.modules[name]
