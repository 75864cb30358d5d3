"""Passages between articles: seeds extended by weak links, merged across small gaps (passages.py)."""

from __future__ import annotations

import math

import dedupe
from dedupe import passages
from dedupe.model import Checked
from dedupe.normalize import FUNCTION_WORDS, words
from dedupe.passages import MAX_GAP, WEAK_CONTAINMENT, WEAK_MIN_CONTENT, WEAK_SHARED

COPIED = [
    "The city council approved a new budget for road repairs and street lighting on Tuesday evening.",
    "Councillors argued for three hours about potholes, bus lanes and the cost of winter gritting.",
    "The finance director warned that reserves would fall below the legal minimum by next spring.",
    "Residents packed the public gallery and several of them shouted at the mayor during the vote.",
]
# the middle two with a third of their words replaced: under both thresholds of verify.py
REWORDED = [
    COPIED[0],
    "Councillors quarrelled for three days about potholes, cycle lanes and the price of winter gritting.",
    "The finance officer cautioned that reserves would drop below the legal minimum by next autumn.",
    COPIED[3],
]
OTHER = [  # sentences of neither article's story
    "A rare orchid was found growing beside the railway embankment near the old quarry last summer.",
    "Volunteers from the wildlife trust counted more than forty flowering stems along the path.",
    "The band will release its fourth album in March and tour across Europe later in the year.",
    "Tickets for the concert at the castle sold out within minutes of going on sale online.",
    "Fishermen in the harbour said mackerel had arrived earlier than usual because of warm water.",
    "A bakery in the market square has won a national award for its sourdough and rye bread.",
]
OWN_A = "Budget night at the town hall"
OWN_B = "Council diary"


def content(s: str) -> set[str]:
    return set(words(s)) - FUNCTION_WORDS


def check(a: list[str], b: list[str]) -> list[dedupe.Finding]:
    """Findings of two articles, each a headline and one paragraph of these sentences."""
    texts = {"a.txt": f"{OWN_A}\n\n{' '.join(a)}\n", "b.txt": f"{OWN_B}\n\n{' '.join(b)}\n"}
    return list(dedupe.check(texts=texts).findings)


def test_reworded_sentences_are_below_both_thresholds_but_weakly_linked() -> None:
    for old, new in zip(COPIED[1:3], REWORDED[1:3]):
        assert check([old], [new]) == []  # alone, never a finding
        shared = content(old) & content(new)
        assert len(shared) >= WEAK_SHARED and len(shared) / min(len(content(old)), len(content(new))) >= WEAK_CONTAINMENT


def test_a_copied_sentence_extends_over_reworded_neighbours_into_one_passage() -> None:
    [f] = check(COPIED[:3] + OTHER[:1], REWORDED[:3] + OTHER[2:3])
    assert f.kind == "cross" and f.measure == "passage"
    assert [o.text for o in f.occurrences] == [" ".join(COPIED[:3]), " ".join(REWORDED[:3])]
    assert f.occurrences[1].similarity < 1


def test_a_neighbour_sharing_too_few_content_words_is_not_taken_in() -> None:
    neighbour = "Councillors also heard complaints about potholes outside the new library on Main Street."
    assert len(content(neighbour) & content(COPIED[1])) < WEAK_SHARED
    found = check(COPIED[:2] + OTHER[:1], [COPIED[0], neighbour, OTHER[2]])
    assert [(f.measure, [o.text for o in f.occurrences]) for f in found] == [("shingles", [COPIED[0]] * 2)]


def test_weak_links_alone_make_no_finding() -> None:
    assert check(COPIED[1:3], REWORDED[1:3]) == []


def test_two_copied_pieces_a_small_gap_apart_are_one_passage() -> None:
    gap = MAX_GAP
    a = COPIED[:2] + OTHER[:gap] + COPIED[2:]
    b = COPIED[:2] + OTHER[3 : 3 + gap] + COPIED[2:]
    [f] = check(a, b)
    assert f.measure == "passage" and [o.text for o in f.occurrences] == [" ".join(a), " ".join(b)]


def test_two_copied_pieces_further_apart_are_two_findings() -> None:
    gap = MAX_GAP + 1
    a = COPIED[:2] + OTHER[:gap] + COPIED[2:]
    b = COPIED[:2] + OTHER[3 : 3 + gap] + COPIED[2:]
    found = check(a, b)
    assert [[o.text for o in f.occurrences] for f in found] == [[" ".join(COPIED[:2])] * 2, [" ".join(COPIED[2:])] * 2]


def test_parts_of_a_passage_given_in_another_order_are_one_finding() -> None:
    # b holds the passage whole; a gives its first, second and last sentences, then
    # (after its own text) the third and fourth: a's second place covers too little of
    # b's passage on its own, but the two places together cover all of it
    passage = COPIED + [REWORDED[2].replace("officer", "secretary")]
    first = [COPIED[0], COPIED[1], OTHER[0], passage[4]]
    second = [COPIED[2], COPIED[3]]
    texts = {"a.txt": f"{OWN_A}\n\n{' '.join(first)}\n\n{' '.join(OTHER[2:5])}\n\n{' '.join(second)}\n",
             "b.txt": f"{OWN_B}\n\n{' '.join(passage)}\n"}
    [f] = dedupe.check(texts=texts).findings
    assert f.measure == "passage"
    assert [o.text for o in f.occurrences] == [" ".join(first), " ".join(second), " ".join(passage)]


def test_a_sentence_given_as_two_at_the_other_place_is_linked_to_both() -> None:
    joined = f"{COPIED[1][:-1]}; {COPIED[2][0].lower()}{COPIED[2][1:]}"  # one sentence in b
    [f] = check(COPIED[:3] + OTHER[:1], [COPIED[0], joined, OTHER[2]])
    assert [o.text for o in f.occurrences] == [" ".join(COPIED[:3]), f"{COPIED[0]} {joined}"]


def markdown_list(lines: list[str]) -> str:
    return "".join(f"- {line}\n" for line in lines)


def weak(roles: tuple[str, str]) -> float:
    keys = [" ".join(words(COPIED[1])), " ".join(words(REWORDED[1]))]
    return passages._Similar(Checked(key=[0, 1], keys=keys, role=list(roles)))(0, 1)  # type: ignore[arg-type]


def test_list_items_cells_headings_and_team_sheets_are_not_weakly_linked_to_one_another() -> None:
    assert weak(("sentence", "sentence")) >= WEAK_CONTAINMENT
    assert weak(("item", "sentence")) == weak(("sentence", "heading")) == weak(("sentence", "sentence"))
    for roles in [("item", "item"), ("cell", "heading"), ("list", "sentence")]:
        assert weak(roles) == 0  # type: ignore[arg-type]


def test_a_list_reworded_into_a_paragraph_is_one_passage() -> None:
    texts = {"a.md": f"# {OWN_A}\n\n{markdown_list(COPIED[:3])}", "b.md": f"# {OWN_B}\n\n{' '.join(REWORDED[:3])}\n"}
    [f] = dedupe.check(texts=texts).findings
    assert f.measure == "passage" and f.occurrences[1].text == " ".join(REWORDED[:3])
    assert f.occurrences[0].units == (1, 2, 3)


MUSEUM = [
    "The museum will reopen its dinosaur gallery next month after a two-year refurbishment costing millions.",
    "Curators have rebuilt the skeleton of a giant sauropod that hung from the ceiling since the sixties.",
    "School parties will be able to book free guided tours on weekday mornings during term time.",
    "The gallery closed in 2019 when engineers found that the roof above it was no longer safe.",
]
BYPASS = [
    "Police closed the bypass for six hours after a lorry shed its load of timber near the roundabout.",
    "Drivers were diverted through the village, where queues stretched back for more than two miles.",
]


def test_places_left_out_of_the_leading_passage_make_a_passage_of_their_own() -> None:
    # l's paragraph is copied whole in p and s (it leads), and two of its sentences are in
    # q, between the sentences q copied from r: q's place is linked too little to l's to
    # be in that passage, but q and r share four sentences: one finding, not four
    c = COPIED
    texts = {
        "l.txt": f"Council budget\n\n{' '.join([c[0], c[1], BYPASS[0], c[2], c[3], BYPASS[1]])}\n",
        "p.txt": f"Budget row\n\n{OTHER[0]}\n\n{' '.join(c)}\n",
        "s.txt": f"Town hall news\n\n{OTHER[1]}\n\n{' '.join(c)}\n",
        "q.txt": f"Weekly roundup\n\n{OTHER[2]}\n\n{' '.join([BYPASS[0], MUSEUM[0], BYPASS[1], *MUSEUM[1:]])}\n",
        "r.txt": f"Museum news\n\n{OTHER[3]} {OTHER[4]}\n\n{' '.join(MUSEUM)}\n",
    }
    found = dedupe.check(texts=texts).findings
    assert [(f.measure, [o.path for o in f.occurrences]) for f in found] == [
        ("passage", ["l.txt", "p.txt", "s.txt"]), ("passage", ["q.txt", "r.txt"])]
    assert found[1].occurrences[1].text == " ".join(MUSEUM)


def test_short_lines_that_vary_one_theme_are_not_weakly_linked() -> None:
    child, parent = "Move the working commit to a child revision.", "Move the working commit to a parent revision."
    keys = [" ".join(words(child)), " ".join(words(parent))]
    assert len(content(child) & content(parent)) >= WEAK_SHARED and len(content(child)) < WEAK_MIN_CONTENT
    assert passages._Similar(Checked(key=[0, 1], keys=keys, role=["sentence", "sentence"]))(0, 1) == 0


FOOTER = "Comments are moderated and may take up to a day to appear on the site."


def with_footer(b: list[str]) -> list[dedupe.Finding]:
    """a and b end their paragraph with these sentences and the collection's footer line."""
    texts = {"a.txt": f"{OWN_A}\n\n{OTHER[0]}\n\n{' '.join(COPIED[:2])}\n{FOOTER}\n",
             "b.txt": f"{OWN_B}\n\n{OTHER[1]}\n\n{' '.join(b)}\n{FOOTER}\n",
             "c.txt": f"Weather\n\n{OTHER[2]}\n\n{FOOTER}\n", "d.txt": f"Music\n\n{OTHER[3]}\n\n{FOOTER}\n"}
    return list(dedupe.check(texts=texts).findings)


def test_a_template_line_with_two_shared_sentences_is_one_passage() -> None:
    passage, footer = with_footer(COPIED[:2])
    assert passage.measure == "passage" and [o.units for o in passage.occurrences] == [(2, 3, 4), (2, 3, 4)]
    assert footer.kind == "boilerplate"


def test_a_template_line_with_one_shared_sentence_and_a_weak_link_is_no_passage() -> None:
    # the weak link does not count as shared text next to a template line
    sentence, footer = with_footer(REWORDED[:2])
    assert sentence.measure == "shingles" and [o.text for o in sentence.occurrences] == [COPIED[0]] * 2
    assert footer.kind == "boilerplate"


def chains(roles: list[str]) -> list[list[tuple[int, int]]]:
    """passages._chains over two documents of six units each, linked at positions 0, 1, 4, 5."""
    c = Checked(pos=list(range(6)) * 2, role=roles * 2)  # type: ignore[arg-type]
    return passages._chains(c, {(0, 6), (1, 7), (4, 10), (5, 11)})


def test_a_gap_of_two_units_is_bridged_between_sentences_but_not_list_items() -> None:
    assert MAX_GAP == 2
    assert chains(["sentence"] * 6) == [[(0, 6), (1, 7), (4, 10), (5, 11)]]
    assert chains(["item"] * 6) == [[(0, 6), (1, 7)], [(4, 10), (5, 11)]]


def test_a_sentence_repeated_inside_a_copied_passage_is_still_a_repeat_there() -> None:
    again = COPIED[0].replace("Tuesday", "Wednesday")  # a near repeat of the first sentence
    copy = COPIED[:2] + [again] + COPIED[2:]
    found = check(OTHER[:3] + copy, copy + OTHER[3:6])
    assert sorted((f.kind, f.measure) for f in found) == [("cross", "passage"), ("near", "shingles")]
    [near] = [f for f in found if f.kind == "near"]
    assert [(o.path, o.text) for o in near.occurrences] == [(p, t) for p in ("a.txt", "b.txt") for t in (COPIED[0], again)]


def test_a_copied_passage_without_a_repeat_inside_is_one_finding() -> None:
    [f] = check(OTHER[:3] + COPIED, COPIED + OTHER[3:6])
    assert f.measure == "passage"


# two sentences that share a run of 13 words, and little else
RUN_A = ("Officials said the new timetable would come into force on the first Monday of next month "
         "after a long consultation.")
RUN_B = ("Union leaders speaking outside the depot complained that the new timetable would come into force "
         "on the first Monday of next month without talks.")


def test_a_shared_run_seeds_a_passage_over_reworded_neighbours() -> None:
    assert [f.measure for f in check([RUN_A], [RUN_B])] == ["run"]  # alone, a shared run only
    [f] = check(OTHER[:2] + [COPIED[1], RUN_A, COPIED[2]], [REWORDED[1], RUN_B, REWORDED[2]] + OTHER[3:5])
    assert f.measure == "passage"
    assert [o.text for o in f.occurrences] == [" ".join([COPIED[1], RUN_A, COPIED[2]]),
                                               " ".join([REWORDED[1], RUN_B, REWORDED[2]])]


def test_a_shared_run_between_unrelated_neighbours_stays_a_phrase() -> None:
    [f] = check(OTHER[:2] + [RUN_A], [RUN_B] + OTHER[3:5])
    assert f.measure == "run" and f.occurrences[0].text.startswith("the new timetable would come into force")


def test_a_near_pair_that_also_shares_a_run_counts_as_shared_text_next_to_a_template_line() -> None:
    near = COPIED[1].replace("winter gritting", "summer grass cutting")
    passage, _footer = with_footer([COPIED[0], near])
    assert passage.measure == "passage" and [o.units for o in passage.occurrences] == [(2, 3, 4), (2, 3, 4)]


def test_extension_judges_each_pair_of_units_once() -> None:
    # seeds two units apart in both articles: forwards from the first and backwards from
    # the second both reach the pair between them, which is judged (and refused) once
    c = Checked(doc=[0] * 6 + [1] * 6, pos=list(range(6)) * 2, first={0: 0, 1: 6}, count={0: 6, 1: 6})
    judged: list[tuple[int, int]] = []

    def refuse(i: int, j: int) -> float:
        judged.append((i, j))
        return 0.0

    weak: dict[tuple[int, int], float] = {}
    assert passages._extended(c, {(1, 7), (3, 9)}, refuse, weak) == {(1, 7), (3, 9)}
    assert (2, 8) in judged and len(judged) == len(set(judged)) and weak == {}
    assert all(0 <= i < 6 <= j < 12 for i, j in judged)  # never beyond either article


def test_a_passages_similarity_is_its_links_sum_exactly_rounded() -> None:
    """Six sentences of ten words, each with its last word changed: each link is 8/10
    (shingles of two words, 8 of 10 shared). The place's similarity is the sum of its
    links over its six units, summed exactly rounded (math.fsum), so that it is the same
    on every Python: a plain float sum gave 4.8 on 3.11 (0.7999999999999999 a unit) and
    compensates on 3.12."""
    names = ["harbour", "orchard", "lantern", "meadow", "granite", "willow", "copper", "thistle", "falcon",
             "pebble", "saffron", "juniper", "marble", "bramble", "cobalt", "heron", "quarry", "velvet"]
    first = [[names[(s * 3 + n) % len(names)] + "abcdef"[s] for n in range(9)] + [f"tail{s}"] for s in range(6)]
    second = [w[:-1] + [f"other{s}"] for s, w in enumerate(first)]
    findings = check([" ".join(w).capitalize() + "." for w in first],
                     [" ".join(w).capitalize() + "." for w in second])
    assert len(findings) == 1 and len(findings[0].occurrences) == 2
    assert sorted(o.similarity for o in findings[0].occurrences) == [math.fsum([8 / 10] * 6) / 6, 1.0]


def test_weak_similarity_keeps_a_bounded_number_of_sets_and_scores_alike(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """_Similar forgets its sets all at once past HELD_KEYS keys; each set is made again
    when asked for, so the scores are those of an unbounded cache."""
    sentences = COPIED + REWORDED[1:3] + OTHER
    keys = [" ".join(words(s)) for s in sentences]
    checked = Checked(key=list(range(len(keys))), keys=keys, role=["sentence"] * len(keys))
    pairs = [(i, j) for i in range(len(keys)) for j in range(len(keys)) if i != j]
    unbounded = [passages._Similar(checked)(i, j) for i, j in pairs]
    assert any(s >= WEAK_CONTAINMENT for s in unbounded)
    monkeypatch.setattr(passages, "HELD_KEYS", 2)
    similar = passages._Similar(checked)
    assert [similar(i, j) for i, j in pairs] == unbounded
    assert sum(s is not None for s in similar._words) <= 2


def test_document_pairs_are_taken_family_by_family_each_in_order() -> None:
    pairs = [(0, 5), (1, 2), (0, 9), (2, 7), (3, 4), (5, 9), (6, 8), (4, 6)]
    assert passages._by_family(pairs) == [(0, 5), (0, 9), (5, 9), (1, 2), (2, 7), (3, 4), (4, 6), (6, 8)]
    chain = [(4, 8), (2, 8), (0, 2), (1, 3)]  # 8 joins 0's family through 2 after 4 joined it
    assert passages._by_family(chain) == [(0, 2), (2, 8), (4, 8), (1, 3)]
    assert passages._by_family([]) == []
