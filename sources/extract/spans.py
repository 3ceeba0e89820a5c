"""Choosing among overlapping regex candidates.

Several patterns may match the same stretch of text ("11 марта 2024" is a full
date and contains the month-year "марта 2024"); the better match wins.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Any


@dataclass(order=False)
class Span:
    start: int
    end: int
    rank: int = 0  # lower wins before length is considered
    data: dict[str, Any] = field(default_factory=dict)

    def overlaps(self, other: "Span") -> bool:
        return self.start < other.end and other.start < self.end


def select(candidates: list[Span]) -> list[Span]:
    """Non-overlapping subset: by rank, then longest, then earliest; returned in text order."""
    starts: list[int] = []  # chosen spans, kept sorted by start (they never overlap)
    chosen: list[Span] = []
    for cand in sorted(candidates, key=lambda s: (s.rank, -(s.end - s.start), s.start)):
        if cand.end <= cand.start:
            continue
        i = bisect.bisect_left(starts, cand.start)
        if i < len(chosen) and chosen[i].start < cand.end:
            continue
        if i > 0 and chosen[i - 1].end > cand.start:
            continue
        starts.insert(i, cand.start)
        chosen.insert(i, cand)
    return chosen
