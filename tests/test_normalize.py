"""Normalisation and shingles."""

from __future__ import annotations

import numpy as np

from dedupe.normalize import key, normalize, words
from dedupe.shingles import WordHasher, sets_by_owner, shingle


def test_case_quotes_dashes_and_spacing_normalise_to_one_key() -> None:
    a = "The council’s “final” offer — rejected   by unions"
    b = 'the COUNCIL\'S "final" offer - rejected by unions'
    assert key(words(a)) == key(words(b)) == "the council's final offer rejected by unions"


def test_a_web_address_is_one_word() -> None:
    a = "More information: <https://manned.org/tar>."
    b = "More information: <https://www.gnu.org/software/gzip/manual/gzip.html>."
    assert words(a) == words(b) == ["more", "information", "url"]
    assert words("Read it at www.bbc.co.uk/news today.") == ["read", "it", "at", "url", "today"]


def test_nfkc_folds_compatibility_characters() -> None:
    assert normalize("ﬁnal ＡＢＣ") == "final abc"


def test_shingles_of_two_units_at_once_match_one_by_one() -> None:
    hasher = WordHasher()
    units = [words("Rail services across the north were cancelled on Friday"), words("Too short"), []]
    together = shingle([hasher(w) for w in units], 3)
    for i, w in enumerate(units):
        alone = shingle([hasher(w)], 3)
        assert np.array_equal(together.of(i), alone.of(0))
    assert len(together.of(0)) == 7  # 9 words -> 7 three-word shingles
    assert len(together.of(1)) == 1  # shorter than k: one shingle for all its words
    assert len(together.of(2)) == 0


def test_shingle_values_are_folded_word_hashes_mixed_with_their_length() -> None:
    """Each shingle is its words' hashes folded in turn (h * FNV prime + word, modulo
    2**64), xor its number of words, through MurmurHash3's finaliser: signatures stored
    in a cache depend on these exact values. Units of 0 to 6 words, k of 1 to 4."""
    from dedupe.shingles import _FOLD, _mix

    rng = np.random.default_rng(5)
    units = [rng.integers(0, 2**63, size=n, dtype=np.int64).astype(np.uint64) for n in (0, 1, 2, 3, 4, 6, 2, 5)]

    def expected(unit: np.ndarray, k: int) -> list[int]:
        grams = [unit[i : i + k] for i in range(len(unit) - k + 1)] if len(unit) >= k else [unit] if len(unit) else []
        out = set()
        for gram in grams:
            acc = 0
            for w in gram.tolist():
                acc = (acc * int(_FOLD) + w) % 2**64
            out.add(int(_mix(np.array([acc ^ len(gram)], dtype=np.uint64))[0]))
        return sorted(out)

    for k in (1, 2, 3, 4):
        got = shingle(units, k)
        assert [sorted(got.of(i).tolist()) for i in range(len(units))] == [expected(u, k) for u in units]


def test_shingles_do_not_cross_unit_boundaries() -> None:
    hasher = WordHasher()
    a, b = words("one two three four"), words("five six seven eight")
    joined = shingle([hasher(a + b)], 2)
    apart = shingle([hasher(a), hasher(b)], 2)
    assert len(joined.of(0)) == 7
    assert len(apart.of(0)) + len(apart.of(1)) == 6


def test_word_hashes_are_stable_across_hashers() -> None:
    assert np.array_equal(WordHasher()(["budget", "council"]), WordHasher()(["budget", "council"]))


def test_a_word_hash_is_its_blake2b_digest_the_first_time_and_every_time_after() -> None:
    """The hashes are stored in caches and archive indexes: a word hashes to the first 8
    bytes of its BLAKE2b digest (little-endian) whether it is new to the hasher or not."""
    import hashlib

    def digest(word: str) -> int:
        return int.from_bytes(hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest(), "little")

    hasher = WordHasher()
    first = hasher(["budget", "zoë", "budget"])
    again = hasher(["zoë", "council", "budget"])
    assert first.tolist() == [digest("budget"), digest("zoë"), digest("budget")]
    assert again.tolist() == [digest("zoë"), digest("council"), digest("budget")]
    assert first.dtype == np.uint64 and hasher([]).tolist() == []


def test_each_han_character_and_kana_is_a_word_and_latin_words_stay_whole() -> None:
    assert words("北京发布标准。Tokyo タワー") == ["北", "京", "发", "布", "标", "准", "tokyo", "タ", "ワ", "ー"]
    assert words("Café owners said it's fine") == ["café", "owners", "said", "it's", "fine"]


def test_shingling_in_steps_gives_the_sets_of_one_pass(monkeypatch) -> None:
    """Large inputs are shingled a step of whole units at a time (memory): the sets,
    and the content-word sets of the second signal, must not depend on the step."""
    from dedupe import compare, shingles

    rng = np.random.default_rng(5)
    units = [rng.integers(0, 40, rng.integers(0, 25)).astype(np.uint64) for _ in range(600)]
    whole = [shingle(units, 2), compare._content_words(units)]
    monkeypatch.setattr(shingles, "CHUNK_WORDS", 50)
    stepped = [shingle(units, 2), compare._content_words(units)]
    for a, b in zip(whole, stepped):
        assert np.array_equal(a.indptr, b.indptr)
        assert all(np.array_equal(np.sort(a.of(i)), np.sort(b.of(i))) for i in range(len(a)))


def test_ascii_text_splits_into_the_words_the_unicode_pattern_finds() -> None:
    """ASCII text takes a faster ASCII-only pattern, or without an apostrophe no pattern
    (split at every character that is not a word character): the same words."""
    import random
    import re
    import string

    from dedupe import normalize

    unicode_words = re.compile(r"\w+(?:'\w+)*")
    rng = random.Random(3)
    alphabet = string.ascii_letters + string.digits + "_' ''-.,;:!?\"`()\t\n" + "".join(map(chr, range(128)))
    for _ in range(4000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60)))
        assert words(text) == unicode_words.findall(normalize._folded(text))
    assert words("Don't  re-use it's O'Neill's 4_000") == ["don't", "re", "use", "it's", "o'neill's", "4_000"]


def test_words_in_order_are_the_longest_common_subsequence() -> None:
    import random

    from dedupe.normalize import in_order

    def plain(a: list[str], b: list[str]) -> int:
        prev = [0] * (len(b) + 1)
        for x in a:
            cur = [0]
            for j, y in enumerate(b):
                cur.append(prev[j] + 1 if x == y else max(prev[j + 1], cur[j]))
            prev = cur
        return prev[-1]

    rng = random.Random(7)
    for _ in range(3000):
        vocabulary = [f"w{i}" for i in range(rng.randint(1, 10))]
        a = [rng.choice(vocabulary) for _ in range(rng.randint(0, 70))]
        b = [rng.choice(vocabulary) for _ in range(rng.randint(0, 70))]
        assert in_order(a, b) == plain(a, b), (a, b)
    assert in_order(["the", "council", "voted", "on", "tuesday"], ["on", "tuesday", "the", "council", "voted"]) == 3


def test_a_units_repeated_value_is_dropped_when_other_values_share_its_top_bits() -> None:
    """sets_by_owner sorts on a unit's number and the values' top bits: two different
    values with the same top bits can leave a repeated one apart from its twin, so
    then the values are sorted exactly (small values all share their top bits)."""
    sets = sets_by_owner(np.array([0, 0, 0, 1, 1, 1, 1]), np.array([5, 7, 5, 9, 3, 9, 3], dtype=np.uint64), 2)
    assert sets.indptr.tolist() == [0, 2, 4]
    assert sorted(sets.of(0).tolist()) == [5, 7] and sorted(sets.of(1).tolist()) == [3, 9]
    big = np.array([1 << 63, 3 << 61, 1 << 63], dtype=np.uint64)  # top bits apart: the fast order holds
    assert sorted(sets_by_owner(np.zeros(3, dtype=np.int64), big, 1).of(0).tolist()) == [3 << 61, 1 << 63]


def test_words_of_many_texts_are_the_words_of_each() -> None:
    """words_of joins a document's texts to read them at once: it must give words() of
    each, whatever the texts hold (apostrophes, backticks, addresses, separators,
    non-ASCII, NUL, empty texts)."""
    from dedupe.normalize import words_of

    rng = np.random.default_rng(11)
    pieces = ["The", "council's", "BUDGET", "`rates`", "it's", "www.bbc.co.uk", "https://x.org/a?b=1", "--", "3.5%",
              "\x00", "\x1c", "\n", "\t", "O'Neil", "''", "café", "北京", "", " ", ",", "under_score", "e.g.", "..."]
    for _ in range(400):
        # (indices: a numpy array of strings would drop their trailing NULs)
        texts = [" ".join(pieces[i] for i in rng.integers(0, len(pieces), rng.integers(0, 8)))
                 for _ in range(rng.integers(0, 6))]
        if rng.random() < 0.5:  # most documents: plain ASCII
            texts = [t.replace("café", "cafe").replace("北京", "Beijing") for t in texts]
        assert words_of(texts) == [words(t) for t in texts], texts
    assert words_of([]) == [] and words_of(["One text"]) == [["one", "text"]]
