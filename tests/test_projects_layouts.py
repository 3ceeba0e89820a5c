"""Layouts companies really use, generated here: reordered columns, extra header rows, missing columns,
merged cells, totals, units in the header, and the errors a broken list must raise (naming where)."""
import datetime as dt
import hashlib
import io
from decimal import Decimal

import pytest
from bs4 import BeautifulSoup
from openpyxl import Workbook

from sources.projects import parse_file, unresolved_organisations
from sources.projects.cells import CellError
from sources.projects.grids import LayoutError


def rows_of(data: bytes, name: str, **options) -> list[dict]:
    return parse_file(data, name=name, **options)["social_projects"]


def html_page(table: str) -> bytes:
    return f"<!DOCTYPE html><html><head><meta charset='utf-8'></head><body><main><h2>Проекты</h2>{table}</main></body></html>".encode()


TWO_LEVEL_HEADER = """
<table>
 <tr><th colspan="6">Социальные проекты ТОО «Демо Эмба Газ»</th></tr>
 <tr><th rowspan="2">Наименование</th><th rowspan="2">Сумма, млн тенге</th><th colspan="2">Сроки реализации</th>
     <th rowspan="2">Район</th><th rowspan="2">Статус</th></tr>
 <tr><th>начало</th><th>окончание</th></tr>
 <tr><td colspan="6">Атырауская область</td></tr>
 <tr><td>Строительство Дома культуры на 200 мест в с. Ганюшкино</td><td>1 500</td><td>04.2023</td><td>12.2024</td>
     <td>Курмангазинский район</td><td>в работе</td></tr>
 <tr><td>Строительство газопровода к сёлам Курмангазинского района</td><td>1 900,5</td><td>2023</td><td>2024</td>
     <td>Курмангазинский район</td><td>завершен</td></tr>
 <tr><td colspan="6">Мангистауская область</td></tr>
 <tr><td>Строительство детского сада в г. Жанаозен</td><td>—</td><td>2025</td><td>2026</td><td>г. Жанаозен</td><td>планируется</td></tr>
 <tr><td>Итого</td><td>3 400,5</td><td></td><td></td><td></td><td></td></tr>
</table>"""


def test_reordered_columns_two_level_header_and_no_contractor_column():
    data = html_page(TWO_LEVEL_HEADER)
    rows = rows_of(data, "emba.html", company="ТОО «Демо Эмба Газ»")
    assert [r["project_name"][:20] for r in rows] == ["Строительство Дома к", "Строительство газопр", "Строительство детско"]
    culture, gas, kindergarten = rows
    assert culture["amount"] == Decimal("1500000000") and culture["amount_multiplier"] == 1_000_000 and culture["currency"] == "KZT"
    assert gas["amount"] == Decimal("1900500000")
    assert (culture["period_start"], culture["period_end"]) == ("2023-04", "2024-12")
    assert (gas["period_start"], gas["period_end"]) == ("2023", "2024")
    assert [r["region_code"] for r in rows] == ["230000000", "230000000", "470000000"]
    assert all(r["contractor"] is None and r["contractor_id"] is None for r in rows)
    assert kindergarten["amount"] is None and kindergarten["currency"] is None and kindergarten["amount_multiplier"] is None
    assert [r["status"] for r in rows] == ["in_progress", "completed", "planned"]
    assert {r["company_id"] for r in rows} == {"demo-emba-gas"}
    soup = BeautifulSoup(data, "lxml")
    for row in rows:
        assert row["project_name"] in soup.select_one(row["locator"].removeprefix("html:")).get_text(" ")
        assert row["source_document"] == hashlib.sha256(data).hexdigest() and row["source_id"] == "ingest"


def test_unit_stated_only_in_a_paragraph_before_the_table():
    table = """<p>Суммы указаны в тыс. тенге.</p>
    <table class="list"><thead><tr><th>№</th><th>Проект</th><th>Место</th><th>Период</th><th>Сумма</th></tr></thead>
    <tbody><tr><td>1</td><td>Ремонт сельского клуба</td><td>Актюбинская обл., с. Жем</td><td>2024</td><td>12 345,6</td></tr></tbody></table>"""
    [row] = rows_of(html_page(table), "club.html")
    assert row["amount"] == Decimal("12345600") and row["currency"] == "KZT" and row["region_code"] == "150000000"
    assert row["company_id"] is None and row["locator"] == "html:table.list > tbody > tr:nth-of-type(1)"


def test_xlsx_with_title_rows_merged_sections_dates_and_a_total():
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "2024"
    sheet.append(["Social infrastructure projects of Demo Mugalzhar Chrome LLP"])
    sheet.append(["Status", "Amount (KZT thousand)", "Project name", "Location", "Period", "Contractor"])
    sheet.append(["Aktobe Region"])
    sheet.merge_cells("A3:F3")
    sheet.append(["In progress", 1_750_000, "Construction of a water supply pipeline to Zhanazhol village", "Zhanazhol",
                  "2024–2025", "Demo Build Group LLP"])
    sheet.append(["Completed", 88_250.5, "Capital repair of school No. 4 with indoor toilets", "Kandyagash",
                  dt.datetime(2024, 8, 31), "Демо Құрылыс Сервис ЖШС"])
    sheet.append(["", 1_838_250.5, "Total", "", "", ""])
    buffer = io.BytesIO()
    workbook.save(buffer)
    rows = rows_of(buffer.getvalue(), "list.xlsx", company="Demo Mugalzhar Chrome LLP", source_id="ingest-test")
    assert len(rows) == 2
    water, school = rows
    assert water["amount"] == Decimal("1750000000") and school["amount"] == Decimal("88250500")
    assert (water["period_start"], water["period_end"]) == ("2024", "2025")
    assert (school["period_start"], school["period_end"]) == ("2024-08-31", "2024-08-31")
    assert {r["region_code"] for r in rows} == {"150000000"}
    assert [r["contractor_id"] for r in rows] == ["demo-build-group", "demo-qurylys-servis"]
    assert [r["locator"] for r in rows] == ["sheet=2024!row=4", "sheet=2024!row=5"]
    assert [r["gender_marker"] for r in rows] == [1, 1] and school["sector"] == "education"
    assert all(r["project_id"].startswith("ingest-test/") for r in rows)


def test_csv_with_bom_commas_english_headers_and_a_region_column():
    text = ("\ufeffProject,Region,Start,End,Recipient,\"Amount, KZT\",Status\r\n"
            "Kindergarten for 120 children in Kulsary,Atyrau Region,2023,2024,Demo Build Group LLP,\"1,250,000,000\",Completed\r\n"
            "\r\n"
            "Training for women entrepreneurs,Atyrau Region,2024-03-01,2024-11-30,,\"45,000,000.50\",ongoing\r\n")
    rows = rows_of(text.encode("utf-8"), "projects.csv", company="Demo Zhaik Minerals LLP")
    assert [r["locator"] for r in rows] == ["csv:row=2", "csv:row=4"]
    assert rows[0]["amount"] == Decimal("1250000000") and rows[1]["amount"] == Decimal("45000000.50")
    assert (rows[1]["period_start"], rows[1]["period_end"]) == ("2024-03-01", "2024-11-30")
    assert [r["gender_marker"] for r in rows] == [1, 2] and rows[1]["status"] == "in_progress"
    assert rows[1]["contractor"] is None


def test_the_same_project_twice_gets_distinct_stable_ids():
    line = "Ремонт клуба;с. Жем;2024;10 000;Завершён\n"
    data = ("Проект;Место;Период;Сумма, тенге;Статус\n" + line + line).encode("utf-8")
    first, second = rows_of(data, "twice.csv")
    assert second["project_id"] == first["project_id"] + "-2"
    assert [r["project_id"] for r in rows_of(data, "twice.csv")] == [first["project_id"], second["project_id"]]


def test_amount_without_a_stated_currency_is_left_without_one():
    data = "Проект;Место;Период;Сумма\nРемонт клуба;с. Жем;2024;10 000\n".encode("utf-8")
    [row] = rows_of(data, "nocurrency.csv")
    assert row["amount"] == Decimal("10000") and row["currency"] is None  # quarantined downstream, never assumed


@pytest.mark.parametrize("body, message", [
    ("Проект;Место;Период;Сумма, тенге\nРемонт клуба;с. Жем;2024;около миллиона\n", "csv:row=2"),
    ("Проект;Место;Период;Сумма, тенге\nРемонт клуба;с. Жем;когда-нибудь;100\n", "period"),
    ("Проект;Место;Сумма план, тенге;Сумма факт, тенге\nРемонт клуба;с. Жем;100;90\n", "several amount columns"),
    ("№;Проект;Место;Сумма, тенге\n1;;с. Жем;100\n", "no project name"),
    ("Дата;Текст\n2024;Новости компании\n", "no table with a projects header"),
])
def test_unreadable_lists_fail_naming_the_file_and_row(body, message):
    with pytest.raises((CellError, LayoutError)) as error:
        parse_file(body.encode("utf-8"), name="broken.csv")
    assert "broken.csv" in str(error.value) and message in str(error.value)


def test_legacy_xls_is_refused_by_name():
    with pytest.raises(LayoutError, match="old.xls"):
        parse_file(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, name="old.xls")


def test_cp1251_csv_and_section_rows_in_a_csv():
    text = "№;Наименование проекта;Подрядчик;Срок;Сумма, тыс. тенге\nАтырауская область;;;;\n1;Строительство водопровода;ТОО «Demo Build Group»;2022;1 000\n"
    [row] = rows_of(text.encode("cp1251"), "list.csv")
    assert row["region_code"] == "230000000" and row["amount"] == Decimal("1000000") and row["contractor_id"] == "demo-build-group"
    assert row["language"] == "ru" and row["sector"] == "water_sanitation"


def test_names_that_match_no_organisation_are_reported():
    data = ("Проект;Подрядчик;Период;Сумма, тенге\n"
            "Ремонт клуба;ТОО «Үлгі Темір Жол»;2024;100\n"
            "Ремонт школы;ТОО «Demo Build Group»;2024;100\n").encode("utf-8")
    rows = rows_of(data, "contractors.csv", company="ТОО «Демо Эмба Газ»")
    assert [r["contractor_id"] for r in rows] == [None, "demo-build-group"]
    assert [(u["name"], u["reason"]) for u in unresolved_organisations(rows)] == [("ТОО «Үлгі Темір Жол»", "no organisation matches")]
