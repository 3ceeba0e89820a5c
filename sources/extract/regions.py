"""Regions (oblasts) and cities of republican significance, tagged with KATO / SOATE codes.

The table is data (``sources/reference/regions.csv``); inflected forms are
generated here from the names in it:

* Russian adjectives in any case/number: "Атырауской области", "Атырауская обл.",
  "Атырауский регион", and postposed official names "область Абай";
* Kazakh/Kyrgyz stems followed by any form of облыс/облус: "Атырау облысының",
  "Ош облусунда"; Kazakh letters are optional ("Актобе облысы");
* English "Atyrau Region", "Atyrau oblast", "Atyrau regional";
* abbreviations (ВКО, ШҚО, ЗКО ...), case-sensitive;
* coordinated lists that share one noun: "Atyrau and Aktobe regions",
  "Атырауской и Мангистауской областей", "Атырау, Ақтөбе облыстарында"
  (each region is an entry; ``text`` of the earlier ones is the bare name).

A bare oblast-centre name ("Атырау", "г. Атырау") is a city, not the region, and is
not reported.  Cities of republican significance (and Bishkek, Osh) are reported
by name, in Russian and Kazakh case forms ("Астане", "Алматыда"); names shorter
than four letters ("Ош") need "г." / "город" / "city" / "қаласы" / "шаары" to
count.  "ЮКО" / "Южно-Казахстанская" map to the historical South Kazakhstan row
(510000000, valid to 2018-06-19) rather than to Turkistan: the old region also
covered Shymkent, so re-labelling it would be wrong.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .letters import CYR_LOWER, loose
from .spans import Span, select

REGIONS_CSV = Path(__file__).resolve().parent.parent / "reference" / "regions.csv"
COLUMNS = ("region_code", "country", "level", "name_en", "name_ru", "name_kk",
           "aliases", "valid_from", "valid_to", "source")

_RU_ADJ_END = r"(?:ая|ой|ую|ою|ие|их|им|ими|ий|ого|ому|ом|ое)"
_CYR_NOUN = (
    r"(?:област(?:ь|и|ью|ей|ям|ях|ями)(?!\w)|областн[а-я]{1,3}(?!\w)|обл\.|регион[а-я]{0,3}(?!\w)"
    rf"|облыс[{CYR_LOWER}]*|облус[{CYR_LOWER}]*|өңір[{CYR_LOWER}]*)"
)
_LAT_NOUN = r"(?:regions?|regional|oblasts?|oblys[a-z]?|provinces?)(?!\w)"
_CONNECT = re.compile(
    r"\s*,\s*(?:(?:и|and|және|мен|бен|пен|&)\s+)?|\s+(?:и|and|және|мен|бен|пен|&|or|или|немесе)\s+", re.I
)
_KK_CASE = (
    r"(?:дағы|дегі|тағы|тегі|да|де|та|те|ның|нің|дың|дің|тың|тің|нын|нин|дын|дин|тын|тин"
    r"|ға|ге|қа|ке|га|ка|на|не|ны|ні|ды|ді|ты|ті|дан|ден|тан|тен|нан|нен|дон|дөн|тон|төн"
    r"|мен|бен|пен|лық|лік|дық|дік|тық|тік|лык|лик)"
)
_CITY_PREFIX = r"(?:(?<!\w)(?:г\.|гор\.|город[а-я]{0,2}|[Cc]ity\s+of|[Cc]ity\s+of\s+the)\s*)"
_CITY_SUFFIX = rf"(?:\s+(?:city|City|қала[{CYR_LOWER}]*|шаар[{CYR_LOWER}]*))"


@dataclass(frozen=True)
class Region:
    code: str
    country: str
    level: str
    name: str

    def entry(self, text: str) -> dict:
        return {"code": self.code, "name": self.name, "country": self.country, "text": text}


def load_regions(path: str | Path = REGIONS_CSV) -> list[dict[str, str]]:
    """Rows of regions.csv as dicts of strings, exactly as stored (aliases still '|'-joined)."""
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    if rows and tuple(rows[0].keys()) != COLUMNS:
        raise ValueError(f"{path}: columns {tuple(rows[0].keys())} != {COLUMNS}")
    return rows


def classify_name(name: str, level: str) -> tuple[str, str]:
    """(kind, stem) for a name/alias from the table; ValueError if its form is unknown."""
    name = " ".join(name.split())
    if level == "city":
        return "city", name
    if m := re.fullmatch(r"(.+ск)ая область", name):
        return "ru_adj", m.group(1)
    if m := re.fullmatch(r"область (.+)", name):
        return "ru_post", m.group(1)
    if m := re.fullmatch(r"(.+) (?:облысы|облусу)", name):
        return "cyr_stem", m.group(1)
    if m := re.fullmatch(r"(.+) (?:Region|Oblast)", name):
        return "lat_stem", m.group(1)
    if re.fullmatch(r"[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ]{2,5}", name):
        return "abbr", name
    raise ValueError(f"cannot tell what kind of name {name!r} is")


def _city_pattern(name: str) -> str:
    if re.search(r"[а-яё]", name, re.I):
        if name[-1] in "аА":
            body = loose(name[:-1]) + rf"(?:а{_KK_CASE}?|ы|е|у|ой|ою)"
        else:
            body = loose(name) + rf"(?:{_KK_CASE}|а|у|е|ом)?"
    else:
        body = loose(name) + r"(?:'s)?"
    body = rf"(?<!\w){body}(?!\w)"
    if len(name) < 4:
        return rf"(?:{_CITY_PREFIX}{body}|{body}{_CITY_SUFFIX})"
    return rf"{_CITY_PREFIX}?{body}{_CITY_SUFFIX}?"


def _form_pattern(kind: str, stem: str) -> str:
    if kind == "ru_adj":
        return rf"(?<!\w){loose(stem)}{_RU_ADJ_END}(?!\w)"
    if kind == "ru_post":
        return rf"(?<!\w)област(?:ь|и|ью)\s+{loose(stem)}(?!\w)"
    if kind in ("cyr_stem", "lat_stem"):
        return rf"(?<!\w){loose(stem)}(?!\w)"
    if kind == "abbr":
        return rf"(?<!\w)(?-i:{re.escape(stem)})(?!\w)"
    return _city_pattern(stem)


class _Matcher:
    """One combined regex per kind of form, plus per-region regexes to tell which region matched."""

    def __init__(self, rows: list[dict[str, str]]) -> None:
        by_kind: dict[str, list[tuple[str, Region]]] = {}
        for row in rows:
            region = Region(row["region_code"], row["country"], row["level"], row["name_en"])
            names = [row["name_en"], row["name_ru"], row["name_kk"]]
            names += [a for a in row["aliases"].split("|") if a.strip()]
            for name in names:
                kind, stem = classify_name(name, row["level"])
                by_kind.setdefault(kind, []).append((_form_pattern(kind, stem), region))
        self.kinds = {}
        for kind, forms in by_kind.items():
            forms.sort(key=lambda f: -len(f[0]))
            # Every form starts a word with a letter: checking that first keeps the big
            # alternation from being tried at spaces, digits and mid-word positions.
            combined = re.compile(r"(?<!\w)(?=[^\W\d_])(?:" + "|".join(f"(?:{p})" for p, _ in forms) + ")", re.I)
            which = [(re.compile(p, re.I), r) for p, r in forms]
            self.kinds[kind] = (combined, which)
        self.noun = {
            "ru_adj": re.compile(rf"\s*{_CYR_NOUN}", re.I),
            "cyr_stem": re.compile(rf"\s*{_CYR_NOUN}", re.I),
            "lat_stem": re.compile(rf"\s+{_LAT_NOUN}", re.I),
        }

    def _iter(self, kind: str, text: str):
        combined, which = self.kinds.get(kind, (None, ()))
        if combined is None:
            return
        for m in combined.finditer(text):
            for rx, region in which:
                if rx.fullmatch(m.group(0)):
                    yield m.start(), m.end(), region
                    break

    def candidates(self, text: str) -> list[Span]:
        spans: list[Span] = []
        for kind in ("abbr", "ru_post"):
            spans += [Span(s, e, 0, {"region": r}) for s, e, r in self._iter(kind, text)]
        spans += [Span(s, e, 1, {"region": r}) for s, e, r in self._iter("city", text)]
        for kind in ("ru_adj", "cyr_stem", "lat_stem"):
            spans += self._qualified(kind, text)
        return spans

    def _qualified(self, kind: str, text: str) -> list[Span]:
        """Name stems that carry a region noun, directly or via a coordinated list."""
        stems = sorted(self._iter(kind, text), key=lambda t: t[0])
        noun = self.noun[kind]
        out: list[Span] = []
        qualified_next: tuple[int, int] | None = None  # (start, index) of a qualified later stem
        for i in range(len(stems) - 1, -1, -1):
            start, end, region = stems[i]
            direct = noun.match(text, end)
            if direct:
                out.append(Span(start, direct.end(), 0, {"region": region}))
                qualified_next = (start, i)
                continue
            if qualified_next and qualified_next[1] == i + 1 and _CONNECT.fullmatch(text, end, qualified_next[0]):
                out.append(Span(start, end, 0, {"region": region}))
                qualified_next = (start, i)
            else:
                qualified_next = None
        return out


@lru_cache(maxsize=1)
def _matcher() -> _Matcher:
    return _Matcher(load_regions())


def find_regions(text: str) -> list[dict]:
    """Region mentions in order of appearance: ``{"code", "name", "country", "text"}``."""
    return [s.data["region"].entry(text[s.start:s.end]) for s in select(_matcher().candidates(text))]
