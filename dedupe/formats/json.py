"""JSON format: the documented, versioned machine output (docs/json-output.md,
schema in docs/dedupe-output.schema.json). Bump SCHEMA_VERSION on any change that
removes or renames a field; adding a field keeps the version."""

from __future__ import annotations

import json
from typing import Any

from dedupe import __version__
from dedupe.escape import quote_path
from dedupe.model import ARCHIVED, KINDS, Finding, Occurrence, Provenance, Result, Span

SCHEMA_VERSION = "2"


def span(s: Span) -> dict[str, int]:
    return {"line": s.line, "column": s.column, "end_line": s.end_line, "end_column": s.end_column,
            "offset": s.offset, "length": s.length}


def provenance(p: Provenance) -> dict[str, Any]:
    return {"date": p.date, "date_source": p.source, "title": p.title, "url": p.url, "first": p.first}


def occurrence(o: Occurrence) -> dict[str, Any]:
    out: dict[str, Any] = {"path": quote_path(o.path),  # as git shows it: escaped when not UTF-8
                           **span(o.span), "role": o.role, "text": o.text,
                           "similarity": o.similarity, "measure": o.measure, "variant": o.variant}
    if o.context is not None:
        out["context"] = span(o.context)
    if o.doc == ARCHIVED:
        out["archived"] = True
    if o.provenance is not None:
        out["provenance"] = provenance(o.provenance)
    return out


def finding(f: Finding) -> dict[str, Any]:
    out: dict[str, Any] = {
        "kind": f.kind,
        "severity": f.severity,
        "similarity": f.similarity,
        "measure": f.measure,
        "fingerprint": f.fingerprint,
        "suppressed": f.suppressed,
        "representative": f.representative,
        "occurrences": [occurrence(o) for o in f.occurrences],
    }
    if f.run_words:
        out["run_words"] = f.run_words
    return out


def summary(result: Result) -> dict[str, Any]:
    """The counts every format's summary shows (SARIF puts them in the run's properties)."""
    counts = result.counts()
    return {
        "files": len(result.documents),
        "units": result.unit_count,
        "findings": sum(counts.values()),
        "by_kind": {k: counts[k] for k in KINDS},
        "suppressed": result.suppressed_count,
        "failing": len(result.failing()),
    }


def document(result: Result) -> dict[str, Any]:
    """The whole output as plain data (also used by tests and other formats)."""
    s = result.settings
    return {
        "version": SCHEMA_VERSION,
        "tool": {"name": "dedupe", "version": __version__},
        "settings": {
            "threshold": s.threshold,
            "word_threshold": s.word_threshold,
            "shingle": s.shingle,
            "num_perm": s.num_perm,
            "min_words": s.min_words,
            "boilerplate_min": s.boilerplate_min,
            "boilerplate_articles": result.boilerplate_articles,
            "document_threshold": s.document_threshold,
            "scope": s.scope,
            "fail_on": s.fail_on,
        },
        "summary": summary(result),
        "findings": [finding(f) for f in result.findings],
        "warnings": list(result.warnings),
    }


def render(result: Result, **_: Any) -> str:
    return json.dumps(document(result), ensure_ascii=False, indent=2) + "\n"
