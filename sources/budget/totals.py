"""Checking the totals a budget file states against the lines Ashyq read from it.

Each total names its scope as `rows=A-B`: the lines of the same document, sheet, direction and phase whose
row lies between A and B. A total whose lines do not add up is reported, never "corrected": the source
said it, an auditor should see both figures.
"""
from __future__ import annotations

import re
from collections import defaultdict
from decimal import Decimal

_LOCATOR = re.compile(r"^(?P<container>.*?)[!:/]?(?:row=|items\[)(?P<pos>\d+)\]?$")
_SCOPE = re.compile(r"^rows=(?P<a>\d+)-(?P<b>\d+)$")


def split_locator(locator: str) -> tuple[str, int]:
    """("sheet=Отчет", 17) from "sheet=Отчет!row=17"; ("csv", 12) from "csv:row=12".

    The common form (ASCII digits after the last "row=") is split without the pattern, whose lazy prefix
    retries at every position: a million budget lines took seconds. Any other form takes the pattern."""
    head, marker, tail = locator.rpartition("row=")
    if marker and tail.isascii() and tail.isdigit():
        return (head[:-1] if head[-1:] in ("!", ":", "/") else head), int(tail)
    m = _LOCATOR.match(locator)
    if not m:
        raise ValueError(f"locator {locator!r} names no row")
    return m.group("container"), int(m.group("pos"))


def _number(value: Decimal) -> str:
    text = format(Decimal(value).normalize(), "f")
    whole, _, fraction = text.partition(".")
    sign = "-" if whole.startswith("-") else ""
    whole = whole.lstrip("-")
    grouped = "{:,}".format(int(whole)).replace(",", " ")
    return sign + grouped + (f",{fraction}" if fraction else "")


def total_findings(lines: list[dict], totals: list[dict]) -> list[dict]:
    """One finding per stated total that the lines in its scope do not add up to (exact Decimal sums)."""
    index: dict[tuple, list[tuple[int, Decimal]]] = defaultdict(list)
    stating = {total["source_document"] for total in totals}  # lines of documents that state no total are summed for nothing
    for line in lines:
        if line.get("amount") is None or line["source_document"] not in stating:
            continue
        container, position = split_locator(line["locator"])
        key = (line["source_document"], container, line["direction"], line["phase"])
        index[key].append((position, Decimal(line["amount"])))
    findings = []
    for total in totals:
        container, _ = split_locator(total["locator"])
        m = _SCOPE.match(total.get("scope") or "")
        members = []
        if m:
            first, last = int(m.group("a")), int(m.group("b"))
            key = (total["source_document"], container, total["direction"], total["phase"])
            members = [amount for position, amount in index.get(key, []) if first <= position <= last]
        stated = Decimal(total["amount"])
        summed = sum(members, Decimal(0))
        if stated != summed:
            currency = total.get("currency") or ""
            findings.append({
                "resource": "budget_lines",
                "total_id": total.get("total_id"),
                "row_key": total["locator"],
                "field": "amount",
                "error_type": "total-mismatch",
                "message": (f"{total.get('total_name') or 'total'!s} ({total['phase']}, {total['locator']} of document "
                            f"{total['source_document'][:12]}…) states {_number(stated)} {currency}, "
                            f"lines sum to {_number(summed)} {currency} ({len(members)} lines, {total.get('scope')})"),
            })
    return findings
