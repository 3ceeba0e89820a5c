"""Periods: two date points joined by a range connector.

Recognised: "2024–2026", "2024 — 2026 годах", "на 2024-2026 гг.", "2024–2026
жылдары", "Ақпан 2017 – Қаңтар 2020", "06.2023 – 12.2023", "from 1 April 2022
to 31 March 2025", "с 1 апреля 2022 года по 31 марта 2025 года", "between 2022
and 2025", "2022 жылдан 2025 жылға дейін", "2022 жылғы 1 қаңтардан бастап ...
дейін".  Bare-year ranges joined by a word need a "с / from / between" before
them; Kazakh ranges need the closing "дейін/шейін".  start must not be after
end.  ``text`` runs from the first bound to the second (plus "дейін").
"""

from __future__ import annotations

import re

from .dates import YEAR, Point

_DASH = re.compile(r"\s*[-‐‑‒–—―]\s*$")
_WORD = re.compile(r"\s+(?P<w>по|до|to|until|till|through|thru|and)\s+$", re.I)
_OPENER = re.compile(r"(?:^|[^\w])(?P<w>с|c|со|from|between|since)\s+$", re.I)
_KK_LINK = re.compile(r"\s*(?:бастап\s+)?$", re.I)
_KK_FROM = re.compile(r"(?:дан|ден|тан|тен|нан|нен)$", re.I)
_KK_UNTIL = re.compile(r"\s*(?:дейін|шейін|дейінгі|шейінгі)(?!\w)", re.I)


def _joined(text: str, a: Point, b: Point) -> int | None:
    """End offset of the period text if ``a``..``b`` form a range, else None."""
    gap = text[a.end:b.start]
    if len(gap) > 20 or "\n\n" in gap:
        return None
    until = _KK_UNTIL.match(text, b.end)
    if until and (_KK_FROM.search(text[a.start:a.end]) or "бастап" in gap.lower()) and _KK_LINK.match(gap):
        return until.end()
    if _DASH.match(gap):
        return b.end
    word = _WORD.match(gap)
    if not word:
        return None
    opener = _OPENER.search(text[max(0, a.start - 12):a.start])
    if word["w"].lower() == "and":
        return b.end if opener and opener["w"].lower() == "between" else None
    if YEAR in (a.precision, b.precision) and not opener:
        return None
    return b.end


def find_periods(text: str, points: list[Point]) -> list[tuple[Point, Point, int]]:
    """(start point, end point, end offset of the period text), in text order."""
    periods = []
    i = 0
    while i < len(points) - 1:
        a, b = points[i], points[i + 1]
        end = _joined(text, a, b)
        if end is not None and a.first_day <= b.first_day:
            periods.append((a, b, end))
            i += 2
        else:
            i += 1
    return periods
