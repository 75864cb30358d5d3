"""runs.py's word classes: the frozen list of common English words it reads."""

from __future__ import annotations

import wordfreq

from dedupe.wordlist import COMMON_EN


def test_the_frozen_common_words_are_still_wordfreqs_list() -> None:
    assert list(COMMON_EN) == wordfreq.top_n_list("en", len(COMMON_EN), wordlist="small")
