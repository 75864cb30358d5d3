"""The errors the command line tells apart, in a module of their own: the console entry
point's replay (replay.py) and the walk (walk.py) raise and catch them without
importing the data model's dataclasses (25 ms)."""

from __future__ import annotations


class DedupeError(Exception):
    """The one user-facing error: its message names the file and the problem."""


class InternalError(Exception):
    """A bug met while working on one input, with that input named: the CLI reports it
    as an internal error (exit 3). Raised from the original exception; ``detail`` keeps
    its type and message, which a worker process cannot send back as its cause."""

    def __init__(self, path: str, detail: str) -> None:
        super().__init__(path, detail)
        self.path, self.detail = path, detail

    def __str__(self) -> str:
        return f"{self.path}: {self.detail}"
