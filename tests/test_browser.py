"""The examples report in a real browser: headless Chromium (Debian's package) driven by
Playwright. These tests run in CI (.ci/run installs Chromium); a missing browser fails
them rather than skipping, so a broken report cannot pass unnoticed.

    DEDUPE_UPDATE_SCREENSHOT=1 python -m pytest tests/test_browser.py -k screenshot

rewrites docs/report.png from the same setup.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from conftest import EXAMPLES, ROOT
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

import dedupe
from dedupe.formats import html

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
VIEWPORT = {"width": 1400, "height": 900}
SCREENSHOT = ROOT / "docs" / "report.png"
# alert/confirm/prompt and any script the article text might smuggle in report here
TRAP = """
window.__calls = [];
for (const name of ["alert", "confirm", "prompt"]) {
  window[name] = (...args) => { window.__calls.push([name, ...args.map(String)]); };
}
"""


@pytest.fixture(scope="module")
def result() -> dedupe.Result:
    return dedupe.check(str(EXAMPLES))


@pytest.fixture(scope="module")
def report_url(tmp_path_factory: pytest.TempPathFactory, result: dedupe.Result) -> str:
    path = tmp_path_factory.mktemp("report") / "examples-report.html"
    path.write_text(html.render(result, inputs=["examples/"]), encoding="utf-8")
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


def new_context(browser: Browser, **options: Any) -> BrowserContext:
    ctx = browser.new_context(viewport=VIEWPORT, **options)
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
    yield v
    v.page.close()


def entry_with(visit: Visit, kind: str, start: str) -> str:
    """The id of the index entry of a kind whose text starts with ``start``."""
    found = visit.js("""([kind, start]) => [...document.querySelectorAll(`li.ix.k-${kind}`)]
        .filter(li => li.querySelector('.snip').textContent.startsWith(start)).map(li => li.id)""", [kind, start])
    assert len(found) == 1, (kind, start, found)
    return str(found[0])


def occurrences(visit: Visit, entry: str) -> list[str]:
    return list(visit.js("id => [...document.querySelectorAll(`#${id} .occs a`)].map(a => a.getAttribute('href').slice(1))",
                         entry))


def in_viewport(visit: Visit, element_id: str) -> bool:
    return bool(visit.js("""id => { const r = document.getElementById(id).getBoundingClientRect();
        return r.height > 0 && r.top >= 0 && r.bottom <= innerHeight; }""", element_id))


def test_repeated_caption_is_highlighted_in_both_places(visit: Visit) -> None:
    caption = "Commuters queue outside Leeds station on Monday morning (Photo: Jane Doe/Northern Daily)"
    entry = entry_with(visit, "caption", "Commuters queue outside Leeds station")
    first, second = occurrences(visit, entry)
    for occ in (first, second):
        el = visit.page.locator(f"#{occ}")
        assert el.is_visible()
        assert el.text_content() == caption  # the label chip is CSS, not text
        assert visit.js("id => document.getElementById(id).closest('article').querySelector('h3').textContent",
                        occ) == "news/rail-strike.txt"
        background = visit.js("id => getComputedStyle(document.getElementById(id)).backgroundColor", occ)
        assert background not in ("rgba(0, 0, 0, 0)", "transparent")
        label = visit.js("id => getComputedStyle(document.getElementById(id), '::before').content", occ)
        assert "caption" in label
    assert visit.js("id => document.getElementById(id).getBoundingClientRect().top", second) > visit.js(
        "id => document.getElementById(id).getBoundingClientRect().top", first)


def test_activating_an_occurrence_goes_to_its_twin(visit: Visit) -> None:
    entry = entry_with(visit, "caption", "Commuters queue outside Leeds station")
    first, second = occurrences(visit, entry)
    visit.page.focus(f"#{first}")
    visit.page.keyboard.press("Enter")
    visit.page.wait_for_function("id => document.activeElement && document.activeElement.id === id", arg=second)
    assert visit.js("() => location.hash") == f"#{second}"
    assert visit.js("() => document.querySelector(':target').id") == second
    assert in_viewport(visit, second)
    # and back again: the last occurrence links to the first
    visit.page.keyboard.press("Enter")
    visit.page.wait_for_function("id => document.activeElement.id === id", arg=first)
    assert in_viewport(visit, first)


def test_activating_a_cross_article_repeat_scrolls_to_the_other_article(visit: Visit) -> None:
    entry = entry_with(visit, "cross", "The budget also protects funding")
    first, second = occurrences(visit, entry)
    visit.page.click(f"#{first}")
    visit.page.wait_for_function("id => document.activeElement.id === id", arg=second)
    y_second = visit.js("() => scrollY")
    assert visit.js("id => document.getElementById(id).closest('article').querySelector('h3').textContent",
                    second) == "news/school-meals.txt"
    assert in_viewport(visit, second)
    assert not in_viewport(visit, first)
    visit.page.keyboard.press("Enter")
    visit.page.wait_for_function("id => document.activeElement.id === id", arg=first)
    assert visit.js("() => scrollY") < y_second


def test_near_duplicate_diff_marks_the_changed_words(visit: Visit) -> None:
    entry = entry_with(visit, "near", "The union said the walkout")
    dels = visit.js("id => [...document.querySelectorAll(`#${id} .diff del`)].map(e => e.textContent)", entry)
    inss = visit.js("id => [...document.querySelectorAll(`#${id} .diff ins`)].map(e => e.textContent)", entry)
    assert (dels, inss) == (["walkout", "services"], ["strike", "trains"])
    assert visit.page.locator(f"#{entry} .diff del").first.is_visible()
    boxed = visit.js("id => [...document.querySelectorAll(`main a[data-f='${id}'] .dw`)].map(e => e.textContent)",
                     entry)
    assert boxed == ["walkout", "services", "strike", "trains"]


def test_focus_shows_similarity_and_the_other_occurrences(visit: Visit, result: dedupe.Result) -> None:
    entry = entry_with(visit, "near", "The union said the walkout")
    first = occurrences(visit, entry)[0]
    visit.page.focus(f"#{first}")
    card = visit.page.locator("#card")
    assert card.is_visible()
    near = next(f for f in result.findings if f.kind == "near" and "rail-strike" in f.occurrences[0].path)
    assert f"similarity {near.similarity:.2f}" in card.inner_text()
    assert visit.js("() => document.querySelector('#card li.this').textContent") == "news/rail-strike.txt:9"
    assert visit.js("() => document.querySelector('#card li.next').textContent") == "news/rail-strike.txt:26"
    assert "walkout" in visit.js("() => document.querySelector('#card .diff del').textContent")
    assert visit.js("id => document.getElementById(id).getAttribute('aria-describedby')", first) == "card"
    visit.page.keyboard.press("Escape")
    assert not card.is_visible()


def test_no_console_errors_and_no_requests_but_the_page_itself(visit: Visit, report_url: str) -> None:
    visit.page.keyboard.press("j")
    assert visit.js("() => document.activeElement.matches('main a.hl[id]')")
    visit.page.hover("a.hl.k-near")
    visit.page.wait_for_timeout(100)
    assert visit.requests == [report_url]
    assert visit.errors == []


def test_hostile_article_text_is_shown_not_run(visit: Visit) -> None:
    assert visit.js("() => window.__calls") == []
    assert visit.js("() => document.querySelectorAll('img, iframe, object, embed').length") == 0
    assert visit.js("() => document.scripts.length") == 1
    article = visit.page.locator("article", has=visit.page.locator("h3", has_text="docs/security-note.md"))
    body = article.text_content() or ""
    assert "<script>alert(1)</script>" in body
    assert '"><img src=x onerror=alert(1)>' in body
    entry = entry_with(visit, "repeat", "Strings such as <script>alert(1)</script>")
    first, _ = occurrences(visit, entry)
    assert visit.page.locator(f"#{first}").is_visible()


def test_kind_filter_and_file_filter(visit: Visit, result: dedupe.Result) -> None:
    boilerplate = sum(1 for f in result.findings if f.kind == "boilerplate")
    assert boilerplate and visit.page.locator("li.ix.k-boilerplate").count() == boilerplate
    visit.page.uncheck("#show-near")
    assert visit.page.locator("li.ix.k-near").first.is_hidden()
    assert visit.js("() => getComputedStyle(document.querySelector('a.hl.k-near')).backgroundColor") == "rgba(0, 0, 0, 0)"
    visit.page.check("#show-near")
    visit.page.fill("#file-filter", "rail-strike")
    shown = visit.js("() => [...document.querySelectorAll('li.ix')].filter(li => li.offsetParent !== null || "
                     "li.closest('details:not([open])')).filter(li => !li.classList.contains('gone')).length")
    rail = sum(1 for f in result.findings if any("rail-strike" in o.path for o in f.occurrences))
    assert shown == rail >= 3  # the caption, the near pair, the news footer
    assert f"{rail} of {len(result.findings)} findings" in visit.page.inner_text("#filter-status")


def test_print_shows_folded_parts_and_hides_the_controls(visit: Visit) -> None:
    assert visit.js("() => document.querySelectorAll('details.boiler:not([open])').length") > 0
    visit.page.emulate_media(media="print")
    visit.js("() => dispatchEvent(new Event('beforeprint'))")
    assert visit.js("() => document.querySelectorAll('details:not([open])').length") == 0
    assert visit.page.locator(".filters").is_hidden()
    assert visit.js("() => getComputedStyle(document.querySelector('.index')).position") == "static"
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
        assert v.page.locator("#file-filter-box").is_hidden()
        entry = entry_with(v, "caption", "Commuters queue outside Leeds station")
        first, second = occurrences(v, entry)
        title = v.page.get_attribute(f"#{first}", "title") or ""
        assert "similarity 1.00" in title and "news/rail-strike.txt:21" in title
        v.page.click(f"#{first}")
        v.page.wait_for_url(f"**#{second}")
        assert in_viewport(v, second)
        v.page.uncheck("#show-boilerplate")  # CSS-only filter
        assert v.page.locator("li.ix.k-boilerplate").first.is_hidden()
        assert v.errors == []
    finally:
        v.page.context.close()


def test_screenshot_of_the_examples_report(browser: Browser, report_url: str, tmp_path: Path) -> None:
    """The README picture: the near-duplicate in the rail-strike article, reached the way
    a reader does (its link), so the card, the outline and the index entry all show."""
    v = open_report(new_context(browser, device_scale_factor=1, reduced_motion="reduce"), report_url)
    try:
        entry = entry_with(v, "near", "The union said the walkout")
        first = occurrences(v, entry)[0]
        v.js("id => { location.hash = id; }", first)
        v.page.wait_for_function("id => document.activeElement.id === id", arg=first)
        v.page.wait_for_timeout(100)
        assert v.page.locator("#card").is_visible()
        assert v.js("id => document.getElementById(id).classList.contains('current')", entry)
        out = tmp_path / "report.png"
        v.page.screenshot(path=str(out))
        assert out.stat().st_size > 50_000
        if os.environ.get("DEDUPE_UPDATE_SCREENSHOT"):
            SCREENSHOT.parent.mkdir(exist_ok=True)
            shutil.copyfile(out, SCREENSHOT)
        assert v.errors == []
    finally:
        v.page.context.close()
