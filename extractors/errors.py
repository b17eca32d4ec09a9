"""Errors raised by the readers when a file cannot be turned into text."""

from __future__ import annotations


class SourceError(Exception):
    """A source file that cannot be read; the run records it and moves on."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(path, reason)
        self.path = str(path)
        self.reason = reason

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"
