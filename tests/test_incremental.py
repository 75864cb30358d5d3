"""Incremental runs: after edits, additions and deletions, a run through the cache
(reusing what it kept of the files that did not change) reports exactly what a run
without the cache reports, on a fixed subset of BBC with planted repeats."""

from __future__ import annotations

import os
import shutil
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from conftest import BBC

import dedupe
from dedupe import candidates, normalize, pipeline, sign
from dedupe.clusters import boilerplate_articles
from dedupe.formats import json as json_format
from dedupe.shingles import hasher, shingle

pytestmark = pytest.mark.skipif(not BBC.is_dir(), reason=f"BBC corpus not found at {BBC} (shared/ is absent)")
PER_CATEGORY = 6


def paragraphs(path: Path) -> list[str]:
    return [p.strip() for p in path.read_text(encoding="utf-8").split("\n\n") if p.strip()]


def first_sentence(paragraph: str) -> str:
    return paragraph.split(". ")[0].rstrip(".") + "."


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """The first PER_CATEGORY articles of each BBC category, with three repeats planted:
    a sentence copied into another category's article, an article's own paragraph
    printed twice, and an article's own sentence printed again with one word changed."""
    root = tmp_path / "bbc"
    for category in sorted(p for p in BBC.iterdir() if p.is_dir()):
        (root / category.name).mkdir(parents=True)
        for article in sorted(category.glob("*.txt"))[:PER_CATEGORY]:
            shutil.copy(article, root / category.name / article.name)
    append(root / "tech" / "002.txt", first_sentence(paragraphs(root / "sport" / "003.txt")[2]))
    append(root / "politics" / "004.txt", paragraphs(root / "politics" / "004.txt")[2])
    near = first_sentence(paragraphs(root / "entertainment" / "005.txt")[2]).split()
    near[len(near) // 2] = "reportedly"
    append(root / "entertainment" / "005.txt", " ".join(near))
    then = time.time() - 60  # older than pipeline.RACY_S: unchanged files are not opened again
    for article in root.rglob("*.txt"):
        os.utime(article, (then, then))
    return root


def append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as f:
        f.write("\n" + text + "\n")


def check(root: Path, cache: bool) -> dict:
    settings = replace(dedupe.Settings(), cache=cache, cache_dir=str(root.parent / "cache"))
    data = json_format.document(pipeline.check([str(root)], settings=settings))
    data.pop("warnings")
    return data


def kinds(data: dict) -> list[str]:
    return sorted({f["kind"] for f in data["findings"]})


def test_incremental_findings_equal_cold_findings_after_edits_additions_and_deletions(corpus: Path) -> None:
    cold = check(corpus, cache=False)
    assert check(corpus, cache=True) == cold  # fills the cache
    assert {"cross", "repeat", "near"} <= set(kinds(cold))

    # An edit (a sentence pasted from another article), an undone repeat, a near-copy
    # of a whole article added, an article deleted.
    append(corpus / "business" / "002.txt", first_sentence(paragraphs(corpus / "tech" / "001.txt")[1]))
    shutil.copy(BBC / "politics" / "004.txt", corpus / "politics" / "004.txt")
    copy = (corpus / "sport" / "001.txt").read_text(encoding="utf-8").replace(" the ", " a ", 2)
    (corpus / "sport" / "100.txt").write_text(copy, encoding="utf-8")
    (corpus / "entertainment" / "003.txt").unlink()
    edited = check(corpus, cache=True)
    assert edited == check(corpus, cache=False)
    assert edited != cold and "document" in kinds(edited)
    assert not any(f["kind"] == "repeat" and f["occurrences"][0]["path"].endswith("politics/004.txt")
                   for f in edited["findings"])

    # Everything back as it was: the cache gives the first run's findings again.
    (corpus / "sport" / "100.txt").unlink()
    shutil.copy(BBC / "entertainment" / "003.txt", corpus / "entertainment" / "003.txt")
    shutil.copy(BBC / "business" / "002.txt", corpus / "business" / "002.txt")
    append(corpus / "politics" / "004.txt", paragraphs(corpus / "politics" / "004.txt")[2])
    assert check(corpus, cache=True) == cold == check(corpus, cache=False)


NOTICE = ("The organisers said that tickets for the final at the national stadium will go on sale on Monday "
          "morning through the official website and at the box office, with concessions for children, "
          "students and pensioners, priced at {} pounds.")
TEMPLATE = "Follow every match of the season live on our website, our radio stations and our mobile app."


def largest_bucket(sentences: list[str]) -> int:
    """The most of these sentences that share one LSH band of the shingle signal."""
    settings = dedupe.Settings()
    sets = shingle([hasher()(normalize.words(s)) for s in sentences], settings.shingle)
    keys = candidates.band_keys(sign.signatures(sets, settings.num_perm, settings.seed),
                                candidates.hashranges(settings.threshold, settings.num_perm))
    return max(int(np.unique(keys[:, b], return_counts=True)[1].max()) for b in range(keys.shape[1]))


def notices(root: Path, numbers: range) -> None:
    for n in numbers:
        path = root / "notices" / f"{n:03}.txt"
        path.parent.mkdir(exist_ok=True)
        path.write_text(f"Ticket notice {n}\n\n{NOTICE.format(100 + n)}\n", encoding="utf-8")


def test_incremental_findings_equal_cold_findings_across_the_bucket_cap_and_the_template_share(corpus: Path) -> None:
    """An edit takes a line repeated with small variations across the number of articles
    an LSH bucket pairs in full (candidates.BUCKET_CAP), and a line across the share of
    articles that makes it a template line (clusters.boilerplate_articles), and changes
    the lowest rows of the capped buckets."""
    few, many = candidates.BUCKET_CAP - 8, candidates.BUCKET_CAP + 8
    variants = [NOTICE.format(100 + n) for n in range(many)]
    assert largest_bucket(variants[:few]) <= candidates.BUCKET_CAP < largest_bucket(variants)
    notices(corpus, range(few))
    articles = sorted(p for p in corpus.rglob("*.txt") if p.parent.name != "notices")
    least = boilerplate_articles(dedupe.Settings(), len(articles) + many)
    assert least == boilerplate_articles(dedupe.Settings(), len(articles) + few) < len(articles)
    for article in articles[: least - 1]:
        append(article, TEMPLATE)
    cold = check(corpus, cache=False)
    assert check(corpus, cache=True) == cold

    notices(corpus, range(few, many))
    (corpus / "notices" / "000.txt").write_text(f"Ticket notice\n\n{NOTICE.format('ninety')}\n", encoding="utf-8")
    append(articles[least - 1], TEMPLATE)
    edited = check(corpus, cache=True)
    assert edited == check(corpus, cache=False)
    assert edited != cold
    assert kinds_of(cold, TEMPLATE) == {"cross"} and kinds_of(edited, TEMPLATE) == {"boilerplate"}


def kinds_of(data: dict, text: str) -> set[str]:
    return {f["kind"] for f in data["findings"] if text in f["occurrences"][0]["text"]}
