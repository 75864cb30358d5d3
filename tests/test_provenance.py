"""Which came first: dates from front matter, HTML meta and git, and the order of places."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from dedupe import provenance
from dedupe.cli import cli
from dedupe.model import Document, Provenance

SHARED = "The bridge will close for repairs from the first of June until the end of August."
FIRST = f"Road works\n\n{SHARED}\n\nDrivers are asked to use the ring road instead.\n"
SECOND = f"Summer in the city\n\nThe festival returns to the park this year. {SHARED}\n"


def test_markdown_front_matter_gives_date_title_and_url() -> None:
    doc = Document("a.md", '---\ntitle: "Bridge to close"\ndate: 2024-05-02T09:00:00Z\n'
                   "permalink: /news/bridge\ntags: [roads]\n---\n\nText.\n", "markdown", ())
    assert provenance.of_document(doc) == Provenance("2024-05-02T09:00:00Z", "front matter", "Bridge to close",
                                                     "/news/bridge")


def test_toml_front_matter_is_read_too() -> None:
    doc = Document("a.md", '+++\ntitle = "Bridge"\ndate = 2024-05-02\n+++\n\nText.\n', "markdown", ())
    assert provenance.of_document(doc) == Provenance("2024-05-02", "front matter", "Bridge", None)


def test_html_meta_gives_date_title_and_canonical_url() -> None:
    doc = Document("a.html", '<html><head><title>Bridge | Gazette</title>'
                   '<meta property="article:published_time" content="2024-05-02T09:00:00+01:00">'
                   '<meta property="og:title" content="Bridge to close">'
                   '<link rel="canonical" href="https://gazette.example/bridge"></head><body><p>Text.</p></body></html>',
                   "html", ())
    assert provenance.of_document(doc) == Provenance("2024-05-02T09:00:00+01:00", "html meta", "Bridge to close",
                                                     "https://gazette.example/bridge")


def test_plain_text_says_nothing_about_itself() -> None:
    assert provenance.of_document(Document("a.txt", "date: 2024-05-02\n\nText.\n", "text", ())) == Provenance()


@pytest.mark.parametrize("dates, first", [
    (["2024-01-02", "2024-03-04"], [True, False]),
    (["2024-03-04", "2024-01-02T10:00:00+00:00"], [False, True]),
    (["2024-01-02", None], [None, None]),  # the unknown one may be older
    (["2024-01-02", "2024-03-04", None], [None, False, None]),  # the newer known one is not first either way
    (["2024-01-02", "2024-01-02"], [None, None]),  # a tie tells nothing
    (["not a date", "2024-01-02"], [None, None]),
])
def test_oldest_place_is_first_when_the_dates_tell(dates: list[str | None], first: list[bool | None]) -> None:
    places = [Provenance(d, "front matter" if d else None) for d in dates]
    assert [p.first for p in provenance.with_dates(places)] == first


def test_unpublished_draft_is_newer_than_an_undated_archived_place() -> None:
    places = [Provenance(None, "unpublished"), Provenance(None, None, "Old story")]
    assert [p.first for p in provenance.with_dates(places)] == [False, True]


def git(repo: Path, *args: str, date: str = "") -> None:
    env = dict(os.environ, GIT_AUTHOR_NAME="Ed", GIT_AUTHOR_EMAIL="ed@example.org", GIT_COMMITTER_NAME="Ed",
               GIT_COMMITTER_EMAIL="ed@example.org")
    if date:
        env.update(GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


@pytest.fixture
def newsroom_repo(tmp_path: Path) -> Path:
    """Two commits: the first adds a story; the second adds another that copies a sentence of it."""
    repo = tmp_path / "site"
    repo.mkdir()
    git(repo, "init", "-q")
    (repo / "roads.md").write_text(FIRST, encoding="utf-8")
    git(repo, "add", "roads.md")
    git(repo, "commit", "-qm", "roads", date="2024-05-02T09:00:00+00:00")
    (repo / "summer.md").write_text(SECOND, encoding="utf-8")
    git(repo, "add", "summer.md")
    git(repo, "commit", "-qm", "summer", date="2024-06-10T12:30:00+00:00")
    return repo


def test_second_commit_copying_a_sentence_is_the_newer_place(newsroom_repo: Path) -> None:
    paths = [str(newsroom_repo / "roads.md"), str(newsroom_repo / "summer.md")]
    out = CliRunner().invoke(cli, ["check", *paths, "--no-cache", "-f", "json"])
    (cross,) = [f for f in json.loads(out.stdout)["findings"] if f["kind"] == "cross"]
    assert [(o["path"], o["provenance"]) for o in cross["occurrences"]] == [
        (paths[0], {"date": "2024-05-02T09:00:00+00:00", "date_source": "git", "title": None, "url": None,
                    "first": True}),
        (paths[1], {"date": "2024-06-10T12:30:00+00:00", "date_source": "git", "title": None, "url": None,
                    "first": False}),
    ]
    text = CliRunner().invoke(cli, ["check", *paths, "--no-cache"]).output
    assert (f"first at {paths[0]}:3:1 (2024-05-02T09:00:00+00:00, git); fix the newer: {paths[1]}:3:45)"
            in text.splitlines()[0])


def test_edit_that_copies_into_an_older_file_dates_the_text_not_the_file(newsroom_repo: Path) -> None:
    """roads.md is older, but the sentence came to it in a later commit than to summer.md."""
    roads = newsroom_repo / "roads.md"
    roads.write_text(FIRST.replace(SHARED, "The bridge stays open."), encoding="utf-8")
    git(newsroom_repo, "commit", "-qam", "bridge news withdrawn", date="2024-07-01T08:00:00+00:00")
    roads.write_text(FIRST, encoding="utf-8")
    git(newsroom_repo, "commit", "-qam", "bridge news again", date="2024-08-01T08:00:00+00:00")
    found = provenance.GitDates()
    assert found.first_added(str(roads), SHARED) == "2024-05-02T09:00:00+00:00"  # the oldest commit adding it
    assert found.first_added(str(newsroom_repo / "summer.md"), SHARED) == "2024-06-10T12:30:00+00:00"
    assert found.first_added(str(roads), "A sentence never committed.") is None


def test_front_matter_date_wins_over_git(newsroom_repo: Path) -> None:
    (newsroom_repo / "summer.md").write_text("---\ndate: 2023-12-01\n---\n\n" + SECOND, encoding="utf-8")
    paths = [str(newsroom_repo / "roads.md"), str(newsroom_repo / "summer.md")]
    data = json.loads(CliRunner().invoke(cli, ["check", *paths, "--no-cache", "-f", "json"]).stdout)
    (cross,) = [f for f in data["findings"] if f["kind"] == "cross"]
    assert [(o["provenance"]["date_source"], o["provenance"]["first"]) for o in cross["occurrences"]] == [
        ("git", False), ("front matter", True)]


def test_files_outside_git_have_no_date(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(FIRST, encoding="utf-8")
    (tmp_path / "b.txt").write_text(SECOND, encoding="utf-8")
    data = json.loads(CliRunner().invoke(cli, ["check", str(tmp_path), "--no-cache", "-f", "json"]).stdout)
    (cross,) = [f for f in data["findings"] if f["kind"] == "cross"]
    assert [o["provenance"] for o in cross["occurrences"]] == [
        {"date": None, "date_source": None, "title": None, "url": None, "first": None}] * 2


def test_git_look_ups_past_the_limit_leave_places_undated_with_a_warning(newsroom_repo: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    import dedupe

    monkeypatch.setattr(provenance, "MAX_GIT_LOOKUPS", 1)
    result = dedupe.check([str(newsroom_repo / "roads.md"), str(newsroom_repo / "summer.md")])
    (cross,) = [f for f in result.findings if f.kind == "cross"]
    assert [o.provenance.date is not None for o in cross.occurrences if o.provenance] == [True, False]
    assert result.warnings == ("which came first: 1 place left undated (git log -S stops after 1 look-ups or 2 s)",)


def test_git_answers_are_kept_by_head_commit_so_the_next_run_goes_on_from_there(
        newsroom_repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With a cache, git's answers are stored under HEAD's commit: a run stopped by the
    look-up limit leaves the next one the rest, a run with every answer stored asks git
    nothing but HEAD, and a new commit asks again. The dates are git's own."""
    import dedupe
    from dedupe.model import Settings

    asked: list[str] = []
    real = provenance.GitDates._git

    def counted(self: provenance.GitDates, args: list[str], cwd: str) -> str | None:
        asked.append(args[0])
        return real(self, args, cwd)

    monkeypatch.setattr(provenance.GitDates, "_git", counted)
    paths = [str(newsroom_repo / "roads.md"), str(newsroom_repo / "summer.md")]
    fresh = dedupe.check(paths)  # no cache, the look-up limit as shipped
    monkeypatch.setattr(provenance, "MAX_GIT_LOOKUPS", 1)
    settings = Settings(cache=True, cache_dir=str(tmp_path / "cache"))

    def run() -> tuple[list[Provenance | None], tuple[str, ...], int]:
        asked.clear()
        result = dedupe.check(paths, settings=settings)
        (cross,) = [f for f in result.findings if f.kind == "cross"]
        return [o.provenance for o in cross.occurrences], result.warnings, asked.count("log")

    first, warnings, looked = run()
    assert looked == 1 and [p.date is not None for p in first if p] == [True, False]
    stopped = ("which came first: 1 place left undated (git log -S stops after 1 look-ups or 2 s; the next run "
               "goes on from there)")
    assert warnings == (stopped,)
    second, warnings, looked = run()
    assert looked == 1 and warnings == ()
    (fresh_cross,) = [f for f in fresh.findings if f.kind == "cross"]
    assert second == [o.provenance for o in fresh_cross.occurrences]
    assert run() == (second, (), 0)
    git(newsroom_repo, "commit", "-q", "--allow-empty", "-m", "nothing", date="2024-09-01T08:00:00+00:00")
    assert run()[2] == 1  # another HEAD: asked again


def test_git_is_asked_for_the_top_level_folder_once_a_work_tree_not_once_a_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import dedupe

    asked: list[list[str]] = []
    real = provenance.GitDates._git

    def counted(self: provenance.GitDates, args: list[str], cwd: str) -> str | None:
        asked.append(args)
        return real(self, args, cwd)

    monkeypatch.setattr(provenance.GitDates, "_git", counted)
    repo = tmp_path / "site"
    for folder, text in (("news", FIRST), ("city/summer", SECOND)):
        (repo / folder).mkdir(parents=True)
        (repo / folder / "story.md").write_text(text, encoding="utf-8")
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "stories", date="2024-05-02T09:00:00+00:00")
    result = dedupe.check([str(repo)])
    (cross,) = [f for f in result.findings if f.kind == "cross"]
    assert [o.provenance.source for o in cross.occurrences if o.provenance] == ["git"] * 2
    assert sum(args[:2] == ["rev-parse", "--show-toplevel"] for args in asked) == 1


def test_a_sentence_longer_than_a_command_line_takes_is_undated_not_a_crash(tmp_path: Path) -> None:
    """git log -S takes the sentence as an argument: past the system's limit (E2BIG) that
    is "date unknown", as a missing git is, never a traceback."""
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    article = tmp_path / "long.txt"
    article.write_text("x", encoding="utf-8")
    assert provenance.GitDates().first_added(str(article), "A sentence that never ends " * 20_000) is None
