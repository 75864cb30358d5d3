"""Our Punkt gives the sentence spans of nltk's own Punkt, with the same parameters."""

from __future__ import annotations

import random
import re
import subprocess
import sys
from pathlib import Path

import pytest
import regex
from conftest import BBC, EXAMPLES, ROOT
from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer, PunktTrainer

from dedupe import punkt
from dedupe.segment import ABBREVIATIONS

# Tokens around which Punkt's rules turn: abbreviations, initials, ordinals, numbers,
# ellipses, runs of ! and ?, quotes and brackets that close a sentence, dashes, hyphened
# abbreviations, non-ASCII letters and marks, and every kind of whitespace.
VOCABULARY = [
    "The", "the", "said", "He", "she", "Mr.", "Mrs", "Dr.", "U.S.", "u.s.", "J.", "A.", "a.", "etc.", "5.",
    "1.5", "No.", "no.", "...", "..", ". . .", "?", "!", "!!!", "?!", ".", '"', "'", "(", ")", "[", "]", "{", "}",
    "--", "—", "“", "”", "‘", "’", "«", "»", ",", ";", ":", "e.g.", "i.e.", "p.m.", "St.", "hello.", "World!",
    "why?", "a.b.c", "Inc.", "co-op.", "ex-gov.", "-5.", ".5", ",5", "3.", "II.", "é.", "É", "e\u0301.", "²",
    "1,000.", "#1.", "@home.", "*", "&", "and", "On", "Friday.", "Smith", "(AP)", "[1].",
]
SEPARATORS = [" ", " ", " ", " ", "", "\n", "\n\n", "  ", "\t", "\r\n", "\x0b", "\x0c", "\x1c", "\u00a0", "\u2003"]


def stock(params: PunktParameters) -> PunktSentenceTokenizer:
    tokenizer = PunktSentenceTokenizer()
    tokenizer._params = params
    return tokenizer


def shipped() -> tuple[PunktSentenceTokenizer, punkt.SentenceSplitter]:
    params = PunktParameters()
    params.abbrev_types.update(ABBREVIATIONS)
    return stock(params), punkt.SentenceSplitter(punkt.Parameters().with_abbreviations(ABBREVIATIONS))


def trained(text: str) -> tuple[PunktSentenceTokenizer, punkt.SentenceSplitter]:
    """Punkt trained on ``text``: abbreviations, collocations, sentence starters and
    orthographic contexts all learnt, so that every rule of the second pass is used."""
    trainer = PunktTrainer()
    trainer.INCLUDE_ALL_COLLOCS = True
    trainer.train(text, finalize=True)
    params = trainer.get_params()
    return stock(params), punkt.SentenceSplitter(punkt.Parameters.of(params))


def generated(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(VOCABULARY) + rng.choice(SEPARATORS) for _ in range(rng.randint(1, 30)))
            for _ in range(count)]


def example_text() -> str:
    return "\n\n".join(p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.rglob("*")) if p.is_file()
                       and p.suffix in (".txt", ".md", ".html"))


def assert_same_spans(reference: PunktSentenceTokenizer, ours: punkt.SentenceSplitter, texts: list[str]) -> None:
    for text in texts:
        assert ours.span_tokenize(text) == list(reference.span_tokenize(text)), repr(text)


def test_spans_equal_stock_punkt_on_generated_text() -> None:
    assert_same_spans(*shipped(), generated(seed=16, count=3000))


def test_spans_equal_stock_punkt_with_learnt_parameters_on_generated_text() -> None:
    # Parameters over the vocabulary's own word types, drawn at random: every rule of the
    # second pass (collocations, sentence starters, each orthographic case) is met.
    rng = random.Random(5)
    types = sorted({t.lower().rstrip(".") or "." for t in VOCABULARY} | {"##number##"})
    params = PunktParameters()
    params.abbrev_types.update(rng.sample(types, 12))
    params.collocations.update((rng.choice(types), rng.choice(types)) for _ in range(200))
    params.sent_starters.update(rng.sample(types, 20))
    params.ortho_context.update({t: rng.randrange(128) for t in types + [t + "." for t in types]})
    for seed in range(3):
        rng = random.Random(seed)
        params.ortho_context.update({t: rng.randrange(128) for t in types})
        assert_same_spans(stock(params), punkt.SentenceSplitter(punkt.Parameters.of(params)),
                          generated(seed=17 + seed, count=1500))


def test_each_candidate_context_is_judged_as_stock_punkt_judges_it() -> None:
    # The contexts Punkt judges (a word, a sentence end, the next token), drawn from the
    # vocabulary with every kind of white space between: those read piece by piece
    # (printable, no ". .") and the rest.
    reference, ours = shipped()
    rng = random.Random(12)
    pieces = VOCABULARY + [". .", ". . .", "U.S. . .", "x.\x1cY", "a.b. C", "\n\x1c\n", "\x1f"]
    for _ in range(20000):
        context = "".join(rng.choice(pieces) + rng.choice(SEPARATORS) for _ in range(rng.randint(1, 4)))
        assert ours._contains_break(context) == reference.text_contains_sentbreak(context), repr(context)


def test_spans_equal_stock_punkt_on_the_examples() -> None:
    assert_same_spans(*shipped(), [p.read_text(encoding="utf-8") for p in sorted(EXAMPLES.rglob("*.*"))
                                   if p.suffix in (".txt", ".md", ".html")])


@pytest.mark.skipif(not BBC.is_dir(), reason=f"BBC corpus not found at {BBC} (shared/ is absent)")
def test_spans_equal_stock_punkt_on_a_bbc_sample() -> None:
    files = sorted(BBC.rglob("*.txt"))
    sample = [p.read_text(encoding="utf-8", errors="replace") for p in files[::20]]
    assert len(sample) > 100
    assert_same_spans(*shipped(), sample)
    reference, ours = trained("\n\n".join(p.read_text(encoding="utf-8", errors="replace") for p in files[1::40]))
    assert_same_spans(reference, ours, sample)


def test_abbreviation_before_a_capital_is_no_break_but_a_full_stop_is() -> None:
    _, ours = shipped()
    text = "Dr. Smith arrived. The hearing began."
    assert [text[a:b] for a, b in ours.span_tokenize(text)] == ["Dr. Smith arrived.", "The hearing began."]


def test_closing_quote_moves_onto_the_sentence_it_ends() -> None:
    _, ours = shipped()
    text = "“Never.” Then it closed."
    assert [text[a:b] for a, b in ours.span_tokenize(text)] == ["“Never.”", "Then it closed."]


def test_installed_model_is_read_through_nltk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import nltk.data

    # a model in nltk's punkt_tab layout, as nltk.download("punkt_tab") installs it
    model = tmp_path / "tokenizers" / "punkt_tab" / "english"
    model.mkdir(parents=True)
    (model / "abbrev_types.txt").write_text("approx\nu.k\n", encoding="utf-8")
    (model / "collocations.tab").write_text("##number##\tjune\n", encoding="utf-8")
    (model / "sent_starters.txt").write_text("however\n", encoding="utf-8")
    (model / "ortho_context.tab").write_text("however\t34\nsmith\t2\n", encoding="utf-8")
    monkeypatch.setenv("NLTK_DATA", str(tmp_path))
    monkeypatch.setattr(nltk.data, "path", [str(tmp_path)])
    assert punkt.installed_parameters("english") == punkt.Parameters(
        frozenset({"approx", "u.k"}), frozenset({("##number##", "june")}), frozenset({"however"}),
        {"however": 34, "smith": 2})


def test_without_an_installed_model_nltk_is_never_imported(tmp_path: Path) -> None:
    code = ("import sys; from dedupe import segment; segment.tokenizer().span_tokenize('Dr. Who. Yes.'); "
            "print('nltk' in sys.modules, segment.tokenizer().params.abbrev_types >= segment.ABBREVIATIONS)")
    env = {"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "True"]


def test_re_and_regex_white_space_differ_only_on_the_separators() -> None:
    """punkt runs its word and context patterns with ``re`` on text without the
    separators \\x1c-\\x1f, and with ``regex`` (nltk's engine) on text with them: that is
    the same only while the engines' \\s differ on those four characters alone."""
    everything = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF)
    assert set(re.findall(r"\s", everything)) ^ set(regex.findall(r"\s", everything)) == set("\x1c\x1d\x1e\x1f")
