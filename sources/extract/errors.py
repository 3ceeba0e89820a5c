"""The one error type the extraction library raises for documents it cannot read."""

from __future__ import annotations


class UnreadableDocument(ValueError):
    """A document whose text cannot be obtained.

    ``str()`` names the file and what was wrong, so a pipeline log line is enough
    to find and fix the source ("memo.pdf: PDF is encrypted").
    """

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(f"{name}: {reason}")
        self.name = name
        self.reason = reason

    def __reduce__(self):  # keep picklable across process pools
        return (type(self), (self.name, self.reason))
