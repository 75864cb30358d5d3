"""--changed: compare against the whole repo, report only findings touching changed files."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from newsroom import LIBRARY_SENTENCE, MEALS, STRIKE, newsroom

from dedupe import changed
from dedupe.cli import cli


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """The newsroom on main, then a branch "edit" that pastes a library sentence into meals.txt."""
    monkeypatch.delenv("GITHUB_BASE_REF", raising=False)
    repo = newsroom(tmp_path / "site")
    repo.git("checkout", "-q", "-b", "edit")
    repo.write("news/meals.txt", MEALS + "\n" + LIBRARY_SENTENCE + "\n")
    repo.commit("Meals: add the library paragraph")
    monkeypatch.chdir(repo.root)
    return repo


def findings(*args: str) -> tuple[int, list[tuple[str, list[str]]], str]:
    done = CliRunner().invoke(cli, ["check", "news", "--no-cache", "--format", "json", *args])
    data = json.loads(done.stdout) if done.stdout else {"findings": []}
    return (done.exit_code, [(f["kind"], [o["path"] for o in f["occurrences"]]) for f in data["findings"]],
            done.stderr)


def test_without_changed_every_finding_is_reported(repo) -> None:
    _, found, _ = findings()
    assert [kind for kind, _ in found] == ["cross", "cross", "caption"]


def test_changed_reports_only_findings_touching_the_changed_file(repo) -> None:
    code, found, err = findings("--changed", "--base", "main")
    assert found == [("cross", ["news/budget.txt", "news/meals.txt"]),
                     ("cross", ["news/library.txt", "news/meals.txt"])]
    assert "1 of 4 checked files changed since main" in err
    assert code == 0  # cross findings warn


def test_changed_defaults_to_the_merge_base_with_the_default_branch(repo) -> None:
    repo.write("news/strike.txt", STRIKE.replace("late on Sunday", "late on Sunday night"))
    _, found, err = findings("--changed")
    assert "since main" in err
    assert sorted(kind for kind, _ in found) == ["caption", "cross", "cross"]


def test_uncommitted_and_untracked_files_count_as_changed(repo) -> None:
    repo.git("checkout", "-q", "main")
    _, found, _ = findings("--changed")
    assert found == []
    Path("news/copy.txt").write_text(STRIKE, encoding="utf-8")
    _, found, _ = findings("--changed")
    assert found and all(any(p == "news/copy.txt" for p in paths) for _, paths in found)


def test_unknown_base_is_a_clear_error(repo) -> None:
    code, _, err = findings("--changed", "--base", "origin/nope")
    assert code == 2
    assert err.strip() == "dedupe: error: --changed: base 'origin/nope' not found in this repository"


def test_base_without_changed_is_a_usage_error(repo) -> None:
    code, _, err = findings("--base", "main")
    assert code == 2 and "--base only makes sense with --changed" in err


def test_shallow_clone_without_the_base_says_what_to_fetch(repo, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    repo.git("checkout", "-q", "main")
    clone = tmp_path / "ci"
    subprocess.run(["git", "clone", "-q", "--depth", "1", "--branch", "edit", f"file://{repo.root}", str(clone)],
                   check=True, capture_output=True)
    monkeypatch.chdir(clone)
    code, _, err = findings("--changed")
    assert code == 2
    assert err.startswith("dedupe: error: --changed: cannot find the default branch")
    assert "this is a shallow clone" in err and "fetch-depth: 0" in err
    assert len(err.splitlines()) == 1


def test_shallow_clone_with_the_base_but_no_history_says_so(repo, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    repo.git("checkout", "-q", "main")
    repo.write("news/strike.txt", STRIKE.replace("late on Sunday", "on Sunday"))
    repo.commit("Main moves on")
    clone = tmp_path / "ci"
    subprocess.run(["git", "clone", "-q", "--depth", "1", "--no-single-branch", f"file://{repo.root}", str(clone)],
                   check=True, capture_output=True)
    subprocess.run(["git", "checkout", "-q", "edit"], cwd=clone, check=True, capture_output=True)
    monkeypatch.chdir(clone)
    code, _, err = findings("--changed", "--base", "origin/main")
    assert code == 2
    assert "no merge base of HEAD and 'origin/main'; this is a shallow clone" in err


def test_pull_request_base_is_taken_from_github_base_ref(repo, monkeypatch: pytest.MonkeyPatch) -> None:
    repo.git("branch", "-m", "main", "trunk")
    repo.git("update-ref", "refs/remotes/origin/trunk", "trunk")
    monkeypatch.setenv("GITHUB_BASE_REF", "trunk")
    assert changed.default_base() == "origin/trunk"


def test_outside_a_repository_is_an_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "news").mkdir()
    (tmp_path / "news" / "a.txt").write_text(STRIKE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path.parent))
    code, _, err = findings("--changed")
    assert code == 2 and "is not in a git repository" in err


def touching(*args: str) -> tuple[int, list[tuple[str, list[str]]], str]:
    done = CliRunner().invoke(cli, ["check", "--no-cache", "--format", "json", "--touching", *args])
    data = json.loads(done.stdout) if done.stdout else {"findings": []}
    return (done.exit_code, [(f["kind"], [o["path"] for o in f["occurrences"]]) for f in data["findings"]],
            done.stderr)


def test_touching_compares_the_file_with_the_whole_repo_and_reports_its_findings(repo) -> None:
    code, found, err = touching("news/meals.txt")
    assert found == [("cross", ["./news/budget.txt", "./news/meals.txt"]),
                     ("cross", ["./news/library.txt", "./news/meals.txt"])]
    assert "reporting findings that touch 1 of the 4 files checked" in err
    assert code == 0


def test_touching_a_folder_reports_findings_with_a_place_inside_it(repo) -> None:
    Path("other").mkdir()
    Path("other/strike.txt").write_text(STRIKE, encoding="utf-8")
    _, found, _ = touching("other")
    assert [kind for kind, _ in found] == ["document", "caption"]
    assert all(any(p.startswith("./other/") for p in paths) for _, paths in found)


def test_touching_checks_a_file_outside_the_repo_as_well(repo, tmp_path: Path) -> None:
    draft = tmp_path / "draft.txt"
    draft.write_text(f"A draft for tomorrow.\n\n{LIBRARY_SENTENCE}\n", encoding="utf-8")
    _, found, _ = touching("--repo", "news", str(draft))
    # three of five files share the sentence: in so small a collection, boilerplate
    assert found == [("boilerplate", [str(draft), "news/library.txt", "news/meals.txt"])]


@pytest.mark.parametrize("args, message", [(["--repo", "news", "news/meals.txt"], "--repo only makes sense with --touching"),
                                           (["--touching"], "--touching needs the files to report on"),
                                           (["--touching", "-"], "--touching reads files, not stdin")])
def test_touching_usage_errors(repo, args: list[str], message: str) -> None:
    done = CliRunner().invoke(cli, ["check", "--no-cache", *args])
    assert done.exit_code == 2
    assert message in done.stderr


def test_touching_asks_git_for_the_dates_of_the_findings_it_reports_only(repo, monkeypatch: pytest.MonkeyPatch) -> None:
    from dedupe import provenance

    asked: list[str] = []
    real = provenance.GitDates.first_added

    def spy(self, path, text):  # type: ignore[no-untyped-def]
        asked.append(os.path.basename(path))
        return real(self, path, text)

    monkeypatch.setattr(provenance.GitDates, "first_added", spy)
    _, found, _ = touching("news/library.txt")  # the library sentence pasted into meals.txt
    assert found == [("cross", ["./news/library.txt", "./news/meals.txt"])]
    assert sorted(set(asked)) == ["library.txt", "meals.txt"]  # not budget.txt, whose cross finding is dropped
