"""Alphabet facts shared by the matchers (Kazakh, Russian, Latin).

Kazakh texts are often typed without the Kazakh-specific letters ("Актобе" for
"Ақтөбе"), so names are matched "loosely": each letter also accepts its usual
stand-in.
"""

from __future__ import annotations

import re

CYR_UPPER = "А-ЯЁӘҒҚҢӨҰҮҺІ"
CYR_LOWER = "а-яёәғқңөұүһі"
UPPER = "A-Z" + CYR_UPPER

#: Separator inside multi-word / hyphenated names: "Иссык-Кульская", "Иссык Куль", "West Kazakhstan".
NAME_SEP = r"(?:\s*[-‐‑–—]\s*|\s+)"

_LOOSE = {
    "а": "аә", "ә": "аә", "г": "гғ", "ғ": "гғ", "к": "кқ", "қ": "кқ",
    "н": "нң", "ң": "нң", "о": "оө", "ө": "оө", "у": "уұү", "ұ": "уұү",
    "ү": "уұү", "х": "хһ", "һ": "хһ", "і": "іиы", "и": "иі", "ы": "ыі",
    "е": "её", "ё": "её",
}


def loose(name: str) -> str:
    """Regex source matching ``name`` with Kazakh/Russian letter stand-ins and flexible separators.

    Meant for patterns compiled with ``re.IGNORECASE``.
    """
    out: list[str] = []
    pending_sep = False
    for ch in name:
        if ch in " -‐‑–—":
            pending_sep = True
            continue
        if pending_sep and out:
            out.append(NAME_SEP)
        pending_sep = False
        alts = _LOOSE.get(ch.lower())
        out.append(f"[{alts}]" if alts else re.escape(ch))
    return "".join(out)
