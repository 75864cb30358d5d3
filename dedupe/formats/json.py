"""JSON format: the documented, versioned machine output (docs/json-output.md,
schema in docs/dedupe-output.schema.json). Bump SCHEMA_VERSION on any change that
removes or renames a field; adding a field keeps the version."""

from __future__ import annotations

import json
from typing import Any

from dedupe import __version__
from dedupe.model import KINDS, Finding, Result

SCHEMA_VERSION = "1"


def occurrence(o: Any) -> dict[str, Any]:
    s = o.span
    return {
        "path": o.path,
        "line": s.line,
        "column": s.column,
        "end_line": s.end_line,
        "end_column": s.end_column,
        "offset": s.offset,
        "length": s.length,
        "role": o.role,
        "text": o.text,
    }


def finding(f: Finding) -> dict[str, Any]:
    return {
        "kind": f.kind,
        "severity": f.severity,
        "similarity": f.similarity,
        "measure": f.measure,
        "fingerprint": f.fingerprint,
        "suppressed": f.suppressed,
        "occurrences": [occurrence(o) for o in f.occurrences],
    }


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
