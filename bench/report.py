"""HTML report at scale: the BBC report and one of a corpus four times its size.

For each corpus it writes the report with ``dedupe report CORPUS -o FILE --no-cache``
under GNU time (``/usr/bin/time -v``), then opens it in headless Chromium (Debian's, via
Playwright, as tests/test_browser.py does) and reads: the file size, the DOM nodes
(elements) when the load event has run, first contentful paint and the load event
(Navigation Timing, from the start of navigation), and how long opening the first
article of the list takes. Medians of ``--rounds`` page loads.

The 4x corpus is BBC itself plus three copies in which every word is replaced by a
made-up word of the same length and case, a different mapping per copy: each copy has
BBC's articles, paragraph lengths and repeats (within and across its articles), and
shares nothing with BBC or the other copies, so the report has four times BBC's
articles and findings rather than one giant near-copy cluster. It is written to a
temporary folder, never into the repository.

    python bench/report.py                  # corpus defaults to ../shared/corpora/bbc
    python bench/report.py --rounds 5
"""

from __future__ import annotations

import argparse
import hashlib
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpora" / "bbc"
GNU_TIME = "/usr/bin/time"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
COPIES = 3  # made-up copies added to the corpus: 4x in all
LETTERS = "etaoinshrdlucmfwypvbgkjqxz"
WORD = re.compile(r"[A-Za-z]+")


def timed(cmd: list[str]) -> tuple[float, int]:
    """Run a command under GNU time -v: (wall seconds, peak RSS in KiB)."""
    proc = subprocess.run([GNU_TIME, "-v", *cmd], capture_output=True, text=True, cwd=ROOT, check=False)
    if proc.returncode != 0:
        sys.exit(f"command failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stderr[-2000:]}")
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)", proc.stderr)
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr)
    assert wall and rss, proc.stderr[-2000:]
    return int(wall.group(1) or 0) * 3600 + int(wall.group(2)) * 60 + float(wall.group(3)), int(rss.group(1))


def made_up(copy: int, word: str) -> str:
    """The word's stand-in in a copy: same length and case, letters from a hash."""
    digest = hashlib.blake2b(f"{copy}:{word.lower()}".encode(), digest_size=32).digest()
    out = "".join(LETTERS[digest[i % len(digest)] % len(LETTERS)] for i in range(len(word)))
    if word.isupper() and len(word) > 1:
        return out.upper()
    return out.capitalize() if word[0].isupper() else out


def four_times(corpus: Path, into: Path) -> Path:
    """BBC plus COPIES made-up copies of it, under ``into``."""
    shutil.copytree(corpus, into / "bbc")
    for copy in range(1, COPIES + 1):
        for path in corpus.rglob("*.txt"):
            text = path.read_text(encoding="utf-8", errors="replace")
            out = into / f"copy{copy}" / path.relative_to(corpus)
            out.parent.mkdir(parents=True, exist_ok=True)
            out.write_text(WORD.sub(lambda m, c=copy: made_up(c, m.group()), text), encoding="utf-8")
    return into


def measure_page(path: Path, rounds: int) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    loads, paints, nodes, opens = [], [], [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"])
        for _ in range(rounds):
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.goto(path.as_uri(), wait_until="load")
            timing = page.evaluate("""() => { const n = performance.getEntriesByType('navigation')[0];
                const p = performance.getEntriesByName('first-contentful-paint')[0];
                return [n.loadEventEnd, p ? p.startTime : 0, document.getElementsByTagName('*').length]; }""")
            loads.append(timing[0])
            paints.append(timing[1])
            nodes.append(timing[2])
            opens.append(page.evaluate("""async () => { const t = performance.now();
                document.querySelector('.v-articles tbody th a').click();
                await new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
                return performance.now() - t; }"""))
            page.close()
        browser.close()
    return {"load": statistics.median(loads), "paint": statistics.median(paints), "nodes": max(nodes),
            "open": statistics.median(opens)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--rounds", type=int, default=3, help="page loads per report (medians)")
    args = parser.parse_args()
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT,
                            check=False).stdout
    print(f"commit {commit.strip()}, corpus {args.corpus}")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        corpora = {"BBC": args.corpus, "4x BBC": four_times(args.corpus, work / "x4")}
        print("| corpus | files | report | findings | `dedupe report` wall, peak RSS | DOM elements at load | "
              "first contentful paint | load event | opening an article |")
        print("|---|---|---|---|---|---|---|---|---|")
        for name, corpus in corpora.items():
            out = work / f"{name.replace(' ', '')}.html"
            wall, rss = timed([sys.executable, "-m", "dedupe", "report", str(corpus), "-o", str(out), "--no-cache",
                               "-q"])
            page = out.read_text(encoding="utf-8")
            findings = len(re.findall(r'<li class="ix ', page))
            files = sum(1 for _ in corpus.rglob("*.txt"))
            m = measure_page(out, args.rounds)
            print(f"| {name} | {files:,} | {out.stat().st_size / 1e6:.1f} MB | {findings:,} | {wall:.1f} s, "
                  f"{rss / 1024:.0f} MB | {m['nodes']:,} | {m['paint']:.0f} ms | {m['load']:.0f} ms | "
                  f"{m['open']:.0f} ms |")


if __name__ == "__main__":
    main()
