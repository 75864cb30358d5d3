"""HTML format: one self-contained page an editor decides from.

In: a Result. Out: one HTML document (inline CSS and JS, no external requests, a
Content-Security-Policy that forbids them) with a summary, an index of findings by
kind, whole-article near-copies side by side, and each article with findings shown as
readable text with every repeated span highlighted in place.

Like every formatter it never computes detection results: kinds, similarities, spans
and groups come from the Result. What it works out is presentation only: display
order, colours, where a unit's text sits inside its block (for inline highlights), and
word-level display diffs (dedupe.worddiff) of texts the pipeline already paired.

Everything from the input (article text, file names, config values) is escaped: the
Jinja environment autoescapes, and the few fragments built here in Python (the text
runs of a block) go through ``markupsafe.escape`` piece by piece. The page's own script
and style are allowed by their SHA-256 in the CSP, so injected markup could not run
even if escaping failed.
"""

from __future__ import annotations

import base64
import hashlib
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
from dedupe.formats.text import snippet
from dedupe.model import KINDS, SEVERITIES, Document, Finding, Occurrence, Result

TEMPLATE = "report.html.j2"
PALETTE_SIZE = 8  # highlight colours (report.css .c0-.c7), reused when an article has more groups
SNIPPET_CHARS = 160  # a finding's text in the index
DOCUMENT_SNIPPET_CHARS = 100  # a near-copy article's opening words in the index
BOILERPLATE_BLOCK_SHARE = 0.6  # a block this much boilerplate is folded away with the footer it belongs to
SIZE_MARKER = "@@dedupe-report-size@@"

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


@dataclass(slots=True)
class FindingView:
    """A finding as the page shows it: its number in the index, colour and anchors."""

    finding: Finding
    number: int = 0
    colour: int = -1  # palette index; -1 for kinds not highlighted in colour
    label: str = ""
    size: int = 0  # characters covered by all occurrences: the index sorts big repeats first
    snippet: str = ""
    wheres: list[str] = field(default_factory=list)  # "path:line" per occurrence
    diffs: list[tuple[str, Markup]] = field(default_factory=list)  # (where, inline word diff)
    files: str = ""  # display paths of the articles involved, for the file filter

    @property
    def id(self) -> str:
        return f"f{self.number}"

    def occ_id(self, i: int) -> str:
        return f"f{self.number}-{i}"

    def next_id(self, i: int) -> str:
        return self.occ_id((i + 1) % len(self.finding.occurrences))

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
class Compare:
    """Two near-copy articles side by side."""

    view: FindingView
    left: int  # occurrence indexes within the finding
    right: int
    left_path: str
    right_path: str
    rows: Sequence[tuple[str, Markup, Markup]]  # (status, left paragraph, right paragraph)
    counts: dict[str, int]
    identical: bool
    left_anchor: str  # occurrence ids, each placed once (a three-way copy compares 0-1 and 0-2)
    right_anchor: str


@dataclass(slots=True)
class ArticleView:
    doc: int
    path: str
    html: Markup
    views: list[FindingView]  # findings with an occurrence here, in index order
    copies: list[tuple[FindingView, str]]  # document findings: (view, the other article)


@dataclass(slots=True)
class _Mark:
    """A highlight inside one block's text: [start, end) of occurrence ``occ`` of ``view``."""

    start: int
    end: int
    view: FindingView
    occ: int
    first: bool  # the occurrence begins here: this piece carries its anchor


def display_paths(documents: Sequence[Document]) -> tuple[str, list[str]]:
    """The folder all articles share and each article's path below it: the page names
    that folder once and every article by its shorter path."""
    paths = [d.path for d in documents]
    real = [p for p in paths if p != "-"]
    root = ""
    if real:
        try:
            root = os.path.commonpath([os.path.dirname(p) or "." for p in real])
        except ValueError:  # absolute and relative paths mixed
            root = ""
    if root in (".", ""):
        return "", paths
    cut = len(root.rstrip("/")) + 1
    return root.rstrip("/") + "/", [p[cut:] if p != "-" and p.startswith(root) else p for p in paths]


def visible_text(result: Result, o: Occurrence) -> str:
    """What the reader sees of an occurrence: its units' text without markup."""
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
    """One colour per group; groups that meet in an article get different colours
    while the palette lasts."""
    taken: dict[int, set[int]] = {}
    for v in views:
        if v.kind in ("boilerplate", "document"):
            continue
        docs = {o.doc for o in v.finding.occurrences}
        used = set().union(*(taken.get(d, set()) for d in docs))
        free = [c for c in range(PALETTE_SIZE) if c not in used]
        v.colour = free[0] if free else v.number % PALETTE_SIZE
        for d in docs:
            taken.setdefault(d, set()).add(v.colour)


def _inline_diff(a: str, b: str) -> Markup:
    parts = []
    for op, text in worddiff.inline(a, b):
        if op == "del":
            parts.append(Markup("<del>{}</del>").format(text))
        elif op == "ins":
            parts.append(Markup("<ins>{}</ins>").format(text))
        else:
            parts.append(escape(text))
    return Markup(" ").join(parts)


def _build_views(result: Result, names: list[str], show_suppressed: bool) -> list[FindingView]:
    views = []
    for f in result.findings:
        if f.suppressed and not show_suppressed:
            continue
        v = FindingView(f, label=KIND_LABELS.get(f.kind, f.kind))
        v.size = sum(o.span.length for o in f.occurrences)
        v.wheres = [f"{names[o.doc]}:{o.span.line}" for o in f.occurrences]
        v.files = "\n".join(dict.fromkeys(names[o.doc] for o in f.occurrences))
        first = visible_text(result, f.occurrences[0])
        v.snippet = snippet(first, SNIPPET_CHARS if f.kind != "document" else DOCUMENT_SNIPPET_CHARS)
        if f.similarity < 1.0 and f.kind not in ("document", "boilerplate"):
            v.diffs = [(v.wheres[i], _inline_diff(first, visible_text(result, o)))
                       for i, o in enumerate(f.occurrences) if i]
        views.append(v)
    return views


def _changed_marks(result: Result, v: FindingView) -> dict[int, list[tuple[int, int, int]]]:
    """Per document: (block, start, end) of the words that differ from the partner occurrence."""
    f = v.finding
    out: dict[int, list[tuple[int, int, int]]] = {}
    if f.similarity >= 1.0 or f.kind in ("document", "boilerplate") or len(f.occurrences) < 2:
        return out
    for i, o in enumerate(f.occurrences):
        partner = f.occurrences[1 if i == 0 else 0]
        if len(o.units) != len(partner.units):
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
    return (f"#{v.number} {v.label} · similarity {f.similarity:.2f} · also at {shown} · "
            f"activate to go to {v.wheres[(i + 1) % len(v.wheres)]}")


def _runs_html(text: str, marks: list[_Mark], changed: list[tuple[int, int]], anchor_titles: bool = True) -> Markup:
    """A block's text with highlights (one ``<a>`` per run, since links cannot nest) and
    changed words (``<span class="dw">``). Where highlights overlap, the shorter one is
    the link; the longer keeps an anchor so links to it still land."""
    cuts = {0, len(text)}
    for m in marks:
        cuts.update((m.start, m.end))
    for s, e in changed:
        cuts.update((s, e))
    points = sorted(c for c in cuts if 0 <= c <= len(text))
    out: list[str] = []
    open_mark: _Mark | None = None
    for p, q in pairwise(points):
        if p == q:
            continue
        covering = [m for m in marks if m.start <= p and m.end >= q]
        primary = min(covering, key=lambda m: (m.end - m.start, m.view.number)) if covering else None
        if primary is not open_mark:
            if open_mark is not None:
                out.append("</a>")
            open_mark = None
        for m in covering:
            if m.first and m.start == p and m is not primary:
                v = m.view
                out.append(f'<a class="hl-anchor" id="{v.occ_id(m.occ)}" href="#{v.next_id(m.occ)}" '
                           f'data-f="{v.id}" tabindex="-1"></a>')
        if primary is not None and open_mark is None:
            v, i = primary.view, primary.occ
            classes = f"hl k-{v.kind}" + (f" c{v.colour}" if v.colour >= 0 else "")
            if v.finding.suppressed:
                classes += " supp"
            attrs = f'class="{classes}" href="#{v.next_id(i)}" data-f="{v.id}"'
            if primary.first and primary.start == p:
                attrs += f' id="{v.occ_id(i)}" data-l="{v.number} {v.label}"'
                if anchor_titles:
                    attrs += f' title="{escape(_title(v, i))}"'
            out.append(f"<a {attrs}>")
            open_mark = primary
        piece = str(escape(text[p:q]))
        if any(s <= p and e >= q for s, e in changed):
            piece = f'<span class="dw">{piece}</span>'
        out.append(piece)
    if open_mark is not None:
        out.append("</a>")
    return Markup("".join(out))


# block role -> class of its <p> (prose has none: a big report has thousands of blocks)
_BLOCK_CLASSES = {"heading": "h", "title": "h", "caption": "cap", "item": "item", "quote": "quote", "cell": "cell"}


def _block_html(result: Result, doc: int, b: int, inner: Markup, line: int | None) -> Markup:
    block = result.documents[doc].blocks[b]
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
                  changed: dict[int, list[tuple[int, int]]]) -> Markup:
    """The article's blocks in order; runs of blocks that are mostly boilerplate are
    folded into one collapsed section."""
    document = result.documents[doc]
    first_line = _block_lines(result, doc)
    parts: list[Markup] = []
    folded: list[Markup] = []
    folded_views: dict[int, FindingView] = {}

    def flush() -> None:
        if not folded:
            return
        names = ", ".join(f"#{n}" for n in sorted(folded_views))
        summary = Markup('<summary><span class="k-tag">boilerplate</span> {} shared with other articles ({})'
                         "</summary>").format(f"{len(folded)} block{'s' if len(folded) > 1 else ''}", names)
        parts.append(Markup('<details class="boiler">') + summary + Markup("").join(folded) + Markup("</details>\n"))
        folded.clear()
        folded_views.clear()

    for b, block in enumerate(document.blocks):
        if not block.text.strip():
            continue
        ms = marks.get(b, [])
        html = _block_html(result, doc, b, _runs_html(block.text, ms, changed.get(b, [])), first_line.get(b))
        boiler = [m for m in ms if m.view.kind == "boilerplate"]
        covered = sum(m.end - m.start for m in boiler)
        if boiler and len(boiler) == len(ms) and covered >= BOILERPLATE_BLOCK_SHARE * len(block.text.strip()):
            folded.append(html)
            folded_views.update((m.view.number, m.view) for m in boiler)
            continue
        flush()
        parts.append(html)
    flush()
    return Markup("").join(parts)


def _compare(result: Result, v: FindingView, left: int, right: int, names: list[str]) -> Compare:
    """Two near-copies paragraph against paragraph, each paragraph with its source line."""
    f = v.finding
    dl, dr = f.occurrences[left].doc, f.occurrences[right].doc
    lidx = [i for i, b in enumerate(result.documents[dl].blocks) if b.text.strip()]
    ridx = [i for i, b in enumerate(result.documents[dr].blocks) if b.text.strip()]
    ltext = [result.documents[dl].blocks[i].text for i in lidx]
    rtext = [result.documents[dr].blocks[i].text for i in ridx]
    lline, rline = _block_lines(result, dl), _block_lines(result, dr)
    rows = []
    counts = {"same": 0, "changed": 0, "left": 0, "right": 0}
    for row in worddiff.side_by_side(ltext, rtext):
        counts[row.status] += 1
        lh = rh = Markup("")
        if row.left is not None:
            b = lidx[row.left]
            lh = _block_html(result, dl, b, _runs_html(ltext[row.left], [], list(row.left_changed)), lline.get(b))
        if row.right is not None:
            b = ridx[row.right]
            rh = _block_html(result, dr, b, _runs_html(rtext[row.right], [], list(row.right_changed)), rline.get(b))
        rows.append((row.status, lh, rh))
    identical = counts["changed"] == counts["left"] == counts["right"] == 0
    return Compare(v, left, right, names[dl], names[dr], rows, counts, identical,
                   v.occ_id(left) if right == 1 else "", v.occ_id(right))


def _article_href(doc: int, views: list[FindingView], shown: set[int]) -> str:
    """Where a list of articles links to: the article, or its near-copy comparison."""
    if doc in shown:
        return f"a{doc}"
    v = views[0]
    return v.occ_id(next(i for i, o in enumerate(v.finding.occurrences) if o.doc == doc))


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
    copies: dict[int, list[tuple[FindingView, str]]] = {}
    compares: list[Compare] = []
    for v in ordered:
        f = v.finding
        for d in dict.fromkeys(o.doc for o in f.occurrences):
            per_doc.setdefault(d, []).append(v)
        if f.kind == "document":
            for i in range(1, len(f.occurrences)):
                compares.append(_compare(result, v, 0, i, names))
            for i, o in enumerate(f.occurrences):
                others = ", ".join(names[p.doc] for j, p in enumerate(f.occurrences) if j != i)
                copies.setdefault(o.doc, []).append((v, others))
            continue
        for i, o in enumerate(f.occurrences):
            by_block: dict[int, list[int]] = {}
            for u in o.units:
                by_block.setdefault(result.units[o.doc][u].block, []).append(u)
            first = True
            for b, us in by_block.items():
                first_unit, last_unit = result.units[o.doc][us[0]], result.units[o.doc][us[-1]]
                a, end = first_unit.text_start, last_unit.text_start + len(last_unit.text)
                marks.setdefault(o.doc, {}).setdefault(b, []).append(_Mark(a, end, v, i, first))
                first = False
        for d, ranges in _changed_marks(result, v).items():
            for b, s, e in ranges:
                changed.setdefault(d, {}).setdefault(b, []).append((s, e))

    shown = sorted(range(len(result.documents))) if all_articles else sorted(
        d for d, vs in per_doc.items() if any(v.kind != "document" for v in vs))
    articles = [
        ArticleView(d, names[d],
                    _article_html(result, d, marks.get(d, {}), changed.get(d, {})),
                    per_doc.get(d, []), copies.get(d, []))
        for d in shown
    ]
    with_findings = sorted(per_doc)
    counts = result.counts()
    main_settings, every_setting = _settings_rows(result)
    css, js = asset("report.css"), asset("report.js")
    csp = (f"default-src 'none'; style-src {_csp_hash(css)}; script-src {_csp_hash(js)}; "
           "base-uri 'none'; form-action 'none'")
    context = {
        "version": __version__,
        "root": root,
        "names": names,
        "inputs": list(inputs),
        "generated": generated,
        "result": result,
        "counts": counts,
        "total": sum(counts.values()),
        "failing": len(result.failing()),
        "groups": groups,
        "views": ordered,
        "kinds": [k for k in KINDS],
        "kind_labels": KIND_LABELS,
        "kind_help": KIND_HELP,
        "severity_of": result.settings.severity,
        "compares": compares,
        "articles": articles,
        "with_findings": [(d, names[d], per_doc[d], _article_href(d, per_doc[d], set(shown))) for d in with_findings],
        "hidden_articles": 0 if all_articles else len(result.documents) - len(per_doc),
        "copies_only": 0 if all_articles else len(per_doc) - len(articles),
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
        "palette": PALETTE_SIZE,
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
