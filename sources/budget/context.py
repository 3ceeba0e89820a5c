"""What a whole table is about, read from its title rows, header and metadata: fiscal year, reporting date,
region, unit and currency, and — when the title says so — whether it lists revenue or expenditure."""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import lru_cache

from sources.budget.fiscal import fiscal_period
from sources.budget.units import detect_unit
from sources.extract.regions import REGIONS_CSV, find_regions

REVENUE, EXPENDITURE = "revenue", "expenditure"
_REVENUE_WORDS = re.compile(r"доход|поступлен|кіріс|кирис|түсім|тусим|киреше|revenue|income|receipts", re.I)
# "шығыстар" (expenditures) but not "Шығыс Қазақстан" (East Kazakhstan Region)
_EXPENDITURE_WORDS = re.compile(r"затрат|расход|шығын|шыгын|шығыст|шыгыст|чыгаша|expenditure|spending|outlays?|бюджетн\w+ программ", re.I)
COUNTRY_CURRENCY = {"KZ": "KZT", "KG": "KGS"}


@dataclass(frozen=True)
class Context:
    year: int
    report_date: date | None
    region_code: str
    unit: str
    multiplier: Decimal
    currency: str
    direction: str | None  # from the title; sections and classification may still decide per row
    title: str


@lru_cache(maxsize=1)
def regions() -> dict[str, str]:
    """region_code -> country, from sources/reference/regions.csv."""
    with open(REGIONS_CSV, encoding="utf-8", newline="") as handle:
        return {row["region_code"]: row["country"] for row in csv.DictReader(handle)}


def region_of_area(code: str | None) -> str | None:
    """The oblast (or city of republican significance) a KATO (9-digit) or SOATE (14-digit) code lies in."""
    if not code or not code.isdigit():
        return None
    if len(code) == 9:
        candidate = code[:2] + "0" * 7
    elif len(code) == 14:
        candidate = code[:5] + "0" * 9
    else:
        return None
    return candidate if candidate in regions() else None


def title_direction(text: str) -> str | None:
    revenue, expenditure = bool(_REVENUE_WORDS.search(text)), bool(_EXPENDITURE_WORDS.search(text))
    if revenue != expenditure:
        return REVENUE if revenue else EXPENDITURE
    return None


def meta_facts(meta: dict) -> dict:
    """Year, reporting date, region and unit stated as fields of a JSON page."""
    facts: dict = {}
    for key, value in meta.items():
        k = re.sub(r"[^a-z]", "", key.lower())
        text = str(value).strip() if value is not None else ""
        if not text:
            continue
        if k in ("year", "fiscalyear", "budgetyear", "finyear") and text.isdigit():
            facts["year"] = int(text)
        elif k in ("reportdate", "asof", "asat", "date", "reportingdate", "ondate") and re.match(r"\d{4}-\d{2}-\d{2}", text):
            facts["report_date"] = date.fromisoformat(text[:10])
        elif k in ("region", "regioncode", "kato", "katocode", "soate", "soatecode", "area", "areacode") and text.isdigit():
            facts["area"] = text
        elif k in ("unit", "units", "measure", "unitname", "currency", "measureunit"):
            facts["unit_text"] = facts.get("unit_text", "") + " " + text
    return facts


def fiscal_from(text: str, facts: dict) -> tuple[int, date | None] | None:
    if "report_date" in facts:
        when = facts["report_date"]
        year = when.year - 1 if (when.month, when.day) == (1, 1) else when.year
        if "year" in facts and facts["year"] != year:
            raise ValueError(f"year {facts['year']} and reporting date {when.isoformat()} disagree")
        return year, when
    if "year" in facts:
        return facts["year"], None
    return fiscal_period(text)


def region_from(text: str, facts: dict, fallback: str | None) -> str | None:
    area = facts.get("area")
    if area in regions():
        return area
    derived = region_of_area(area)
    if derived:
        return derived
    found = [r["code"] for r in find_regions(text) if r["code"] in regions()]
    if found:
        return found[0]
    return fallback


def unit_from(text: str, facts: dict):
    return detect_unit((facts.get("unit_text", "") + " " + text).strip())
