"""Shared fixtures: the project root, the examples, the shared corpora when present."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
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


@pytest.fixture
def comparisons(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """A list that gets an entry each time a check compares (pipeline._compare), rather
    than taking the comparison from the cache."""
    from dedupe import pipeline

    made: list[bool] = []
    real = pipeline._compare

    def watched(*args, **kwargs):  # type: ignore[no-untyped-def]
        made.append(True)
        return real(*args, **kwargs)

    monkeypatch.setattr(pipeline, "_compare", watched)
    return made


@pytest.fixture
def forks(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """A list that gets an entry each time a check sets the shared-run search aside
    (pipeline.Aside): whether a child was forked for it. A core is taken to be free
    (spare_core), so that the decision is the run's own."""
    from dedupe import pipeline
    from dedupe.aside import Aside

    forked: list[bool] = []

    class Watched(Aside):  # type: ignore[type-arg]
        def __init__(self, fork: bool, *args: object) -> None:
            super().__init__(fork, *args)  # type: ignore[arg-type]
            forked.append(self.process is not None)

    monkeypatch.setattr(pipeline, "Aside", Watched)
    monkeypatch.setattr(pipeline, "spare_core", lambda: True)
    return forked


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true",
                     help="Rewrite the golden files in tests/golden/ from the current output (review the diff).")


REDIS_SERVER = shutil.which("redis-server")


@dataclass(frozen=True)
class RedisServer:
    """A redis-server this test session started: its process and where it listens."""

    process: subprocess.Popen  # type: ignore[type-arg]
    port: int
    folder: Path

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    """A real redis-server on a free localhost port, its files in a temporary folder,
    stopped after the session. .ci/run installs the Debian package when it is missing."""
    if REDIS_SERVER is None:
        pytest.fail("redis-server is not installed (Debian package redis-server; .ci/run installs it)")
    folder = tmp_path_factory.mktemp("redis")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    process = subprocess.Popen([REDIS_SERVER, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(folder),
                                "--save", "", "--appendonly", "no", "--daemonize", "no"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2) as c:
                c.sendall(b"PING\r\n")
                if c.recv(16).startswith(b"+PONG"):
                    break
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"redis-server did not start on port {port}")
        time.sleep(0.05)
    yield RedisServer(process, port, folder)
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def redis_url(redis_server: RedisServer) -> str:
    """The URL of an empty database on the session's redis-server."""
    import redis

    client = redis.Redis.from_url(redis_server.url(0))
    client.flushdb()
    client.close()
    return redis_server.url(0)
