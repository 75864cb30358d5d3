"""Text format: one compiler-style line per finding, a summary line last.

    path:line:col: kind: "snippet…" (also at path:line:col, similarity 0.83)

An archived place (dedupe check --against) shows its title, date and similarity; when
the dates tell which place came first, the line names it and the newer places to fix.

Colour (kind by severity, paths bold) only when asked; the CLI asks on a TTY unless
NO_COLOR is set. File names are shown as git shows them, and control characters in
names and snippets are escaped (``\033``), so an article cannot retitle or clear the
terminal (dedupe.escape).
"""

from __future__ import annotations

from collections.abc import Sequence

from dedupe.escape import controls, quote_path
from dedupe.model import ARCHIVED, KINDS, Finding, Occurrence, Result

SNIPPET_CHARS = 72
MAX_ALSO = 4
_COLOURS = {"error": "\033[31m", "warning": "\033[33m", "info": "\033[2m"}
_BOLD, _DIM, _RESET = "\033[1m", "\033[2m", "\033[0m"


def snippet(text: str, limit: int = SNIPPET_CHARS) -> str:
    """One line of the text, cut at a word with an ellipsis."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[:limit].rsplit(" ", 1)[0]
    return (cut or flat[:limit]) + "…"


def shown_snippet(text: str) -> str:
    """A snippet safe to print on a terminal: control characters escaped."""
    return controls(snippet(text))


def where(o: Occurrence) -> str:
    return f"{quote_path(o.path)}:{o.span.line}:{o.span.column}"


def score_notes(f: Finding) -> list[str]:
    """Per occurrence, " (0.70)": its similarity to the representative, when the finding
    mixes copies and variants (a pair's one score is the finding's, said once)."""
    mixed = len(f.occurrences) > 2 and len({o.similarity for o in f.occurrences}) > 1
    return [f" ({o.similarity:.2f})" if mixed and o.similarity < 1.0 else "" for o in f.occurrences]


def place(o: Occurrence, note: str) -> str:
    """An occurrence in a list of places: where, with its score note; for an archived
    article, its title, date and similarity."""
    p = o.provenance
    if o.doc == ARCHIVED:
        details = [f'"{controls(p.title)}"' if p and p.title else "", p.date if p and p.date else "",
                   f"{o.similarity:.2f}"]
        return f"{where(o)} ({', '.join(d for d in details if d)})"
    return where(o) + note


def scored(f: Finding, most: int | None = None) -> list[str]:
    """Each occurrence's place (the first ``most``), with its score note."""
    return [place(o, note) for o, note in zip(f.occurrences[:most], score_notes(f))]


def order(f: Finding) -> str:
    """Which place came first, and which newer ones to fix, when the dates tell."""
    first = [o for o in f.occurrences if o.provenance and o.provenance.first]
    newer = [o for o in f.occurrences if o.provenance and o.provenance.first is False]
    if not first and not newer:
        return ""
    parts = []
    if first:
        o = first[0]
        when = f" ({o.provenance.date}, {o.provenance.source})" if o.provenance and o.provenance.date else ""
        parts.append(f"first at {where(o)}{when}")
    if newer:
        parts.append(f"fix the newer: {', '.join(where(o) for o in newer[:MAX_ALSO])}")
    return "; " + "; ".join(parts)


def line(f: Finding, color: bool = False, sources: Sequence[str] = ()) -> str:
    """The one line a finding prints as: the first place, then the others, each with its
    similarity to the representative where the finding mixes copies and variants. A
    phrase inside a sentence (a shared run, an echo) is shown in its sentence, read from
    the article's ``sources``."""
    places = scored(f, 1 + MAX_ALSO)  # only the places shown: boilerplate may have thousands
    first, others = f.occurrences[0], places[1:]
    also = ", ".join(others)
    if len(f.occurrences) - 1 > MAX_ALSO:
        also += f", +{len(f.occurrences) - 1 - MAX_ALSO} more"
    articles = len({o.path for o in f.occurrences})
    detail = f"also at {also}, " if also else ""
    if f.kind == "boilerplate":
        detail = f"in {articles} articles: {also}, " if also else ""
    words = f"{f.run_words} words, " if f.run_words else ""
    suffix = f" ({detail}{words}similarity {f.similarity:.2f}{order(f)})"
    if f.suppressed:
        suffix += " [suppressed]"
    kind: str = f.kind
    loc = places[0]
    if color:
        kind = f"{_COLOURS[f.severity]}{kind}{_RESET}"
        loc = f"{_BOLD}{loc}{_RESET}"
        suffix = f"{_DIM}{suffix}{_RESET}"
    context = first.context
    where_in = ""
    if context is not None and first.doc < len(sources):
        where_in = f' in "{shown_snippet(sources[first.doc][context.offset : context.offset + context.length])}"'
    return f'{loc}: {kind}: "{shown_snippet(first.text)}"{where_in}{suffix}'


def summary(result: Result) -> str:
    counts = result.counts()
    total = sum(counts.values())
    parts = ", ".join(f"{counts[k]} {k}" for k in KINDS if counts[k])
    files = len(result.documents)
    text = f"{total} finding{'s' if total != 1 else ''}"
    if parts:
        text += f" ({parts})"
    text += f" in {files} file{'s' if files != 1 else ''}, {result.unit_count} units checked"
    if result.suppressed_count:
        text += f"; {result.suppressed_count} suppressed"
    return text


def render(result: Result, *, color: bool = False, show_suppressed: bool = False) -> str:
    sources = [d.source for d in result.documents]
    lines = [line(f, color, sources) for f in result.findings if show_suppressed or not f.suppressed]
    lines.append(summary(result))
    return "\n".join(lines) + "\n"
