"""The unit a budget table states its amounts in: "тыс. тенге", "млн теңге", "мың теңге", "сом", "тыс. сом".

Returned as (unit_in_source, multiplier, currency). A table with no unit statement is an error, not a guess:
Kazakhstan's reports are usually in thousands of tenge, but "usually" would publish wrong figures a thousandfold.
The currency may be left to the region's country when only the scale is stated ("тыс.").
"""
from __future__ import annotations

import re
from decimal import Decimal

SCALES = {"unit": Decimal(1), "thousand": Decimal(1000), "million": Decimal(10**6), "billion": Decimal(10**9)}

_SCALE = (
    ("billion", r"млрд\.?|миллиард\w*|billions?|bn\b|миллиард"),
    ("million", r"млн\.?|миллион\w*|millions?|mln\.?|m\b"),
    ("thousand", r"тыс\.?(?:яч\w*)?|тысяч\w*|мың|миң|thousands?|th\.|'000|000s|тыс"),
)
_CURRENCY = (
    ("KZT", r"тенге|теңге|тг\.?|tenge|kzt|₸"),
    ("KGS", r"сом(?:ов|ах|дор|дун)?|som|soms|kgs"),
)
_SCALE_RE = "|".join(f"(?P<{name}>{src})" for name, src in _SCALE)
_CURRENCY_RE = "|".join(f"(?P<{code}>{src})" for code, src in _CURRENCY)
#: "тыс. тенге", "(в тыс. тенге)", "млн теңге", "мың теңге", "'000 KZT", "тыс. сом", "in thousands of tenge"
_SCALED = re.compile(rf"(?<!\w)(?:{_SCALE_RE})\s*(?:of\s+)?(?:{_CURRENCY_RE})(?!\w)", re.I)
_PLAIN = re.compile(rf"(?<![\w.])(?:{_CURRENCY_RE})(?!\w)", re.I)
#: a bare scale in a unit position: "(тыс.)", "Сумма, тыс.", "in thousands"
_BARE_SCALE = re.compile(rf"(?:^|[(,;:]|\bв\s|\bin\s)\s*(?:{_SCALE_RE})\s*(?:$|[),;])", re.I)


def _name(match: re.Match, names) -> str | None:
    return next((name for name, _ in names if match.group(name)), None)


def detect_unit(text: str) -> tuple[str, Decimal, str | None] | None:
    """(unit_in_source, multiplier, currency or None) stated in `text`, or None when nothing is stated.

    Raises ValueError when the text states two different units (e.g. "тыс. тенге" and "млн тенге").
    """
    found = set()
    for m in _SCALED.finditer(text):
        found.add((_name(m, _SCALE), _name(m, _CURRENCY)))
    if not found:
        for m in _PLAIN.finditer(text):
            found.add(("unit", _name(m, _CURRENCY)))
        for m in _BARE_SCALE.finditer(text):
            found.add((_name(m, _SCALE), None))
    if not found:
        return None
    scales = {scale for scale, _ in found}
    currencies = {currency for _, currency in found if currency}
    if len(scales) > 1 or len(currencies) > 1:
        stated = ", ".join(sorted(f"{s} {c or ''}".strip() for s, c in found))
        raise ValueError(f"the file states more than one unit ({stated})")
    scale = scales.pop()
    return scale, SCALES[scale], (currencies.pop() if currencies else None)
