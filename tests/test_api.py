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


def test_a_lone_surrogate_in_a_text_is_replaced_with_a_warning_and_every_format_renders() -> None:
    from dedupe import formats

    sentence = "The ferry to the island was cancelled \udcff again because of the storm."
    result = dedupe.check(texts={"ferry.txt": f"{sentence}\n\n{sentence}\n"})
    assert result.warnings == (("ferry.txt: text is not valid Unicode (a lone surrogate at character 38); "
                                "replaced with U+FFFD"),)
    [finding] = result.findings
    assert [o.text for o in finding.occurrences] == [sentence.replace("\udcff", "\ufffd")] * 2
    for name in formats.FORMATS:
        formats.get(name)(result).encode("utf-8")


def test_a_lone_cr_is_a_line_break_and_stays_a_cr_through_the_api_and_the_files(tmp_path) -> None:
    from articles import RAIL_STRIKE

    text = RAIL_STRIKE.replace("\n", "\r")
    (tmp_path / "mac.txt").write_bytes(text.encode("utf-8"))
    for result in (dedupe.check(texts={"mac.txt": text}), dedupe.check(str(tmp_path / "mac.txt"))):
        [finding] = result.findings
        assert [(o.span.line, o.span.column) for o in finding.occurrences] == [(4, 1), (10, 1)]
        assert all(text[o.span.offset : o.span.offset + o.span.length] == o.text for o in finding.occurrences)
        assert result.documents[0].source == text


def test_a_text_of_only_spaces_is_skipped_with_a_warning() -> None:
    from articles import RAIL_STRIKE

    result = dedupe.check(texts={"blank.md": "\u3000 \n", "rail-strike.txt": RAIL_STRIKE})
    assert result.warnings == ("blank.md: file is empty (skipped)",)
    assert [d.path for d in result.documents] == ["rail-strike.txt"]


def test_a_paragraph_repeated_after_a_list_nested_ten_deep_is_found() -> None:
    paragraph = "The council approved the new budget on Tuesday after a long debate in the chamber."
    nested = "".join("  " * i + f"- point {i + 1} of the outline\n" for i in range(10))
    result = dedupe.check(texts={"budget.md": f"{paragraph}\n\n{nested}\n{paragraph}\n"})
    assert [(f.kind, [o.span.line for o in f.occurrences]) for f in result.findings] == [("repeat", [1, 14])]
    assert result.warnings == ()


def test_a_nul_character_never_makes_an_empty_occurrence() -> None:
    result = dedupe.check(texts={"a.md": "e\x00İg. e.İg"})
    occurrences = [o for f in result.findings for o in f.occurrences]
    assert occurrences and all(o.span.length > 0 and o.text for o in occurrences)
    assert [o.text for o in occurrences] == ["e\x00İg.", "e.İg"]
