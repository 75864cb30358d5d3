"""JSON format: the documented, versioned machine output (docs/json-output.md,
schema in docs/dedupe-output.schema.json). Bump SCHEMA_VERSION on any change that
removes or renames a field; adding a field keeps the version."""

from __future__ import annotations

import math
from collections.abc import Callable
from json.encoder import encode_basestring
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
    return dumps(document(result)) + "\n"


def dumps(value: Any) -> str:
    """``json.dumps(value, ensure_ascii=False, indent=2)``, the same text, twice as fast:
    with an indent the standard library writes every value through its pure-Python
    encoder; here containers are written by joining their items and scalars through
    its C string encoder and the reprs it uses (a test compares the two). Keys must
    be str (json.dumps would also write numbers as keys; no output has them)."""
    parts: list[str] = []
    _write(value, "", parts.append)
    return "".join(parts)


def _scalar(value: Any) -> str | None:
    """A scalar as json.dumps writes it, or None for a container."""
    kind = type(value)
    if kind is str:
        return encode_basestring(value)  # type: ignore[no-any-return]
    if kind is int:
        return int.__repr__(value)
    if kind is float:
        if math.isnan(value):
            return "NaN"
        return _INFINITE.get(value) or float.__repr__(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):  # subclasses (an enum's value), written as json.dumps writes them
        return encode_basestring(value)  # type: ignore[no-any-return]
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        return _scalar(float(value))
    return None


_INFINITE = {float("inf"): "Infinity", float("-inf"): "-Infinity"}  # as json.dumps writes them (allow_nan)


def _write(value: Any, pad: str, write: Callable[[str], object]) -> None:
    text = _scalar(value)
    if text is not None:
        write(text)
        return
    inner = pad + "  "
    comma = ",\n" + inner
    if isinstance(value, dict):
        if not value:
            write("{}")
            return
        lead = "{\n" + inner
        for key, item in value.items():  # keys are str (encode_basestring refuses others)
            text = _scalar(item)
            if text is not None:
                write(lead + encode_basestring(key) + ": " + text)
            else:
                write(lead + encode_basestring(key) + ": ")
                _write(item, inner, write)
            lead = comma
        write("\n" + pad + "}")
    elif isinstance(value, (list, tuple)):
        if not value:
            write("[]")
            return
        lead = "[\n" + inner
        for item in value:
            write(lead)
            _write(item, inner, write)
            lead = comma
        write("\n" + pad + "]")
    else:
        raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")
