"""The speed tools of bench/ run, and check what they say they check."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _bench(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, *args], check=False, capture_output=True, text=True, timeout=300)


def test_signing_bench_runs_on_the_examples_and_finds_the_rows_equal() -> None:
    proc = _bench(str(ROOT / "bench" / "signing.py"), str(ROOT / "examples"), "--rounds", "2", "--threads", "1", "3")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert "keys" in lines[0]
    assert [line.split(":")[0] for line in lines[1:]] == ["1 thread", "3 threads"]
    assert all(line.endswith("rows the same") for line in lines[1:])


def test_ab_bench_times_two_checkouts_in_turns(tmp_path: Path) -> None:
    proc = _bench(str(ROOT / "bench" / "ab.py"), str(ROOT), str(ROOT), "--rounds", "2", "--",
                  "--no-cache", "-q", str(ROOT / "examples"))
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].endswith("2 rounds, taking turns")
    assert [line.split(":")[0] for line in lines[1:3]] == [str(ROOT), str(ROOT)]
    assert lines[3].startswith("second / first, wall, per round: median ")


def test_ab_bench_refuses_a_folder_without_dedupe(tmp_path: Path) -> None:
    proc = _bench(str(ROOT / "bench" / "ab.py"), str(tmp_path), str(ROOT), "--rounds", "1")
    assert proc.returncode != 0
    assert "no dedupe package there" in proc.stderr


def test_ab_bench_edits_an_article_a_round_through_each_checkouts_cache(tmp_path: Path) -> None:
    before = {p: p.read_bytes() for p in (ROOT / "examples").rglob("*") if p.is_file()}
    proc = _bench(str(ROOT / "bench" / "ab.py"), str(ROOT), str(ROOT), "--rounds", "2", "--edited", str(ROOT / "examples"))
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0] == f"dedupe check -q, one article of {ROOT / 'examples'} edited a round: 2 rounds, taking turns"
    assert lines[3].startswith("second / first, wall, per round: median ")
    assert {p: p.read_bytes() for p in (ROOT / "examples").rglob("*") if p.is_file()} == before  # a copy is edited


def test_ab_bench_edited_refuses_a_missing_corpus(tmp_path: Path) -> None:
    proc = _bench(str(ROOT / "bench" / "ab.py"), str(ROOT), str(ROOT), "--rounds", "1", "--edited", str(tmp_path / "none"))
    assert proc.returncode != 0
    assert "corpus not found" in proc.stderr


def test_git_warm_bench_settles_then_times_warm_and_replayed_runs_with_the_same_output() -> None:
    before = {p: p.read_bytes() for p in (ROOT / "examples").rglob("*") if p.is_file()}
    proc = _bench(str(ROOT / "bench" / "git_warm.py"), str(ROOT / "examples"), "--rounds", "2")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert [line.split(":")[0].strip() for line in lines[1:3]] == ["cold", "first warm"]
    assert [line.split(":")[0].strip() for line in lines[-8:-4]] == ["warm, no replay", "replayed"] * 2
    assert lines[-3].startswith("runs until no place was left undated: ")
    assert lines[-2].startswith("warm, no replay: wall median ") and lines[-1].startswith("replayed: wall median ")
    assert {p: p.read_bytes() for p in (ROOT / "examples").rglob("*") if p.is_file()} == before  # a copy is committed


def test_floors_bench_times_each_case_in_turns_and_edits_a_copy() -> None:
    before = {p: p.read_bytes() for p in (ROOT / "examples").rglob("*") if p.is_file()}
    proc = _bench(str(ROOT / "bench" / "floors.py"), str(ROOT / "examples"), "--rounds", "2")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    cases = ["start", "prepared", "cold", "regrouped", "edited"]
    assert [line.split(":")[0] for line in lines[2:12]] == [f"round {n} {c:9}" for n in (1, 2) for c in cases]
    assert [line.split(":")[0] for line in lines[-6:-1]] == cases
    assert all(" s wall, " in line for line in lines[2:12])
    assert {p: p.read_bytes() for p in (ROOT / "examples").rglob("*") if p.is_file()} == before  # a copy is edited


def test_floors_bench_times_only_the_cases_asked_for_and_refuses_a_missing_corpus(tmp_path: Path) -> None:
    proc = _bench(str(ROOT / "bench" / "floors.py"), str(ROOT / "examples"), "--rounds", "1", "--cases", "prepared")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert [line.split(":")[0] for line in lines[2:3]] == ["round 1 prepared "]
    assert lines[-2].startswith("prepared: wall median ")
    proc = _bench(str(ROOT / "bench" / "floors.py"), str(tmp_path / "none"), "--rounds", "1")
    assert proc.returncode != 0
    assert "corpus not found" in proc.stderr
