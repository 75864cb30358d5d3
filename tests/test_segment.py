"""Segmentation: blocks -> units, with Punkt offline and line structure respected."""

from __future__ import annotations

import textwrap

import pytest

import dedupe
from dedupe.readers import text as text_reader
from dedupe.segment import is_list, segment


def units_of(source: str) -> list[tuple[str, str]]:
    doc = text_reader.read("a.txt", source)
    return [(u.role, u.text) for u in segment(doc, 0)]


def texts(source: str) -> list[str]:
    return [t for _, t in units_of(source)]


@pytest.mark.parametrize(
    "sentence",
    [
        "U.S. President Joe Biden met the delegation in Washington on Tuesday.",
        "The hearing was adjourned until Feb. 11, 2019 at the request of the defence.",
        "Dr. Smith told the inquiry the ward had been short of nurses for months.",
        "Shares in Acme Inc. rose 5% after the results were published on Monday.",
        "The talks ended at 5 p.m. on Monday without an agreement being reached.",
    ],
)
def test_abbreviations_do_not_end_a_sentence(sentence: str) -> None:
    assert texts(sentence + " The minister declined to comment.") == [sentence, "The minister declined to comment."]


def test_quote_closing_a_sentence_ends_it() -> None:
    source = "“We will not back down,” she said. “Never.” Then the meeting closed."
    assert texts(source) == ["“We will not back down,” she said.", "“Never.”", "Then the meeting closed."]


def test_question_and_ellipsis() -> None:
    source = "Wait... what happened next? Nobody on the council could say."
    assert texts(source) == ["Wait... what happened next?", "Nobody on the council could say."]


def test_caption_on_its_own_line_is_a_unit() -> None:
    source = (
        "The strike began at dawn.\n"
        "Commuters queue outside Leeds station (Photo: Jane Doe)\n"
        "Union leaders said the action would continue until Friday.\n"
    )
    assert units_of(source) == [
        ("sentence", "The strike began at dawn."),
        ("line", "Commuters queue outside Leeds station (Photo: Jane Doe)"),
        ("sentence", "Union leaders said the action would continue until Friday."),
    ]


def test_headline_byline_and_date_are_separate_lines() -> None:
    source = "Rail strike to hit hundreds of services on Friday\nBy Maria Kowalski, Transport Correspondent\nTuesday 14 May 2026\n"
    assert [r for r, _ in units_of(source)] == ["line", "line", "line"]
    assert texts(source)[1] == "By Maria Kowalski, Transport Correspondent"


def test_recommended_news_is_not_glued_to_the_next_sentence() -> None:
    source = "Recommended News\nComments are moderated and may take up to 24 hours to appear.\n"
    assert texts(source) == ["Recommended News", "Comments are moderated and may take up to 24 hours to appear."]


def test_hard_wrapped_paragraph_is_joined_across_lines() -> None:
    source = (
        "The union said the strike would affect more than 400 trains across the\n"
        "north of England on Friday. Managers at Northern Rail said they would\n"
        "run a reduced timetable on the busiest routes into Leeds and Manchester.\n"
    )
    got = texts(source)
    assert len(got) == 2
    assert got[0].startswith("The union said") and got[0].endswith("on Friday.")
    assert "\n" in got[1]


def test_numbered_list_lines_are_items_without_their_markers() -> None:
    source = "1. Preheat the oven to 200 degrees\n2. Mix the flour with the butter\n"
    assert units_of(source) == [("item", "Preheat the oven to 200 degrees"), ("item", "Mix the flour with the butter")]


def test_numbered_sentences_keep_their_text_without_marker() -> None:
    source = "1. Preheat the oven.\n2. Mix the flour with the butter.\n"
    assert texts(source) == ["Preheat the oven.", "Mix the flour with the butter."]


def test_unit_spans_point_at_their_text() -> None:
    source = "Headline here\n\n  Indented first sentence. Second one follows here.\n"
    doc = text_reader.read("a.txt", source)
    for unit in segment(doc, 0):
        s = unit.span
        assert source[s.offset : s.offset + s.length] == unit.text
        line = source.split("\n")[s.line - 1]
        assert line[s.column - 1 :].startswith(unit.text.split("\n")[0])


def test_caption_above_a_body_line_in_a_short_lined_block_stays_apart() -> None:
    source = (
        "Rail strike to hit services\n"
        "By Maria Kowalski\n"
        "Commuters queue outside Leeds station (Photo: Jane Smith)\n"
        "The union said the walkout would affect more than 400 trains on Friday.\n"
    )
    assert units_of(source)[2] == ("line", "Commuters queue outside Leeds station (Photo: Jane Smith)")
    assert units_of(source)[3][1].startswith("The union said")


def test_unit_text_start_is_exact_when_a_sentence_repeats_inside_one_paragraph() -> None:
    import dedupe

    sentence = "Turn off the tap before you leave the house."
    result = dedupe.check(texts={"tips.md": f"{sentence} Then lock the door behind you. {sentence}\n"})
    block = result.documents[0].blocks[0].text
    units = result.units[0]
    assert [block[u.text_start : u.text_start + len(u.text)] for u in units] == [u.text for u in units]
    assert units[0].text_start == 0 and units[2].text_start == block.rindex(sentence)



MATCH_REPORT = (
    "Harriers 2-1 Rovers\n\n"
    "Harriers came from behind to win a scrappy derby, the captain heading in the winner late on.\n\n"
    "Harriers: Walsh; Okafor, Brennan, Duffy, Lyle; McAteer, Byrne (capt), Kowalczyk; Fenwick, Oduya, Hart.\n\n"
    "Subs not used: Grey, Quinn, Mbeki, Lawless.\n\n"
    "Pennington v Harriers, Rovers v Ashby Town, Millbrook v Stanton, Kelso v Dunmore.\n\n"
    "Referee: P Tanner (Lincolnshire).\n"
)


def test_team_sheets_and_fixtures_are_list_units() -> None:
    assert [r for r, _ in units_of(MATCH_REPORT)] == ["line", "sentence", "list", "list", "list", "sentence"]


SHARE_LINES = "Share this with Facebook\nShare this with Twitter\nShare this with Email\n"
STORY = "Tens of thousands of homes are without power after Storm Ciara brought winds of up to 90mph.\n"


def test_three_lines_equal_but_for_their_last_word_are_a_menu() -> None:
    assert units_of(f"{SHARE_LINES}{STORY}") == [
        ("list", "Share this with Facebook"), ("list", "Share this with Twitter"),
        ("list", "Share this with Email"), ("sentence", STORY.strip())]


@pytest.mark.parametrize("source", [
    "Share this with Facebook\nShare this with Twitter\n",  # two: a caption printed twice, one word changed
    "Flooding closes roads in Leeds\nFlooding closes roads in York\nFlooding closes schools in Hull\n",
    "Share this with Facebook\nShare this with Twitter\nShare it with Email\n",
    "Share\nShare this\nShare this page\n",
])
def test_lines_that_are_not_a_menu_keep_their_role(source: str) -> None:
    assert {role for role, _ in units_of(source)} <= {"line"}


def test_menu_lines_are_not_near_duplicates_but_a_doubled_menu_line_is_a_repeat() -> None:
    import dedupe

    assert dedupe.check(texts={"a.txt": f"{SHARE_LINES}\n{STORY}"}).findings == ()
    doubled = f"{SHARE_LINES}\n{STORY}\nShare this with Facebook\nShare this with Twitter\nShare this with Email\n"
    [repeat] = dedupe.check(texts={"a.txt": doubled}).findings  # the menu printed twice: one copied passage
    assert repeat.kind == "repeat" and [o.text for o in repeat.occurrences] == [SHARE_LINES.strip()] * 2


@pytest.mark.parametrize(
    "unit",
    [
        "G Walsh; D Okafor, P Brennan, S Duffy, T Lyle; R McAteer, K Byrne (capt); J Kowalczyk, A Fenwick.",
        ": Walsh, Okafor, Brennan, Duffy, Lyle, McAteer, Byrne, capt, Kowalczyk, Fenwick, Oduya, Hart.",
        "Replacements: A Grey (Leeds), B Quinn (Bath), C Mbeki (Sale Sharks, capt), D Lawless (Wasps).",
        "Pennington v Harriers; Rovers v Ashby Town; Millbrook v Stanton.",
        "Scorers: Oduya 12, Hart 48 pen, Fenwick 77, Oduya 90.",
    ],
)
def test_enumeration_of_names_is_a_list(unit: str) -> None:
    assert is_list(unit)


@pytest.mark.parametrize(
    "unit",
    [
        "He said the plan, which was costly, would fail.",
        "Its best-selling brands include Harbour Gold, Millers, Old Tom, Redcastle and Brightwater.",
        "Tributes came from John Major, Lady Thatcher, Lord Hurd, Lord Howe and Michael Heseltine.",
        "The minister will visit Leeds, Bradford, Halifax, Wakefield, Huddersfield and York this week.",
        "They included the textile, clothing, tobacco, chemicals and transport sectors.",
        "In 2004, shoppers spent £1,152m on games, more than 12,000 titles in all, a record.",
        "Attendances were 12,400, 13,100, 11,950 and 12,800.",
        "Harriers v Rovers is the one game everyone in the town talks about.",
        "Photographers, fans, families and friends, Harriers and Rovers alike, all stayed to the end.",
    ],
)
def test_prose_with_commas_is_not_a_list(unit: str) -> None:
    assert not is_list(unit)


def _units(text: str, name: str = "a.txt") -> list[tuple[str, str]]:
    return [(u.role, u.text) for u in dedupe.check(texts={name: text}).units[0]]


def test_a_paragraph_that_lost_its_last_full_stop_is_split_into_sentences() -> None:
    line = ("Fire crews were called to the harbour at dawn. The road stayed shut until noon while they worked "
            "and police asked drivers to avoid the area")
    assert _units(f"Harbour fire\n\n{line}\n")[1:] == [
        ("sentence", "Fire crews were called to the harbour at dawn."),
        ("sentence", "The road stayed shut until noon while they worked and police asked drivers to avoid the area")]


@pytest.mark.parametrize("caption", [
    "Commuters queue outside Leeds station on Monday morning (Photo: Jane Doe/Northern Daily)",
    "A fallen tree blocks the road in Hebden Bridge. Image copyright Reuters",
    "Firefighters at the scene. (Picture: Sam Lee)",
    "Federer claims Dubai crown",
])
def test_a_caption_headline_or_credit_line_stays_one_unit(caption: str) -> None:
    assert _units(f"{caption}\n\nThe fire started in a kitchen on the ground floor of the hotel.\n")[0] == (
        "line", caption)


def test_a_credit_line_under_a_paragraph_stays_its_own_line() -> None:
    text = ("The fire started in a kitchen on the ground floor. Guests were moved to a nearby school.\n"
            "Image copyright Reuters\n")
    assert _units(text) == [("sentence", "The fire started in a kitchen on the ground floor."),
                            ("sentence", "Guests were moved to a nearby school."), ("line", "Image copyright Reuters")]


def test_chinese_and_japanese_sentence_marks_end_sentences() -> None:
    assert [t for _, t in _units("这是第一句话。这是第二句话！最后一句也在这里？\n")] == [
        "这是第一句话。", "这是第二句话！", "最后一句也在这里？"]
    assert [t for _, t in _units("東京は晴れです。大阪は雨でした。\n")] == ["東京は晴れです。", "大阪は雨でした。"]


def test_a_repeated_chinese_sentence_inside_a_paragraph_is_found() -> None:
    repeated = "市议会周二投票决定明年春天关闭主街上的旧图书馆。"
    text = f"{repeated}居民们对此表示不满，并计划在下周举行抗议活动。官员们说预算已经无法支持这座建筑。{repeated}\n"
    [f] = dedupe.check(texts={"zh.txt": text}).findings
    assert f.kind == "repeat" and [o.text for o in f.occurrences] == [repeated, repeated]
    assert [o.span.offset for o in f.occurrences] == [0, text.rindex(repeated)]


def test_a_hard_wrapped_copy_of_a_paragraph_is_one_passage() -> None:
    paragraph = ("The council agreed on Tuesday to close three libraries in the north of the city next spring. "
                 "Campaigners said they would challenge the decision in the courts. The leader of the council "
                 "said the savings were needed to protect care services for older residents.")
    wrapped = textwrap.fill(paragraph, 72)
    own_a = ("Opening hours at the central library will be extended on Saturdays. The mobile library "
             "service will visit four more villages. A new reading room opens in March.")
    own_b = ("The harbour bridge reopens to traffic on Monday after repairs. Bus routes 12 and 14 return "
             "to their usual stops. Parking charges in the old town rise by ten pence an hour.")
    result = dedupe.check(texts={"a.txt": f"Library closures\n\n{own_a}\n\n{paragraph}\n",
                                 "b.txt": f"Weekly digest\n\n{own_b}\n\n{wrapped}\n"})
    [f] = result.findings
    assert f.kind == "cross" and f.similarity == 1.0
    assert [len(o.units) for o in f.occurrences] == [3, 3]
    assert f.occurrences[1].text == wrapped


# ---------------------------------------------------------------- real-world line structure (issue 12)

TRUNCATED = (
    "Kenteris and Thanou withdrew from the Olympics after missing a drugs test in August. "
    "The pair then spent four days in a hospital, claiming they had been injured in a crash. "
    "Thanou and Kenteris still face a criminal trial later this year for allegedly avoiding the"
)


@pytest.mark.parametrize("caption", [
    "Commuters queue outside Leeds station on Monday morning. (Photo: Jane Doe)",
    "Tony Blair arrives in Downing Street for the cabinet meeting. Image copyright Reuters",
    "Photo: Jane Doe. Commuters queue outside Leeds station on Monday morning",
    "Firefighters at the scene of the blaze in Hull. Picture by John Smith",
    "Blair wins. Tories lose",  # a headline of two sentences too short to compare apart
    "By Maria Kowalski. Transport Correspondent",
    "Prince Charles and Camilla Parker Bowles at Highgrove. The couple will marry in April (Photo: PA)",
    "Tony Blair leaves Downing Street for the Commons. Getty Images",
])
def test_caption_headline_or_byline_with_a_credit_stays_one_unit(caption: str) -> None:
    source = f"The strike began at dawn on Monday.\n{caption}\nUnion leaders said the action would continue.\n"
    assert units_of(source)[1] == ("line", caption)


def test_credit_closing_a_paragraph_cut_short_is_a_line_and_the_sentences_split() -> None:
    source = TRUNCATED.rsplit(". ", 1)[0] + ". Image copyright Reuters\n"
    assert [role for role, _ in units_of(source)] == ["sentence", "sentence", "line"]
    assert units_of(source)[-1] == ("line", "Image copyright Reuters")


def test_agency_named_inside_the_last_sentence_of_a_paragraph_cut_short_is_no_credit() -> None:
    source = TRUNCATED.rsplit(". ", 1)[0] + ". Thanou told the Reuters news agency she would appeal against the\n"
    assert [role for role, _ in units_of(source)] == ["sentence"] * 3


WRAPPED = (
    "The union said the strike would affect more than 400 trains across the\n"
    "north of England on Friday. Managers at Northern Rail said they would\n"
    "run a reduced timetable on the busiest routes into Leeds and Manchester,\n"
    "and asked passengers to check before they travel. The last strike, in\n"
    "March, closed Leeds station for most of the day.\n"
)


def test_two_line_paragraph_of_a_hard_wrapped_document_is_joined_where_a_capital_follows() -> None:
    second = ("Talks between the union and Northern Rail broke down on Tuesday after\n"
              "Government ministers refused to join them at the table in York.\n")
    got = texts(f"{WRAPPED}\n{second}")
    assert got[-1] == second.strip()  # one sentence: "after" + capital line, wrapped at the document's width


def test_paragraph_of_short_lines_in_an_unwrapped_document_is_not_joined() -> None:
    source = ("Rail strike to hit hundreds of services on Friday across the region\n"
              "By Maria Kowalski, Transport Correspondent for the Northern Echo\n"
              "Commuters queue outside Leeds station on Monday morning\n"
              "The union said the walkout would affect more than 400 trains.\n")
    assert [r for r, _ in units_of(source)] == ["line", "line", "line", "sentence"]


def test_wrapped_paragraph_followed_by_a_caption_line_keeps_the_caption_apart() -> None:
    source = WRAPPED + "Commuters queue outside Leeds station (Photo: Jane Doe)\n"
    got = units_of(source)
    assert got[-1] == ("line", "Commuters queue outside Leeds station (Photo: Jane Doe)")
    assert [r for r, _ in got] == ["sentence"] * 3 + ["line"]
    assert got[2][1] == "The last strike, in\nMarch, closed Leeds station for most of the day."


def test_line_broken_after_a_word_no_sentence_ends_with_is_joined() -> None:
    source = ("A spokesman for the\n"
              "Department of Health said the figures were being checked.\n")
    assert texts(source) == ["A spokesman for the\nDepartment of Health said the figures were being checked."]


def test_prose_line_broken_mid_sentence_before_a_capital_is_joined() -> None:
    source = ("Kenteris and Thanou withdrew from the Olympics after missing a drugs test. The pair then spent "
              "four days in a hospital in\n"
              "Athens, claiming they had been injured in a motorcycle crash.\n")
    assert texts(source)[-1] == "The pair then spent four days in a hospital in\nAthens, claiming they had been injured in a motorcycle crash."
    source = source.replace("hospital in\n", "hospital near\n")
    assert texts(source)[-1].startswith("The pair then spent") and texts(source)[-1].endswith("crash.")


def test_long_caption_line_over_a_sentence_is_not_joined_to_it() -> None:
    source = ("Commuters queue outside Leeds station on Monday morning as the first strike in a decade begins\n"
              "The union said the walkout would affect more than 400 trains.\n")
    assert [r for r, _ in units_of(source)] == ["line", "sentence"]


@pytest.mark.parametrize("source", [
    WRAPPED,
    f"{TRUNCATED}\n\nCommuters queue outside Leeds station. (Photo: Jane Doe)\n",
    "A spokesman for the\n  Department of Health said the figures were being checked. 北京今天发布了新标准。专家表示欢迎！\n",
])
def test_joined_and_split_units_point_at_their_exact_source_text(source: str) -> None:
    doc = text_reader.read("a.txt", source)
    units = segment(doc, 0)
    assert len(units) >= 3
    for unit in units:
        s = unit.span
        assert source[s.offset : s.offset + s.length] == unit.text


def test_closing_quotes_after_cjk_sentence_marks_stay_with_their_sentence() -> None:
    source = "北京今天发布了新的空气质量标准。专家表示，这项标准将在明年实施！市民问：“何时生效？”政府没有回答。\n"
    assert texts(source) == ["北京今天发布了新的空气质量标准。", "专家表示，这项标准将在明年实施！", "市民问：“何时生效？”",
                             "政府没有回答。"]


@pytest.mark.parametrize("source, first", [
    ("The council voted for plan B. The vote was close.", "The council voted for plan B."),
    ("He bought vitamin C. He felt better within a week.", "He bought vitamin C."),
    ("Nobody was more surprised than I. I had expected to lose.", "Nobody was more surprised than I."),
    ("The team finished top of Group A. A draw was enough.", "The team finished top of Group A."),
])
def test_one_letter_word_before_a_full_stop_ends_the_sentence(source: str, first: str) -> None:
    assert texts(source) == [first, source[len(first) + 1 :]]


@pytest.mark.parametrize("sentence", [
    "The report was written by J. Smith and published on Monday.",
    "President George W. Bush met the delegation in Washington.",
    "The novel by J. A. Baker was reissued this spring.",
    "The garden was designed by E. I. Lutyens in the 1920s.",
])
def test_initials_do_not_end_a_sentence(sentence: str) -> None:
    assert texts(sentence + " Nobody commented.") == [sentence, "Nobody commented."]
