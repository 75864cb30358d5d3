"""bench/precision.py: the labelled-sample harness draws a sample that a change disturbs
only where it drops or adds findings, and scores it from the labels."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

import dedupe

BENCH = Path(__file__).resolve().parent.parent / "bench" / "precision.py"


def _precision() -> Any:
    spec = importlib.util.spec_from_file_location("dedupe_bench_precision", BENCH)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


precision = _precision()


SUBJECTS = ["council budget", "harbour bridge", "school inspection", "river flooding", "rail timetable",
            "hospital parking", "library hours", "market stalls", "bus fares", "park lighting",
            "museum funding", "road repairs"]
VERBS = ["was debated", "drew complaints", "was postponed", "divided opinion", "cost more than planned",
         "went ahead quietly", "was praised", "needs a second vote", "angered traders", "surprised officials",
         "was cancelled twice", "won an award"]


def _findings(n: int) -> list[dedupe.Finding]:
    """n cross findings, each a different sentence shared by two articles."""
    texts = {}
    for i in range(n):
        line = f"Last week the {SUBJECTS[i]} {VERBS[i]} according to {i + 3} residents who wrote to the editor."
        texts[f"a{i}.txt"] = texts[f"b{i}.txt"] = line + "\n"
    return [f for f in dedupe.check(texts=texts).findings if f.kind == "cross"]


def test_dropping_findings_keeps_the_rest_of_the_sample() -> None:
    found = _findings(12)
    assert len(found) == 12
    before = [f.fingerprint for f in precision.sample(found, 5, 10)["cross"]]
    for dropped in (f.fingerprint for f in found):
        after = [f.fingerprint for f in precision.sample([f for f in found if f.fingerprint != dropped], 5, 10)["cross"]]
        if dropped in before:  # one finding in its place, the others stay
            assert len(after) == 5 and set(before) - {dropped} <= set(after)
        else:  # a finding outside the sample changes nothing
            assert after == before
    # another seed draws another sample
    assert [f.fingerprint for f in precision.sample(found, 5, 11)["cross"]] != before


def test_table_counts_labels_of_the_sampled_findings_only() -> None:
    found = _findings(4)
    drawn = precision.sample(found, 3, 10)
    labels = {f.fingerprint: ("cross", label, "") for f, label in zip(drawn["cross"], "UN")}
    row = precision.table(drawn, labels, {"cross": 4})[2]
    assert row == "| cross | 4 | 3 | 1 | 1 | 0 | 1 | 0.33 |"


def test_the_earlier_list_draw_is_still_available_and_differs() -> None:
    found = _findings(12)
    listed = precision.sample(found, 5, 10, "list")["cross"]
    assert len(listed) == 5 and listed == precision.sample(list(reversed(found)), 5, 10, "list")["cross"]
    assert listed != precision.sample(found, 5, 10)["cross"]
