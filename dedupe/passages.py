"""Passage alignment: matched units -> copied passages (seed, extend, merge).

Part of grouping (group.py rule 3; group.py makes the findings). Seeds are the unit
pairs a sentence group links: a copied sentence, or a near one (verify.py); and,
between articles, two prose units that share a run of ``min_run`` words (runs.py): a
passage a third of whose words were replaced may keep no sentence over either
threshold, but a run or two.

- In one article, a passage is a run of seeds at consecutive positions at two places
  (a paragraph given twice): two repeats a sentence apart are two repeats.
- Between two articles, as text-alignment systems of the PAN competitions do it
  (Sanchez-Perez, Sidorov and Gelbukh 2014, "A Winning Approach to Text Alignment for
  Text Reuse Detection at PAN 2014": seeds, extension by clustering seeds whose gaps
  are small, then filtering):

  - **extend**: next to a link, in the same order in both articles (EXTEND_STEPS),
    two prose units of WEAK_MIN_CONTENT content words or more whose content words
    overlap (WEAK_SHARED shared at least, and WEAK_CONTAINMENT of the shorter's) are
    linked too, and the extension goes on from there. A sentence with a fifth of its
    words replaced falls under both thresholds of verify.py, yet shares most of its
    content words with the original: 0.89 of such sentences are weakly linked to it
    (most others are short), against 1.5 random sentence pairs in 10,000 from two
    articles of one BBC section (``python bench/passages.py --weak-links``,
    docs/tuning.md section 14). Weak links are only ever made next to a seed.
  - **merge**: links in the same order in both articles, at most MAX_GAP unlinked
    units apart on each side (a sentence rewritten beyond recognition, one added or
    dropped), are one passage; PASSAGE_GAP apart when a list item, cell or heading is
    at either end (sibling pages share items a few lines apart);
  - **filter**: a passage links MIN_PASSAGE_UNITS units or more on each side. A
    place's share of linked units is group.py's test (``coverage``).

Passages that share a place merge, so a paragraph pasted into N articles is one
passage with N places.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import filterfalse, pairwise

from dedupe.model import Checked, RunRow
from dedupe.normalize import FUNCTION_WORDS

MIN_PASSAGE_UNITS = 2
PASSAGE_GAP = 1  # units a run of seeds may skip on each side between two seeds (between articles)
PAIRWISE_MAX = 24  # a group with more places seeds passages from its representative only (a star)
# Where a weak link may be, in units after (or before) the link it extends on each side,
# nearest first: the next units; one unit on one side only (a sentence split in two at one
# place, "Halo 2. Jan Bolz" read as "Halo Jan. 2 Bolz" at the other); a unit skipped.
EXTEND_STEPS = ((1, 1), (0, 1), (1, 0), (1, 2), (2, 1), (2, 2))
_DIRECTED_STEPS = (EXTEND_STEPS, tuple((-a, -b) for a, b in EXTEND_STEPS))  # forwards, then backwards
MAX_GAP = 2  # unlinked units a passage may hold between two links, on each side
WEAK_CONTAINMENT = 0.5  # share of the shorter unit's content words the other unit has too
WEAK_SHARED = 3  # content words two units share at least to be weakly linked
WEAK_MIN_CONTENT = 7  # content words of each: shorter lines vary one theme (tldr-pages: "Move the working-copy
# commit to a child revision." and "... to a parent revision." describe sibling commands)
# A weak link has prose on one side at least: list items, cells and headings vary one
# another by design, but a list copied into a paragraph is still a copy. Team sheets
# (``list``) never link weakly.
PROSE_ROLES = frozenset({"sentence", "quote", "line"})
_IS_FUNCTION_WORD = FUNCTION_WORDS.__contains__  # words filtered as the set is made: 3.6 against 5.5 µs a key
HELD_KEYS = 1 << 15  # keys whose content words _Similar keeps at once (about 1.4 KB each at BBC)

Link = tuple[int, int]  # checked ids (i, j), i < j: i in the earlier document
Run = list[Link]  # links of one passage between two places, in order
Place = tuple[int, int]  # first and last checked id of a passage's place


@dataclass(slots=True)
class Passage:
    """A copied passage: its places (merged spans of units), the runs linking them, and
    the similarity of its weak links (content-word containment)."""

    places: list[Place]
    runs: list[Run]
    weak: dict[Link, float] = field(default_factory=dict)

    def without(self, used: list[Place]) -> Passage | None:
        """The passage of the other places and the runs between them, or None when fewer
        than two of them are linked."""
        gone = set(used)
        where = {i: p for p in self.places for i in range(p[0], p[1] + 1)}
        runs = [run for run in self.runs if where[run[0][0]] not in gone and where[run[0][1]] not in gone]
        places = sorted({where[run[0][side]] for run in runs for side in (0, 1)})
        if len(places) < 2:
            return None
        kept = {x for r in runs for x in r}
        return Passage(places, runs, {link: s for link, s in self.weak.items() if link in kept})


def passages(c: Checked, groups: list[list[int]], same_copy: set[tuple[int, int]],
             shared: Sequence[RunRow] = ()) -> list[Passage]:
    """Copied passages over the sentence groups (lists of checked ids that match) and, between
    articles, the shared runs (runs.py) of two prose units."""
    group_of = {i: g for g, ids in enumerate(groups) for i in ids}
    runs: list[Run] = []
    between: dict[tuple[int, int], set[Link]] = defaultdict(set)  # document pair -> seed links
    for run in _seed_runs(c, groups, group_of, same_copy):
        i, j = run[0]
        if c.doc[i] != c.doc[j]:
            between[(c.doc[i], c.doc[j])].update(run)
        elif len(run) >= MIN_PASSAGE_UNITS and all(
                c.pos[b[0]] - c.pos[a[0]] == 1 and c.pos[b[1]] - c.pos[a[1]] == 1 for a, b in pairwise(run)):
            runs.append(run)
    weak: dict[Link, float] = {}  # links that are no matched pair: a run's or a weak link's score
    lengths: dict[int, int] = {}  # key -> its words, counted once

    def length(k: int) -> int:
        if (n := lengths.get(k)) is None:
            n = lengths[k] = len(c.keys[k].split())
        return n

    for row in shared:
        i, j = min(row[0], row[1]), max(row[0], row[1])
        pair = (c.doc[i], c.doc[j])
        if (pair[0] != pair[1] and pair not in same_copy and c.role[i] in PROSE_ROLES and c.role[j] in PROSE_ROLES
                and ((i, j) not in between[pair] or (i, j) in weak)):
            between[pair].add((i, j))
            words = min(length(c.key[i]), length(c.key[j]))
            weak[(i, j)] = max(weak.get((i, j), 0.0), row[4] / max(1, words))  # the share of the shorter it covers
    similar = _Similar(c)
    found = {pair: [run for run in _chains(c, _extended(c, between[pair], similar, weak))
                    if _sides(run) >= MIN_PASSAGE_UNITS] for pair in _by_family(between)}
    for pair in sorted(found):  # the runs in document order, as the passages are merged
        runs.extend(found[pair])
    return _merged_passages(c, runs, weak)


def _by_family(pairs: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Document pairs ordered family by family (articles linked by pairs, directly or
    through others), each family's pairs in order: a pair's result depends on its own
    links alone, and _Similar's sets (HELD_KEYS at a time) then serve a family's pairs
    while they are kept, where pairs in document order revisit each family once per
    member (the copies of an article are thousands of articles apart)."""
    parent: dict[int, int] = {}

    def root(d: int) -> int:
        while (up := parent.setdefault(d, d)) != d:
            parent[d] = parent.get(up, up)
            d = up
        return d

    ordered = sorted(pairs)
    for a, b in ordered:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return sorted(ordered, key=lambda pair: root(pair[0]))


def coverage(linked: float, first: Place, second: Place) -> float:
    """The share of a passage's units linked between two places: linked units (or the
    sum of their links' similarities, group.py's lead choice) over the longer place's units."""
    return linked / max(first[1] - first[0] + 1, second[1] - second[0] + 1)


def _seed_runs(c: Checked, groups: list[list[int]], group_of: dict[int, int],
               same_copy: set[tuple[int, int]]) -> list[Run]:
    """Runs of units matched in the same order at two places, from seed pairs: every pair
    of a group's places, or, for a group of more than PAIRWISE_MAX places, each place
    with the representative's (a star: linear). A run skips up to PASSAGE_GAP units on
    each side between two matches (between articles; in one article too, where the
    caller keeps only consecutive runs)."""
    seeds: set[Link] = set()
    for ids in groups:
        reps = ids if len(ids) <= PAIRWISE_MAX else ids[:1]
        for x, i in enumerate(reps):
            for j in ids[x + 1 :]:
                i2, j2 = min(i, j), max(i, j)
                if c.doc[i2] == c.doc[j2] or (min(c.doc[i2], c.doc[j2]), max(c.doc[i2], c.doc[j2])) not in same_copy:
                    seeds.add((i2, j2))
    steps = sorted(((a, b) for a in range(1, PASSAGE_GAP + 2) for b in range(1, PASSAGE_GAP + 2)),
                   key=lambda s: (s[0] + s[1], abs(s[0] - s[1])))

    def following(i: int, j: int) -> Link | None:
        """The next matched pair after (i, j), nearest first."""
        for a, b in steps:
            ni, nj = c.at(c.doc[i], c.pos[i] + a), c.at(c.doc[j], c.pos[j] + b)
            if ni is not None and nj is not None and group_of.get(ni, -1) == group_of.get(nj, -2):
                return ni, nj
        return None

    runs: list[Run] = []
    started: set[Link] = set()
    for i, j in sorted(seeds):
        if (i, j) in started:
            continue  # inside a run that starts earlier
        run = [(i, j)]
        while (nxt := following(*run[-1])) is not None:
            if c.doc[i] == c.doc[j] and nxt[0] >= j:
                break  # the two places would overlap
            run.append(nxt)
            started.add(nxt)
        runs.append(run)
    return runs


class _Similar:
    """Weak similarity of two units: containment of content words, each unit's set made
    once while it is kept.

    The sets of at most HELD_KEYS keys are kept (then forgotten all at once): at four
    times BBC, 71,000 keys' sets held 125 MB at the peak of a run's grouping, for
    120,000 look-ups; a set is a function of its key, so what is kept changes no result."""

    def __init__(self, c: Checked) -> None:
        self.c = c
        # key -> its content words, made on first use (a list: looked up ~400,000 times at 8x BBC)
        self._words: list[frozenset[str] | None] = [None] * len(c.keys)
        self._held = 0

    def content(self, i: int) -> frozenset[str]:
        k = self.c.key[i]
        words = self._words[k]
        if words is None:
            if self._held >= HELD_KEYS:
                self._words = [None] * len(self._words)
                self._held = 0
            words = self._words[k] = frozenset(filterfalse(_IS_FUNCTION_WORD, self.c.keys[k].split()))
            self._held += 1
        return words

    def __call__(self, i: int, j: int) -> float:
        """The share of the shorter unit's content words in the other; 0 when they share
        fewer than WEAK_SHARED, or neither is prose, or either is a team sheet."""
        c = self.c
        ri, rj = c.role[i], c.role[j]
        if ri == "list" or rj == "list" or not (ri in PROSE_ROLES or rj in PROSE_ROLES):
            return 0.0
        a, b = self._words[c.key[i]], self._words[c.key[j]]  # made here when still None
        if a is None:
            a = self.content(i)
        if b is None:
            b = self.content(j)
        fewer = min(len(a), len(b))
        if fewer < WEAK_MIN_CONTENT:
            return 0.0
        shared = len(a & b)
        if shared < WEAK_SHARED:
            return 0.0
        return shared / fewer


def _extended(c: Checked, seeds: set[Link], similar: Callable[[int, int], float],
              weak: dict[Link, float]) -> set[Link]:
    """The seed links of two documents with the weak links that extend them, forwards
    and backwards, nearest first; ``weak`` receives each weak link's similarity."""
    links = set(seeds)
    todo = sorted(seeds)
    unlinked: set[Link] = set()  # pairs judged too weak already (``similar`` is a function of the pair)
    if todo:  # each side lies in one document, whose checked ids are consecutive (Checked.at)
        i, j = todo[0]
        lo_i, lo_j = c.first[c.doc[i]], c.first[c.doc[j]]
        hi_i, hi_j = lo_i + c.count[c.doc[i]], lo_j + c.count[c.doc[j]]
    while todo:
        i, j = todo.pop()
        for steps in _DIRECTED_STEPS:
            for a, b in steps:
                ni, nj = i + a, j + b
                if not (lo_i <= ni < hi_i and lo_j <= nj < hi_j):
                    continue
                link = (ni, nj)
                if link in links:
                    break
                if link in unlinked:
                    continue
                s = similar(ni, nj)
                if s >= WEAK_CONTAINMENT:
                    links.add(link)
                    weak[link] = s
                    todo.append(link)
                    break
                unlinked.add(link)
    return links


def _chains(c: Checked, links: set[Link]) -> list[Run]:
    """Links of two documents merged into runs: each link joins the run it follows in
    both documents, at most MAX_GAP unlinked units on from the run's last link on each
    side (the nearest such run); else it starts a run."""
    runs: list[Run] = []
    pos, role = c.pos, c.role
    farthest = 1 + max(MAX_GAP, PASSAGE_GAP)  # no reach is longer
    for i, j in sorted(links, key=lambda link: (pos[link[0]], pos[link[1]])):
        best, best_gap = None, 0
        prose = role[i] in PROSE_ROLES and role[j] in PROSE_ROLES
        for run in runs:
            li, lj = run[-1]
            di, dj = pos[i] - pos[li], pos[j] - pos[lj]
            if not (0 <= di <= farthest and 0 <= dj <= farthest):
                continue
            reach = 1 + (MAX_GAP if prose and role[li] in PROSE_ROLES and role[lj] in PROSE_ROLES else PASSAGE_GAP)
            if 0 <= di <= reach and 0 <= dj <= reach and di + dj > 0 and (best is None or di + dj < best_gap):
                best, best_gap = run, di + dj
        if best is None:
            runs.append([(i, j)])
        else:
            best.append((i, j))
    return runs


def _sides(run: Run) -> int:
    """Distinct units a run links on its thinner side."""
    return min(len({i for i, _ in run}), len({j for _, j in run}))


def _merged(spans: list[Place]) -> dict[Place, Place]:
    """Each span (first, last checked id of one document) -> the merged span it lies in."""
    out: dict[Place, Place] = {}
    spans = sorted(set(spans))
    group, end = [spans[0]], spans[0][1]  # end: the last id the group reaches
    for span in spans[1:] + [(1 << 62, 1 << 62)]:
        if span[0] <= end:
            group.append(span)
            end = max(end, span[1])
            continue
        merged = (group[0][0], end)
        out.update((g, merged) for g in group)
        group, end = [span], span[1]
    return out


def _merged_passages(c: Checked, runs: list[Run], weak: dict[Link, float]) -> list[Passage]:
    """Runs whose places overlap merged into passages (union of places)."""
    if not runs:
        return []
    ends = [((min(i for i, _ in run), max(i for i, _ in run)), (min(j for _, j in run), max(j for _, j in run)))
            for run in runs]  # each run's span on each side
    spans: dict[int, list[Place]] = defaultdict(list)
    for run, sides in zip(runs, ends):
        for side in (0, 1):
            spans[c.doc[run[0][side]]].append(sides[side])
    place_of: dict[Place, Place] = {}
    for doc_spans in spans.values():
        place_of.update(_merged(doc_spans))
    parent = {p: p for p in place_of.values()}

    def find(p: Place) -> Place:
        while parent[p] != p:
            parent[p] = parent[parent[p]]
            p = parent[p]
        return p

    for sides in ends:
        a, b = find(place_of[sides[0]]), find(place_of[sides[1]])
        if a != b:
            parent[a] = b
    out: dict[Place, Passage] = {}
    for p in sorted(parent):
        out.setdefault(find(p), Passage([], [])).places.append(p)
    for run, sides in zip(runs, ends):
        passage = out[find(place_of[sides[0]])]
        passage.runs.append(run)
        passage.weak.update((link, weak[link]) for link in run if link in weak)
    return list(out.values())
