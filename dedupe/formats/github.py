"""GitHub Actions format: one workflow command per finding, then the summary line.

    ::error file=news/a.txt,line=9,col=1,endLine=9,endColumn=167,title=dedupe repeat::"…" also at …

GitHub turns each command printed by a step into an annotation on the file and line
(``error``, ``warning``, or ``notice`` for the ``info`` severity). The annotation sits on
the finding's first occurrence; its message names the others. Suppressed findings get
no annotation; the summary line (plain text, shown in the log) counts them.
Escaping follows the runner's rules: ``%``, CR and LF in the message, and ``,`` and ``:``
as well in property values. Before that, file names are shown as git shows them and
control characters in snippets are escaped, as in the text format.
"""

from __future__ import annotations

import os
import posixpath
from typing import Any

from dedupe.escape import quote_path
from dedupe.formats.text import score_notes, shown_snippet, summary
from dedupe.model import Finding, Result

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def repo_path(path: str) -> str:
    """The path as GitHub matches it against the repository: "./docs/a.md" is "docs/a.md"."""
    return quote_path(path if os.path.isabs(path) else posixpath.normpath(path.replace(os.sep, "/")))


def annotation(f: Finding) -> str:
    """The workflow command for one finding."""
    first = f.occurrences[0]
    s = first.span
    props = {
        "file": repo_path(first.path),
        "line": s.line,
        "col": s.column,
        "endLine": s.end_line,
        "endColumn": s.end_column,
        "title": f"dedupe {f.kind}",
    }
    head = ",".join(f"{k}={escape_property(str(v))}" for k, v in props.items())
    others = [f"{repo_path(o.path)}:{o.span.line}:{o.span.column}{note}"
              for o, note in zip(f.occurrences[1:], score_notes(f)[1:])]
    text = f'"{shown_snippet(first.text)}"'
    if others:
        text += f" also at {', '.join(others)}"
    text += f" (similarity {f.similarity:.2f})"
    return f"::{COMMANDS[f.severity]} {head}::{escape_data(text)}"


def render(result: Result, **_: Any) -> str:
    lines = [annotation(f) for f in result.findings if not f.suppressed]
    lines.append(f"dedupe: {summary(result)}")
    return "\n".join(lines) + "\n"
