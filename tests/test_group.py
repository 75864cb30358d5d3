"""Findings: kinds, grouping without chaining, passages, boilerplate, documents."""

from __future__ import annotations

import re

import dedupe
from dedupe.group import own_names
from dedupe.normalize import words
from dedupe.shingles import WordHasher, shingle
from dedupe.verify import FUNCTION_WORDS, exact_jaccard

CAPTION = "Commuters queue outside Leeds station on Monday morning (Photo: Jane Doe/Northern Daily)"
BODY = [
    "The union said the walkout would affect more than 400 services across the north of England on Friday.",
    "Managers at Northern Rail said they would run a reduced timetable on the busiest routes.",
    "Passengers were advised to check before they travel and to expect crowded trains all day.",
    "Talks between the two sides broke down on Sunday evening after six hours of negotiations.",
]
FOOTER = "Comments are moderated and may take up to 24 hours to appear on the site."


def kinds(result: dedupe.Result) -> list[str]:
    return sorted(f.kind for f in result.findings)


def jaccard(a: str, b: str, k: int = 2) -> float:
    h = WordHasher()
    s = shingle([h(words(a)), h(words(b))], k)
    return exact_jaccard(s.of(0), s.of(1))


def test_caption_line_repeated_reports_both_lines() -> None:
    text = f"Rail strike hits the north\n\n{CAPTION}\n\n{BODY[0]}\n\n{BODY[1]}\n\n{CAPTION}\n\n{BODY[2]}\n"
    result = dedupe.check(texts={"strike.txt": text})
    assert len(result.findings) == 1
    f = result.findings[0]
    assert f.kind == "caption" and f.similarity == 1.0
    assert [o.span.line for o in f.occurrences] == [3, 9]
    assert [o.text for o in f.occurrences] == [CAPTION, CAPTION]


def test_one_word_changed_in_fifteen_is_near_with_exact_jaccard() -> None:
    a = "The council agreed to close three libraries in the north of the city next spring."
    b = "The council agreed to close three libraries in the south of the city next spring."
    result = dedupe.check(texts={"council.txt": f"{a}\n\n{BODY[1]}\n\n{b}\n"})
    assert kinds(result) == ["near"]
    assert result.findings[0].similarity == jaccard(a, b)
    assert 0.5 <= result.findings[0].similarity < 1.0


def test_unrelated_sentences_sharing_common_words_are_not_reported() -> None:
    a = "The minister said that the plan would be published in the spring of next year."
    b = "The goalkeeper said that the team would be stronger in the second half of the season."
    result = dedupe.check(texts={"mixed.txt": f"{a}\n\n{b}\n"})
    assert result.findings == ()


def test_footer_in_every_article_is_boilerplate_not_cross() -> None:
    texts = {f"news/{i}.txt": f"{BODY[i]}\n\n{FOOTER}\n" for i in range(3)}
    result = dedupe.check(texts=texts)
    assert kinds(result) == ["boilerplate"]
    f = result.findings[0]
    assert f.severity == "info" and len(f.occurrences) == 3
    assert not result.failing()


def test_footer_in_two_articles_is_cross() -> None:
    texts = {f"news/{i}.txt": f"{BODY[i]}\n\n{FOOTER}\n" for i in range(2)}
    assert kinds(dedupe.check(texts=texts)) == ["cross"]


def test_copied_paragraph_is_one_finding_spanning_both_passages() -> None:
    paragraph = " ".join(BODY)
    own_a = ("The mayor opened the session at nine o'clock sharp. Councillors then spent an hour on the "
             "parking review before the finance director presented the draft figures for the coming year.")
    own_b = ("Parents gathered outside the town hall before the vote, holding banners about free school "
             "meals. Several head teachers joined them and spoke about pupils arriving at school hungry.")
    first = f"Budget day at the council\n\n{own_a}\n\n{paragraph}\n"
    second = f"School meals row\n\n{own_b}\n\n{paragraph}\n\nThe vote is due next week.\n"
    result = dedupe.check(texts={"a.txt": first, "b.txt": second})
    assert kinds(result) == ["cross"]
    f = result.findings[0]
    assert [o.text for o in f.occurrences] == [paragraph, paragraph]
    assert all(len(o.units) == 4 for o in f.occurrences)
    assert [o.span.line for o in f.occurrences] == [5, 5]


def test_near_variants_join_the_representative_they_reach_never_a_chain() -> None:
    # A~B and B~C hold, A~C does not: one star led by B, each variant scored against B;
    # never A and C as a pair.
    a = "The council agreed to close three small libraries in the north of the city next spring."
    b = "The council agreed to close three small libraries in the south of the city next spring."
    c = "The council agreed to close three small museums in the south of the town next spring."
    assert jaccard(a, b) >= 0.5 and jaccard(b, c) >= 0.5 and jaccard(a, c) < 0.5
    [f] = dedupe.check(texts={"c.txt": f"{a}\n\n{b}\n\n{c}\n"}).findings
    assert f.kind == "near" and f.occurrences[f.representative].text == b
    assert [(o.text, o.similarity) for o in f.occurrences] == [(a, jaccard(a, b)), (b, 1.0), (c, jaccard(b, c))]
    assert f.similarity == min(jaccard(a, b), jaccard(b, c))
    # a fourth variant near C only does not join B's group through C
    d = "The council agreed to close three small museums in the east of the town next autumn."
    assert jaccard(c, d) >= 0.5 and jaccard(b, d) < 0.5
    found = dedupe.check(texts={"c.txt": f"{a}\n\n{b}\n\n{c}\n\n{d}\n"}).findings
    for f in found:
        rep = f.occurrences[f.representative].text
        assert all(o.text == rep or jaccard(o.text, rep) >= 0.5 for o in f.occurrences)


def test_three_exact_copies_in_one_article_are_one_finding() -> None:
    text = f"{BODY[0]}\n\n{BODY[1]}\n\n{BODY[0]}\n\n{BODY[2]}\n\n{BODY[0]}\n"
    result = dedupe.check(texts={"a.txt": text})
    assert kinds(result) == ["repeat"]
    assert [o.span.line for o in result.findings[0].occurrences] == [1, 5, 9]


def test_whole_article_near_copy_is_document_and_hides_its_cross_pairs() -> None:
    article = "\n\n".join(["Flood warnings widen across the valley", *BODY, "The river is expected to peak overnight."])
    update = article.replace("Flood warnings widen", "River expected to peak as flood warnings widen")
    result = dedupe.check(texts={"flood.txt": article, "flood-update.txt": update})
    assert kinds(result) == ["document"]
    f = result.findings[0]
    assert 0.7 <= f.similarity < 1.0
    assert {o.path for o in f.occurrences} == {"flood.txt", "flood-update.txt"}


def test_scope_article_ignores_other_articles() -> None:
    texts = {"a.txt": f"{BODY[0]}\n\n{BODY[1]}\n", "b.txt": f"{BODY[0]}\n\n{BODY[3]}\n"}
    assert kinds(dedupe.check(texts=texts)) == ["cross"]
    assert dedupe.check(texts=texts, scope="article").findings == ()


def test_sentences_below_min_words_are_not_checked() -> None:
    text = "Read more.\n\nSome body text follows in between.\n\nRead more.\n"  # 2 words: under min_words (3)
    assert dedupe.check(texts={"a.txt": text}).findings == ()
    assert kinds(dedupe.check(texts={"a.txt": text}, min_words=2)) == ["repeat"]


REWORDED = (
    "The walkout would affect more than 400 services across the north, the union said on Friday.",
    "On Friday the union said more than 400 services across the north would be hit by the walkout.",
)


def test_reworded_sentence_is_near_by_its_words_and_says_so() -> None:
    a, b = REWORDED
    assert jaccard(a, b) < 0.5  # word order changed: the shingle signal alone misses it
    result = dedupe.check(texts={"strike.txt": f"{a}\n\n{BODY[1]}\n\n{b}\n"})
    assert kinds(result) == ["near"]
    f = result.findings[0]
    content = [set(words(x)) - FUNCTION_WORDS for x in REWORDED]
    assert f.measure == "words"
    assert f.similarity == len(content[0] & content[1]) / len(content[0] | content[1]) >= 0.6
    # without the word signal, only the phrase the two sentences share is left: an echo
    shingles_only = dedupe.check(texts={"strike.txt": f"{a}\n\n{BODY[1]}\n\n{b}\n"}, word_threshold=0)
    assert [(f.kind, [o.text for o in f.occurrences]) for f in shingles_only.findings] == [
        ("echo", ["more than 400 services across the north"] * 2)]


def test_a_group_with_a_word_only_pair_is_a_words_finding_scored_by_it() -> None:
    a, b = REWORDED
    c = a.replace("north", "north-east")  # a~c on shingles, b~c and a~b on words only
    result = dedupe.check(texts={"strike.txt": f"{a}\n\n{BODY[1]}\n\n{b}\n\n{BODY[2]}\n\n{c}\n"})
    assert [(f.kind, f.measure, len(f.occurrences)) for f in result.findings] == [("near", "words", 3)]


FOOTERS = (  # a chain of template variants: each is near the next one only
    "Comments are moderated and may take up to 24 hours to appear on the site.",
    "Comments are moderated and may take up to 48 hours to appear on the site.",
    "Comments may take up to 48 hours to appear on the site after review.",
    "Comments may take up to 48 hours to appear after review by our editors.",
)
TOOLS = [  # one distinct description per page
    "Archive files into a single compressed bundle.", "Show the calendar for the current month.",
    "Count the lines, words and bytes in a file.", "Print the name of the current working folder.",
    "Copy files between two machines over a secure shell.", "Search text for lines matching a pattern.",
    "Compare two files and list the lines that differ.", "Change the owner of a file or folder.",
    "Display the amount of free disk space per volume.", "Schedule a command to run at a later time.",
    "Convert an image from one format to another.", "Measure how long a command takes to run.",
]


def near(a: str, b: str) -> bool:
    content = [set(words(x)) - FUNCTION_WORDS for x in (a, b)]
    return jaccard(a, b) >= 0.5 or len(content[0] & content[1]) / len(content[0] | content[1]) >= 0.6


def test_boilerplate_clusters_are_stars_and_never_chain() -> None:
    w, x, y, z = FOOTERS
    assert near(w, x) and near(x, y) and near(y, z)
    assert not (near(w, y) or near(x, z) or near(w, z))
    lines = [w] * 7 + [x] * 4 + [y] * 5 + [z] * 6  # 22 articles: a line in 6 of them is boilerplate
    texts = {f"news/{i:02}.txt": f"Note {i}\n\n{line}\n" for i, line in enumerate(lines)}
    found = [f for f in dedupe.check(texts=texts).findings if f.kind == "boilerplate"]
    # w has the most copies (7) and leads; x joins it; z (6 copies) is near no leader and
    # leads too; y, near x and z, joins z, the leader it reaches: never w, x, y, z as one
    assert sorted(sorted({o.text for o in f.occurrences}) for f in found) == [sorted([w, x]), sorted([y, z])]
    assert all(f.similarity >= 0.5 for f in found)


def test_sentence_in_five_of_thirty_articles_is_cross_not_boilerplate() -> None:
    def texts(footed: int) -> dict[str, str]:
        return {f"news/{i:02}.txt": f"Note {i}\n\n{TOOLS[i]} {FOOTER}\n" if i < footed else f"Note {i}\n"
                for i in range(30)}

    assert [(f.kind, len(f.occurrences)) for f in dedupe.check(texts=texts(5)).findings] == [("cross", 5)]
    assert [(f.kind, len(f.occurrences)) for f in dedupe.check(texts=texts(10)).findings] == [("boilerplate", 10)]


SHORT = ["Archive many files.", "Show the calendar.", "Count words quickly.", "Print working folder.",
         "Copy over ssh.", "Search text lines.", "Compare two files.", "Change file owners.",
         "Report free space.", "Schedule later jobs.", "Convert image formats.", "Time any command."]


def test_pages_sharing_only_template_lines_are_not_document_copies() -> None:
    # tldr-pages alias pages: a heading, a three-word description, the template lines
    def page(i: int) -> str:
        return (f"# tool{i}\n\n> {SHORT[i]}\n> This command is an alias of the original command and takes "
                "the same options.\n\n- View the documentation for the original command, with all of its "
                "options and examples:\n")

    texts = {f"pages/{i:02}.md": page(i) for i in range(12)}
    # Counting their template lines, every two pages would be near-copies (66 document pairs).
    [template] = dedupe.check(texts=texts).findings
    assert template.kind == "boilerplate" and len(template.occurrences) == 12
    assert template.occurrences[0].text.startswith("This command is an alias")
    assert template.occurrences[0].text.endswith("with all of its options and examples:")


def test_caption_printed_twice_with_a_near_variant_is_a_caption_finding() -> None:
    caption = "A fallen tree blocks a road in Hebden Bridge after the storm"
    source = f"{caption}\n\n{BODY[0]}\n\nImage caption {caption}\n\n{BODY[1]}\n\n{caption}\n"
    [finding] = dedupe.check(texts={"storm.txt": source}).findings
    assert finding.kind == "caption" and [o.span.line for o in finding.occurrences] == [1, 5, 9]
    assert finding.similarity < 1.0  # the weakest pair: the variant
    # two captions that differ in a word, with no exact copy: a near-duplicate
    variant = f"{caption}\n\n{BODY[0]}\n\n{caption.replace('storm', 'gale')}\n"
    assert [f.kind for f in dedupe.check(texts={"storm.txt": variant}).findings] == ["near"]


FOOTER_LINES = ("Comments are moderated and may take up to 24 hours to appear on the site.",
                "Copyright 2026 Northern Daily. All rights reserved.",
                "Follow us for the latest news from the north of England.")


def test_footer_of_three_lines_is_one_boilerplate_finding_covering_them() -> None:
    texts = {f"news/{i}.txt": f"{BODY[i]}\n\n" + "\n".join(FOOTER_LINES) + "\n" for i in range(4)}
    result = dedupe.check(texts=texts)
    [footer] = result.findings
    assert footer.kind == "boilerplate" and len(footer.occurrences) == 4
    for o in footer.occurrences:
        assert o.text == "\n".join(FOOTER_LINES) and o.span.line == 3 and o.span.end_line == 5
        assert o.units == (1, 2, 3, 4)  # the body sentence is unit 0; "Copyright ..." is two sentences


def test_footer_with_a_line_inserted_in_one_article_is_still_one_finding() -> None:
    texts = {f"news/{i}.txt": f"{BODY[i]}\n\n" + "\n".join(FOOTER_LINES) + "\n" for i in range(4)}
    inserted = "Read more about the dispute on our transport page today."
    texts["news/4.txt"] = ("Bus drivers in Leeds voted to accept the new pay offer on Tuesday.\n\n"
                           f"{FOOTER_LINES[0]}\n{inserted}\n{FOOTER_LINES[1]}\n{FOOTER_LINES[2]}\n")
    [footer] = dedupe.check(texts=texts).findings
    block = "\n".join(FOOTER_LINES)
    assert footer.kind == "boilerplate"
    assert [o.text for o in footer.occurrences] == [block] * 4 + ["\n".join([FOOTER_LINES[0], inserted, *FOOTER_LINES[1:]])]
    # the fifth place matches four of its five units: the inserted line is a gap
    assert footer.occurrences[4].similarity == 4 / 5 and footer.occurrences[4].measure == "passage"


MUST_FIRE = {
    "repeat": {"a.txt": f"{BODY[0]}\n\n{BODY[1]}\n\n{BODY[0]}\n"},
    "caption": {"a.txt": f"{CAPTION}\n\n{BODY[1]}\n\n{CAPTION}\n"},
    "near": {"a.txt": f"{BODY[0]}\n\n{BODY[1]}\n\n{BODY[0].replace('walkout', 'strike')}\n"},
    "cross": {"a.txt": f"{BODY[0]}\n", "b.txt": f"{BODY[0]}\n\n{BODY[2]}\n"},
    "boilerplate": {f"{i}.txt": f"{BODY[i]}\n\n{FOOTER}\n" for i in range(4)},
    "document": {"a.txt": "\n\n".join(BODY), "b.txt": "\n\n".join(BODY[:3] + [BODY[3].replace("six", "seven")])},
}
MUST_NOT_FIRE = {
    "repeat": {"a.txt": "\n\n".join(BODY)},
    "caption": {"a.txt": f"{CAPTION}\n\n{BODY[1]}\n\nA different caption for the second photograph\n"},
    "near": {"a.txt": f"{BODY[0]}\n\n{BODY[3]}\n"},
    "cross": {"a.txt": f"{BODY[0]}\n", "b.txt": f"{BODY[2]}\n"},
    "boilerplate": {f"{i}.txt": f"{BODY[i]}\n" for i in range(4)},
    "document": {"a.txt": "\n\n".join(BODY[:2]), "b.txt": "\n\n".join(BODY[2:])},
}


def test_every_kind_has_must_fire_and_must_not_fire_examples() -> None:
    for kind in ("repeat", "caption", "near", "cross", "boilerplate", "document"):
        assert kind in kinds(dedupe.check(texts=MUST_FIRE[kind])), kind
        assert kind not in kinds(dedupe.check(texts=MUST_NOT_FIRE[kind])), kind


HOME_SIDE = "Harriers: Walsh; Okafor, Brennan, Duffy, Lyle; McAteer, Byrne (capt), Kowalczyk; Fenwick, Oduya, Hart."
AWAY_SIDE = "Rovers: Pike; Adeyemi, Sutcliffe, Moran, Tait; Lindqvist, Harding, Ngata; Crowe, Bellamy, Okoro."
TOUR = "The minister will visit Leeds, Bradford, Halifax, Wakefield, Huddersfield and York this week."


def test_team_sheets_in_two_match_reports_are_not_cross() -> None:
    preview = f"Harriers v Rovers preview\n\n{BODY[0]} {BODY[1]}\n\n{HOME_SIDE}\n\n{AWAY_SIDE}\n"
    report = f"Harriers 2-1 Rovers\n\n{BODY[2]} {BODY[3]}\n\n{HOME_SIDE}\n\n{AWAY_SIDE}\n"
    assert dedupe.check(texts={"preview.txt": preview, "report.txt": report}).findings == ()


def test_team_sheet_pasted_twice_in_one_report_is_a_repeat() -> None:
    report = f"Harriers 2-1 Rovers\n\n{BODY[0]}\n\n{HOME_SIDE}\n\n{HOME_SIDE}\n"  # the away side pasted over
    result = dedupe.check(texts={"report.txt": report})
    assert kinds(result) == ["repeat"]
    assert [o.span.line for o in result.findings[0].occurrences] == [5, 7]
    assert [o.role for o in result.findings[0].occurrences] == ["list", "list"]


def test_team_sheets_two_players_apart_in_one_report_are_not_near() -> None:
    # 11 of 13 words in order, under LIST_SHARE_WITHIN (one word changed in 13 is a near
    # variant: test_a_line_of_names_given_again_with_a_word_changed_is_a_near_variant)
    changed = HOME_SIDE.replace("Hart", "Quinn").replace("Lyle", "Moss")
    assert jaccard(HOME_SIDE, changed) >= 0.5
    report = f"Harriers 2-1 Rovers\n\n{BODY[0]}\n\n{HOME_SIDE}\n\n{changed}\n"
    assert dedupe.check(texts={"report.txt": report}).findings == ()


def test_sentence_naming_places_is_prose_and_still_cross() -> None:
    texts = {"a.txt": f"{BODY[0]}\n\n{TOUR}\n", "b.txt": f"{BODY[3]}\n\n{TOUR}\n"}
    result = dedupe.check(texts=texts)
    assert kinds(result) == ["cross"]
    assert [o.role for o in result.findings[0].occurrences] == ["sentence", "sentence"]


COUNCIL = "The council voted on Tuesday to close the old library on Main Street next spring."
COUNCIL_LONGER = ("Officials said the council voted on Tuesday to close the old library on Main Street next "
                  "spring after a long debate.")


def test_one_finding_per_repeated_text_each_place_scored_against_the_representative() -> None:
    texts = {"a.txt": f"{COUNCIL}\n\nOther news here today about the weather in town.\n\n{COUNCIL_LONGER}\n",
             "b.txt": f"{COUNCIL}\n\nThe mayor said nothing at all about it in the end.\n"}
    [f] = dedupe.check(texts=texts).findings
    assert f.occurrences[f.representative].text == COUNCIL
    assert [(o.path, o.span.line, o.similarity, o.variant) for o in f.occurrences] == [
        ("a.txt", 1, 1.0, 0), ("a.txt", 5, jaccard(COUNCIL, COUNCIL_LONGER), 1), ("b.txt", 1, 1.0, 0)]
    assert round(f.similarity, 2) == 0.70 and f.measure == "shingles"
    assert f.kind == "near"  # a.txt holds the sentence and its variant


def _article(n: int) -> str:
    return "\n\n".join([f"Flood warnings widen across the valley {n}", *BODY])


def test_three_copies_of_an_article_fail_the_run_as_two_copies_do() -> None:
    others = {f"news/{i}.txt": f"Story {i}\n\n{TOOLS[i]}\n\n{TOOLS[i + 6]}\n" for i in range(6)}
    for copies in (2, 3, 4):
        texts = {**others, **{f"news/copy{n}.txt": _article(0) for n in range(copies)}}
        result = dedupe.check(texts=texts)
        assert [(f.kind, len(f.occurrences), f.severity) for f in result.findings] == [
            ("document", copies, "error")], copies
        assert result.failing()


def test_a_repeat_inside_one_article_stays_an_error_when_other_articles_quote_it() -> None:
    texts = {"a.txt": f"{BODY[0]}\n\n{BODY[1]}\n\n{BODY[0]}\n",
             "b.txt": f"{BODY[2]}\n\n{BODY[0]}\n", "c.txt": f"{BODY[3]}\n\n{BODY[0]}\n"}
    alone = dedupe.check(texts={"a.txt": texts["a.txt"]})
    [f] = dedupe.check(texts=texts).findings
    assert [(g.kind, g.severity) for g in alone.findings] == [(f.kind, f.severity)] == [("repeat", "error")]
    assert [(o.path, o.span.line) for o in f.occurrences] == [("a.txt", 1), ("a.txt", 5), ("b.txt", 3), ("c.txt", 3)]
    # with many more articles quoting it, still a repeat (error), never boilerplate (info)
    many = {**texts, **{f"q{i}.txt": f"{TOOLS[i]}\n\n{BODY[0]}\n" for i in range(12)}}
    assert [(g.kind, g.severity) for g in dedupe.check(texts=many).findings] == [("repeat", "error")]


STEPS = ("- Start the web server on port 8080:\n\n`herd start`\n\n"
         "- Stop the web server on port 8080:\n\n`herd stop`\n\n"
         "- Restart the web server on port 8080:\n\n`herd restart`\n")


def test_parallel_list_items_one_word_apart_are_not_near_duplicates() -> None:
    assert dedupe.check(texts={"herd.md": f"# herd\n\n{STEPS}"}).findings == ()
    # the same item printed twice is still a repeat
    twice = f"# herd\n\n{STEPS}\n- Start the web server on port 8080:\n\n`herd up`\n"
    assert kinds(dedupe.check(texts={"herd.md": twice})) == ["repeat"]


def test_a_sentence_or_caption_reprinted_with_one_word_changed_is_still_near() -> None:
    changed = CAPTION.replace("Monday", "Tuesday")
    caption = f"{CAPTION}\n\n{BODY[0]}\n\n{BODY[1]}\n\n{changed}\n"
    assert kinds(dedupe.check(texts={"a.txt": caption})) == ["near"]
    sentence = f"{BODY[0]}\n\n{BODY[1]}\n\n{BODY[0].replace('Friday', 'Monday')}\n"
    assert kinds(dedupe.check(texts={"a.txt": sentence})) == ["near"]


def test_standalone_lines_in_a_run_one_word_apart_are_parallel_but_far_apart_are_near() -> None:
    run = "Trains to Leeds leave from platform one\nTrains to York leave from platform one\n"
    assert dedupe.check(texts={"a.txt": f"{BODY[0]}\n\n{run}\n{BODY[1]}\n"}).findings == ()
    apart = (f"Trains to Leeds leave from platform one\n\n{BODY[0]}\n\n{BODY[1]}\n\n"
             "Trains to York leave from platform one\n")
    assert kinds(dedupe.check(texts={"a.txt": apart})) == ["near"]


def test_pages_of_one_or_two_lines_are_never_whole_article_copies() -> None:
    tiny = "The check is case sensitive and ignores leading spaces in every field:\n"
    texts = {"a.md": f"# a\n\n{tiny}", "b.md": f"# b\n\n{tiny}"}
    assert kinds(dedupe.check(texts=texts)) == ["cross"]
    full = {"a.md": "\n\n".join(BODY), "b.md": "\n\n".join(BODY)}
    assert kinds(dedupe.check(texts=full)) == ["document"]


def test_copied_paragraph_with_one_sentence_rewritten_is_one_passage_across_the_gap() -> None:
    rewritten = "Officials expect disruption to last well into next week, a spokeswoman added."
    first = f"Strike news today\n\n{' '.join(BODY)}\n"
    second = f"Commuter diary\n\n{BODY[0]} {BODY[1]} {rewritten} {BODY[3]}\n"
    [f] = dedupe.check(texts={"a.txt": first, "b.txt": second}).findings
    assert f.kind == "cross" and f.measure == "passage"
    assert [len(o.units) for o in f.occurrences] == [4, 4]
    assert f.similarity == 3 / 4  # three of the four sentences matched exactly


EXAMPLES = [
    "- Read the token from the standard input instead of the command line:",
    "- Use the specified registry instead of the default one for this project:",
    "- Print the full path of the credentials file that stores the saved tokens:",
    "- Display the help text with every option and its default value explained:",
]


def _page(title: str, lead: str) -> str:
    return f"# {title}\n\n> {lead}\n> The token is used to authenticate to a package registry of your choice.\n\n" + "\n\n".join(EXAMPLES) + "\n"


def test_sibling_pages_whose_descriptions_swap_a_word_are_not_article_copies() -> None:
    # must fire: two titles, descriptions one substitution apart that names neither page
    texts = {"cargo-login.md": _page("cargo login", "Save an API token from the registry locally."),
             "cargo-logout.md": _page("cargo logout", "Remove an API token from the registry locally.")}
    assert "document" not in kinds(dedupe.check(texts=texts))


def test_one_page_under_two_names_or_on_two_platforms_is_still_an_article_copy() -> None:
    # must not fire: the swapped word is the page's own name (one text for two commands) ...
    named = {"docker-run.md": _page("docker run", "Run a command in a new Docker container."),
             "podman-run.md": _page("podman run", "Run a command in a new Podman container.")}
    assert kinds(dedupe.check(texts=named)) == ["document"]
    # ... or the two pages have one title (a page copied to another platform)
    platforms = {"linux/login.md": _page("cargo login", "Save an API token from the registry locally."),
                 "osx/login.md": _page("cargo login", "Keep an API token from the registry locally.")}
    assert kinds(dedupe.check(texts=platforms)) == ["document"]


def _one_article(first: str, second: str) -> list[str]:
    return kinds(dedupe.check(texts={"a.txt": f"{first}\n\n{BODY[0]}\n\n{BODY[1]}\n\n{second}\n"}))


def test_a_question_echoing_a_statement_is_a_reaction_not_a_near_duplicate() -> None:
    statement = "Robbie Williams' Angels was named the best song of the past 25 years by the judges."
    # must fire: a reader's question, or a short exclamation, echoing the statement (the
    # words they share may still be a shared run, phrases.py's to judge)
    assert "near" not in _one_article(statement, "Was Angels really the best song of the past 25 years?")
    assert "near" not in _one_article("Best song of the past 25 years by far.", "Best song of the past 25 years!")
    # must not fire: the statement restated, or the same question asked twice
    assert _one_article(statement, "Angels was named the best song of the past 25 years by the judges.") == ["near"]
    question = "Was Angels really the best song of the past 25 years?"
    assert _one_article(question, "Was Angels truly the best song of the past 25 years?") == ["near"]


def test_lines_of_names_are_list_entries_not_near_duplicates() -> None:
    # must fire: two entries of a list of athletes and clubs
    entries = ("H Clitheroe (Preston Harriers), K Holmes (Ealing, Southall and Middlesex AC), J Pavey (Exeter).",
               "K Holmes (Ealing, Southall and Middlesex AC), J Pavey (Exeter), P Radcliffe (Bedford).")
    assert "near" not in _one_article(*entries)
    # must not fire: a sentence about those people, restated
    prose = ("Kelly Holmes of Ealing, Southall and Middlesex will race Jo Pavey of Exeter in Glasgow.",
             "Kelly Holmes of Ealing, Southall and Middlesex is to race Jo Pavey of Exeter in Glasgow.")
    assert _one_article(*prose) == ["near"]


ENGLAND = ("J Robinson (capt); M Cueto, J Noon, O Barkley, J Lewsey; C Hodgson, H Ellis; G Rowntree, "
           "S Thompson, M Stevens; D Grewcock, B Kay; J Worsley, L Moody, M Corry.")
BENCH = "F Sheahan, J Hayes, D O'Callaghan, P O'Connell, S Easterby, D Leamy, E Miller."


def test_a_line_of_names_given_again_with_a_word_changed_is_a_near_variant() -> None:
    # must fire: the bench given twice in one story, one name misspelt (13 of 14 words in order)
    assert _one_article(BENCH, BENCH.replace("P O'Connell", "P O'Donnell")) == ["near"]
    # ... and a team sheet copied into another story with one word changed (30 of 31)
    copied = {"a.txt": f"{BODY[0]}\n\n{ENGLAND}\n", "b.txt": f"{BODY[2]}\n\n{ENGLAND.replace('J Noon', 'J Moon')}\n"}
    assert kinds(dedupe.check(texts=copied)) == ["cross"]
    # must not fire: the side's team sheet for the next match, one player changed
    # (two words of 31 in order: 0.94), or two benches in one story
    changed = {"a.txt": copied["a.txt"], "b.txt": f"{BODY[2]}\n\n{ENGLAND.replace('M Stevens', 'P Vickery')}\n"}
    assert kinds(dedupe.check(texts=changed)) == []
    assert _one_article(BENCH, BENCH.replace("P O'Connell, S Easterby", "M O'Kelly, A Foley")) == []


def test_sentences_that_swap_their_subjects_around_are_parallel_not_near() -> None:
    # must fire: side by side in one paragraph, the same frame with the subjects moved
    leeds = ("At Leeds, Iron Maiden will headline the first day of the festival on the Friday, "
             "Pixies will follow on Saturday and the Foo Fighters will close the event on Sunday. "
             "The Pixies will headline the first day of Reading, while Foo Fighters will play on Sunday "
             "and Iron Maiden will close the event.")
    assert kinds(dedupe.check(texts={"a.txt": f"{BODY[0]}\n\n{leeds}\n\n{BODY[1]}\n"})) == []
    # ... and short descriptions in two articles: inverse converters
    inverse = {"pbmtosun.md": "# pbmtosun\n\n> Convert a PBM image to a Sun icon file for the SunView desktop.\n",
               "suntopbm.md": "# suntopbm\n\n> Convert a Sun icon file for the SunView desktop to a PBM image.\n"}
    assert [f.measure for f in dedupe.check(texts=inverse).findings] in ([], ["run"])  # a shared run is phrases.py's
    # must not fire: a sentence restated in its own order, side by side or in two articles
    kept = ("The union said the walkout would affect more than 400 services across the north on Friday. "
            "The union said that the walkout would affect more than 400 services across the north of England.")
    assert kinds(dedupe.check(texts={"a.txt": f"{BODY[1]}\n\n{kept}\n\n{BODY[2]}\n"})) == ["near"]
    turned = {"a.txt": "The council closed the library on Monday, after a long debate about its costs.\n",
              "b.txt": "After a long debate about its costs, the council closed the library on Monday.\n"}
    assert kinds(dedupe.check(texts=turned)) == ["cross"]  # two clauses turned around: still near
    same = {"a.md": "# a\n\n> Convert a PBM image to a Sun icon file for the SunView desktop.\n",
            "b.md": "# b\n\n> Convert a PBM image into a Sun icon file for the SunView desktop.\n"}
    assert kinds(dedupe.check(texts=same)) == ["cross"]


def _meeting(event: str) -> dict[str, str]:
    return {"a.txt": f"World champion Kim Collins will compete over 60m at {event}.\n",
            "b.txt": f"Yelena Isinbayeva has confirmed she will take part in {event} alongside Holmes.\n"}


def test_a_short_phrase_shared_by_two_articles_is_stock_but_repeated_in_one_is_a_repeat() -> None:
    short = "the Norwich Union Grand Prix in Birmingham next month"  # 9 words: a name and a date
    # must fire: shared by two stories inside different sentences, under MIN_CROSS_WORDS words
    assert dedupe.check(texts=_meeting(short)).findings == ()
    # must not fire: the same phrase twice in one story, or a phrase of ten words shared
    one = "\n".join(_meeting(short).values())
    assert [(f.kind, f.measure) for f in dedupe.check(texts={"a.txt": one}).findings] == [("repeat", "run")]
    longer = "the Norwich Union Grand Prix in Birmingham on 18 February"
    assert [(f.kind, f.run_words) for f in dedupe.check(texts=_meeting(longer)).findings] == [("cross", 10)]


def test_a_proper_name_spelled_out_twice_is_not_a_repeat_but_a_score_given_twice_is() -> None:
    name = "the Economic Commission for Latin America and the Caribbean"
    story = (f"The figures come from {name} in its annual survey.\n\n"
             f"Officials at {name} warned that growth would slow next year.\n")
    # must fire: one name, spelled out in two sentences of one story
    assert dedupe.check(texts={"a.txt": story}).findings == ()
    # must not fire: a date (figures) or a list of places (commas) stated twice
    date = "the Norwich Union Grand Prix in Birmingham on 18 February"
    twice = (f"Kim Collins will run the 60m at {date} against Gardener.\n\n"
             f"Tickets for {date} go on sale from Monday morning.\n")
    assert [(f.kind, f.measure) for f in dedupe.check(texts={"a.txt": twice}).findings] == [("repeat", "run")]
    listed = ("The firm has staff in London, Frankfurt, New York, San Francisco and Boston already.\n\n"
              "Offices in London, Frankfurt, New York, San Francisco and Boston closed on Monday.\n")
    assert [(f.kind, f.measure) for f in dedupe.check(texts={"a.txt": listed}).findings] == [("repeat", "run")]


def _reference(title: str, lead: str, items: tuple[str, ...] = ()) -> str:
    """A cheat-sheet page: a title, opening prose, then only list items (each with its command)."""
    own = items or (f"List every {title} entry in the current workspace:", f"Show the settings of {title} in detail:")
    return f"# {title}\n\n> {lead}\n\n" + "\n\n".join(f"- {i}\n\n`{title} {n}`" for n, i in enumerate(own)) + "\n"


def _cross(texts: dict[str, str]) -> list[str]:
    return [f.kind for f in dedupe.check(texts=texts).findings if f.kind == "cross"]


IMPORT = "Import keys, values, and data into the Wine registry from a saved `.reg` file."
EXPORT = "Export keys, values, and data from the Wine registry into a saved `.reg` file."


def test_reference_pages_with_different_titles_varying_one_text_are_parallel_not_cross() -> None:
    # must fire: two reference pages, two titles, the description varied
    texts = {"wine-reg-import.md": _reference("wine reg import", IMPORT),
             "wine-reg-export.md": _reference("wine reg export", EXPORT)}
    assert _cross(texts) == []
    # must not fire: the same two texts in news stories, or on two pages with one title
    # (one page on two platforms), or given word for word on two pages (one page copied)
    assert _cross({"a.txt": f"Wine registry\n\n{IMPORT}\n", "b.txt": f"Wine tools\n\n{EXPORT}\n"}) == ["cross"]
    assert _cross({"linux/wine-reg.md": _reference("wine reg", IMPORT),
                   "osx/wine-reg.md": _reference("wine reg", EXPORT)}) == ["cross"]
    assert _cross({"wine-reg-import.md": _reference("wine reg import", IMPORT),
                   "wine-reg-load.md": _reference("wine reg load", IMPORT, (
                       "Load a saved hive under a temporary key of the registry:",
                       "Unload the hive again once the changes have been checked:"))}) == ["cross"]


def test_a_note_word_for_word_on_three_reference_pages_is_a_template_but_on_two_a_copy() -> None:
    note = "Note: the pattern matches the current package and every package below the current directory."
    pages = {f"go-{t}.md": _reference(f"go {t}", f"{d} Go packages named by their import paths.\n> {note}")
             for t, d in (("fmt", "Format"), ("vet", "Examine"), ("test", "Test"))}
    others = {f"news/{i:02}.txt": f"Note {i}\n\n{tool}\n" for i, tool in enumerate(TOOLS)}  # cut-off: 4 pages
    # must fire: three pages with three titles (below the boilerplate cut-off)
    assert dedupe.check(texts={**pages, **others}).boilerplate_articles > 3
    assert _cross({**pages, **others}) == []
    # must not fire: two pages
    assert _cross({**{k: pages[k] for k in ("go-fmt.md", "go-vet.md")}, **others}) == ["cross"]


def test_a_parent_pages_list_entry_giving_a_subcommands_description_is_not_cross() -> None:
    lead = "Publish smart contracts, get object information, execute transactions, and more."
    entry = "Publish smart contracts, get object information, execute transactions, and more:"
    child = _reference("sui client", lead)
    # must fire: a list item of the parent page and the subcommand page's description
    assert _cross({"sui-client.md": child,
                   "sui.md": _reference("sui", "A blockchain platform and its command-line tools.",
                                        ("Start a local network for development:", entry))}) == []
    # must not fire: the description given word for word as another page's description
    assert _cross({"sui-client.md": child,
                   "sui.md": _reference("sui", lead, ("Start a local network for development:",
                                                      "Print the version of every installed component:"))}) == ["cross"]


def test_a_phrase_shared_by_reference_pages_with_different_titles_is_a_pattern() -> None:
    run = "security best practices, perform audits, compliance checks, and generate reports"
    pages = {"prowler-aws.md": _reference("prowler aws", f"Assess the AWS {run} for each account."),
             "prowler-azure.md": _reference("prowler azure", f"Review Azure subscriptions: {run} quickly.")}
    # must fire: a shared run inside two different descriptions of sibling pages
    assert dedupe.check(texts=pages).findings == ()
    # must not fire: the same sentences in two news stories share the run
    news = {"a.txt": f"Cloud audit\n\nAssess the AWS {run} for each account.\n",
            "b.txt": f"Azure audit\n\nReview Azure subscriptions: {run} quickly.\n"}
    assert [(f.kind, f.measure) for f in dedupe.check(texts=news).findings] == [("cross", "run")]


STORY = ("Angels named best song of 25 years\n\n"
         "Robbie Williams' Angels was named the best song of the past 25 years at the awards on Wednesday night.\n\n"
         "Listeners of BBC Radio 2 chose the track from a shortlist of five, ahead of Queen and Kate Bush.\n")
LETTERS = [
    "I think the whole vote was decided by people who only heard the radio last week.",
    "My daughter sang it at her wedding and we cried all the way through the service.",
    "You must be joking, there are a hundred better records from the eighties alone.",
    "I bought the single when it came out and still play it in the car most mornings.",
    "Our office argued about this for an hour and nobody changed their mind at all.",
    "I would have chosen something by The Smiths, but I can see why people love it.",
    "You cannot compare a pop ballad with the great rock anthems of that decade, surely.",
    "My vote went to Kate Bush, whose songs have aged far better than anything else listed.",
    "I am glad a British songwriter won something for once instead of another import.",
    "We played it at my grandfather's funeral and it meant a great deal to the family.",
    "I never understood the appeal, the chorus goes on and on without going anywhere new.",
    "You only have to hear a stadium sing it back to understand why it keeps winning.",
    "I think the shortlist itself was the problem, half the nominees were barely known.",
    "My friends and I saw him perform it live in Knebworth and the crowd was electric.",
    "I suppose awards like these are just a bit of fun and not worth getting upset over.",
    "Our local radio station played it every hour for a month until everyone was sick of it.",
    "I preferred the Queen entry, which has a stronger melody and far better lyrics overall.",
    "You could tell the result before the envelope was opened, which made it rather dull.",
    "I admire his showmanship even if the song is not really to my taste these days.",
    "My teenage son had never heard of Joy Division until this vote came along, so good.",
]
AGREE = "I agree wholeheartedly with Mr Forsyth."  # 6 words: a stock line
QUOTING = "Why a cheesy ditty like Angels should be voted the best song of the past 25 years is beyond me."
PASTED = "I have listened to this record every single morning since the summer it came out."


def _story_with_letters(letters: list[str], gap: str = "\n\n\n") -> str:
    """The story, then ``gap`` (after its last line's break: two blank lines by default), then the letters."""
    return STORY + gap + "\n\n".join(letters) + "\n"


def _kinds(text: str) -> list[str]:
    return [f.kind for f in dedupe.check(texts={"brits.txt": text}).findings]


def test_readers_letters_sharing_a_short_line_or_quoting_the_story_are_not_a_repeat() -> None:
    # must fire: twenty letters after a dropped heading (two blank lines or more), most in
    # the first or second person; two letters open alike, one quotes the story's phrase
    assert _kinds(_story_with_letters([AGREE, *LETTERS, AGREE])) == []
    assert _kinds(_story_with_letters([*LETTERS[:9], QUOTING, *LETTERS[9:]])) == []


def test_a_repeat_in_a_story_a_column_or_pasted_into_two_letters_is_still_reported() -> None:
    letters = [AGREE, *LETTERS, AGREE]
    # must not fire: a whole sentence (MIN_CROSS_WORDS words or more) pasted into two letters
    assert _kinds(_story_with_letters([PASTED, *LETTERS, PASTED])) == ["repeat"]
    # the headline given again as a line of its own among the letters (a standalone line, as in rule 6)
    assert _kinds(_story_with_letters([*LETTERS[:9], STORY.split("\n")[0], *LETTERS[9:]])) == ["caption"]
    # the story repeating itself above the letters
    twice = STORY.replace("Wednesday night.\n\n", "Wednesday night.\n\n" + LETTERS[0] + "\n\n") + "\n" + LETTERS[0]
    assert _kinds(twice + "\n\n\n\n" + "\n\n".join(LETTERS[1:]) + "\n") == ["repeat"]
    # a column: one voice in a few paragraphs, not a run of twenty
    assert _kinds(_story_with_letters([AGREE, *LETTERS[:6], AGREE])) == ["repeat"]
    # twenty paragraphs after one blank line are the story's own
    assert _kinds(_story_with_letters(letters, "\n")) == ["repeat"]
    assert _kinds(_story_with_letters([*LETTERS[:9], QUOTING, *LETTERS[9:]], "\n")) == ["repeat"]
    # a section of twenty paragraphs reported in the third person is the story's own
    third = {"i": "she", "my": "her", "me": "her", "we": "they", "our": "their", "you": "listeners", "i'm": "she's"}
    reported = [re.sub(r"\b[\w']+\b", lambda m: third.get(m.group().lower(), m.group()), t) for t in letters]
    assert _kinds(_story_with_letters(reported)) == ["repeat"]


SPEC = ("What is it?", "What you get?", "What is missing?", "Who is it for?")


def _spec_box(boxes: list[list[str]]) -> str:
    intro = ("Rivals of the cheapest Apple\n\n"
             "The Mac mini is the cheapest Apple computer ever, but how does it compare with PCs at that price?\n")
    return intro + "".join("\n\n\n" + "\n\n".join(box) + "\n" for box in boxes)


BOXES = [
    ["A very small computer designed to bring the Macintosh to the masses at last.",
     "A 1.4GHz PowerPC chip, an 80 gigabyte hard drive and a combined CD burner and DVD player.",
     "A monitor, keyboard or mouse. Wireless and a DVD burner can be added at extra cost.",
     "People who already own a main computer and want a second machine for the family."],
    ["An entry-level desktop machine designed for basic home use and light office work.",
     "A 2.6GHz Celeron chip, a 40 gigabyte drive, a 17 inch monitor, keyboard and mouse.",
     "Any wireless components built in. Wireless and a DVD burner can be added at extra cost.",
     "Homes and small offices, including those looking for a low cost second computer."],
    ["A machine a computing magazine dubbed best performer among budget desktops this year.",
     "A 1.8GHz Sempron processor, 512MB of memory, a 120GB drive and a DVD writer included.",
     "Firewire slots, and it cannot handle three dimensional graphics for the latest games.",
     "Those on a limited budget who want a machine they can improve as their cash allows."],
]


def test_a_line_in_the_same_slot_of_parallel_sections_is_not_a_repeat() -> None:
    # must fire: three sections of four paragraphs (a spec box's headings dropped), the
    # same line in the third slot of two of them: one fact said of two computers
    assert dedupe.check(texts={"rivals.txt": _spec_box(BOXES)}).findings == ()


def test_a_line_repeated_in_different_slots_or_in_two_sections_only_is_still_a_repeat() -> None:
    # must not fire: the line in the third slot of one box and the last of another
    moved = [BOXES[0], BOXES[1][:2] + [BOXES[1][3], BOXES[1][2]], BOXES[2]]
    assert [f.kind for f in dedupe.check(texts={"a.txt": _spec_box(moved)}).findings] == ["repeat"]
    # only two sections of one length are no pattern
    assert [f.kind for f in dedupe.check(texts={"b.txt": _spec_box(BOXES[:2])}).findings] == ["repeat"]
    # a paragraph longer than a short line (over PARALLEL_MAX_WORDS words) pasted into the same slot of another box
    long_box = ("The machine ships with a three year warranty covering parts and labour at home. Owners may also "
                "call a support line staffed every day of the week, and the maker promises to collect and repair "
                "a faulty unit within five working days, lending a replacement meanwhile.")
    pasted = [BOXES[0][:2] + [long_box, BOXES[0][3]], BOXES[1][:2] + [long_box, BOXES[1][3]], BOXES[2]]
    assert [f.kind for f in dedupe.check(texts={"c.txt": _spec_box(pasted)}).findings] == ["repeat"]


def test_first_person_words_count_as_a_readers_voice_only_outside_quotation_marks() -> None:
    from dedupe.sections import personal

    assert personal("I agree wholeheartedly with Mr Forsyth.")
    assert personal("You must be joking.")
    assert not personal('The minister said: "I will not resign, and my colleagues know it."')
    assert not personal("The minister said he would not resign.")


def test_own_names_counts_words_not_only_which_words_differ() -> None:
    # "home" given twice on IsHome.md and once on IsPage.md: the pages share every word,
    # yet IsPage.md's text lacks nothing of its own name, so no name fills the template in
    assert own_names([("IsHome.md", ["kind", "is", "home"]), ("IsPage.md", ["kind", "is", "page"])])
    assert not own_names([("IsHome.md", ["is", "home", "home"]), ("IsPage.md", ["is", "home"])])
    assert not own_names([("IsHome.md", ["kind", "is", "home"]), ("IsPage.md", ["kind", "was", "page"])])


def test_reordered_agrees_with_its_definition_on_random_word_lists() -> None:
    """reordered's shortcut (a shared start and end long enough answers no without
    counting the shared words) gives what the definition gives."""
    import random
    from collections import Counter

    from dedupe.group import REORDER_SHARE, reordered
    from dedupe.normalize import in_order

    def plain_reordered(a: list[str], b: list[str]) -> bool:
        common = sum((Counter(a) & Counter(b)).values())
        return bool(common) and in_order(a, b) < REORDER_SHARE * common

    rng = random.Random(7)
    vocabulary = ["the", "council", "voted", "on", "tuesday", "to", "close", "a", "library", "and", "school"]
    answers: Counter[bool] = Counter()
    for _ in range(4000):
        a = rng.choices(vocabulary, k=rng.randint(0, 12))
        b = list(a)
        for _ in range(rng.randint(0, 4)):  # edits: a word replaced, moved, added or dropped
            op = rng.randrange(4)
            if op == 0 and b:
                b[rng.randrange(len(b))] = rng.choice(vocabulary)
            elif op == 1 and b:
                b.insert(rng.randrange(len(b) + 1), b.pop(rng.randrange(len(b))))
            elif op == 2:
                b.insert(rng.randrange(len(b) + 1), rng.choice(vocabulary))
            elif b:
                b.pop(rng.randrange(len(b)))
        answers[reordered(a, b)] += 1
        assert reordered(a, b) == plain_reordered(a, b), (a, b)
    assert answers[True] > 100 and answers[False] > 100


def test_names_only_is_true_for_lines_of_names_and_figures_only() -> None:
    from dedupe.group import names_only

    assert names_only("K Holmes (Ealing, Southall and Middlesex AC), H Clitheroe (Preston Harriers)")
    assert names_only("Jones 2, Smith 10, O'Neill 3")
    assert not names_only("K Holmes of Ealing and the Middlesex club won")
    assert not names_only("the and of")  # function words only: no name
    assert not names_only("")


def test_rule_5_reads_the_same_facts_of_keys_when_it_keeps_few_of_them(monkeypatch) -> None:
    """_Facts forgets the keys it keeps past HELD_FACTS: kept or made again, the
    parallel lines and near-duplicates found are the same."""
    from dedupe import group

    tools = ["Archive files into a single bundle", "Compress files into a single bundle",
             "Extract files from a single bundle", "List files inside a single bundle"]
    texts = {f"pages/{n}.md": f"# tool{n}\n\n> {line}.\n\n- {line} quickly:\n\n`tool{n} -q`\n"
             for n, line in enumerate(tools)}
    texts["news/a.txt"] = f"Headline\n\n{BODY[0]} {BODY[1]}\n"
    texts["news/b.txt"] = f"Other headline\n\n{BODY[0].replace('Friday', 'Monday')} {BODY[2]}\n"
    kept = [(f.kind, [o.path for o in f.occurrences]) for f in dedupe.check(texts=texts).findings]
    monkeypatch.setattr(group, "HELD_FACTS", 1)
    assert [(f.kind, [o.path for o in f.occurrences]) for f in dedupe.check(texts=texts).findings] == kept
    assert kept  # the near pair of the news stories, at least
