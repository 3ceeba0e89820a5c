"""Parsing a source's archived documents: every bad document is reported, not just the first.

A layout change or a corrupt file usually hits several documents at once; the maintainer fixing the
adapter (or the auditor reading the error) needs the whole list, each with its URL and reason.
"""
from __future__ import annotations

from contextlib import contextmanager


class ParseError(Exception):
    """One or more documents of a source could not be turned into rows; the message lists each one."""


class DocumentProblems:
    def __init__(self, source_id: str):
        self.source_id = source_id
        self.problems: list[str] = []

    @contextmanager
    def reading(self, url: str):
        """Run the block for one document; a failure is recorded with the document's URL and the run goes on."""
        try:
            yield
        except Exception as error:  # noqa: BLE001 - recorded with its URL and raised together in raise_if_any
            message = str(error)
            self.problems.append(message if url in message else f"{url}: {message}")

    def raise_if_any(self) -> None:
        if self.problems:
            raise ParseError(f"source {self.source_id}: {len(self.problems)} document(s) could not be parsed:\n  " + "\n  ".join(self.problems))
