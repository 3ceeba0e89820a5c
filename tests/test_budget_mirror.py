"""Each budget source crawls the bundled mirror over real HTTP and reads every file exactly as the generator's
truth file says; the rows pass their Table Schemas (keys included); the generator is deterministic."""
import csv
import importlib.util
import json
import shutil
from dataclasses import asdict
from decimal import Decimal
from pathlib import Path

import pytest
from frictionless import Package

from pipelines.schemas import format_value
from sources.archive import RawArchive
from sources.budget import total_findings
from sources.budget.site import ParseError
from sources.catalog import load_catalog
from sources.http import Fetcher
from sources.mirror_server import serve_mirror
from sources.urls import UrlMap, mirror_file

ROOT = Path(__file__).resolve().parent.parent
MIRROR = ROOT / "sources" / "mirror"
TRUTH = json.loads((ROOT / "tests" / "fixtures" / "budget" / "mirror_truth.json").read_text("utf-8"))
SCHEMAS = ROOT / "schemas"


def crawl(source, root: Path, archive: RawArchive):
    with serve_mirror(root) as base:
        fetcher = Fetcher(archive, source_id=source.id, url_map=UrlMap(base), sample=True, min_interval=0)
        manifest = source.load_adapter().crawl(fetcher)
    return manifest, source.load_adapter().parse(manifest, archive)


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    archive = RawArchive(tmp_path_factory.mktemp("budget") / "raw")
    sources = [s for s in load_catalog() if s.family == "budget"]
    results = {s.id: crawl(s, MIRROR, archive) for s in sources}
    return archive, sources, results


def test_every_source_and_every_file_kind_is_crawled(crawled):
    archive, sources, results = crawled
    assert {s.id for s in sources} == {"atyrau-budget", "kz-open-budgets", "kg-barskoon-budget"}
    documents = {sha: archive.sidecar(sha) for _, (manifest, _) in results.items() for sha in manifest["documents"]}
    by_url = {d.url: d for d in documents.values()}
    assert set(TRUTH["documents"]) <= set(by_url), "every file of the mirror was fetched"
    kinds = {by_url[url].content_type.split(";")[0] for url in TRUTH["documents"]}
    assert {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "text/csv"} <= kinds
    assert all(d.url.startswith("https://") and "127.0.0.1" not in d.final_url for d in documents.values())
    api_pages = [d for d in documents.values() if d.role == "api"]
    assert len(api_pages) == TRUTH["api_pages"] >= 3
    manifest = results["kz-open-budgets"][0]
    assert sum(page["items"] for page in manifest["items"]) == TRUTH["api_items"]
    atyrau = results["atyrau-budget"][0]
    assert [len(item["files"]) for item in atyrau["items"]] == [2, 0], "the explanatory note has no table file"


def test_lines_match_the_truth_file(crawled):
    archive, _, results = crawled
    lines = [row for _, tables in results.values() for row in tables["budget_lines"]]
    urls = {sha: archive.sidecar(sha).url for sha in {row["source_document"] for row in lines}}
    for url, truth in TRUTH["documents"].items():
        mine = [row for row in lines if urls[row["source_document"]] == url]
        got = sorted((r["direction"], (r["code_l1"], r["code_l2"], r["code_l3"], r["code_l4"]), r["line_name"], r["phase"], r["amount"])
                     for r in mine)
        want = sorted((t["direction"], tuple(t["codes"]), t["name"], t["phase"], Decimal(t["amount"])) for t in truth["lines"])
        assert got == want, url
        for field in ("source_id", "region_code", "year", "report_date", "currency", "area_code"):
            assert {r[field] for r in mine} == {truth[field]}, (url, field)
        assert {r["unit_in_source"] for r in mine} == {t["unit_in_source"] for t in truth["lines"]}


def test_totals_are_kept_apart_and_all_add_up(crawled):
    archive, _, results = crawled
    for source_id, (_, tables) in results.items():
        lines, totals = tables["budget_lines"], tables["budget_totals"]
        assert total_findings(lines, totals) == [], source_id
        line_locators = {(r["source_document"], r["locator"]) for r in lines}
        assert not any((t["source_document"], t["locator"]) in line_locators for t in totals), "a total is never a line"
        for url, truth in TRUTH["documents"].items():
            mine = [t for t in totals if archive.sidecar(t["source_document"]).url == url]
            if truth["source_id"] == source_id:
                assert len(mine) == truth["totals"], url


def test_locators_point_into_the_file(crawled):
    _, _, results = crawled
    for _, tables in results.values():
        for row in tables["budget_lines"] + tables["budget_totals"]:
            assert row["locator"].startswith(("sheet=Отчет!row=", "sheet=Бюджет!row=", "csv:row=", "json:page=")), row["locator"]


def _write(path: Path, schema: dict, rows: list[dict]) -> None:
    columns = [f["name"] for f in schema["fields"]]
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([format_value(row.get(c)) for c in columns])


def test_rows_pass_their_table_schemas_with_keys(crawled, tmp_path):
    archive, _, results = crawled
    tables = {"budget_lines": [], "budget_totals": []}
    shas = set()
    for manifest, parsed in results.values():
        shas |= set(manifest["documents"])
        for name in tables:
            tables[name] += [{**row, "sample": True} for row in parsed[name]]
    tables["documents"] = [{**asdict(archive.sidecar(sha)), "archive_path": archive.sidecar(sha).archive_path} for sha in sorted(shas)]
    resources = []
    for name in ("budget_lines", "budget_totals", "documents", "regions"):
        schema = json.loads((SCHEMAS / f"{name}.schema.json").read_text("utf-8"))
        if name == "regions":
            shutil.copy(ROOT / "sources" / "reference" / "regions.csv", tmp_path / "regions.csv")
        else:
            _write(tmp_path / f"{name}.csv", schema, tables[name])
        resources.append({"name": name, "path": f"{name}.csv", "profile": "tabular-data-resource", "schema": schema})
    report = Package({"name": "budget-check", "resources": resources}, basepath=str(tmp_path)).validate()
    errors = [f"{task.name}: {error.message}" for task in report.tasks for error in task.errors]
    assert report.valid, errors[:10]


def test_a_tampered_subtotal_in_the_revenue_csv_gives_one_finding(tmp_path):
    root = tmp_path / "mirror"
    shutil.copytree(MIRROR / "www.gov.kz", root / "www.gov.kz")
    url = next(u for u in TRUTH["documents"] if u.endswith(".csv"))
    path = root / mirror_file(url)
    lines = path.read_bytes().decode("cp1251").split("\r\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("103;"))  # the "Социальный налог" class subtotal
    cells = lines[at].split(";")
    cells[4] = cells[4][:-1] + str((int(cells[4][-1]) + 1) % 10)  # the last digit of "Исполнено"
    lines[at] = ";".join(cells)
    path.write_bytes("\r\n".join(lines).encode("cp1251"))
    source = next(s for s in [s for s in load_catalog() if s.family == "budget"] if s.id == "atyrau-budget")
    _, parsed = crawl(source, root, RawArchive(tmp_path / "raw"))
    findings = total_findings(parsed["budget_lines"], parsed["budget_totals"])
    assert [f["row_key"] for f in findings] == [f"csv:row={at + 1}"]


def test_a_damaged_file_on_the_site_fails_the_parse_naming_its_url(tmp_path):
    root = tmp_path / "mirror"
    shutil.copytree(MIRROR / "budget.okmot.kg", root / "budget.okmot.kg")
    url = next(u for u in TRUTH["documents"] if "okmot" in u)
    target = root / mirror_file(url)
    target.write_bytes(target.read_bytes()[:500])
    source = next(s for s in [s for s in load_catalog() if s.family == "budget"] if s.id == "kg-barskoon-budget")
    with pytest.raises(ParseError) as caught:
        crawl(source, root, RawArchive(tmp_path / "raw"))
    assert url in str(caught.value) and "damaged XLSX" in str(caught.value)


def test_the_generator_is_deterministic_and_the_mirror_is_current():
    spec = importlib.util.spec_from_file_location("build_budget_mirror", ROOT / "tools" / "build_budget_mirror.py")
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    first, second = tool.owned_outputs(), tool.owned_outputs()
    assert first == second
    stale = [str(p) for p, data in first.items() if not p.is_file() or p.read_bytes() != data]
    assert not stale, "run: .venv/bin/python tools/build_budget_mirror.py"
