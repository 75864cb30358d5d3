"""bench/pan.py: the PAN measures on small cases computed by hand."""

from __future__ import annotations

import importlib.util
import math
import sys
from pathlib import Path
from typing import Any

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench" / "pan.py"


def _pan() -> Any:
    spec = importlib.util.spec_from_file_location("dedupe_bench_pan", BENCH)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


pan = _pan()


def ann(susp: tuple[int, int], src: tuple[int, int], docs: tuple[str, str] = ("s1", "r1")) -> Any:
    return pan.Annotation(docs[0], susp[0], susp[1] - susp[0], docs[1], src[0], src[1] - src[0])


CASE = ann((100, 200), (0, 100))


def test_exact_detection_scores_one_on_every_measure() -> None:
    m = pan.measures([CASE], [CASE])
    assert (m.precision, m.recall, m.granularity, m.plagdet) == (1.0, 1.0, 1.0, 1.0)


def test_case_found_in_two_halves_has_granularity_two() -> None:
    halves = [ann((100, 150), (0, 50)), ann((150, 200), (50, 100))]
    m = pan.measures([CASE], halves)
    assert (m.precision, m.recall, m.granularity) == (1.0, 1.0, 2.0)
    assert m.plagdet == pytest.approx(1 / math.log2(3))  # 0.6309


def test_detection_wider_than_the_case_loses_precision_only() -> None:
    wide = ann((50, 250), (0, 100))  # 300 characters, 200 of them the case's
    m = pan.measures([CASE], [wide])
    assert m.recall == 1.0 and m.precision == pytest.approx(2 / 3)
    assert m.plagdet == pytest.approx(0.8)  # 2 * 2/3 / (5/3)


def test_detection_covering_half_of_one_side_recalls_three_quarters() -> None:
    m = pan.measures([CASE], [ann((100, 150), (0, 100))])
    assert m.recall == pytest.approx(150 / 200) and m.precision == 1.0
    assert m.plagdet == pytest.approx(2 * 0.75 / 1.75)


def test_detection_overlapping_one_side_only_detects_nothing() -> None:
    m = pan.measures([CASE], [ann((100, 200), (500, 600))])
    assert (m.precision, m.recall, m.granularity, m.plagdet) == (0.0, 0.0, 1.0, 0.0)


def test_detection_in_another_document_pair_detects_nothing() -> None:
    assert pan.recall([CASE], [ann((100, 200), (0, 100), ("s2", "r1"))]) == 0.0


def test_measures_are_macro_averaged_over_cases_and_detections() -> None:
    missed = ann((0, 10), (0, 10), ("s2", "r2"))
    stray = ann((500, 600), (500, 900), ("s1", "r1"))  # no case there
    m = pan.measures([CASE, missed], [CASE, stray])
    assert m.recall == 0.5  # (1 + 0) / 2 cases, whatever their lengths
    assert m.precision == 0.5  # (1 + 0) / 2 detections
    assert m.granularity == 1.0  # over the detected case only


def test_overlapping_detections_count_characters_once_but_both_count_for_granularity() -> None:
    m = pan.measures([CASE], [CASE, ann((120, 180), (20, 80))])
    assert (m.precision, m.recall, m.granularity) == (1.0, 1.0, 2.0)


def test_empty_sets_follow_the_reference_script() -> None:
    assert pan.measures([], []).plagdet == 1.0
    m = pan.measures([CASE], [])
    assert (m.precision, m.recall, m.granularity, m.plagdet) == (0.0, 0.0, 1.0, 0.0)
    assert pan.measures([], [CASE]).precision == 0.0
