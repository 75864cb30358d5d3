"""Sampled precision as an editor judges it: draw, print, label, recompute.

Runs dedupe on a corpus with the defaults (through the Python API), draws a seeded
random sample of up to ``--per-kind`` findings of each kind, and

- prints every sampled finding that has no label yet (its places and text), for a
  person to judge as a copy editor would;
- reads the committed labels file (``bench/labels/NAME.tsv``: fingerprint, kind,
  label, note; one line per judged finding) and prints, per kind, how many sampled
  findings were judged useful out of those sampled.

Labels: ``U`` useful (an editor wants to see it: a repeated or restated text worth
fixing or confirming), ``N`` true but noise (a real repeat nobody would change: stock
phrasing, parallel structure), ``F`` false (not a repeat). Labels are matched to
findings by fingerprint (the kind and the normalised text), so a change that leaves a
finding as it was keeps its label, and a finding that changed is drawn unlabelled.

    python bench/precision.py ../shared/corpora/bbc                  # table, and the unlabelled ones
    python bench/precision.py ../shared/corpora/tldr-pages/pages --name tldr
    python bench/precision.py CORPUS --add-labels FILE               # merge judged lines into the labels
    python bench/precision.py ../shared/corpora/bbc --name bbc-echo --kind echo --per-kind 50
    python bench/precision.py CORPUS --draw list                     # the draw used before bottom-k
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import random
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import dedupe
from dedupe.model import KINDS, Finding

SEED = 10  # issue 10
PER_KIND = 25
LABELS = ROOT / "bench" / "labels"
JUDGEMENTS = ("U", "N", "F")
SHOWN_PLACES = 4
SHOWN_CHARS = 300


def rank(fingerprint: str, seed: int) -> str:
    """A finding's place in the seeded random order: a hash of the seed and its fingerprint."""
    return hashlib.sha256(f"{seed}:{fingerprint}".encode()).hexdigest()


def sample(findings: list[Finding], per_kind: int, seed: int, draw: str = "hash") -> dict[str, list[Finding]]:
    """Up to ``per_kind`` findings of each kind: those first in a seeded random order of
    fingerprints (bottom-k sampling, ``draw`` "hash"). Each finding's rank depends on
    itself alone, so a change that drops or adds findings moves only those in or out of
    the sample, and the findings judged before stay drawn. ``draw`` "list" is the draw
    used before: a seeded ``random.sample`` of the kind's findings sorted by fingerprint,
    which redraws the whole kind when one finding changes (kept so that labels judged
    on its draws can still be scored as they were)."""
    by_kind: dict[str, list[Finding]] = defaultdict(list)
    for f in sorted(findings, key=lambda f: f.fingerprint):
        if not f.suppressed:
            by_kind[f.kind].append(f)
    if draw == "list":
        rng = random.Random(seed)
        return {k: rng.sample(fs, min(per_kind, len(fs))) for k, fs in sorted(by_kind.items())}
    return {k: sorted(fs, key=lambda f: rank(f.fingerprint, seed))[:per_kind] for k, fs in sorted(by_kind.items())}


def read_labels(path: Path) -> dict[str, tuple[str, str, str]]:
    """fingerprint -> (kind, label, note)."""
    if not path.exists():
        return {}
    out = {}
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.reader(fh, delimiter="\t"):
            if not row or row[0].startswith("#"):
                continue
            fingerprint, kind, label, note = (row + [""] * 4)[:4]
            if label not in JUDGEMENTS:
                raise SystemExit(f"{path}: label {label!r} for {fingerprint} is not one of {JUDGEMENTS}")
            out[fingerprint] = (kind, label, note)
    return out


def write_labels(path: Path, labels: dict[str, tuple[str, str, str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = sorted(labels.items(), key=lambda kv: (kv[1][0], kv[0]))
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write("# fingerprint\tkind\tlabel (U useful, N true but noise, F false)\tnote\n")
        writer = csv.writer(fh, delimiter="\t", lineterminator="\n")
        for fp, (kind, label, note) in rows:
            writer.writerow([fp, kind, label, note])


def show(f: Finding, root: str, sources: list[str] | None = None) -> str:
    """A finding for a person to judge; a phrase (shared run, echo) in its sentence, [[marked]]."""
    lines = [(f"{f.fingerprint}\t{f.kind}\tsimilarity {f.similarity:.2f} ({f.measure}), "
             f"{len(f.occurrences)} places in {len({o.path for o in f.occurrences})} articles")]
    for n, o in enumerate(f.occurrences[:SHOWN_PLACES]):
        mark = "*" if n == f.representative else " "
        text = " ".join(o.text.split())
        if o.context is not None and sources:
            c, s = o.context, o.span
            src = sources[o.doc]
            text = " ".join(f"{src[c.offset:s.offset]}[[{o.text}]]{src[s.offset + s.length:c.offset + c.length]}".split())
        if len(text) > SHOWN_CHARS:
            text = text[: SHOWN_CHARS - 1] + "…"
        lines.append(f"  {mark} {o.path.removeprefix(root)}:{o.span.line} [{o.role} {o.similarity:.2f}] {text}")
    if len(f.occurrences) > SHOWN_PLACES:
        lines.append(f"    +{len(f.occurrences) - SHOWN_PLACES} more places")
    return "\n".join(lines)


def table(drawn: dict[str, list[Finding]], labels: dict[str, tuple[str, str, str]],
          totals: dict[str, int]) -> list[str]:
    rows = ["| kind | findings | sampled | useful | noise | false | unlabelled | precision (useful / sampled) |",
            "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for kind in KINDS:
        fs = drawn.get(kind, [])
        if not fs:
            continue
        got = [labels[f.fingerprint][1] if f.fingerprint in labels else "?" for f in fs]
        useful = got.count("U")
        rows.append(f"| {kind} | {totals[kind]} | {len(fs)} | {useful} | {got.count('N')} | {got.count('F')} | "
                    f"{got.count('?')} | {useful / len(fs):.2f} |")
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--name", help="labels file name (default: the corpus folder's name)")
    ap.add_argument("--per-kind", type=int, default=PER_KIND)
    ap.add_argument("--seed", type=int, default=SEED)
    ap.add_argument("--draw", choices=("hash", "list"), default="hash",
                    help="hash: bottom-k by a hash of seed and fingerprint (stable under changes); "
                         "list: the earlier draw over the sorted list")
    ap.add_argument("--add-labels", type=Path, help="TSV lines (fingerprint, label, note) to merge in")
    ap.add_argument("--quiet", action="store_true", help="the table only")
    ap.add_argument("--kind", action="append", choices=KINDS, help="sample only this kind (repeatable)")
    args = ap.parse_args(argv)
    name = args.name or args.corpus.resolve().name
    path = LABELS / f"{name}.tsv"
    result = dedupe.check([str(args.corpus)])
    drawn = sample([f for f in result.findings if not args.kind or f.kind in args.kind], args.per_kind, args.seed,
                   args.draw)
    labels = read_labels(path)
    if args.add_labels:
        kind_of = {f.fingerprint: f.kind for f in result.findings}
        for line in args.add_labels.read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            fingerprint, label, *note = line.split("\t")
            if fingerprint not in kind_of:
                print(f"{fingerprint}: no such finding now, label not kept", file=sys.stderr)
                continue
            if label not in JUDGEMENTS:
                raise SystemExit(f"{fingerprint}: label {label!r} is not one of {JUDGEMENTS}")
            labels[fingerprint] = (kind_of[fingerprint], label, " ".join(note))
        write_labels(path, labels)
    totals = result.counts()
    root = str(args.corpus).rstrip("/") + "/"
    if not args.quiet:
        for fs in drawn.values():
            for f in fs:
                if f.fingerprint not in labels:
                    print(show(f, root, [d.source for d in result.documents]), end="\n\n")
    print(f"{name}: {len(result.documents)} articles, seed {args.seed}, labels {path.relative_to(ROOT)}")
    print("\n".join(table(drawn, labels, totals)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
