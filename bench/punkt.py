"""dedupe's Punkt (dedupe/punkt.py) against nltk's own, over whole corpora: spans and time.

For every file of each corpus it compares, with the same parameters:
  1. the sentence spans of the whole file (``span_tokenize`` of its text);
  2. the units ``segment.segment`` makes of it (reader, line runs, list units...), once
     with nltk's ``PunktSentenceTokenizer`` in place of ours and once with ours;
and does so twice: with the parameters dedupe ships (no trained model installed) and
with parameters nltk's ``PunktTrainer`` learns from the corpus itself (abbreviations,
collocations, sentence starters, orthographic contexts: every rule of the second
pass in use). Any difference is printed and the exit status is 1. It also times
``span_tokenize`` over all the files on one core, and how long importing each takes
(a fresh interpreter).

    python bench/punkt.py                       # ../shared/corpora/bbc and tldr-pages/pages
    python bench/punkt.py PATH...
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nltk.tokenize.punkt import PunktParameters, PunktSentenceTokenizer, PunktTrainer

from dedupe import files, punkt, readers, segment

SHARED = ROOT.parent / "shared" / "corpora"
DEFAULT_CORPORA = [SHARED / "bbc", SHARED / "tldr-pages" / "pages"]


def documents(corpus: Path) -> list[tuple[str, str, str]]:
    """(path, format, text) of every file dedupe would read in the corpus."""
    out = []
    for path in files.discover([str(corpus)], ("*.txt", "*.md", "*.markdown", "*.html", "*.htm"), ()):
        src = files.read_source(path, 10 * 1024 * 1024)
        out.append((src.path, src.format, src.text))
    return out


def units(docs: list[tuple[str, str, str]], splitter: object) -> list[list[tuple]]:  # type: ignore[type-arg]
    """The units segment() makes of each document with this sentence splitter."""
    segment.tokenizer.cache_clear()
    original = segment.tokenizer
    segment.tokenizer = lambda: splitter  # type: ignore[assignment,misc,return-value]
    try:
        return [[(u.role, u.span.offset, u.span.length) for u in segment.segment(readers.get(fmt)(path, text), 0)]
                for path, fmt, text in docs]
    finally:
        segment.tokenizer = original


def compare(name: str, docs: list[tuple[str, str, str]], nltk_params: PunktParameters) -> int:
    """Differences between nltk's Punkt and ours over the documents, printed; their count."""
    reference = PunktSentenceTokenizer()
    reference._params = nltk_params
    ours = punkt.SentenceSplitter(punkt.Parameters.of(nltk_params))
    differ = 0
    spans = 0
    for path, _, text in docs:
        theirs, mine = list(reference.span_tokenize(text)), ours.span_tokenize(text)
        spans += len(theirs)
        if theirs != mine:
            differ += 1
            print(f"  {path}: whole-file spans differ", file=sys.stderr)
    unit_count = 0
    for (path, _, _), theirs, mine in zip(docs, units(docs, reference), units(docs, ours)):
        unit_count += len(theirs)
        if theirs != mine:
            differ += 1
            print(f"  {path}: units differ", file=sys.stderr)
    print(f"  {name}: {len(docs)} files, {spans} whole-file sentences and {unit_count} units: "
          f"{'identical' if not differ else f'{differ} DIFFERENCES'}")
    return differ


def one_core_seconds(make: Callable[[], object], texts: list[str]) -> float:
    """CPU seconds of span_tokenize over every text (best of three, each with a new
    splitter: nothing remembered from the round before)."""
    best = float("inf")
    for _ in range(3):
        splitter = make()
        t = time.process_time()
        for text in texts:
            list(splitter.span_tokenize(text))  # type: ignore[attr-defined]
        best = min(best, time.process_time() - t)
    return best


def import_seconds(statement: str) -> float:
    """Wall seconds a fresh interpreter takes to run an import (best of three)."""
    best = float("inf")
    for _ in range(3):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", statement], check=True, cwd=ROOT)
        best = min(best, time.perf_counter() - t)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpora", nargs="*", default=[str(c) for c in DEFAULT_CORPORA])
    args = parser.parse_args()
    import nltk

    print(f"nltk {nltk.__version__}, Python {sys.version.split()[0]}")
    differ = 0
    for corpus in map(Path, args.corpora):
        docs = documents(corpus)
        print(f"{corpus}:")
        shipped = PunktParameters()
        shipped.abbrev_types.update(segment.ABBREVIATIONS)
        differ += compare("shipped parameters", docs, shipped)
        t = time.perf_counter()
        trainer = PunktTrainer()
        trainer.train("\n\n".join(text for _, _, text in docs), finalize=True)
        learnt = trainer.get_params()
        print(f"  (trained in {time.perf_counter() - t:.1f} s: {len(learnt.abbrev_types)} abbreviations, "
              f"{len(learnt.collocations)} collocations, {len(learnt.sent_starters)} sentence starters)")
        differ += compare("parameters learnt from the corpus", docs, learnt)
        texts = [text for _, _, text in docs]
        ours = punkt.Parameters.of(shipped)
        theirs = one_core_seconds(lambda: PunktSentenceTokenizer(shipped), texts)  # noqa: B023 (called here)
        mine = one_core_seconds(lambda: punkt.SentenceSplitter(ours), texts)  # noqa: B023 (called here)
        print(f"  span_tokenize over all files, one core: nltk {theirs:.2f} s, dedupe.punkt {mine:.2f} s "
              f"({theirs / mine:.1f}x)")
    print(f"import: nltk.tokenize.punkt {import_seconds('import nltk.tokenize.punkt'):.2f} s, "
          f"dedupe.punkt {import_seconds('import dedupe.punkt'):.2f} s (wall, fresh interpreter, best of 3)")
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
