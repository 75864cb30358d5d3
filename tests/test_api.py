"""The Python API: dedupe.check on paths and strings, options validated like config."""

from __future__ import annotations

import doctest

import pytest
from conftest import EXAMPLES

import dedupe


def test_module_docstring_example_runs() -> None:
    failures, tried = doctest.testmod(dedupe, verbose=False)
    assert tried >= 4 and failures == 0


def test_check_accepts_one_path_string_and_returns_dataclasses() -> None:
    result = dedupe.check(str(EXAMPLES / "news" / "rail-strike.txt"))
    assert [f.kind for f in result.findings] == ["caption", "near"]
    assert isinstance(result.findings[0], dedupe.Finding)
    assert isinstance(result.findings[0].occurrences[0].span, dedupe.Span)


def test_options_are_validated_like_the_config_file() -> None:
    with pytest.raises(dedupe.DedupeError, match="threshold must be between 0 and 1"):
        dedupe.check(texts={"a.txt": "Some text that is long enough."}, threshold=2)
    with pytest.raises(dedupe.DedupeError, match="unknown key 'treshold'"):
        dedupe.check(texts={"a.txt": "Some text that is long enough."}, treshold=0.5)
