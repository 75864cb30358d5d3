"""Detection quality regression: a small, fast slice of bench/quality.py.

The harness plants edited copies of sentences, captions and paragraphs into the
invented articles of tests/quality_articles.py (two cases per edit type, inside one
article and across articles: 60 in all), runs dedupe through its API, and scores what
it found. The shared BBC corpus is not needed. A change that loses recall, reports a
pair under the threshold, or misses an exhaustive pair makes this fail; the full
measurement is ``python bench/quality.py`` (docs/tuning.md).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

import pytest
from quality_articles import ARTICLES

BENCH = Path(__file__).resolve().parent.parent / "bench" / "quality.py"
PER_TYPE = 2
SEED = 6


def _harness() -> Any:
    spec = importlib.util.spec_from_file_location("dedupe_bench_quality", BENCH)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def measured() -> Any:
    q = _harness()
    plan = q.plan(ARTICLES, per_type=PER_TYPE, seed=SEED)
    runner = q.Runner(plan.texts)
    try:
        score, _, _, _ = q.evaluate(runner, plan, {})
        # word shingles alone: no word signal, and no shared runs or echoes (a reworded
        # copy often keeps a phrase, which runs.py finds)
        words_off, _, _, _ = q.evaluate(runner, plan, {"word_threshold": 0, "min_run": 1000,
                                                       "severity": {"echo": "off"}})
    finally:
        runner.close()
    return q, plan, score, words_off


def test_every_edit_type_is_planted_in_both_scopes(measured: Any) -> None:
    q, plan, _, _ = measured
    planted = {(c.edit, c.scope) for c in plan.cases}
    assert planted == {(e, s) for e in q.EDITS for s in q.SCOPES}
    assert len(plan.cases) == len(q.EDITS) * len(q.SCOPES) * PER_TYPE


@pytest.mark.parametrize("group, least", [
    ("exact", 1.0), ("case/punct", 1.0), ("1-word", 1.0), ("2-word", 0.9), ("3-word", 0.75), ("swap", 1.0),
    ("reword", 0.6), ("caption", 1.0), ("paragraph", 1.0),
])
def test_recall_per_edit_type_meets_its_target(measured: Any, group: str, least: float) -> None:
    q, plan, score, _ = measured
    assert q.group_recall(plan, score)[group] >= least


def test_copied_paragraph_is_one_passage_finding(measured: Any) -> None:
    _, plan, score, _ = measured
    paragraphs = [n for n, c in enumerate(plan.cases) if c.edit == "paragraph"]
    assert paragraphs and all(score.found[n] for n in paragraphs)  # found = one finding covers both, nothing else


def test_nothing_below_the_thresholds_and_nothing_unplanted(measured: Any) -> None:
    _, _, score, _ = measured
    assert score.below == []
    assert score.unplanted == [] and score.unplanted_copy == 0


def test_lsh_finds_every_pair_the_exhaustive_search_finds(measured: Any) -> None:
    _, _, score, _ = measured
    assert score.lsh_total > 40
    assert score.lsh_found == score.lsh_total


def test_word_shingles_alone_still_catch_one_and_two_word_edits(measured: Any) -> None:
    q, plan, _, words_off = measured
    recall = q.group_recall(plan, words_off)
    assert recall["exact"] == recall["case/punct"] == recall["1-word"] == recall["caption"] == 1.0
    assert recall["2-word"] >= 0.9


def test_reworded_copies_are_found_by_the_word_signal(measured: Any) -> None:
    q, plan, score, words_off = measured
    assert q.group_recall(plan, words_off)["reword"] == 0.0  # word shingles alone miss them all
    assert q.group_recall(plan, score)["reword"] >= 0.6
