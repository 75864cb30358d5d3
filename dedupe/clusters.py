"""Star clusters: the one way dedupe groups similar things without chaining.

Used for sentences (group.py) and for near-copy articles (compare.py, group.py): nodes
in order of weight lead when they are near no leader yet, and every other node joins
the leader it is most similar to. A and C end up together only through a leader both
are near, never through a chain A~B~C.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from dedupe.model import Settings

BOILERPLATE_FLOOR = 3  # articles a line must be in to be boilerplate in a small collection ...
BOILERPLATE_SHARE = 0.25  # ... where a quarter of the articles is enough

S = TypeVar("S")  # a similarity: anything ordered (a float, or group.py's (signal, score))


@dataclass(slots=True)
class Star:
    """A leader and the nodes that joined it, each with its similarity to the leader."""

    leader: int
    members: dict[int, object] = field(default_factory=dict)  # node -> similarity to the leader


def stars(weight: Mapping[int, tuple[int, int]], near: Mapping[int, Mapping[int, S]],
          exact: S) -> dict[int, Star]:
    """Leader grouping. ``weight`` orders the nodes (highest first; a tie goes to the
    lower node); ``near`` holds each node's similar nodes with their similarity; the
    leader is its own member with similarity ``exact``."""
    leaders: dict[int, Star] = {}
    for k in sorted(weight, key=lambda k: (-weight[k][0], -weight[k][1], k)):
        if leaders.keys().isdisjoint(near.get(k, ())):
            leaders[k] = Star(k, {k: exact})
    for k in weight:
        if k in leaders:
            continue
        close = near.get(k, {})
        best = max((n for n in close if n in leaders), key=lambda n: (close[n], -n), default=None)  # type: ignore[type-var]
        if best is not None:
            leaders[best].members[k] = close[best]
    return leaders


def boilerplate_articles(settings: Settings, articles: int) -> int:
    """How many articles make a text boilerplate: ``boilerplate_min``, or a quarter of a
    smaller collection (at least BOILERPLATE_FLOOR). A footer in four of fifteen pages is
    template; a background sentence reused in eight of 2,225 news stories is a repeat
    the editor should see, and a tldr-pages template line is in 34 pages or more."""
    return min(settings.boilerplate_min, max(BOILERPLATE_FLOOR, math.ceil(BOILERPLATE_SHARE * articles)))
