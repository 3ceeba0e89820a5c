"""Which column is which: header words in Kazakh, Russian and English mapped to the fields of a project.

Companies order, name and split their columns freely ("Сроки реализации" or "Начало"/"Окончание",
"Район / населённый пункт" or "Location"), so the columns are found by their header text, never by position.
Kinds are tried in order; the first whose stem starts a word of the header wins ("Наименование получателя"
is the recipient, not the project name).
"""
from __future__ import annotations

import re

KINDS: tuple[tuple[str, str], ...] = (
    ("amount", r"сумм|сома|стоимост|объем финансир|финансир|затрат|қаржыландыр|құн|бюджет|amount|cost|value|budget|expenditure|spent"),
    ("currency", r"валют|currency"),
    ("status", r"статус|состояни|мәртеб|жағдай|status|stage"),
    ("contractor", r"подрядчик|получател|исполнител|контрагент|поставщик|мердігер|алушы|орындаушы|contractor|recipient|implement|beneficiar|supplier"),
    ("company", r"компани|недропользовател|жер қойнауын|инвестор|company|subsoil|investor"),
    ("start", r"начал|басталу|start|begin"),
    ("end", r"окончан|аяқталу|end\b|finish|completion"),
    ("period", r"срок|период|мерзім|годы|год\b|жыл|period|timing|timeline|years?\b|dates?\b"),
    ("region", r"област|регион|облыс|region|oblast"),
    ("location", r"мест|населен|район|адрес|орны|орналас|мекен|аудан|location|place|district|settlement|site|address|village"),
    ("name", r"наименован|названи|проект|мероприят|объект|атау|жоба|іс-шара|нысан|project|name|description|title|activity"),
)
_COMPILED = tuple((kind, re.compile(rf"(?<!\w)(?:{src})", re.I)) for kind, src in KINDS)
_NUMBER_HEADERS = {"№", "no", "no.", "nr", "#", "n", "п/п", "№ п/п", "р/с", "№ р/с", "р/н", "№ р/н", "№№"}
HEADER_MIN_KINDS = 3
MULTI = ("location",)  # kinds whose several columns are joined ("Район", "Населённый пункт")


def classify(header: str) -> str | None:
    """The kind of a column from its header text, or None for a column Ashyq does not read."""
    text = " ".join(header.replace("ё", "е").split()).strip()
    if not text:
        return None
    if text.lower() in _NUMBER_HEADERS or (text.startswith("№") and len(text) <= 8):
        return "number"
    for kind, rx in _COMPILED:
        if rx.search(text):
            return kind
    return None


def column_map(headers: list[str]) -> dict[str, list[int]]:
    """kind → column indexes, in order; every kind but MULTI keeps its first column only."""
    found: dict[str, list[int]] = {}
    for index, header in enumerate(headers):
        kind = classify(header)
        if kind is None or (kind in found and kind not in MULTI):
            continue
        found.setdefault(kind, []).append(index)
    return found


def looks_like_header(headers: list[str]) -> bool:
    kinds = set(column_map(headers))
    return "name" in kinds and len(kinds) >= HEADER_MIN_KINDS


def duplicated_amount_columns(headers: list[str]) -> list[str]:
    """Headers of every amount column, when there is more than one (which one is the project's is unclear)."""
    amounts = [h for h in headers if classify(h) == "amount"]
    return amounts if len(set(amounts)) > 1 else []
