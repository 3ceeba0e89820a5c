"""Calendar dates ("points") in Kazakh, Russian and English text.

A point has a precision: a day ("11 марта 2024 года" -> "2024-03-11"), a
month ("в марте 2024 года", "March 2024", "2024 жылғы наурыз" -> "2024-03")
or, only as a period bound, a year ("2024" in "2024–2026").

Decisions:
* Dates without a year ("February 25") are skipped: guessing the year would
  publish invented data.
* Numeric dates are day-first (dd.mm.yyyy, d.m.yyyy, dd/mm/yyyy, dd-mm-yyyy);
  with "/" a month-first reading is used only when day-first is impossible
  ("03/25/2024").  Impossible dates (31.02.2024) are rejected.
* Years must be 1900-2099 (period bounds written as bare years: 1990-2100).
* Numeric month-years ("06.2023") and bare years are only used as period
  bounds, never reported as dates on their own: alone they are too often
  something else (a version, a count, a year of a report title).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

from .letters import CYR_LOWER
from .months import MONTH_ANY, MONTH_EN_WORD, MONTH_KK_WORD, month_number
from .spans import Span, select

DAY, MONTH, YEAR = "day", "month", "year"

_YEAR = r"(?P<y>(?:19|20)\d\d)(?!\d|[.,]\d)"
#: Optional year word after a year: г., гг., года, году, жылы, жылғы, жылдан, ж.
_YEAR_WORD = (
    r"(?:\s*(?:г\.\s*г\.|гг?(?!\w)\.?|год(?:а|у|ом|е|ы|ах|ов|ам)?(?!\w)"
    rf"|жж?\.|жыл[{CYR_LOWER}]{{0,8}}(?!\w)))?"
)
_DAY = r"[«\"“']?(?P<d>[0-3]?\d)(?:st|nd|rd|th|-?(?:го|е))?[»\"”']?"
_KK_YEAR_OF = r"(?:жылғы|жылдың|жылы|ж\.)"

_PATTERNS: tuple[tuple[str, str], ...] = (
    # 11.03.2024, 1.3.2024, 11/03/2024, 11-03-2024
    (DAY, r"(?<![\d.,/])(?P<d>\d{1,2})(?P<sep>[./\-])(?P<m>\d{1,2})(?P=sep)" + _YEAR + _YEAR_WORD),
    # 2024-03-11
    (DAY, r"(?<![\d.,/])(?<!\d-)(?P<y>(?:19|20)\d\d)-(?P<m>\d\d)-(?P<d>\d\d)(?![\d])"),
    # 11 марта 2024 года, «14» наурыз 2023 ж., 23rd of January, 2020, 4 February 2022
    (DAY, rf"(?<![\d.,/])(?<!\w){_DAY}(?:\s+of)?\s+(?P<mon>{MONTH_ANY}),?\s*{_YEAR}{_YEAR_WORD}"),
    # January 23, 2020 / Feb 4, 2022
    (DAY, rf"(?<!\w)(?P<mon>{MONTH_EN_WORD})\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?(?!\d),?\s+{_YEAR}"),
    # 2023 жылғы 14 наурызда / 2024 жылдың 5 сәуірінде
    (DAY, rf"(?<![\d.,/])(?<!\w){_YEAR}\s*{_KK_YEAR_OF}\s*{_DAY}\s+(?P<mon>{MONTH_KK_WORD})"),
    # в марте 2024 года / March 2024 / Ақпан 2017
    (MONTH, rf"(?<!\w)(?P<mon>{MONTH_ANY}),?\s+{_YEAR}{_YEAR_WORD}"),
    # 2024 жылғы наурыз
    (MONTH, rf"(?<![\d.,/])(?<!\w){_YEAR}\s*{_KK_YEAR_OF}\s*(?P<mon>{MONTH_KK_WORD})"),
)
#: Bounds that only count inside a period.
_BOUND_PATTERNS: tuple[tuple[str, str], ...] = (
    (MONTH, r"(?<![\d.,/])(?P<m>0?[1-9]|1[0-2])[./]" + _YEAR + _YEAR_WORD),
    (YEAR, r"(?<![\w.,/№])(?<![^\W\d_]-)" + _YEAR + _YEAR_WORD),
)
_COMPILED = tuple((p, re.compile(src, re.I), False) for p, src in _PATTERNS) + tuple(
    (p, re.compile(src, re.I), True) for p, src in _BOUND_PATTERNS
)


@dataclass(frozen=True)
class Point:
    start: int
    end: int
    precision: str  # DAY, MONTH or YEAR
    year: int
    month: int = 0
    day: int = 0
    bound_only: bool = False  # bare year / "06.2023": only meaningful in a period

    @property
    def iso(self) -> str:
        if self.precision == DAY:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.precision == MONTH:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"

    @property
    def first_day(self) -> tuple[int, int, int]:
        return (self.year, self.month or 1, self.day or 1)


def _valid(y: int, m: int, d: int) -> bool:
    return 1 <= m <= 12 and 1 <= d <= calendar.monthrange(y, m)[1]


def _point(precision: str, m: re.Match, bound_only: bool) -> Point | None:
    groups = m.groupdict()
    year = int(groups["y"])
    if precision == YEAR:
        return Point(m.start(), m.end(), YEAR, year, bound_only=True) if 1990 <= year <= 2100 else None
    month = month_number(groups["mon"]) if groups.get("mon") else int(groups["m"])
    if precision == MONTH:
        return Point(m.start(), m.end(), MONTH, year, month, bound_only=bound_only) if 1 <= month <= 12 else None
    day = int(groups["d"])
    if not _valid(year, month, day):
        if groups.get("sep") == "/" and _valid(year, day, month):  # 03/25/2024: US order
            month, day = day, month
        else:
            return None
    return Point(m.start(), m.end(), DAY, year, month, day)


def find_points(text: str) -> list[Point]:
    """All date points (including period-only bounds), non-overlapping, in text order."""
    spans = []
    for precision, rx, bound_only in _COMPILED:
        for m in rx.finditer(text):
            point = _point(precision, m, bound_only)
            if point is not None:
                # Real dates beat bare years/month numbers covering the same text.
                spans.append(Span(m.start(), m.end(), 1 if bound_only else 0, {"point": point}))
    return [s.data["point"] for s in select(spans)]
