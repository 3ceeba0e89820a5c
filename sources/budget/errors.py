"""The one error a budget file raises when it cannot be read: the message names the file and what was wrong."""
from __future__ import annotations


class BudgetFileError(ValueError):
    """A budget file Ashyq cannot turn into lines: `str()` is "<file>: <where>: <what>"."""

    def __init__(self, name: str, reason: str):
        super().__init__(f"{name}: {reason}")
        self.name, self.reason = name, reason

    def __reduce__(self):  # picklable across process pools
        return (type(self), (self.name, self.reason))
