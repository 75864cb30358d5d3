"""Work run aside in a forked process (aside.py): the same result as run here, whatever
happens to the child, and no child left behind."""

from __future__ import annotations

import gc
import os
import pathlib
import signal
import sys
import time
from collections.abc import Iterator

import pytest
from test_phrases import AIRPORT, places

import dedupe
from dedupe import pipeline
from dedupe.aside import Aside, spare_core
from dedupe.model import Settings


def here_and_aside(monkeypatch: pytest.MonkeyPatch, forks: list[bool], path: str
                   ) -> tuple[dedupe.Result, dedupe.Result]:
    """One check of ``path`` with the phrase work run here, one with it forked aside
    (each checked to have gone that way: ``forks``, conftest.py)."""
    here = dedupe.check([path], settings=Settings(cache=False, jobs=1))
    monkeypatch.setattr(pipeline, "RUNS_ASIDE_MIN_WORDS", 0)
    aside = dedupe.check([path], settings=Settings(cache=False, jobs=2))
    assert forks == [False, True]
    return here, aside


linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="forks only on Linux")


def where_and_sum(numbers: list[int]) -> tuple[int, int]:
    return os.getpid(), sum(numbers)


def fails_in_a_child(parent: int) -> str:
    if os.getpid() != parent:
        raise RuntimeError("a bug in the child")
    return "computed here"


def killed_in_a_child(parent: int) -> str:
    if os.getpid() != parent:
        os.kill(os.getpid(), signal.SIGKILL)
    return "computed here"


def parts_with_a_large_first(parent: int, marker: pathlib.Path) -> Iterator[object]:
    """A first part larger than a pipe holds, then a second made only after it: the
    second's marker file shows the child went on before the first was taken."""
    yield b"x" * (4 << 20)
    marker.write_text(str(os.getpid()), encoding="utf-8")
    yield os.getpid()


def first_part_then_killed(parent: int) -> Iterator[str]:
    yield "first"
    if os.getpid() != parent:
        os.kill(os.getpid(), signal.SIGKILL)
    yield "second, computed here"


def always_fails() -> None:
    raise ValueError("a bug")


@linux_only
def test_a_result_computed_aside_is_the_functions_own_made_in_another_process() -> None:
    with Aside(True, where_and_sum, list(range(100_000))) as job:
        pid, total = job.result()
    assert pid != os.getpid()
    assert total == sum(range(100_000))
    assert gc.get_freeze_count() == 0  # objects frozen for the fork are collected again


def test_without_fork_the_function_runs_here_when_its_result_is_asked_for() -> None:
    job = Aside(False, where_and_sum, [1, 2, 3])
    assert job.process is None
    assert job.result() == (os.getpid(), 6)


@linux_only
@pytest.mark.parametrize("fn", [fails_in_a_child, killed_in_a_child])
def test_a_child_that_fails_or_is_killed_leaves_the_work_to_this_process(fn) -> None:  # type: ignore[no-untyped-def]
    with Aside(True, fn, os.getpid()) as job:
        assert job.result() == "computed here"


@linux_only
def test_a_generators_parts_come_in_order_and_the_child_goes_on_before_the_first_is_taken(
        tmp_path: pathlib.Path) -> None:
    marker = tmp_path / "second-made"
    with Aside(True, parts_with_a_large_first, os.getpid(), marker) as job:
        deadline = time.monotonic() + 30
        while not marker.exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        assert marker.exists()  # made while the first part still waited in the pipe
        assert job.result() == b"x" * (4 << 20)
        child = job.result()
    assert child != os.getpid()
    assert int(marker.read_text(encoding="utf-8")) == child


def test_without_fork_a_generators_parts_are_computed_here_one_by_one() -> None:
    job = Aside(False, first_part_then_killed, os.getpid())
    assert [job.result(), job.result()] == ["first", "second, computed here"]


@linux_only
def test_a_child_killed_after_its_first_part_leaves_the_rest_to_this_process() -> None:
    with Aside(True, first_part_then_killed, os.getpid()) as job:
        assert job.result() == "first"
        assert job.result() == "second, computed here"
        assert job.process is None  # the dead child was reaped
    assert gc.get_freeze_count() == 0


@linux_only
def test_a_bug_raises_here_with_its_own_error() -> None:
    with Aside(True, always_fails) as job, pytest.raises(ValueError, match="a bug"):
        job.result()


@linux_only
def test_leaving_the_block_ends_a_child_whose_result_was_never_asked_for() -> None:
    with Aside(True, time.sleep, 60) as job:
        assert job.process is not None
        pid = job.process.pid
    assert job.process is None
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)  # gone, and reaped
    assert gc.get_freeze_count() == 0


@linux_only
def test_runs_searched_aside_find_the_same_phrases_as_searched_here(monkeypatch: pytest.MonkeyPatch,
                                                                   forks: list[bool]) -> None:
    here, aside = here_and_aside(monkeypatch, forks, str(AIRPORT))
    assert [(f.kind, places(f)) for f in aside.findings] == [(f.kind, places(f)) for f in here.findings]
    assert [f.kind for f in aside.findings] == ["echo", "echo"]


@pytest.mark.parametrize(("load", "spare"), [(0.4, True), (1.9, True), (3.2, True), (4.0, False), (7.5, False)])
def test_a_core_is_spare_while_fewer_than_two_processes_a_core_ran(monkeypatch: pytest.MonkeyPatch, load: float,
                                                                   spare: bool) -> None:
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    monkeypatch.setattr(os, "getloadavg", lambda: (load, 0.0, 0.0))
    assert spare_core() is spare


def test_without_a_load_average_a_core_is_taken_as_spare(monkeypatch: pytest.MonkeyPatch) -> None:
    def unreadable() -> tuple[float, float, float]:
        raise OSError("no /proc/loadavg")

    monkeypatch.setattr(os, "getloadavg", unreadable)
    assert spare_core()


@linux_only
def test_edited_copies_found_aside_are_the_ones_found_here(monkeypatch: pytest.MonkeyPatch, forks: list[bool],
                                                          tmp_path: pathlib.Path) -> None:
    from test_phrases import KUDJA

    story = tmp_path / "kudja.txt"
    story.write_text(KUDJA, encoding="utf-8")
    here, aside = here_and_aside(monkeypatch, forks, str(story))
    assert [(f.kind, f.measure, places(f)) for f in aside.findings] == [(f.kind, f.measure, places(f))
                                                                         for f in here.findings]
    assert [f.measure for f in aside.findings] == ["order"]


@linux_only
def test_a_cached_comparison_made_aside_keeps_the_echo_candidates_for_the_next_run(monkeypatch: pytest.MonkeyPatch,
                                                                                    tmp_path: pathlib.Path,
                                                                                    comparisons: list[bool]) -> None:
    """The child sends its echo candidates only when the comparison is cached: a later
    run that reuses that comparison (here: another severity, so not the stored result)
    reads its echoes from them."""
    from dedupe.model import DEFAULT_SEVERITY

    monkeypatch.setattr(pipeline, "spare_core", lambda: True)
    monkeypatch.setattr(pipeline, "RUNS_ASIDE_MIN_WORDS", 0)
    first = dedupe.check([str(AIRPORT)], settings=Settings(cache=True, cache_dir=str(tmp_path), jobs=2))
    assert comparisons == [True]
    severity = {**DEFAULT_SEVERITY, "near": "error"}
    again = dedupe.check([str(AIRPORT)], settings=Settings(cache=True, cache_dir=str(tmp_path), jobs=2,
                                                                   severity=severity))
    assert comparisons == [True]  # the second comparison came from the cache
    assert [f.kind for f in first.findings] == ["echo", "echo"]
    assert [(f.kind, places(f)) for f in again.findings] == [(f.kind, places(f)) for f in first.findings]


def test_a_check_thaws_what_it_froze_and_leaves_a_callers_freeze_alone() -> None:
    """The documents a run reads are frozen out of garbage collection while it runs
    (pipeline.check); a long-lived caller gets them back as collectable objects."""
    dedupe.check(texts={"a.txt": AIRPORT.read_text(encoding="utf-8")}, settings=Settings(cache=False))
    assert gc.get_freeze_count() == 0
    gc.freeze()
    try:
        dedupe.check(texts={"a.txt": AIRPORT.read_text(encoding="utf-8")}, settings=Settings(cache=False))
        assert gc.get_freeze_count() > 0  # the caller's freeze stands (what the run froze is the caller's to thaw)
    finally:
        gc.unfreeze()
