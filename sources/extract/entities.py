"""``extract_entities``: the JSON-shaped summary of one document's text.

Dates and periods: a date that is a bound of a matched period is listed in
``dates`` too only if it is a full day date ("с 1 апреля 2022 года по ..."
gives a period and two dates; "2024–2026" and "Ақпан 2017 – Қаңтар 2020" give
only a period).  Nothing is deduplicated: every mention is an entry, in order
of appearance, and every ``text`` is the exact substring matched.
"""

from __future__ import annotations

import os

from .amounts import find_amounts
from .dates import DAY, find_points
from .language import detect_language
from .organisations import find_organizations
from .periods import find_periods
from .regions import find_regions
from .text import read_document


def find_dates_and_periods(text: str) -> tuple[list[dict], list[dict]]:
    points = find_points(text)
    periods = find_periods(text, points)
    in_period = {id(p) for a, b, _ in periods for p in (a, b)}
    dates = [
        {"value": p.iso, "text": text[p.start:p.end]}
        for p in points
        if not p.bound_only and (id(p) not in in_period or p.precision == DAY)
    ]
    period_entries = [
        {"start": a.iso, "end": b.iso, "text": text[a.start:end]} for a, b, end in periods
    ]
    return dates, period_entries


def extract_entities(text: str) -> dict:
    """Language, amounts, dates, periods, regions and organisations mentioned in ``text``."""
    if not isinstance(text, str):
        raise TypeError(f"extract_entities expects str, got {type(text).__name__}")
    dates, periods = find_dates_and_periods(text)
    return {
        "language": detect_language(text),
        "amounts": find_amounts(text),
        "dates": dates,
        "periods": periods,
        "regions": find_regions(text),
        "organizations": find_organizations(text),
    }


def extract_file(path: str | os.PathLike) -> dict:
    """``read_document`` on the file's bytes (named by its base name), then ``extract_entities``."""
    with open(path, "rb") as fh:
        data = fh.read()
    return extract_entities(read_document(data, name=os.path.basename(os.fspath(path))))
