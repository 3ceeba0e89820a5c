"""Reading one table cell: amounts (with a "тыс. тенге" multiplier), periods, currencies, empty markers.

Cells come from HTML (text), XLSX (numbers, dates, text) and CSV (text). A cell that says nothing ("—",
"н/д", "жоқ") is empty; a cell that says something unreadable raises CellError rather than being guessed.
"""
from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from sources.extract.dates import find_points
from sources.extract.numbers import NUMBER_RE, parse_number
from sources.extract.periods import find_periods

EMPTY = frozenset({"", "-", "--", "—", "–", "‒", "н/д", "нд", "нет", "не указано", "жоқ", "n/a", "na", "none", "x", "х", "?"})

_CUR = {
    "KZT": r"тенге|теңге|tenge|kzt|₸|тг\b",
    "USD": r"usd|us\$|\$|доллар\w*|dollars?",
    "EUR": r"eur\b|€|евро|еуро|euros?",
    "KGS": r"kgs|сом\b|сомов|som\b",
    "RUB": r"rub\b|руб\w*|рубл\w*",
}
_SCALES = (
    (10**9, r"млрд\.?|миллиард\w*|billions?|bln\.?|bn\b"),
    (10**6, r"млн\.?|миллион\w*|millions?|mln\.?|mn\b"),
    (10**3, r"тыс\.?|тысяч\w*|мың|thousands?|'000|’000|000s\b"),
)
_CUR_ANY = "|".join(f"(?:{src})" for src in _CUR.values())
_SCALE_ANY = "|".join(f"(?:{src})" for _, src in _SCALES)
# In a caption or title the scale only counts when it is attached to a currency: "тыс. тенге", "KZT thousand".
_SCALED_CURRENCY = re.compile(
    rf"(?<!\w)(?:(?P<s1>{_SCALE_ANY})\s*(?:of\s+)?(?P<c1>{_CUR_ANY})|(?P<c2>{_CUR_ANY})\s*,?\s*(?P<s2>{_SCALE_ANY}))", re.I
)


class CellError(ValueError):
    """A cell holds something that is neither empty nor readable as the column's kind."""


def cell_text(value) -> str:
    """A cell as one line of text (dates in ISO, whole floats without '.0')."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (dt.datetime, dt.date)):
        return value.date().isoformat() if isinstance(value, dt.datetime) else value.isoformat()
    return " ".join(str(value).replace("\u00a0", " ").split())


def is_empty(value) -> bool:
    return cell_text(value).lower().strip(" .*") in EMPTY


def currency_in(text: str) -> str | None:
    """ISO code of the first currency named in `text`."""
    found = [(m.start(), code) for code, src in _CUR.items() for m in [re.search(rf"(?<!\w)(?:{src})", text, re.I)] if m]
    return min(found)[1] if found else None


def scale_in(text: str) -> int:
    """Multiplier stated in an amount column's header or cell ("тыс.", "млн", "thousand"), else 1."""
    for multiplier, src in _SCALES:
        if re.search(rf"(?<!\w)(?:{src})", text, re.I):
            return multiplier
    return 1


def scaled_currency_in(text: str) -> tuple[int, str] | None:
    """(multiplier, currency) from a caption such as "(тыс. тенге)" or "KZT thousand"; None if not stated."""
    m = _SCALED_CURRENCY.search(text)
    if not m:
        return None
    return scale_in(m["s1"] or m["s2"]), currency_in(m["c1"] or m["c2"])


def parse_amount(value, multiplier: int) -> tuple[Decimal | None, str | None, int]:
    """(amount in currency units, currency written in the cell, multiplier applied) of an amount cell."""
    if is_empty(value):
        return None, None, 1
    if isinstance(value, bool):
        raise CellError(f"amount {value!r} is not a number")
    if isinstance(value, int):
        return Decimal(value) * multiplier, None, multiplier
    if isinstance(value, float):
        return Decimal(repr(value)) * multiplier, None, multiplier
    text = cell_text(value)
    numbers = NUMBER_RE.findall(text)
    if len(numbers) != 1:
        raise CellError(f"amount {text!r} does not hold exactly one number")
    cell_scale = scale_in(text.replace(numbers[0], " "))
    applied = cell_scale if cell_scale != 1 else multiplier
    script = "cyr" if re.search(r"[а-яәғқңөұүһі]", text, re.I) else "lat"
    number = parse_number(numbers[0], before_scale=script if cell_scale != 1 else None)
    return number * applied, currency_in(text), applied


def parse_period(value) -> tuple[str | None, str | None]:
    """(start, end) ISO strings as precise as the cell: "2023–2024", "06.2023 – 12.2023", "2024", a date."""
    if is_empty(value):
        return None, None
    if isinstance(value, dt.datetime):
        return (value.date().isoformat(),) * 2
    if isinstance(value, dt.date):
        return (value.isoformat(),) * 2
    if isinstance(value, (int, float)) and not isinstance(value, bool) and float(value).is_integer() and 1990 <= value <= 2100:
        return (str(int(value)),) * 2
    text = cell_text(value)
    points = find_points(text)
    periods = find_periods(text, points)
    if periods:
        start, end, _ = periods[0]
        return start.iso, end.iso
    if len(points) == 1:
        return points[0].iso, points[0].iso
    raise CellError(f"period {text!r} is not a date, a year or a range of them")
