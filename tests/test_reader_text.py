"""Plain-text reader: paragraphs verbatim with exact source offsets, suppression lines."""

from __future__ import annotations

from dedupe.readers.text import read

ARTICLE = """Rail strike to hit hundreds of services
By Maria Kowalski

Commuters queue outside Leeds station (Photo: Jane Doe)

The union said the walkout would affect more than 400 services.
Managers said they would run a reduced timetable.

# dedupe-ignore
Comments are moderated and may take up to 24 hours to appear.
"""


def test_paragraphs_are_split_on_blank_lines_and_map_to_the_source() -> None:
    doc = read("a.txt", ARTICLE)
    assert [b.text.split("\n")[0] for b in doc.blocks] == [
        "Rail strike to hit hundreds of services",
        "Commuters queue outside Leeds station (Photo: Jane Doe)",
        "The union said the walkout would affect more than 400 services.",
        "Comments are moderated and may take up to 24 hours to appear.",
    ]
    for block in doc.blocks:
        for t, s, n in block.pieces:
            assert block.text[t : t + n] == ARTICLE[s : s + n]
        assert block.lines


def test_dedupe_ignore_line_suppresses_the_next_paragraph_and_is_not_text() -> None:
    doc = read("a.txt", ARTICLE)
    assert [b.suppressed for b in doc.blocks] == [False, False, False, True]
    assert all("dedupe-ignore" not in b.text for b in doc.blocks)


def test_dedupe_off_on_suppresses_everything_between() -> None:
    source = "First paragraph here.\n\ndedupe off\nSecond paragraph.\n\nThird paragraph.\n// dedupe on\n\nFourth.\n"
    doc = read("a.txt", source)
    assert [(b.text, b.suppressed) for b in doc.blocks] == [
        ("First paragraph here.", False),
        ("Second paragraph.", True),
        ("Third paragraph.", True),
        ("Fourth.", False),
    ]


def test_indented_and_crlf_paragraphs_keep_offsets() -> None:
    source = "  Indented line one.\r\n\r\nSecond paragraph\r\n"
    doc = read("a.txt", source)
    assert [b.text for b in doc.blocks] == ["Indented line one.", "Second paragraph"]
    assert doc.blocks[0].pieces == ((0, 2, 18),)
    assert doc.blocks[1].pieces[0][1] == source.index("Second")
