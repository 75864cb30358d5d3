"""Phrases two sentences share: shared runs (a quote reused inside a longer sentence) and
echoes (a distinctive phrase, quote or figure restated inside one article)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import BBC, ROOT

import dedupe
from dedupe.cli import cli
from dedupe.model import Span

AIRPORT = ROOT / "tests" / "data" / "echo-airport.txt"


def places(f: dedupe.Finding) -> list[tuple[int, int, str]]:
    return [(o.span.line, o.span.column, o.text) for o in f.occurrences]


def test_a_quote_and_a_figure_restated_in_one_story_are_two_echoes_and_nothing_else() -> None:
    source = AIRPORT.read_text(encoding="utf-8")
    result = dedupe.check([str(AIRPORT)])
    assert [(f.kind, f.severity, f.run_words) for f in result.findings] == [("echo", "warning", 3)] * 2
    quote, figure = result.findings
    # paragraphs 3 and 15: 'had been "firm but fair"' in both, the quotation is the echo
    assert places(quote) == [(5, 90, "firm but fair"), (29, 99, "firm but fair")]
    assert [o.span for o in quote.occurrences] == [Span(168, 13, 5, 90, 5, 103), Span(1740, 13, 29, 99, 29, 112)]
    assert [o.context for o in quote.occurrences] == [Span(79, 138, 5, 1, 5, 139), Span(1642, 139, 29, 1, 29, 140)]
    assert source[1642:1642 + 139].startswith("Mr Oyelaran said the handling")
    # "said 1,200 passengers were stranded overnight" / "Some 1,200 passengers spent the night"
    assert places(figure) == [(9, 36, "1,200 passengers"), (23, 6, "1,200 passengers")]
    assert [o.context.line for o in figure.occurrences] == [9, 23]  # type: ignore[union-attr]
    # each place scores the share of its sentence the phrase covers: 3 of 23 and 3 of 19 words
    assert [(o.measure, o.similarity) for o in figure.occurrences] == [("run", 3 / 23), ("run", 3 / 19)]
    assert figure.similarity == 3 / 23


def test_the_same_echo_is_found_with_the_article_alone_or_among_others() -> None:
    alone = dedupe.check([str(AIRPORT)])
    other = "Rail services resume\n\nTrains ran normally on Monday after engineers cleared the line near Leeds.\n"
    among = dedupe.check([str(AIRPORT)], texts={"rail.txt": other})
    assert [places(f) for f in among.findings] == [places(f) for f in alone.findings]


@pytest.mark.skipif(not BBC.is_dir(), reason="the shared BBC corpus is absent (../shared/corpora/bbc)")
def test_quote_given_twice_in_bbc_politics_124_is_a_repeat_of_the_quote_itself() -> None:
    path = BBC / "politics" / "124.txt"
    result = dedupe.check([str(path)])
    quote = "said NHS staff wanted a period of consolidation after \"tremendous change and reform"
    found = [f for f in result.findings if f.occurrences[0].text == quote]
    assert len(found) == 1
    f = found[0]
    assert (f.kind, f.severity, f.run_words, f.measure) == ("repeat", "error", 13, "run")
    assert [(o.span.line, o.span.column, o.span.end_column) for o in f.occurrences] == [(5, 446, 529), (9, 369, 452)]
    source = path.read_text(encoding="utf-8")
    assert all(source[o.span.offset : o.span.offset + o.span.length] == quote for o in f.occurrences)
    # its sentences: the long one of paragraph 2 (glued to the one before by an open
    # quote) and "He said NHS staff wanted ... reform"." of paragraph 4
    assert [o.context.line for o in f.occurrences] == [5, 9]  # type: ignore[union-attr]
    assert source[f.occurrences[1].context.offset:].startswith("He said NHS staff")  # type: ignore[union-attr]
    assert f.occurrences[1].similarity == 13 / 14


REPORT_A = """Council backs new bus lanes

Calderbrook council voted on Tuesday to build three new bus lanes on the ring road.

The transport committee chair, Ruth Adeyemi, told the meeting the scheme "will cut journey times for thousands of people who rely on the buses every day" and urged members to back it.

Work is due to start in the spring.
"""

REPORT_B = """Ring road works to start in spring

Contractors will begin digging on the Calderbrook ring road in April, the council has confirmed.

Speaking after the vote, Ms Adeyemi repeated that the lanes will cut journey times for thousands of people who rely on the buses every day, although some shop owners remain opposed.

Traders on Market Street say the works will keep customers away.
"""


def test_a_quote_inside_longer_sentences_of_two_articles_is_a_cross_finding() -> None:
    result = dedupe.check(texts={"a.txt": REPORT_A, "b.txt": REPORT_B})
    assert [f.kind for f in result.findings] == ["cross"]
    f = result.findings[0]
    run = "will cut journey times for thousands of people who rely on the buses every day"
    assert [o.text for o in f.occurrences] == [run, run]
    assert [(o.path, o.span.line) for o in f.occurrences] == [("a.txt", 5), ("b.txt", 5)]
    assert f.run_words == 15 and f.severity == "warning"
    assert all(o.context is not None and o.context.length > o.span.length for o in f.occurrences)


def test_a_shorter_run_than_min_run_across_articles_is_not_reported() -> None:
    result = dedupe.check(texts={"a.txt": REPORT_A, "b.txt": REPORT_B}, min_run=16)
    assert result.findings == ()


STOCK = "told BBC Radio Five Live's Sportsweek programme on Sunday that"


SPORT = [
    ("Harriers manager Walsh", "his young defenders had grown up quickly in a hard winter."),
    ("Rovers captain Okafor", "nobody in the dressing room was thinking about relegation yet."),
    ("United's Brennan", "the referee should have stopped the game when the floodlights failed."),
    ("Athletic chairman Duffy", "the new stand would be finished before the derby in March."),
    ("Wanderers striker Lyle", "he expected to be fit again for the cup replay on Tuesday."),
    ("Town goalkeeper Byrne", "the pitch at the old ground was the worst he had played on."),
    ("City coach Fenwick", "two academy players would train with the first team next week."),
]


def sports_reports(n: int) -> dict[str, str]:
    return {f"sport/{i}.txt": f"{who} {STOCK} {what}\n" for i, (who, what) in enumerate(SPORT[:n])}


def test_a_stock_phrase_in_more_than_run_max_articles_articles_is_not_a_shared_run() -> None:
    assert dedupe.check(texts=sports_reports(6)).findings == ()  # in 6 articles: more than 5
    two = dedupe.check(texts=sports_reports(2))
    assert [(f.kind, f.occurrences[0].text) for f in two.findings] == [("cross", STOCK)]
    assert dedupe.check(texts=sports_reports(6), run_max_articles=6).findings != ()


def test_a_run_of_stopwords_and_common_words_alone_is_not_a_shared_run() -> None:
    common = "said that it would not be able to do so until the"  # twelve words, none distinctive
    a = f"The minister {common} budget had been approved by parliament.\n"
    b = f"A spokesman for the club {common} end of the season, according to reports.\n"
    assert dedupe.check(texts={"a.txt": a, "b.txt": b}).findings == ()


def test_a_name_with_its_title_twice_is_not_an_echo() -> None:
    text = ("The chairman of the Calderbrook Residents Association, Priya Nandakumar, opened the meeting.\n\n"
            "Residents asked about parking, bins and the new school.\n\n"
            "Later the chairman of the Calderbrook Residents Association said the council had listened.\n")
    assert [f.kind for f in dedupe.check(texts={"meeting.txt": text}).findings] == []


def test_a_phrase_of_a_heading_in_its_section_is_not_an_echo() -> None:
    text = ("# Storm closes both runways at Harrowfield\n\n"
            "The storm closes both runways at Harrowfield for the second time this winter, the operator said.\n")
    assert dedupe.check(texts={"storm.md": text}).findings == ()


def test_the_topic_of_an_article_named_in_many_sentences_is_not_an_echo() -> None:
    text = ("The national minimum wage rises to £4.85 an hour in October.\n\n"
            "Unions said the national minimum wage should be higher for young workers.\n\n"
            "Employers warned that a higher national minimum wage could cost jobs in small firms.\n")
    assert dedupe.check(texts={"wage.txt": text}).findings == ()


def test_two_sentences_already_in_a_near_finding_are_not_an_echo_too() -> None:
    a = "The council agreed to close three libraries in the north of the city next spring."
    b = "The council agreed to close three libraries in the south of the city next spring."
    result = dedupe.check(texts={"council.txt": f"{a}\n\nParents have started a petition.\n\n{b}\n"})
    assert [f.kind for f in result.findings] == ["near"]


def test_a_figure_in_a_name_is_not_a_fact_restated() -> None:
    text = ("Radio 1 listeners voted it the best single of the year.\n\n"
            "Sales of the Xbox 2 console begin in Japan before the end of the year, Microsoft said.\n\n"
            "The song was also a favourite of Radio 1 listeners, and it will be heard in an Xbox 2 console game.\n")
    assert [f.kind for f in dedupe.check(texts={"names.txt": text}).findings] == []
    figure = text.replace("Radio 1 listeners", "800 listeners")  # the same figure and noun: a fact restated
    assert [(f.kind, f.occurrences[0].text) for f in dedupe.check(texts={"names.txt": figure}).findings] == [
        ("echo", "800 listeners")]


def echoes(text: str) -> list[str]:
    return [f.occurrences[0].text for f in dedupe.check(texts={"story.txt": text}).findings if f.kind == "echo"]


def test_a_speaker_repeating_a_phrase_inside_quoted_speech_is_not_an_echo() -> None:
    quote = ('"My whole belief about the coach is that he was selling a product," Mr White said on Monday.\n\n'
             "The hearing resumes next week.\n\n"
             '"Whether it be a good product or a bad one, he was selling a product."\n')
    assert echoes(quote) == []
    told = quote.replace('"Whether it be a good product or a bad one, he was selling a product."',
                         "Whether or not the coach knew it, he was selling a product, his lawyer said.")
    assert echoes(told) == ["he was selling a product"]  # said once in speech, once by the story


def test_a_frame_around_two_different_figures_or_objects_is_not_an_echo() -> None:
    results = ("Sale's Robert Mitchell climbed to a season's best of 2.20m to claim the high jump title.\n\n"
               "The crowd was the largest for a decade.\n\nTickets sold out.\n\nThe weather held.\n\n"
               "The pole vault went to Ashley Swain, who climbed to a season's best of 5.25m in the final round.\n")
    assert echoes(results) == []
    assert echoes(results.replace("5.25m in the final round", "in the final round")) == [
        "climbed to a season's best of"]
    survey = ("Barely 5% of those questioned said they wanted a player that could play music and films.\n\n"
              "Only 7% wanted a player that could handle games and video.\n")
    assert echoes(survey) == []
    far = survey.replace("\n\nOnly", "\n\nSales fell last year.\n\nPrices rose in the spring.\n\n"
                                     "Stocks ran short before Christmas.\n\nOnly")
    assert echoes(far) == ["wanted a player that could"]  # four sentences apart: no longer side by side


def test_a_figure_that_starts_inside_a_longer_figure_or_range_is_not_a_fact_restated() -> None:
    text = ("On the opening day more than 200,000 players signed up to play the game.\n\n"
            "Servers were added overnight.\n\n"
            "By the evening more than 100,000 players were online at once, Blizzard said.\n")
    assert echoes(text) == []
    ranged = ("Some gamers said they played 40 hours a week at the height of the craze.\n\n"
              "Experts were divided.\n\n"
              "Others admitted that 30-40 hours a week was not unusual for them.\n")
    assert echoes(ranged) == []
    same = text.replace("100,000 players", "200,000 players")
    assert echoes(same) == ["more than 200,000 players"]


def test_a_two_word_term_given_in_quotation_marks_then_used_bare_is_not_an_echo() -> None:
    term = ('The bill proposes "control orders", which could impose curfews and tagging on suspects.\n\n'
            "Ministers will publish the details on Monday.\n\n"
            "But critics fear it would be the home secretary who decided to impose control orders on suspects.\n")
    assert echoes(term) == []
    quote = term.replace("decided to impose control orders", 'called the plans "control orders"')
    assert echoes(quote) == ["control orders"]  # quoted at both places: a quote given twice


def test_a_quotation_introduced_as_a_name_is_a_term_not_an_echo() -> None:
    named = ('In October a so-called "denial of service" attack was mounted on the site from thousands of PCs.\n\n'
             "The site was closed for a day.\n\n"
             "Engineers said the blocking was not the result of another denial of service attack on the site.\n")
    assert echoes(named) == []
    assert echoes(named.replace("a so-called", "a")) == ["denial of service"]  # three words, no naming word


def test_echo_off_in_config_reports_no_echo_and_a_severity_changes_it(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    article = tmp_path / "airport.txt"
    article.write_text(AIRPORT.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / ".dedupe.toml").write_text('[severity]\necho = "off"\n', encoding="utf-8")
    off = CliRunner().invoke(cli, ["check", "--no-cache", str(article)])
    assert (off.exit_code, off.stdout) == (0, "0 findings in 1 file, 17 units checked\n")
    (tmp_path / ".dedupe.toml").write_text('[severity]\necho = "error"\n', encoding="utf-8")
    error = CliRunner().invoke(cli, ["check", "--no-cache", str(article)])
    assert error.exit_code == 1
    assert error.stdout.splitlines()[0] == (
        f'{article}:5:90: echo: "firm but fair" in "The airport\'s chief executive, Martin Oyelaran, said the '
        f'response to…" (also at {article}:29:99, 3 words, similarity 0.12)')


def test_phrases_false_in_config_keeps_to_whole_sentences(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    article = tmp_path / "airport.txt"
    article.write_text(AIRPORT.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / ".dedupe.toml").write_text("phrases = false\n", encoding="utf-8")
    off = CliRunner().invoke(cli, ["check", "--no-cache", str(article)])
    assert (off.exit_code, off.stdout) == (0, "0 findings in 1 file, 17 units checked\n")
    quote = ("Speaking after a long board meeting on Monday, he said the club had been firm but fair with every "
             "player this season.\n\n"
             "Fans sang for an hour.\n\n"
             "Asked about the wage dispute, the chairman said the club had been firm but fair with every player "
             "this season, whatever critics in the local press might claim.\n")
    assert [f.kind for f in dedupe.check(texts={"club.txt": quote}).findings] == ["repeat"]  # a shared run
    assert dedupe.check(texts={"club.txt": quote}, phrases=False).findings == ()
    (tmp_path / ".dedupe.toml").write_text("phrases = 0\n", encoding="utf-8")
    bad = CliRunner().invoke(cli, ["check", str(article)])
    assert bad.exit_code == 2
    assert "phrases must be true or false, got 0" in bad.output


def test_echo_settings_are_validated_and_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.txt").write_text("One sentence here.\n", encoding="utf-8")
    out = CliRunner().invoke(cli, ["check", "--echo-min-words", "1", "a.txt"])
    assert out.exit_code == 2
    assert "--echo-min-words must be between 2 and 1000, got 1" in out.output
    (tmp_path / ".dedupe.toml").write_text('[severity]\necho = "loud"\n', encoding="utf-8")
    out = CliRunner().invoke(cli, ["check", "a.txt"])
    assert out.exit_code == 2
    assert "severity.echo must be one of error, warning, info, off, got 'loud'" in out.output


def test_echo_min_words_and_max_articles_change_what_a_phrase_needs() -> None:
    text = ("Rescuers said the climbers had been trapped on the north face overnight.\n\n"
            "Snow fell all night across the range.\n\n"
            "Both men were trapped on the north face before a helicopter could reach them.\n")
    found = dedupe.check(texts={"climb.txt": text})
    assert [(f.kind, f.occurrences[0].text) for f in found.findings] == [("echo", "trapped on the north face")]
    assert dedupe.check(texts={"climb.txt": text}, echo_min_words=6).findings == ()
    elsewhere = {"climb.txt": text, "other.txt": "Two walkers were trapped on the north face in 2003.\n"}
    assert [f.kind for f in dedupe.check(texts=elsewhere).findings] == []  # the phrase is in two articles
    assert [f.kind for f in dedupe.check(texts=elsewhere, echo_max_articles=2).findings] == ["echo"]


def test_json_occurrence_of_an_echo_carries_its_sentence_as_context() -> None:
    out = CliRunner().invoke(cli, ["check", "--no-cache", "-f", "json", str(AIRPORT)])
    data = json.loads(out.stdout)
    first = data["findings"][0]
    assert first["run_words"] == 3 and first["measure"] == "run"
    assert first["occurrences"][0]["context"] == {"line": 5, "column": 1, "end_line": 5, "end_column": 139,
                                                  "offset": 79, "length": 138}


def test_checking_a_story_with_an_echo_does_not_import_wordfreq() -> None:
    import subprocess
    import sys

    code = (f"import sys, dedupe; r = dedupe.check([{str(AIRPORT)!r}]); "
            "print([f.kind for f in r.findings], 'wordfreq' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["['echo',", "'echo']", "False"]


HARBOUR = """Harbour officials met on Monday to review the evening ferry timetable for the summer season.

The harbour master said the new berthing rules were {o}firm but fair{c} when he spoke to reporters at the quay.

Fishermen complained that the berthing fees had doubled since last spring and blamed the council.

A council spokeswoman later described the way ferry operators were treated as {o}firm but fair{c} in a written statement.
"""


@pytest.mark.parametrize(("opening", "closing"), [('"', '"'), ("“", "”"), ("«", "»"), ("‘", "’"), ("'", "'")])
def test_a_quotation_given_twice_is_an_echo_in_every_kind_of_quotation_mark(opening: str, closing: str) -> None:
    result = dedupe.check(texts={"harbour.txt": HARBOUR.format(o=opening, c=closing)})
    assert [(f.kind, [o.text for o in f.occurrences]) for f in result.findings] == [("echo", ["firm but fair"] * 2)]


def test_the_same_words_twice_without_quotation_marks_are_no_quote_echo() -> None:
    assert dedupe.check(texts={"harbour.txt": HARBOUR.format(o="", c="")}).findings == ()


KUDJA = ('"Gameboyzz Orchestra Project is more of an improvisational project," said Kudja.\n\n'
         "The band plays old handheld consoles on stage in Warsaw.\n\n"
         '"Gameboyzz Addiction Project is more of an improvisational project," vibe Kudja.\n')


def test_a_sentence_given_again_with_words_replaced_is_an_edited_copy_of_whole_sentences() -> None:
    # shingle Jaccard 0.43 and content words 0.56, both under their thresholds, and the
    # shared words are inside one speaker's quoted speech: 9 of 11 words still in order
    result = dedupe.check(texts={"a.txt": KUDJA})
    assert [(f.kind, f.measure) for f in result.findings] == [("near", "order")]
    f = result.findings[0]
    assert [(o.span.line, o.text) for o in f.occurrences] == [(1, KUDJA.split("\n")[0]), (5, KUDJA.split("\n")[4])]
    assert f.similarity == pytest.approx(9 / 11) and f.occurrences[f.representative].similarity == 1.0
    assert all(o.context is None and o.measure == "order" for o in f.occurrences)


def test_a_sentence_copied_into_another_story_and_edited_is_a_cross_edited_copy() -> None:
    # 3 of 14 words replaced: shingles 0.44, content words 0.50; the shared run is 8 words,
    # under the 10 a phrase shared between articles needs
    a = "The network has been developed by Intel, working closely with the staff at Wolong.\n"
    b = "The network has been developed by Intel, working graphical with motivated tech at Wolong.\n"
    result = dedupe.check(texts={"a.txt": "Pandas.\n\n" + a, "b.txt": "Chips.\n\n" + b})
    assert [(f.kind, f.measure, round(f.similarity, 2)) for f in result.findings] == [("cross", "order", 0.79)]
    assert [o.text for o in result.findings[0].occurrences] == [a.strip(), b.strip()]


def test_two_sentences_sharing_a_phrase_but_not_their_words_in_order_are_no_edited_copy() -> None:
    # the echo rules still judge the phrase; the sentences around it differ
    differ = KUDJA.replace('"Gameboyzz Addiction Project is more of an improvisational project," vibe Kudja.',
                           '"The tour is more of an improvisational project than a concert series," he said.')
    assert [f.measure for f in dedupe.check(texts={"a.txt": differ}).findings] == []
    short = ('"Gameboyzz Orchestra Project is more of an improvisational act."\n\nThey play in Warsaw.\n\n'
             '"Gameboyzz Addiction Project is more of an experimental act."\n')  # 7 of 9 in order, under 10 words
    assert [f.measure for f in dedupe.check(texts={"a.txt": short}).findings] == []
    # side by side in one paragraph: a contrast, parallel structure (Hugo's collections.Where page)
    contrast = ("When testing for equality, the third page is excluded from the result. "
                "When testing for inequality, the third page is included in the result.\n")
    assert "order" not in [f.measure for f in dedupe.check(texts={"a.txt": contrast}).findings]
    apart = contrast.replace(". When", ".\n\nThe second page is always kept.\n\nWhen")
    assert "order" in [f.measure for f in dedupe.check(texts={"a.txt": apart}).findings]


def test_an_edited_copy_shared_only_by_reference_pages_with_different_titles_is_their_pattern() -> None:
    def page(tool: str, alias: str, where: str, example: str) -> str:
        return (f"# {tool}\n\n> In PowerShell, this command may be an alias of `{alias}` when the "
                f"original `{tool}` program ({where}) is not properly installed.\n\n- {example}:\n\n"
                f"`{tool} {{{{path}}}}`\n")
    pages = {"cat.md": page("cat", "Get-Content", "part of `coreutils`", "Print the contents of a file"),
             "curl.md": page("curl", "Invoke-WebRequest", "<https://curl.se>", "Fetch a web page and save it")}
    assert [f.measure for f in dedupe.check(texts=pages).findings] == []
    same = {**pages, "curl.md": pages["curl.md"].replace("# curl", "# cat")}
    assert [f.measure for f in dedupe.check(texts=same).findings] == ["order"]  # one title: not two siblings


def test_a_short_remark_quoted_again_in_another_story_is_a_cross_phrase() -> None:
    # eight words, under the ten a phrase shared between articles needs, but a whole
    # quotation at one place: a remark quoted again (BBC politics/201 and 411)
    remark = "It's not racist to impose limits on immigration"
    a = f'Party posters carrying the slogan "{remark}" went up in marginal seats across the country on Monday.\n'
    b = f"The leader insisted that {remark.lower()} as the row over the posters went on into a second day.\n"
    result = dedupe.check(texts={"a.txt": "Posters.\n\n" + a, "b.txt": "Row.\n\n" + b})
    assert [(f.kind, f.run_words) for f in result.findings] == [("cross", 8)]
    assert [o.text for o in result.findings[0].occurrences] == [remark, remark.lower()]
    # must not fire: the same eight words as plain text at both places are stock phrasing
    plain = {"a.txt": "Posters.\n\n" + a.replace(f'"{remark}"', remark), "b.txt": "Row.\n\n" + b}
    assert dedupe.check(texts=plain).findings == ()


def test_an_edited_copy_in_one_page_that_swaps_a_marked_term_is_two_entries() -> None:
    # Hugo's images.Text: two options described from one pattern, each naming its own
    first = ("The `alignx` option sets the horizontal alignment of the caption text, and it is ignored when "
             "the text is drawn on a transparent image.")
    second = ("The `aligny` option gives the vertical alignment of the label text, and it is ignored when "
              "the text is drawn on a plain image.")  # 20 of 24 words in order, shingles under 0.5

    def measures(other: str) -> list[str]:
        page = f"# Text\n\n{first}\n\nOther options follow below.\n\n{other}\n"
        return [f.measure for f in dedupe.check(texts={"text.md": page}).findings]

    # not an edited copy; the clause the two entries share is still judged as a phrase
    assert measures(second) == ["run"]
    # must not fire: the same option's sentence given twice with words changed
    assert measures(second.replace("`aligny`", "`alignx`")) == ["order"]


def test_an_allowed_or_ignored_sentence_silences_its_echo_and_its_edited_copy() -> None:
    """A phrase or edited copy left with one live place (the other sentence on the allow
    list, or under an ignore directive) is suppressed, as a repeated sentence is."""
    text = AIRPORT.read_text(encoding="utf-8")
    echoes = dedupe.check(texts={"airport.txt": text}).findings
    assert [f.suppressed for f in echoes] == [False, False]
    allowed = dedupe.check(texts={"airport.txt": text}, allow=("re:firm but fair",)).findings
    assert [(f.kind, f.suppressed) for f in allowed] == [("echo", True), ("echo", False)]
    edited = dedupe.check(texts={"a.txt": KUDJA}, allow=("re:Addiction",)).findings
    assert [(f.kind, f.measure, f.suppressed) for f in edited] == [("near", "order", True)]


def test_findings_indexed_later_are_numbered_after_the_first() -> None:
    # phrases._Together: two findings added at two times stay two findings, so a unit of
    # the first and a unit of the second are not taken as lying in one finding
    from dedupe.phrases import _Together

    def finding(*places: tuple[int, int]) -> dedupe.Finding:
        occs = tuple(dedupe.Occurrence(f"{d}.txt", Span(0, 1, 1, 1, 1, 2), "x", d, (u,)) for d, u in places)
        return dedupe.Finding("cross", "warning", 1.0, occs, "f", False)

    together = _Together([finding((0, 0), (1, 0))])
    together.add([finding((0, 1), (2, 0))])
    assert together(0, 0, 1, 0) and together(0, 1, 2, 0)
    assert not together(1, 0, 2, 0) and not together(0, 0, 2, 0)
