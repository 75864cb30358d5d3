"""Grouping: verified pairs -> Findings.

In: the checked units (their document, position and exact-repeat key), verified
near-duplicate pairs between keys, verified near-copy document pairs. Out: findings,
each a group of occurrences with a kind, a severity and an exact similarity.

A near pair reached the threshold of one of two signals (verify.py): word shingles
(``measure`` "shingles") or word sets ("words"). A finding's similarity is that of its
weakest pair, and a pair found only by the word signal is weaker than any shingle pair:
a group with one such pair is a "words" finding scored by its lowest word Jaccard.

Rules, in order:
1. Boilerplate: a line found in ``boilerplate_min`` articles or more (or in a quarter
   of a smaller collection, at least three), exactly or as near keys, is one finding
   reported apart. Clusters are stars, not connected
   components: the line that reaches most occurrences is the template, and the keys
   near it join it. Near pairs chain (a template line with a URL is near the same line
   with another URL, which is near a code line sharing a path...), so a connected
   component would glue unrelated lines together; a star never does. Clusters whose
   lines follow each other in the same articles (a footer of three lines) are one
   finding.
2. Two articles that are near-copies are one ``document`` finding; the sentence pairs
   between them are not repeated as ``cross`` findings.
3. A run of consecutive units matched in the same order elsewhere (a copied
   paragraph) is one finding spanning both passages.
4. What is left: near pairs group only into cliques of keys, so A~B and B~C never
   put A and C together unless A~C also holds, and a clique shows every occurrence
   of its keys (a "caption" finding when one of them is a caption printed twice in
   one article, else "near"); units with the same key and in no such clique group
   fully (repeat/caption, or cross when in different articles).
5. A list unit (segment.py: a team sheet, a fixture list) pairs only with an exact
   copy in its own article: the same side named in two match reports is no news.

Suppression: an occurrence is quiet when every unit it covers is suppressed by a
comment directive (``Unit.suppressed``) or on the ``allow`` list (an exact sentence,
compared by normalised key, or ``re:PATTERN`` searched in the unit's text). A finding
is suppressed when fewer than two of its occurrences are left that are not quiet:
marking one copy of a repeat as intended silences the pair, but one ignored copy of a
footer found in fifty articles leaves the other forty-nine reported.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from dedupe.model import (
    ALLOW_REGEX_PREFIX,
    CAPTION_ROLES,
    Checked,
    Document,
    Finding,
    LineIndex,
    Occurrence,
    Settings,
    Span,
    Unit,
)

MIN_PASSAGE_UNITS = 2
BOILERPLATE_FLOOR = 3  # articles a line must be in to be boilerplate in a small collection ...
BOILERPLATE_SHARE = 0.25  # ... where a quarter of the articles is enough

# A pair's strength: (1, s) when it reaches the shingle threshold with shingle Jaccard s,
# (0, s) when it reaches only the word threshold, with word Jaccard s. min() over the
# pairs of a group is its weakest pair, and a "words" pair is weaker than any other.
Strength = tuple[int, float]
MEASURES = ("words", "shingles")  # index = first element of a Strength
EXACT: Strength = (1, 1.0)
NearKey = tuple[int, int, float, str]  # (key a, key b, exact similarity, measure), a < b


def strength(similarity: float, measure: str) -> Strength:
    return (MEASURES.index(measure), similarity)


@dataclass(frozen=True, slots=True)
class Cluster:
    """A boilerplate cluster: the template line's key and the keys near it."""

    keys: tuple[int, ...]  # the template line's key first
    strength: Strength  # the weakest pair between a member and the template line


def boilerplate_articles(settings: Settings, articles: int) -> int:
    """How many articles make a line boilerplate: ``boilerplate_min``, or a quarter of a
    smaller collection (at least BOILERPLATE_FLOOR). A footer in four of fifteen pages is
    template; a background sentence reused in eight of 2,225 news stories is a repeat
    the editor should see, and a tldr-pages template line is in 34 pages or more."""
    return min(settings.boilerplate_min, max(BOILERPLATE_FLOOR, math.ceil(BOILERPLATE_SHARE * articles)))


def boilerplate(checked: Checked, near_keys: list[NearKey], settings: Settings, articles: int) -> list[Cluster]:
    """Boilerplate clusters (rule 1), greedily: the key whose star (itself and the keys
    near it) has the most occurrences is the first template line; its star, less keys
    already taken, is a cluster when it spans ``boilerplate_articles`` of the ``articles``."""
    c = checked
    if settings.scope != "repo":
        return []
    least = boilerplate_articles(settings, articles)
    near: dict[int, dict[int, Strength]] = defaultdict(dict)
    for ka, kb, s, m in near_keys:
        near[ka][kb] = near[kb][ka] = strength(s, m)
    # a key seen once with no near neighbour reaches one article: only the others can lead
    leaders = set(near).union(k for k, ids in enumerate(c.by_key) if len(ids) > 1)
    reach = {k: len(c.by_key[k]) + sum(len(c.by_key[n]) for n in near.get(k, ())) for k in leaders}
    taken: set[int] = set()
    out = []
    for k in sorted((k for k, r in reach.items() if r >= least), key=lambda k: (-reach[k], k)):
        if k in taken:
            continue
        members = [k] + sorted(n for n in near.get(k, ()) if n not in taken)
        if len({c.doc[i] for m in members for i in c.by_key[m]}) < least:
            continue
        taken.update(members)
        out.append(Cluster(tuple(members), min((near[k][m] for m in members[1:]), default=EXACT)))
    return out


def _template_blocks(c: Checked, clusters: list[Cluster]) -> list[list[Cluster]]:
    """Boilerplate clusters, consecutive ones joined: a footer of three lines found in the
    same articles is one finding, not three. Cluster B follows A when both are in the same
    articles, once each, and B's unit comes right after A's in every one of them;
    anything less (a line missing from one footer) leaves them apart."""
    def places(cluster: Cluster) -> frozenset[tuple[int, int]] | None:
        ids = [i for k in cluster.keys for i in c.by_key[k]]
        docs = {c.doc[i] for i in ids}
        return frozenset((c.doc[i], c.pos[i]) for i in ids) if len(docs) == len(ids) else None

    at = {p: n for n, cluster in enumerate(clusters) if (p := places(cluster)) is not None}
    follower: dict[int, int] = {}
    for p, n in at.items():
        nxt = at.get(frozenset((d, pos + 1) for d, pos in p))
        if nxt is not None:
            follower[n] = nxt
    led = set(follower.values())
    blocks = []
    for n, cluster in enumerate(clusters):
        if n in led:
            continue  # a later line of a block that starts elsewhere
        block = [cluster]
        while n in follower:
            n = follower[n]
            block.append(clusters[n])
        blocks.append(block)
    return blocks


def _fingerprint(kind: str, keys: list[str]) -> str:
    """Content fingerprint: stable across line moves, used by baselines and SARIF."""
    h = hashlib.sha256(kind.encode())
    for k in sorted(set(keys)):
        h.update(b"\0" + k.encode("utf-8"))
    return h.hexdigest()[:32]


class _Builder:
    """Turns groups of checked ids into Findings with spans read off the units."""

    def __init__(self, docs: tuple[Document, ...], units: tuple[Sequence[Unit], ...], checked: Checked,
                 settings: Settings, allow_keys: frozenset[str] = frozenset()) -> None:
        self.docs, self.units, self.c, self.settings = docs, units, checked, settings
        self.allow_keys = allow_keys
        self.allow_res = [re.compile(a[len(ALLOW_REGEX_PREFIX) :]) for a in settings.allow
                          if a.startswith(ALLOW_REGEX_PREFIX)]

    def quiet(self, i: int) -> bool:
        """Checked unit ``i`` may repeat: suppressed by a comment, or on the allow list."""
        c = self.c
        return (c.suppressed[i] or c.keys[c.key[i]] in self.allow_keys
                or any(r.search(self.units[c.doc[i]][c.unit[i]].text) for r in self.allow_res))

    def occurrence(self, ids: list[int]) -> Occurrence:
        """One occurrence covering checked ids of one document, first to last."""
        c = self.c
        doc = c.doc[ids[0]]
        a, z = c.span(ids[0]), c.span(ids[-1])
        span = Span(a.offset, z.offset + z.length - a.offset, a.line, a.column, z.end_line, z.end_column)
        source = self.docs[doc].source
        role = c.role[ids[0]] if len(ids) == 1 else "sentence"
        covered = tuple(range(c.unit[ids[0]], c.unit[ids[-1]] + 1))
        return Occurrence(self.docs[doc].path, span, source[span.offset : span.offset + span.length], doc,
                          covered, role)

    def finding(self, kind: str, similarity: Strength, groups: list[list[int]]) -> Finding:
        occs = sorted((self.occurrence(g) for g in groups), key=lambda o: (o.path, o.span.offset))
        keys = [self.c.keys[self.c.key[i]] for g in groups for i in g]
        live = sum(1 for g in groups if not all(self.quiet(i) for i in g))
        suppressed = live < 2
        severity = self.settings.severity.get(kind, "error")
        return Finding(kind, severity, similarity[1], tuple(occs),  # type: ignore[arg-type]
                       _fingerprint(kind, keys), suppressed, MEASURES[similarity[0]])  # type: ignore[arg-type]

    def kind_of(self, ids: list[int], repeat_kind: str) -> str:
        """repeat_kind when two ids share an article, else cross."""
        docs = [self.c.doc[i] for i in ids]
        return repeat_kind if len(set(docs)) < len(docs) else "cross"

    def is_caption(self, ids: list[int]) -> bool:
        return any(self.c.role[i] in CAPTION_ROLES for i in ids)


def _cliques(sim: dict[tuple[int, int], Any]) -> list[list[int]]:
    """Greedy cliques over near pairs, strongest pairs first: no transitive chaining."""
    pairs = sorted(((s, a, b) for (a, b), s in sim.items()), reverse=True)
    group_of: dict[int, int] = {}
    groups: list[list[int]] = []
    for _, a, b in pairs:
        ga, gb = group_of.get(a), group_of.get(b)
        if ga is None and gb is None:
            group_of[a] = group_of[b] = len(groups)
            groups.append([a, b])
        elif (ga is None) != (gb is None):
            placed_group, loose = (ga, b) if ga is not None else (gb, a)
            assert placed_group is not None
            if all((min(loose, m), max(loose, m)) in sim for m in groups[placed_group]):
                groups[placed_group].append(loose)
                group_of[loose] = placed_group
            else:
                group_of[loose] = len(groups)
                groups.append([loose])
    cliques = [g for g in groups if len(g) > 1]
    # a pair left out of every clique (both ends already placed elsewhere) is its own group
    placed = {(min(a, b), max(a, b)) for g in cliques for i, a in enumerate(g) for b in g[i + 1 :]}
    cliques += [[a, b] for (a, b) in sim if (a, b) not in placed and group_of.get(a) != group_of.get(b)]
    return cliques


def group(
    docs: tuple[Document, ...],
    units: tuple[Sequence[Unit], ...],
    checked: Checked,
    near_keys: list[NearKey],
    near_docs: list[tuple[int, int, float]],
    settings: Settings,
    allow_keys: frozenset[str] = frozenset(),
    clusters: list[Cluster] | None = None,
) -> list[Finding]:
    """All findings of a run, sorted by first occurrence (path, offset). ``allow_keys``
    are the normalised keys of the allow list's sentences; ``clusters`` the boilerplate
    found by ``boilerplate()`` when the caller needed it first."""
    c = checked
    b = _Builder(docs, units, c, settings, allow_keys)
    findings: list[Finding] = []
    repo = settings.scope == "repo"

    # 1. boilerplate: template lines (exact or near) spread over many articles
    if clusters is None:
        clusters = boilerplate(c, near_keys, settings, len(docs))
    boiler_keys = {k for cluster in clusters for k in cluster.keys}
    for block in _template_blocks(c, clusters):
        # one occurrence per article: its lines of every cluster (a lone cluster: one line each)
        places = [sorted(i for k in cluster.keys for i in c.by_key[k]) for cluster in block]
        weakest = min(cluster.strength for cluster in block)
        findings.append(b.finding("boilerplate", weakest, [list(ids) for ids in zip(*places)]))

    # 2. whole-article near-copies
    copies: set[tuple[int, int]] = set()
    if repo and near_docs:
        doc_sim = {(a, bb): s for a, bb, s in near_docs}
        for clique in _cliques(doc_sim):
            ids = sorted(clique)
            sims = [doc_sim[(x, y)] for i, x in enumerate(ids) for y in ids[i + 1 :] if (x, y) in doc_sim]
            findings.append(_document_finding(b, ids, min(sims)))
        copies = set(doc_sim)

    # a list unit (team sheet, fixtures) is reported only when repeated exactly in one article
    lists = {i for i, role in enumerate(c.role) if role == "list"}

    def allowed(i: int, j: int, exact: bool = True) -> bool:
        da, db = c.doc[i], c.doc[j]
        if i in lists or j in lists:
            return exact and da == db
        if da == db:
            return True
        return repo and (min(da, db), max(da, db)) not in copies

    # unit-level matched pairs (checked ids, i < j) with their similarity
    matched: dict[tuple[int, int], Strength] = {}
    for k, ids in enumerate(c.by_key):
        if len(ids) < 2 or k in boiler_keys:
            continue
        for x in range(len(ids)):
            for y in range(x + 1, len(ids)):
                if allowed(ids[x], ids[y]):
                    matched[(ids[x], ids[y])] = EXACT
    for ka, kb, s, m in near_keys:
        if ka in boiler_keys or kb in boiler_keys:
            continue
        for i in c.by_key[ka]:
            for j in c.by_key[kb]:
                if allowed(i, j, exact=False):
                    matched[(min(i, j), max(i, j))] = strength(s, m)

    # 3. passages: diagonal runs of matched pairs. Checked ids follow document order,
    # so in a pair (i, j) with i < j the left passage is i's and the right one j's.
    def pair_at(i: int, j: int, step: int) -> tuple[int, int] | None:
        ni, nj = c.at(c.doc[i], c.pos[i] + step), c.at(c.doc[j], c.pos[j] + step)
        if ni is None or nj is None or (ni, nj) not in matched:
            return None
        return ni, nj

    used: set[tuple[int, int]] = set()
    for i, j in sorted(matched):
        if (i, j) in used or pair_at(i, j, -1) is not None:
            continue  # already in a passage, or not the start of a run
        run = [(i, j)]
        while (nxt := pair_at(i, j, len(run))) is not None:
            if c.doc[i] == c.doc[j] and nxt[0] >= j:
                break  # the two passages would overlap
            run.append(nxt)
        if len(run) < MIN_PASSAGE_UNITS:
            continue
        used.update(run)
        sim = min(matched[p] for p in run)
        kind = "cross" if c.doc[i] != c.doc[j] else ("repeat" if sim == EXACT else "near")
        findings.append(b.finding(kind, sim, [[p[0] for p in run], [p[1] for p in run]]))

    # 4a. near groups: cliques of keys, occurrences of every member key
    sim_keys = {(min(ka, kb), max(ka, kb)): strength(s, m) for ka, kb, s, m in near_keys
                if ka not in boiler_keys and kb not in boiler_keys}
    live_keys: dict[tuple[int, int], Strength] = {}
    for (i, j), pair in matched.items():
        if (i, j) in used or pair == EXACT and c.key[i] == c.key[j]:
            continue
        ka, kb = c.key[i], c.key[j]
        live_keys[(min(ka, kb), max(ka, kb))] = sim_keys.get((min(ka, kb), max(ka, kb)), pair)
    in_near: set[int] = set()
    for clique in _cliques(live_keys):
        members = sorted(i for k in clique for i in c.by_key[k])
        pairs = [live_keys[(x, y)] for n, x in enumerate(sorted(clique)) for y in sorted(clique)[n + 1 :]]
        # a caption printed twice word for word stays a caption finding, with its near variants
        doubled = any(b.is_caption(c.by_key[k]) and b.kind_of(c.by_key[k], "caption") == "caption" for k in clique)
        kind = b.kind_of(members, "caption" if doubled else "near")
        if kind == "cross" and not any(c.doc[x] != c.doc[y] and allowed(x, y) for x in members for y in members):
            continue
        findings.append(b.finding(kind, min(pairs), [[i] for i in members]))
        in_near.update(clique)

    # 4b. exact groups, without the pairs a passage already reported, nor keys a near
    # group already shows with all their occurrences
    live_by_key: dict[int, set[int]] = defaultdict(set)
    for p, pair in matched.items():
        if pair == EXACT and p not in used and c.key[p[0]] == c.key[p[1]]:
            live_by_key[c.key[p[0]]].update(p)
    for k, live in sorted(live_by_key.items()):
        if len(live) < 2 or k in in_near:
            continue
        members = sorted(live)
        kind = b.kind_of(members, "caption" if b.is_caption(members) else "repeat")
        findings.append(b.finding(kind, EXACT, [[i] for i in members]))

    findings.sort(key=lambda f: (f.occurrences[0].path, f.occurrences[0].span.offset, f.kind))
    return findings


def _document_finding(b: _Builder, ids: list[int], similarity: float) -> Finding:
    """A finding whose occurrences are whole articles (first to last character of text)."""
    occs = []
    for d in ids:
        doc = b.docs[d]
        text = doc.source.rstrip()
        lead = len(text) - len(text.lstrip())
        span = LineIndex(doc.source).span(lead, len(text))
        occs.append(Occurrence(doc.path, span, doc.source[span.offset : span.offset + span.length], d,
                               tuple(range(len(b.units[d]))), "sentence"))
    occs.sort(key=lambda o: o.path)
    keys = [b.docs[d].path for d in ids]
    severity = b.settings.severity.get("document", "error")
    c = b.c
    live = sum(1 for d in ids if not (c.count.get(d) and all(c.suppressed[c.first[d] : c.first[d] + c.count[d]])))
    return Finding("document", severity, similarity, tuple(occs),  # type: ignore[arg-type]
                   _fingerprint("document", keys), live < 2)

