"""Which fiscal year a budget report covers, from its title.

A report "на 1 января 2024 года" / "2024 жылғы 1 қаңтардағы" / "as of 1 January 2024" / "по состоянию на
01.01.2024" is the execution of fiscal year 2023: money is counted up to the start of that day. Any other
reporting date (the first of a month, or 31 December) lies inside its own year ("на 1 октября 2023" is nine
months of 2023). Without a reporting date, "за 2023 год" / "на 2023 год" / "2023 жылға" / "for 2023" /
"2023-жылга" name the year directly. Other dates in a title (a maslikhat decision "от 12 декабря 2022 года")
are not reporting dates and are ignored.
"""
from __future__ import annotations

import re
from datetime import date

_MONTHS = (
    r"январ\w*|jan\w*|қаңтар\w*|каңтар\w*|кантар\w*|қантар\w*",
    r"феврал\w*|feb\w*|ақпан\w*|акпан\w*",
    r"март\w*|mar\w*|наурыз\w*",
    r"апрел\w*|apr\w*|сәуір\w*|сауир\w*|сәуiр\w*",
    r"ма[йяюе]\w*|may|мамыр\w*",
    r"июн\w*|jun\w*|маусым\w*",
    r"июл\w*|jul\w*|шілде\w*|шилде\w*",
    r"август\w*|aug\w*|тамыз\w*",
    r"сентябр\w*|sep\w*|қыркүйек\w*|кыркуйек\w*",
    r"октябр\w*|oct\w*|қазан\w*|казан\w*",
    r"ноябр\w*|nov\w*|қараша\w*|караша\w*",
    r"декабр\w*|dec\w*|желтоқсан\w*|желтоксан\w*",
)
_MONTH_RE = [re.compile(f"^(?:{src})$", re.I) for src in _MONTHS]
_MONTH = "(?:" + "|".join(_MONTHS) + ")"
_Y = r"(?P<y>(?:19|20)\d\d)"
_D = r"(?P<d>[0-3]?\d)"
_YEAR_WORD = r"(?:\s*-?\s*(?:жылғы|жылдың|жылдын|жылдагы|жылдағы|жылы|жыл|ж\.|г\.|года|год))?"
_DATES = (
    # 1 января 2024 года, 1-го января 2024, 1 қаңтар 2024 ж.
    re.compile(rf"(?<![\d.]){_D}\s*(?:-?го|-?е)?\s*(?P<m>{_MONTH})\s*,?\s*{_Y}", re.I),
    # 2024 жылғы 1 қаңтардағы, 2024-жылдын 1-январына
    re.compile(rf"(?<!\d){_Y}{_YEAR_WORD}\s*{_D}\s*-?\s*(?P<m>{_MONTH})", re.I),
    # January 1, 2024
    re.compile(rf"(?P<m>{_MONTH})\s+{_D}(?:st|nd|rd|th)?,?\s+{_Y}", re.I),
    # 01.01.2024, 1/1/2024
    re.compile(rf"(?<![\d.]){_D}[./](?P<mn>[01]?\d)[./]{_Y}(?!\d)"),
    # 2024-01-01
    re.compile(rf"(?<!\d){_Y}-(?P<mn>[01]\d)-{_D}(?!\d)"),
)
_FOR_YEAR = (
    re.compile(rf"(?:\bза|\bна|\bfor|\bin|\bFY)\s+{_Y}\s*(?:-?\s*(?:год\w*|г\.|гг\.|year|fiscal))", re.I),
    re.compile(rf"(?:\bза|\bfor|\bFY)\s+{_Y}(?![\d-])", re.I),
    re.compile(rf"(?<!\d){_Y}\s*-?\s*(?:жылға|жылғы|жылдагы|жылдағы|жылга|жылына|жылдың)(?!\s*\d)", re.I),
    re.compile(rf"(?<!\d){_Y}\s+(?:год|года|year)\b", re.I),
)


def month_number(word: str) -> int:
    for number, rx in enumerate(_MONTH_RE, start=1):
        if rx.match(word):
            return number
    raise ValueError(f"not a month: {word!r}")


def _reporting_dates(text: str) -> list[tuple[int, date]]:
    found = []
    for rx in _DATES:
        for m in rx.finditer(text):
            try:
                month = int(m.group("mn")) if "mn" in m.groupdict() and m.group("mn") else month_number(m.group("m"))
                when = date(int(m.group("y")), month, int(m.group("d")))
            except ValueError:
                continue
            if when.day == 1 or (when.month == 12 and when.day == 31):
                found.append((m.start(), when))
    return sorted(found)


def fiscal_period(text: str) -> tuple[int, date | None] | None:
    """(fiscal year, reporting date or None) stated in a title, or None when it states neither."""
    dates = _reporting_dates(text)
    if dates:
        distinct = sorted({when for _, when in dates})
        if len(distinct) > 1:
            raise ValueError(f"the title states more than one reporting date ({', '.join(d.isoformat() for d in distinct)})")
        when = distinct[0]
        return (when.year - 1 if (when.month, when.day) == (1, 1) else when.year), when
    years = []
    for rx in _FOR_YEAR:
        years += [(m.start(), int(m.group("y"))) for m in rx.finditer(text)]
    if years:
        distinct = sorted({year for _, year in years})
        if len(distinct) > 1:
            raise ValueError(f"the title names more than one fiscal year ({', '.join(map(str, distinct))})")
        return distinct[0], None
    return None
