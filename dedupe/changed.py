"""Changed-files mode: the files that differ from a git base, and the findings touching them.

``dedupe check --changed [--base REF]`` still checks everything it is given (a new
paragraph may repeat an old article), then keeps only the findings with an occurrence
in a changed file. Changed means: differs between the merge base of REF and HEAD and
the working tree (committed, staged or not), or is untracked and not ignored. Without
``--base`` the base is the default branch: ``origin/$GITHUB_BASE_REF`` in a pull-request
workflow, else what ``origin/HEAD`` points to, else origin/main, origin/master, main,
master, the first that exists. A shallow clone that lacks the base or the history
down to the merge base gets an error saying what to fetch.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from dedupe.model import DedupeError, Finding, Result

if TYPE_CHECKING:
    import subprocess

FALLBACK_BRANCHES = ("origin/main", "origin/master", "main", "master")
SHALLOW_HINT = ("this is a shallow clone: fetch the base branch and enough history, e.g. "
                "`git fetch --unshallow origin` or actions/checkout with `fetch-depth: 0`")


@dataclass(frozen=True, slots=True)
class Changes:
    """What changed since the base: the ref asked for, its merge base with HEAD, the files."""

    base: str
    merge_base: str
    paths: frozenset[str]  # real absolute paths


def _git(args: list[str], cwd: str) -> subprocess.CompletedProcess[str]:
    import subprocess  # only --changed runs git: every run imports this module

    try:
        return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise DedupeError("--changed needs git, and no git command was found") from None


def _exists(ref: str, cwd: str) -> bool:
    return _git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], cwd).returncode == 0


def _shallow(cwd: str) -> bool:
    return _git(["rev-parse", "--is-shallow-repository"], cwd).stdout.strip() == "true"


def default_base(cwd: str = ".") -> str:
    """The default branch to compare with (see the module docstring for the order)."""
    candidates = []
    pr_base = os.environ.get("GITHUB_BASE_REF")
    if pr_base:
        candidates.append(f"origin/{pr_base}")
    head = _git(["symbolic-ref", "--quiet", "--short", "refs/remotes/origin/HEAD"], cwd)
    if head.returncode == 0 and head.stdout.strip():
        candidates.append(head.stdout.strip())
    candidates += FALLBACK_BRANCHES
    for ref in candidates:
        if _exists(ref, cwd):
            return ref
    hint = f"; {SHALLOW_HINT}" if _shallow(cwd) else ""
    raise DedupeError(f"--changed: cannot find the default branch ({', '.join(candidates)}); "
                      f"name the base with --base REF{hint}")


def changes(base: str | None = None, cwd: str = ".") -> Changes:
    """Files changed since the merge base of ``base`` (default: the default branch) and HEAD."""
    top = _git(["rev-parse", "--show-toplevel"], cwd)
    if top.returncode != 0:
        raise DedupeError(f"--changed: {os.path.abspath(cwd)} is not in a git repository")
    root = top.stdout.strip()
    ref = base or default_base(cwd)
    if not _exists(ref, cwd):
        hint = f"; {SHALLOW_HINT}" if _shallow(cwd) else ""
        raise DedupeError(f"--changed: base {ref!r} not found in this repository{hint}")
    merged = _git(["merge-base", ref, "HEAD"], cwd)
    if merged.returncode != 0:
        why = SHALLOW_HINT if _shallow(cwd) else "they share no history"
        raise DedupeError(f"--changed: no merge base of HEAD and {ref!r}; {why}")
    merge_base = merged.stdout.strip()
    diff = _git(["diff", "--name-only", "-z", "--diff-filter=d", merge_base, "--"], root)
    untracked = _git(["ls-files", "--others", "--exclude-standard", "-z"], root)
    for out in (diff, untracked):
        if out.returncode != 0:
            raise DedupeError(f"--changed: git failed: {out.stderr.strip()}")
    names = [n for n in (diff.stdout + untracked.stdout).split("\0") if n]
    return Changes(ref, merge_base, frozenset(os.path.realpath(os.path.join(root, n)) for n in names))


def real_paths(paths: Iterable[str]) -> list[str]:
    """The real absolute paths of files and folders named on the command line."""
    return [os.path.realpath(p) for p in paths]


def within(path: str, folder: str) -> bool:
    """True when real path ``path`` is ``folder`` or inside it."""
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def touches(changed: frozenset[str]) -> Callable[[Finding], bool]:
    """Whether a finding has an occurrence in a changed file (or in a changed folder: a
    file inside one of ``changed``, real paths both)."""
    real: dict[str, bool] = {}
    folders = [c for c in changed if os.path.isdir(c)]

    def is_changed(path: str) -> bool:
        if path not in real:
            r = os.path.realpath(path)
            real[path] = r in changed or any(within(r, f) for f in folders)
        return real[path]

    return lambda f: any(is_changed(o.path) for o in f.occurrences)


def touching(result: Result, changed: frozenset[str]) -> Result:
    """The result with only the findings that have an occurrence in a changed file."""
    return replace(result, findings=tuple(filter(touches(changed), result.findings)))
