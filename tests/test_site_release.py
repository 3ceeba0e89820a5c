"""The release page and its charts, on a small release published with pipelines.release.publish.

The amounts are chosen so the expected chart totals can be stated here from the inputs.
"""
from __future__ import annotations

import csv
import io
import json
import shutil
import xml.etree.ElementTree as ET
from datetime import datetime, timezone
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from hypothesis import given, settings, strategies as st

from pipelines.release import publish
from pipelines.site import render_release_site
from test_validation import SHA_A, document, memorandum

SVG = "{http://www.w3.org/2000/svg}"
EVIL = '<script>alert("x")</script>'
ATYRAU = {"region_code": "230000000", "country": "KZ", "level": "oblast", "name_en": "Atyrau Region", "name_ru": "Атырауская область",
          "name_kk": "Атырау облысы", "aliases": None, "valid_from": None, "valid_to": None, "source": "KATO"}
ISSYK_KUL = {"region_code": "41702000000000", "country": "KG", "level": "oblast", "name_en": "Issyk-Kul Region",
             "name_ru": "Иссык-Кульская область", "name_kk": "Ыстықкөл облысы", "aliases": None, "valid_from": None, "valid_to": None,
             "source": "SOATE"}
SOURCES = [
    {"title": "Akimat of Atyrau Region (atyrau-akimat)", "path": "https://www.gov.kz/memleket/entities/atyrau",
     "publisher": "Akimat of Atyrau Region", "country": "KZ", "licence": "Public information"},
    {"title": "Hostile source", "path": "javascript:alert(1)", "publisher": f"ТОО «Демо» {EVIL}", "country": "KZ", "licence": "none"},
]


def project(pid: str, **overrides) -> dict:
    row = {"project_id": f"demo-projects/{pid}", "project_name": "Строительство детского сада", "company_id": None,
           "company_name": "ТОО «Демо Каспий Ойл»", "memorandum_id": None, "memorandum_link": None, "location": "г. Атырау",
           "region_code": "230000000", "period_start": "2024", "period_end": "2025", "contractor": None, "contractor_id": None,
           "amount": 100, "amount_text": "100", "amount_multiplier": 1, "currency": "KZT", "status": "planned", "status_text": "Планируется",
           "sector": "preschool", "sector_rule": "s-preschool", "gender_marker": 1, "gender_rationale": "rule g1: детского сада",
           "language": "ru", "source_id": "demo-projects", "source_url": "https://www.demo.example/projects", "source_document": SHA_A,
           "locator": "csv:row=2", "sample": True}
    return {**row, **overrides}


def quarantined(number: int, message: str) -> dict:
    row = memorandum(f"q{number}", company_bin="123456789012")
    return {"resource": "memoranda", "row_key": f"s/q{number}", "row_number": number, "field": "company_bin",
            "error_type": "kz-bin-checksum", "message": message, "row": json.dumps(row, ensure_ascii=False, sort_keys=True)}


def site_tables(*, extra_memoranda: int = 0) -> dict[str, list[dict]]:
    """Committed KZT: Atyrau 2.5 bn + 1 bn, Issyk-Kul 0.3 bn; disclosed KZT: Atyrau 0.85 bn, Issyk-Kul 0.2 bn."""
    memoranda = [
        memorandum("1", title=f"Меморандум {EVIL}", amount=2_500_000_000),
        memorandum("2", amount=1_000_000_000, company_name=f"ТОО «Демо & Co» {EVIL}"),
        memorandum("3", amount=1_000_000, currency="USD"),
        memorandum("4", amount=None, currency=None),
        memorandum("5", region_code="41702000000000", amount=300_000_000),
    ] + [memorandum(f"x{i}", amount=1) for i in range(extra_memoranda)]
    projects = [
        project("0000000001", amount=700_000_000, gender_marker=1, period_start="2024"),
        project("0000000002", amount=100_000_000, gender_marker=2, period_start="2025-03", project_name=f"Кризисный центр {EVIL}"),
        project("0000000003", amount=50_000_000, gender_marker=0, period_start=None, period_end=None),
        project("0000000004", amount=20_000, currency="USD", gender_marker=0),
        project("0000000005", amount=200_000_000, gender_marker=0, period_start="2024-05", region_code="41702000000000"),
    ]
    return {
        "memoranda": memoranda,
        "social_projects": projects,
        "documents": [document(SHA_A)],
        "regions": [ATYRAU, ISSYK_KUL],
        "quarantine": [quarantined(7, f"BIN fails its check digit {EVIL}"), quarantined(9, "BIN fails its check digit")],
    }


def build_release(root: Path, *, sample: bool = True, extra_memoranda: int = 0) -> Path:
    """Publish the next version under root/<package>/ and return its folder."""
    outcome = publish(site_tables(extra_memoranda=extra_memoranda), root, sample=sample, sources=SOURCES,
                      now=datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc))
    assert outcome.published, outcome.reason
    return outcome.path


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text("utf-8"), "html.parser")


@pytest.fixture(scope="module")
def release(tmp_path_factory) -> Path:
    folder = build_release(tmp_path_factory.mktemp("published"))
    descriptor = json.loads((folder / "datapackage.json").read_text())
    for suffix in (".zip", ".sqlite"):  # the lead's downloads, stood in for by placeholder files
        (folder / f"{descriptor['name']}-{descriptor['version']}{suffix}").write_bytes(b"placeholder")
    render_release_site(folder)
    return folder


def test_sample_release_carries_a_prominent_banner_and_a_real_one_does_not(release, tmp_path):
    page = soup(release / "index.html")
    banner = page.select_one("main .banner")
    assert banner is not None and "FICTIONAL" in banner.get_text()
    assert page.find("main").find_all(recursive=False).index(banner) < 4  # right under the title, before any section

    real = build_release(tmp_path, sample=False)
    render_release_site(real)
    assert soup(real / "index.html").select_one(".banner") is None


def test_every_schema_field_has_a_dictionary_row_and_every_table_a_preview(release):
    page = soup(release / "index.html")
    descriptor = json.loads((release / "datapackage.json").read_text())
    for resource in descriptor["resources"]:
        section = page.find(id=f"table-{resource['name'].replace('_', '-')}").find_parent("section")
        rows = section.select("table.dictionary tbody tr")
        assert [row.find("td").get_text() for row in rows] == [f["name"] for f in resource["schema"]["fields"]]
        for row, field in zip(rows, resource["schema"]["fields"]):
            assert field.get("description", "") in row.get_text()
        lines = (release / resource["path"]).read_text().splitlines()
        preview = section.select("table.data tbody tr")
        assert len(preview) == min(10, len(lines) - 1)


def test_downloads_link_every_file_that_exists(release):
    page = soup(release / "index.html")
    links = {a["href"] for a in page.select("#downloads a[href]")}
    descriptor = json.loads((release / "datapackage.json").read_text())
    expected = {r["path"] for r in descriptor["resources"]} | {"datapackage.json", "ashyq-social-investments-1.0.0.zip",
                                                               "ashyq-social-investments-1.0.0.sqlite"}
    assert expected <= links
    for href in links:
        assert (release / href).is_file(), href


def test_sources_show_publishers_and_only_safe_links(release):
    section = soup(release / "index.html").find(id="sources")
    text = section.get_text()
    assert "Akimat of Atyrau Region" in text and "ТОО «Демо»" in text
    hrefs = [a["href"] for a in section.select("a[href]")]
    assert "https://www.gov.kz/memleket/entities/atyrau" in hrefs
    assert not any(href.lower().startswith("javascript") for href in hrefs)


def test_validation_summary_counts_quarantined_rows_by_type_and_lists_them(release):
    section = soup(release / "index.html").find(id="validation")
    problems = section.find("table", class_="stack")
    cells = [td.get_text() for td in problems.select("tbody tr")[0].find_all("td")]
    assert cells[0] == "memoranda" and cells[1] == "kz-bin-checksum" and cells[-2:] == ["2", "2"]
    listed = {tr.find_all("td")[1].get_text() for tr in section.find_all("table")[-1].select("tbody tr")}
    assert listed == {"s/q7", "s/q9"}


def _chart(release: Path, name: str) -> ET.Element:
    root = ET.parse(release / "charts" / f"{name}.svg").getroot()  # parses as XML, or raises
    assert root.tag == f"{SVG}svg" and root.find(f"{SVG}title").text
    return root


def _texts(root: ET.Element) -> list[str]:
    return ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]


def test_region_chart_names_regions_as_published_and_sums_kzt_only(release):
    root = _chart(release, "committed-vs-disclosed-by-region")
    texts = _texts(root)
    assert "Atyrau Region" in texts and "Issyk-Kul Region" in texts
    assert any("Атырауская область" in t and "Атырау облысы" in t for t in texts)
    assert any("Ыстықкөл облысы" in t for t in texts)
    assert "3.5 bn" in texts and "0.85 bn" in texts  # 2.5 + 1 bn KZT committed; 0.7 + 0.1 + 0.05 bn disclosed
    assert "0.3 bn" in texts and "0.2 bn" in texts
    assert not any("3.5" in t and "bn" in t and t != "3.5 bn" for t in texts)  # the USD million is not added in
    assert "Atyrau Region" in root.find(f"{SVG}desc").text

    page = soup(release / "index.html")
    figure = page.find(id="chart-committed-vs-disclosed-by-region")
    assert figure.find("img")["src"] == "charts/committed-vs-disclosed-by-region.svg" and figure.find("img")["alt"]
    fallback = figure.find_next("table")
    row = next(tr for tr in fallback.select("tbody tr") if tr.find("td").get_text() == "Atyrau Region")
    assert [td.get_text() for td in row.find_all("td")][3:] == ["3,500,000,000", "2", "850,000,000", "3"]
    notes = figure.find_next("ul").get_text()
    assert "1,000,000 USD" in notes and "20,000 USD" in notes and "1 memorandum with no amount" in notes


def test_gender_chart_splits_disclosed_kzt_by_marker_and_start_year(release):
    texts = _texts(_chart(release, "disclosed-by-gender-marker"))
    assert {"2024", "2025", "Start year not stated"} <= set(texts)
    assert texts.index("2024") < texts.index("2025") < texts.index("Start year not stated")
    page = soup(release / "index.html")
    fallback = page.find(id="chart-disclosed-by-gender-marker").find_next("table")
    rows = {tr.find("td").get_text(): [td.get_text() for td in tr.find_all("td")[1:]] for tr in fallback.select("tbody tr")}
    # columns: marker 0 amount, count, marker 1 amount, count, marker 2 amount, count
    assert rows["2024"] == ["200,000,000", "1", "700,000,000", "1", "none", "0"]
    assert rows["2025"] == ["none", "0", "none", "0", "100,000,000", "1"]
    assert rows["not stated"][:2] == ["50,000,000", "1"]


def test_data_from_documents_is_escaped_everywhere(release):
    for path in [release / "index.html", *(release / "charts").glob("*.svg")]:
        text = path.read_text("utf-8")
        assert "<script" not in text.lower(), path
    html = (release / "index.html").read_text("utf-8")
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    assert "ТОО «Демо &amp; Co»" in html
    page = soup(release / "index.html")
    assert page.find("script") is None
    assert "Кризисный центр <script>" in page.get_text()  # shown to people as the text it is


def test_rendering_is_deterministic_and_independent_of_the_folder(release, tmp_path):
    first = {p.relative_to(release): p.read_bytes() for p in sorted(release.rglob("*")) if p.is_file()}
    written = render_release_site(release)
    assert {p.relative_to(release) for p in written} == {Path("index.html"), Path("charts/committed-vs-disclosed-by-region.svg"),
                                                         Path("charts/disclosed-by-gender-marker.svg")}
    again = {p.relative_to(release): p.read_bytes() for p in sorted(release.rglob("*")) if p.is_file()}
    assert again == first
    copy = tmp_path / ".staging-1.0.0-123"
    shutil.copytree(release, copy)
    render_release_site(copy)
    assert (copy / "index.html").read_bytes() == first[Path("index.html")]
    assert str(release) not in first[Path("index.html")].decode()


def test_the_next_release_links_its_predecessor_and_shows_what_changed(tmp_path):
    old = build_release(tmp_path)
    render_release_site(old)
    new = build_release(tmp_path, extra_memoranda=2)
    (new / "CHANGELOG.md").write_text("# 1.1.0\n\n- memoranda: **2 added**\n- see [the data](memoranda.csv)\n", "utf-8")
    render_release_site(new, previous_release_dir=old)
    section = soup(new / "index.html").find(id="changes")
    hrefs = [a["href"] for a in section.select("a[href]")]
    assert "../1.0.0/index.html" in hrefs and "memoranda.csv" in hrefs
    assert section.select_one(".changelog h3").get_text() == "1.1.0" and section.select_one(".changelog li strong")

    (new / "CHANGELOG.md").unlink()  # without a changelog, the page compares the two releases itself
    render_release_site(new, previous_release_dir=old)
    section = soup(new / "index.html").find(id="changes")
    memoranda = next(tr for tr in section.select("tbody tr") if tr.find("td").get_text().startswith("Memoranda"))
    assert [td.get_text() for td in memoranda.find_all("td")][1:5] == ["5", "7", "2", "0"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.text(alphabet='a,"\n\r ё', max_size=6), min_size=1, max_size=4), max_size=8), st.booleans())
def test_records_are_counted_as_csv_reader_counts_them(rows, terminated):
    from pipelines.site.release_data import count_records

    text = io.StringIO()
    csv.writer(text, lineterminator="\r\n").writerows(rows)  # CR and LF in cells quoted, as to_csv_bytes quotes them
    data = text.getvalue().replace("\r\n", "\n").encode("utf-8") if "\r" not in "".join(map("".join, rows)) else text.getvalue().encode("utf-8")
    if not terminated:
        data = data.removesuffix(b"\n").removesuffix(b"\r")
    expected = sum(1 for _ in csv.reader(io.StringIO(data.decode("utf-8"), newline="")))
    assert count_records(data) == expected
    assert count_records(data, chunk_size=3) == expected  # quotes and line breaks across chunk edges
