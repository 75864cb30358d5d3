"""The report in a real browser: headless Chromium (Debian's package) driven by
Playwright, on the examples report and on the BBC corpus report. These tests run in CI
(.ci/run installs Chromium); a missing browser fails them rather than skipping, so a
broken report cannot pass unnoticed. The BBC tests need ../shared (skipped, saying so,
without it) and share one page load.

    DEDUPE_UPDATE_SCREENSHOT=1 python -m pytest tests/test_browser.py -k screenshot

rewrites docs/report.png from the same setup.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from articles import OVERLAP
from conftest import BBC, EXAMPLES, ROOT
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

import dedupe
from dedupe.formats import html

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
VIEWPORT = {"width": 1400, "height": 900}
PHONE = {"width": 390, "height": 844}
SCREENSHOT = ROOT / "docs" / "report.png"
FIRST_PAINT_NODES = 5000  # the bound on the DOM at first paint, whatever the corpus
# alert/confirm/prompt and any script the article text might smuggle in report here
TRAP = """
window.__calls = [];
for (const name of ["alert", "confirm", "prompt"]) {
  window[name] = (...args) => { window.__calls.push([name, ...args.map(String)]); };
}
"""
needs_bbc = pytest.mark.skipif(not BBC.is_dir(), reason=f"BBC corpus not found at {BBC} (shared/ is absent)")


@pytest.fixture(scope="module")
def result() -> dedupe.Result:
    return dedupe.check(str(EXAMPLES))


@pytest.fixture(scope="module")
def report_url(tmp_path_factory: pytest.TempPathFactory, result: dedupe.Result) -> str:
    path = tmp_path_factory.mktemp("report") / "examples-report.html"
    path.write_text(html.render(result, inputs=["examples/"]), encoding="utf-8")
    return path.as_uri()


@pytest.fixture(scope="module")
def bbc_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    if not BBC.is_dir():
        pytest.skip(f"BBC corpus not found at {BBC} (shared/ is absent)")
    path = tmp_path_factory.mktemp("bbc") / "bbc-report.html"
    path.write_text(html.render(dedupe.check(str(BBC)), inputs=["bbc/"]), encoding="utf-8")
    return path.as_uri()


@pytest.fixture(scope="module")
def overlap_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("overlap") / "overlap.html"
    path.write_text(html.render(dedupe.check(texts=OVERLAP)), encoding="utf-8")
    return path.as_uri()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert os.path.exists(CHROMIUM), (
        f"Chromium not found at {CHROMIUM}: apt-get install -y chromium (the browser tests are not optional)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@dataclass
class Visit:
    page: Page
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def js(self, expression: str, arg: Any = None) -> Any:
        return self.page.evaluate(expression, arg)

    def go(self, target: str) -> None:
        """Follow an in-page link the way a reader's click does (a hash change)."""
        self.js("h => { location.hash = h; }", target)
        self.page.wait_for_function("h => location.hash === '#' + h", arg=target)
        self.page.wait_for_timeout(30)


def new_context(browser: Browser, **options: Any) -> BrowserContext:
    options.setdefault("viewport", VIEWPORT)
    ctx = browser.new_context(**options)
    ctx.add_init_script(TRAP)
    return ctx


def open_report(ctx: BrowserContext, url: str) -> Visit:
    page = ctx.new_page()
    visit = Visit(page)
    page.on("request", lambda r: visit.requests.append(r.url))
    page.on("console", lambda m: visit.errors.append(f"console {m.type}: {m.text}") if m.type in ("error", "warning")
            else None)
    page.on("pageerror", lambda e: visit.errors.append(f"page error: {e}"))
    page.goto(url)
    return visit


@pytest.fixture(scope="module")
def context(browser: Browser) -> Iterator[BrowserContext]:
    ctx = new_context(browser)
    yield ctx
    ctx.close()


@pytest.fixture
def visit(context: BrowserContext, report_url: str) -> Iterator[Visit]:
    v = open_report(context, report_url)
    if v.js("() => localStorage.length"):  # marks left by another test
        v.js("() => localStorage.clear()")
        v.page.reload()
    yield v
    v.page.close()


@pytest.fixture(scope="module")
def bbc(browser: Browser, bbc_url: str) -> Iterator[Visit]:
    """One load of the BBC report, shared by the BBC tests (each leaves it where it likes)."""
    ctx = new_context(browser)
    v = open_report(ctx, bbc_url)
    yield v
    ctx.close()


def finding_number(visit: Visit, kind: str, start: str) -> int:
    """The number of the finding of a kind whose text starts with ``start``."""
    found = visit.js("""([kind, start]) => JSON.parse(document.getElementById('report-data').textContent).findings
        .filter(f => f.k === kind && f.t.startsWith(start)).map(f => f.n)""", [kind, start])
    assert len(found) == 1, (kind, start, found)
    return int(found[0])


def places(visit: Visit, n: int) -> list[str]:
    """'path:line' of each place of finding ``n``."""
    return list(visit.js("n => JSON.parse(document.getElementById('report-data').textContent).findings[n - 1]"
                         ".o.map(o => o[4] + ':' + o[1])", n))


IN_VIEWPORT = """id => { const r = document.getElementById(id).getBoundingClientRect();
    const top = document.querySelector('.top').getBoundingClientRect().bottom;
    return r.height > 0 && r.width > 0 && r.top >= top && r.bottom <= innerHeight; }"""


def in_viewport(visit: Visit, element_id: str) -> bool:
    """The element has a box, inside the window and below the sticky header."""
    return bool(visit.js(IN_VIEWPORT, element_id))


def highlight_text(visit: Visit, element_id: str) -> str:
    """A highlight's text without its label."""
    return str(visit.js("""id => { const c = document.getElementById(id).cloneNode(true);
        c.querySelectorAll('.lbl').forEach(l => l.remove()); return c.textContent; }""", element_id))


def axe_violations(visit: Visit) -> list[str]:
    """WCAG 2 A and AA violations axe-core finds in the page as it is now (run offline:
    the script comes from the axe-playwright-python package)."""
    if not visit.js("() => typeof window.axe !== 'undefined'"):
        visit.js(resources.files("axe_playwright_python").joinpath("axe.min.js").read_text(encoding="utf-8"))
    found = visit.page.evaluate("""() => axe.run(document, {runOnly: {type: 'tag',
        values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}, resultTypes: ['violations']})
        .then(r => r.violations.map(v => v.id + ': ' + v.nodes.length + ' nodes, e.g. ' +
                                    v.nodes[0].target.join(' ') + ' ' + v.nodes[0].failureSummary))""")
    return list(found)


# ---------------------------------------------------------------- 1. article-first

def test_landing_lists_the_articles_most_repeated_first(visit: Visit, result: dedupe.Result) -> None:
    rows = visit.js("""() => [...document.querySelectorAll('.v-articles tbody tr')].map(tr =>
        [tr.querySelector('th').textContent, parseInt(tr.querySelector('.pct').textContent)])""")
    with_findings = {o.path.removeprefix(f"{EXAMPLES}/") for f in result.findings for o in f.occurrences}
    assert {path for path, _ in rows} == with_findings
    shares = [share for _, share in rows]
    assert shares == sorted(shares, reverse=True)
    assert rows[0] == ["news/flood-warning-update.txt", 86]  # a near-copy, at its similarity
    assert visit.js("() => document.querySelector('.v-articles th[aria-sort]').textContent") == "Repeated"
    assert visit.js("() => document.querySelectorAll('.article-text').length") == 0  # no article rendered yet


def test_articles_sort_by_any_column(visit: Visit) -> None:
    visit.page.click("button[data-sort=path]")
    paths = visit.js("() => [...document.querySelectorAll('.v-articles tbody th')].map(th => th.textContent)")
    assert paths == sorted(paths)
    assert visit.js("() => document.activeElement.getAttribute('data-sort')") == "path"
    visit.page.click("button[data-sort=path]")
    assert visit.js("() => [...document.querySelectorAll('.v-articles tbody th')].map(th => th.textContent)") == \
        sorted(paths, reverse=True)
    visit.page.click("button[data-sort=worst]")
    worst = visit.js("() => [...document.querySelectorAll('.v-articles tbody tr td:last-child')].map(t => t.textContent)")
    rank = {"error": 0, "warning": 1, "info": 2}
    assert [rank[w] for w in worst] == sorted(rank[w] for w in worst)


def test_path_box_filters_the_articles_themselves(visit: Visit) -> None:
    visit.page.fill("#path-filter", "docs/")
    paths = visit.js("() => [...document.querySelectorAll('.v-articles tbody th')].map(th => th.textContent)")
    assert paths and all(p.startswith("docs/") for p in paths)
    assert len(paths) == 5
    assert visit.js("() => document.activeElement.id") == "path-filter"  # typing goes on
    visit.page.fill("#path-filter", "no-such-article")
    assert visit.page.locator(".v-articles .empty").inner_text() == "No article matches the filters."


def test_one_click_opens_the_article_with_every_highlight_and_its_first_line_in_view(visit: Visit) -> None:
    visit.page.click("text=news/rail-strike.txt")
    assert visit.js("() => location.hash").startswith("#a")
    assert visit.js("() => document.getElementById('art-h').textContent") == "news/rail-strike.txt"
    first = visit.js("() => { const r = document.querySelector('.article-text p').getBoundingClientRect();"
                     " return [r.top, r.bottom, innerHeight]; }")
    assert 0 < first[0] and first[1] <= first[2]
    ids = visit.js("() => [...document.querySelectorAll('.article-text .hl[id]')].map(e => e.id)")
    assert len(ids) == 5  # the caption twice, the reworded sentence twice, the footer
    presses = 0
    while not visit.js("() => document.activeElement.matches('.lbl')") and presses < 30:
        visit.page.keyboard.press("Tab")
        presses += 1
    assert presses <= 8  # the first highlight is a few Tab presses from the article's heading
    caption = finding_number(visit, "caption", "Commuters queue outside Leeds station")
    assert highlight_text(visit, f"f{caption}-0") == highlight_text(visit, f"f{caption}-1") == \
        "Commuters queue outside Leeds station on Monday morning (Photo: Jane Doe/Northern Daily)"


def test_findings_index_has_one_entry_per_repeated_text(visit: Visit, result: dedupe.Result) -> None:
    visit.page.click(".sections a[data-view=findings]")
    entries = visit.js("() => [...document.querySelectorAll('.v-findings li.ix')].map(li => li.id)")
    assert len(entries) == len(result.findings) == 11
    boilerplate = finding_number(visit, "boilerplate", "Comments are moderated")
    footer = next(f for f in result.findings if f.kind == "boilerplate" and "Comments are moderated" in f.occurrences[0].text)
    assert len(places(visit, boilerplate)) == len(footer.occurrences) == 7  # one entry, every article with the footer
    assert visit.js("n => document.querySelectorAll(`#f${n} .occs a`).length", boilerplate) == 7


@needs_bbc
def test_bbc_first_article_text_is_in_the_first_viewport_after_one_click(bbc: Visit) -> None:
    bbc.go("articles")
    bbc.page.click(".v-articles tbody tr:first-child th a")
    bbc.page.wait_for_selector(".article-text")
    r = bbc.js("() => { const r = document.querySelector('.article-text p').getBoundingClientRect();"
               " return [r.top, r.bottom, innerHeight]; }")
    assert 0 < r[0] and r[1] <= r[2]


# ---------------------------------------------------------------- 2. every occurrence visible

@needs_bbc
def test_bbc_every_link_target_is_a_visible_focused_highlight_below_the_header(bbc: Visit) -> None:
    """Every place of every finding, reached by its link: a highlight with a box of its
    own, focused, inside the window below the sticky header (near-copy articles open
    side by side instead, checked for a few)."""
    report = bbc.page.evaluate("""async () => {
      const data = JSON.parse(document.getElementById('report-data').textContent);
      const bad = [], seen = {count: 0, nested: 0, labels: 0};
      const top = () => document.querySelector('.top').getBoundingClientRect().bottom;
      for (const f of data.findings) {
        for (let i = 0; i < f.o.length; i++) {
          if (f.o[i][0] < 0) continue;
          const id = f.k === 'document' ? null : `f${f.n}-${i}`;
          if (!id) continue;
          location.hash = id;
          await new Promise(r => setTimeout(r, 0));
          const el = document.getElementById(id);
          if (!el) { bad.push(id + ' missing'); continue; }
          const r = el.getBoundingClientRect();
          if (!(r.width > 0 && r.height > 0)) bad.push(id + ' has no box');
          else if (r.top < top() || r.bottom > innerHeight) bad.push(id + ' out of view ' + r.top);
          if (document.activeElement !== el) bad.push(id + ' not focused');
          if (el.parentElement.closest('.hl')) seen.nested++;
          const label = el.querySelector(':scope > .lbl');
          if (label && document.getElementById(label.getAttribute('href').slice(1))) seen.labels++;
          seen.count++;
        }
      }
      return {bad, seen};
    }""")
    assert report["bad"] == []
    seen = report["seen"]
    assert seen["count"] > 1000  # every place of the ~470 sentence and passage findings
    assert seen["nested"] > 0  # some sit inside another highlight, and are still there
    assert seen["labels"] > 0


def test_overlapping_occurrences_are_nested_not_empty(browser: Browser, overlap_url: str) -> None:
    """A sentence alone in a third article and inside a passage copied whole: both
    highlights show where they overlap, each with text of its own, each reachable."""
    v = open_report(new_context(browser), overlap_url)
    try:
        targets = v.js("""() => JSON.parse(document.getElementById('report-data').textContent).findings
            .flatMap(f => f.o.map((o, i) => `f${f.n}-${i}`))""")
        assert len(targets) == 5  # the passage twice, the sentence three times
        nested = 0
        for target in targets:
            v.go(target)
            assert in_viewport(v, target), target
            assert v.js("() => document.activeElement.id") == target
            assert highlight_text(v, target).strip()
            nested += v.js("id => document.getElementById(id).parentElement.closest('.hl') ? 1 : 0", target)
        assert nested == 2  # the sentence inside the passage, in both articles
        assert v.errors == []
    finally:
        v.page.context.close()


def click_text(visit: Visit, element_id: str) -> None:
    """Click a highlight's own text (its last line), not its label: that opens its card."""
    x, y = visit.js("""id => { const span = document.getElementById(id);
        const own = [...span.childNodes].find(n => n.nodeType === 3 && n.data.trim());
        const range = document.createRange(); range.selectNodeContents(own);
        const r = range.getClientRects()[0]; return [r.left + Math.min(r.width / 2, 40), r.top + r.height / 2]; }""",
                    element_id)
    visit.page.mouse.click(x, y)


def test_activating_a_label_goes_to_the_next_place_and_back(visit: Visit) -> None:
    caption = finding_number(visit, "caption", "Commuters queue outside Leeds station")
    visit.go(f"f{caption}-0")
    visit.page.click(f"#f{caption}-0 > .lbl")
    visit.page.wait_for_function("id => document.activeElement && document.activeElement.id === id",
                                 arg=f"f{caption}-1")
    assert in_viewport(visit, f"f{caption}-1")
    visit.page.click(f"#f{caption}-1 > .lbl")
    visit.page.wait_for_function("id => document.activeElement.id === id", arg=f"f{caption}-0")
    assert in_viewport(visit, f"f{caption}-0")


def test_a_chip_and_an_index_entry_land_on_a_focused_highlight(visit: Visit) -> None:
    cross = finding_number(visit, "cross", "The budget also protects funding")
    visit.go("findings")
    visit.page.click(f"#f{cross} .occs li:nth-child(2) a")
    visit.page.wait_for_function("id => document.activeElement.id === id", arg=f"f{cross}-1")
    assert visit.js("() => document.getElementById('art-h').textContent") == "news/school-meals.txt"
    assert in_viewport(visit, f"f{cross}-1")
    visit.js("() => scrollTo(0, 0)")
    visit.page.click("details.art-meta summary")
    visit.page.click(f".art-findings a:has-text('#{cross} ')")
    visit.page.wait_for_function("id => document.activeElement.id === id", arg=f"f{cross}-1")
    assert in_viewport(visit, f"f{cross}-1")


def test_focus_shows_the_card_with_similarity_and_the_other_places(visit: Visit) -> None:
    near = finding_number(visit, "near", "The union said the walkout")
    visit.go(f"f{near}-1")
    card = visit.page.locator("#card")
    assert card.is_visible()
    data = visit.js("n => JSON.parse(document.getElementById('report-data').textContent).findings[n - 1]", near)
    assert f"similarity {data['o'][1][2]:.2f}" in card.inner_text()
    assert visit.js("() => document.querySelector('#card li.this a').textContent") == "news/rail-strike.txt:26"
    assert "walkout" in visit.js("() => document.querySelector('#card .diff del').textContent")
    assert visit.js("id => document.getElementById(id).getAttribute('aria-describedby')", f"f{near}-1") == "card"
    visit.page.keyboard.press("Escape")
    assert not card.is_visible()
    assert visit.js("() => document.activeElement.id") == f"f{near}-1"


# ---------------------------------------------------------------- 3. side by side

def test_side_by_side_from_a_highlight_boxes_the_differing_words(visit: Visit) -> None:
    near = finding_number(visit, "near", "The union said the walkout")
    visit.go(f"f{near}-0")
    click_text(visit, f"f{near}-0")
    assert visit.js("() => document.getElementById('card').classList.contains('pinned')")
    visit.page.click("#card .sbs-link")
    visit.page.wait_for_selector(".v-compare .panes")
    left = visit.js("() => [...document.querySelectorAll('.pane-left .dw')].map(e => e.textContent)")
    right = visit.js("() => [...document.querySelectorAll('.pane-right .dw')].map(e => e.textContent)")
    assert (left, right) == (["walkout", "services"], ["strike", "trains"])
    for side in ("left", "right"):  # each pane scrolled to its place
        assert visit.js("""side => { const pane = document.querySelector('.pane-' + side).getBoundingClientRect();
            const here = document.querySelector('.pane-' + side + ' .here').getBoundingClientRect();
            return here.top >= pane.top && here.bottom <= pane.bottom && here.height > 0; }""", side)
    visit.page.keyboard.press("Escape")
    visit.page.wait_for_selector(".v-article")


def test_side_by_side_of_a_passage_aligns_it_paragraph_by_paragraph(browser: Browser, overlap_url: str) -> None:
    v = open_report(new_context(browser), overlap_url)
    try:
        passage = v.js("""() => JSON.parse(document.getElementById('report-data').textContent).findings
            .find(f => f.o.length === 2).n""")
        v.go(f"f{passage}-0")
        click_text(v, f"f{passage}-0")
        v.page.click("#card .sbs-link")
        v.page.wait_for_selector(".v-compare .sbs")
        rows = v.js("() => [...document.querySelectorAll('.v-compare .sbs tbody tr')].map(tr => tr.className)")
        assert rows == ["row-same", "row-changed"]
        boxed = v.js("""() => [...document.querySelectorAll('.sbs tr.row-changed td .dw')]
            .map(e => e.closest('td').className + ' ' + e.textContent)""")
        assert boxed == ["l until the end of May.", "r before half term."]
        assert v.js("() => [...document.querySelectorAll('.v-compare .sbs th')].map(t => t.textContent)") == \
            ["budget.txt", "match", "families.txt"]  # named below the folder they share
        assert v.errors == []
    finally:
        v.page.context.close()


def test_near_copy_articles_side_by_side_paragraph_against_paragraph(visit: Visit) -> None:
    copy = finding_number(visit, "document", "River Calder expected to peak")
    visit.go(f"cmp-{copy}-0-1")
    rows = visit.js("() => [...document.querySelectorAll('.v-compare .sbs tbody tr')].map(tr => tr.className)")
    assert rows.count("row-same") >= 8 and "row-changed" in rows and "row-left" in rows
    boxed = visit.js("() => [...document.querySelectorAll('.sbs tr.row-changed td.l .dw')].map(e => e.textContent)")
    assert "18:40" in boxed


# ---------------------------------------------------------------- 4. scale

@needs_bbc
def test_bbc_first_paint_is_light_and_articles_render_on_demand(bbc: Visit, bbc_url: str) -> None:
    bbc.page.goto(bbc_url)
    nodes = bbc.js("() => document.getElementsByTagName('*').length")
    assert nodes <= FIRST_PAINT_NODES
    assert bbc.js("() => document.getElementById('static').childNodes.length") == 1  # one text node
    assert bbc.js("() => document.querySelectorAll('.article-text, .hl').length") == 0
    rows = bbc.js("() => document.querySelectorAll('.v-articles tbody tr').length")
    assert rows == 100
    bbc.page.click(".v-articles button.more")
    assert bbc.js("() => document.querySelectorAll('.v-articles tbody tr').length") == 200
    assert bbc.errors == []
    assert set(bbc.requests) == {bbc_url}


# ---------------------------------------------------------------- 5. triage

def test_accept_download_rerun_and_the_finding_is_gone(visit: Visit, tmp_path: Path) -> None:
    near = finding_number(visit, "near", "The union said the walkout")
    fingerprint = visit.js("n => JSON.parse(document.getElementById('report-data').textContent).findings[n-1].fp", near)
    visit.go(f"f{near}-0")
    click_text(visit, f"f{near}-0")
    visit.page.click("#card .mark-accepted")
    assert visit.js("() => document.querySelector('#card .mark-accepted').getAttribute('aria-pressed')") == "true"
    assert visit.js("n => document.getElementById(`f${n}-0`).classList.contains('marked')", near)
    visit.page.reload()  # the mark is kept in the browser
    visit.go("articles")
    # (the list is drawn after the hash changes: on a loaded machine, later than go() waits)
    visit.page.wait_for_function("() => /1 finding marked/.test((document.querySelector('.triage-note') || {}).innerText)",
                                 timeout=10_000)
    assert "1 finding marked" in visit.page.inner_text(".triage-note")
    with visit.page.expect_download() as download:
        visit.page.click(".triage-note .download")
    saved = tmp_path / ".dedupe-baseline.json"
    download.value.save_as(saved)
    written = json.loads(saved.read_text(encoding="utf-8"))
    assert written["version"] == 1 and [e["fingerprint"] for e in written["findings"]] == [fingerprint]
    before = subprocess.run([sys.executable, "-m", "dedupe", "check", str(EXAMPLES), "--format", "json", "--no-cache"],
                            capture_output=True, text=True, check=False)
    after = subprocess.run([sys.executable, "-m", "dedupe", "check", str(EXAMPLES), "--format", "json", "--no-cache",
                            "--baseline", str(saved)], capture_output=True, text=True, check=False)
    assert after.returncode == 1, after.stderr  # other findings remain
    fingerprints_before = {f["fingerprint"] for f in json.loads(before.stdout)["findings"]}
    fingerprints_after = {f["fingerprint"] for f in json.loads(after.stdout)["findings"]}
    assert fingerprints_before - fingerprints_after == {fingerprint}
    assert "1 finding in the baseline" in after.stderr


def test_not_a_problem_and_the_suppression_comment_for_the_format(visit: Visit) -> None:
    repeat = finding_number(visit, "repeat", "Strings such as <script>")
    visit.go(f"f{repeat}-0")
    click_text(visit, f"f{repeat}-0")
    assert visit.page.inner_text("#card .suppress code") == "<!-- dedupe-ignore -->"  # a Markdown page
    visit.page.click("#card .mark-fine")
    assert visit.js("() => JSON.parse(localStorage.getItem(Object.keys(localStorage)[0]))") == {
        visit.js("n => JSON.parse(document.getElementById('report-data').textContent).findings[n-1].fp", repeat): "fine"}
    caption = finding_number(visit, "caption", "Commuters queue outside Leeds station")
    visit.go(f"f{caption}-0")
    click_text(visit, f"f{caption}-0")
    assert visit.page.inner_text("#card .suppress code") == "dedupe-ignore"  # a plain-text article
    visit.page.click("#filters-toggle")
    visit.page.check("#hide-marked")  # what is marked can be hidden
    visit.go(f"f{repeat}-0")
    assert visit.js("n => document.getElementById(`f${n}-0`).classList.contains('off')", repeat)


# ---------------------------------------------------------------- 6. viewer filters

def test_filters_apply_to_the_article_list_and_the_highlights(visit: Visit, result: dedupe.Result) -> None:
    visit.page.click("#filters-toggle")
    rows = lambda: visit.js("() => [...document.querySelectorAll('.v-articles tbody th')].map(t => t.textContent)")
    everything = rows()
    visit.page.check("#hide-boilerplate")
    only_boilerplate = {"docs/usage.md", "docs/faq.md", "news/hospital-parking.txt", "news/library-hours.txt"}
    assert set(everything) - set(rows()) == only_boilerplate
    visit.page.uncheck("#hide-boilerplate")
    visit.page.uncheck("#viewer-filters input[value=near]")
    assert "blog/writing-tips.md" not in rows()
    visit.go(f"a{next(d for d, doc in enumerate(result.documents) if doc.path.endswith('rail-strike.txt'))}")
    near = finding_number(visit, "near", "The union said the walkout")
    assert visit.js("n => document.getElementById(`f${n}-0`).classList.contains('off')", near)
    assert visit.js("n => getComputedStyle(document.getElementById(`f${n}-0`)).backgroundColor", near) == \
        "rgba(0, 0, 0, 0)"
    visit.page.check("#viewer-filters input[value=near]")
    assert not visit.js("n => document.getElementById(`f${n}-0`).classList.contains('off')", near)
    visit.page.fill("#min-words", "16")  # the caption has 12 words, the reworded sentence 18
    caption = finding_number(visit, "caption", "Commuters queue outside Leeds station")
    assert visit.js("n => document.getElementById(`f${n}-0`).classList.contains('off')", caption)
    assert not visit.js("n => document.getElementById(`f${n}-0`).classList.contains('off')", near)


def test_one_articles_matches_only(visit: Visit, result: dedupe.Result) -> None:
    cross = finding_number(visit, "cross", "The budget also protects funding")
    visit.go(f"f{cross}-0")
    click_text(visit, f"f{cross}-0")
    visit.page.click("#card .only")
    assert "school-meals.txt" in visit.page.inner_text("#only-with")
    offs = visit.js("() => [...document.querySelectorAll('.article-text .hl[id]')].map(e => [e.id, e.classList.contains('off')])")
    footer = finding_number(visit, "boilerplate", "Comments are moderated")
    repeat = finding_number(visit, "repeat", "“We have had to make choices")
    shown = {i.split("-")[0] for i, off in offs if not off}
    assert shown == {f"f{cross}", f"f{footer}"}  # what council-budget shares with school-meals
    assert {i.split("-")[0] for i, off in offs if off} == {f"f{repeat}"}  # its repeat is council-budget's own
    visit.go("articles")
    sharing = {o.path.removeprefix(f"{EXAMPLES}/") for f in result.findings
               if any(o.path.endswith("school-meals.txt") for o in f.occurrences) for o in f.occurrences}
    assert set(visit.js("() => [...document.querySelectorAll('.v-articles tbody th')].map(t => t.textContent)")) == \
        sharing
    assert len(sharing) < len({o.path for f in result.findings for o in f.occurrences})


# ---------------------------------------------------------------- 7. phone and keys

def test_phone_has_no_horizontal_scroll_and_a_wide_text_column(browser: Browser, report_url: str) -> None:
    v = open_report(new_context(browser, viewport=PHONE, has_touch=True, is_mobile=True), report_url)
    try:
        wide = lambda: v.js("() => document.documentElement.scrollWidth")
        assert wide() <= 390
        near = finding_number(v, "near", "The union said the walkout")
        for target in ("findings", "summary", f"cmp-{near}-0-1", f"f{near}-0"):
            v.go(target)
            assert wide() <= 390, target
        assert v.js("() => document.querySelector('.article-text p').getBoundingClientRect().width") >= 320
        v.page.tap(f"#f{near}-0 .dw")  # tapping the text opens the card, with a way to close it
        assert v.page.locator("#card .close").is_visible()
        card = v.js("() => { const r = document.getElementById('card').getBoundingClientRect(); return [r.left, r.right]; }")
        assert card[0] >= 0 and card[1] <= 390
        v.js("() => scrollBy(0, 3000)")
        v.page.wait_for_timeout(100)
        assert v.page.locator("#card").is_hidden()  # its highlight scrolled away
        assert v.errors == []
    finally:
        v.page.context.close()


@needs_bbc
def test_bbc_on_a_phone_no_sideways_scroll_and_the_text_in_the_first_screen(bbc: Visit) -> None:
    bbc.page.set_viewport_size(PHONE)
    try:
        bbc.go("articles")
        assert bbc.js("() => document.documentElement.scrollWidth") <= 390
        bbc.page.click(".v-articles tbody tr:first-child th a")
        bbc.page.wait_for_selector(".article-text")
        assert bbc.js("() => document.documentElement.scrollWidth") <= 390
        r = bbc.js("() => { const r = document.querySelector('.article-text p').getBoundingClientRect();"
                   " return [r.top, r.width, innerHeight]; }")
        assert 0 < r[0] < r[2] and r[1] >= 320
        bbc.go("findings")
        assert bbc.js("() => document.documentElement.scrollWidth") <= 390
    finally:
        bbc.page.set_viewport_size(VIEWPORT)


def test_keys_walk_highlights_and_articles(visit: Visit) -> None:
    def heading_after(key: str) -> str:
        """The heading of the article the key moves to (each press here moves to another
        article: waited for until the heading has changed, not only the address, which
        changes first on a loaded machine)."""
        before = visit.js("() => [location.hash, (document.getElementById('art-h') || {}).textContent || '']")
        visit.page.keyboard.press(key)
        visit.page.wait_for_function("([h, t]) => location.hash !== h && document.getElementById('art-h')"
                                     " && document.getElementById('art-h').textContent !== t", arg=before)
        return str(visit.js("() => document.getElementById('art-h').textContent"))

    first = heading_after("n")
    assert first == "news/flood-warning-update.txt"  # the first of the list
    assert heading_after("n") == "news/flood-warning.txt"
    assert heading_after("p") == first
    heading_after("n")
    assert heading_after("n") == "news/council-budget.txt"  # a repeat, a passage, a footer
    def focus_after(key: str) -> str:
        """The highlight the key moves to (waited for: a loaded machine runs the
        handler and its scrolling after the key press returns)."""
        before = visit.js("() => document.activeElement ? document.activeElement.id : ''")
        visit.page.keyboard.press(key)
        visit.page.wait_for_function("b => document.activeElement && document.activeElement.id !== b", arg=before)
        return str(visit.js("() => document.activeElement.id"))

    one = focus_after("j")
    two = focus_after("j")
    assert one != two and one.startswith("f") and two.startswith("f")
    visit.page.wait_for_function(IN_VIEWPORT, arg=two)  # scrolled to, however long it takes
    assert in_viewport(visit, two)
    visit.page.locator("#card").wait_for(state="visible")
    assert focus_after("k") == one
    visit.page.keyboard.press("Escape")
    visit.page.locator("#card").wait_for(state="hidden")
    assert focus_after("/") == "path-filter"


# ---------------------------------------------------------------- 8. accessibility

@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_wcag_aa_violations_in_the_examples_report(browser: Browser, report_url: str,
                                                                 scheme: str) -> None:
    v = open_report(new_context(browser, color_scheme=scheme), report_url)
    try:
        near = finding_number(v, "near", "The union said the walkout")
        copy = finding_number(v, "document", "River Calder expected to peak")
        found = {"landing": axe_violations(v)}
        v.page.click("#filters-toggle")
        v.go(f"f{near}-0")
        click_text(v, f"f{near}-0")  # the card open
        found["article"] = axe_violations(v)
        v.go("findings")
        found["findings"] = axe_violations(v)
        v.go(f"cmp-{near}-0-1")
        found["side by side"] = axe_violations(v)
        v.go(f"cmp-{copy}-0-1")
        found["near-copy"] = axe_violations(v)
        v.go("summary")
        found["summary"] = axe_violations(v)
        assert {k: x for k, x in found.items() if x} == {}
    finally:
        v.page.context.close()


@needs_bbc
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_wcag_aa_violations_in_the_bbc_report(bbc: Visit, scheme: str) -> None:
    bbc.page.emulate_media(color_scheme=scheme)  # type: ignore[arg-type]
    bbc.go("articles")
    found = {"landing": axe_violations(bbc)}
    bbc.page.click(".v-articles tbody tr:nth-child(20) th a")  # an article with sentence highlights
    bbc.page.wait_for_selector(".article-text")
    found["article"] = axe_violations(bbc)
    assert {k: x for k, x in found.items() if x} == {}


def contrast(a: list[float], b: list[float]) -> float:
    def lum(c: list[float]) -> float:
        ch = [x / 255 for x in c[:3]]
        lin = [x / 12.92 if x <= 0.03928 else ((x + 0.055) / 1.055) ** 2.4 for x in ch]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_focus_ring_stands_out_from_the_page_and_the_highlight(browser: Browser, report_url: str, scheme: str) -> None:
    v = open_report(new_context(browser, color_scheme=scheme), report_url)
    try:
        rgb = "c => c.match(/[\\d.]+/g).slice(0, 3).map(Number)"
        highlights = v.js("() => [...new Set(JSON.parse(document.getElementById('report-data').textContent)"
                          ".findings.map(f => f.c))]")
        for n, cls in enumerate(highlights):
            target = v.js("c => { const f = JSON.parse(document.getElementById('report-data').textContent).findings"
                          ".find(f => f.c === c && f.k !== 'document'); return f ? `f${f.n}-0` : null; }", cls)
            if not target:
                continue
            v.go(target)
            ring = v.js(f"id => ({rgb})(getComputedStyle(document.getElementById(id)).outlineColor)", target)
            assert v.js("id => getComputedStyle(document.getElementById(id)).outlineStyle", target) == "solid"
            back = v.js(f"id => ({rgb})(getComputedStyle(document.getElementById(id)).backgroundColor)", target)
            page = v.js(f"() => ({rgb})(getComputedStyle(document.querySelector('.article-text')).backgroundColor)")
            if v.js("id => getComputedStyle(document.getElementById(id)).backgroundColor", target) != "rgba(0, 0, 0, 0)":
                assert contrast(ring, back) >= 3, (cls, ring, back)
            assert contrast(ring, page) >= 3, (cls, ring, page)
    finally:
        v.page.context.close()


# ---------------------------------------------------------------- what stays

def test_no_console_errors_and_no_requests_but_the_page_itself(visit: Visit, report_url: str) -> None:
    for target in ("findings", "summary", "f1-0", "cmp-1-0-1", "articles"):
        visit.go(target)
    visit.page.keyboard.press("n")
    visit.page.keyboard.press("j")
    assert visit.requests == [report_url]
    assert visit.errors == []


def test_hostile_article_text_is_shown_not_run(visit: Visit) -> None:
    repeat = finding_number(visit, "repeat", "Strings such as <script>alert(1)</script>")
    visit.go(f"f{repeat}-0")
    assert visit.js("() => window.__calls") == []
    assert visit.js("() => document.querySelectorAll('img, iframe, object, embed').length") == 0
    assert visit.js("() => [...document.scripts].filter(s => s.type !== 'application/json').length") == 1
    body = visit.page.inner_text(".article-text")
    assert "<script>alert(1)</script>" in body
    assert '"><img src=x onerror=alert(1)>' in body
    assert visit.page.locator(f"#f{repeat}-0").is_visible()


def test_print_shows_folded_parts_and_hides_the_controls(visit: Visit) -> None:
    footer = finding_number(visit, "boilerplate", "Comments are moderated")
    article = visit.js("n => JSON.parse(document.getElementById('report-data').textContent).findings[n-1].o[0][0]",
                       footer)
    visit.go(f"a{article}")
    assert visit.js("() => document.querySelectorAll('details.boiler:not([open])').length") > 0
    visit.page.emulate_media(media="print")
    visit.js("() => dispatchEvent(new Event('beforeprint'))")
    assert visit.js("() => document.querySelectorAll('details:not([open])').length") == 0
    assert visit.page.locator(".sections").is_hidden()
    assert visit.page.locator("#filters-toggle").is_hidden()
    assert visit.js("() => getComputedStyle(document.querySelector('.top')).position") == "static"
    visit.js("() => dispatchEvent(new Event('afterprint'))")
    assert visit.js("() => document.querySelectorAll('details.boiler:not([open])').length") > 0


def test_dark_scheme_follows_the_system(browser: Browser, report_url: str) -> None:
    v = open_report(new_context(browser, color_scheme="dark"), report_url)
    try:
        light = "rgb(246, 247, 249)"
        assert v.js("() => getComputedStyle(document.body).backgroundColor") not in (light, "rgba(0, 0, 0, 0)")
        assert v.errors == []
    finally:
        v.page.context.close()


def test_readable_and_navigable_without_script(browser: Browser, report_url: str) -> None:
    v = open_report(new_context(browser, java_script_enabled=False), report_url)
    try:
        assert v.page.locator("#filters-toggle").is_hidden()
        assert v.page.locator(".alist").is_visible()  # the ranked list, then the index, then every article
        links = v.page.locator("a.ix-go", has_text="Commuters queue outside Leeds station")
        first = (links.get_attribute("href") or "").lstrip("#")
        number = first.split("-")[0]
        second = f"{number}-1"
        label_title = v.page.get_attribute(f"#{first} > .lbl", "title") or ""
        assert "similarity 1.00" in label_title and "news/rail-strike.txt:21" in label_title
        v.page.click(f"#{first} > .lbl")
        v.page.wait_for_url(f"**#{second}")
        assert in_viewport(v, second)
        v.page.uncheck("#show-boilerplate")  # CSS-only filter of the index
        assert v.page.locator("details.ix-group.k-boilerplate").is_hidden()
        assert v.errors == []
    finally:
        v.page.context.close()


def test_screenshot_of_the_examples_report(browser: Browser, report_url: str, tmp_path: Path) -> None:
    """The README picture: the rail-strike article opened from the list, its reworded
    sentence's card open, the changed words boxed."""
    v = open_report(new_context(browser, device_scale_factor=1, reduced_motion="reduce"), report_url)
    try:
        v.page.click("text=news/rail-strike.txt")
        near = finding_number(v, "near", "The union said the walkout")
        click_text(v, f"f{near}-0")
        v.page.wait_for_timeout(100)
        assert v.page.locator("#card").is_visible()
        out = tmp_path / "report.png"
        v.page.screenshot(path=str(out))
        assert out.stat().st_size > 50_000
        if os.environ.get("DEDUPE_UPDATE_SCREENSHOT"):
            SCREENSHOT.parent.mkdir(exist_ok=True)
            shutil.copyfile(out, SCREENSHOT)
        assert v.errors == []
    finally:
        v.page.context.close()
