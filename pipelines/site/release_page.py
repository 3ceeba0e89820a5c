"""The release page: <release>/index.html and its charts, written into the release folder.

Called on the staging folder of a new release (CSVs and datapackage.json written, optional
CHANGELOG.md and <package>-<version>.zip/.sqlite beside them) before it is renamed into place.
"""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from pipelines.site.changes import compare
from pipelines.site.charts import Chart, build_charts
from pipelines.site.dictionary import dictionary_table, keys_text
from pipelines.site.markdown import render_markdown
from pipelines.site.markup import Markup, external_link, h, join, scroll_table, slug, tag
from pipelines.site.numbers import file_size
from pipelines.site.release_data import ReleaseData
from pipelines.site.svg import size
from pipelines.site.style import page

SECTION_IDS = ("about", "sources", "downloads", "charts", "changes", "validation", "tables")
PREVIEW_ROWS = 10
QUARANTINE_ROWS_SHOWN = 200
CATALOG_LINK = "../../index.html"
ERROR_TYPES = {
    "constraint-error": "a value breaks a column rule (allowed values, pattern, minimum)",
    "type-error": "a value is not of the column's type",
    "kz-bin-checksum": "the BIN's check digit is wrong (a typo in the source, or misread)",
    "required-with": "an amount without its currency",
    "period-order": "a period that ends before it starts",
    "foreign-key": "refers to a document, region or organisation missing from the release",
    "primary-key": "a second row with the same ID",
    "unique-error": "a value that must be unique appears twice",
    "total-mismatch": "a stated budget total differs from the sum of its lines",
}
SAMPLE_TEXT = (
    "Every organisation, person, amount and document in this release is invented, for demonstration and testing. "
    "It was built from Ashyq's bundled offline mirror, not from the real websites. Do not cite it."
)


def render_release_site(release_dir: Path, *, previous_release_dir: Path | None = None) -> list[Path]:
    """Write index.html and charts/*.svg into `release_dir`; return the paths written (deterministic bytes)."""
    release_dir = Path(release_dir)
    release = ReleaseData(release_dir)
    previous = ReleaseData(Path(previous_release_dir)) if previous_release_dir else None
    charts = build_charts(release)
    written = []
    (release_dir / "charts").mkdir(exist_ok=True)
    for chart in charts:
        path = release_dir / chart.file_name
        path.write_bytes(chart.svg.encode("utf-8"))
        written.append(path)
    index = release_dir / "index.html"
    index.write_bytes(release_page(release, charts, previous))
    return [index, *written]


def release_page(release: ReleaseData, charts: list[Chart], previous: ReleaseData | None) -> bytes:
    tables = {r["name"] for r in release.resources}
    changelog = release.changelog()
    sections = [
        ("about", "About this data", _about(release)),
        ("sources", "Who published the sources", _sources(release)),
        ("downloads", "Download", _downloads(release)),
        ("charts", "Charts", _charts(charts)),
    ]
    if changelog is not None or previous is not None:
        sections.append(("changes", "What changed", _changes(release, previous, changelog, tables)))
    sections += [
        ("validation", "Validation and quarantined rows", _validation(release)),
        ("tables", "Tables and their columns", _tables(release, tables)),
    ]
    toc = tag("nav", tag("h2", "On this page", class_="muted", style="border:0;margin:1rem 0 0;font-size:1rem"),
              tag("ul", *[tag("li", tag("a", title, href=f"#{anchor}")) for anchor, title, _ in sections]),
              class_="toc", aria_label="On this page")
    body = [
        tag("header", tag("div", tag("a", "All releases", href=CATALOG_LINK), " › ", release.name, " › ", release.version, class_="wrap"), class_="top"),
        Markup("\n"),
        tag(
            "main",
            tag("h1", release.title),
            tag("p", "Version ", tag("strong", release.version), " · published ",
                tag("time", release.created_text, datetime=release.created) if release.created else "(date not given)",
                " · ", _licence_line(release), class_="meta"),
            _banner(release),
            toc,
            *[Markup("\n") + tag("section", tag("h2", title), content, id=anchor) for anchor, title, content in sections],
            class_="wrap",
        ),
        tag(
            "footer",
            tag("p", "This page was generated from ", tag("a", "datapackage.json", href="datapackage.json"),
                f" of version {release.version} by Ashyq. All its links are relative, so the release folder works offline, "
                "for example copied to a USB stick."),
            class_="wrap",
        ),
    ]
    description = f"{release.title}, version {release.version}: data, data dictionary, charts and downloads."
    return page(title=f"{release.title} — version {release.version}", body=join(body), description=description)


def _banner(release: ReleaseData) -> Markup:
    if not release.sample:
        return h("")
    return tag("div", tag("strong", "SAMPLE DATA — FICTIONAL"), SAMPLE_TEXT, class_="banner", role="note", aria_label="Sample data warning")


def _licence_line(release: ReleaseData) -> Markup:
    licences = [lic for lic in release.descriptor.get("licenses", []) if isinstance(lic, dict)]
    return join(["licence: ", join([_licence(lic) for lic in licences], "; ") if licences else "not stated"])


def _licence(lic: dict) -> Markup:
    text = lic.get("title") or lic.get("name") or lic.get("path") or "licence"
    return external_link(lic.get("path"), text) if lic.get("path") else h(text)


def _paragraphs(text: str) -> list[Markup]:
    return [tag("p", block.strip()) for block in str(text or "").split("\n\n") if block.strip()]


def _about(release: ReleaseData) -> Markup:
    d = release.descriptor
    parts = _paragraphs(d.get("description", ""))
    licences = [lic for lic in d.get("licenses", []) if isinstance(lic, dict)]
    facts = [
        (tag("dt", "Licence of this release"), tag("dd", join([_licence(lic) for lic in licences], "; ") if licences else "not stated")),
        (tag("dt", "Published by"), tag("dd", join([c.get("title", "") for c in d.get("contributors", []) if isinstance(c, dict)], "; ") or "not stated")),
        (tag("dt", "Package name and version"), tag("dd", tag("code", release.name), " ", release.version)),
    ]
    if d.get("homepage"):
        facts.append((tag("dt", "Homepage"), tag("dd", external_link(d["homepage"]))))
    counts = release.row_counts
    facts.append((tag("dt", "Tables"), tag("dd", join([join([tag("a", r.get("title") or r["name"], href=f"#table-{slug(r['name'])}"), f" ({_count(counts.get(r['name'], 0), 'row')})"]) for r in release.resources], "; "))))
    return join(parts + [tag("dl", *[join(pair) for pair in facts])])


def _sources(release: ReleaseData) -> Markup:
    sources = [s for s in release.descriptor.get("sources", []) if isinstance(s, dict)]
    if not sources:
        return tag("p", "This release names no sources.")
    items = []
    for source in sources:
        publisher = source.get("publisher") or source.get("title") or "Unknown publisher"
        lines = [tag("strong", publisher)]
        if source.get("title") and source.get("title") != publisher:
            lines += [tag("br"), tag("span", source["title"], class_="muted")]
        if source.get("country"):
            lines += [tag("br"), "Country: ", source["country"]]
        if source.get("path"):
            lines += [tag("br"), "Website: ", external_link(source["path"])]
        licence = source.get("licence") or source.get("license") or source.get("licenses")
        if isinstance(licence, list):
            licence = "; ".join(str(x.get("title") or x.get("name") or "") if isinstance(x, dict) else str(x) for x in licence)
        lines += [tag("br"), "Terms: ", licence or "not stated"]
        items.append(tag("li", *lines))
    intro = tag("p", "The data was read from documents these organisations published. Names are shown as published.")
    return join([intro, tag("ul", *items, class_="sources")])


def _file_item(release: ReleaseData, file_name: str, what, extra: str = "", digest: str = "") -> Markup:
    size_bytes = release.file_size(file_name)
    parts = [tag("a", tag("strong", file_name), href=file_name, download=True), " — ", what]
    if extra:
        parts.append(f" · {extra}")
    if size_bytes is not None:
        parts.append(f" · {file_size(size_bytes)}")
    if digest:
        parts.append(tag("span", "sha256 ", tag("code", digest.removeprefix("sha256:")), class_="hash"))
    return tag("li", *parts)


def _downloads(release: ReleaseData) -> Markup:
    counts = release.row_counts
    items = [_file_item(release, name, what) for name, what in release.downloads()]
    for resource in release.resources:
        rows = _count(counts.get(resource["name"], 0), "row")
        items.append(_file_item(release, resource["path"], resource.get("title") or resource["name"], rows, str(resource.get("hash", ""))))
    items.append(_file_item(release, "datapackage.json", "what every file is: columns, licence, sources, sizes and checksums (Frictionless Data Package)"))
    if release.changelog() is not None:
        items.append(_file_item(release, "CHANGELOG.md", "what changed in this version"))
    intro = tag("p", "CSV files are UTF-8 with a header row; open them in any spreadsheet. Check a file with ",
                tag("code", "sha256sum"), " against the hash shown, or the whole release with ",
                tag("code", "frictionless validate datapackage.json"), ".")
    blocks = [intro, tag("ul", *items, class_="files")]
    if (release.folder / "archive").is_dir():
        blocks.append(tag("p", "The ", tag("code", "archive/"), " folder of this release holds every source document the data was read from, "
                          "named by its sha256 (see ", tag("code", "archive_path"), " in documents.csv), and the crawl manifests."))
    return join(blocks)


def _charts(charts: list[Chart]) -> Markup:
    blocks = []
    for chart in charts:
        width, height = size(chart.svg)
        figure = tag(
            "figure",
            tag("img", src=chart.file_name, alt=f"Chart: {chart.title}. The same numbers are in the table below it.", width=width, height=height),
            tag("figcaption", chart.caption, " ", tag("a", "Open the chart (SVG)", href=chart.file_name)),
            id=f"chart-{chart.slug}",
        )
        notes = tag("ul", *[tag("li", note) for note in chart.notes], class_="note") if chart.notes else h("")
        blocks.append(join([tag("h3", chart.title), figure, notes, tag("h4", "The numbers in the chart"), chart.table]))
    intro = tag("p", "Totals of published rows only: quarantined rows (below) are not counted. Amounts in different currencies are never added together.")
    return join([intro] + blocks)


def _changes(release: ReleaseData, previous: ReleaseData | None, changelog: str | None, tables: set[str]) -> Markup:
    """The release's CHANGELOG.md; without one, a row-level comparison with the previous release."""
    blocks = []
    if previous is not None:
        target = f"../{previous.version}/index.html" if previous.has_page() else f"../{previous.version}/datapackage.json"
        blocks.append(tag("p", "The previous release is ", tag("a", f"version {previous.version}", href=target), "."))
    if changelog is not None:
        anchors = {"#" + a for a in SECTION_IDS} | {f"#table-{slug(t)}" for t in tables}
        files = {"datapackage.json", "CHANGELOG.md"} | {release.file_name(t) for t in tables}

        def link_ok(href: str) -> bool:
            name, _, anchor = href.partition("#")
            return (name in files and not anchor) or (not name and href in anchors)

        blocks.append(tag("div", render_markdown(changelog, heading_offset=2, link_ok=link_ok), class_="changelog"))
    elif previous is not None:
        rows = [
            [change.title, f"{change.before:,}", f"{change.after:,}", f"{change.added:,}", f"{change.removed:,}", f"{change.changed:,}",
             "yes" if change.columns_changed else "no"]
            for change in compare(release, previous)
        ]
        blocks.append(tag("p", "Rows are matched between the two releases by their ID."))
        blocks.append(scroll_table("Changes since the previous release", ["Table", "Rows before", "Rows now", "Added", "Removed", "Changed", "Columns changed"],
                                   rows, numeric={1, 2, 3, 4, 5}, stack=True))
    return join(blocks)


def _validation(release: ReleaseData) -> Markup:
    quarantine = release.rows("quarantine")
    counts = release.row_counts
    by_resource: dict[str, set] = {}
    for entry in quarantine:
        by_resource.setdefault(entry.get("resource", ""), set()).add(entry.get("row_number", ""))
    data_tables = [r for r in release.resources if r["name"] != "quarantine"]
    published = sum(counts.get(r["name"], 0) for r in data_tables)
    held = sum(len(rows) for rows in by_resource.values())
    intro = tag(
        "p",
        f"Every row was checked against its table's rules (types, allowed values, IDs, references between tables, BIN check digits, "
        f"currencies, periods) before publication. {_count(published, 'row')} passed and are published; "
        f"{_count(held, 'row')} failed one or more checks ({_count(len(quarantine), 'problem')}) and are listed in ",
        tag("a", "quarantine.csv", href="quarantine.csv") if release.resource("quarantine") else "quarantine.csv",
        " with the whole row — never silently dropped.",
    )
    summary_rows = [
        [r.get("title") or r["name"], f"{counts.get(r['name'], 0):,}", f"{len(by_resource.get(r['name'], ())):,}"]
        for r in data_tables
    ]
    blocks = [intro, scroll_table("Rows published and quarantined per table", ["Table", "Rows published", "Rows quarantined"], summary_rows, numeric={1, 2})]
    if not quarantine:
        blocks.append(tag("p", "No row was quarantined in this release."))
        return join(blocks)
    per_type = Counter((e.get("resource", ""), e.get("error_type", "")) for e in quarantine)
    rows_per_type: dict[tuple, set] = {}
    for e in quarantine:
        rows_per_type.setdefault((e.get("resource", ""), e.get("error_type", "")), set()).add(e.get("row_number", ""))
    type_rows = [
        [resource, tag("code", error_type), ERROR_TYPES.get(error_type, ""), f"{per_type[(resource, error_type)]:,}", f"{len(rows_per_type[(resource, error_type)]):,}"]
        for resource, error_type in sorted(per_type)
    ]
    blocks += [
        tag("h3", "Problems by table and type"),
        scroll_table("Problems by table and error type", ["Table", "Error type", "What it means", "Problems", "Rows"], type_rows, numeric={3, 4}, wide={2}, stack=True),
        tag("h3", "Quarantined rows"),
    ]
    shown = quarantine[:QUARANTINE_ROWS_SHOWN]
    if len(quarantine) > len(shown):
        blocks.append(tag("p", f"The first {len(shown):,} of {len(quarantine):,} problems; all are in ", tag("a", "quarantine.csv", href="quarantine.csv"), "."))
    rows = [
        [e.get("resource", ""), e.get("row_key", ""), e.get("row_number", ""), tag("code", e.get("field", "")), tag("code", e.get("error_type", "")),
         e.get("message", ""), _row_details(e.get("row", ""))]
        for e in shown
    ]
    blocks.append(scroll_table("Quarantined rows", ["Table", "Row ID", "Row number", "Field", "Error type", "Message", "The whole row"], rows,
                               numeric={2}, wide={1, 5, 6}, stack=True))
    return join(blocks)


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


def _row_details(row_json: str) -> Markup:
    try:
        row = json.loads(row_json)
        text = json.dumps(row, ensure_ascii=False, indent=1, sort_keys=True)
    except (ValueError, TypeError):
        text = row_json
    return tag("details", tag("summary", "show"), tag("pre", text))


def _tables(release: ReleaseData, tables: set[str]) -> Markup:
    blocks = [tag("p", "For each table: what a row is, its columns with their types and rules (the data dictionary), and its first rows.")]
    counts = release.row_counts
    for resource in release.resources:
        name = resource["name"]
        header, rows = release.head(name, PREVIEW_ROWS)
        types = {f.get("name"): f.get("type") for f in resource.get("schema", {}).get("fields", [])}
        numeric = {i for i, column in enumerate(header) if types.get(column) in ("integer", "number")}
        wide = {i for i, column in enumerate(header)  # a minimum width only where text would otherwise wrap a lot
                if types.get(column, "string") == "string" and max((len(r[i]) for r in rows if i < len(r)), default=0) > 16}
        total = counts.get(name, 0)
        preview = (
            scroll_table(f"First rows of {resource['path']}", header, rows, numeric=numeric, wide=wide, class_="data")
            if rows else tag("p", "This table has no rows in this release.", class_="muted")
        )
        shown = f"The first {len(rows):,} of {total:,} rows" if total > len(rows) else f"All {total:,} rows"
        blocks.append(
            tag(
                "section",
                tag("h3", resource.get("title") or name, " ", tag("code", resource["path"]), id=f"table-{slug(name)}"),
                *_paragraphs(resource.get("description", "")),
                tag("p", f"{_count(total, 'row')} · ", tag("a", f"download {resource['path']}", href=resource["path"], download=True)),
                keys_text(resource, tables),
                tag("h4", "Columns"),
                dictionary_table(resource),
                tag("h4", "First rows"),
                tag("p", f"{shown}, exactly as in the CSV.", class_="muted"),
                preview,
            )
        )
    return join(blocks)
