"""The pre-commit hook: its manifest, `pre-commit try-repo` on a fixture repo, and its entry run directly.

try-repo builds the hook's environment by pip-installing this checkout and its
dependencies from the package index. pre-commit is looked for beside the Python
running the tests (the venv's bin, which `.ci/run` does not put on PATH), then on
PATH. Where try-repo cannot run (pre-commit not installed, or no index reachable),
the test skips and says why, but under CI (CI=true) it fails: a test that CI always
skips tests nothing. The entry test still runs the hook's command the way pre-commit would.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from newsroom import ARTICLES, LIBRARY_SENTENCE, GitRepo, newsroom

ROOT = Path(__file__).resolve().parent.parent
MANIFEST = ROOT / ".pre-commit-hooks.yaml"
# The hook checks the folder it runs in, so places are named from there ("./news/...").
EXPECTED = ["./news/budget.txt:7:1: cross:", "./news/strike.txt:3:1: caption:"]


def hook() -> dict:
    yaml = pytest.importorskip("yaml", reason="PyYAML comes with pre-commit: pip install -e '.[test]'")
    hooks = yaml.safe_load(MANIFEST.read_text(encoding="utf-8"))
    assert [h["id"] for h in hooks] == ["dedupe"]
    return hooks[0]


@pytest.fixture
def fixture_repo(tmp_path: Path) -> GitRepo:
    repo = GitRepo(tmp_path / "site")
    for name, text in ARTICLES.items():
        repo.write(name, text)
    repo.write("setup.cfg", "[metadata]\nname = site\n")  # not an article: the hook must skip it
    repo.git("add", "-A")
    return repo


def test_manifest_declares_the_dedupe_hook_for_articles() -> None:
    h = hook()
    assert h["entry"] == "dedupe check --touching"
    assert h["language"] == "python"
    assert h["types_or"] == ["markdown", "html", "plain-text"]
    assert h["require_serial"] is True


def test_hook_entry_run_directly_reports_the_staged_articles(fixture_repo: GitRepo) -> None:
    entry = shlex.split(hook()["entry"])
    assert entry[0] == "dedupe"
    staged = sorted(fixture_repo.git("diff", "--cached", "--name-only").split())
    articles = [name for name in staged if name.endswith(".txt")]
    done = subprocess.run([sys.executable, "-m", "dedupe", *entry[1:], *articles], cwd=fixture_repo.root,
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 1, done.stderr
    assert [line.split(' "')[0] for line in done.stdout.splitlines()[:-1]] == EXPECTED


def run_hook(repo: GitRepo, names: list[str]) -> subprocess.CompletedProcess[str]:
    """The hook's entry on ``names``, run in the repository the way pre-commit runs it."""
    entry = shlex.split(hook()["entry"])
    return subprocess.run([sys.executable, "-m", "dedupe", *entry[1:], *names], cwd=repo.root,
                          capture_output=True, text=True, timeout=300, check=False)


EXAMS = f"""\
Exam season starts on Monday

Students at the city's six secondary schools sit their first papers next week.

{LIBRARY_SENTENCE}
"""


def test_hook_finds_a_sentence_a_staged_article_copies_from_a_committed_one(tmp_path: Path) -> None:
    repo = newsroom(tmp_path / "site")
    repo.write("news/exams.txt", EXAMS)
    repo.git("add", "news/exams.txt")
    done = run_hook(repo, ["news/exams.txt"])
    assert done.returncode == 0, done.stderr  # a cross-article repeat is a warning
    lines = done.stdout.splitlines()
    assert [line.split(' "')[0] for line in lines[:-1]] == ["./news/exams.txt:5:1: cross:"]
    assert "(also at ./news/library.txt:5:1, similarity 1.00)" in lines[0]
    assert "--touching: reporting findings that touch 1 of the 5 files checked" in done.stderr


def test_hook_does_not_report_findings_between_articles_not_staged(tmp_path: Path) -> None:
    """The committed budget and meals articles share a sentence and the strike article
    prints its caption twice: with only an unrelated article staged, neither is shown."""
    repo = newsroom(tmp_path / "site")
    repo.write("news/weather.txt", "Heavy rain is forecast for the weekend across the north of the county.\n")
    repo.git("add", "news/weather.txt")
    done = run_hook(repo, ["news/weather.txt"])
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["0 findings in 5 files, 18 units checked"]
    everything = subprocess.run([sys.executable, "-m", "dedupe", "check"], cwd=repo.root, capture_output=True,
                                text=True, timeout=300, check=False)
    assert [line.split(' "')[0] for line in everything.stdout.splitlines()[:-1]] == EXPECTED


def pre_commit() -> str | None:
    """The pre-commit command installed with this Python (a venv's bin need not be on PATH), else on PATH."""
    beside = Path(sys.executable).parent / ("pre-commit.exe" if sys.platform == "win32" else "pre-commit")
    return str(beside) if beside.is_file() else shutil.which("pre-commit")


def skip_unless_ci(reason: str) -> None:
    """Skip on a developer's machine; fail in CI, where every test must run."""
    if os.environ.get("CI", "").lower() in ("true", "1"):
        pytest.fail(f"CI must run this test: {reason}")
    pytest.skip(reason)


def test_pre_commit_is_found_beside_the_python_running_the_tests(tmp_path: Path) -> None:
    """`.ci/run` calls .venv/bin/python without .venv/bin on PATH: PATH alone never finds the venv's tools."""
    venv = tmp_path / "venv" / "bin"
    venv.mkdir(parents=True)
    (venv / "pre-commit").write_text("#!/bin/sh\n", encoding="utf-8")
    script = f"import sys; sys.executable = {str(venv / 'python')!r}; import test_precommit; print(test_precommit.pre_commit())"
    found = subprocess.run([sys.executable, "-c", script], cwd=Path(__file__).parent, env={"PATH": "/nonexistent"},
                           capture_output=True, text=True, check=True)
    assert found.stdout.strip() == str(venv / "pre-commit")


def test_pre_commit_try_repo_runs_the_hook(fixture_repo: GitRepo) -> None:
    command = pre_commit()
    if command is None:
        skip_unless_ci("pre-commit is not installed (pip install -e '.[test]'); the entry test runs the hook "
                       "directly")
    if subprocess.run(["git", "rev-parse", "--is-inside-work-tree"], cwd=ROOT, capture_output=True, check=False).returncode:
        skip_unless_ci(f"{ROOT} is not a git checkout, and try-repo needs one")
    done = subprocess.run([str(command), "try-repo", str(ROOT), "dedupe", "--all-files", "--color", "never"],
                          cwd=fixture_repo.root, capture_output=True, text=True, timeout=900, check=False)
    if "An error has occurred" in done.stdout + done.stderr and "Installing environment" in done.stdout:
        skip_unless_ci("pre-commit could not build the hook's environment (it pip-installs dedupe and its "
                       f"dependencies, which needs the package index): {done.stdout.strip().splitlines()[-1]}")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "dedupe...................................................................Failed" in done.stdout
    reported = [line.split(' "')[0] for line in done.stdout.splitlines() if line.startswith("./news/")]
    assert reported == EXPECTED
    assert "2 findings (1 caption, 1 cross) in 4 files, 17 units checked" in done.stdout
