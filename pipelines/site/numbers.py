"""Numbers for people: amounts with thousands separators, chart units and axis ticks, file sizes.

Amounts are Decimals end to end (never floats), so totals are exact and rendering is deterministic.
"""
from __future__ import annotations

from decimal import ROUND_CEILING, ROUND_HALF_EVEN, Decimal, InvalidOperation

UNITS = [(Decimal(10) ** 9, "billion"), (Decimal(10) ** 6, "million"), (Decimal(10) ** 3, "thousand"), (Decimal(1), "")]


def parse_amount(text) -> Decimal | None:
    """The CSV cell as a Decimal; None when empty or not a finite number."""
    if text is None or str(text).strip() == "":
        return None
    try:
        value = Decimal(str(text).strip())
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def full(value: Decimal) -> str:
    """7000000000 -> '7,000,000,000'; fractions kept as published, trailing zeros dropped."""
    value = Decimal(value)
    if value == value.to_integral_value():
        return f"{value.quantize(Decimal(1)):,f}"
    return f"{value.normalize():,f}"


def unit_for(maximum: Decimal) -> tuple[Decimal, str]:
    """The divisor and word (billion, million, thousand or '') that suits values up to `maximum`."""
    for divisor, word in UNITS:
        if abs(maximum) >= divisor:
            return divisor, word
    return Decimal(1), ""


def short(value: Decimal, divisor: Decimal) -> str:
    """Value in the chart's unit with at most two decimals: 7000000000 / 1e9 -> '7', 760000000 -> '0.76'."""
    scaled = (Decimal(value) / divisor).quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN)
    if scaled == 0 and value != 0:
        return "<0.01" if value > 0 else ">-0.01"
    text = f"{scaled:,f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def nice_ticks(maximum: Decimal, *, at_most: int = 5) -> list[Decimal]:
    """0 and round steps (1, 2, 2.5 or 5 x 10^k) up to the first step at or above `maximum`."""
    maximum = Decimal(maximum)
    if maximum <= 0:
        return [Decimal(0), Decimal(1)]
    exponent = maximum.adjusted() - 1
    while True:
        for mantissa in (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5)):
            step = mantissa * Decimal(10) ** exponent
            count = (maximum / step).to_integral_value(rounding=ROUND_CEILING)
            if count <= at_most:
                return [step * i for i in range(int(count) + 1)]
        exponent += 1


def file_size(size: int) -> str:
    """Bytes as a person reads them: 950 bytes, 11.6 kB, 2.3 MB (decimal units)."""
    if size < 1000:
        return f"{size} bytes"
    for unit, divisor in (("kB", 10**3), ("MB", 10**6), ("GB", 10**9)):
        if size < divisor * 1000 or unit == "GB":
            return f"{Decimal(size) / divisor:.1f} {unit}"
    raise AssertionError("unreachable")


def count(n: int, noun: str) -> str:
    """1 row, 2 rows, 1,234 problems."""
    return f"{n:,} {noun}{'' if n == 1 else 's'}"
