"""Numbers as written in Kazakh, Russian and English documents, parsed exactly (Decimal).

Grouping: space, no-break space (U+00A0), narrow no-break space (U+202F),
thin space, comma or dot ("1 250 000", "1,250,000", "12.000.000").
Decimal mark: comma or dot ("2,5", "3.2", "1 250 000 000,50").

A single separator followed by exactly three digits ("1,250", "1.250") is a
thousands separator, except before a scale word: "1,250 млрд" / "1.250 million"
are 1.25 billion / million (a grouped number is never followed by a scale word
in Russian/Kazakh usage).  The one exception is English "1,250 million", where
the comma is the English thousands separator.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

SPACES = " \u00a0\u202f\u2009"

#: Regex source for one number token; it never starts or ends inside a longer number or word.
#: Repetitions are bounded (up to 10^24) so a pathological run of digit groups stays linear.
NUMBER = (
    r"(?<![\w.,])(?<![^\W\d_][/\-])"
    r"(?:\d{1,3}(?:[" + SPACES + r"]\d{3}){1,7}(?:[.,]\d{1,6})?"  # 1 250 000,50
    r"|\d{1,3}(?:,\d{3}){1,7}(?:\.\d{1,6})?"  # 1,250,000.50
    r"|\d{1,3}(?:\.\d{3}){1,7}(?:,\d{1,6})?"  # 1.250.000,50
    r"|\d{1,24}(?:[.,]\d{1,6})?)"  # 2500 / 2,5 / 3.2
    r"(?![\d]|[.,]\d|[" + SPACES + r"]\d{3}(?!\d))"  # never stop in the middle of a group run
)
NUMBER_RE = re.compile(NUMBER)
_SPACE_RE = re.compile("[" + SPACES + "]")


def parse_number(raw: str, *, before_scale: str | None = None) -> Decimal:
    """Exact value of a NUMBER token.

    ``before_scale`` is ``"cyr"`` or ``"lat"`` when a scale word (млн / million)
    follows, which changes how a lone ``,ddd`` / ``.ddd`` is read (see module doc).
    """
    s = _SPACE_RE.sub("", raw)
    commas, dots = s.count(","), s.count(".")
    if commas and dots:
        decimal_mark = "," if s.rfind(",") > s.rfind(".") else "."
        group_mark = "." if decimal_mark == "," else ","
        s = s.replace(group_mark, "").replace(decimal_mark, ".")
    elif commas + dots == 1:
        mark = "," if commas else "."
        whole, frac = s.split(mark)
        grouped_space = _SPACE_RE.search(raw) is not None
        if grouped_space:
            is_group = False  # "1 250,500": spaces already group, so the mark is decimal
        elif before_scale == "cyr":
            is_group = False
        elif before_scale == "lat":
            is_group = mark == "," and len(frac) == 3
        else:
            is_group = len(frac) == 3
        s = whole + frac if is_group else whole + "." + frac
    elif commas > 1 or dots > 1:
        s = s.replace(",", "").replace(".", "")
    try:
        return Decimal(s)
    except InvalidOperation:  # pragma: no cover - NUMBER_RE guarantees digits
        raise ValueError(f"not a number: {raw!r}") from None


def to_json_number(value: Decimal) -> int | float:
    """int when whole, else float (the JSON shape others consume)."""
    if value == value.to_integral_value():
        return int(value)
    return float(value)
