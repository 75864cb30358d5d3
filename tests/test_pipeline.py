"""The fast paths give the findings of the reference path, on fixed samples of real corpora.

The reference path is what dedupe ran before it computed these itself: nltk's own
PunktSentenceTokenizer for sentences, datasketch's MinHash permutations and MinHashLSH
band ranges for signatures and candidates. The findings must be equal, field for
field, with one process and with several.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from conftest import BBC, SHARED
from datasketch import MinHash, MinHashLSH
from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer

import dedupe
from dedupe import candidates, segment, sign
from dedupe.model import Settings

TLDR = SHARED / "corpora" / "tldr-pages" / "pages"


def stock_punkt() -> PunktSentenceTokenizer:
    params = PunktParameters()
    params.abbrev_types.update(segment.ABBREVIATIONS)
    return PunktSentenceTokenizer(params)


def datasketch_permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    a, b = MinHash(num_perm=num_perm, seed=seed, scheme=sign.SCHEME).permutations
    return a.astype(np.uint32), b.astype(np.uint32)


def datasketch_hashranges(threshold: float, num_perm: int) -> tuple[tuple[int, int], ...]:
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm, params=candidates.band_params(threshold, num_perm))
    return tuple((int(s), int(e)) for s, e in lsh.hashranges)


def sample(corpus: Path, pattern: str, step: int) -> list[str]:
    return [str(p) for p in sorted(corpus.rglob(pattern))[::step]]


@pytest.mark.parametrize(("corpus", "pattern", "step"), [(BBC, "*.txt", 10), (TLDR, "*.md", 25)])
def test_findings_equal_those_of_stock_punkt_and_datasketch(corpus: Path, pattern: str, step: int,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    if not corpus.is_dir():
        pytest.skip(f"corpus not found at {corpus} (shared/ is absent)")
    paths = sample(corpus, pattern, step)
    assert len(paths) > 200
    ours = [dedupe.check(paths, settings=Settings(jobs=jobs)) for jobs in (1, 2)]
    with monkeypatch.context() as patch:
        patch.setattr(segment, "tokenizer", stock_punkt)
        patch.setattr(sign, "permutations", datasketch_permutations)
        patch.setattr(candidates, "hashranges", datasketch_hashranges)
        reference = dedupe.check(paths, settings=Settings(jobs=1))
    assert reference.findings and reference.unit_count > 2000
    for result in ours:
        assert result.unit_count == reference.unit_count
        assert [list(u) for u in result.units] == [list(u) for u in reference.units]
        assert result.findings == reference.findings


def test_each_key_is_compared_on_the_words_of_its_first_unit() -> None:
    """compare._representative_words picks each key's words out of every article's words
    in one step, relying on keys being numbered as their first units are met: repeated
    sentences, in one article and across articles, must still give each key the words
    of its own first unit."""
    from dedupe import compare, pipeline, prepare

    settings = Settings()
    rail = "Rail services across the north were cancelled on Friday after the storm.\n\n"
    lines = "Engineers worked through the night to clear the lines near Leeds station.\n\n"
    texts = [rail + lines + rail,
             ("Ministers said a full review of the timetable would begin next month in London.\n\n" + lines
              + "Passengers were told to check before travelling on any of the affected routes.\n")]
    prepared = [prepare.prepare_text(f"{d}.txt", t, "text", (), settings, d) for d, t in enumerate(texts)]
    checked = pipeline._index_units(prepared, per_article=False)
    rep = compare._representative_words(prepared, checked)
    assert len(rep) == len(checked.keys) == 4
    for k, ids in enumerate(checked.by_key):
        i = ids[0]
        p = prepared[checked.doc[i]]
        assert p.word_counts is not None and p.word_hashes is not None
        start = int(p.word_counts[: checked.unit[i]].sum())
        assert rep.of(k).tolist() == p.word_hashes[start : start + p.word_counts[checked.unit[i]]].tolist()
    words, _ = pipeline._checked_words(prepared)  # the words the run made for the shared-run search, reused
    given = compare._representative_words(prepared, checked, words)
    assert given.indptr.tolist() == rep.indptr.tolist() and given.hashes.tolist() == rep.hashes.tolist()


def test_the_index_keeps_its_numbers_in_arrays_and_its_cache_entry_gives_it_back() -> None:
    """The exact-repeat index holds its numbers in 64-bit arrays (memory: a list holds an
    int object a number past 256), and a run entry stores them as their bytes and gives
    back an index equal to the one stored, arrays again."""
    from array import array

    from dedupe import cache, pipeline, prepare
    from dedupe.model import CHECKED_ARRAYS, RunCandidates, head, pack, unit_rows, unpack

    settings = Settings()
    rail = "Rail services across the north were cancelled on Friday after the storm.\n\n"
    texts = [rail + "Engineers worked through the night to clear the lines near Leeds station.\n",
             "Ministers said a review would begin next month.\n\n" + rail]
    prepared = [prepare.prepare_text(f"{d}.txt", t, "text", (), settings, d) for d, t in enumerate(texts)]
    checked = pipeline._index_units(prepared, per_article=False)
    assert all(isinstance(getattr(checked, f), array) for f in CHECKED_ARRAYS)
    assert list(checked.doc) == [0, 0, 1, 1] and list(checked.by_key[checked.key[0]]) == [0, 3]
    payload = cache.decode(cache.encode(pipeline._snapshot(checked, [], [], RunCandidates([], []))))
    assert payload is not None and pipeline._snapshot_ok(payload)
    again = pipeline._from_snapshot(payload)[0]
    assert again == checked and all(isinstance(getattr(again, f), array) for f in CHECKED_ARRAYS)
    assert again.span(3) == checked.span(3) == prepared[1].units[1].span
    # from a worker or the cache, the units come packed, their texts left out: the index reads no text
    packed = [unpack(p.document.path, p.document.source, head(p), pack(p)["rows"], pack(p)["words"], d)
              for d, p in enumerate(prepared)]
    assert any(r[2] is None for r in unit_rows(packed[0].units, texts=False))
    assert pipeline._index_units(packed, per_article=False) == checked


def test_the_comparison_holds_every_articles_words_once() -> None:
    """The words joined for the comparison and the shared-run search are the documents'
    words: each document's word hashes become a read-only view of the joined array,
    equal to its own, instead of a second copy held through the comparison."""
    from dedupe import pipeline, prepare

    settings = Settings()
    texts = ["Rail services across the north were cancelled on Friday after the storm.\n\nIt rained.\n",
             "Ministers said a review would begin next month.\n\nEngineers worked through the night.\n"]
    prepared = [prepare.prepare_text(f"{d}.txt", t, "text", (), settings, d) for d, t in enumerate(texts)]
    before = [p.word_hashes.tolist() for p in prepared]  # type: ignore[union-attr]
    words, counts = pipeline._words_held_once(prepared)
    assert words.tolist() == [w for ws in before for w in ws] and counts.sum() == len(words)
    for p, own in zip(prepared, before):
        assert p.word_hashes is not None and p.word_hashes.tolist() == own
        assert np.shares_memory(p.word_hashes, words) and not p.word_hashes.flags.writeable


def test_each_keys_ids_are_the_checked_ids_with_that_key_in_order() -> None:
    """KeyIds (two arrays) gives what a list of lists built id by id gave."""
    from array import array

    from dedupe.model import KeyIds

    rng = np.random.default_rng(3)
    for keys, n in ((1, 1), (5, 40), (300, 1_000), (1_000, 1_000)):
        key = array("q", rng.integers(0, keys, n).tolist())
        naive: list[list[int]] = [[] for _ in range(keys)]
        for i, k in enumerate(key):
            naive[k].append(i)
        got = KeyIds.of(key, keys)
        assert len(got) == keys and [list(ids) for ids in got] == naive
        assert list(got[-1]) == naive[-1] and [list(ids) for ids in got[1:3]] == naive[1:3]
        assert list(got[0] + got[-1]) == naive[0] + naive[-1]
        with pytest.raises(IndexError):
            got[keys]
    assert len(KeyIds.of(array("q"), 0)) == 0 and list(KeyIds()) == []


def test_a_check_does_not_import_numpy_ma() -> None:
    """np.unique of a plain array and np.isin import numpy.ma (10-20 ms a process, in the
    main process and again in the forked shared-run search): the comparison and the
    run search use sorts (shingles.distinct, a searchsorted membership) instead."""
    examples = Path(__file__).resolve().parent.parent / "examples"
    code = (f"import sys, dedupe; r = dedupe.check([{str(examples)!r}]); "
            "print(len(r.findings) > 0, 'numpy.ma' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=300)
    assert done.stdout.split() == ["True", "False"]
