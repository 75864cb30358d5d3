"""Suppressions: comment directives, the allow list, and the rule for findings with many copies.

The rule (group.py): an occurrence is quiet when every unit in it is suppressed or
allowed; a finding is suppressed when fewer than two occurrences are not quiet.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from newsroom import CAPTION, LIBRARY_SENTENCE, SHARED_SENTENCE

import dedupe
from dedupe.cli import cli

FOOTER = "Comments are moderated and may take up to 24 hours to appear on the site."
STORIES = [
    "The river rose two metres overnight and the ring road was closed at dawn.",
    "Councillors approved a new cycle lane along the high street after a long debate.",
    "The hospital car park will charge visitors from April, the trust confirmed.",
    "A new bakery opened on Market Street with queues around the block by nine.",
]


def summary(result: dedupe.Result) -> list[tuple[str, bool, int]]:
    return [(f.kind, f.suppressed, len(f.occurrences)) for f in result.findings]


def test_ignoring_one_copy_of_a_pair_suppresses_the_finding_and_counts_it() -> None:
    text = f"{SHARED_SENTENCE}\n\n{LIBRARY_SENTENCE}\n\n# dedupe-ignore\n{SHARED_SENTENCE}\n"
    result = dedupe.check(texts={"a.txt": text})
    assert summary(result) == [("repeat", True, 2)]
    assert result.suppressed_count == 1 and result.failing() == []


def test_two_live_copies_stay_reported_when_a_third_is_ignored() -> None:
    text = (f"{SHARED_SENTENCE}\n\n{LIBRARY_SENTENCE}\n\n{SHARED_SENTENCE}\n\n"
            f"dedupe-ignore\n{SHARED_SENTENCE}\n")
    assert summary(dedupe.check(texts={"a.txt": text})) == [("repeat", False, 3)]


def test_one_ignored_footer_does_not_silence_the_boilerplate() -> None:
    texts = {f"n{i}.md": f"{story}\n\n{FOOTER}\n" for i, story in enumerate(STORIES)}
    texts["n0.md"] = f"{STORIES[0]}\n\n<!-- dedupe-ignore -->\n{FOOTER}\n"
    assert summary(dedupe.check(texts=texts)) == [("boilerplate", False, 4)]


def test_off_on_region_in_markdown_suppresses_the_repeat() -> None:
    page = (f"# Notes\n\n{SHARED_SENTENCE}\n\n<!-- dedupe off -->\n\n{SHARED_SENTENCE}\n\n"
            f"<!-- dedupe on -->\n\n{LIBRARY_SENTENCE}\n\n{LIBRARY_SENTENCE}\n")
    result = dedupe.check(texts={"page.md": page})
    assert sorted(summary(result)) == [("repeat", False, 2), ("repeat", True, 2)]
    live = next(f for f in result.findings if not f.suppressed)
    assert live.occurrences[0].text == LIBRARY_SENTENCE


def test_html_ignore_comment_covers_the_next_paragraph() -> None:
    page = (f"<p>{CAPTION}</p>\n<p>{LIBRARY_SENTENCE}</p>\n<!-- dedupe-ignore -->\n<p>{CAPTION}</p>\n")
    assert summary(dedupe.check(texts={"page.html": page})) == [("repeat", True, 2)]


def test_allow_list_sentence_matches_after_normalisation() -> None:
    notice = "Copyright 2026 Northern Daily, all rights reserved by the publisher."
    texts = {f"n{i}.txt": f"{story}\n\n{notice}\n" for i, story in enumerate(STORIES)}
    allowed = "COPYRIGHT 2026  Northern Daily — all rights reserved by the publisher"
    assert summary(dedupe.check(texts=texts)) == [("boilerplate", False, 4)]
    assert summary(dedupe.check(texts=texts, allow=[allowed])) == [("boilerplate", True, 4)]


def test_allow_list_regex_is_searched_in_the_unit_text() -> None:
    text = f"{CAPTION}\n\n{LIBRARY_SENTENCE}\n\n{CAPTION}\n"
    assert summary(dedupe.check(texts={"a.txt": text}, allow=[r"re:\(Photo: [^)]*\)$"])) == [("caption", True, 2)]
    assert summary(dedupe.check(texts={"a.txt": text}, allow=[r"re:^Photo"])) == [("caption", False, 2)]


def test_allow_list_from_the_config_file(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".dedupe.toml").write_text(f'allow = ["{LIBRARY_SENTENCE}"]\n', encoding="utf-8")
    (tmp_path / "a.txt").write_text(f"{LIBRARY_SENTENCE}\n\n{SHARED_SENTENCE}\n\n{LIBRARY_SENTENCE}\n",
                                    encoding="utf-8")
    done = CliRunner().invoke(cli, ["check", "a.txt", "--no-cache"])
    assert done.exit_code == 0
    assert done.stdout.splitlines() == ["0 findings in 1 file, 3 units checked; 1 suppressed"]


@pytest.mark.parametrize(
    "value, message",
    [
        ('["re:(unclosed"]', "allow: invalid regular expression 're:(unclosed'"),
        ("[1, 2]", "allow must be a list of sentences"),
        ('[""]', "allow must be a list of sentences"),
    ],
)
def test_bad_allow_list_is_a_config_error(tmp_path, monkeypatch: pytest.MonkeyPatch, value: str,
                                           message: str) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".dedupe.toml").write_text(f"allow = {value}\n", encoding="utf-8")
    (tmp_path / "a.txt").write_text(f"{CAPTION}\n", encoding="utf-8")
    done = CliRunner().invoke(cli, ["check", "a.txt"])
    assert done.exit_code == 2
    assert done.stderr.startswith(f"dedupe: error: {tmp_path / '.dedupe.toml'}: ") and message in done.stderr
