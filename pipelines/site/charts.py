"""The two charts advocates would otherwise build themselves, each as an SVG file plus the same numbers
as an HTML table (the text fallback) and notes on what was left out.

1. KZT committed in memoranda vs. disclosed in companies' project lists, by region.
2. KZT disclosed per year (of period_start) and OECD DAC gender marker.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from pipelines.site.aggregate import (
    CHART_CURRENCY,
    Excluded,
    GenderOverTime,
    RegionComparison,
    committed_vs_disclosed,
    disclosed_by_gender_marker,
)
from pipelines.site.markup import Markup, h, join, scroll_table, tag
from pipelines.site.numbers import full
from pipelines.site.release_data import ReleaseData
from pipelines.site.svg import Group, Series, bar_chart

COMMITTED = Series("Committed in memoranda", "#0b5394")
DISCLOSED = Series("Disclosed in companies' project lists", "#e69f00")
MARKERS = {
    "0": Series("Marker 0 · not targeted", "#8c959f"),
    "1": Series("Marker 1 · significant objective", "#56b4e9"),
    "2": Series("Marker 2 · principal objective", "#cc3311"),
}


@dataclass
class Chart:
    slug: str
    title: str
    caption: str
    svg: str
    table: Markup
    notes: list[Markup] = field(default_factory=list)

    @property
    def file_name(self) -> str:
        return f"charts/{self.slug}.svg"


def build_charts(release: ReleaseData) -> list[Chart]:
    projects = release.rows("social_projects")
    return [
        _regions_chart(committed_vs_disclosed(release.rows("memoranda"), projects, release.rows("regions"))),
        _gender_chart(disclosed_by_gender_marker(projects)),
    ]


def _names(region) -> Markup:
    """English name, then the Russian and Kazakh (or Kyrgyz) names as published, each marked with its language."""
    parts = [tag("span", region.name_ru, lang="ru")] if region.name_ru else []
    if region.name_local:
        parts.append(tag("span", region.name_local, lang=region.local_lang))
    return join(parts, " · ")


def _money(tally) -> str:
    return full(tally.total) if tally.rows else "none"


def _regions_chart(data: RegionComparison) -> Chart:
    title = f"Committed vs. disclosed social spending by region ({CHART_CURRENCY})"
    groups = [
        Group(
            row.region.name_en,
            tuple(n for n in (row.region.name_ru, row.region.name_local) if n),
            (row.committed.total if row.committed.rows else None, row.disclosed.total if row.disclosed.rows else None),
        )
        for row in data.rows
    ]
    summary = "; ".join(f"{row.region.name_en}: committed {_money(row.committed)}, disclosed {_money(row.disclosed)}" for row in data.rows)
    svg = bar_chart(
        title=title,
        description=f"Horizontal bars, two per region, amounts in {CHART_CURRENCY}. {summary or 'No amounts in ' + CHART_CURRENCY + '.'}",
        series=[COMMITTED, DISCLOSED],
        groups=groups,
        currency=CHART_CURRENCY,
        empty_text=f"No amounts in {CHART_CURRENCY} in this release.",
    )
    table = scroll_table(
        "Committed and disclosed amounts by region",
        ["Region", "Names as published (Russian · Kazakh/Kyrgyz)", "Code", f"Committed, {CHART_CURRENCY}", "Memoranda", f"Disclosed, {CHART_CURRENCY}", "Projects"],
        [
            [row.region.name_en, _names(row.region), row.region.code, _money(row.committed), row.committed.rows, _money(row.disclosed), row.disclosed.rows]
            for row in data.rows
        ],
        numeric={3, 4, 5, 6},
        wide={1},
        stack=True,
    )
    caption = (
        f"Sum of memoranda's committed amounts and of the amounts companies disclose for their social projects, in {CHART_CURRENCY}, "
        "per region, over all years each covers. A memorandum's amount usually spans several years, so the two bars compare "
        "promises with disclosures, not a year's spending."
    )
    notes = _excluded_notes("memoranda", "memorandum", data.memoranda) + _excluded_notes("projects", "project", data.projects)
    return Chart("committed-vs-disclosed-by-region", title, caption, svg, table, notes)


def _gender_chart(data: GenderOverTime) -> Chart:
    title = f"Disclosed spending by gender marker and year ({CHART_CURRENCY})"
    markers = list(MARKERS)
    groups = [
        Group(row.year or "Start year not stated", (), tuple(row.by_marker[m].total if row.by_marker[m].rows else None for m in markers))
        for row in data.rows
    ]
    summary = "; ".join(
        f"{row.year or 'start year not stated'}: " + ", ".join(f"marker {m} {_money(row.by_marker[m])}" for m in markers) for row in data.rows
    )
    svg = bar_chart(
        title=title,
        description=f"Horizontal bars, three per year (OECD DAC gender marker 0, 1, 2), amounts in {CHART_CURRENCY}. {summary or 'No amounts in ' + CHART_CURRENCY + '.'}",
        series=[MARKERS[m] for m in markers],
        groups=groups,
        currency=CHART_CURRENCY,
        empty_text=f"No project amounts in {CHART_CURRENCY} in this release.",
    )
    headers = ["Year the project starts"]
    for m in markers:
        headers += [f"Marker {m}, {CHART_CURRENCY}", f"Marker {m}, projects"]
    rows = []
    for row in data.rows:
        cells = [row.year or "not stated"]
        for m in markers:
            cells += [_money(row.by_marker[m]), row.by_marker[m].rows]
        rows.append(cells)
    table = scroll_table("Disclosed amounts by year and gender marker", headers, rows, numeric=set(range(1, 1 + 2 * len(markers))), stack=True)
    caption = (
        "Amounts companies disclose for social projects, by the year the project starts and its OECD DAC gender equality "
        "marker: 2 = gender equality is the principal objective, 1 = a significant objective, 0 = not targeted. The marker "
        "comes from keyword rules on the project's name (see the gender_rationale column of social_projects.csv)."
    )
    notes = _excluded_notes("projects", "project", data.projects)
    return Chart("disclosed-by-gender-marker", title, caption, svg, table, notes)


def _excluded_notes(plural: str, singular: str, excluded: Excluded) -> list[Markup]:
    notes = []
    for currency in sorted(excluded.other_currencies):
        tally = excluded.other_currencies[currency]
        noun = singular if tally.rows == 1 else plural
        notes.append(h(f"Not in the chart: {tally.rows} {noun} in {currency}, {full(tally.total)} {currency} in total "
                       f"(other currencies are never added to {CHART_CURRENCY})."))
    if excluded.without_amount:
        noun = singular if excluded.without_amount == 1 else plural
        notes.append(h(f"Not in the chart: {excluded.without_amount} {noun} with no amount stated (Ashyq never guesses one)."))
    return notes

