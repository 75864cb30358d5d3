"""bench/passages.py: the plants it builds, how findings become detections, and a
small end-to-end run on the invented articles of tests/quality_articles.py."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from quality_articles import ARTICLES

BENCH = Path(__file__).resolve().parent.parent / "bench"


def _load(name: str) -> Any:
    spec = importlib.util.spec_from_file_location(name, BENCH / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # passages imports pan and quality by these names; dataclasses look modules up
    spec.loader.exec_module(module)
    return module


pan = _load("pan")
quality = _load("quality")
passages = _load("passages")
PER_KIND = 3


@pytest.fixture(scope="module")
def planned() -> dict[str, list[Any]]:
    return passages.plan(ARTICLES, per_kind=PER_KIND, seed=12)


def copied(pair: Any) -> tuple[str, str]:
    c = pair.case
    return (pair.susp_text[c.susp_offset : c.susp_offset + c.susp_length],
            pair.src_text[c.src_offset : c.src_offset + c.src_length])


def test_every_kind_has_its_pairs_and_no_article_twice_in_a_kind(planned: dict[str, list[Any]]) -> None:
    assert set(planned) == set(passages.KINDS)
    for kind, pairs in planned.items():
        assert len(pairs) == PER_KIND
        sources = [p.src for p in pairs]
        assert len(set(sources)) == PER_KIND and all((p.case is None) == (kind == "none") for p in pairs)


@pytest.mark.parametrize("kind", ["verbatim", "verbatim-wrapped", "verbatim-unpunctuated", "quote"])
def test_case_ranges_hold_the_copy_word_for_word(planned: dict[str, list[Any]], kind: str) -> None:
    for pair in planned[kind]:
        susp, src = copied(pair)
        assert susp.split() == src.split()
        sentences = len(passages.body_sentences(pair.src_text[pair.case.src_offset :]))
        assert kind == "quote" or sentences >= passages.MIN_SENTENCES


def test_quote_is_inside_a_longer_sentence_on_both_sides(planned: dict[str, list[Any]]) -> None:
    for pair in planned["quote"]:
        c = pair.case
        words = len(copied(pair)[0].split())
        assert passages.MIN_QUOTE_WORDS <= words <= passages.MAX_QUOTE_WORDS
        a, b = c.susp_range
        assert pair.susp_text[a - 1] in " \u201c" and pair.susp_text[a - 2] not in "\n"  # inside a host sentence
        assert pair.susp_text[b] in " \u201d" and pair.susp_text[b + 1] not in "\n"  # the host sentence goes on
        [sentence] = [(x, y) for x, y in passages.body_sentences(pair.src_text) if x <= c.src_offset < y]
        assert sentence[0] <= c.src_offset and c.src_range[1] <= sentence[1]
        assert len(pair.src_text[sentence[0] : sentence[1]].split()) >= words + 2


def test_wrapped_plants_break_lines_only_where_spaces_were(planned: dict[str, list[Any]]) -> None:
    for pair in planned["verbatim-wrapped"]:
        body = pair.susp_text.split("\n\n", 1)[1]
        lines = [line for line in body.split("\n") if line]
        assert max(map(len, lines)) <= passages.WRAP_COLUMNS[1]
        assert sum("\n" in p for p in body.split("\n\n")) >= 2  # several paragraphs hard-wrapped
        assert "\n" in copied(pair)[0]


def test_unpunctuated_plants_cut_every_paragraph_short(planned: dict[str, list[Any]]) -> None:
    for pair in planned["verbatim-unpunctuated"]:
        body = pair.susp_text.strip().split("\n\n")[1:]
        assert body and not any(re.search(r"[.!?][\"'\u2019\u201d]*$", p) for p in body)
        c = pair.case
        assert pair.susp_text[c.susp_offset + c.susp_length] == " "  # the cut tail follows in the same paragraph


@pytest.mark.parametrize("op", ["sub", "shuffle", "ins"])
def test_reworded_plants_change_the_share_of_words_asked_for(planned: dict[str, list[Any]], op: str) -> None:
    for level in passages.LEVELS:
        for pair in planned[f"{op}{level}"]:
            susp, src = (t.split() for t in copied(pair))
            if op == "ins":
                assert len(susp) - len(src) == pytest.approx(level / 100 * len(src), abs=1)
            else:
                changed = sum(a != b for a, b in zip(susp, src))
                assert len(susp) == len(src) and changed == pytest.approx(level / 100 * len(src), abs=2)
                if op == "shuffle":
                    assert sorted(re.findall(r"\w+", " ".join(susp))) == sorted(re.findall(r"\w+", " ".join(src)))


def test_hard_wrap_keeps_every_offset() -> None:
    text = "The old stone bridge over the River Calder will close to traffic for eleven weeks."
    wrapped = passages.hard_wrap(text, 30)
    assert wrapped.replace("\n", " ") == text and max(len(x) for x in wrapped.split("\n")) <= 30


def occurrence(doc: int, offset: int, length: int) -> Any:
    return SimpleNamespace(doc=doc, span=SimpleNamespace(offset=offset, length=length))


def test_each_occurrence_pair_across_a_planned_pair_is_a_detection_in_its_orientation() -> None:
    pair = SimpleNamespace(susp="susp/000.txt", src="src/a.txt")
    names = ["src/a.txt", "susp/000.txt", "susp/001.txt"]
    finding = SimpleNamespace(occurrences=(occurrence(0, 10, 50), occurrence(1, 200, 55), occurrence(2, 7, 50),
                                           occurrence(1, 400, 50)))
    got = passages.detections(SimpleNamespace(findings=[finding]), names, [pair])
    assert got == [pan.Annotation("susp/000.txt", 200, 55, "src/a.txt", 10, 50),
                   pan.Annotation("susp/000.txt", 400, 50, "src/a.txt", 10, 50)]


def test_verbatim_copies_in_wrapped_and_unpunctuated_text_are_found_whole(planned: dict[str, list[Any]]) -> None:
    for kind in ("verbatim-wrapped", "verbatim-unpunctuated"):
        cases, dets, _ = passages.run_kind(planned[kind], {})
        m = pan.measures(cases, dets)
        assert (m.precision, m.recall, m.granularity) == (1.0, 1.0, 1.0), kind
    cases, dets, _ = passages.run_kind(planned["none"], {})
    assert cases == [] and dets == []
