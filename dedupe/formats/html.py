"""HTML format: one self-contained page an editor decides from.

In: a Result. Out: one HTML document (inline CSS and JS, no external requests, a
Content-Security-Policy that forbids them). The page opens on the articles with
findings, ranked by the share of their text that is repeated; an article opens with
every repeated span highlighted in place; the findings index lists one entry per
repeated text; any two places of a finding open side by side.

The page stays light on a whole repository: every article's text is written once, as
static HTML inside ``<noscript>`` (what a reader without JavaScript sees: the list,
the index and every article, navigable by links). With JavaScript that element is a
single text node, not thousands of DOM nodes; the script renders one article at a
time from it, and lists and the index from a small JSON block
(``<script type="application/json">``, never executed), so the first paint has a
bounded number of nodes whatever the size of the corpus.

Like every formatter it never computes detection results: kinds, similarities, spans,
variants and groups come from the Result. What it works out is presentation only:
display order, colours, where an occurrence sits inside its block's text, the share
of an article's characters the highlights cover, and word-level display diffs
(dedupe.worddiff) of texts the pipeline already grouped.

Everything from the input (article text, file names, config values) is escaped: the
Jinja environment autoescapes, the text runs of a block built here go through
``markupsafe.escape`` piece by piece, and the JSON block escapes ``<``, ``>`` and
``&``. The page's own script and style are allowed by their SHA-256 in the CSP, so
injected markup could not run even if escaping failed.
"""

from __future__ import annotations

import base64
import bisect
import hashlib
import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields
from functools import lru_cache
from importlib import resources
from itertools import pairwise
from typing import Any

import jinja2
from markupsafe import Markup, escape

from dedupe import __version__, worddiff
from dedupe.escape import quote_path
from dedupe.formats.text import snippet
from dedupe.model import KINDS, SEVERITIES, Block, Document, Finding, Occurrence, Result

TEMPLATE = "report.html.j2"
PALETTE_SIZE = 8  # highlight colours (report.css .c0-.c7), reused when an article has more groups
SNIPPET_CHARS = 160  # a finding's text in the index
DOCUMENT_SNIPPET_CHARS = 100  # a near-copy article's opening words in the index
BASELINE_TEXT_CHARS = 120  # the text a baseline entry keeps for people reading it (baseline.TEXT_CHARS)
BOILERPLATE_BLOCK_SHARE = 0.6  # a block this much boilerplate is folded away with the footer it belongs to
SIZE_MARKER = "@@dedupe-report-size@@"
UNMARKED = ("document",)  # kinds shown as a note on the article, not as highlights (the whole text)

KIND_LABELS = {
    "repeat": "repeat",
    "caption": "caption",
    "near": "near-duplicate",
    "document": "near-copy article",
    "cross": "cross-article",
    "archive": "in the archive",
    "echo": "echo",
    "boilerplate": "boilerplate",
}
KIND_HELP = {
    "repeat": "the same sentence twice in one article",
    "caption": "a caption or stand-alone line repeated in one article",
    "near": "sentences that say the same with a few words changed",
    "document": "whole articles that are near-copies of each other",
    "cross": "text repeated in another article",
    "archive": "text already published in the archive",
    "echo": "a distinctive phrase or fact restated in one article",
    "boilerplate": "text shared by many articles (footers, bios, stock lines)",
}
# the comment that suppresses the next block, per reader format (readers/directives.py, readers/text.py)
IGNORE_COMMENTS = {"markdown": "<!-- dedupe-ignore -->", "html": "<!-- dedupe-ignore -->", "text": "dedupe-ignore"}


@dataclass(slots=True)
class FindingView:
    """A finding as the page shows it: its number in the index, colour and anchors."""

    finding: Finding
    number: int = 0
    colour: int = -1  # palette index; -1 for kinds not highlighted in colour
    label: str = ""
    size: int = 0  # characters covered by all occurrences: the index sorts big repeats first
    words: int = 0  # the repeated text's length in words (the viewer's "shorter than N words" filter)
    snippet: str = ""
    wheres: list[str] = field(default_factory=list)  # "path:line" per occurrence
    # (where, inline word diff as worddiff.inline gives it, the same as HTML) per variant
    diffs: list[tuple[str, list[tuple[str, str]], Markup]] = field(default_factory=list)
    files: str = ""  # display paths of the articles involved, for the file filter
    known: list[bool] = field(default_factory=list)  # per occurrence: in an article of this run (else: an archive's)

    @property
    def id(self) -> str:
        return f"f{self.number}"

    def occ_id(self, i: int) -> str:
        return f"f{self.number}-{i}"

    def next_id(self, i: int) -> str:
        """The next place that is in an article of this run (an archive's has no anchor)."""
        n = len(self.finding.occurrences)
        return self.occ_id(next((j % n for j in range(i + 1, i + n + 1) if self.known[j % n]), i))

    @property
    def first_id(self) -> str:
        return self.next_id(len(self.finding.occurrences) - 1)

    @property
    def kind(self) -> str:
        return self.finding.kind

    @property
    def colour_class(self) -> str:
        return f"c{self.colour}" if self.colour >= 0 else "cb"


@dataclass(slots=True)
class KindGroup:
    kind: str
    label: str
    help: str
    severity: str
    findings: list[FindingView]


@dataclass(slots=True)
class ArticleView:
    """One article of the static view, with what the list shows of it."""

    doc: int
    path: str
    html: Markup
    views: list[FindingView]  # findings with an occurrence here, in index order
    chars: int  # characters of visible text
    repeated: int  # of those, characters inside a highlight (a near-copy article: its similarity times all of them)
    severity: str  # the worst severity among its findings ("" without findings)
    counts: dict[str, int]  # findings per kind

    @property
    def share(self) -> int:
        return round(100 * self.repeated / self.chars) if self.chars else 0


@dataclass(slots=True)
class _Mark:
    """A highlight inside one block's text: [start, end) of occurrence ``occ`` of ``view``."""

    start: int
    end: int
    view: FindingView
    occ: int

    @property
    def sort_key(self) -> tuple[int, int, int, int]:
        """Outer marks first: earlier start, then later end; so nesting is the same in every piece."""
        return (self.start, -self.end, self.view.number, self.occ)


def display_paths(documents: Sequence[Document]) -> tuple[str, list[str]]:
    """The folder all articles share and each article's path below it: the page names
    that folder once and every article by its shorter path, each as git shows it."""
    paths = [d.path for d in documents]
    real = [p for p in paths if p != "-"]
    root = ""
    if real:
        try:
            root = os.path.commonpath([os.path.dirname(p) or "." for p in real])
        except ValueError:  # absolute and relative paths mixed
            root = ""
    if root in (".", ""):
        return "", [quote_path(p) for p in paths]
    cut = len(root.rstrip("/")) + 1
    return (quote_path(root.rstrip("/")) + "/",
            [quote_path(p[cut:] if p != "-" and p.startswith(root) else p) for p in paths])


def _known(result: Result, o: Occurrence) -> bool:
    """The occurrence is in an article of this run (an archive match may not be)."""
    return 0 <= o.doc < len(result.documents) and result.documents[o.doc].path == o.path


def visible_text(result: Result, o: Occurrence) -> str:
    """What the reader sees of an occurrence: its units' text without markup (a phrase: its own text)."""
    if o.context is not None or not _known(result, o):
        return o.text
    units = result.units[o.doc]
    return " ".join(units[i].text for i in o.units if i < len(units)) or o.text


def human_size(n: int) -> str:
    if n < 1024:
        return f"{n} bytes"
    if n < 1024 * 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n / (1024 * 1024):.1f} MB"


def seconds(s: float) -> str:
    return f"{s * 1000:.0f} ms" if s < 1 else f"{s:.1f} s"


def _index_order(views: list[FindingView], severity_of: dict[str, str]) -> list[KindGroup]:
    """Kinds by severity (then the usual kind order); in a kind, severity then size."""
    rank = {s: i for i, s in enumerate(SEVERITIES)}
    kinds = sorted({v.kind for v in views}, key=lambda k: (rank.get(severity_of.get(k, "error"), 0), KINDS.index(k)))
    groups = []
    for k in kinds:
        members = [v for v in views if v.kind == k]
        members.sort(key=lambda v: (rank.get(v.finding.severity, 0), -v.size, v.finding.occurrences[0].path,
                                    v.finding.occurrences[0].span.offset))
        groups.append(KindGroup(k, KIND_LABELS.get(k, k), KIND_HELP.get(k, ""), severity_of.get(k, "error"), members))
    return groups


def _assign_colours(views: list[FindingView]) -> None:
    """One colour per finding; findings that meet in an article get different colours
    while the palette lasts."""
    taken: dict[int, set[int]] = {}
    for v in views:
        if v.kind in ("boilerplate", *UNMARKED):
            continue
        docs = {o.doc for o in v.finding.occurrences}
        used = set().union(*(taken.get(d, set()) for d in docs))
        free = [c for c in range(PALETTE_SIZE) if c not in used]
        v.colour = free[0] if free else v.number % PALETTE_SIZE
        for d in docs:
            taken.setdefault(d, set()).add(v.colour)


def _inline_html(ops: list[tuple[str, str]]) -> Markup:
    parts = []
    for op, text in ops:
        if op == "del":
            parts.append(Markup("<del>{}</del>").format(text))
        elif op == "ins":
            parts.append(Markup("<ins>{}</ins>").format(text))
        else:
            parts.append(escape(text))
    return Markup(" ").join(parts)


def _variant_heads(f: Finding) -> dict[int, int]:
    """The first occurrence of each variant other than the representative's."""
    rep = f.occurrences[f.representative]
    heads: dict[int, int] = {}
    for i, o in enumerate(f.occurrences):
        if o.variant != rep.variant and o.variant not in heads:
            heads[o.variant] = i
    return heads


def _build_views(result: Result, names: list[str], show_suppressed: bool) -> list[FindingView]:
    views = []
    for f in result.findings:
        if f.suppressed and not show_suppressed:
            continue
        v = FindingView(f, label=KIND_LABELS.get(f.kind, f.kind))
        v.size = sum(o.span.length for o in f.occurrences)
        v.wheres = [f"{_name(result, names, o)}:{o.span.line}" for o in f.occurrences]
        v.files = "\n".join(dict.fromkeys(_name(result, names, o) for o in f.occurrences))
        v.known = [_known(result, o) for o in f.occurrences]
        rep = visible_text(result, f.occurrences[f.representative])
        v.words = f.run_words or len(rep.split())
        v.snippet = snippet(rep, SNIPPET_CHARS if f.kind != "document" else DOCUMENT_SNIPPET_CHARS)
        if f.kind not in ("document", "boilerplate"):
            for i in _variant_heads(f).values():
                ops: list[tuple[str, str]] = list(worddiff.inline(rep, visible_text(result, f.occurrences[i])))
                v.diffs.append((v.wheres[i], ops, _inline_html(ops)))
        views.append(v)
    return views


def _name(result: Result, names: list[str], o: Occurrence) -> str:
    return names[o.doc] if _known(result, o) else o.path


def _text_offset(block: Block, source_offset: int) -> int:
    """Where a source offset falls in the block's text (the inverse of Block.source_offset)."""
    pieces = block.pieces
    if not pieces:
        return 0
    i = max(bisect.bisect_right(pieces, source_offset, key=lambda p: p[1]) - 1, 0)
    t0, s0, n = pieces[i]
    return t0 + min(max(source_offset - s0, 0), n)


def _occurrence_marks(result: Result, v: FindingView, i: int) -> list[tuple[int, int, int]]:
    """(block, start, end) of the text an occurrence covers, in block-text offsets: whole
    units, or for a phrase inside a sentence the phrase's own span."""
    o = v.finding.occurrences[i]
    units = result.units[o.doc]
    covered = [units[u] for u in o.units if u < len(units)]
    if not covered:
        return []
    if o.context is not None and len(covered) == 1:
        u = covered[0]
        block = result.documents[o.doc].blocks[u.block]
        lo, hi = u.text_start, u.text_start + len(u.text)
        start = min(max(_text_offset(block, o.span.offset), lo), hi)
        end = min(max(_text_offset(block, o.span.offset + o.span.length), start), hi)
        return [(u.block, start, end)] if end > start else [(u.block, lo, hi)]
    by_block: dict[int, list[int]] = {}
    for u in covered:
        by_block.setdefault(u.block, []).append(u.index)
    out = []
    for b, us in by_block.items():
        first, last = units[us[0]], units[us[-1]]
        out.append((b, first.text_start, last.text_start + len(last.text)))
    return out


def _changed_marks(result: Result, v: FindingView) -> dict[int, list[tuple[int, int, int]]]:
    """Per document: (block, start, end) of the words that differ from the representative
    (the representative's own against the other variant, when there are just two)."""
    f = v.finding
    out: dict[int, list[tuple[int, int, int]]] = {}
    if f.kind in (*UNMARKED, "boilerplate") or len(f.occurrences) < 2:
        return out
    heads = _variant_heads(f)
    rep_index = f.representative
    rep = f.occurrences[rep_index]
    for i, o in enumerate(f.occurrences):
        if o.context is not None or not _known(result, o):
            continue
        if o.variant != rep.variant:
            partner = rep
        elif i == rep_index and len(heads) == 1:
            partner = f.occurrences[next(iter(heads.values()))]
        else:
            continue
        if len(o.units) != len(partner.units) or not _known(result, partner):
            continue
        for ua, ub in zip(o.units, partner.units):
            unit, other = result.units[o.doc][ua], result.units[partner.doc][ub]
            at = unit.text_start
            mine, _ = worddiff.changed_ranges(unit.text, other.text)
            out.setdefault(o.doc, []).extend((unit.block, at + s, at + e) for s, e in mine)
    return out


def _title(v: FindingView, i: int) -> str:
    f = v.finding
    others = [w for j, w in enumerate(v.wheres) if j != i]
    shown = ", ".join(others[:6]) + (f", +{len(others) - 6} more" if len(others) > 6 else "")
    return (f"#{v.number} {v.label} · similarity {f.occurrences[i].similarity:.2f} · also at {shown} · "
            f"the label goes to {v.wheres[int(v.next_id(i).rsplit('-', 1)[1])]}")


def _runs_html(text: str, marks: list[_Mark], changed: Sequence[tuple[int, int]]) -> Markup:
    """A block's text with every occurrence highlighted where it stands.

    Highlights are ``<span class="hl">`` elements, nested where occurrences nest and
    split where they cross, so every occurrence has text of its own around it (never an
    empty anchor). An occurrence's first piece carries its id and a label link to the
    finding's next place; the pieces after a split carry ``data-o`` only. Changed words
    are ``<span class="dw">`` inside the innermost highlight."""
    cuts = {0, len(text)}
    for m in marks:
        cuts.update((m.start, m.end))
    for s, e in changed:
        cuts.update((s, e))
    points = sorted(c for c in cuts if 0 <= c <= len(text))
    out: list[str] = []
    stack: list[_Mark] = []
    started: set[int] = set()
    for p, q in pairwise(points):
        want = sorted((m for m in marks if m.start <= p and m.end >= q), key=lambda m: m.sort_key)
        keep = 0
        while keep < min(len(stack), len(want)) and stack[keep] is want[keep]:
            keep += 1
        out.extend("</span>" for _ in stack[keep:])
        del stack[keep:]
        for m in want[keep:]:
            v, i = m.view, m.occ
            classes = f"hl k-{v.kind} {v.colour_class} d{min(len(stack), 3)}"
            if v.finding.suppressed:
                classes += " supp"
            attrs = f'data-f="{v.number}" data-o="{i}"'
            if id(m) not in started:
                started.add(id(m))
                out.append(f'<span class="{classes}" id="{v.occ_id(i)}" {attrs} tabindex="-1">'
                           f'<a class="lbl" href="#{v.next_id(i)}" title="{escape(_title(v, i))}">'
                           f'{v.number}<span class="lk"> {escape(v.label)}</span></a>')
            else:
                out.append(f'<span class="{classes} cont" {attrs}>')
            stack.append(m)
        piece = str(escape(text[p:q]))
        if any(s <= p and e >= q for s, e in changed) and stack:
            piece = f'<span class="dw">{piece}</span>'
        out.append(piece)
    out.extend("</span>" for _ in stack)
    return Markup("".join(out))


# block role -> class of its <p> (prose has none: a big report has thousands of blocks)
_BLOCK_CLASSES = {"heading": "h", "title": "h", "caption": "cap", "item": "item", "quote": "quote", "cell": "cell"}


def _block_html(block: Block, inner: Markup, line: int | None) -> Markup:
    classes = [_BLOCK_CLASSES.get(block.role, "")]
    if block.lines:
        classes.append("pre")
    if block.suppressed:
        classes.append("supp-blk")
    names = " ".join(c for c in classes if c)
    attrs = (f' class="{names}"' if names else "") + (f' data-ln="{line}"' if line else "")
    if block.suppressed:
        attrs += ' title="suppressed by a dedupe comment"'
    return Markup(f"<p{attrs}>") + inner + Markup("</p>\n")


def _article_html(result: Result, doc: int, marks: dict[int, list[_Mark]],
                  changed: dict[int, list[tuple[int, int]]]) -> tuple[Markup, int, int]:
    """The article's blocks in order, with the characters it has and those highlighted.
    Runs of blocks that are mostly boilerplate are folded into one collapsed section."""
    document = result.documents[doc]
    first_line = _block_lines(result, doc)
    parts: list[Markup] = []
    folded: list[Markup] = []
    folded_views: dict[int, FindingView] = {}
    chars = covered = 0

    def flush() -> None:
        if not folded:
            return
        names = ", ".join(f"#{n}" for n in sorted(folded_views))
        summary = Markup('<summary><span class="k-tag k-boilerplate">boilerplate</span> {} shared with other '
                         "articles ({})</summary>").format(f"{len(folded)} block{'s' if len(folded) > 1 else ''}",
                                                           names)
        parts.append(Markup('<details class="boiler">') + summary + Markup("").join(folded) + Markup("</details>\n"))
        folded.clear()
        folded_views.clear()

    for b, block in enumerate(document.blocks):
        if not block.text.strip():
            continue
        ms = marks.get(b, [])
        chars += len(block.text)
        covered += _union_length((m.start, m.end) for m in ms)
        html = _block_html(block, _runs_html(block.text, ms, changed.get(b, [])), first_line.get(b))
        boiler = [m for m in ms if m.view.kind == "boilerplate"]
        if boiler and len(boiler) == len(ms) and _union_length(
                (m.start, m.end) for m in boiler) >= BOILERPLATE_BLOCK_SHARE * len(block.text.strip()):
            folded.append(html)
            folded_views.update((m.view.number, m.view) for m in boiler)
            continue
        flush()
        parts.append(html)
    flush()
    return Markup("").join(parts), chars, covered


def _union_length(ranges: Iterable[tuple[int, int]]) -> int:
    total, end = 0, -1
    for s, e in sorted(ranges):
        if e <= end:
            continue
        total += e - max(s, end)
        end = e
    return total


def _block_lines(result: Result, doc: int) -> dict[int, int]:
    """The source line each block starts on (its first unit's line; blocks without units have none)."""
    lines: dict[int, int] = {}
    for u in result.units[doc]:
        lines.setdefault(u.block, u.span.line)
    return lines


def _settings_rows(result: Result) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The settings an editor tunes most, and every setting (for the record)."""
    s = result.settings
    main = [
        ("threshold", f"{s.threshold:g} (near-duplicate similarity)"),
        ("shingle", f"{s.shingle} words"),
        ("min words", f"{s.min_words} (shorter units are not checked)"),
        ("document threshold", f"{s.document_threshold:g}"),
        ("boilerplate", f"in {result.boilerplate_articles} or more articles (boilerplate-min {s.boilerplate_min}, "
                        "or a quarter of a smaller collection)" if s.scope == "repo" else "not looked for (scope article)"),
        ("scope", s.scope),
        ("fail on", s.fail_on),
    ]
    every = []
    for fd in fields(s):
        value = getattr(s, fd.name)
        if isinstance(value, dict):
            text = ", ".join(f"{k}={value[k]}" for k in value)
        elif isinstance(value, (tuple, list)):
            text = ", ".join(str(x) for x in value) or "(none)"
        else:
            text = str(value)
        every.append((fd.name, text))
    return main, every


def _copy_similarity(f: Finding, doc: int) -> float:
    """How similar an article is to its closest copy in a near-copy finding: its own
    similarity to the representative, or for the representative, that of its closest copy."""
    here = [i for i, o in enumerate(f.occurrences) if o.doc == doc]
    if not here:
        return 0.0
    if f.representative not in here:
        return max(f.occurrences[i].similarity for i in here)
    return max((o.similarity for i, o in enumerate(f.occurrences) if i not in here), default=1.0)


def _baseline_text(text: str) -> str:
    """The text a baseline entry keeps, as dedupe/baseline.py writes it."""
    flat = " ".join(text.split())
    return flat if len(flat) <= BASELINE_TEXT_CHARS else flat[: BASELINE_TEXT_CHARS - 1] + "…"


def _provenance(o: Occurrence) -> dict[str, str]:
    """Title, date and URL of an archive occurrence's article, when the run knows them."""
    p = getattr(o, "provenance", None)
    if p is None:
        return {}
    out = {}
    for key in ("title", "date", "url"):
        value = p.get(key) if isinstance(p, dict) else getattr(p, key, None)
        if value:
            out[key] = str(value)
    return out


def _page_data(result: Result, names: list[str], views: list[FindingView], articles: list[ArticleView],
               block_marks: dict[int, dict[int, list[_Mark]]]) -> dict[str, Any]:
    """What the script needs besides the article text: the articles (with the text ranges
    each finding covers there, so filters can re-rank them), and the findings."""
    docs: dict[str, Any] = {}
    for a in articles:
        starts, at = {}, 0
        for b, block in enumerate(result.documents[a.doc].blocks):
            starts[b] = at
            if block.text.strip():
                at += len(block.text)
        ranges = sorted({(m.view.number, starts[b] + m.start, starts[b] + m.end)
                         for b, ms in block_marks.get(a.doc, {}).items() for m in ms})
        # a near-copy article: the whole text, at its similarity to its closest copy
        whole = [[v.number, 0, a.chars, round(_copy_similarity(v.finding, a.doc), 2)]
                 for v in a.views if v.kind in UNMARKED]
        docs[str(a.doc)] = {"p": a.path, "n": a.chars, "fmt": result.documents[a.doc].format,
                            "r": [list(r) for r in ranges] + whole}
    findings = []
    totals: dict[str, int] = {}
    for f in result.findings:
        if not f.suppressed:
            totals[f.fingerprint] = totals.get(f.fingerprint, 0) + len(f.occurrences)
    for v in views:
        f = v.finding
        occs = []
        for o in f.occurrences:
            row: list[Any] = [o.doc if _known(result, o) else -1, o.span.line, round(o.similarity, 2), o.variant,
                              _name(result, names, o)]
            prov = _provenance(o)
            if prov:
                row.append(prov)
            occs.append(row)
        diffs = [[where, [[op, text] for op, text in ops]] for where, ops, _ in v.diffs]
        findings.append({
            "n": v.number, "k": f.kind, "s": f.severity, "sim": round(f.similarity, 2), "m": f.measure,
            "w": v.words, "fp": f.fingerprint, "t": v.snippet, "c": v.colour_class, "o": occs,
            "r": f.representative, "sup": f.suppressed, "d": diffs,
            # the baseline entry a download writes (dedupe/baseline.py: fingerprint, kind, occurrences, text)
            "b": [totals.get(f.fingerprint, len(f.occurrences)), _baseline_text(f.occurrences[0].text)],
        })
    return {"docs": docs, "findings": findings, "kinds": {k: KIND_LABELS[k] for k in KINDS},
            "ignore": IGNORE_COMMENTS}


def _json_for_script(data: Any) -> str:
    """JSON that cannot end its <script> element or open markup."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    """Templates ship inside the package (dedupe.templates), so a wheel install renders."""
    env = jinja2.Environment(
        loader=jinja2.FunctionLoader(asset),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )
    env.filters["seconds"] = seconds
    return env


def asset(name: str) -> str:
    """A file from the dedupe.templates package."""
    return resources.files("dedupe.templates").joinpath(name).read_text(encoding="utf-8")


def _csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


def render(
    result: Result,
    *,
    all_articles: bool = False,
    show_suppressed: bool = False,
    inputs: Iterable[str] = (),
    generated: str = "",
    **_: Any,
) -> str:
    """The report page. ``all_articles`` renders articles without findings too;
    ``inputs`` (the paths checked) and ``generated`` (a timestamp) go in the header."""
    root, names = display_paths(result.documents)
    views = _build_views(result, names, show_suppressed)
    groups = _index_order(views, result.settings.severity)
    number = 0
    for g in groups:
        for v in g.findings:
            number += 1
            v.number = number
    ordered = [v for g in groups for v in g.findings]
    _assign_colours(ordered)

    marks: dict[int, dict[int, list[_Mark]]] = {}
    changed: dict[int, dict[int, list[tuple[int, int]]]] = {}
    per_doc: dict[int, list[FindingView]] = {}
    for v in ordered:
        f = v.finding
        for d in dict.fromkeys(o.doc for o in f.occurrences if _known(result, o)):
            per_doc.setdefault(d, []).append(v)
        if f.kind in UNMARKED:
            continue
        for i, o in enumerate(f.occurrences):
            if not _known(result, o):
                continue
            for b, s, e in _occurrence_marks(result, v, i):
                marks.setdefault(o.doc, {}).setdefault(b, []).append(_Mark(s, e, v, i))
        for d, ranges in _changed_marks(result, v).items():
            for b, s, e in ranges:
                changed.setdefault(d, {}).setdefault(b, []).append((s, e))

    shown = range(len(result.documents)) if all_articles else sorted(per_doc)
    rank = {s: i for i, s in enumerate(SEVERITIES)}
    articles = []
    for d in shown:
        body, chars, covered = _article_html(result, d, marks.get(d, {}), changed.get(d, {}))
        vs = per_doc.get(d, [])
        copies = [_copy_similarity(v.finding, d) for v in vs if v.kind in UNMARKED]
        covered = max([covered, *(round(s * chars) for s in copies)])
        counts = {k: sum(1 for v in vs if v.kind == k) for k in KINDS}
        worst = min((v.finding.severity for v in vs), key=lambda s: rank.get(s, 0), default="")
        articles.append(ArticleView(d, names[d], body, vs, chars, covered, worst, counts))
    ranked = sorted(articles, key=lambda a: (-a.repeated / max(a.chars, 1), a.path))
    counts = result.counts()
    main_settings, every_setting = _settings_rows(result)
    css, js = asset("report.css"), asset("report.js")
    csp = (f"default-src 'none'; style-src {_csp_hash(css)}; script-src {_csp_hash(js)}; "
           "base-uri 'none'; form-action 'none'")
    data = _page_data(result, names, ordered, articles, marks)
    context = {
        "version": __version__,
        "root": root,
        "inputs": [quote_path(p) for p in inputs],
        "generated": generated,
        "result": result,
        "counts": counts,
        "total": sum(counts.values()),
        "failing": len(result.failing()),
        "groups": groups,
        "views": ordered,
        "kinds": list(KINDS),
        "kind_labels": KIND_LABELS,
        "kind_help": KIND_HELP,
        "severity_of": result.settings.severity,
        "articles": articles,
        "ranked": ranked,
        "with_findings": len(per_doc),
        "hidden_articles": 0 if all_articles else len(result.documents) - len(per_doc),
        "all_articles": all_articles,
        "main_settings": main_settings,
        "every_setting": every_setting,
        "timings": [(k, t) for k, t in result.timings.items() if k != "total"],
        # the stages run one after another, so without a "total" their sum is the run time
        "run_time": result.timings.get("total", sum(result.timings.values())),
        "size_marker": SIZE_MARKER,
        "csp": csp,
        "css": Markup(css),
        "js": Markup(js),
        "data": Markup(_json_for_script(data)),
        "storage_key": "dedupe-triage:" + (root or ",".join(inputs) or "report"),
    }
    page = environment().get_template(TEMPLATE).render(context)
    return _state_size(page)


def _state_size(page: str) -> str:
    """Put the page's own size in its header: the size written changes the size, so
    settle it in a few rounds (it is stable after the second)."""
    text = page
    for _ in range(4):
        size = human_size(len(text.encode("utf-8")))
        text = page.replace(SIZE_MARKER, size)
        if human_size(len(text.encode("utf-8"))) == size:
            break
    return text
