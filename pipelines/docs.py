"""Write docs/data-dictionary.md from schemas/ so the documentation can never drift from the data."""
from __future__ import annotations

from pathlib import Path

from pipelines.schemas import package_metadata, schema
from pipelines.settings import REPO_ROOT

DICTIONARY = REPO_ROOT / "docs" / "data-dictionary.md"


def _constraints(field: dict) -> str:
    parts = []
    for key, value in field.get("constraints", {}).items():
        if key == "required" and value:
            parts.append("required")
        elif key == "unique" and value:
            parts.append("unique")
        elif key == "enum":
            parts.append("one of " + ", ".join(f"`{v}`" for v in value))
        elif key == "pattern":
            parts.append(f"matches `{value}`")
        else:
            parts.append(f"{key} {value}")
    rules = {"x-ashyq-check": "check digit verified", "x-ashyq-required-with": "required when `{}` is given", "x-ashyq-not-before": "not before `{}`"}
    for key, text in rules.items():
        if key in field:
            parts.append(text.format(field[key]))
    return "; ".join(parts)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def data_dictionary() -> str:
    meta = package_metadata()
    lines = [
        "# Data dictionary",
        "",
        f"Package `{meta['name']}`. Generated from `schemas/` by `python -m pipelines.docs`; do not edit by hand.",
        "",
    ]
    for resource in meta["resources"]:
        descriptor = schema(resource["name"])
        lines += [f"## `{resource['name']}.csv` — {resource['title']}", "", resource["description"], ""]
        if descriptor.get("primaryKey"):
            lines.append("Primary key: " + ", ".join(f"`{k}`" for k in descriptor["primaryKey"]) + ".")
        for fk in descriptor.get("foreignKeys", []):
            ref = fk["reference"]
            lines.append(f"Foreign key: {', '.join(fk['fields'])} → `{ref['resource']}`.{', '.join(ref['fields'])}.")
        lines += ["", "| column | type | description | constraints |", "|---|---|---|---|"]
        for field in descriptor["fields"]:
            description = _cell(field.get("description", field.get("title", "")))
            lines.append(f"| `{field['name']}` | {field['type']} | {description} | {_cell(_constraints(field))} |")
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    DICTIONARY.write_text(data_dictionary(), "utf-8")
    print(f"wrote {DICTIONARY.relative_to(Path.cwd()) if DICTIONARY.is_relative_to(Path.cwd()) else DICTIONARY}")
