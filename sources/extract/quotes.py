"""Quoted names, including nested quotes: АО «НК «Демо»», АО "НК "Демо"", “Demo”.

Straight double quotes have no direction, so one preceded by a space / bracket /
start (or followed by a letter after another quote) opens, any other closes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

OPENERS = "«“„\""
_PAIRS = {"«": ("«", "»"), "“": ("“", "”"), "„": ("„", "“”"), "\"": ("\"", "\"")}
MAX_LEN = 200
MAX_MARKS = 12  # a real name has a few nested quotes at most; bounds work on quote-heavy junk
_OPEN_MARKS = re.compile("[«“„\"]")
_MARKS = re.compile("[«»“”„\"\n]")


@dataclass(frozen=True)
class Quoted:
    start: int  # offset of the opening quote
    end: int  # offset after the closing quote
    inner: str  # text between the outermost quotes, quote marks normalised to « »


def _opens_straight(text: str, i: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + 1] if i + 1 < len(text) else " "
    return (before.isspace() or before in "(«“[" or before == "\"") and not after.isspace() and after != "\""


def scan(text: str, i: int) -> Quoted | None:
    """The quoted span opening at ``text[i]``, or None if it does not close before a blank line
    (single line breaks are allowed: PDF text wraps long names)."""
    if i >= len(text) or text[i] not in OPENERS:
        return None
    stack = [_PAIRS[text[i]][1]]  # closers expected, innermost last
    limit = min(len(text), i + MAX_LEN)
    out: list[str] = []
    pos = i + 1
    for count, m in enumerate(_MARKS.finditer(text, i + 1, limit)):
        j, ch = m.start(), m.group()
        if ch == "\n":
            if not text[j + 1:limit].lstrip(" \t\r").startswith("\n"):
                continue  # a line wrap inside the name (PDF text): keep going
            return None  # a blank line: the quote never closed
        if count >= MAX_MARKS:
            return None
        out.append(text[pos:j])
        pos = j + 1
        if ch == "\"":
            opens = _opens_straight(text, j) and j + 1 < limit and text[j + 1].isalnum()
            if stack[-1] == "\"" and not opens:
                stack.pop()
            elif opens:
                stack.append("\"")
                out.append("«")
                continue
            out.append("»")  # a closing (or stray closing) straight quote
        elif ch in stack[-1]:
            stack.pop()
            out.append("»")
        elif ch in "«“„":
            stack.append(_PAIRS[ch][1])
            out.append("«")
        else:
            out.append(ch)  # a closer that closes nothing open
        if not stack:
            out.pop()  # the outermost closing quote
            break
    else:
        return None
    inner = " ".join("".join(out).split())
    if not inner or not any(c.isalnum() for c in inner):
        return None
    return Quoted(i, j + 1, inner)


def find_quoted(text: str) -> list[Quoted]:
    """Outermost quoted spans in order."""
    found: list[Quoted] = []
    after = 0
    for m in _OPEN_MARKS.finditer(text):
        i = m.start()
        if i < after or (text[i] == "\"" and not _opens_straight(text, i)):
            continue
        q = scan(text, i)
        if q:
            found.append(q)
            after = q.end
    return found
