"""End to end on real-world text (issue 12): sentences inside paragraphs cut short,
hard-wrapped copies, Chinese paragraphs. The assertions name the exact spans reported
(tests/test_segment.py and tests/test_finding_model.py hold the API-level cases)."""

from __future__ import annotations

import json
import textwrap

import pytest
from click.testing import CliRunner
from conftest import BBC

import dedupe
from dedupe.cli import cli

SHARED_SENTENCE = "The pair then spent four days in a hospital, claiming they had been injured in a motorcycle crash."


@pytest.mark.skipif(not BBC.is_dir(), reason=f"BBC corpus not found at {BBC} (shared/ is absent)")
def test_check_fail_on_info_reports_the_sentence_081_shares_with_082_with_exact_spans() -> None:
    # 081.txt line 11 has no final full stop (the scrape cut it); 082.txt line 7 opens with the sentence.
    paths = [BBC / "sport" / "081.txt", BBC / "sport" / "082.txt"]
    out = CliRunner().invoke(cli, ["check", *map(str, paths), "--fail-on", "info", "--no-cache", "-f", "json"])
    assert out.exit_code == 1, out.output
    sources = {str(p): p.read_text(encoding="utf-8") for p in paths}
    at = {str(p): sources[str(p)].index(SHARED_SENTENCE) for p in paths}
    assert sources[str(paths[0])].count("\n", 0, at[str(paths[0])]) + 1 == 11
    covering = []
    for finding in json.loads(out.output)["findings"]:
        spans = {o["path"]: (o["offset"], o["offset"] + o["length"]) for o in finding["occurrences"]}
        for o in finding["occurrences"]:
            assert sources[o["path"]][o["offset"] : o["offset"] + o["length"]] == o["text"]
        if all(p in spans and spans[p][0] <= at[p] and at[p] + len(SHARED_SENTENCE) <= spans[p][1] for p in at):
            covering.append(spans)
    assert covering, "no finding covers the shared sentence in both articles"
    # the occurrences end where a sentence ends, not at the end of 081's line (a "line"
    # unit before): the passage goes on over the next sentence, reworded in 082
    last = {str(paths[0]): "It was the International Olympic Committee who demanded the IAAF investigate the affair.",
            str(paths[1]): "It was the International Olympic Committee's demand that the IAAF investigate the affair "
                           "that led to the hearing of the Greek tribunal."}
    assert [s[p][1] for s in covering for p in at] == [sources[p].index(last[p]) + len(last[p]) for p in at]


PARAGRAPH = ("The high-profile duo were cleared of doping offences by the Greek Athletics Federation last month. "
             "Now the IAAF will lodge an appeal with the Court of Arbitration for Sport and has suspended both "
             "athletes Kostas Kenteris and Katerina Thanou.")
SOURCE_ARTICLE = (
    "IAAF to appeal\n\n" + PARAGRAPH + "\n\n"
    "Segas said the appeal was expected and understandable, and that it would wait for the final result before "
    "commenting further.\n\nThe tribunal had overturned the bans after hearing evidence from both athletes in January.\n"
)
WRAPPED_ARTICLE = "Athletics news\n\n" + "\n\n".join(textwrap.fill(p, 53) for p in (
    ("The meeting in Birmingham drew a record crowd on Saturday, with more than eight thousand people in the arena "
     "for the final day of the indoor season. Jason Gardener won the sixty metres in a season best time."),
    PARAGRAPH,
    ("Kelly Holmes said she would decide next week whether to run in Madrid, where the European indoor "
     "championships begin in a fortnight."),
)) + "\n"


def test_hard_wrapped_copy_joined_by_the_documents_wrap_width_is_one_passage() -> None:
    # At 53 columns the copy breaks before "Arbitration" and "Kostas", and its shortest open line ("...Court of",
    # 43 columns) is too short for the paragraph alone to show the wrap: the document's wrap width joins them.
    assert "Court of\nArbitration" in WRAPPED_ARTICLE and "athletes\nKostas" in WRAPPED_ARTICLE
    result = dedupe.check(texts={"source.txt": SOURCE_ARTICLE, "copy.txt": WRAPPED_ARTICLE})
    [finding] = result.findings
    assert finding.kind == "cross" and finding.similarity == 1.0
    copy_at = WRAPPED_ARTICLE.index("The high-profile")
    assert {(o.path, o.span.offset, o.span.length) for o in finding.occurrences} == {
        ("source.txt", SOURCE_ARTICLE.index(PARAGRAPH), len(PARAGRAPH)),
        ("copy.txt", copy_at, WRAPPED_ARTICLE.index("Thanou.") + len("Thanou.") - copy_at),
    }


CHINESE_SENTENCE = "北京今天发布了新的空气质量标准。"
CHINESE = f"{CHINESE_SENTENCE}专家表示，这项标准将在明年全面实施。许多市民对此表示欢迎！{CHINESE_SENTENCE}\n"


def test_chinese_paragraph_of_distinct_sentences_has_no_finding() -> None:
    assert dedupe.check(texts={"news.txt": CHINESE.replace(CHINESE_SENTENCE + "\n", "政府没有回答记者的问题。\n")}).findings == ()
