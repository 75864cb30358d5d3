"""Copied passages in messy text, measured the PAN way: plants built from BBC articles.

Each plant kind is a set of document pairs: a suspicious document (another BBC
article, the host, with a copied passage put into it) and the source article it was
copied from, with the copy's character ranges in both as the plagiarism case. The
kinds (PER_KIND pairs each, seeded):

- ``verbatim``: 3-8 consecutive sentences of the source, paragraph breaks joined,
  put into the host as a paragraph of its own or inside one of its paragraphs;
- ``verbatim-wrapped``: the same, and then every paragraph of the host is
  hard-wrapped at 60-80 columns (only spaces turn into line breaks);
- ``verbatim-unpunctuated``: the same inside a host paragraph, with each paragraph of
  the host cut short mid-sentence without final punctuation (as a scraper leaves it);
- ``quote``: a run of 8-20 words from inside a source sentence, put inside a
  sentence of the host, in quotation marks or not;
- ``sub10`` ... ``ins30``: a 3-8 sentence passage with 10%, 20% or 30% of its words
  substituted (a random corpus word), shuffled locally (swapped with a word at most
  three places away) or inserted (random corpus words);
- ``none``: an unrelated host and source, unchanged: every detection is a false one.

Sources and hosts come from the articles that share no more than a 0.1 Jaccard or
containment of word 5-grams with any other (bench/quality.py), each used once per kind.
Each kind is checked in its own run of dedupe through its Python API, over its
suspicious and source documents. Every finding with an occurrence in a pair's
suspicious document and one in its source is a detection of that pair of character
ranges (occurrence offset and length, exact offsets into the decoded file), whatever
its kind; bench/pan.py scores the detections against the cases.

    python bench/passages.py                 # the table in docs/tuning.md (~1-2 min)
    python bench/passages.py --per-kind 20 --set threshold=0.6
    python bench/passages.py --weak-links    # how often passage alignment's weak link holds
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import permutations
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import pan
import quality

from dedupe import normalize, passages

SEED = 12  # issue 12
PER_KIND = 50
REWORDINGS = {"sub": "substituted", "shuffle": "shuffled locally", "ins": "inserted"}
LEVELS = (10, 20, 30)
KINDS = ("verbatim", "verbatim-wrapped", "verbatim-unpunctuated", "quote",
         *(f"{op}{level}" for op in REWORDINGS for level in LEVELS), "none")
GROUPS = {
    "verbatim in wrapped and unpunctuated text": ("verbatim-wrapped", "verbatim-unpunctuated"),
    "20% reworded": ("sub20", "shuffle20", "ins20"),
    "all kinds (none included)": KINDS,
}
MIN_SENTENCES, MAX_SENTENCES = 3, 8  # a copied passage
MIN_QUOTE_WORDS, MAX_QUOTE_WORDS = 8, 20
MIN_HOST_SENTENCE_WORDS = 10  # a quote goes inside a sentence at least this long
WRAP_COLUMNS = (60, 80)
SHUFFLE_REACH = 3  # a shuffled word moves at most this many places
# Marks around the copy while the suspicious document is built: they travel with the
# copy through wrapping and are taken out at the end, leaving its exact offsets.
OPEN, CLOSE = "\x02", "\x03"

# A sentence of a (well-punctuated) BBC paragraph: up to a final mark followed by a
# capital, a digit or an opening quote, or the end of the paragraph. Independent of
# dedupe's own segmentation on purpose.
_SENTENCE = re.compile(r"\S.*?(?:[.!?][\"'\u2019\u201d)]*(?=\s+[\"'\u2018\u201c(]?[A-Z0-9])|$)")
_PARAGRAPH = re.compile(r"[^\n](?:.|\n(?!\n))*")
_TOKEN = re.compile(r"^([^\w]*)(\w+(?:['\u2019]\w+)*)([^\w]*)$")
_ALPHA = re.compile(r"^[a-z]{3,}$")


@dataclass(slots=True)
class Pair:
    """A suspicious document, its source, and the case (None for an unrelated pair)."""

    kind: str
    susp: str
    src: str
    susp_text: str
    src_text: str
    case: pan.Annotation | None


# ---------------------------------------------------------------- text helpers


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each paragraph: text between blank lines, trailing space left out."""
    return [(m.start(), m.start() + len(m.group().rstrip())) for m in _PARAGRAPH.finditer(text)]


def sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """(start, end) of each sentence of text[start:end], one paragraph."""
    return [(start + m.start(), start + m.end()) for m in _SENTENCE.finditer(text[start:end])]


def body_sentences(text: str) -> list[tuple[int, int]]:
    """The sentences of an article after its title, in order, across paragraphs."""
    return [s for a, b in paragraphs(text)[1:] for s in sentences(text, a, b)]


def flatten(text: str) -> str:
    """Paragraph and line breaks (and the spaces around them) as one space."""
    return re.sub(r"[ \t]*\n\s*", " ", text)


def hard_wrap(paragraph: str, width: int) -> str:
    """Greedy wrap at ``width`` columns that only turns the space before a word into a
    line break, so every other character keeps its offset (the copy marks do not count)."""
    out = list(paragraph)
    line = 0
    for m in re.finditer(r"\S+", paragraph):
        n = len(m.group()) - m.group().count(OPEN) - m.group().count(CLOSE)
        if line and line + 1 + n > width and paragraph[m.start() - 1] == " ":
            out[m.start() - 1] = "\n"
            line = n
        else:
            line += n + (1 if line else 0)
    return "".join(out)


def unmark(text: str) -> tuple[str, tuple[int, int]]:
    """The text without the copy marks, and the copy's (start, end) in it."""
    a = text.index(OPEN)
    b = text.index(CLOSE) - 1
    return text.replace(OPEN, "").replace(CLOSE, ""), (a, b)


# ---------------------------------------------------------------- rewording


class Reworder(quality.Editor):
    """Word-level edits of a passage: substitution, local shuffling, insertion (the
    replacement words drawn as quality.Editor draws them)."""

    def reword(self, op: str, text: str, share: float, rng: random.Random) -> str:
        tokens = text.split(" ")
        places = [i for i, t in enumerate(tokens) if _TOKEN.match(t)]
        n = max(1, round(share * len(places)))
        avoid = set(normalize.words(text))
        if op == "sub":
            for i in rng.sample(places, min(n, len(places))):
                lead, core, trail = _TOKEN.match(tokens[i]).groups()  # type: ignore[union-attr]
                new = self._word(rng, avoid)
                avoid.add(new)
                tokens[i] = lead + (new.capitalize() if core[:1].isupper() else new) + trail
        elif op == "ins":
            for gap in sorted(rng.sample(range(1, len(tokens)), min(n, len(tokens) - 1)), reverse=True):
                new = self._word(rng, avoid)
                avoid.add(new)
                tokens.insert(gap, new)
        elif op == "shuffle":
            tokens = self._shuffle(tokens, places, n, rng)
        else:
            raise ValueError(op)
        return " ".join(tokens)

    @staticmethod
    def _shuffle(tokens: list[str], places: list[int], n: int, rng: random.Random) -> list[str]:
        """Swap the words (not the punctuation around them) of pairs of tokens at most
        SHUFFLE_REACH places apart until ``n`` words have moved."""
        tokens = list(tokens)
        moved: set[int] = set()
        free = set(places)
        for _ in range(20 * n):
            if len(moved) >= n:
                break
            i = rng.choice(places)
            near = [j for j in range(i - SHUFFLE_REACH, i + SHUFFLE_REACH + 1)
                    if j != i and j in free and j not in moved]
            if i in moved or not near:
                continue
            j = rng.choice(near)
            a, b = _TOKEN.match(tokens[i]).groups(), _TOKEN.match(tokens[j]).groups()  # type: ignore[union-attr]
            if a[1].lower() == b[1].lower():
                continue
            tokens[i], tokens[j] = a[0] + b[1] + a[2], b[0] + a[1] + b[2]
            moved |= {i, j}
        return tokens


# ---------------------------------------------------------------- planting


def _passage(src: str, rng: random.Random) -> tuple[int, int] | None:
    """(start, end) of 3-8 consecutive sentences of a source article's body."""
    sents = body_sentences(src)
    if len(sents) < MIN_SENTENCES:
        return None
    k = rng.randint(MIN_SENTENCES, min(MAX_SENTENCES, len(sents)))
    i = rng.randrange(len(sents) - k + 1)
    return sents[i][0], sents[i + k - 1][1]


def _quote(src: str, rng: random.Random) -> tuple[int, int] | None:
    """(start, end) of a run of 8-20 words inside a longer sentence of the source."""
    long = [(a, b) for a, b in body_sentences(src) if len(src[a:b].split()) >= MIN_QUOTE_WORDS + 2]
    if not long:
        return None
    a, b = rng.choice(long)
    words = [(a + m.start(), a + m.end()) for m in re.finditer(r"\S+", src[a:b])]
    q = rng.randint(MIN_QUOTE_WORDS, min(MAX_QUOTE_WORDS, len(words) - 2))
    i = rng.randrange(len(words) - q + 1)
    start, end = words[i][0], words[i + q - 1][1]
    while start < end and not src[start].isalnum():
        start += 1
    while end > start and not src[end - 1].isalnum():
        end -= 1
    return start, end


def _host_paragraphs(host: str) -> list[str]:
    return [host[a:b] for a, b in paragraphs(host)]


def _cut_short(paragraph: str, rng: random.Random) -> str:
    """The paragraph with its last sentence cut mid-way, no final punctuation."""
    sents = sentences(paragraph, 0, len(paragraph))
    a, b = sents[-1]
    words = [m.end() for m in re.finditer(r"\S+", paragraph[a:b])]
    keep = rng.randint(max(1, len(words) // 2), len(words) - 1) if len(words) > 2 else len(words)
    return paragraph[: a + words[keep - 1]].rstrip(".!?\"'\u2019\u201d,;:")


def _insert(paras: list[str], copy: str, rng: random.Random, inside: bool | None = None) -> list[str]:
    """The host's paragraphs with the marked copy put in: as a paragraph of its own, or
    after a sentence inside a body paragraph (chosen at random unless ``inside`` says)."""
    paras = list(paras)
    marked = OPEN + copy + CLOSE
    if inside is None:
        inside = rng.random() < 0.5
    if not inside:
        paras.insert(rng.randint(1, len(paras)), marked)
        return paras
    k = rng.randrange(1, len(paras))
    p = paras[k]
    cuts = [0] + [b for _, b in sentences(p, 0, len(p))][:-1]
    at = rng.choice(cuts)
    before, after = p[:at].rstrip(), p[at:].lstrip()
    paras[k] = " ".join(x for x in (before, marked, after) if x)
    return paras


def _embed_quote(paras: list[str], quote: str, rng: random.Random) -> list[str] | None:
    """The host's paragraphs with the marked quote inside one of its longer sentences."""
    options = [(k, a, b) for k, p in enumerate(paras) if k
               for a, b in sentences(p, 0, len(p)) if len(p[a:b].split()) >= MIN_HOST_SENTENCE_WORDS]
    if not options:
        return None
    k, a, b = rng.choice(options)
    p = paras[k]
    starts = [a + m.start() for m in re.finditer(r"\S+", p[a:b])][2:-2]
    at = rng.choice(starts)
    marked = OPEN + quote + CLOSE
    if rng.random() < 0.5:
        marked = f"\u201c{marked}\u201d"
    paras = list(paras)
    paras[k] = p[:at] + marked + " " + p[at:]
    return paras


def build_pair(kind: str, n: int, src_name: str, src: str, host: str, rng: random.Random,
               reworder: Reworder) -> Pair | None:
    """One pair of a kind, or None when the articles do not suit it (too short)."""
    susp_name, source_name = f"susp/{n:03d}.txt", f"src/{src_name}"
    paras = _host_paragraphs(host)
    if len(paras) < 3:
        return None
    if kind == "none":
        return Pair(kind, susp_name, source_name, host, src, None)
    span = _quote(src, rng) if kind == "quote" else _passage(src, rng)
    if span is None:
        return None
    original = src[span[0] : span[1]]
    if kind == "quote":
        built = _embed_quote(paras, original, rng)
        if built is None:
            return None
        text = "\n\n".join(built) + "\n"
    elif kind == "verbatim-unpunctuated":
        cut = [paras[0]] + [_cut_short(p, rng) for p in paras[1:]]
        text = "\n\n".join(_insert(cut, flatten(original), rng, inside=True)) + "\n"
    elif kind == "verbatim-wrapped":
        width = rng.randint(*WRAP_COLUMNS)
        built = _insert(paras, flatten(original), rng)
        text = "\n\n".join([built[0]] + [hard_wrap(p, width) for p in built[1:]]) + "\n"
    elif kind == "verbatim":
        text = "\n\n".join(_insert(paras, flatten(original), rng)) + "\n"
    else:
        op, level = kind.rstrip("0123456789"), int(kind.lstrip("abcdefghijklmnopqrstuvwxyz"))
        copy = reworder.reword(op, flatten(original), level / 100, rng)
        text = "\n\n".join(_insert(paras, copy, rng)) + "\n"
    susp, (a, b) = unmark(text)
    case = pan.Annotation(susp_name, a, b - a, source_name, span[0], span[1] - span[0])
    return Pair(kind, susp_name, source_name, susp, src, case)


def plan(texts: dict[str, str], per_kind: int = PER_KIND, seed: int = SEED,
         kinds: Sequence[str] = KINDS) -> dict[str, list[Pair]]:
    """``per_kind`` pairs of each kind; within a kind no article is used twice."""
    related = quality.related_articles(texts)
    tainted = {n for p, (j, c) in related.items() if max(j, c) >= quality.RELATED_JACCARD for n in p}
    clean = [n for n in sorted(texts) if n not in tainted and "\ufffd" not in texts[n]]
    vocabulary = sorted(w for w, c in Counter(w for n in clean for w in normalize.words(texts[n])).items()
                        if c >= 3 and _ALPHA.match(w))
    reworder = Reworder(vocabulary)
    out: dict[str, list[Pair]] = {}
    for k, kind in enumerate(kinds):
        rng = random.Random(seed * 1000 + k)
        order = list(clean)
        rng.shuffle(order)
        pairs: list[Pair] = []
        while len(order) >= 2 and len(pairs) < per_kind:
            src_name, host_name = order.pop(), order.pop()
            pair = build_pair(kind, len(pairs), src_name, texts[src_name], texts[host_name], rng, reworder)
            if pair:
                pairs.append(pair)
        out[kind] = pairs
    return out


# ---------------------------------------------------------------- measuring


def detections(result: Any, names: list[str], pairs: Iterable[Pair]) -> list[pan.Annotation]:
    """Every (suspicious range, source range) a finding pairs up for a planned document
    pair: one detection per two occurrences, one in each document."""
    wanted = {(p.susp, p.src) for p in pairs}
    out: set[pan.Annotation] = set()
    for f in result.findings:
        places = [(names[o.doc], o.span.offset, o.span.length) for o in f.occurrences]
        for (da, oa, la), (db, ob, lb) in permutations(places, 2):
            if (da, db) in wanted:
                out.add(pan.Annotation(da, oa, la, db, ob, lb))
    return sorted(out, key=lambda a: (a.susp, a.susp_offset, a.src, a.src_offset, a.susp_length, a.src_length))


def run_kind(pairs: list[Pair], settings: dict[str, Any]) -> tuple[list[pan.Annotation], list[pan.Annotation],
                                                                   float]:
    """(cases, detections, seconds) of one kind's pairs, checked in one run of dedupe."""
    texts = {}
    for p in pairs:
        texts[p.susp], texts[p.src] = p.susp_text, p.src_text
    runner = quality.Runner(texts)
    try:
        result, names, seconds = runner.run(**settings)
    finally:
        runner.close()
    cases = [p.case for p in pairs if p.case is not None]
    return cases, detections(result, names, pairs), seconds


def weakly_linked(a: str, b: str) -> bool:
    """Two sentences would be weakly linked next to a seed (dedupe/passages.py): each has
    WEAK_MIN_CONTENT content words, and they share WEAK_SHARED or more and
    WEAK_CONTAINMENT of the shorter's."""
    x, y = (set(normalize.words(t)) - normalize.FUNCTION_WORDS for t in (a, b))
    shared, fewer = len(x & y), min(len(x), len(y))
    return (fewer >= passages.WEAK_MIN_CONTENT and shared >= passages.WEAK_SHARED
            and shared >= passages.WEAK_CONTAINMENT * fewer)


def weak_link_rates(texts: dict[str, str], planned: dict[str, list[Pair]], seed: int,
                    samples: int = 20_000) -> list[str]:
    """How often the weak link holds: for each reworded kind, between each sentence of a
    plant and its original (when the plant keeps the sentence count); and between two
    random sentences of two random articles of one BBC section (``samples`` pairs)."""
    out = []
    for kind, pairs in planned.items():
        if kind.rstrip("0123456789") not in REWORDINGS:
            continue
        linked = total = 0
        for p in pairs:
            c = p.case
            assert c is not None
            original = flatten(p.src_text[c.src_offset : c.src_offset + c.src_length])
            mine = sentences(p.susp_text, c.susp_offset, c.susp_offset + c.susp_length)
            theirs = sentences(original, 0, len(original))
            if len(mine) == len(theirs):
                total += len(mine)
                linked += sum(weakly_linked(p.susp_text[a:b], original[x:y]) for (a, b), (x, y) in zip(mine, theirs))
        out.append(f"{kind}: {linked}/{total} sentence pairs ({linked / max(1, total):.3f})")
    rng = random.Random(seed)
    sections: dict[str, list[str]] = {}
    for name in sorted(texts):
        sections.setdefault(name.split("/")[0], []).append(name)
    linked = total = 0
    for _ in range(samples):
        a, b = rng.sample(sections[rng.choice(sorted(sections))], 2)
        sa, sb = body_sentences(texts[a]), body_sentences(texts[b])
        if sa and sb:
            (x, y), (u, v) = rng.choice(sa), rng.choice(sb)
            total += 1
            linked += weakly_linked(texts[a][x:y], texts[b][u:v])
    out.append(f"random sentences of two articles of one section: {linked}/{total} ({linked / max(1, total):.5f})")
    return out


def row(name: str, m: pan.Measures, extra: str = "") -> str:
    return (f"| {name} | {m.cases} | {m.detections} | {m.precision:.3f} | {m.recall:.3f} | "
            f"{m.granularity:.3f} | {m.plagdet:.3f} |{extra}")


HEADER = ("| plant | cases | detections | precision | recall | granularity | plagdet | s |\n"
          "|---|---:|---:|---:|---:|---:|---:|---:|")


def main(argv: Iterable[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--corpus", type=Path, default=quality.DEFAULT_CORPUS)
    ap.add_argument("--per-kind", type=int, default=PER_KIND, help="document pairs per plant kind")
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--kind", action="append", choices=KINDS, help="only these kinds (repeatable)")
    ap.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                    help="run dedupe with these settings instead of the defaults (repeatable)")
    ap.add_argument("--weak-links", action="store_true",
                    help="only print how often passage alignment's weak link holds, on plants and on random pairs")
    args = ap.parse_args(list(argv) if argv is not None else None)
    if not args.corpus.is_dir():
        print(f"corpus not found: {args.corpus}", file=sys.stderr)
        return 2
    settings = {k: quality._value(v) for k, v in (s.split("=", 1) for s in args.set)}
    kinds = tuple(args.kind or KINDS)

    t0 = time.perf_counter()
    texts = quality.load_corpus(args.corpus)
    planned = plan(texts, args.per_kind, args.seed, kinds)
    print(f"# dedupe on planted passages ({args.corpus.name}): {args.per_kind} pairs per kind, seed {args.seed}; "
          f"planting took {time.perf_counter() - t0:.1f} s")
    if args.weak_links:
        print("\n".join(weak_link_rates(texts, planned, args.seed)))
        return 0
    print(f"settings: {quality.dataclass_settings(settings)}\n")
    print(HEADER)
    measured: dict[str, tuple[list[pan.Annotation], list[pan.Annotation]]] = {}
    for kind in kinds:
        cases, dets, seconds = run_kind(planned[kind], settings)
        measured[kind] = (cases, dets)
        print(row(kind, pan.measures(cases, dets), f" {seconds:.1f} |"), flush=True)
    print()
    print(HEADER.replace(" s |", "").replace("---:|---:|---:|---:|---:|---:|---:|", "---:|---:|---:|---:|---:|---:|"))
    for name, members in GROUPS.items():
        chosen = [k for k in members if k in measured]
        if chosen:
            cases = [c for k in chosen for c in measured[k][0]]
            dets = [d for k in chosen for d in measured[k][1]]
            print(row(name, pan.measures(cases, dets)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
