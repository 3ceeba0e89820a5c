"""The sums behind the charts, from published rows only (quarantined rows are not in them).

Amounts are summed per currency and never across currencies: the charts draw KZT and the page lists
every other currency separately.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from pipelines.site.numbers import parse_amount

CHART_CURRENCY = "KZT"
NO_REGION = ""
NO_YEAR = ""
GENDER_MARKERS = ("0", "1", "2")


@dataclass(frozen=True)
class Region:
    code: str
    name_en: str
    name_ru: str
    name_local: str  # Kazakh for Kazakhstan, Kyrgyz for Kyrgyzstan (regions.csv name_kk), as published
    country: str

    @property
    def local_lang(self) -> str:
        return "ky" if self.country == "KG" else "kk"


@dataclass
class Tally:
    """A sum and how many rows went into it."""

    total: Decimal = Decimal(0)
    rows: int = 0

    def add(self, amount: Decimal) -> None:
        self.total += amount
        self.rows += 1


@dataclass
class Excluded:
    """Rows left out of a chart, and why: another currency (summed per currency) or no amount."""

    other_currencies: dict[str, Tally] = field(default_factory=dict)
    without_amount: int = 0

    def other(self, currency: str, amount: Decimal) -> None:
        self.other_currencies.setdefault(currency or "(no currency)", Tally()).add(amount)


@dataclass
class RegionRow:
    region: Region
    committed: Tally
    disclosed: Tally


@dataclass
class RegionComparison:
    rows: list[RegionRow]
    memoranda: Excluded
    projects: Excluded


@dataclass
class YearRow:
    year: str  # "" when the project states no start
    by_marker: dict[str, Tally]


@dataclass
class GenderOverTime:
    rows: list[YearRow]
    projects: Excluded


def regions_by_code(rows: list[dict]) -> dict[str, Region]:
    return {
        row.get("region_code", ""): Region(row.get("region_code", ""), row.get("name_en", ""), row.get("name_ru", ""), row.get("name_kk", ""), row.get("country", ""))
        for row in rows
    }


def region_for(code: str, regions: dict[str, Region]) -> Region:
    return regions.get(code) or Region(code, f"Region {code}" if code else "Region not stated", "", "", "")


def _sum_kzt(rows: list[dict], key, excluded: Excluded) -> dict[str, Tally]:
    sums: dict[str, Tally] = defaultdict(Tally)
    for row in rows:
        amount = parse_amount(row.get("amount"))
        if amount is None:
            excluded.without_amount += 1
            continue
        currency = (row.get("currency") or "").strip()
        if currency != CHART_CURRENCY:
            excluded.other(currency, amount)
            continue
        sums[key(row)].add(amount)
    return sums


def committed_vs_disclosed(memoranda: list[dict], projects: list[dict], regions: list[dict]) -> RegionComparison:
    """KZT committed in memoranda and disclosed in project lists, per region (largest first)."""
    known = regions_by_code(regions)
    memo_excluded, project_excluded = Excluded(), Excluded()
    committed = _sum_kzt(memoranda, lambda r: (r.get("region_code") or NO_REGION).strip(), memo_excluded)
    disclosed = _sum_kzt(projects, lambda r: (r.get("region_code") or NO_REGION).strip(), project_excluded)
    codes = set(committed) | set(disclosed)
    rows = [RegionRow(region_for(code, known), committed.get(code, Tally()), disclosed.get(code, Tally())) for code in codes]
    rows.sort(key=lambda r: (r.region.code == NO_REGION, -max(r.committed.total, r.disclosed.total), r.region.code))
    return RegionComparison(rows, memo_excluded, project_excluded)


def _year(period_start) -> str:
    match = re.match(r"^\s*(\d{4})", period_start or "")
    return match.group(1) if match else NO_YEAR


def disclosed_by_gender_marker(projects: list[dict]) -> GenderOverTime:
    """KZT disclosed per year of period_start and OECD DAC gender marker (0, 1, 2)."""
    excluded = Excluded()
    usable = [r for r in projects if (r.get("gender_marker") or "").strip() in GENDER_MARKERS]
    sums = _sum_kzt(usable, lambda r: (_year(r.get("period_start")), r["gender_marker"].strip()), excluded)
    years = sorted({year for year, _ in sums}, key=lambda y: (y == NO_YEAR, y))
    rows = [YearRow(year, {marker: sums.get((year, marker), Tally()) for marker in GENDER_MARKERS}) for year in years]
    return GenderOverTime(rows, excluded)
