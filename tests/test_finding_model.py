"""The finding model on real corpora: one repeated text, one finding.

Runs the defaults over the shared BBC and tldr-pages corpora (skipped, saying so, when
../shared is absent) and checks the invariants every output relies on: a unit is in at
most one sentence-level finding, and two places with the same normalised text in one
finding are never scored apart (they are one variant, with one similarity).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from conftest import SHARED

import dedupe
from dedupe import normalize

CORPORA = {"bbc": SHARED / "corpora" / "bbc", "tldr": SHARED / "corpora" / "tldr-pages" / "pages"}


@pytest.fixture(scope="module", params=sorted(CORPORA))
def result(request: pytest.FixtureRequest) -> dedupe.Result:
    folder: Path = CORPORA[request.param]
    if not folder.is_dir():
        pytest.skip(f"{folder} is absent: the shared corpora are not beside this checkout")
    return dedupe.check([str(folder)])


def sentence_level(result: dedupe.Result) -> list[dedupe.Finding]:
    """Findings of whole sentences (not articles, passages, nor phrases inside sentences)."""
    return [f for f in result.findings
            if f.kind != "document" and all(len(o.units) == 1 and o.context is None for o in f.occurrences)]


def test_no_unit_lies_in_two_sentence_level_findings(result: dedupe.Result) -> None:
    found = sentence_level(result)
    assert len(found) > 100
    places = Counter((o.doc, o.units[0]) for f in found for o in f.occurrences)
    assert [p for p, n in places.items() if n > 1] == []


def test_identical_texts_in_a_finding_are_one_variant_with_one_similarity(result: dedupe.Result) -> None:
    for f in result.findings:
        if f.kind == "document":
            continue
        by_text: dict[str, set[tuple[int, float]]] = {}
        for o in f.occurrences:
            key = normalize.key(normalize.words(" ".join(result.units[o.doc][u].text for u in o.units)))
            by_text.setdefault(key, set()).add((o.variant, o.similarity))
        assert all(len(v) == 1 for v in by_text.values()), f
        representative = f.occurrences[f.representative]
        assert representative.variant == 0
        # a phrase inside sentences (a shared run, an echo) scores its share of each sentence
        assert representative.similarity == 1.0 or representative.measure == "run"
        assert f.similarity == min(o.similarity for o in f.occurrences)


def test_a_sentence_inside_a_paragraph_that_lost_its_full_stop_is_compared() -> None:
    # sport/081.txt line 11 ends without a full stop; one of its sentences is in 082 line 7
    folder = CORPORA["bbc"] / "sport"
    if not folder.is_dir():
        pytest.skip(f"{folder} is absent: the shared corpora are not beside this checkout")
    shared = "The pair then spent four days in a hospital, claiming they had been injured in a motorcycle crash."
    a, b = (folder / "081.txt").read_text(encoding="utf-8"), (folder / "082.txt").read_text(encoding="utf-8")
    result = dedupe.check([str(folder / "081.txt"), str(folder / "082.txt")])
    at_a, at_b = a.index(shared), b.index(shared)
    [f] = [f for f in result.findings
           if any(o.path.endswith("081.txt") and o.span.offset <= at_a < o.span.offset + o.span.length
                  for o in f.occurrences)]
    [in_b] = [o for o in f.occurrences if o.path.endswith("082.txt")]
    assert in_b.span.offset <= at_b and at_b + len(shared) <= in_b.span.offset + in_b.span.length
    assert b[in_b.span.offset : in_b.span.offset + in_b.span.length] == in_b.text
