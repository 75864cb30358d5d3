"""Phrases two sentences share: run candidates (runs.py) + the findings so far -> findings.

A stage after grouping. Two faults the sentence comparison cannot see, because the
sentences around the phrase differ:

- **Shared runs** (containment): a quote or clause of ``min_run`` words or more reused
  inside a longer sentence. In one article it is a ``repeat``: the same words twice,
  as with a repeated sentence, only shorter, and an editor fixes it the same way
  (the BBC's politics/124.txt gives the same quote about "tremendous change and
  reform" in its second and fourth paragraphs). Across articles it is a ``cross``.
- **Echoes** (kind ``echo``): two different sentences of one article share a
  distinctive phrase: a whole quotation given again ("firm but fair"), a number with
  its head noun ("1,200 passengers"), or a phrase of ``echo_min_words`` words with two
  content words that are not names (a person or place named twice is no echo).
  Only sentences: a heading, headline or caption restates its text by design, and
  list items vary one another (STRUCTURAL_ROLES, as group.py's parallel lines).

- **Edited copies** (measure "order"): two sentences below both thresholds of the
  sentence comparison that are still one sentence edited: the words they have in the
  same order (their longest common subsequence) are EDITED_SHARE of the longer one's,
  of EDITED_MIN_WORDS or more. Word shingles are harsh on a short sentence: three
  words replaced in twelve leave a shingle Jaccard near 0.3, while nine of the twelve
  words still read in order; two different sentences sharing a phrase or a frame
  keep far fewer in order. The pairs looked at are those a shared run or an echo
  candidate already links, and the whole sentences are the finding (``near`` inside
  one article, else ``cross``), not the phrase. Two sentences side by side in one
  paragraph are parallel structure, as group.py's rule 5 has it, not an edited copy.

Either is reported only when its two sentences are not already together in a finding
(a repeated or near sentence, a passage, a copied article). A finding is one phrase
and all its places; each occurrence is the phrase's own span, with its sentence as
``context``, and scores the share of its sentence the phrase covers (measure "run").
Only the few units in candidate runs are read again, to find their words in the text.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import chain

import numpy as np

from dedupe import normalize
from dedupe.clusters import Star, boilerplate_articles, stars
from dedupe.model import (
    ALLOW_REGEX_PREFIX,
    OFF,
    RUN_NUMBER,
    RUN_PHRASE,
    Checked,
    Document,
    EditedPair,
    Finding,
    LineIndex,
    Occurrence,
    RunCandidates,
    RunRow,
    Settings,
    Unit,
    UnitList,
)
from dedupe.verify import MIN_CONTENT_WORDS

ECHO_ROLES = frozenset({"sentence", "quote"})
# A list item, cell or heading varies its neighbours by design (a cheat-sheet's examples
# share long phrases: "in the specified zone (like port 443 when in the `public` zone)"):
# a phrase it shares inside its article, or with another such line elsewhere, is no repeat.
STRUCTURAL_ROLES = frozenset({"item", "cell", "heading"})
# A quotation: an opening mark not inside a word, text without marks, a closing mark
# not followed by a word (so "the club's 'lucky charm'" is one, and "club's" is not).
# It starts with the mark itself, checked backwards after, which lets the regex
# engine skip to the next mark: five times faster than a look-behind first.
QUOTATION = re.compile(r"[\"“«'‘](?<!\w.)(?:(?<=[\"“«])([^\"“”«»]+)[\"”»]|(?<=['‘])([^'‘’\"“”]+)['’])(?!\w)", re.DOTALL)
MIN_QUOTE_WORDS = 2
_OPENING_APOSTROPHE = re.compile(r"'(?<!\w')")  # as QUOTATION opens with one: not after a word character
OPENING_MARKS = "\"'“‘«"
_CLOSING = re.compile(r"[.,!?;:]*[\"'”’»]")
_SPEECH_MARKS = re.compile(r"[\"“”]")
# words that introduce a quotation as a name, right before its opening mark
_NAMING = re.compile(r"(?:\bknown as|\bso-called|\bthe term|\bthe concept of|\bwhat (?:it|he|she|they) called"
                     r"(?: a| an| the)?|\bdubbed|\btermed)\s*$", re.IGNORECASE)
FRAME_DISTANCE = 2  # sentences apart at most for a phrase ending in a common word to be a frame
_FIGURE_AFTER = re.compile(r"\s*[£$€¥]?\d")  # a figure follows the phrase
_FIGURE_BEFORE = re.compile(r"\d[,.\-–]$")  # the phrase starts inside a figure or range ("5,[000 polygons]")
NO_QUOTATION = 1 << 30
_PARTS = re.compile(r"\S*\w\S*")  # a quotation has at least as many words as these parts
MIN_NAMED_CONTENT = 2  # content words of an echo's phrase that are not names
# An edited copy: the longer sentence has EDITED_MIN_WORDS words or more, and the words
# the two have in order are EDITED_SHARE of its words. Planted copies of BBC sentences
# with three words replaced keep 0.70-0.85, a third of their words replaced or moved
# 0.64-0.77; on BBC itself every pair at 0.7 or more that the sentence comparison misses
# is a sentence copied into another story and edited (docs/tuning.md section 15).
EDITED_SHARE = 0.7
EDITED_MIN_WORDS = 10


@dataclass(frozen=True, slots=True)
class _Place:
    """Where a run sits: a checked unit and the run's words in it."""

    unit: int  # checked id
    start: int  # first word
    length: int


class _Texts:
    """What is read of the units in candidate runs, each unit read once. With
    ``texts_only`` (the echoes read beside the comparison, which make no finding), a
    UnitList's rows are unpacked for their texts and not kept: at four times BBC the
    rows of the articles read are 50 MB, their texts a third of it."""

    def __init__(self, docs: tuple[Document, ...], units: tuple[Sequence[Unit], ...], checked: Checked,
                 texts_only: bool = False) -> None:
        self.docs, self.units, self.c = docs, units, checked
        self._texts: dict[int, list[str]] | None = {} if texts_only else None
        self._spans: dict[int, list[tuple[int, int]]] = {}
        self._words: dict[int, list[str]] = {}
        self._lines: dict[int, LineIndex] = {}
        self._quotes: dict[int, list[tuple[int, str | tuple[str, ...]]]] = {}
        self._shortest: dict[int, int] = {}

    def unit(self, i: int) -> Unit:
        return self.units[self.c.doc[i]][self.c.unit[i]]

    def text(self, i: int) -> str:
        """A unit's text; a unit of a UnitList is not made for it."""
        units = self.units[self.c.doc[i]]
        if not isinstance(units, UnitList):
            return units[self.c.unit[i]].text
        if self._texts is None:
            return units.text(self.c.unit[i])
        if (texts := self._texts.get(self.c.doc[i])) is None:
            texts = self._texts[self.c.doc[i]] = [r[2] for r in units.passing_rows()]
        return texts[self.c.unit[i]]

    def spans(self, i: int) -> list[tuple[int, int]]:
        if i not in self._spans:
            self._spans[i] = normalize.word_spans(self.text(i))
        return self._spans[i]

    def words(self, i: int) -> list[str]:
        if i not in self._words:
            self._words[i] = normalize.words(self.text(i))
        return self._words[i]

    def fits(self, p: _Place) -> bool:
        """The run lies in the words read now (always, unless normalisation changed
        under a cached comparison)."""
        return p.start + p.length <= len(self.words(p.unit))

    def placed(self, p: _Place) -> bool:
        """Every word read has its place in the text (word_spans agrees with words)."""
        return len(self.spans(p.unit)) == len(self.words(p.unit))

    def bounds(self, p: _Place) -> tuple[int, int]:
        """The run's start and end in its unit's text."""
        spans = self.spans(p.unit)
        return spans[p.start][0], spans[p.start + p.length - 1][1]

    def sides(self, p: _Place) -> tuple[str, str]:
        """The unit's text before and after the run at this place."""
        a, b = self.bounds(p)
        text = self.text(p.unit)
        return text[:a], text[b:]

    def phrase(self, p: _Place) -> tuple[str, ...]:
        return tuple(self.words(p.unit)[p.start : p.start + p.length])

    def capitalised(self, p: _Place) -> list[bool]:
        """Per word of the run: it starts with a capital letter at this place."""
        text = self.text(p.unit)
        return [text[a : a + 1].isupper() for a, _ in self.spans(p.unit)[p.start : p.start + p.length]]

    def after_name(self, p: _Place, i: int) -> bool:
        """The run's word ``i`` follows a capitalised word that does not start its
        sentence: a figure there is part of a name ("Radio 1", "Xbox 2")."""
        spans, text = self.spans(p.unit), self.text(p.unit)
        j = p.start + i
        return j > 1 and text[spans[j - 1][0] : spans[j - 1][0] + 1].isupper()

    def shortest(self, i: int) -> int:
        """At most the words of the unit's shortest quotation (a large number when it
        has none): the quotations are found once per unit."""
        if i not in self._shortest:
            self.find_quotations((i,))
        return self._shortest[i]

    def find_quotations(self, ids: Iterable[int]) -> None:
        """Find the quotations of these units, in one loop (about 20,000 units on BBC),
        each with a bound of its words (_PARTS)."""
        quotes, shortest, finditer, parts = self._quotes, self._shortest, QUOTATION.finditer, _PARTS.findall
        for i in ids:
            if i not in shortest:
                text = self.text(i)
                # most sentences have no opening mark at all (QUOTATION's first character),
                # and most apostrophes follow a letter ("it's", "BBC's"): no opening mark
                found = quotes[i] = ([(len(parts(q)), q) for m in finditer(text) if (q := m.group(1) or m.group(2))]
                                     if '"' in text or "“" in text or "‘" in text or "«" in text
                                     or ("'" in text and _OPENING_APOSTROPHE.search(text))
                                     else [])
                shortest[i] = min(bound for bound, _ in found) if found else NO_QUOTATION

    def quotations(self, i: int, most: int) -> list[tuple[str, ...]]:
        """The words of each quotation of MIN_QUOTE_WORDS to ``most`` words in a unit's
        text. A quotation is read into words only when its whitespace-separated parts
        with a letter or digit, fewer than or as many as its words, are at most ``most``:
        most quotations are whole remarks, far longer than any echo."""
        if self.shortest(i) > most:
            return []
        out = []
        for n, (bound, q) in enumerate(self._quotes[i]):
            if bound > most:
                continue
            if isinstance(q, str):
                q = tuple(normalize.words(q))
                self._quotes[i][n] = (len(q), q)
            if MIN_QUOTE_WORDS <= len(q) <= most:
                out.append(q)
        return out

    def quoted(self, p: _Place) -> tuple[int, int] | None:
        """Where the run holds a whole quotation at this place (its first word in the
        run, its length): "firm but fair" in 'was "firm but fair" in'. The longest
        quotation held wins."""
        phrase = self.phrase(p)
        for q in sorted(self.quotations(p.unit, p.length), key=len, reverse=True):
            for s in range(p.length - len(q) + 1):
                if phrase[s : s + len(q)] == q:
                    return s, len(q)
        return None

    def occurrence(self, p: _Place) -> Occurrence:
        """The run's own span in the source, with its sentence's span as context."""
        doc, unit = self.c.doc[p.unit], self.unit(p.unit)
        document = self.docs[doc]
        block = document.blocks[unit.block]
        a, b = self.bounds(p)
        start = block.source_offset(unit.text_start + a)
        end = block.source_offset(unit.text_start + b, end=True)
        if doc not in self._lines:
            self._lines[doc] = LineIndex(document.source)
        span = self._lines[doc].span(start, end)
        share = p.length / len(self.words(p.unit))
        return Occurrence(document.path, span, document.source[start:end], doc, (unit.index,), unit.role, share,
                          "run", 0, unit.span)


class _Together:
    """Whether two units already lie in one finding (a document finding holds every
    unit of its articles)."""

    def __init__(self, existing: Sequence[Finding]) -> None:
        self.by_unit: dict[tuple[int, int], set[int]] = defaultdict(set)
        self.by_doc: dict[int, set[int]] = defaultdict(set)
        self.count = 0  # findings indexed
        self.add(existing)

    def add(self, found: Sequence[Finding]) -> None:
        """Index more findings (numbered after those indexed already), not all again."""
        for n, f in enumerate(found, self.count):
            for o in f.occurrences:
                if f.kind == "document":
                    self.by_doc[o.doc].add(n)
                else:
                    for u in o.units:
                        self.by_unit[(o.doc, u)].add(n)
        self.count += len(found)

    def __call__(self, doc_a: int, unit_a: int, doc_b: int, unit_b: int) -> bool:
        a = self.by_unit.get((doc_a, unit_a), set()) | self.by_doc.get(doc_a, set())
        return bool(a) and not a.isdisjoint(self.by_unit.get((doc_b, unit_b), set()) | self.by_doc.get(doc_b, set()))


def findings(docs: tuple[Document, ...], units: tuple[Sequence[Unit], ...], checked: Checked,
             found: RunCandidates, existing: Sequence[Finding], settings: Settings,
             allow_keys: frozenset[str] = frozenset(), echoes: Sequence[RunRow] | None = None,
             kept: Callable[[Finding], bool] = lambda f: True,
             edited: Sequence[EditedPair] | None = None) -> list[Finding]:
    """Findings of edited copies, shared runs and echoes, from the candidate runs whose
    two sentences are not already together in one of the ``existing`` findings. The
    edited copies ``kept`` (the caller's rules: group.reported_phrase) come first, and
    the phrases of their sentences are not reported again; a phrase of two sentences
    whose edited copy was not kept is judged on its own. ``echoes`` and ``edited`` are
    the echo candidates and edited pairs read already (echo_runs, edited_pairs), when
    they were read beside the comparison."""
    c = checked
    texts = _Texts(docs, units, c)
    together = _Together(existing)

    def fresh(a: int, b: int) -> bool:
        return not together(c.doc[a], c.unit[a], c.doc[b], c.unit[b])

    pairs = edited_pairs(c, found, settings) if edited is None else edited
    out = [f for f in _edited_copies(texts, pairs, together, settings, allow_keys) if kept(f)]
    together.add(out)
    # a list unit (a team sheet) is reported only as a whole repeated line
    def parallel(a: int, b: int) -> bool:
        ends = {c.role[a] in STRUCTURAL_ROLES, c.role[b] in STRUCTURAL_ROLES}
        return (True in ends) if c.doc[a] == c.doc[b] else ends == {True}

    shared = _longest(r for r in found.shared if "list" not in (c.role[r[0]], c.role[r[1]])
                      and not parallel(r[0], r[1]) and fresh(r[0], r[1]))
    for places in _grouped(texts, shared, per_article=False):
        docs_in = [c.doc[p.unit] for p in places]
        kind = "repeat" if len(set(docs_in)) < len(docs_in) else "cross"
        out.append(_finding(kind, places, texts, settings, allow_keys))
    if settings.severity.get("echo") == OFF:
        return out
    read = _echo_runs(texts, found.echoes) if echoes is None else echoes
    out.extend(_finding("echo", places, texts, settings, allow_keys)
               for places in _grouped(texts, _longest(e for e in read if fresh(e[0], e[1])), per_article=True))
    return out


def echo_runs(docs: tuple[Document, ...], units: tuple[Sequence[Unit], ...], checked: Checked,
              found: RunCandidates) -> list[RunRow]:
    """The echoes the candidate runs make, read in the text (_echo), whatever findings
    their sentences are in: the part of the phrase stage that needs no grouping, so it
    can run beside the comparison."""
    return _echo_runs(_Texts(docs, units, checked, texts_only=True), found.echoes)


def _echo_runs(texts: _Texts, rows: Sequence[RunRow]) -> list[RunRow]:
    c = texts.c
    texts.find_quotations({i for r in rows if not r[5] for i in r[:2]})
    short = texts._shortest  # most runs have no bits and no quotation short enough at either place
    return [e for r in rows if (r[5] or short[r[0]] <= r[4] or short[r[1]] <= r[4])
            and c.role[r[0]] in ECHO_ROLES and c.role[r[1]] in ECHO_ROLES and (e := _echo(texts, r)) is not None]


def edited_share(a: Sequence[str], b: Sequence[str], counts: tuple[Counter[str], Counter[str]] | None = None) -> float:
    """The share of the longer text's words that the other has in the same order (0
    when the longer has fewer than EDITED_MIN_WORDS, or when their lengths or shared
    words alone rule out EDITED_SHARE, which is cheap to see). ``counts``: the two
    texts' word counts, when the caller keeps them."""
    longer = max(len(a), len(b))
    if longer < EDITED_MIN_WORDS or min(len(a), len(b)) < EDITED_SHARE * longer:
        return 0.0
    ca, cb = counts or (Counter(a), Counter(b))
    if sum((ca & cb).values()) < EDITED_SHARE * longer:
        return 0.0
    return normalize.in_order(a, b) / longer


def _jaccard(a: set, b: set) -> float:
    return len(a & b) / len(a | b) if a and b else 0.0


def _compared(a: Sequence[str], b: Sequence[str], settings: Settings) -> bool:
    """The pair reaches a threshold of the sentence comparison (verify.py): it was
    judged there, and grouping's rules (parallel lines, sibling pages) may have set it
    aside on purpose."""
    k = settings.shingle

    def shingles(w: Sequence[str]) -> set[tuple[str, ...]]:
        return {tuple(w[i : i + k]) for i in range(len(w) - k + 1)} or {tuple(w)}

    if _jaccard(shingles(a), shingles(b)) >= settings.threshold:
        return True
    ca, cb = set(a) - normalize.FUNCTION_WORDS, set(b) - normalize.FUNCTION_WORDS
    return bool(settings.word_threshold) and min(len(ca), len(cb)) >= MIN_CONTENT_WORDS and (
        _jaccard(ca, cb) >= settings.word_threshold)


def edited_pairs(checked: Checked, found: RunCandidates, settings: Settings,
                 sizes: np.ndarray | None = None) -> list[EditedPair]:
    """The sentence pairs a shared run or an echo candidate links that are edited copies
    of each other (``edited_share`` at the bar, both Jaccards under their thresholds),
    whatever findings their sentences are in: the part of the search that needs no
    grouping, so it runs beside the comparison (aside.py). A ``threshold`` over
    EDITED_SHARE is their bar too. ``sizes``: each checked unit's number of words, when
    the caller has them (else counted in the keys).

    Each pair once (its first row), and the cheap tests first, on all rows at once:
    of BBC's 17,500 rows, 6,000 pairs are ruled out by their lengths alone."""
    c = checked
    rows = [*found.shared, *found.echoes]
    if not rows:
        return []
    bar = max(EDITED_SHARE, settings.threshold)  # a run asking for closer copies asks it of edited ones too
    ab = np.fromiter(chain.from_iterable(r[:2] for r in rows), dtype=np.int64, count=2 * len(rows)).reshape(-1, 2)
    _, first = np.unique(ab.min(axis=1) * len(c.key) + ab.max(axis=1), return_index=True)
    ab = ab[np.sort(first)]  # each pair once, in the order of its first row, as that row has it
    if sizes is None:
        size = np.fromiter((c.keys[c.key[i]].count(" ") + 1 for i in ab.ravel().tolist()), dtype=np.int64,
                           count=ab.size).reshape(-1, 2)
    else:
        size = np.asarray(sizes, dtype=np.int64)[ab]
    longer, shorter = size.max(axis=1), size.min(axis=1)
    ab = ab[(longer >= EDITED_MIN_WORDS) & (shorter >= EDITED_SHARE * longer)]
    # each sentence's words as its key holds them (the normalised words, joined), and
    # their distinct words and counts, made once per key: a sentence is in many pairs.
    # They are dropped after the last pair of their key: at four times BBC, 2,400 keys
    # are held at once instead of 24,000 (78 MB).
    split: dict[int, tuple[list[str], frozenset[str]]] = {}
    counted: dict[int, Counter[str]] = {}
    role, doc, block, pos, key, keys = c.role, c.doc, c.block, c.pos, c.key, c.keys
    pairs = ab.tolist()
    last = {key[i]: n for n, ab_n in enumerate(pairs) for i in ab_n}  # the last pair of each key
    out: list[EditedPair] = []
    for n, (a, b) in enumerate(pairs):
        ka, kb = key[a], key[b]
        try:
            if role[a] not in ECHO_ROLES or role[b] not in ECHO_ROLES:
                continue
            if doc[a] == doc[b] and block[a] == block[b] and abs(pos[a] - pos[b]) == 1:
                continue  # side by side in one paragraph: a contrast ("... is excluded" / "... is included")
            if (wsa := split.get(ka)) is None:
                w = keys[ka].split()
                wsa = split[ka] = (w, frozenset(w))
            if (wsb := split.get(kb)) is None:
                w = keys[kb].split()
                wsb = split[kb] = (w, frozenset(w))
            (wa, sa), (wb, sb) = wsa, wsb
            least = EDITED_SHARE * max(len(wa), len(wb))
            if len(sa & sb) + len(wa) - len(sa) < least:
                continue  # too few words in common even counting each repeated word of ``a`` as shared
            for k, w in ((ka, wa), (kb, wb)):
                if k not in counted:
                    counted[k] = Counter(w)
            share = edited_share(wa, wb, (counted[ka], counted[kb]))
            if share >= bar and not _compared(wa, wb, settings):
                out.append((a, b, share))
        finally:
            for k in (ka, kb):
                if last[k] == n:
                    split.pop(k, None)
                    counted.pop(k, None)
    return out


def _edited_copies(texts: _Texts, pairs: Sequence[EditedPair], together: _Together, settings: Settings,
                   allow_keys: frozenset[str]) -> list[Finding]:
    """Findings of edited copies (measure "order") among ``pairs`` (edited_pairs) whose
    sentences are in no finding yet (a unit is in one sentence-level finding at most).
    They group as stars (clusters.py): the sentence with most edited copies leads, and
    every other joins the leader it is closest to."""
    c = texts.c
    near: dict[int, dict[int, float]] = defaultdict(dict)
    for a, b, share in pairs:
        if together.by_unit.get((c.doc[a], c.unit[a])) or together.by_unit.get((c.doc[b], c.unit[b])):
            continue
        if c.doc[a] != c.doc[b] and together(c.doc[a], c.unit[a], c.doc[b], c.unit[b]):
            continue  # copies of one article: the document finding says it
        near[a][b] = near[b][a] = share
    if not near:
        return []
    groups = stars({i: (len(n), 0) for i, n in near.items()}, near, 1.0)
    least = boilerplate_articles(settings, len(texts.docs))
    return [_edited_finding(texts, g, settings, allow_keys, least) for g in groups.values() if len(g.members) > 1]


def _edited_finding(texts: _Texts, star: Star, settings: Settings, allow_keys: frozenset[str],
                    least: int) -> Finding:
    """One edited sentence and its copies, each scored by its share in order (1.0 for
    the leader); ``near`` when two of them are in one article, else ``cross`` (or
    ``boilerplate`` over ``least`` articles)."""
    c = texts.c
    ids = sorted(star.members, key=lambda i: (texts.docs[c.doc[i]].path, c.unit[i]))
    docs = [c.doc[i] for i in ids]
    if len(set(docs)) < len(docs):
        kind = "near"
    elif settings.scope == "repo" and len(set(docs)) >= least:
        kind = "boilerplate"
    else:
        kind = "cross"
    keys: dict[str, int] = {c.keys[c.key[star.leader]]: 0}
    occs = []
    for i in ids:
        unit, document = texts.unit(i), texts.docs[c.doc[i]]
        span = unit.span
        variant = keys.setdefault(c.keys[c.key[i]], len(keys))
        score = 1.0 if variant == 0 else float(star.members[i])  # type: ignore[arg-type]
        occs.append(Occurrence(document.path, span, document.source[span.offset : span.offset + span.length],
                               c.doc[i], (unit.index,), unit.role, score, "order", variant))
    quiet = _quiet(texts, settings, allow_keys)
    live = sum(1 for i in ids if not quiet(i))
    h = hashlib.sha256(kind.encode())
    for key in sorted(keys):
        h.update(b"\0" + key.encode("utf-8"))
    return Finding(kind, settings.severity.get(kind, "error"), min(o.similarity for o in occs),  # type: ignore[arg-type]
                   tuple(occs), h.hexdigest()[:32], live < 2, "order", ids.index(star.leader))


def _longest(rows: Iterable[RunRow]) -> list[RunRow]:
    """The longest run of each pair of units: one phrase per pair of sentences."""
    best: dict[tuple[int, int], RunRow] = {}
    for row in rows:
        pair = (row[0], row[1])
        if pair not in best or row[4] > best[pair][4]:
            best[pair] = row
    return list(best.values())


def _echo(texts: _Texts, row: RunRow) -> RunRow | None:
    """The echo a run inside one article makes, read in the text, or None:

    - a whole quotation at one of its places (the quotation is the echo: "firm but
      fair", not 'had been "firm but fair'), with a content word that is not a name
      ("No More Mr Nasty" is a title), unless it is a term (_term: introduced as a
      name, or two words given in quotation marks then used bare);
    - else a phrase (RUN_PHRASE) with MIN_NAMED_CONTENT content words that are not
      names (capitalised at both places), unless both places are inside quoted speech
      (a speaker's own words, which an editor does not rewrite: "he was selling a
      product" twice in one remark), or it is a frame whose objects differ: followed
      by a figure at both places ("climbed to a season's best of 2.20m ... of 5.25m"),
      or ending in a common word in sentences at most FRAME_DISTANCE apart ("Barely 5%
      wanted a player that could play music. Only 7% wanted a player that could handle
      games.");
    - else a number heading a content word (RUN_NUMBER) written in lower case at both
      places, after a word that is not a name ("1,200 passengers", not "Radio 1
      listeners" nor "Xbox 2 sales"), and the whole figure at both places ("000
      players" of "200,000 players" and "100,000 players" is none, nor "40 hours" of
      "30-40 hours")."""
    a, b, start_a, start_b, n, bits, content, heads = row
    if not bits and (texts.shortest(a) > n < texts.shortest(b) or not (texts.quotations(a, n)
                                                                      or texts.quotations(b, n))):
        return None  # most runs: no quotation short enough at either place (no words read)
    pa, pb = _Place(a, start_a, n), _Place(b, start_b, n)
    if not all(texts.fits(p) and texts.placed(p) for p in (pa, pb)):
        return None  # as in _runs: word_spans and words disagree (Chinese and Japanese text)
    caps = [x and y for x, y in zip(texts.capitalised(pa), texts.capitalised(pb))]
    plain = [bool(content >> i & 1) and not caps[i] for i in range(n)]
    for p in (pa, pb):
        at = texts.quoted(p)
        if (at is not None and any(plain[at[0] : at[0] + at[1]])  # not a title ("No More Mr Nasty")
                and not _term(texts, _Place(a, start_a + at[0], at[1]), _Place(b, start_b + at[0], at[1]))):
            return (a, b, start_a + at[0], start_b + at[0], at[1], bits, content >> at[0], heads >> at[0])
    if not bits:
        return None
    if bits & RUN_PHRASE and sum(plain) >= MIN_NAMED_CONTENT:
        sides = [texts.sides(p) for p in (pa, pb)]
        speech = all(_in_speech(*s) and not quoted_alone(*s) for s in sides)
        figures = all(_FIGURE_AFTER.match(after) for _, after in sides)
        near = abs(texts.c.pos[a] - texts.c.pos[b]) <= FRAME_DISTANCE
        frame = near and not content >> (n - 1) & 1  # ends in a common word: what follows differs
        if not (speech or figures or frame):
            return row
    if bits & RUN_NUMBER:
        words = texts.phrase(pa)
        for i in range(n - 1):
            if not heads >> i & 1 or caps[i + 1]:
                continue
            first = i  # the figure's first group ("1" of "1,200")
            while first > 0 and words[first - 1].isdigit():
                first -= 1
            if first == 0 and any(_FIGURE_BEFORE.search(texts.sides(p)[0]) for p in (pa, pb)):
                continue  # the run starts inside a longer figure at one place
            named = caps[first - 1] if first > 0 else texts.after_name(pa, first) and texts.after_name(pb, first)
            if not named:
                return row
    return None


def _term(texts: _Texts, first: _Place, later: _Place) -> bool:
    """A quotation introduced as a name at either place ('known as "passing off"', 'a
    so-called "denial of service" attack', "the term 'dance music'"), or one of two
    words that the article first gives in quotation marks of their own and later uses
    bare, outside quoted speech ('the bill proposes "control orders"' ... 'to impose
    control orders'), is a term, not a quote given twice."""
    now, then = texts.sides(first), texts.sides(later)
    if any(quoted_alone(*side) and _NAMING.search(side[0].rstrip()[:-1]) for side in (now, then)):
        return True
    return first.length == 2 and quoted_alone(*now) and not quoted_alone(*then) and not _in_speech(*then)


def quoted_alone(before: str, after: str) -> bool:
    """The phrase is a whole quotation here: in quotation marks of its own (the
    closing mark may follow the sentence's own punctuation)."""
    return before.rstrip()[-1:] in OPENING_MARKS and _CLOSING.match(after) is not None


def _in_speech(before: str, after: str) -> bool:
    """The phrase lies inside quoted speech: an odd number of double quotation marks
    before it in its sentence, or none before it and the first mark after it closes
    (the speech began in an earlier sentence): a curly closing mark, or a straight one
    right after a word or punctuation rather than after a space ('... saying: "I'm')."""
    marks = len(_SPEECH_MARKS.findall(before))
    if marks:
        return marks % 2 == 1
    first = _SPEECH_MARKS.search(after)
    return first is not None and (first.group() == "”" or (first.group() == '"' and first.start() > 0
                                                             and not after[first.start() - 1].isspace()))


def _grouped(texts: _Texts, rows: Iterable[RunRow], per_article: bool) -> list[list[_Place]]:
    """Places of the runs grouped by their words: one finding per repeated text with
    all its places; ``per_article`` (echoes) keeps each article's places apart."""
    groups: dict[tuple[int, tuple[str, ...]], dict[tuple[int, int], _Place]] = defaultdict(dict)
    for a, b, start_a, start_b, n, *_ in rows:
        pa, pb = _Place(a, start_a, n), _Place(b, start_b, n)
        if not all(texts.fits(p) and texts.placed(p) for p in (pa, pb)):
            continue
        g = groups[(texts.c.doc[a] if per_article else -1, texts.phrase(pa))]
        g.setdefault((a, start_a), pa)
        g.setdefault((b, start_b), pb)
    return [sorted(g.values(), key=lambda p: (p.unit, p.start)) for _, g in sorted(groups.items())]


def _quiet(texts: _Texts, settings: Settings, allow_keys: frozenset[str]) -> Callable[[int], bool]:
    """Whether a checked unit is silenced: suppressed by a directive, or allowed (its key
    among ``allow_keys``, or its text matched by an ``re:`` entry of the allow list). A
    finding with fewer than two places left is suppressed."""
    c = texts.c
    allow_res = [re.compile(a[len(ALLOW_REGEX_PREFIX) :]) for a in settings.allow if a.startswith(ALLOW_REGEX_PREFIX)]
    return lambda i: (c.suppressed[i] or c.keys[c.key[i]] in allow_keys
                      or any(r.search(texts.text(i)) for r in allow_res))


def _finding(kind: str, places: list[_Place], texts: _Texts, settings: Settings,
             allow_keys: frozenset[str]) -> Finding:
    """A finding of one phrase at its places. Its fingerprint is the kind, the phrase
    and the sentences it sits in (as normalised keys): stable when lines move."""
    c = texts.c
    occs = [texts.occurrence(p) for p in places]
    order = sorted(range(len(occs)), key=lambda n: (occs[n].path, occs[n].span.offset))
    occs, places = [occs[n] for n in order], [places[n] for n in order]
    h = hashlib.sha256(kind.encode() + b"\0" + " ".join(texts.phrase(places[0])).encode("utf-8"))
    for key in sorted({c.keys[c.key[p.unit]] for p in places}):
        h.update(b"\0" + key.encode("utf-8"))
    quiet = _quiet(texts, settings, allow_keys)
    live = sum(1 for p in places if not quiet(p.unit))
    return Finding(kind, settings.severity.get(kind, "warning"), min(o.similarity for o in occs),  # type: ignore[arg-type]
                   tuple(occs), h.hexdigest()[:32], live < 2, "run", 0, places[0].length)
