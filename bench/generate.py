"""Deterministic budget-line data for the validation benchmark (all names and amounts fictional).

A Data Package with two resources: `budget_lines` (the big table: one row per budget programme line of a
district akimat, ~1% of rows made dirty on purpose) and `regions` (a small lookup table the lines point
at through a foreign key). Same arguments, same bytes.
"""
from __future__ import annotations

import csv
import json
import random
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"

REGION_CODES = [f"{prefix}0000000" for prefix in (10, 11, 15, 19, 23, 27, 31, 33, 35, 39, 43, 47, 55, 59, 61, 62, 63, 71, 75, 79)]
CATEGORIES = ["social", "education", "health", "infrastructure", "culture", "sport"]
PROGRAMMES = [
    "Демо: капитальный ремонт школ",
    "Демо: строительство детского сада",
    "Demo: rural clinic equipment",
    "Үлгі: спорт алаңын салу",
    "Демо: водоснабжение сёл",
    "Demo: women's crisis centre",
    "Үлгі: мәдениет үйін жөндеу",
    "Демо: освещение улиц, \"вторая очередь\"",
]

BUDGET_SCHEMA = {
    "fields": [
        {"name": "line_id", "type": "string", "constraints": {"required": True, "pattern": "[A-Z]{2}-[0-9]{4}-[0-9]{8}"}},
        {"name": "year", "type": "year", "constraints": {"required": True, "minimum": 2000, "maximum": 2030}},
        {"name": "region_code", "type": "string", "constraints": {"required": True, "pattern": "[0-9]{9}"}},
        {"name": "akimat", "type": "string", "constraints": {"required": True}},
        {"name": "programme_code", "type": "string", "constraints": {"required": True, "pattern": "[0-9]{3}"}},
        {"name": "programme_name", "type": "string", "constraints": {"required": True, "maxLength": 200}},
        {"name": "category", "type": "string", "constraints": {"enum": CATEGORIES}},
        {"name": "planned_amount", "type": "number", "constraints": {"required": True, "minimum": 0}},
        {"name": "executed_amount", "type": "number", "constraints": {"minimum": 0}},
        {"name": "approved_on", "type": "date"},
        {"name": "gender_marker", "type": "boolean"},
        {"name": "lines_in_programme", "type": "integer", "constraints": {"minimum": 1}},
    ],
    "missingValues": ["", "n/a"],
    "primaryKey": ["line_id"],
    "foreignKeys": [{"fields": ["region_code"], "reference": {"resource": "regions", "fields": ["region_code"]}}],
}

REGIONS_SCHEMA = {
    "fields": [
        {"name": "region_code", "type": "string", "constraints": {"required": True, "unique": True}},
        {"name": "name", "type": "string", "constraints": {"required": True}},
    ],
    "primaryKey": ["region_code"],
}

DIRT = [
    ("planned_amount", "12 345,6"),
    ("planned_amount", ""),
    ("executed_amount", "-500.00"),
    ("category", "roads"),
    ("line_id", "kz-2024-1"),
    ("year", "20x4"),
    ("approved_on", "31.12.2024"),
    ("gender_marker", "yes"),
    ("region_code", "999999999"),
    ("lines_in_programme", "0"),
    ("duplicate", None),
]


def _clean_row(rng: random.Random, index: int) -> list[str]:
    year = 2019 + index % 6
    planned = rng.randrange(100_000, 900_000_000) / 100
    executed = "" if rng.random() < 0.2 else f"{planned * rng.random():.2f}"
    return [
        f"KZ-{year}-{index:08d}",
        str(year),
        REGION_CODES[index % len(REGION_CODES)],
        f"Демо ауданы әкімдігі №{index % 211}",
        f"{rng.randrange(1, 999):03d}",
        PROGRAMMES[index % len(PROGRAMMES)],
        CATEGORIES[index % len(CATEGORIES)],
        f"{planned:.2f}",
        executed,
        f"{year}-{1 + index % 12:02d}-{1 + index % 28:02d}",
        "true" if index % 3 == 0 else "false",
        str(1 + index % 40),
    ]


def write_budget_lines(path: Path, rows: int, *, seed: int = 20240101, dirty_every: int = 100, dotted_dates: bool = False) -> Path:
    """Write `rows` data rows; every `dirty_every`-th row (~1%) carries one of the DIRT defects. `dotted_dates`:
    every date written as 31.12.2024, as Kazakh and Russian spreadsheets show them (a type error on every row)."""
    names = [field["name"] for field in BUDGET_SCHEMA["fields"]]
    date = names.index("approved_on")
    rng = random.Random(seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    previous_id = None
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(names)
        for index in range(1, rows + 1):
            row = _clean_row(rng, index)
            if index % dirty_every == 0:
                field, value = DIRT[(index // dirty_every) % len(DIRT)]
                if field == "duplicate":
                    row[0] = previous_id
                else:
                    row[names.index(field)] = value
            previous_id = row[0]
            if dotted_dates and row[date][4:5] == "-":
                row[date] = f"{row[date][8:10]}.{row[date][5:7]}.{row[date][:4]}"
            writer.writerow(row)
    return path


def write_package(directory: Path, rows: int, *, dotted_dates: bool = False) -> Path:
    """The benchmark Data Package (datapackage.json, budget_lines.csv, regions.csv); reused when present."""
    directory.mkdir(parents=True, exist_ok=True)
    descriptor_path = directory / "datapackage.json"
    lines = directory / "budget_lines.csv"
    if not (descriptor_path.exists() and lines.exists()):
        write_budget_lines(lines, rows, dotted_dates=dotted_dates)
        with open(directory / "regions.csv", "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(["region_code", "name"])
            for number, code in enumerate(REGION_CODES, start=1):
                writer.writerow([code, f"Демо облысы {number}"])
        descriptor = {
            "name": "budget-bench",
            "resources": [
                {"name": "budget_lines", "path": "budget_lines.csv", "profile": "tabular-data-resource", "schema": BUDGET_SCHEMA},
                {"name": "regions", "path": "regions.csv", "profile": "tabular-data-resource", "schema": REGIONS_SCHEMA},
            ],
        }
        descriptor_path.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2), encoding="utf-8")
    return descriptor_path
