"""SARIF 2.1.0 format: the Result as one SARIF log, for GitHub code scanning and other viewers.

One run, one rule per finding kind (``ruleId`` is the kind), one result per finding.
The result's location is the finding's first occurrence and its ``relatedLocations``
are the others, linked from the message text (``[path:line:col](id)``). The level comes
from the kind's severity (``info`` is SARIF's ``note``). ``partialFingerprints`` carries
``Finding.fingerprint``, a hash of the normalised text, so a viewer keeps tracking a
finding when lines move. Columns count Unicode code points, as the run declares with
``columnKind``. Suppressed findings are included with a ``suppressions`` entry, and the
run's ``properties.summary`` has the same counts as the other formats' summaries.
"""

from __future__ import annotations

import json
import posixpath
from pathlib import PureWindowsPath
from typing import Any
from urllib.parse import quote

from dedupe import __version__
from dedupe.escape import path_bytes, quote_path
from dedupe.formats import json as json_format
from dedupe.formats.text import snippet
from dedupe.model import KINDS, OFF, Finding, Occurrence, Result

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
FINGERPRINT_KEY = "dedupe/v1"
SRCROOT = "%SRCROOT%"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}

# kind -> (rule name, short description, help text)
RULES: dict[str, tuple[str, str, str]] = {
    "repeat": ("RepeatedSentence", "A sentence is repeated in the same article.",
               ("The same sentence (after normalising case, quotes, dashes and spacing) appears twice or "
                "more in one article. Keep one copy.")),
    "caption": ("RepeatedCaption", "A caption or standalone line is repeated in the same article.",
                ("A photo caption, headline or other line that stands alone is printed twice in one "
                 "article. Usually a paste left behind: keep one copy.")),
    "near": ("NearDuplicateSentence", "Two sentences in the same article say nearly the same thing.",
             ("Two sentences in one article share most of their word shingles (exact Jaccard at or above "
              "the threshold): a fact restated with a few words changed.")),
    "document": ("NearCopyArticle", "Two articles are near-copies of each other.",
                 ("Two whole articles share most of their text: an update published as a new article, or "
                  "a copy that should be one article.")),
    "cross": ("CrossArticleRepeat", "Text is repeated in another article.",
              ("A sentence or passage of this article appears, word for word or nearly, in one other "
               "article.")),
    "archive": ("ArchiveRepeat", "Text of this draft is already in the published archive.",
                ("A sentence or passage of this draft repeats, word for word or nearly, an article already "
                 "published (the archive index given with --against).")),
    "echo": ("Echo", "A distinctive phrase or fact is restated in the same article.",
             ("Two different sentences of one article share a distinctive phrase, a quoted phrase or a "
              "number with its noun: a quote or a fact given twice.")),
    "boilerplate": ("Boilerplate", "Text is shared by many articles.",
                    ("A sentence found in boilerplate_min articles or more: a footer, a notice, a template "
                     "line. Add it to the allow list if it is intended.")),
}


def artifact_location(path: str) -> dict[str, str]:
    """A relative path becomes a URI reference under %SRCROOT%; an absolute one a file: URI.
    A URI percent-encodes the name's bytes, so a name that is not UTF-8 keeps its bytes."""
    posix = path.replace("\\", "/")
    if posixpath.isabs(posix) or PureWindowsPath(path).is_absolute():
        drive = PureWindowsPath(path).drive
        return {"uri": "file://" + ("/" if drive else "") + quote(path_bytes(posix), safe="/:")}
    while posix.startswith("./"):
        posix = posix[2:]
    return {"uri": quote(path_bytes(posix), safe="/"), "uriBaseId": SRCROOT}


def physical_location(o: Occurrence, with_snippet: bool) -> dict[str, Any]:
    s = o.span
    region: dict[str, Any] = {
        "startLine": s.line,
        "startColumn": s.column,
        "endLine": s.end_line,
        "endColumn": s.end_column,
        "charOffset": s.offset,
        "charLength": s.length,
    }
    if with_snippet:
        region["snippet"] = {"text": o.text}
    return {"artifactLocation": artifact_location(o.path), "region": region}


def plain(text: str) -> str:
    """Message text with the brackets SARIF reserves for links escaped."""
    return text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")


def message(f: Finding) -> str:
    """The result's message; "[path:line:col](n)" links to relatedLocations[n - 1]."""
    first = f.occurrences[0]
    also = ", ".join(f"[{plain(quote_path(o.path))}:{o.span.line}:{o.span.column}]({n})"
                     for n, o in enumerate(f.occurrences[1:], 1))
    name = RULES[f.kind][1].rstrip(".")
    text = f'{name}: "{plain(snippet(first.text))}"'
    if also:
        text += f"; also at {also}"
    return f"{text} (similarity {f.similarity:.2f})."


def result_entry(f: Finding) -> dict[str, Any]:
    # A document finding's occurrences are whole articles: no snippet of those.
    with_snippet = f.kind != "document"
    entry: dict[str, Any] = {
        "ruleId": f.kind,
        "ruleIndex": KINDS.index(f.kind),
        "level": LEVELS[f.severity],
        "message": {"text": message(f)},
        "locations": [{"physicalLocation": physical_location(f.occurrences[0], with_snippet)}],
        "partialFingerprints": {FINGERPRINT_KEY: f.fingerprint},
        "properties": {"similarity": f.similarity, "measure": f.measure, "occurrences": len(f.occurrences),
                       "representative": f.representative},
    }
    if len(f.occurrences) > 1:
        entry["relatedLocations"] = [
            {"id": n, "physicalLocation": physical_location(o, with_snippet),
             "message": {"text": f"occurrence {n + 1} of {len(f.occurrences)}, similarity {o.similarity:.2f}"},
             "properties": {"similarity": o.similarity, "measure": o.measure, "variant": o.variant}}
            for n, o in enumerate(f.occurrences[1:], 1)
        ]
    if f.suppressed:
        entry["suppressions"] = [{
            "kind": "inSource",
            "justification": "a dedupe-ignore or dedupe off comment, or the allow list, covers all but one "
                             "occurrence",
        }]
    return entry


def rule(kind: str, severity: str) -> dict[str, Any]:
    name, short, full = RULES[kind]
    return {
        "id": kind,
        "name": name,
        "shortDescription": {"text": short},
        "fullDescription": {"text": full},
        "help": {"text": full},
        # a kind turned off in config is a rule not enabled
        "defaultConfiguration": {"level": "none", "enabled": False} if severity == OFF else {"level": LEVELS[severity]},
    }


def log(result: Result) -> dict[str, Any]:
    """The SARIF log as plain data."""
    severity = result.settings.severity
    notifications = [{"level": "warning", "message": {"text": w}} for w in result.warnings]
    return {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [{
            "tool": {"driver": {
                "name": "dedupe",
                "version": __version__,
                "semanticVersion": __version__,
                "rules": [rule(k, severity.get(k, "error")) for k in KINDS],
            }},
            "invocations": [{"executionSuccessful": True, "toolExecutionNotifications": notifications}],
            "columnKind": "unicodeCodePoints",
            "results": [result_entry(f) for f in result.findings],
            "properties": {"summary": json_format.summary(result)},
        }],
    }


def render(result: Result, **_: Any) -> str:
    return json.dumps(log(result), ensure_ascii=False, indent=2) + "\n"
