"""The release page: <release>/index.html and its charts, written into the release folder.

Called on the staging folder of a new release (CSVs and datapackage.json written, optional
CHANGELOG.md and <package>-<version>.zip/.sqlite beside them) before it is renamed into place.
"""
from __future__ import annotations

from pathlib import Path

from pipelines.site.changes import compare
from pipelines.site.charts import Chart, build_charts
from pipelines.site.markdown import render_markdown
from pipelines.site.markup import Markup, external_link, h, join, paragraphs, scroll_table, slug, tag
from pipelines.site.numbers import count, file_size
from pipelines.site.quarantine_section import validation_section
from pipelines.site.release_data import ReleaseData
from pipelines.site.style import page
from pipelines.site.svg import size
from pipelines.site.tables_section import tables_section

SECTION_IDS = ("about", "sources", "downloads", "charts", "changes", "validation", "tables")
CATALOG_LINK = "../../index.html"
SAMPLE_TEXT = (
    "Every organisation, person, amount and document in this release is invented, for demonstration and testing. "
    "It was built from Ashyq's bundled offline mirror, not from the real websites. Do not cite it."
)


def render_release_site(release_dir: Path, *, previous_release_dir: Path | None = None, data: ReleaseData | None = None) -> list[Path]:
    """Write index.html and charts/*.svg into `release_dir`; return the paths written (deterministic bytes).
    `data`: the release's ReleaseData when the caller made it already (publishing reads its row counts early)."""
    release_dir = Path(release_dir)
    release = data if data is not None else ReleaseData(release_dir)
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
        ("validation", "Validation and quarantined rows", validation_section(release)),
        ("tables", "Tables and their columns", tables_section(release, tables)),
    ]
    toc = tag("nav", tag("h2", "On this page"),
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


def _about(release: ReleaseData) -> Markup:
    d = release.descriptor
    parts = paragraphs(d.get("description", ""))
    licences = [lic for lic in d.get("licenses", []) if isinstance(lic, dict)]
    facts = [
        (tag("dt", "Licence of this release"), tag("dd", join([_licence(lic) for lic in licences], "; ") if licences else "not stated")),
        (tag("dt", "Published by"), tag("dd", join([c.get("title", "") for c in d.get("contributors", []) if isinstance(c, dict)], "; ") or "not stated")),
        (tag("dt", "Package name and version"), tag("dd", tag("code", release.name), " ", release.version)),
    ]
    built_with = (d.get("ashyq") or {}).get("code_version") if isinstance(d.get("ashyq"), dict) else None
    if built_with:
        facts.append((tag("dt", "Built with"), tag("dd", tag("code", built_with))))
    if d.get("homepage"):
        facts.append((tag("dt", "Homepage"), tag("dd", external_link(d["homepage"]))))
    counts = release.row_counts
    facts.append((tag("dt", "Tables"), tag("dd", join([join([tag("a", r.get("title") or r["name"], href=f"#table-{slug(r['name'])}"), f" ({count(counts.get(r['name'], 0), 'row')})"]) for r in release.resources], "; "))))
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
        rows = count(counts.get(resource["name"], 0), "row")
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
