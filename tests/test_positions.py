"""Every reported occurrence points exactly at its text in the decoded file."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from conftest import BBC, EXAMPLES

import dedupe


def decoded(path: str) -> str:
    raw = Path(path).read_bytes()
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[3:]
    return raw.decode("utf-8", errors="replace")


def line_col(text: str, offset: int) -> tuple[int, int]:
    before = text[:offset]
    return before.count("\n") + 1, offset - (before.rfind("\n") + 1) + 1


def assert_positions(result: dedupe.Result) -> int:
    checked = 0
    cache: dict[str, str] = {}
    for finding in result.findings:
        for o in finding.occurrences:
            text = cache.setdefault(o.path, decoded(o.path))
            s = o.span
            assert text[s.offset : s.offset + s.length] == o.text, (o.path, s)
            assert line_col(text, s.offset) == (s.line, s.column), (o.path, s)
            assert line_col(text, s.offset + s.length - 1) == (s.end_line, s.end_column - 1), (o.path, s)
            checked += 1
    return checked


def test_positions_on_examples() -> None:
    result = dedupe.check([str(EXAMPLES)])
    assert assert_positions(result) >= 20


def test_unit_positions_on_examples_match_the_unit_text_for_plain_text() -> None:
    result = dedupe.check([str(EXAMPLES / "news")])
    for doc, units in zip(result.documents, result.units):
        for u in units:
            assert doc.source[u.span.offset : u.span.offset + u.span.length] == u.text


@pytest.mark.skipif(not BBC.is_dir(), reason=f"BBC corpus not found at {BBC} (shared/ is absent)")
def test_positions_on_bbc_corpus() -> None:
    result = dedupe.check([str(BBC)])
    assert assert_positions(result) > 500
