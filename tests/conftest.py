"""Shared fixtures: the project root, the examples, the shared corpora when present."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SHARED = ROOT.parent / "shared"
BBC = SHARED / "corpora" / "bbc"
# Kinds the examples cannot show: archive matches need an archive index (--against).
NOT_IN_EXAMPLES = frozenset({"archive"})


@pytest.fixture
def write(tmp_path: Path):
    """Write a file under tmp_path and return its path as a string."""

    def _write(name: str, text: str) -> str:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return str(path)

    return _write


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true",
                     help="Rewrite the golden files in tests/golden/ from the current output (review the diff).")
