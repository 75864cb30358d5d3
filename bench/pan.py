"""The PAN text-alignment measures: character precision, recall, granularity, plagdet.

As defined by Potthast, Stein, Barrón-Cedeño and Rosso (2010), "An Evaluation
Framework for Plagiarism Detection" (COLING 2010), and computed as the PAN
competitions' reference script computes them. A plagiarism case ``s`` and a
detection ``r`` are each a pair of character ranges: one in a suspicious document,
one in its source. ``r`` detects ``s`` when both are about the same two documents and
their ranges overlap in both. With ``s ⊓ r`` the characters (of both documents) that
``s`` and ``r`` share when ``r`` detects ``s`` and nothing otherwise:

    recall      = 1/|S| · Σ_s |∪_r (s ⊓ r)| / |s|        (macro-averaged over cases)
    precision   = 1/|R| · Σ_r |∪_s (s ⊓ r)| / |r|        (macro-averaged over detections)
    granularity = 1/|S_R| · Σ_{s ∈ S_R} |{r : r detects s}|   (S_R: the cases detected at all)
    plagdet     = F1(precision, recall) / log2(1 + granularity)

``|s|`` counts the characters of both ranges. As in the reference script: with no
cases and no detections, precision and recall are 1; with either set empty and not
the other, both are 0; granularity is 1 when nothing is detected.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Annotation:
    """A plagiarism case or a detection: ``susp[susp_offset : susp_offset + susp_length]``
    is (or is said to be) copied from ``src[src_offset : src_offset + src_length]``."""

    susp: str
    susp_offset: int
    susp_length: int
    src: str
    src_offset: int
    src_length: int

    @property
    def susp_range(self) -> tuple[int, int]:
        return self.susp_offset, self.susp_offset + self.susp_length

    @property
    def src_range(self) -> tuple[int, int]:
        return self.src_offset, self.src_offset + self.src_length

    def __len__(self) -> int:
        return self.susp_length + self.src_length


@dataclass(frozen=True, slots=True)
class Measures:
    precision: float
    recall: float
    granularity: float
    plagdet: float
    cases: int
    detections: int


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def detects(r: Annotation, s: Annotation) -> bool:
    """True when r and s are about the same two documents and overlap in both (symmetric)."""
    return (r.susp == s.susp and r.src == s.src and _overlap(r.susp_range, s.susp_range)
            and _overlap(r.src_range, s.src_range))


def _covered(target: tuple[int, int], ranges: Iterable[tuple[int, int]]) -> int:
    """Characters of ``target`` inside the union of ``ranges``."""
    clipped = sorted((max(a, target[0]), min(b, target[1])) for a, b in ranges)
    total, end = 0, target[0]
    for a, b in clipped:
        a = max(a, end)
        if b > a:
            total += b - a
            end = b
    return total


def _by_pair(annotations: Iterable[Annotation]) -> dict[tuple[str, str], list[Annotation]]:
    out: dict[tuple[str, str], list[Annotation]] = defaultdict(list)
    for a in annotations:
        out[(a.susp, a.src)].append(a)
    return out


def _macro_recall(cases: Sequence[Annotation], detections: Sequence[Annotation]) -> float:
    """Mean over ``cases`` of the share of each one's characters that the detections
    detecting it cover; precision is the same with the roles swapped."""
    if not cases and not detections:
        return 1.0
    if not cases or not detections:
        return 0.0
    index = _by_pair(detections)
    total = 0.0
    for s in cases:
        hits = [r for r in index.get((s.susp, s.src), ()) if detects(r, s)]
        if hits and len(s):
            total += (_covered(s.susp_range, (r.susp_range for r in hits))
                      + _covered(s.src_range, (r.src_range for r in hits))) / len(s)
    return total / len(cases)


def recall(cases: Sequence[Annotation], detections: Sequence[Annotation]) -> float:
    return _macro_recall(cases, detections)


def precision(cases: Sequence[Annotation], detections: Sequence[Annotation]) -> float:
    return _macro_recall(detections, cases)


def granularity(cases: Sequence[Annotation], detections: Sequence[Annotation]) -> float:
    """Mean number of detections per detected case (1 is ideal: one detection per case)."""
    index = _by_pair(detections)
    counts = [sum(detects(r, s) for r in index.get((s.susp, s.src), ())) for s in cases]
    detected = [n for n in counts if n]
    return sum(detected) / len(detected) if detected else 1.0


def plagdet(p: float, r: float, gran: float) -> float:
    """F1 of precision and recall, discounted by granularity."""
    if p <= 0 and r <= 0:
        return 0.0
    return (2 * p * r / (p + r)) / math.log2(1 + gran)


def measures(cases: Sequence[Annotation], detections: Sequence[Annotation]) -> Measures:
    p, r, g = precision(cases, detections), recall(cases, detections), granularity(cases, detections)
    return Measures(p, r, g, plagdet(p, r, g), len(cases), len(detections))
