"""The tables section: per resource, what a row is, its keys, its data dictionary and its first rows."""
from __future__ import annotations

from pipelines.site.dictionary import dictionary_table, keys_text
from pipelines.site.markup import Markup, join, paragraphs, scroll_table, slug, tag
from pipelines.site.numbers import count
from pipelines.site.release_data import ReleaseData

PREVIEW_ROWS = 10


def tables_section(release: ReleaseData, tables: set[str]) -> Markup:
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
                *paragraphs(resource.get("description", "")),
                tag("p", f"{count(total, 'row')} · ", tag("a", f"download {resource['path']}", href=resource["path"], download=True)),
                keys_text(resource, tables),
                tag("h4", "Columns"),
                dictionary_table(resource),
                tag("h4", "First rows"),
                tag("p", f"{shown}, exactly as in the CSV.", class_="muted"),
                preview,
            )
        )
    return join(blocks)
