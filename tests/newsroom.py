"""A small newsroom repository for the CI-integration tests (baseline, --changed,
SARIF, GitHub annotations, suppressions, cache, pre-commit), and a git helper.

Four articles: ``budget.txt`` and ``meals.txt`` share one sentence (a ``cross``
finding), ``strike.txt`` prints its photo caption twice (a ``caption`` finding), and
``library.txt`` has a sentence that later edits paste elsewhere.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

# The council and school-meals articles of the CLI tests: line 7 of one is line 5 of the other.
# CAPTION is re-exported: the newsroom tests import it from here.
from articles import CAPTION, RAIL_STRIKE  # noqa: F401
from articles import COUNCIL_BUDGET as BUDGET
from articles import SCHOOL_MEALS as MEALS

SHARED_SENTENCE = ("The budget also protects funding for the holiday activities programme, "
                   "which feeds 3,000 children each summer.")

# The rail-strike article of the CLI tests without its byline: the caption on lines 3 and 9.
STRIKE = RAIL_STRIKE.replace("By Jane Doe, Transport Reporter\n", "")

# A paragraph about a library that a later edit pastes into another article.
LIBRARY = """\
Library opening hours extended for exam season

Central Library will stay open until 10pm on weekdays from Monday, after students asked for more quiet space to revise.

The extra hours will run until the end of June and cost about £18,000, paid for from the libraries reserve.
"""
LIBRARY_SENTENCE = ("The extra hours will run until the end of June and cost about £18,000, "
                    "paid for from the libraries reserve.")

ARTICLES = {"news/budget.txt": BUDGET, "news/meals.txt": MEALS, "news/strike.txt": STRIKE,
            "news/library.txt": LIBRARY}


class GitRepo:
    """A throwaway git repository with its own user, on branch main."""

    def __init__(self, root: Path) -> None:
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q", "-b", "main")
        self.git("config", "user.name", "Dedupe Tests")
        self.git("config", "user.email", "tests@example.invalid")
        self.git("config", "commit.gpgsign", "false")

    def git(self, *args: str) -> str:
        done = subprocess.run(["git", *args], cwd=self.root, capture_output=True, text=True, check=True)
        return done.stdout

    def write(self, name: str, text: str) -> Path:
        path = self.root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def commit(self, message: str) -> None:
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message)


def newsroom(root: Path) -> GitRepo:
    """The repository with every article committed on main."""
    repo = GitRepo(root)
    for name, text in ARTICLES.items():
        repo.write(name, text)
    repo.commit("Articles as published")
    return repo
