"""Kazakhstan BIN / IIN (12 digits): format, check digit, and a BIN stated next to a name."""

from __future__ import annotations

import re

#: A 12-digit number not embedded in a longer digit run (BIN or IIN).
BIN_RE = re.compile(r"(?<!\d)(\d{12})(?!\d)")

#: "БИН 010140003495", "(БСН: 010140003495)", "BIN 010140003495", "ИИН/БИН № ..."
LABELLED_BIN_RE = re.compile(
    r"(?<!\w)(?:БИН|БСН|BIN|ИИН|ЖСН|IIN|ИНН|ЖСН/БСН|ИИН/БИН|БИН/ИИН|БСН/ЖСН)"
    r"[\s\u00a0]*(?:[:№#\-][\s\u00a0]*)?(?P<bin>\d{12})(?!\d)"
)

_W1 = tuple(range(1, 12))
_W2 = (3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2)


def bin_is_valid(bin: str) -> bool:  # noqa: A002 - the public name is fixed
    """Check digit of a BIN/IIN: weights 1..11 mod 11; if 10, weights 3..11,1,2 mod 11; 10 again is invalid."""
    if not isinstance(bin, str) or not re.fullmatch(r"\d{12}", bin):
        return False
    digits = [int(c) for c in bin]
    check = sum(w * d for w, d in zip(_W1, digits)) % 11
    if check == 10:
        check = sum(w * d for w, d in zip(_W2, digits)) % 11
        if check == 10:
            return False
    return check == digits[11]


def bin_after(text: str, start: int, end: int) -> str | None:
    """First labelled BIN in ``text[start:end]``."""
    m = LABELLED_BIN_RE.search(text, start, end)
    return m["bin"] if m else None
