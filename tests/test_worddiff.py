"""Word-level display diffs: changed, added and dropped words, with offsets into each text."""

from __future__ import annotations

from dedupe import worddiff

RAIL_A = "The union said the walkout would affect more than 400 services across the north of England on Friday."
RAIL_B = "The union said the strike would affect more than 400 trains across the\nnorth of England on Friday."


def test_two_changed_words_are_two_replacements_with_their_offsets() -> None:
    edits = worddiff.changes(RAIL_A, RAIL_B)
    assert [(e.op, e.a_text, e.b_text) for e in edits] == [("replace", "walkout", "strike"),
                                                          ("replace", "services", "trains")]
    for e in edits:
        assert RAIL_A[e.a_start : e.a_end] == e.a_text
        assert RAIL_B[e.b_start : e.b_end] == e.b_text


def test_line_break_case_quotes_and_trailing_punctuation_are_not_changes() -> None:
    a = "“Our members have not taken this decision lightly,” said Graham Pell on Friday."
    b = '"our members have not taken this\ndecision lightly" said Graham Pell on Friday'
    assert worddiff.changes(a, b) == []


def test_added_and_dropped_words_are_insert_and_delete() -> None:
    a = "Eleven people were rescued from their homes overnight."
    b = "Eleven people were rescued by boat from their homes."
    ops = [(e.op, e.a_text, e.b_text) for e in worddiff.changes(a, b)]
    assert ops == [("insert", "", "by boat"), ("delete", "overnight.", "")]


def test_inline_reads_as_the_second_text_with_the_first_ones_words_struck() -> None:
    assert worddiff.inline(RAIL_A, RAIL_B) == [
        ("same", "The union said the"), ("del", "walkout"), ("ins", "strike"),
        ("same", "would affect more than 400"), ("del", "services"), ("ins", "trains"),
        ("same", "across the\nnorth of England on Friday."),
    ]


def test_changed_ranges_cover_only_the_differing_words_on_each_side() -> None:
    mine, theirs = worddiff.changed_ranges(RAIL_A, RAIL_B)
    assert [RAIL_A[s:e] for s, e in mine] == ["walkout", "services"]
    assert [RAIL_B[s:e] for s, e in theirs] == ["strike", "trains"]


def test_identical_texts_have_no_changes() -> None:
    assert worddiff.changes(RAIL_A, RAIL_A) == []
    assert worddiff.inline(RAIL_A, RAIL_A) == [("same", RAIL_A)]


def test_side_by_side_pairs_equal_and_reworded_blocks_and_keeps_one_sided_ones() -> None:
    left = [
        "Flood warnings issued for Calder Valley",
        "Residents along the River Calder have been told to prepare for flooding.",
        "Several people were moved from their homes in Mytholmroyd overnight.",
        "Recommended News",
    ]
    right = [
        "River Calder expected to peak overnight",
        "Residents along the River Calder have been told to prepare for flooding.",
        "A severe flood warning was added for Mytholmroyd at five o'clock.",
        "Eleven people were moved from their homes in Mytholmroyd overnight.",
    ]
    rows = worddiff.side_by_side(left, right)
    assert [(r.status, r.left, r.right) for r in rows] == [
        ("left", 0, None), ("right", None, 0), ("same", 1, 1), ("right", None, 2),
        ("changed", 2, 3), ("left", 3, None),
    ]
    changed = rows[4]
    assert [left[2][s:e] for s, e in changed.left_changed] == ["Several"]
    assert [right[3][s:e] for s, e in changed.right_changed] == ["Eleven"]


def test_side_by_side_of_identical_texts_is_all_same_rows() -> None:
    blocks = ["Headline here", "First paragraph of the story.", "Second paragraph of the story."]
    assert {r.status for r in worddiff.side_by_side(blocks, list(blocks))} == {"same"}
