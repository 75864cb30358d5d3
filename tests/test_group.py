"""Findings: kinds, grouping without chaining, passages, boilerplate, documents."""

from __future__ import annotations

import dedupe
from dedupe.normalize import WordHasher, shingle, words
from dedupe.verify import exact_jaccard

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


def test_near_duplicates_never_chain() -> None:
    # A~B and B~C hold, A~C does not: two findings, never one group of three.
    a = "The council agreed to close three small libraries in the north of the city next spring."
    b = "The council agreed to close three small libraries in the south of the city next spring."
    c = "The council agreed to close three small museums in the south of the town next spring."
    assert jaccard(a, b) >= 0.5 and jaccard(b, c) >= 0.5 and jaccard(a, c) < 0.5
    result = dedupe.check(texts={"c.txt": f"{a}\n\n{b}\n\n{c}\n"})
    assert kinds(result) == ["near", "near"]
    groups = [{o.text for o in f.occurrences} for f in result.findings]
    assert {a, c} not in groups and all(len(g) == 2 for g in groups)


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
    text = "Read more here.\n\nSome body text follows in between.\n\nRead more here.\n"
    assert dedupe.check(texts={"a.txt": text}).findings == ()
    assert kinds(dedupe.check(texts={"a.txt": text}, min_words=3)) == ["repeat"]


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
