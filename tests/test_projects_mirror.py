"""The four fictional company sites of the bundled mirror, crawled over real HTTP, read exactly.

The truth file is written by tools/build_projects_mirror.py from the same facts it renders into the HTML
tables, the XLSX and the CSV, so it is an independent oracle for crawl → parse → link.
"""
import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from frictionless import Package
from openpyxl import load_workbook

from pipelines.schemas import format_value
from pipelines.settings import BUNDLED_MIRROR, REPO_ROOT
from sources.archive import RawArchive
from sources.catalog import load_catalog
from sources.http import Fetcher
from sources.mirror_server import serve_mirror
from sources.organisations import organisation_rows
from sources.projects import link_memoranda
from sources.urls import UrlMap

TRUTH = Path(__file__).parent / "fixtures" / "projects" / "sample_projects_truth.csv"
MEMORANDA_TRUTH = Path(__file__).parent / "fixtures" / "sample_memoranda_truth.csv"
SCHEMAS = REPO_ROOT / "schemas"


def read_csv(path):
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def sample_memoranda():
    return [
        {"memorandum_id": f"{t['source_id']}/{t['native_id']}", **{k: t[k] or None for k in ("company_name", "company_bin", "region_code", "period_start", "period_end", "date_signed")}}
        for t in read_csv(MEMORANDA_TRUTH)
    ]


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    archive = RawArchive(tmp_path_factory.mktemp("projects") / "raw")
    sources = [s for s in load_catalog() if s.family == "projects"]
    manifests, rows = {}, []
    with serve_mirror(BUNDLED_MIRROR) as base:
        for source in sources:
            fetcher = Fetcher(archive, source_id=source.id, url_map=UrlMap(base), sample=True, min_interval=0)
            manifests[source.id] = source.load_adapter().crawl(fetcher)
    for source in sources:  # the server is gone: parsing reads the archive only
        rows += source.load_adapter().parse(manifests[source.id], archive)["social_projects"]
    return archive, sources, manifests, link_memoranda(rows, sample_memoranda())


def by_name(rows):
    return {row["project_name"]: row for row in rows}


def test_catalog_entries_are_fictional_projects_sources():
    sources = [s for s in load_catalog() if s.family == "projects"]
    assert len(sources) >= 4 and {s.family for s in sources} == {"projects"}
    for source in sources:
        assert source.base_url.endswith(".example") and "fictional" in source.licence
        assert all(url.startswith(source.base_url) for url in source.start_urls)


def test_every_project_is_found_once_and_nothing_else(crawled):
    _, _, _, rows = crawled
    truth = read_csv(TRUTH)
    assert sorted((r["source_id"], r["project_name"]) for r in rows) == sorted((t["source_id"], t["project_name"]) for t in truth)
    assert not any(name.lower().startswith(("итого", "барлығы", "атырауская", "ақтөбе облысы")) for name in by_name(rows))


@pytest.mark.parametrize("field", ["company_id", "location", "region_code", "period_start", "period_end", "contractor", "contractor_id",
                                   "amount", "currency", "status", "sector", "gender_marker", "memorandum_id", "memorandum_link"])
def test_fields_match_the_truth(crawled, field):
    rows = by_name(crawled[3])
    wrong = [f"{t['project_name']}: {field} = {format_value(rows[t['project_name']][field])!r}, truth {t[field]!r}"
             for t in read_csv(TRUTH) if format_value(rows[t["project_name"]][field]) != t[field]]
    assert not wrong, "\n".join(wrong)


def test_html_tables_apply_the_thousands_multiplier_and_both_period_forms(crawled):
    _, _, _, rows = crawled
    html_rows = [r for r in rows if r["locator"].startswith("html:")]
    assert {r["source_id"] for r in html_rows} == {"demo-caspian-oil-projects", "ulgi-munai-projects"}
    for row in html_rows:
        stated = Decimal(row["amount_text"].replace("\u00a0", "").replace(" ", "").replace(",", "."))
        assert row["amount_multiplier"] == 1000 and row["amount"] == stated * 1000
    precisions = {(len(r["period_start"]), len(r["period_end"])) for r in html_rows}
    assert (4, 4) in precisions and (7, 7) in precisions  # "2022–2023" and "06.2023 – 12.2024"
    caspian = [r for r in html_rows if r["source_id"] == "demo-caspian-oil-projects"]
    assert {r["region_code"] for r in caspian} == {"230000000", "470000000"}  # from the section rows


def test_lists_are_downloaded_and_read_in_tenge(crawled):
    archive, _, manifests, rows = crawled
    for source_id, kind in (("demo-zhaik-minerals-projects", "sheet="), ("demo-aktobe-copper-projects", "csv:")):
        items = manifests[source_id]["items"]
        assert [i["role"] for i in items] == ["attachment"] and len(manifests[source_id]["documents"]) == 2  # page + file
        listed = [r for r in rows if r["source_id"] == source_id]
        assert listed and all(r["locator"].startswith(kind) and r["amount_multiplier"] == 1 for r in listed)
    assert "spreadsheetml" in manifests["demo-zhaik-minerals-projects"]["items"][0]["content_type"]


def test_every_locator_points_at_its_row(crawled):
    archive, _, _, rows = crawled
    for row in rows:
        data = archive.read(row["source_document"])
        if row["locator"].startswith("html:"):
            element = BeautifulSoup(data, "lxml").select(row["locator"][5:])
            assert len(element) == 1 and row["project_name"] in element[0].get_text(" "), row["locator"]
        elif row["locator"].startswith("sheet="):
            sheet_name, _, number = row["locator"][6:].partition("!row=")
            values = [c.value for c in load_workbook(io.BytesIO(data))[sheet_name][int(number)]]
            assert row["project_name"] in values
        else:
            number = int(row["locator"].split("=")[1])
            assert list(csv.reader(io.StringIO(data.decode("cp1251"), newline=""), delimiter=";"))[number - 1][0] == row["project_name"]


def test_redirected_start_url_keeps_the_real_url_and_ids_are_stable(crawled):
    archive, sources, manifests, rows = crawled
    item = manifests["demo-caspian-oil-projects"]["items"][0]
    assert item["url"].endswith("/social-projects") and item["final_url"].endswith("/ru/social/projects/")
    assert "127.0.0.1" not in json.dumps(manifests)
    again = [r for s in sources for r in s.load_adapter().parse(manifests[s.id], archive)["social_projects"]]
    assert sorted(r["project_id"] for r in again) == sorted(r["project_id"] for r in rows)
    assert len({r["project_id"] for r in rows}) == len(rows)


def test_rows_validate_against_the_table_schemas(crawled, tmp_path):
    _, _, _, rows = crawled
    tables = {
        "social_projects": [{**row, "sample": True} for row in rows],
        "organisations": organisation_rows(),
        "regions": read_csv(REPO_ROOT / "sources" / "reference" / "regions.csv"),
    }
    resources = []
    for name, table in tables.items():
        schema = json.loads((SCHEMAS / f"{name}.schema.json").read_text("utf-8"))
        schema["foreignKeys"] = [fk for fk in schema.get("foreignKeys", []) if fk["reference"]["resource"] in tables]
        columns = [field["name"] for field in schema["fields"]]
        assert name == "regions" or set(columns) == set(table[0]), (name, set(columns) ^ set(table[0]))
        with open(tmp_path / f"{name}.csv", "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(columns)
            writer.writerows([format_value(row.get(c)) for c in columns] for row in table)
        resources.append({"name": name, "path": f"{name}.csv", "profile": "tabular-data-resource", "schema": schema})
    report = Package({"name": "projects-check", "resources": resources}, basepath=str(tmp_path)).validate()
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "message"])


def test_generator_is_deterministic_and_matches_the_mirror():
    import importlib.util
    import sys

    spec = importlib.util.spec_from_file_location("build_projects_mirror", REPO_ROOT / "tools" / "build_projects_mirror.py")
    tool = sys.modules.setdefault("build_projects_mirror", importlib.util.module_from_spec(spec))
    spec.loader.exec_module(tool)
    first, second = tool.outputs(), tool.outputs()
    assert first == second
    assert tool.main(["--check"]) == 0, "run tools/build_projects_mirror.py: the mirror is stale"
