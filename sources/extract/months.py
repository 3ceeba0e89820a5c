"""Month names in Russian (all cases), Kazakh (with case/possessive suffixes) and English."""

from __future__ import annotations

import re

from .letters import CYR_LOWER, loose

_RU = (
    r"январ[ьяюеё]|янв\.", r"феврал[ьяюеё]|февр?\.", r"март[аеу]?|мар\.", r"апрел[ьяюеё]|апр\.",
    r"ма[йяюе]", r"июн[ьяюеё]|июн\.", r"июл[ьяюеё]|июл\.", r"август[аеу]?|авг\.",
    r"сентябр[ьяюеё]|сент?\.", r"октябр[ьяюеё]|окт\.", r"ноябр[ьяюеё]|нояб?\.", r"декабр[ьяюеё]|дек\.",
)
_KK_STEMS = (
    "қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым",
    "шілде", "тамыз", "қыркүйек", "қазан", "қараша", "желтоқсан",
)


def _kk(stem: str) -> str:
    """Kazakh months take case and possessive suffixes (наурызда, сәуірінде, қаңтардан);
    a final к voices before a vowel (қыркүйек -> қыркүйегінде)."""
    body = loose(stem[:-1]) + "[кқгғ]" if stem.endswith("к") else loose(stem)
    return body + f"[{CYR_LOWER}]{{0,8}}"


_KK = tuple(_kk(stem) for stem in _KK_STEMS)
_EN = (
    r"january|jan\.?", r"february|feb\.?", r"march|mar\.?", r"april|apr\.?", r"(?-i:May|MAY)",
    r"june|jun\.?", r"july|jul\.?", r"august|aug\.?", r"september|sept?\.?",
    r"october|oct\.?", r"november|nov\.?", r"december|dec\.?",
)
_END = r"(?!\w)"


def _union(table) -> str:
    return "(?:" + "|".join(f"(?:{src})" for src in table) + ")"


MONTH_RU = _union(_RU)
MONTH_KK = _union(_KK)
MONTH_EN = _union(_EN)
#: Regex source for a month name in any of the three languages (compile with re.I).
MONTH_ANY = "(?:" + "|".join(f"(?:{u}){_END}" for u in (MONTH_RU, MONTH_KK, MONTH_EN)) + ")"
MONTH_KK_WORD = f"(?:{MONTH_KK}){_END}"
MONTH_EN_WORD = f"(?:{MONTH_EN}){_END}"

_LOOKUP = tuple(
    (number, re.compile(f"(?:{ru}|{kk}|{en})$", re.I))
    for number, (ru, kk, en) in enumerate(zip(_RU, _KK, _EN), 1)
)


def month_number(word: str) -> int:
    """1..12 for a matched month word; ValueError if it is not one."""
    word = word.strip()
    for number, rx in _LOOKUP:
        if rx.match(word):
            return number
    raise ValueError(f"not a month name: {word!r}")
