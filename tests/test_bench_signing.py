"""bench/signing.py runs, and checks the rows of every thread count are the same."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_signing_bench_runs_on_the_examples_and_finds_the_rows_equal() -> None:
    proc = subprocess.run([sys.executable, str(ROOT / "bench" / "signing.py"), str(ROOT / "examples"),
                           "--rounds", "2", "--threads", "1", "3"], check=False, capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert "keys" in lines[0]
    assert [line.split(":")[0] for line in lines[1:]] == ["1 thread", "3 threads"]
    assert all(line.endswith("rows the same") for line in lines[1:])
