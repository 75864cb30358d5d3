"""Grouping: verified pairs -> Findings, one per repeated text.

In: the checked units (their document, position and exact-repeat key), verified
near-duplicate pairs between keys, verified near-copy document pairs. Out: findings,
each one repeated text with every place it occurs, in every article; each place with
its own exact similarity to the group's representative.

A near pair reached the threshold of one of two signals (verify.py): word shingles
(``measure`` "shingles") or word sets ("words"). A pair found only by the word signal
is weaker than any shingle pair (``Strength``).

Rules, in order:
1. Documents: two articles that are near-copies are one ``document`` finding; copies
   group as stars around the article with most copies, never in chains. Text shared
   only between copies of one article is not reported again, and when text is counted
   over articles (boilerplate), the copies of one article count once.
2. Sentences: exact copies group first, by their normalised key. Keys then group as
   stars (leader grouping): the key with most copies, then widest reach (its copies and
   those of the keys near it), leads; a key near no leader leads a group of its own; every
   other key joins the leader it is most similar to. So a unit is in at most one group,
   and A~B, B~C never puts A and C together unless one of them leads. A list unit
   (segment.py: a team sheet) groups only with exact copies in its own article, and
   with one near variant that keeps LIST_SHARE_WITHIN of its words in order in one
   article (LIST_SHARE_ACROSS between articles): the line given again with a word
   changed, not another team sheet.
3. Passages (passages.py): units matched in the same order at two places (in one
   article, the consecutive units of a paragraph given twice; between articles, seeds
   extended over reworded neighbours and merged across small gaps) make one passage
   finding; passages that share a place merge, so a paragraph pasted into N articles is
   one finding with N places. A place is in its passage when half its units are linked
   to the representative's and the places kept link half the representative's; places
   left out may make a passage of their own. A sentence group whose every place lies
   inside a passage, no two in one place, is not reported again.
4. Kinds come from what a group contains, so severity never drops as copies are added:
   a text repeated inside one article is a ``caption`` (a caption or standalone line
   among the copies), ``repeat`` (an exact copy) or ``near`` (a near variant) there,
   and the same finding lists its places in other articles. Otherwise a text spread
   over ``boilerplate_articles`` articles or more is ``boilerplate``; else ``cross``.
5. Parallel lines: variants (not copies) that are parallel structure, not restatement:
   two short sentences side by side in one paragraph ("Doctors are saying they want
   more clarity. Patients are saying they want more clarity."); two variants both shorter than
   MIN_NEAR_WORDS; a list item, table cell, heading or plain-text headline and a line
   of the same article that varies it ("Start the server:" / "Stop the server on port
   80:", a headline and the lead that restates it); two
   standalone lines in a run whose only difference is one substituted word or two, and
   two lines shorter than MIN_CROSS_WORDS in different articles one substitution apart,
   are parallel structure, not near-duplicates. A caption or sentence reprinted with
   one word changed still is.
6. A text shared between articles and repeated inside none must have MIN_CROSS_WORDS
   words to be a ``cross`` finding: short lines in a few articles are stock phrasing.
   So must a phrase shared inside longer sentences (phrases.py's shared runs,
   ``reported_phrase``); and a phrase that is one proper name is no repeat at all.
   A caption or standalone line (a photo caption reused in another story) is exempt.
   List items, cells and headings shared by a few articles (example lines of sibling
   pages) need more than PARALLEL_MAX_WORDS words; and a passage that mixes template
   lines with shared text needs MIN_PASSAGE_UNITS units of that text.
7. Reference pages (``reference_title``: a title, opening prose, then only list items)
   are written from one pattern: text shared only by such pages with different titles
   is a template, not a copy, when it varies between them, is given word for word on
   SIBLING_PAGES pages or more, or is a list item on one page and another's
   description. One page on two platforms keeps its title, and a page copied into
   another keeps the text word for word, so both stay reported.
8. Own names (``own_names``): text shared by pages that varies only in each page's own
   name is one template filled in per page; a copy word for word stays.
9. Sections of a scraped plain-text page (sections.py): readers' letters are by
   different writers, so a text under MIN_CROSS_WORDS words repeated inside one article
   only through its readers' section (letters quoting the story or one another: "Best
   song of the last 25 years?" in two letters) is not the article repeating itself,
   while a sentence pasted into two letters, or a standalone line, still is; nor is the
   same line in the same slot of two parallel sections (a spec box giving "Wireless and
   a dvd burner can be added at extra cost." under two computers). Both need every
   place in the one article (``reported_in_sections``).
10. Sections of a Markdown page (SECTIONED_PAGE headings or more): a phrase shared by
   sentences of one section, and two variants in different paragraphs of one section
   below SECTION_PARALLEL_BELOW, are statements written side by side (each case, each
   example, a rule and its exception); said again in another section, or by a note (a
   blockquote) in its section, they are a restatement and stay reported (``one_section``).
11. Pages of a site generator (front matter: a documentation site, ``site_page``): a
   place shared with another page below SITE_CROSS_MIN is the site's phrasing of another
   subject, not a copy ("The `IsHome` method ... `home`" / "The `IsPage` method ...").
12. ... and a phrase given again inside other sentences of a site's page is its house
   phrasing, not a repeat; a note saying it again, a whole sentence or passage given
   twice, and echoes are still reported.
13. ... and text shared only by sibling pages of one section of the site (one folder
   below the folder all pages lie in, ``one_folder``), or two such pages near but not
   equal (compare.py), are written from the section's template; a text copied into a
   page of another section is what drifts, and is reported.
Docs-site structure (``_Builder.finding``): lead-ins in prose and in a list's steps;
short details, and what two entries of a reference list both say of themselves (or the
same field listed in two sections); a summary restated under the heading after it
(``across_heading``); a parent page's index entry linking to the page it summarises;
cells of one table; a short cross-reference with a link given where each topic needs
it; and text of pages that differs only in words marked as names (``names_filled_in``)
are not repeats. A whole sentence, note or paragraph given twice in a page still is.

Suppression: an occurrence is quiet when every unit it covers is suppressed by a
comment directive (``Unit.suppressed``) or on the ``allow`` list (an exact sentence,
compared by normalised key, or ``re:PATTERN`` searched in the unit's text). A finding
is suppressed when fewer than two of its occurrences are left that are not quiet:
marking one copy of a repeat as intended silences the pair, but one ignored copy of a
footer found in fifty articles leaves the other forty-nine reported.
"""

from __future__ import annotations

import functools
import hashlib
import math
import os
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from pathlib import PurePath

from dedupe.clusters import Star, boilerplate_articles, stars
from dedupe.model import (
    ALLOW_REGEX_PREFIX,
    CAPTION_ROLES,
    Checked,
    Document,
    Finding,
    LineIndex,
    Occurrence,
    RunRow,
    Settings,
    Span,
    Unit,
    UnitList,
)
from dedupe.normalize import FUNCTION_WORDS, in_order
from dedupe.normalize import words as normalize_words
from dedupe.passages import MIN_PASSAGE_UNITS, Passage, Place, coverage, passages
from dedupe.provenance import front_matter
from dedupe.sections import Sections

PASSAGE_MIN_SHARE = 0.5  # of a place's units linked to the representative's, to be in its passage
TITLE_ROLES = frozenset({"title", "heading"})  # a page's first unit in one of these roles is its title
STRUCTURAL_ROLES = frozenset({"item", "cell", "heading"})  # parallel by design when short
LEAD_IN_ROLES = ("sentence", "item")  # a lead-in stands in a paragraph or a list's step
# Text shared between pages of a site generator (front matter: a documentation site)
# reaches this similarity to be a copy (rule 11): below it, sibling pages say the same of
# their own subjects ("The `IsHome` method ... `home`" / "The `IsPage` method ... `page`",
# 0.65 and under), and a copy that drifted keeps more ("... access to its methods" /
# "... access to page context", 0.79).
SITE_CROSS_MIN = 0.6
SECTIONED_PAGE = 2  # headings that make a page one divided into sections (rule 10)
# Two variants in one section of such a page, in different paragraphs and below this
# similarity, are parallel statements (each case, each example); a sentence given again
# with a word or two changed keeps more of its shingles and is still a near-duplicate.
SECTION_PARALLEL_BELOW = 0.7
PARALLEL_MAX_WORDS = 40  # "short": lines longer than this are prose, however they are marked up
# A text shared by articles (not repeated inside one) must be this long to be reported:
# shorter shared lines ("Start the game:", "Display the help:") are stock phrasing.
MIN_CROSS_WORDS = 10
# Two variants (not copies) both shorter than this are not near-duplicates, but for
# captions and standalone lines: short sentences that share most words are stock
# ("I agree with Mr Forsyth.", "Best song in 25 years?" in readers' comments).
MIN_NEAR_WORDS = 8
PARALLEL_MAX_SUBSTITUTED = 2  # words replaced at one place, on each side
# A list unit (a team sheet) is near another only when this share of the longer one's
# words are in the same order (normalize.in_order), in one article and between articles:
# BBC's team sheets of one side for two matches differ by a player (0.94 at most).
LIST_SHARE_WITHIN = 0.9
LIST_SHARE_ACROSS = 0.95
# Two variants whose shared words come in a different order (the longest run of them in
# order is under this share) say the same of swapped subjects: "At Leeds, Iron Maiden
# will headline the first day ... At Reading, the Pixies will headline the first day",
# "Convert a PBM image to a Sun icon." / "Convert a Sun icon to a PBM image." A restated
# sentence keeps most of its words in order (0.8 and more in the labelled samples).
REORDER_SHARE = 0.7
REORDER_MAX_WORDS = 15  # ... between articles only for lines this short that start alike (descriptions)
# Text given word for word on this many pages with different titles, and on no two with
# one title, is a template note ("Note: `./...` is a Go package pattern ..." on five `go`
# subcommand pages), below the boilerplate cut-off (rule 7).
SIBLING_PAGES = 3
_NAME_WORD = re.compile(r"[^\W_][\w'’.-]*")
# Text marked as a name or term in Markdown: inline code, emphasis, a link's text.
_MARKED = re.compile(r"(`+)(?P<code>.+?)\1|(?<![\w*])(\*{1,2}|_{1,2})(?P<em>[^\s*_](?:.*?[^\s*_])?)\3(?![\w*])"
                     r"|\[(?P<link>[^\]\[]+)\][(\[]", re.DOTALL)

# A Markdown link (inline, reference or collapsed) or an HTML one.
_LINK = re.compile(r"\]\([^)\s]*[^)]*\)|\]\[[^\]]*\]|<a\s[^>]*href=", re.IGNORECASE)
# A list entry that opens with a Markdown link, after the list marker: its target.
_LEADING_LINK = re.compile(r"[ \t>]*(?:[-*+]|\d{1,9}[.)])[ \t]+\[[^\]\n]*\]\((?P<target>[^)\s]+)[^)]*\)")

# A pair's strength: (1, s) when it reaches the shingle threshold with shingle Jaccard s,
# (0, s) when it reaches only the word threshold, with word Jaccard s. Comparisons and
# min() put a "words" pair below any shingle pair.
Strength = tuple[int, float]
MEASURES = ("words", "shingles")  # index = first element of a Strength
EXACT: Strength = (1, 1.0)
NearKey = tuple[int, int, float, str]  # (key a, key b, exact similarity, measure), a < b


def strength(similarity: float, measure: str) -> Strength:
    return (MEASURES.index(measure), similarity)


def one_substitution(a: Sequence[str], b: Sequence[str], most: int = PARALLEL_MAX_SUBSTITUTED) -> bool:
    """True when two word lists differ only in one place, where one to ``most`` words
    replace one to ``most`` others ("start the server" / "stop the server")."""
    head, tail = common_ends(a, b)
    left, right = len(a) - head - tail, len(b) - head - tail
    return 1 <= left <= most and 1 <= right <= most


def common_ends(a: Sequence[str], b: Sequence[str]) -> tuple[int, int]:
    """How many words two lists share at their start, and then at their end (the two
    never overlap)."""
    n = min(len(a), len(b))
    head = 0
    while head < n and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < n - head and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    return head, tail


class _Builder:
    """Turns groups of checked ids into Findings with spans read off the index."""

    def __init__(self, docs: tuple[Document, ...], units: tuple[Sequence[Unit], ...], checked: Checked,
                 settings: Settings, allow_keys: frozenset[str], copy_of: dict[int, int]) -> None:
        self.docs, self.units, self.c, self.settings = docs, units, checked, settings
        self.allow_keys = allow_keys
        self.allow_res = [re.compile(a[len(ALLOW_REGEX_PREFIX) :]) for a in settings.allow
                          if a.startswith(ALLOW_REGEX_PREFIX)]
        self.copy_of = copy_of  # document -> the document its copy cluster is counted as
        self.edges: set[tuple[int, int]] = set()  # verified near key pairs that group (rule 5 applied)
        self.least = boilerplate_articles(settings, len(docs))
        self._block_units: Counter[tuple[int, int]] | None = None  # units per (document, block)
        self._site: dict[int, bool] = {}  # document -> a page of a site generator
        self._words: dict[int, list[str]] = {}  # key -> its words (the rules read them for each place)
        self._titles: dict[int, tuple[str, ...] | None] = {}  # document -> its reference_title

    def words(self, k: int) -> list[str]:
        """The words of key ``k``, split once (do not modify the list)."""
        words = self._words.get(k)
        if words is None:
            words = self._words[k] = self.c.keys[k].split()
        return words

    def most_words(self, places: list[list[int]], cap: int) -> int:
        """The words of the longest place, or a number over ``cap`` once one place has more
        (the rules compare it with ``cap`` and less: a long passage is not counted out)."""
        most = 0
        for ids in places:
            n = 0
            for i in ids:
                n += len(self.words(self.c.key[i]))
                if n > cap:
                    return n
            most = max(most, n)
        return most

    def title(self, d: int) -> tuple[str, ...] | None:
        """Document ``d``'s ``reference_title``, read once."""
        if d not in self._titles:
            self._titles[d] = reference_title(self.units[d])
        return self._titles[d]

    def quiet(self, i: int) -> bool:
        """Checked unit ``i`` may repeat: suppressed by a comment, or on the allow list."""
        c = self.c
        return (c.suppressed[i] or c.keys[c.key[i]] in self.allow_keys
                or any(r.search(self.units[c.doc[i]][c.unit[i]].text) for r in self.allow_res))

    def occurrence(self, ids: list[int], similarity: Strength, measure: str, variant: int) -> Occurrence:
        """One occurrence covering checked ids of one document, first to last."""
        c = self.c
        doc = c.doc[ids[0]]
        a, z = c.span(ids[0]), c.span(ids[-1])
        span = Span(a.offset, z.offset + z.length - a.offset, a.line, a.column, z.end_line, z.end_column)
        source = self.docs[doc].source
        role = c.role[ids[0]] if len(ids) == 1 else "sentence"
        covered = tuple(range(c.unit[ids[0]], c.unit[ids[-1]] + 1))
        return Occurrence(self.docs[doc].path, span, source[span.offset : span.offset + span.length], doc,
                          covered, role, similarity[1], measure, variant)  # type: ignore[arg-type]

    def articles(self, docs: Iterable[int]) -> int:
        """How many articles these documents are, the copies of one article counted once."""
        return len({self.copy_of.get(d, d) for d in docs})

    def kind(self, places: list[list[int]], variants: list[int],
             related: Callable[[int, int], bool] | None = None) -> str:
        """The kind of a group of places (checked ids each) with their variants (rule 4).
        Two places of one article make it a repeat only when they repeat each other: the
        same variant, or (one unit each) a verified near pair; two variants that only share
        a leader elsewhere are not a repeat inside that article."""
        c = self.c
        by_doc: dict[int, list[int]] = defaultdict(list)
        for n, ids in enumerate(places):
            by_doc[c.doc[ids[0]]].append(n)
        exact, near = False, False
        captions = False
        for ns in by_doc.values():
            for x, n in enumerate(ns):
                for m in ns[x + 1 :]:
                    if len(places[n]) == len(places[m]) == 1 and self.across_heading(places[n][0], places[m][0]):
                        continue  # a summary and the section under it that opens with it
                    if variants[n] == variants[m]:
                        exact = True
                        captions |= len(places[n]) == len(places[m]) == 1 and any(
                            c.role[i] in CAPTION_ROLES for i in places[n] + places[m])
                    elif related(n, m) if related else (min(c.key[places[n][0]], c.key[places[m][0]]),
                                                        max(c.key[places[n][0]], c.key[places[m][0]])) in self.edges:
                        near = True
        if exact:
            return "caption" if captions else "repeat"
        if near:
            return "near"
        if self.settings.scope == "repo" and self.articles(by_doc) >= self.least:
            return "boilerplate"
        return "cross"

    def own_names(self, places: list[list[int]], variants: list[int]) -> bool:
        """Rule 8 (``own_names``) for a group of places (checked ids each)."""
        if len(set(variants)) < 2 or len(set(variants)) < len(variants):
            return False
        c = self.c

        def path(ids: list[int]) -> str:
            return self.docs[c.doc[ids[0]]].path

        def word_set(ids: list[int]) -> set[str]:
            found: set[str] = set()
            for i in ids:
                found.update(self.words(c.key[i]))
            return found

        return (_names_only((path(ids), word_set(ids)) for ids in places)
                and _counts_named([(path(ids), [w for i in ids for w in self.words(c.key[i])]) for ids in places]))

    def names_filled_in(self, places: list[list[int]], variants: list[int]) -> bool:
        """Rule 8 for marked names: the places vary, and every word by which a variant
        differs from the representative's text is marked as a name or term at both places
        (inline code, emphasis, a link's text: ``terms_substituted``): one template filled
        in with each page's names ("Use the `resources.Copy` function with global, page,
        and remote resources." / "Use the `transform.Unmarshal` function ..."). A sentence
        copied and edited changes a plain word too; and pages of one name (one page on two
        platforms: "See also: `ss`" / "See also: `lsof`") are one subject, not a template."""
        if len(set(variants)) < 2:
            return False
        c = self.c

        def as_written(ids: list[int]) -> str:
            source = self.docs[c.doc[ids[0]]].source
            return " ".join(source[span.offset : span.offset + span.length] for span in map(c.span, ids))

        def text(ids: list[int]) -> tuple[list[str], str]:
            return [w for i in ids for w in self.words(c.key[i])], as_written(ids)

        first_markup = as_written(places[variants.index(0)])
        if not any(m in first_markup for m in TERM_MARKS):
            return False  # nothing marked in the representative (plain prose): no template's names
        first = [w for i in places[variants.index(0)] for w in self.words(c.key[i])], first_markup
        seen = {0}
        for ids, v in zip(places, variants):
            if v not in seen:
                seen.add(v)
                words, markup = text(ids)
                if not terms_substituted(first[0], words, first[1], markup):
                    return False
        names = [page_name(self.docs[c.doc[ids[0]]].path) for ids in places]
        return len(set(names)) == len(names)

    def lead_in(self, i: int) -> bool:
        """A lead-in of a paragraph or of a list's step (a step that leads into its example)."""
        c = self.c
        return c.role[i] in LEAD_IN_ROLES and lead_in(self.units[c.doc[i]][c.unit[i]].text,
                                                      len(c.keys[c.key[i]].split()))

    def lead_ins(self, places: list[list[int]]) -> bool:
        """Every place is one lead-in: in paragraphs, or in paragraphs and in the steps of a
        list ("Hugo renders this to:" after an example in prose and after one in a step).
        Lead-ins that are all list items are the entries of a list (a cheat sheet's
        "List installed extensions:" given twice), a duplicate entry."""
        return (all(len(ids) == 1 and self.lead_in(ids[0]) for ids in places)
                and any(self.c.role[ids[0]] == "sentence" for ids in places))

    def entry_detail(self, i: int) -> bool:
        """A short sentence among others in a list entry, cell or paragraph ("(`int`) The
        quality. Default is `10`."): a detail every entry of a reference list states in its
        words, an entry written as a paragraph too (``entry_details``)."""
        c = self.c
        if c.role[i] not in ("item", "cell", "sentence") or len(c.keys[c.key[i]].split()) >= MIN_NEAR_WORDS:
            return False
        if self._block_units is None:
            self._block_units = Counter(zip(c.doc, c.block))
        return self._block_units[c.doc[i], c.block[i]] > 1

    def entry_details(self, places: list[list[int]]) -> bool:
        """Every place is a short detail among other sentences, and one at least is in a
        list entry or cell: the detail of a reference list ("Default is `false`." under
        the options of a page), some of whose entries are written as paragraphs. Two
        paragraphs that share a short sentence, with no list entry among them, stay a repeat."""
        return (all(len(ids) == 1 and self.entry_detail(ids[0]) for ids in places)
                and any(self.c.role[ids[0]] in ("item", "cell") for ids in places))

    def entry_parts(self, places: list[list[int]]) -> bool:
        """Every place is in a list entry or table cell, each in an entry of its own, and
        either part of its entry, never the whole of it, or in entries of lists in
        different sections of a page: what two entries of a reference list both say of
        themselves ("`include` : A glob pattern matching files to include. Local files
        failing the include/exclude filters are not uploaded ..." and the same under
        `exclude`), or the same field of two things listed in two sections ("The page's
        publish date." under Open Graph and under Schema). A whole entry given twice in
        one list is a duplicate entry. Cells of one table repeat their column's values
        (``one_table``)."""
        c = self.c
        if self._block_units is None:
            self._block_units = Counter(zip(c.doc, c.block))
        entries, whole = set(), False
        for ids in places:
            if any(c.role[i] not in ("item", "cell") for i in ids) or len({c.block[i] for i in ids}) != 1:
                return False
            whole |= self._block_units[c.doc[ids[0]], c.block[ids[0]]] <= len(ids)
            entries.add((c.doc[ids[0]], c.block[ids[0]]))
        if len(entries) < len(places):
            return False
        if not whole or self.one_table(places):
            return True
        docs = {c.doc[ids[0]] for ids in places}
        if len(docs) > 1:
            return False
        roles = unit_roles(self.units[docs.pop()])
        at = [c.unit[ids[0]] for ids in places]
        return sum(1 for r in roles if r == "heading") >= SECTIONED_PAGE and not any(
            one_section(roles, p, q) for n, p in enumerate(at) for q in at[n + 1 :])

    def one_table(self, places: list[list[int]]) -> bool:
        """Every place is a cell of one table of one page (only cells between them): a
        column repeats its values ("Time zone offsets" as the category of two rows)."""
        c = self.c
        if len({c.doc[ids[0]] for ids in places}) != 1 or any(c.role[i] != "cell" for ids in places for i in ids):
            return False
        roles = unit_roles(self.units[c.doc[places[0][0]]])
        at = sorted(c.unit[i] for ids in places for i in ids)
        return all(r == "cell" for r in roles[at[0] : at[-1] + 1])

    def pointers(self, places: list[list[int]]) -> bool:
        """Every place is one short sentence (under MIN_CROSS_WORDS words) with a link: a
        cross-reference ("See [configure languages][].", "See the [inline delimiters]
        (#inline-delimiters) section for details.") placed wherever a topic needs it."""
        c = self.c
        for ids in places:
            if len(ids) != 1 or len(c.keys[c.key[ids[0]]].split()) >= MIN_CROSS_WORDS:
                return False
            span = c.span(ids[0])
            if not _LINK.search(self.docs[c.doc[ids[0]]].source, span.offset, span.offset + span.length):
                return False
        return True

    def site_pages(self, places: list[list[int]]) -> bool:
        """Every place is in a page of a site generator (``site_page``)."""
        for d in {self.c.doc[ids[0]] for ids in places}:
            if d not in self._site:  # (not ``docs - self._site.keys()``: that copies every key seen, a call)
                self._site[d] = site_page(self.docs[d].source)
            if not self._site[d]:
                return False
        return True

    def index_entry(self, ids: list[int], paths: set[str]) -> bool:
        """The place is a list entry that opens with a link to one of these pages
        (``paths``), by its file's name ("- [hugo mod clean](/commands/hugo_mod_clean/) -
        Delete the Hugo Module cache ..."): a parent page's index of its children, which
        gives each child's summary by design."""
        c = self.c
        if len(ids) != 1 or c.role[ids[0]] != "item":
            return False
        span = c.span(ids[0])
        source = self.docs[c.doc[ids[0]]].source
        line_start = source.rfind("\n", 0, span.offset) + 1
        link = _LEADING_LINK.match(source, line_start, span.offset + span.length)
        return link is not None and page_name(link.group("target")) in {page_name(p) for p in paths}

    def index_entries(self, places: list[list[int]]) -> bool:
        """The places outside one page are all index entries linking to it (``index_entry``)."""
        c = self.c
        paths = {self.docs[c.doc[ids[0]]].path for ids in places}
        rest = [ids for ids in places if not self.index_entry(ids, paths - {self.docs[c.doc[ids[0]]].path})]
        return len(rest) < len(places) and len({c.doc[ids[0]] for ids in rest}) <= 1

    def across_heading(self, i: int, j: int) -> bool:
        """Units ``i`` and ``j`` of one page stand on either side of one heading, with
        nothing else between: a page's summary restated as the opening of the section
        under it ("Display version and environment info" / "### Synopsis" / "Display
        version and environment info."), as pages generated from a program's help are."""
        c = self.c
        return c.doc[i] == c.doc[j] and across_heading(unit_roles(self.units[c.doc[i]]), c.unit[i], c.unit[j])

    def contents_entry(self, places: list[list[int]]) -> bool:
        """A heading and a list entry that names it, word for word ("Create a project" in
        the steps at the top of a page and as the heading of that step): contents by design."""
        roles = {self.c.role[ids[0]] for ids in places}
        return (all(len(ids) == 1 for ids in places) and roles == {"heading", "item"}
                and len({self.c.key[ids[0]] for ids in places}) == 1
                and len(self.c.keys[self.c.key[places[0][0]]].split()) <= PARALLEL_MAX_WORDS)

    def sibling_pages(self, places: list[list[int]], variants: list[int]) -> bool:
        """Rule 7: text shared only by reference pages with different titles
        (``reference_title``) is a template, not a copy, when it varies between them
        (sibling tools described from one pattern, "See also" lines naming each other) or
        is given word for word on SIBLING_PAGES pages or more (a suite's note), or is a
        list item on one page and another's description (a parent page's entry for its
        subcommand: "Publish smart contracts, ... and more:" on `sui`). A page
        copied from another keeps the text word for word on two pages ("consul kv" given
        "consul"'s description), or its title (one page on two platforms)."""
        docs = {self.c.doc[ids[0]] for ids in places}
        roles = {self.c.role[ids[0]] for ids in places}
        entry = all(len(ids) == 1 for ids in places) and "item" in roles and len(roles) > 1
        return sibling_titles(self.units, docs, self.title) and (
            len(set(variants)) > 1 or self.articles(docs) >= SIBLING_PAGES or entry)

    def finding(self, places: list[list[int]], scores: list[tuple[Strength, str]], variants: list[int],
                representative: int, related: Callable[[int, int], bool] | None = None) -> Finding | None:
        """A finding of places (checked ids each), each with its score against the
        representative place and its variant; None for a short text only shared (rule 6)."""
        kind = self.kind(places, variants, related)
        if kind in ("repeat", "near") and self.lead_ins(places):
            # stock connective prose: reported only as boilerplate, when it is that common
            if self.settings.scope != "repo" or self.articles(self.c.doc[ids[0]] for ids in places) < self.least:
                return None
            kind = "boilerplate"
        if self.contents_entry(places):
            return None
        if kind == "repeat" and (self.entry_details(places) or self.entry_parts(places) or self.pointers(places)):
            return None
        if kind == "cross" and self.site_pages(places):
            # rule 11: between the pages of a site, a place under SITE_CROSS_MIN is the
            # site's phrasing of another subject, not a copy of the text
            keep = [n for n, (s, _) in enumerate(scores) if n == representative or s[1] >= SITE_CROSS_MIN]
            if len(keep) < len(places):
                if len({self.c.doc[places[n][0]] for n in keep}) < 2:
                    return None
                representative = keep.index(representative)
                places, scores, variants = ([x[n] for n in keep] for x in (places, scores, variants))  # type: ignore[assignment]
        if kind == "cross":
            words = self.most_words(places, PARALLEL_MAX_WORDS)
            roles = {self.c.role[i] for ids in places for i in ids}
            if words < MIN_CROSS_WORDS and not any(
                    len(ids) == 1 and self.c.role[ids[0]] in CAPTION_ROLES for ids in places):
                return None
            if roles <= STRUCTURAL_ROLES and words <= PARALLEL_MAX_WORDS:
                return None  # example lines shared by sibling pages ("Search recursively for a pattern:")
            if (self.sibling_pages(places, variants) or self.own_names(places, variants)
                    or self.names_filled_in(places, variants) or self.index_entries(places)
                    or (self.site_pages(places) and one_folder((self.docs[self.c.doc[ids[0]]].path for ids in places),
                                                               (d.path for d in self.docs)))):
                return None
        occs = [self.occurrence(ids, s, m, v) for ids, (s, m), v in zip(places, scores, variants)]
        order = sorted(range(len(occs)), key=lambda n: (occs[n].path, occs[n].span.offset))
        weakest = min(range(len(occs)), key=lambda n: (occs[n].similarity, n))
        keys = [self.c.keys[self.c.key[i]] for ids in places for i in ids]
        live = sum(1 for ids in places if not all(self.quiet(i) for i in ids))
        severity = self.settings.severity.get(kind, "error")
        return Finding(kind, severity, occs[weakest].similarity, tuple(occs[n] for n in order),  # type: ignore[arg-type]
                       _fingerprint(kind, keys), live < 2, occs[weakest].measure, order.index(representative))


def reference_title(units: Sequence[Unit]) -> tuple[str, ...] | None:
    """The title of a reference page (its first unit a title or heading, then prose
    that opens it, then list items and no more prose: a cheat sheet, a command or
    option reference), as normalised words; None for any other page (a news story, an essay). Such pages are written
    from one pattern, so their lines are parallel by design (rule 7)."""
    roles = unit_roles(units)  # (read off the rows: the units need not be made)
    if not roles or roles[0] not in TITLE_ROLES:
        return None
    first = next((n for n, r in enumerate(roles) if r == "item"), None)
    if first is None or any(r == "sentence" for r in roles[first:]):
        return None
    return tuple(normalize_words(units[0].text))


def sibling_titles(units: Sequence[Sequence[Unit]], docs: Iterable[int],
                   title: Callable[[int], tuple[str, ...] | None] | None = None) -> bool:
    """Every one of these documents is a reference page, no two with one title.
    ``title`` gives a document's ``reference_title`` (a memo's, _Builder.title)."""
    docs = set(docs)
    if not all(0 <= d < len(units) for d in docs):
        return False  # a place in the archive index: its page is not read
    titles: set[tuple[str, ...]] = set()
    for d in docs:
        t = title(d) if title is not None else reference_title(units[d])
        if t is None:
            return False  # (the other pages' titles need not be read)
        titles.add(t)
    return len(titles) == len(docs)


def reported_phrase(f: Finding, units: Sequence[Sequence[Unit]] = (), docs: Sequence[Document] = ()) -> bool:
    """Rule 6 for phrases (phrases.py's shared runs): a phrase shared between articles
    and repeated inside none needs MIN_CROSS_WORDS words, as a shared line does. Shorter
    ones are stock phrasing, names and dates ("told BBC One's Breakfast with Frost
    programme", "Norwich Union Grand Prix in Birmingham on 18 February"); a phrase
    repeated inside one article is reported from ``min_run`` words, and so is one that
    is a whole quotation at one of its places (``quotation``). Nor is a phrase that
    is only a proper name (``one_name``), in one article or more. Nor, given the
    documents' ``units``, a phrase shared by reference pages with different titles
    (rule 7): the sentences around it differ, so it is a pattern ("Assess AWS / Azure
    security best practices ..."). Nor the frame of parallel sentences in one page: lead-ins
    each to its own example, or one pattern filled with two names (``terms_substituted``,
    given the ``docs``). An edited copy (measure "order": whole sentences) is judged by
    the same tests, and one shared only by reference pages with different titles is
    their pattern too ("In PowerShell, this command may be an alias of ...")."""
    edited = f.measure == "order"
    if not edited and (f.measure != "run" or f.kind not in ("repeat", "cross", "echo")):
        return True
    if units and all(o.role == "sentence" and introduces(units[o.doc][o.units[0]].text) for o in f.occurrences):
        return False  # "To return a slice of pages where the `color` page parameter is ...:"
    one_page = len({o.doc for o in f.occurrences}) == 1
    in_site = bool(docs) and all(0 <= o.doc < len(docs) and site_page(docs[o.doc].source) for o in f.occurrences)
    if (f.kind == "repeat" and not edited and in_site
            and len({in_blockquote(docs[o.doc].source, o.span.offset) for o in f.occurrences}) == 1):
        # rule 12: a site's pages are written in its house phrasing, so a phrase given
        # again inside other sentences of a page is the page's vocabulary ("Code
        # defensively using `with` or `if` to handle entries where ..." for two cases);
        # a note (a blockquote) that says again what the page says, a sentence or a
        # passage given twice, and an echo are still reported
        return False
    if (units and one_page and f.kind in ("repeat", "echo")
            and any(o.role == "sentence" and introduces(units[o.doc][o.units[0]].text) for o in f.occurrences)):
        # a lead-in names what its example shows, in the words the page used to describe it:
        # "... returns the menu sorted by `weight`, then by `name`" / "To sort the entries by `weight`, then by `name`:"
        return False
    if units and f.kind in ("repeat", "echo") and _only_across_headings(f, units):
        # a summary and the section under it that opens with it; what else it shares
        # with other pages is a phrase shared between articles
        return f.run_words >= MIN_CROSS_WORDS and not one_page
    if units and one_page and f.kind in ("repeat", "echo") and _one_section(f, units, docs):
        return False  # "If the input begins with a slash, ..." / "If the input does not begin with a slash, ..."
    if units and one_page and f.kind in ("repeat", "echo", "near"):
        roles = unit_roles(units[f.occurrences[0].doc])
        at = f.occurrences[0].units[0]
        if all(sibling_sections(roles, at, o.units[0]) for o in f.occurrences[1:]):
            return False  # the same sentence pattern opening two sections written alike
    in_pages = bool(docs) and all(0 <= o.doc < len(units) for o in f.occurrences)
    marked = []
    if in_pages and (one_page or f.kind == "cross"):
        for o in f.occurrences:
            unit = units[o.doc][o.units[0]]
            marked.append((normalize_words(unit.text),
                           docs[o.doc].source[unit.span.offset : unit.span.offset + unit.span.length]))
    if marked and f.kind in ("repeat", "echo", "near") and one_page:
        first, first_markup = marked[0]
        if all(terms_substituted(first, words, first_markup, markup, edited) for words, markup in marked[1:]):
            return False  # "Use these methods on the `Data` object within a _taxonomy_ / _term_ template."
    if (f.kind == "cross" and f.similarity < SITE_CROSS_MIN and docs and all(0 <= o.doc < len(docs) for o in f.occurrences)
            and all(site_page(docs[d].source) for d in {o.doc for o in f.occurrences})):
        return False  # rule 11: "... render hook, use it only as a `fallback`, or `never` use it" in four pages
    if f.kind == "cross" and in_site and one_folder((o.path for o in f.occurrences), (d.path for d in docs)):
        return False  # rule 13: sibling pages' template, as a shared run or an edited copy
    if marked and f.kind == "cross":
        first, first_markup = marked[0]
        if any(words != first for words, _ in marked) and all(
                words == first or terms_substituted(first, words, first_markup, markup) for words, markup in marked
        ) and len({page_name(o.path) for o in f.occurrences}) == len(f.occurrences):
            return False  # "The `css.Build` function is backed by ..." / "The `js.Build` function is backed by ..."
    if (f.kind == "cross" and all(0 <= o.doc < len(units) for o in f.occurrences)
            and len({o.doc for o in f.occurrences}) == len(f.occurrences) and own_names(
            [(o.path, normalize_words(units[o.doc][o.units[0]].text)) for o in f.occurrences])):
        return False  # "The `HasNext` method reports ..." / "The `HasPrev` method reports ..."
    if edited:
        return not (units and sibling_titles(units, (o.doc for o in f.occurrences)))
    if f.kind == "echo":
        return True
    if f.kind == "cross" and ((f.run_words < MIN_CROSS_WORDS and not quotation(f, docs))
                              or (units and sibling_titles(units, (o.doc for o in f.occurrences)))):
        return False
    return not all(one_name(o.text) for o in f.occurrences)


def _one_section(f: Finding, units: Sequence[Sequence[Unit]], docs: Sequence[Document]) -> bool:
    """Rule 10: a phrase shared by sentences of one section of a page divided into
    sections (SECTIONED_PAGE headings or more) is the frame of statements written side by
    side: each case, each example, a rule and its exception ("the content of the published
    page is indeterminate" said of two cases). Restated in another section, it is the page
    saying a thing twice; and a note (a blockquote) restating its section is reported too."""
    d = f.occurrences[0].doc
    if not 0 <= d < len(units):
        return False
    roles = unit_roles(units[d])
    first = f.occurrences[0].units[0]
    if not all(one_section(roles, first, o.units[0]) for o in f.occurrences[1:]):
        return False
    return not docs or len({in_blockquote(docs[d].source, o.span.offset) for o in f.occurrences}) == 1


def one_section(roles: Sequence[str], p: int, q: int) -> bool:
    """Positions ``p`` and ``q`` of a page divided into sections (SECTIONED_PAGE headings
    or more; ``roles``: its units' roles in order) lie in one section: no heading between."""
    if sum(1 for r in roles if r == "heading") < SECTIONED_PAGE:
        return False
    a, b = sorted((p, q))
    return not any(r == "heading" for r in roles[a + 1 : b + 1])


def in_blockquote(source: str, offset: int) -> bool:
    """The text at ``offset`` stands in a blockquote (a note, a callout): its line opens with ">"."""
    return source[source.rfind("\n", 0, offset) + 1 : offset].lstrip().startswith(">")


def _only_across_headings(f: Finding, units: Sequence[Sequence[Unit]]) -> bool:
    """Every two places of a phrase in one page stand on either side of one heading."""
    by_doc: dict[int, list[int]] = defaultdict(list)
    for o in f.occurrences:
        by_doc[o.doc].append(o.units[0])
    pairs = [(d, p, q) for d, at in by_doc.items() for n, p in enumerate(at) for q in at[n + 1 :]]
    if not pairs or not all(0 <= d < len(units) for d, _, _ in pairs):
        return False
    roles = {d: unit_roles(units[d]) for d, _, _ in pairs}
    return all(across_heading(roles[d], p, q) for d, p, q in pairs)


IN_ARTICLE_KINDS = frozenset({"repeat", "near", "caption", "echo"})


def reported_in_sections(f: Finding, units: Sequence[Sequence[Unit]],
                         sections_of: Callable[[int], Sections | None]) -> bool:
    """Rule 9: False for a text under MIN_CROSS_WORDS words repeated inside one article
    only through its readers' section (fewer than two places outside it): letters are
    by different writers, so what they share with the story or one another is held to
    rule 6's length for text shared by different articles ("Best song of the last 25
    years?" in two letters; a letter quoting "the best song of the past 25 years"),
    and a whole sentence pasted into two letters, or a caption or standalone line (the
    headline given again as a line of its own), is still reported. False too for a
    short text (up to PARALLEL_MAX_WORDS words, as rule 5's parallel lines) only in the
    same slot of parallel sections, each place in a section of its own; a longer
    paragraph pasted into another box is still a repeat. ``sections_of`` gives a document's sections; a finding that also lists other
    articles is kept as it is."""
    docs = {o.doc for o in f.occurrences}
    if f.kind not in IN_ARTICLE_KINDS or len(docs) != 1:
        return True
    d = docs.pop()
    s = sections_of(d) if 0 <= d < len(units) else None
    if s is None:
        return True
    blocks = [units[d][o.units[0]].block for o in f.occurrences]
    words = f.run_words or max(len(normalize_words(o.text)) for o in f.occurrences)
    if (words < MIN_CROSS_WORDS and not any(len(o.units) == 1 and o.role in CAPTION_ROLES for o in f.occurrences)
            and sum(1 for b in blocks if s.section[b] not in s.readers) < 2):
        return False  # readers quoting the story, or one another
    places = {s.section[b] for b in blocks}
    parallel = (words <= PARALLEL_MAX_WORDS and len(places) == len(blocks) and places <= s.parallel
                and len({s.slot[b] for b in blocks}) == 1)
    return not parallel


def quotation(f: Finding, docs: Sequence[Document]) -> bool:
    """Rule 6's exception for phrases: the phrase is a whole quotation at one of its
    places at least, in quotation marks of its own ("It's not racist to impose limits on
    immigration" in two stories): a remark quoted again, whatever its length. Read in
    the source around the phrase, within its sentence (``context``)."""
    from dedupe.phrases import quoted_alone  # loaded already: the finding comes from it

    for o in f.occurrences:
        if o.context is None or not 0 <= o.doc < len(docs):
            continue
        source, end = docs[o.doc].source, o.span.offset + o.span.length
        if quoted_alone(source[o.context.offset : o.span.offset], source[end : o.context.offset + o.context.length]):
            return True
    return False


def one_name(text: str) -> bool:
    """True for one proper name, however long ("Economic Commission for Latin America and
    the Caribbean", "The South-East Asia Earthquake and Tsunami Blog"): an article spells
    a name out more than once by design. A list of names (commas) or a score or date
    (figures) is a fact that may be repeated ("Puerta beat Mantilla 6-4 3-6 7-6")."""
    return names_only(text) and not any(ch == "," or ch.isdigit() for ch in text)


def _fingerprint(kind: str, keys: list[str]) -> str:
    """Content fingerprint: stable across line moves, used by baselines and SARIF."""
    h = hashlib.sha256(kind.encode())
    for k in sorted(set(keys)):
        h.update(b"\0" + k.encode("utf-8"))
    return h.hexdigest()[:32]


def _document_clusters(near_docs: list[tuple[int, int, float]]) -> list[tuple[int, dict[int, float]]]:
    """Near-copy articles as stars: (leading article, {article: similarity to it})."""
    near: dict[int, dict[int, Strength]] = defaultdict(dict)
    for a, b, s in near_docs:
        near[a][b] = near[b][a] = (1, s)
    weight = {d: (len(n), 0) for d, n in near.items()}
    out = []
    for leader, g in sorted(stars(weight, near, EXACT).items()):
        if len(g.members) > 1:
            out.append((leader, {d: s[1] for d, s in g.members.items()}))  # type: ignore[index]
    return out


def _structural(c: Checked, i: int, other: int) -> bool:
    """Unit ``i`` is a list item, cell or heading, or a plain-text article's first line
    (its headline) and ``other`` a sentence (its lead restates it)."""
    return c.role[i] in STRUCTURAL_ROLES or (c.role[i] == "line" and c.pos[i] == 0 and c.role[other] == "sentence")


def reordered(a: Sequence[str], b: Sequence[str]) -> bool:
    """True when the words two texts share mostly come in a different order: the longest
    common subsequence is under REORDER_SHARE of the words they share."""
    head, tail = common_ends(a, b)
    if head + tail >= REORDER_SHARE * min(len(a), len(b)):
        # the shared start and end are in order, and no fewer than that share of the
        # words the texts share (at most the shorter's): not reordered, without counting
        return False
    ca, cb = Counter(a), Counter(b)
    common = sum([min(ca[w], cb[w]) for w in ca.keys() & cb.keys()])  # Counter's & is slower: 12 against 7 µs
    if not common:
        return False
    return in_order(a, b) < REORDER_SHARE * common


def names_only(text: str) -> bool:
    """True for a line of names: every word but function words starts with a capital
    or is a figure ("K Holmes (Ealing, Southall and Middlesex AC)")."""
    found = False
    for w in _NAME_WORD.findall(text):
        if w.lower() in FUNCTION_WORDS:
            continue
        if not (w[0].isupper() or w[0].isdigit()):
            return False  # most texts: a sentence's first lower-case word ends the test
        found = True
    return found


def _ending(text: str) -> str:
    return text.rstrip(" \"'’”)")[-1:]


def reaction(a: str, b: str, words_a: int, words_b: int) -> bool:
    """True when one text reacts to the other rather than restating it: a question and a
    statement ("The best song of the past 25 years?" under "Angels was named the best
    song of the past 25 years."), or a short (under MIN_NEAR_WORDS words) exclamation.
    Two questions may still be one question asked twice."""
    ends = _ending(a), _ending(b)
    if (ends[0] == "?") != (ends[1] == "?"):
        return True
    return any(e in "?!" and e and n < MIN_NEAR_WORDS for e, n in zip(ends, (words_a, words_b)))


TERM_MARKS = "`*_["  # what marks a term in Markdown: inline code, emphasis, a link's text


def terms_substituted(a: Sequence[str], b: Sequence[str], markup_a: str, markup_b: str, some: bool = False) -> bool:
    """True when every word that differs between two texts (word lists ``a`` and ``b``)
    is marked as a name or term at its place (``markup_*``: the texts as written, with
    inline code, emphasis or a link's text): one sentence pattern filled with two
    names ("The `IsHome` method returns `true` if the page kind is `home`." / "... `IsPage`
    ... `page`.", "applies a _base_ template to the _page_ template"), as reference
    entries are written. Plain prose marks no terms, so there this never applies.
    ``some``: a word that differs is marked at each place (an edited copy, whose other
    words may differ too: "`alignx` ... The horizontal alignment" / "`aligny` ... The
    vertical alignment": two entries, where a sentence copied by mistake keeps its term)."""
    if not any(m in markup_a for m in TERM_MARKS) or not any(m in markup_b for m in TERM_MARKS):
        return False
    ca, cb = Counter(a), Counter(b)
    only_a, only_b = ca - cb, cb - ca
    if not only_a or not only_b:
        return False
    if some:
        return bool(set(only_a) & _marked_words(markup_a)) and bool(set(only_b) & _marked_words(markup_b))
    return set(only_a) <= _marked_words(markup_a) and set(only_b) <= _marked_words(markup_b)


def _marked_words(markup: str) -> set[str]:
    return {w for m in _MARKED.finditer(markup) for w in normalize_words(m.group("code") or m.group("em")
                                                                          or m.group("link") or "")}


def own_names(places: Sequence[tuple[str, Sequence[str]]]) -> bool:
    """Rule 8: text shared by pages (``places``: each page's path and the text's words
    there) that varies only in each page's own name, a word of its file name or a part of
    one ("The `HasNext` method ..." on HasNext.md, "... `HasPrev` ..." on HasPrev.md;
    "page kind is `home`" on IsHome.md), is one template filled in for each page."""
    return _names_only((path, set(words)) for path, words in places) and _counts_named(places)


def _names_only(places: Iterable[tuple[str, set[str]]]) -> bool:
    """own_names' first test, on each place's set of words, read one place after
    another: a word one side has and the other lacks is a word of its page's name. A
    word that is not shows the places differ in more than names (most calls, most of
    them at the second place), and no words need counting."""
    found = iter(places)
    first_path, first = next(found)
    return all(_named_all(first_path, first - words) and _named_all(path, words - first) for path, words in found)


def _counts_named(places: Sequence[tuple[str, Sequence[str]]]) -> bool:
    """own_names' test on the words counted: each place differs from the first in some
    words, all of them words of its page's name (and the first's in its own)."""
    def named(path: str, differing: Counter[str]) -> bool:
        return bool(differing) and _named_all(path, differing)

    base = Counter(places[0][1])
    for path, words in places[1:]:
        other = Counter(words)
        if not (named(places[0][0], base - other) and named(path, other - base)):
            return False
    return True


def _named_all(path: str, words: Iterable[str]) -> bool:
    """Every word is a word of the page's file name or a part of one (``own_names``)."""
    stem, parts = _name_parts(path)
    return all(w in parts or (len(w) >= 3 and w in stem) for w in words)


@functools.lru_cache(maxsize=4096)
def _name_parts(path: str) -> tuple[str, frozenset[str]]:
    """A page's file stem, lower case, and its parts (``own_names``): read once a page."""
    stem = PurePath(path).stem.lower()
    return stem, frozenset({stem, *re.split(r"[\W_]+", stem)})


def lead_in(text: str, words: int) -> bool:
    """A short line that introduces what follows it ("Is rendered to:", "This is the
    default configuration:"): repeated before each example, it is stock phrasing."""
    return words < MIN_NEAR_WORDS and introduces(text)


def introduces(text: str) -> bool:
    """The text ends in a colon: it leads into what follows (an example, a list)."""
    return _ending(text) == ":"


def unit_text(units: Sequence[Unit], n: int) -> str:
    """Unit ``n``'s text (read off the rows when the units are lazy, no Unit made)."""
    return units.text(n) if isinstance(units, UnitList) else units[n].text


def unit_roles(units: Sequence[Unit]) -> list[str]:
    """A document's unit roles in order (read off the rows when the units are lazy)."""
    return list(units.roles()) if isinstance(units, UnitList) else [u.role for u in units]


# Front matter at the top of a page (YAML between "---" lines, TOML between "+++"), and
# a top-level field of it given on one line ("title: x", "title = 'x'"): the page's own
# statement of its subject, read as words, not parsed.
def front_matter_fields(source: str) -> dict[str, str]:
    """The one-line ``title`` and ``description`` of a page's front matter (provenance.py
    reads it), unquoted."""
    fields = front_matter(source) or {}
    return {k: fields[k] for k in ("title", "description") if k in fields}


def site_page(source: str) -> bool:
    """A page of a site generator (Hugo, Jekyll, Docusaurus, MkDocs...): it opens with front matter."""
    return front_matter(source) is not None


def one_folder(paths: Iterable[str], pages: Iterable[str]) -> bool:
    """Rule 13: these are different pages of one section of a site (one folder, with some
    of the run's ``pages`` outside it; a page bundle's index counts as a page of its
    folder's parent): sibling pages, each on its own subject (functions of one namespace,
    methods of one object, entries of a glossary, guides to one task), written from the
    section's template. What only they share, its notes, explanations and example setups,
    is the template, not a copy: a text copied into a page of another section is what
    drifts, and is reported. One page on two platforms (one name) stays reported, and so
    does text shared by pages of the folder all pages lie in: a site whose pages are all
    in one folder is not divided into sections."""
    paths = list(paths)
    names = [page_name(p) for p in paths]
    folders = {section_folder(p) for p in paths}
    if len(folders) != 1 or len(set(names)) < len(names):
        return False
    folder = folders.pop()
    inside = folder + os.sep if folder else ""
    return any(not (f == folder or f.startswith(inside)) for f in map(section_folder, pages))


def section_folder(path: str) -> str:
    """The folder whose section a page is in (a page bundle's ``index.md``: its folder's
    parent). String operations, not PurePath: this runs over the pages of a run."""
    folder, name = os.path.split(path)
    if os.path.splitext(name)[0].lower() in ("index", "_index"):
        folder = os.path.dirname(folder)
    return folder


def page_name(path_or_url: str) -> str:
    """The name a page goes by in links and on disk: its file's stem, or its folder's for an
    index page ("/commands/hugo_mod_clean/", "commands/hugo_mod_clean.md",
    "host-on-netlify/index.md" -> "host-on-netlify"), lower case."""
    parts = [p for p in re.split(r"[/\\]", re.split(r"[?#]", path_or_url)[0]) if p and p not in (".", "..")]
    while parts and os.path.splitext(parts[-1])[0].lower() in ("index", "_index", "readme"):
        parts.pop()
    return os.path.splitext(parts[-1])[0].lower() if parts else ""


def across_heading(roles: Sequence[str], p: int, q: int) -> bool:
    """True when positions ``p`` and ``q`` of a page (``roles``: its units' roles in order)
    stand on either side of one heading with nothing else between (``_Builder.across_heading``)."""
    a, b = sorted((p, q))
    return b - a == 2 and roles[a + 1] == "heading" and roles[a] != "heading" and roles[b] != "heading"


def sibling_sections(roles: Sequence[str], p: int, q: int) -> bool:
    """True when positions ``p`` and ``q`` of a page (``roles``: its units' roles in
    order) are the same place in two different sections, each opened by a heading:
    sections written from one pattern ("### AsciiDoc / Create your content in the AsciiDoc
    format ...", "### Pandoc / Create your content in the Pandoc format ...")."""
    def opening(x: int) -> int:
        while x >= 0 and roles[x] != "heading":
            x -= 1
        return x
    hp, hq = opening(p), opening(q)
    return hp >= 0 and hq >= 0 and hp != hq and p - hp == q - hq


KeyFacts = tuple[list[str], Sequence[int], frozenset[str], frozenset[int]]  # words, checked ids, roles, articles
HELD_FACTS = 1 << 15  # keys whose facts _Facts keeps at once


class _Facts:
    """What rule 5 reads of a key (its words, checked ids, their roles and articles),
    made once a key while kept: tldr-pages' 62,324 near pairs have 10,089 keys, and
    reading them again for each pair took 0.36 of _parallel's 0.81 s. At most
    HELD_FACTS keys are kept (then forgotten all at once, as _Similar's sets are)."""

    def __init__(self, c: Checked) -> None:
        self.c = c
        self._kept: dict[int, KeyFacts] = {}

    def __call__(self, k: int) -> KeyFacts:
        facts = self._kept.get(k)
        if facts is None:
            if len(self._kept) >= HELD_FACTS:
                self._kept.clear()
            c = self.c
            ids = c.by_key[k]
            facts = self._kept[k] = (c.keys[k].split(), ids, frozenset([c.role[i] for i in ids]),
                                     frozenset([c.doc[i] for i in ids]))
        return facts


def _parallel(c: Checked, ka: int, kb: int,
              text: Callable[[int], str] | None = None, markup: Callable[[int], str] | None = None,
              roles_in: Callable[[int], Sequence[str]] | None = None,
              noted: Callable[[int], bool] | None = None, similarity: float = 1.0,
              facts: Callable[[int], KeyFacts] | None = None) -> bool:
    """Rule 5: the two keys are short parallel lines in one article: a list item, cell or
    heading and another line it varies (a list's items vary one theme: "Start the
    server:", "Stop the server on port 80:"; a heading is restated by its section; a
    list item details the summary above it), or standalone lines in a run, one
    substitution apart.

    The pair is parallel when any one test below holds, so they are free to run
    cheapest first: two short lines one substitution apart in different articles (half
    of tldr-pages' 62,000 near pairs) are told without reading their texts. ``facts``
    gives what is read of each key (_Facts); the words it gives are not changed here."""
    facts = facts or _Facts(c)
    a, ids_a, roles_a, docs_a = facts(ka)
    b, ids_b, roles_b, docs_b = facts(kb)
    roles = roles_a | roles_b
    longest = max(len(a), len(b))
    caption = bool(roles & CAPTION_ROLES)
    if longest < MIN_NEAR_WORDS and not caption:
        return True  # "I agree with Mr Forsyth." / "I absolutely agree with Frederick Forsyth."
    shared_doc = not docs_a.isdisjoint(docs_b)  # both keys stand in one article somewhere
    substituted = longest <= PARALLEL_MAX_WORDS and one_substitution(a, b)
    if substituted and not shared_doc and longest < MIN_CROSS_WORDS and not caption:
        # short lines in different articles one substitution apart say the same of two
        # subjects ("Convert a GIF file into a PNM image.", "... a GEM image file ..."),
        # but for a caption (a photo caption reused with a word changed)
        return True
    if text is not None and not caption:
        ta, tb = text(ka), text(kb)
        if reaction(ta, tb, len(a), len(b)):
            return True  # "The best song of the past 25 years?" under "... named the best song of the past 25 years."
        if names_only(ta) and names_only(tb):
            return True  # entries of a list of names: "H Clitheroe (Preston Harriers), K Holmes (...)"
        if (introduces(ta) and introduces(tb) and roles == {"sentence"}
                and longest <= PARALLEL_MAX_WORDS):
            return True  # lead-ins, each to its own example: "To create an article using the tutorials archetype:"
        if introduces(ta) != introduces(tb) and roles == {"sentence"} and longest < MIN_CROSS_WORDS and shared_doc:
            return True  # a lead-in and a short statement of one page: "Use the `js.Build` function to:" / "... to include Node dependencies."
        if markup is not None and shared_doc and terms_substituted(a, b, markup(ka), markup(kb)):
            # one pattern for two names in one page: "applies a _base_ template to the _page_
            # template" / "... the _single_ template" (between pages, a template line with
            # each page's name still groups as one boilerplate finding)
            return True
    if shared_doc:
        for i in ids_a:
            for j in ids_b:
                if c.doc[i] != c.doc[j]:
                    continue
                if roles_in is not None and sibling_sections(roles_in(c.doc[i]), c.unit[i], c.unit[j]):
                    return True  # "Create your content in the AsciiDoc format ..." under AsciiDoc, "... Pandoc ..." under Pandoc
                if (similarity < SECTION_PARALLEL_BELOW and roles_in is not None and c.block[i] != c.block[j]
                        and one_section(roles_in(c.doc[i]), c.unit[i], c.unit[j])
                        and (noted is None or noted(i) == noted(j))):
                    return True  # rule 10: "... will interpret this as permission to crawl everything" / "... will not crawl any page"
                if c.block[i] == c.block[j] and abs(c.pos[i] - c.pos[j]) == 1 and (
                        longest < MIN_CROSS_WORDS or reordered(a, b)):
                    return True  # side by side in one paragraph: "Doctors are saying ... Patients are saying ..."
                if longest <= PARALLEL_MAX_WORDS and (_structural(c, i, j) or _structural(c, j, i)):
                    return True
    elif a[0] == b[0] and longest <= REORDER_MAX_WORDS and not caption and reordered(a, b):
        # between articles, the same frame with its slots swapped: "Convert a PBM image to
        # a Sun icon." / "Convert a Sun icon to a PBM image." A sentence with its two
        # clauses turned around ("A, B." / "B, a.") starts differently and stays near.
        return True
    # standalone plain-text lines one substitution apart: parallel only in a run of such
    # lines in one article
    if not substituted or roles != {"line"}:
        return False
    for i in ids_a:
        for j in ids_b:
            if c.doc[i] == c.doc[j]:
                lo, hi = sorted((c.pos[i], c.pos[j]))
                first = c.first[c.doc[i]]
                if all(r == "line" for r in c.role[first + lo : first + hi + 1]):
                    return True
    return False


def sentence_groups(c: Checked, near_keys: list[NearKey], edges: set[tuple[int, int]],
                    text: Callable[[int], str] | None = None,
                    markup: Callable[[int], str] | None = None,
                    roles_in: Callable[[int], Sequence[str]] | None = None,
                    noted: Callable[[int], bool] | None = None) -> list[Star]:
    """Rule 2 (and 5): stars of keys, each member with its Strength against the leader.
    ``edges`` receives the near key pairs that take part (a < b); ``text`` gives a key's
    text as written (its first copy), for the rules that read case and punctuation;
    ``noted``, whether a checked unit stands in a note (a blockquote)."""
    near: dict[int, dict[int, Strength]] = defaultdict(dict)
    facts = _Facts(c)
    for ka, kb, s, m in near_keys:
        if not _parallel(c, ka, kb, text, markup, roles_in, noted, s, facts):
            near[ka][kb] = near[kb][ka] = strength(s, m)
            edges.add((min(ka, kb), max(ka, kb)))
    weight = {}
    role = c.role
    for k, ids in enumerate(c.by_key):
        if len(ids) == 1:  # most keys: a key in one place is grouped only with its near keys
            if k not in near or role[ids[0]] == "list":
                continue
            own = 1
        else:
            own = sum(1 for i in ids if role[i] != "list")
            if not own:
                continue
        weight[k] = (own, own + sum(c.by_key.size(n) for n in near.get(k, ())))
    return list(stars(weight, near, EXACT).values())


def group(
    docs: tuple[Document, ...],
    units: tuple[Sequence[Unit], ...],
    checked: Checked,
    near_keys: list[NearKey],
    near_docs: list[tuple[int, int, float]],
    settings: Settings,
    allow_keys: frozenset[str] = frozenset(),
    shared: Callable[[], Sequence[RunRow]] = tuple,
) -> list[Finding]:
    """All findings of a run, sorted by first occurrence (path, offset). ``allow_keys``
    are the normalised keys of the allow list's sentences. ``shared`` gives the shared
    runs (runs.py), which seed passages: asked for only once the sentences are grouped,
    as they may still be searched beside this (pipeline.py)."""
    c = checked
    repo = settings.scope == "repo"
    findings: list[Finding] = []

    # 1. whole-article near-copies
    clusters = _document_clusters(near_docs) if repo else []
    copy_of: dict[int, int] = {}
    same_copy: set[tuple[int, int]] = set()
    for leader, members in clusters:
        for d in members:
            copy_of[d] = leader
        ds = sorted(members)
        same_copy.update((x, y) for n, x in enumerate(ds) for y in ds[n + 1 :])
    b = _Builder(docs, units, c, settings, allow_keys, copy_of)
    for leader, members in clusters:
        findings.append(_document_finding(b, leader, members))

    # 2. sentence groups (list units: exact copies in their own article only)
    near_score = {(min(a, bb), max(a, bb)): strength(s, m) for a, bb, s, m in near_keys}
    sentence: list[tuple[list[int], list[tuple[Strength, str]], list[int], int]] = []
    def text(k: int) -> str:
        i = c.by_key.first(k)
        return unit_text(units[c.doc[i]], c.unit[i])

    def markup(k: int) -> str:
        i = c.by_key.first(k)
        span = c.span(i)
        return docs[c.doc[i]].source[span.offset : span.offset + span.length]

    roles_of: dict[int, list[str]] = {}

    def roles_in(d: int) -> list[str]:
        if d not in roles_of:
            roles_of[d] = unit_roles(units[d])
        return roles_of[d]

    def noted(i: int) -> bool:
        return in_blockquote(docs[c.doc[i]].source, c.span(i).offset)

    for g in sentence_groups(c, near_keys, b.edges, text, markup, roles_in, noted):
        keys = sorted(g.members, key=lambda k: (k != g.leader, c.by_key.first(k)))
        ids, scores, variants = [], [], []
        for v, k in enumerate(keys):
            s: Strength = g.members[k]  # type: ignore[assignment]
            for i in c.by_key[k]:
                if c.role[i] != "list":
                    ids.append(i)
                    scores.append((s, MEASURES[s[0]]))
                    variants.append(v)
        docs_in = {c.doc[i] for i in ids}
        if len(ids) < 2 or (len(docs_in) == len(ids) and b.articles(docs_in) < 2):
            continue  # shared only between copies of one article: the document finding says it
        sentence.append((ids, scores, variants, 0))
    lists: dict[tuple[int, int], list[int]] = defaultdict(list)
    for i, role in enumerate(c.role):
        if role == "list":
            lists[(c.doc[i], c.key[i])].append(i)
    for ids in lists.values():
        if len(ids) > 1:
            sentence.append((ids, [(EXACT, "shingles")] * len(ids), [0] * len(ids), 0))
    sentence.extend(_list_variants(b, near_keys, {i for ids in lists.values() if len(ids) > 1 for i in ids}))

    # 3. passages over the sentence groups
    in_passage: dict[int, Place] = {}  # checked id -> the passage place it lies in
    template = {i for ids, _, _, _ in sentence if b.articles(c.doc[i] for i in ids) >= b.least
                and len({c.doc[i] for i in ids}) == len(ids) for i in ids}
    for passage in passages(c, [s[0] for s in sentence], same_copy, shared()):
        rest: Passage | None = passage
        while rest is not None:  # places not in the lead's finding may be a passage of their own
            found, covered, used = _passage_finding(b, rest, near_score, template)
            if found is not None:
                findings.append(found)
            if covered:
                in_passage.update((i, p) for p in used for i in range(p[0], p[1] + 1))
            rest = rest.without(used)
    for ids, scores, variants, rep in sentence:
        # reported unless every place lies in a passage, each in a place of its own (a
        # text repeated inside one copied passage is a repeat in that article)
        places = [in_passage.get(i) for i in ids]
        if None in places or len(set(places)) < len(places):
            found = b.finding([[i] for i in ids], scores, variants, rep)
            if found is not None:
                findings.append(found)

    findings.sort(key=lambda f: (f.occurrences[0].path, f.occurrences[0].span.offset, f.kind))
    return findings


def _list_variants(b: _Builder, near_keys: list[NearKey], taken: set[int]
                   ) -> list[tuple[list[int], list[tuple[Strength, str]], list[int], int]]:
    """Rule 2 for list units: a line of names given again with a word changed (a typo,
    a misspelt name) is a near variant, LIST_SHARE_WITHIN of its words in order in one
    article and LIST_SHARE_ACROSS between articles; another team sheet changes a
    player, two words of thirty (0.94), and is not. Each unit joins one pair at most,
    the closest, and none already repeated exactly (``taken``)."""
    c = b.c
    out = []
    listed = {c.key[i] for i, role in enumerate(c.role) if role == "list"}
    for ka, kb, s, m in sorted((p for p in near_keys if p[0] in listed and p[1] in listed),
                               key=lambda p: (-p[2], p[0], p[1])):
        wa, wb = c.keys[ka].split(), c.keys[kb].split()
        share = in_order(wa, wb) / max(len(wa), len(wb))
        if share < LIST_SHARE_WITHIN:
            continue
        for i in c.by_key[ka]:
            for j in c.by_key[kb]:
                if (c.role[i] != "list" or c.role[j] != "list" or i in taken or j in taken
                        or share < (LIST_SHARE_WITHIN if c.doc[i] == c.doc[j] else LIST_SHARE_ACROSS)
                        or (c.doc[i] != c.doc[j] and b.articles((c.doc[i], c.doc[j])) < 2)):
                    continue
                taken.update((i, j))
                b.edges.add((min(ka, kb), max(ka, kb)))
                out.append(([i, j], [(EXACT, m), (strength(s, m), m)], [0, 1], 0))
    return out


def _unit_score(c: Checked, near_score: dict[tuple[int, int], Strength], i: int, j: int) -> Strength:
    """Exact similarity of two checked units: 1.0 for one key, else their verified pair
    (0 when they were never verified against each other)."""
    ki, kj = c.key[i], c.key[j]
    if ki == kj:
        return EXACT
    return near_score.get((min(ki, kj), max(ki, kj)), (0, 0.0))


def _passage_finding(b: _Builder, passage: Passage, near_score: dict[tuple[int, int], Strength],
                     template: set[int]) -> tuple[Finding | None, set[int], list[Place]]:
    """One passage finding, the checked ids it covers and the places it used (the lead
    alone when there is no finding). The place linked to most others represents it; a
    place's similarity is the share of its units linked to the representative's, each
    weighted by its exact similarity (a weak link's by its containment, passages.py),
    and identical texts take the best of their places' scores. Places are kept as rule 3
    says. Lists of items, cells or
    headings shared by articles are parallel pages (tldr's `7z`, `7za`, `7zr`) unless
    copied with everything between their lines (the commands too)."""
    c = b.c
    places = passage.places
    where = {i: p for p in places for i in range(p[0], p[1] + 1)}
    links: dict[Place, dict[Place, dict[int, int]]] = {p: defaultdict(dict) for p in places}
    for run in passage.runs:
        pa, pb = where[run[0][0]], where[run[0][1]]
        for i, j in run:
            links[pa][pb][i] = j
            links[pb][pa][j] = i
    lead = places[max(range(len(places)), key=lambda n: (sum(map(len, links[places[n]].values())),
                                                        len(links[places[n]]), -n))]

    def score(i: int, j: int) -> float:
        """A link's similarity: its verified pair's, else its weak link's (passages.py)."""
        return _unit_score(c, near_score, i, j)[1] or passage.weak.get((min(i, j), max(i, j)), 0.0)

    def share(p: Place) -> float:
        # math.fsum: exactly rounded, so a similarity is the same on every Python (3.12's
        # sum() compensates, 3.11's does not: six links of 0.8 made 0.7999999999999999 there)
        return coverage(math.fsum(score(i, j) for i, j in links[p][lead].items()), p, lead)

    def shared_text(p: Place) -> bool:
        """The place's links are all template lines (in boilerplate groups), or none, or
        MIN_PASSAGE_UNITS of them are matched units (not weak links) that are not."""
        ids = links[p][lead]
        lines = sum(1 for i in ids if i in template)
        own = sum(1 for i, j in ids.items() if i not in template and (min(i, j), max(i, j)) not in passage.weak)
        return lines == 0 or lines == len(ids) or own >= MIN_PASSAGE_UNITS

    # a place is in the passage when half its units are linked to the lead's, and half
    # the lead's units are linked to the places kept (one place, or parts of the lead
    # given in another order at two places of an article), else when half of both its
    # and the lead's units are linked to each other; a passage that mixes template lines
    # with shared text needs MIN_PASSAGE_UNITS matched units of that text (a page's "More
    # information: <url>." next to one shared example and a description that varies the
    # other page's is not a passage)
    linked = [p for p in places if p != lead and lead in links[p]
              and len(links[p][lead]) >= PASSAGE_MIN_SHARE * (p[1] - p[0] + 1)
              and shared_text(p)]
    if len({j for p in linked for j in links[p][lead].values()}) < PASSAGE_MIN_SHARE * (lead[1] - lead[0] + 1):
        linked = [p for p in linked if coverage(len(links[p][lead]), p, lead) >= PASSAGE_MIN_SHARE]
    linked_set = set(linked)
    kept = [p for p in places if p == lead or p in linked_set]
    if len(kept) < 2:
        return None, set(), [lead]
    covered = {i for p in kept for i in range(p[0], p[1] + 1)}
    def text(p: Place) -> str:
        """The place's normalised words (one text however its sentences were split)."""
        return " ".join(c.keys[k] for k in c.key[p[0] : p[1] + 1])

    shapes: dict[str, int] = {}
    texts_of = {p: text(p) for p in kept}  # (the lead is kept)
    for p in [lead] + kept:  # the representative's text is variant 0
        shapes.setdefault(texts_of[p], len(shapes))
    variants = [shapes[texts_of[p]] for p in kept]
    best = [1.0] + [0.0] * (len(shapes) - 1)  # one score per variant: its best linked place's
    for p, v in zip(kept, variants):
        best[v] = max(best[v], share(p))
    scores = [((1, best[v]), "passage") for v in variants]
    places_ids = [list(range(p[0], p[1] + 1)) for p in kept]
    if all(c.role[i] in STRUCTURAL_ROLES for i in covered):
        texts = {tuple(normalize_words(b.occurrence(ids, EXACT, "passage", 0).text)) for ids in places_ids}
        if len(texts) > 1:
            return None, covered, kept
    found = b.finding(places_ids, scores, variants, kept.index(lead),
                      related=lambda n, m: kept[m] in links[kept[n]])
    return found, covered, kept


def _document_finding(b: _Builder, leader: int, members: dict[int, float]) -> Finding:
    """A finding whose occurrences are whole articles (first to last character of text)."""
    occs = []
    for d in sorted(members, key=lambda d: b.docs[d].path):
        doc = b.docs[d]
        text = doc.source.rstrip()
        lead = len(text) - len(text.lstrip())
        span = LineIndex(doc.source).span(lead, len(text))
        occs.append(Occurrence(doc.path, span, doc.source[span.offset : span.offset + span.length], d,
                               tuple(range(len(b.units[d]))), "sentence", members[d], "document",
                               0 if members[d] >= 1.0 else 1))
    keys = [b.docs[d].path for d in members]
    severity = b.settings.severity.get("document", "error")
    c = b.c
    live = sum(1 for d in members
               if not (c.count.get(d) and all(c.suppressed[c.first[d] : c.first[d] + c.count[d]])))
    weakest = min(occs, key=lambda o: o.similarity)
    rep = next(n for n, o in enumerate(occs) if o.doc == leader)
    return Finding("document", severity, weakest.similarity, tuple(occs),  # type: ignore[arg-type]
                   _fingerprint("document", keys), live < 2, "document", rep)
