"""A resource's Table Schema as a data dictionary people can read: column, type, meaning, rules."""
from __future__ import annotations

from pipelines.site.markup import Markup, h, join, scroll_table, slug, tag

TYPE_WORDS = {
    "string": "text",
    "integer": "whole number",
    "number": "number",
    "boolean": "true / false",
    "date": "date",
    "datetime": "date and time (UTC)",
    "year": "year",
}
ASHYQ_RULES = {
    "x-ashyq-check": lambda value: "check digit verified" if value == "kz-bin" else f"check: {value}",
    "x-ashyq-required-with": lambda value: Markup(f"required when {tag('code', value)} is given"),
    "x-ashyq-not-before": lambda value: Markup(f"not before {tag('code', value)}"),
}


def constraints(field: dict) -> Markup:
    parts: list = []
    rules = field.get("constraints") or {}
    if rules.get("required"):
        parts.append("required")
    if rules.get("unique"):
        parts.append("unique")
    for key, value in rules.items():
        if key in ("required", "unique"):
            continue
        if key == "enum":
            parts.append(Markup("one of " + ", ".join(tag("code", v) for v in value)))
        elif key == "pattern":
            parts.append(Markup(f"matches {tag('code', value)}"))
        elif key in ("minimum", "maximum", "minLength", "maxLength"):
            parts.append(f"{ {'minimum': 'at least', 'maximum': 'at most', 'minLength': 'length at least', 'maxLength': 'length at most'}[key] } {value}")
        else:
            parts.append(f"{key}: {value}")
    for key, describe in ASHYQ_RULES.items():
        if key in field:
            parts.append(describe(field[key]))
    if field.get("format") and field["format"] != "default":
        parts.append(f"format {field['format']}")
    return join(parts, "; ")


def dictionary_table(resource: dict) -> Markup:
    fields = resource.get("schema", {}).get("fields", [])
    rows = [
        [
            tag("code", field.get("name", "")),
            field.get("title", ""),
            TYPE_WORDS.get(field.get("type", "string"), field.get("type", "")),
            field.get("description", ""),
            constraints(field),
        ]
        for field in fields
    ]
    return scroll_table(
        f"Columns of {resource.get('path', '')}",
        ["Column", "Title", "Type", "Description", "Rules"],
        rows,
        wide={3, 4},
        stack=True,
        class_="dictionary",
    )


def keys_text(resource: dict, tables: set[str]) -> Markup:
    """Primary and foreign keys in words, linking to the referenced table's section when the page has it."""
    schema = resource.get("schema", {})
    lines = []
    key = schema.get("primaryKey")
    if key:
        key = [key] if isinstance(key, str) else key
        lines.append(tag("li", "Each row is identified by ", join([tag("code", k) for k in key], ", "), "."))
    for foreign in schema.get("foreignKeys", []):
        fields = foreign.get("fields", [])
        fields = [fields] if isinstance(fields, str) else fields
        ref = foreign.get("reference", {})
        target = ref.get("resource", "")
        ref_fields = ref.get("fields", [])
        ref_fields = [ref_fields] if isinstance(ref_fields, str) else ref_fields
        lines.append(
            tag(
                "li",
                join([tag("code", f) for f in fields], ", "),
                " refers to ",
                tag("a", tag("code", target), href=f"#table-{slug(target)}") if target in tables else tag("code", target or resource.get("name", "")),
                " (",
                join([tag("code", f) for f in ref_fields], ", "),
                ").",
            )
        )
    return tag("ul", *lines) if lines else h("")
