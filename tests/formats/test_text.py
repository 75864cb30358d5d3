"""Text output: one line per finding, its places listed up to MAX_ALSO."""

from __future__ import annotations

import dedupe
from dedupe.formats import text

FOOTER = "Comments are moderated and may take up to 24 hours to appear on the site."
BODIES = {
    "harbour": "Fishing boats stayed in port as gales battered the coast for a third day.",
    "library": "The reading room will open late on Thursdays from the start of next month.",
    "council": "Councillors voted to freeze parking charges in the town centre until April.",
    "hospital": "A new scanner at the infirmary is expected to halve waiting times for patients.",
    "railway": "Engineers finished relaying the track between the two stations ahead of schedule.",
    "school": "Pupils raised four thousand pounds for the playground by running a sponsored mile.",
    "market": "Traders welcomed the return of the Saturday farmers' stalls to the square.",
    "museum": "An exhibition of Roman coins found by a metal detectorist opens this weekend.",
    "stadium": "Floodlights at the ground failed twice during the second half of the cup tie.",
}
SUBJECTS = list(BODIES)


def article(subject: str) -> str:
    return f"{BODIES[subject]}\n\n{FOOTER}\n"


def test_a_finding_in_many_articles_lists_the_first_places_and_counts_the_rest() -> None:
    result = dedupe.check(texts={f"news/{s}.txt": article(s) for s in SUBJECTS})
    [footer] = [f for f in result.findings if f.kind == "boilerplate"]
    assert len(footer.occurrences) == len(SUBJECTS)
    line = text.line(footer)
    shown = [text.where(o) for o in footer.occurrences]
    assert line.startswith(f'{shown[0]}: boilerplate: "Comments are moderated')
    hidden = len(SUBJECTS) - 1 - text.MAX_ALSO
    assert f"in {len(SUBJECTS)} articles: {', '.join(shown[1 : 1 + text.MAX_ALSO])}, +{hidden} more, " in line
    assert not any(place in line for place in shown[1 + text.MAX_ALSO :])


def test_a_finding_with_as_many_places_as_shown_lists_them_all() -> None:
    result = dedupe.check(texts={f"news/{s}.txt": article(s) for s in SUBJECTS[: 1 + text.MAX_ALSO]})
    [footer] = result.findings
    line = text.line(footer)
    shown = [text.where(o) for o in footer.occurrences]
    assert f"in {1 + text.MAX_ALSO} articles: {', '.join(shown[1:])}, similarity 1.00)" in line
    assert "more" not in line
