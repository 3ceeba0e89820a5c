"""Reading one cell of a budget table: amounts as exact Decimals, classification codes as strings, labels as text.

Amounts: spaces / no-break spaces / thin spaces / apostrophes group thousands; the decimal mark is a comma or a
dot ("1 234 567,8", "1,234,567.8", "1.234.567,8"); "(1 234,5)" and "-1 234,5" are negative; an empty cell or a
dash ("-", "–", "—") or "x" (not applicable) is no value at all, never zero.
"""
from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

NO_VALUE = {"", "-", "–", "—", "‑", "x", "х", "X", "Х", "*", "…", "..."}
_GROUPING = re.compile(r"[\s\u00a0\u202f\u2009\u2007'’`]")
_PLAIN = re.compile(r"^[+-]?\d+(?:\.\d+)?$")
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009\u2007]+")


def text_of(value) -> str:
    """Cell value as one line of text, whitespace (no-break spaces included) collapsed."""
    if value is None:
        return ""
    if type(value) is str:
        return " ".join(value.split())  # str.split() splits on exactly the whitespace `\s` matches, and faster
    if isinstance(value, float) and value == int(value):
        value = int(value)
    if isinstance(value, (datetime, date)):
        value = value.isoformat()[:10]
    return _SPACES.sub(" ", str(value)).strip()


_COMMON = re.compile(r"([0-9]{1,3}(?:[ \u00a0][0-9]{3})+|[0-9]+)(?:,([0-9]+))?")


def parse_amount(value) -> Decimal | None:
    """Exact amount of a cell, None for no value; ValueError for anything that is not a number.

    The form budget reports mostly use ("5 433 022,0": digits grouped by spaces, a decimal comma) is read
    directly; every other cell goes the whole way (read_amount), with the same result for this form."""
    if type(value) is str:
        m = _COMMON.fullmatch(value)
        if m:
            whole, fraction = m.groups()
            digits = whole.replace(" ", "").replace("\u00a0", "")
            return Decimal(digits if fraction is None else f"{digits}.{fraction}")
    return read_amount(value)


def read_amount(value) -> Decimal | None:
    """parse_amount for any cell: numbers, text in any grouping and decimal mark, signs, brackets, dashes."""
    if value is None or isinstance(value, bool):
        if isinstance(value, bool):
            raise ValueError(f"{value!r} is not a number")
        return None
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if value != value:
            return None
        return Decimal(repr(value))
    raw = text_of(value)
    if raw in NO_VALUE:
        return None
    s = raw
    negative = False
    if s.startswith("(") and s.endswith(")"):
        negative, s = True, s[1:-1].strip()
    s = s.replace("−", "-").replace("–", "-")
    if s.startswith("-"):
        negative, s = (not negative), s[1:].strip()
    elif s.startswith("+"):
        s = s[1:].strip()
    s = _GROUPING.sub("", s)
    commas, dots = s.count(","), s.count(".")
    if commas and dots:
        decimal_mark = "," if s.rfind(",") > s.rfind(".") else "."
        group_mark = "." if decimal_mark == "," else ","
        if s.count(decimal_mark) > 1:
            raise ValueError(f"{raw!r} is not a number")
        s = s.replace(group_mark, "").replace(decimal_mark, ".")
    elif commas == 1:
        s = s.replace(",", ".")
    elif commas > 1:
        s = s.replace(",", "")  # 1,234,567
    elif dots > 1:
        s = s.replace(".", "")  # 1.234.567
    if not _PLAIN.match(s):
        raise ValueError(f"{raw!r} is not a number")
    try:
        number = Decimal(s)
    except InvalidOperation:  # pragma: no cover - the regex admits only digits
        raise ValueError(f"{raw!r} is not a number") from None
    return -number if negative else number


def is_number_like(value) -> bool:
    """True for cells that hold a number (amounts, codes, column numbers), False for words."""
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        return True
    if type(value) is str and _COMMON.fullmatch(value):  # budget reports' own form ("5 433 022,0"): a number for sure
        return True
    text = text_of(value)
    if not text or text in NO_VALUE:
        return False
    try:
        parse_amount(text)
    except ValueError:
        return False
    return True


def code_of(value, number_format: str | None = None, width: int | None = None) -> str | None:
    """A classification code as a string with its leading zeros ("01", "001").

    Spreadsheets often store "01" as the number 1 shown through a "00" format: the format's width, or the
    classification's known width, restores the zeros. Text codes are kept as written.
    """
    if value is None:
        return None
    if isinstance(value, float):
        if value != int(value):
            return None
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        text = str(value)
        fmt_width = len(number_format) if number_format and set(number_format) == {"0"} else 0
        pad = max(fmt_width, width or 0)
        return text.zfill(pad) if pad else text
    text = text_of(value).strip(" .")
    if text in NO_VALUE:
        return None
    return text or None
