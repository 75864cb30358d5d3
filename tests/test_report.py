"""HTML report: what it shows, that input is escaped, that it needs nothing from outside."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import subprocess
import sys
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest
from articles import OVERLAP
from click.testing import CliRunner
from conftest import EXAMPLES

import dedupe
from dedupe.cli import cli
from dedupe.formats import html
from dedupe.model import Finding, Occurrence, Settings

RAIL = """Rail strike to halt northern services on Friday
By Maria Kowalski, Transport Correspondent

Passengers across the north of England face a day of severe disruption on Friday after train drivers confirmed a walkout over pay.

Commuters queue outside Leeds station on Monday morning (Photo: Jane Doe/Northern Daily)

Talks at the conciliation service broke down late on Wednesday when negotiators could not agree on rosters.

The union said the walkout would affect more than 400 services across the north of England on Friday.

Business groups said the timing could hardly be worse for retailers in Sheffield and Bradford this month.

Commuters queue outside Leeds station on Monday morning (Photo: Jane Doe/Northern Daily)

Employers have been asked to let staff work from home wherever they can.

The union said the strike would affect more than 400 trains across the
north of England on Friday. It has not ruled out further dates in April.
"""

LIBRARY = """Library hours cut at two branches

Calderbrook Council will close the Eastgate and Northfield libraries on Mondays from April to save money.

Volunteers have offered to run a weekly reading group at Eastgate so that it can stay open one evening.
"""

HOSTILE = """Keeping untrusted text out of your pages

Strings such as <script>alert(1)</script> and "><img src=x onerror=alert(1)> must always reach the page as visible text.

The renderer escapes body text, headings and captions before they are written to disk.

Strings such as <script>alert(1)</script> and "><img src=x onerror=alert(1)> must always reach the page as visible text.
"""

FOOTER = "\n\nComments are moderated and may take up to 24 hours to appear on the site.\n"
STORIES = {
    "news/school-meals.txt": "Free school meals will reach another 1,200 pupils from September after the council"
                             " found savings in its catering contract.\n\nParents can apply online or at any library.",
    "news/hospital-parking.txt": "Parking charges at Calderbrook General will rise by 20p an hour in May, the hospital"
                                 " trust confirmed on Tuesday.\n\nBlue badge holders will still park free of charge.",
    "news/library-hours.txt": LIBRARY,
}


def report(texts: dict[str, str], **options: object) -> str:
    return html.render(dedupe.check(texts=texts), **options)


class _Tags(HTMLParser):
    """Every start tag with its attributes, to check what the page would load or run.
    The <noscript> view is parsed as markup, as a browser without script parses it."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.script_text: list[str] = []  # of scripts that run (not the JSON block)
        self.data_text: list[str] = []  # of <script type="application/json">
        self._in: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._in = self.data_text if dict(attrs).get("type") == "application/json" else self.script_text

    def handle_endtag(self, tag: str) -> None:
        self._in = None

    def handle_data(self, data: str) -> None:
        if self._in is not None:
            self._in.append(data)


def parse(page: str) -> _Tags:
    tags = _Tags()
    tags.feed(page)
    return tags


def page_data(page: str) -> dict:
    return json.loads("".join(parse(page).data_text))


def test_repeated_caption_is_highlighted_in_both_places_linking_each_to_the_other() -> None:
    page = report({"news/rail-strike.txt": RAIL, "news/library-hours.txt": LIBRARY})
    tags = parse(page).tags
    spans = [a["id"] for tag, a in tags if tag == "span" and (a.get("class") or "").startswith("hl k-caption")]
    labels = [a["href"] for tag, a in tags if tag == "a" and a.get("class") == "lbl"]
    assert spans == ["f1-0", "f1-1"]
    assert "#f1-1" in labels and "#f1-0" in labels
    assert re.findall(r'<span class="hl k-caption [^"]*" id="f1-0"[^>]*><a class="lbl" href="#f1-1" [^>]*>1'
                      r'<span class="lk"> caption</span></a>Commuters queue outside Leeds station', page)


def test_near_duplicate_shows_the_changed_words_in_the_index_and_in_place() -> None:
    page = report({"news/rail-strike.txt": RAIL})
    assert "<del>walkout</del> <ins>strike</ins>" in page
    assert "<del>services</del> <ins>trains</ins>" in page
    # in the article, each of the two variants boxes its own differing words
    boxed = re.findall(r'<span class="dw">([^<]*)</span>', page[page.index('<section class="texts"'):page.index('<footer')])
    assert boxed == ["walkout", "services", "strike", "trains"]


def test_hostile_text_file_names_and_settings_are_escaped() -> None:
    name = 'docs/"><img src=x onerror=alert(2)>.txt'
    settings = Settings(include=("*.txt", "<script>alert(3)</script>"))
    page = html.render(dedupe.check(texts={name: HOSTILE}, settings=settings))
    tags = parse(page)
    # only the report's own script and its data, which does not run
    assert [a.get("type") for t, a in tags.tags if t == "script"] == ["application/json", None]
    assert not [t for t, a in tags.tags if t == "img"]
    assert not [a for _, a in tags.tags if any(k.startswith("on") for k in a)]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in page
    assert "&#34;&gt;&lt;img src=x onerror=alert(2)&gt;.txt" in page
    assert "&lt;script&gt;alert(3)&lt;/script&gt;" in page
    data = "".join(tags.data_text)
    assert "<" not in data and ">" not in data  # the JSON block cannot end its element
    assert page_data(page)["findings"][0]["t"].startswith("Strings such as <script>alert(1)</script>")


def test_markdown_drops_inline_html_as_a_renderer_would_and_plain_text_shows_it() -> None:
    markdown = ("Strings such as <script>alert(1)</script> must be escaped before they reach the page.\n\n"
                "Strings such as `<script>alert(2)</script>` in a code span are text.\n\n"
                "Strings such as <script>alert(1)</script> must be escaped before they reach the page.\n")
    page = html.render(dedupe.check(texts={"docs/a.md": markdown, "news/b.txt": HOSTILE}))
    texts = page[page.index('<section class="texts"'):]
    assert "Strings such as alert(1) must be escaped" in texts  # the tags dropped, the words kept
    assert "alert(1)&lt;/script&gt; must be escaped" not in texts
    assert "Strings such as &lt;script&gt;alert(2)&lt;/script&gt; in a code span" in texts
    assert "Strings such as &lt;script&gt;alert(1)&lt;/script&gt; and" in texts  # plain text: shown


def test_page_needs_nothing_from_outside_and_its_csp_forbids_it() -> None:
    page = report({"news/rail-strike.txt": RAIL})
    tags = parse(page)
    csp = next(a["content"] for t, a in tags.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy")
    assert csp is not None and csp.startswith("default-src 'none';")
    script = "".join(tags.script_text)
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in csp
    assert "unsafe-inline" not in csp
    for tag, attrs in tags.tags:
        assert tag not in ("link", "img", "iframe", "object", "embed"), tag
        for key in ("src", "href", "action"):
            value = attrs.get(key)
            assert value is None or value.startswith("#"), (tag, key, value)


def test_report_states_its_own_size() -> None:
    page = report({"news/rail-strike.txt": RAIL})
    assert f"this report: {html.human_size(len(page.encode('utf-8')))}" in page
    assert html.SIZE_MARKER not in page


def test_summary_shows_counts_settings_suppressed_and_run_time() -> None:
    text = RAIL + "\n<!-- dedupe-ignore -->\nVolunteers have offered to run a weekly reading group in the library.\n\n" \
                  "Volunteers have offered to run a weekly reading group in the library.\n"
    result = dedupe.check(texts={"news/rail-strike.txt": text}, threshold=0.55, min_words=5)
    page = html.render(result)
    summary = page[page.index('<section class="summary"'):page.index("</section>", page.index('<section class="summary"'))]
    assert "<dt>Articles</dt><dd>1</dd>" in summary
    assert f"<dt>Units checked</dt><dd>{result.unit_count}</dd>" in summary
    assert f"<dt>Suppressed</dt><dd>{result.suppressed_count}</dd>" in summary
    assert result.suppressed_count == 1
    assert "threshold</span> 0.55" in summary
    assert "min words</span> 5" in summary
    assert "<dt>Run time</dt>" in summary
    counts = dict(re.findall(r'<span class="k-tag k-(\w+)">[^<]*</span></th>.*?<td class="num-col">(\d+)</td>', summary))
    assert counts == {k: str(v) for k, v in result.counts().items()}


def test_suppressed_findings_are_not_highlighted_unless_asked() -> None:
    text = "<!-- dedupe off -->\n\n" + RAIL
    result = dedupe.check(texts={"news/rail-strike.md": text})
    assert result.findings and all(f.suppressed for f in result.findings)
    assert 'class="hl' not in html.render(result)
    shown = html.render(result, show_suppressed=True)
    assert len(re.findall(r'<span class="hl k-\w+ c\d d\d supp" id="f\d-\d" data-f="\d" data-o="\d"', shown)) == 4


def test_index_groups_by_kind_most_severe_first_and_biggest_first_within_a_kind() -> None:
    texts = {name: text + FOOTER for name, text in STORIES.items()}
    texts["news/rail-strike.txt"] = RAIL + "\nBusiness groups said the timing could hardly be worse for retailers in" \
                                           " Sheffield and Bradford this month.\n"
    page = html.render(dedupe.check(texts=texts))
    groups = re.findall(r'<details class="ix-group k-(\w+)"', page)
    assert groups == ["repeat", "caption", "near", "boilerplate"]
    # boilerplate is folded in the index; the others are open
    assert '<details class="ix-group k-boilerplate">' in page
    assert '<details class="ix-group k-repeat" open>' in page
    numbers = [int(n) for n in re.findall(r'<li class="ix [^"]*" id="f(\d+)"', page)]
    assert numbers == sorted(numbers)


def test_the_bigger_repeat_comes_first_in_its_kind() -> None:
    short = "The council meets again on Thursday evening in the hall."
    long = ("The budget also protects funding for the holiday activities programme, which gave more than "
            "three thousand children a free meal and a place to play last summer.")
    text = (f"{short}\n\n{long}\n\nThe hall is on Market Street, next to the library.\n\n{long}\n\n"
            f"Doors open at half past six for anyone who wants to speak.\n\n{short}\n")
    page = report({"news/council.txt": text})
    entries = re.findall(r'<li class="ix k-repeat" id="(f\d+)".*?<span class="snip">([^<]*)</span>', page, re.DOTALL)
    assert [snip[:14] for _, snip in entries] == ["The budget als", "The council me"]


def test_only_articles_with_findings_are_shown_unless_all_are_asked_for() -> None:
    texts = {"news/rail-strike.txt": RAIL, "news/library-hours.txt": LIBRARY}
    result = dedupe.check(texts=texts)
    default = html.render(result)
    assert "<h3 id=\"a1-h\">rail-strike.txt</h3>" in default
    assert "library-hours.txt</h3>" not in default
    assert "1 article without findings is not shown" in default
    everything = html.render(result, all_articles=True)
    assert "library-hours.txt</h3>" in everything
    assert "Volunteers have offered to run a weekly reading group" in everything


def test_boilerplate_footer_is_muted_and_folded() -> None:
    texts = {name: text + FOOTER for name, text in STORIES.items()}
    texts["news/rail-strike.txt"] = RAIL + FOOTER
    page = report(texts)
    article = page[page.index('id="a1"'):]
    article = article[: article.index("</article>")]
    fold = re.search(r'<details class="boiler"><summary>.*?</summary>(.*?)</details>', article, re.DOTALL)
    assert fold is not None
    assert 'class="hl k-boilerplate cb d0"' in fold.group(1)
    assert "Comments are moderated" in fold.group(1)


def test_near_copy_articles_say_of_what_and_rank_at_their_similarity() -> None:
    update = RAIL.replace("Rail strike to halt northern services on Friday", "Rail strike goes ahead on Friday")
    update = update.replace("Business groups said", "Shop owners said")
    result = dedupe.check(texts={"news/rail-strike.txt": RAIL, "news/rail-strike-update.txt": update})
    copy = next(f for f in result.findings if f.kind == "document")
    page = html.render(result)
    notes = re.findall(r'<p class="art-meta">(\d+)% repeated · <span class="k-tag k-document">near-copy</span> of '
                       r'([^ ]+) \(similarity ([\d.]+)\)', page)
    share, sim = str(round(100 * copy.similarity)), f"{copy.similarity:.2f}"
    assert sorted(notes) == [(share, "rail-strike-update.txt", sim), (share, "rail-strike.txt", sim)]
    # the script's data: each article's whole text, at its similarity to the other
    docs = page_data(page)["docs"]
    assert sorted(r[3] for d in docs.values() for r in d["r"] if len(r) > 3) == [round(copy.similarity, 2)] * 2


def test_articles_are_listed_most_repeated_first() -> None:
    texts = {name: text + FOOTER for name, text in STORIES.items()}
    texts["news/rail-strike.txt"] = RAIL
    page = report(texts)
    rows = re.findall(r'<tr><th scope="row"><a href="#a\d+">([^<]+)</a></th><td class="num-col">(\d+)%</td>', page)
    shares = [int(share) for _, share in rows]
    assert shares == sorted(shares, reverse=True)
    assert rows[0][0] == "rail-strike.txt"  # a caption and a reworded sentence in a short article
    assert {name for name, _ in rows} == {"rail-strike.txt", "school-meals.txt", "hospital-parking.txt",
                                           "library-hours.txt"}


@pytest.mark.parametrize(("paths", "root", "names"), [
    (["examples/news/a.txt", "examples/docs/b.md"], "examples/", ["news/a.txt", "docs/b.md"]),
    (["a.txt", "b.txt"], "", ["a.txt", "b.txt"]),
    (["/srv/bbc/tech/1.txt"], "/srv/bbc/tech/", ["1.txt"]),
])
def test_articles_are_named_below_the_folder_they_share(paths: list[str], root: str, names: list[str]) -> None:
    docs = [dedupe.Document(p, "", "text", ()) for p in paths]
    assert html.display_paths(docs) == (root, names)


def test_examples_report_has_every_kind_and_no_unfilled_template_parts() -> None:
    page = html.render(dedupe.check(str(EXAMPLES)), inputs=["examples/"], generated="2026-03-12 09:30")
    for kind in ("repeat", "caption", "near", "document", "cross", "boilerplate"):
        assert f'<details class="ix-group k-{kind}"' in page
    assert "{{" not in page and "{%" not in page
    assert "checked <code>examples/</code>" in page


def test_report_command_writes_the_page_and_exits_0_even_with_findings(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    done = CliRunner().invoke(cli, ["report", str(EXAMPLES), "-o", str(out), "--no-cache"])
    assert done.exit_code == 0, done.output
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and 'id="f1-0"' in page
    assert f"checked <code>{EXAMPLES}</code>" in page
    result = dedupe.check(str(EXAMPLES))
    findings, files = sum(result.counts().values()), len(result.documents)
    assert f"wrote the report to {out} ({findings} findings in {files} files)" in done.stderr


def test_check_writes_the_report_in_the_same_run_as_its_format_and_keeps_its_exit_code(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    done = CliRunner().invoke(cli, ["check", str(EXAMPLES), "--format", "json", "--html", str(out), "--no-cache"])
    assert done.exit_code == 1
    data = json.loads(done.stdout)
    page = out.read_text(encoding="utf-8")
    assert page.count('<li class="ix ') == len(data["findings"])
    assert "release-notes.md</h3>" not in page


def test_all_articles_puts_articles_without_findings_in_the_report(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    done = CliRunner().invoke(cli, ["report", str(EXAMPLES), "-o", str(out), "--all-articles", "--no-cache"])
    assert done.exit_code == 0, done.output
    page = out.read_text(encoding="utf-8")
    articles = [p for p in EXAMPLES.rglob("*") if p.suffix in (".txt", ".md", ".html")]
    static = page[page.index('<noscript id="static">'):page.index("</noscript>")]
    assert static.count('<article class="art"') == len(articles) == 16
    assert "release-notes.md</h3>" in page


def test_report_to_stdout_and_a_missing_path_is_a_one_line_error(tmp_path: Path) -> None:
    done = CliRunner().invoke(cli, ["report", str(EXAMPLES / "news" / "rail-strike.txt"), "-o", "-", "--no-cache"])
    assert done.exit_code == 0
    assert done.stdout.startswith("<!DOCTYPE html>")
    missing = subprocess.run([sys.executable, "-m", "dedupe", "report", str(tmp_path / "nope"), "-o",
                              str(tmp_path / "r.html")], capture_output=True, text=True, cwd=tmp_path, check=False)
    assert missing.returncode == 2
    assert missing.stderr.strip().splitlines() == [f"dedupe: error: {tmp_path / 'nope'}: no such file or directory"]
    assert not (tmp_path / "r.html").exists()


def test_html_article_keeps_its_captions_and_decoded_entities() -> None:
    page = """<html><body><article><h1>Budget vote</h1>
<p>&ldquo;We have had to make choices that none of us came into politics to make,&rdquo; said Ruth Adeyemi.</p>
<figure><figcaption>Councillors vote on the budget at the town hall on Tuesday</figcaption></figure>
<p>The council will hold a public meeting about the budget next month in the library.</p>
<p>Residents can send written questions to the finance committee until the end of March.</p>
<p>&ldquo;We have had to make choices that none of us came into politics to make,&rdquo; said Ruth Adeyemi.</p>
</article></body></html>"""
    out = report({"news/budget.html": page})
    assert '<p class="h" data-ln="1">Budget vote</p>' in out
    assert '<p class="cap" data-ln="3">Councillors vote on the budget' in out
    quotes = re.findall(r'<span class="hl k-repeat c0 d0" id="f1-\d" data-f="1" [^>]*><a class="lbl" href="#f1-\d" '
                        r'[^>]*>1<span class="lk"> repeat</span></a>([^<]*)</span>', out)
    assert quotes == ["“We have had to make choices that none of us came into politics to make,” said Ruth Adeyemi."] * 2


def test_report_of_articles_without_findings_says_so() -> None:
    out = report({"news/library-hours.txt": LIBRARY})
    assert "<p class=\"empty\">No findings.</p>" in out
    assert "<p class=\"empty\">No article has a finding.</p>" in out
    assert "<dt>Findings</dt><dd>0</dd>" in out


def test_an_echo_is_highlighted_as_the_phrase_inside_its_sentence() -> None:
    """An occurrence with a context (a phrase inside a longer sentence) highlights the
    phrase only; the rest of its sentence is plain text."""
    result = dedupe.check(texts={"news/rail-strike.txt": RAIL})
    units = result.units[0]
    phrase = "more than 400"
    places = []
    for u in units:
        at = u.text.find(phrase)
        if at >= 0:
            start = u.span.offset + at
            line, column = u.span.line, u.span.column + at
            span = dedupe.Span(start, len(phrase), line, column, line, column + len(phrase))
            places.append(Occurrence(result.documents[0].path, span, phrase, 0, (u.index,),
                                     context=u.span))
    assert len(places) == 2
    echo = Finding("echo", "warning", 1.0, tuple(places), "e" * 32, run_words=3)
    page = html.render(replace(result, findings=(echo,)))
    marked = re.findall(r'<span class="hl k-echo [^"]*" id="f1-(\d)"[^>]*><a class="lbl" [^>]*>1<span class="lk"> echo'
                        r'</span></a>([^<]*)</span>', page)
    assert marked == [("0", phrase), ("1", phrase)]
    assert "affect more than 400 services" not in page  # the sentence around it is split by the highlight
    assert "affect <span class=\"hl k-echo" in page
    assert page_data(page)["findings"][0]["w"] == 3  # the phrase's words, for the viewer's length filter


def test_an_archive_match_in_an_article_not_in_the_run_shows_its_place_without_a_link() -> None:
    result = dedupe.check(texts={"news/rail-strike.txt": RAIL})
    caption = next(f for f in result.findings if f.kind == "caption")
    here = caption.occurrences[0]
    archived = replace(here, path="archive/2019/rail.txt", doc=len(result.documents), units=(3,))
    finding = Finding("archive", "warning", 1.0, (here, archived), "a" * 32)
    page = html.render(replace(result, findings=(finding,)))
    assert re.search(r'<span class="hl k-archive [^"]*" id="f1-0"', page)
    assert 'id="f1-1"' not in page  # nothing to highlight outside the run's articles
    assert f'<li>archive/2019/rail.txt:{here.span.line} (archive)</li>' in page  # the static index lists it, unlinked
    assert 'href="#f1-1"' not in page
    data = page_data(page)
    assert data["findings"][0]["o"][1][:2] == [-1, here.span.line]  # the script shows it as a place without an article
    assert list(data["docs"]) == ["0"]


class _Texts(HTMLParser):
    """The text inside each element with an id (labels left out), nested ones included."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[tuple[str, str | None, bool]] = []  # (tag, id, in a label)
        self.text: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        label = a.get("class") == "lbl" or bool(self.open and self.open[-1][2])
        if tag not in ("br", "meta", "input", "img"):
            self.open.append((tag, a.get("id"), label))
        if a.get("id"):
            self.text.setdefault(str(a["id"]), "")

    def handle_endtag(self, tag: str) -> None:
        while self.open and self.open.pop()[0] != tag:
            pass

    def handle_data(self, data: str) -> None:
        if self.open and self.open[-1][2]:
            return
        for _, ident, _ in self.open:
            if ident:
                self.text[ident] += data


@pytest.mark.parametrize("corpus", ["examples", "overlap"])
def test_every_occurrence_has_text_of_its_own_where_it_stands(corpus: str) -> None:
    """No empty anchors: each place of each finding is a highlight with text, even where
    places overlap (in the overlap corpus, a sentence inside a copied passage is nested in it)."""
    result = dedupe.check(str(EXAMPLES)) if corpus == "examples" else dedupe.check(texts=OVERLAP)
    page = html.render(result)
    assert (' d1"' in page) == (corpus == "overlap")
    texts = _Texts()
    texts.feed(page[page.index('<section class="texts"'):])
    data = page_data(page)
    places = [f"f{f['n']}-{i}" for f in data["findings"] if f["k"] != "document" for i in range(len(f["o"]))]
    assert len(places) == sum(len(f.occurrences) for f in result.findings if f.kind != "document")
    assert {p: texts.text.get(p, "").strip() != "" for p in places} == dict.fromkeys(places, True)
