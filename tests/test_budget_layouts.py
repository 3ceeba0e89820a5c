"""Budget files laid out in ways the mirror does not use, generated here: reordered and missing columns, extra
title and header rows, merged cells, Kazakh/English headers, codes repeated or carried, CSV dialects; totals that
add up and a tampered one; unusable files that must fail naming the file.

The expected figures are computed by this test from its own table, never read back from the code under test.
"""
import io
import zipfile
from decimal import Decimal

import pytest
from openpyxl import Workbook

from sources.budget import BudgetFileError, parse_file, total_findings

NBSP = "\u00a0"
PHASES = ("approved", "adjusted", "executed")
# leaves of a small expenditure budget: (ФГ, АБП, программа, подпрограмма) -> thousands of tenge
LEAVES = {
    ("01", "120", "001", None): ("412350.5", "418920.5", "417880.2"),
    ("01", "120", "113", "011"): ("1200000", "1350000.4", "1349000"),
    ("01", "120", "113", "015"): ("80500.1", "80500.1", "79000.9"),
    ("04", "261", "003", None): ("2500000", "2610000", "2598765.4"),
    ("04", "288", "005", "011"): ("900000", "950000", "0"),
    ("04", "288", "005", "015"): ("150000", None, "149999.9"),
}
NAMES = {
    ("01",): "Государственные услуги общего характера", ("01", "120"): "Аппарат акима области",
    ("01", "120", "001"): "Услуги по обеспечению деятельности акима области",
    ("01", "120", "113"): "Целевые текущие трансферты нижестоящим бюджетам",
    ("04",): "Образование", ("04", "261"): "Управление образования области",
    ("04", "261", "003"): "Общеобразовательное обучение", ("04", "288"): "Управление строительства области",
    ("04", "288", "005"): "Развитие объектов образования",
}
SUBNAMES = {"011": "За счет трансфертов из республиканского бюджета", "015": "За счет средств местного бюджета"}
LABELS = {
    "ru": {"fg": "ФГ", "abp": "АБП", "prg": "Программа", "sub": "Подпрограмма", "name": "Наименование",
           "approved": "Утверждённый бюджет", "adjusted": "Уточнённый бюджет", "executed": "Исполнено", "pct": "% исполнения",
           "group": "Код бюджетной классификации"},
    "kk": {"fg": "Функционалдық топ", "abp": "Бюджеттік бағдарламалардың әкімшісі", "prg": "Бағдарлама", "sub": "Кіші бағдарлама",
           "name": "Атауы", "approved": "Бекітілген бюджет", "adjusted": "Нақтыланған бюджет", "executed": "Атқарылды",
           "pct": "Атқарылуы, %", "group": "Бюджеттік сыныптама коды"},
    "en": {"fg": "Functional group", "abp": "Administrator", "prg": "Program", "sub": "Subprogram", "name": "Name",
           "approved": "Approved budget", "adjusted": "Adjusted budget", "executed": "Executed", "pct": "Execution, %",
           "group": "Budget classification code"},
}
TITLES = {
    "ru": ["Отчет об исполнении бюджета Атырауской области", "на 1 января 2024 года", "(тыс. тенге)"],
    "kk": ["Атырау облысының бюджетінің атқарылуы туралы есеп", "2024 жылғы 1 қаңтардағы жағдай бойынша", "(мың теңге)"],
    "en": ["Atyrau Region budget execution report", "as of 1 January 2024", "(thousand tenge)"],
}
CODE_COLUMNS = ("fg", "abp", "prg", "sub")
GRAND = {"ru": "Всего затрат", "kk": "Барлығы шығындар", "en": "Total expenditure"}


def dec(value):
    return None if value is None else Decimal(value)


def tree():
    """Rows in report order with subtotals computed here: (codes, name, amounts in thousands, is_leaf)."""
    rows, seen = [], set()
    for leaf in sorted(LEAVES, key=lambda c: tuple(x or "" for x in c)):
        path = tuple(c for c in leaf if c)
        for depth in range(1, len(path)):
            prefix = path[:depth]
            if prefix not in seen:
                seen.add(prefix)
                rows.append((prefix, NAMES[prefix], subtotal(prefix), False))
        name = SUBNAMES[path[3]] if len(path) == 4 else NAMES[path]
        rows.append((path, name, tuple(dec(v) for v in LEAVES[leaf]), True))
    return rows


def subtotal(prefix):
    sums = []
    for i in range(3):
        values = [dec(v[i]) for leaf, v in LEAVES.items() if tuple(c for c in leaf if c)[: len(prefix)] == prefix and v[i] is not None]
        sums.append(sum(values, Decimal(0)) if values else None)
    return tuple(sums)


def grand_total():
    return subtotal(())


def expected_lines(multiplier=Decimal(1000), phases=PHASES):
    out = {}
    for leaf, values in LEAVES.items():
        for phase, value in zip(PHASES, values):
            if value is not None and phase in phases:
                out[(leaf, phase)] = Decimal(value) * multiplier
    return out


def got_lines(rows):
    return {((r["code_l1"], r["code_l2"], r["code_l3"], r["code_l4"]), r["phase"]): r["amount"] for r in rows}


def layout(*, lang="ru", order=("fg", "abp", "prg", "sub", "name", "approved", "adjusted", "executed", "pct"),
           two_row_header=True, extra_title_rows=0, numbering=True, carry=True, top_total=True, bottom_total=True,
           numeric_codes=False, tamper=None, titles=None, text_amounts=False):
    """Rows of cells (and merged ranges) for one report; `tamper` = (codes, phase index, delta)."""
    cells, merges = [], []
    for i in range(extra_title_rows):
        cells.append([f"Приложение {i + 1} к письму"] + [None] * (len(order) - 1))
    for title in titles or TITLES[lang]:
        cells.append([title] + [None] * (len(order) - 1))
        merges.append((len(cells), 1, len(cells), len(order)))
    cells.append([None] * len(order))
    labels = LABELS[lang]
    code_cols = [i for i, key in enumerate(order) if key in CODE_COLUMNS]
    contiguous = code_cols == list(range(code_cols[0], code_cols[0] + len(code_cols))) if code_cols else False
    if two_row_header and contiguous:
        top, bottom = [], []
        for key in order:
            top.append(labels["group"] if key in CODE_COLUMNS else labels[key])
            bottom.append(labels[key] if key in CODE_COLUMNS else None)
        for i, key in enumerate(order):
            if key in CODE_COLUMNS and i != code_cols[0]:
                top[i] = None
        cells += [top, bottom]
        row = len(cells) - 1
        merges.append((row, code_cols[0] + 1, row, code_cols[-1] + 1))
        for i, key in enumerate(order):
            if key not in CODE_COLUMNS:
                merges.append((row, i + 1, row + 1, i + 1))
    else:
        cells.append([labels[key] for key in order])
    if numbering:
        cells.append([i + 1 for i in range(len(order))])

    def amounts_cells(values):
        out = {}
        for key, value in zip(PHASES, values):
            if value is None:
                out[key] = "-" if text_amounts else None
            elif text_amounts:
                whole, _, frac = f"{value:.1f}".partition(".")
                out[key] = f"{int(whole):,}".replace(",", NBSP) + "," + frac
            else:
                out[key] = float(value)
        return out

    def line(codes, name, values):
        row = []
        amounts = amounts_cells(values)
        for key in order:
            if key in CODE_COLUMNS:
                level = CODE_COLUMNS.index(key)
                show = level < len(codes) and (not carry or level == len(codes) - 1)
                code = codes[level] if show else None
                row.append(int(code) if (code and numeric_codes) else code)
            elif key == "name":
                row.append(name)
            elif key in PHASES:
                row.append(amounts[key])
            else:
                row.append(None)
        return row

    total = grand_total()
    if top_total:
        cells.append(line((), "II. ЗАТРАТЫ", total))
    for codes, name, values, _leaf in tree():
        if tamper and tamper[0] == codes:
            values = list(values)
            values[tamper[1]] += tamper[2]
        cells.append(line(codes, name, values))
    if bottom_total:
        cells.append(line((), GRAND[lang], total))
    cells.append(line((), "Руководитель управления финансов ______________", (None, None, None)))
    return cells, merges


def drop_column(cells, merges, order, key):
    i = order.index(key)
    cells = [row[:i] + row[i + 1:] for row in cells]
    merges = [m for m in merges if m[1] != i + 1 or m[3] != i + 1]
    merges = [(a, b - (b > i + 1), c, d - (d > i + 1)) if b != d or b != i + 1 else (a, b, c, d) for a, b, c, d in merges]
    return cells, [(a, b, c, min(d, len(cells[0]))) for a, b, c, d in merges], tuple(k for k in order if k != key)


def xlsx(cells, merges=(), sheets_before=0, code_format=True) -> bytes:
    wb = Workbook()
    ws = wb.active
    for n in range(sheets_before):
        ws.title = f"Пояснения{n}"
        ws["A1"] = "Пояснительная записка: исполнение составило 98 процентов."
        ws = wb.create_sheet("Отчет")
    if not sheets_before:
        ws.title = "Отчет"
    for r, row in enumerate(cells, start=1):
        for c, value in enumerate(row, start=1):
            if value is not None:
                ws.cell(r, c, value)
                if isinstance(value, int) and code_format and c <= 9 and r > 5:
                    ws.cell(r, c).number_format = "00" if value < 10 else "000"
    for a, b, c, d in merges:
        if (a, b) != (c, d):
            ws.merge_cells(start_row=a, start_column=b, end_row=c, end_column=d)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def csv_bytes(cells, delimiter=";", encoding="cp1251", bom=False) -> bytes:
    import csv

    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    for row in cells:
        writer.writerow(["" if v is None else (f"{v}".replace(".", ",") if isinstance(v, float) else v) for v in row])
    data = out.getvalue().encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def check(parsed, *, multiplier=Decimal(1000), phases=PHASES):
    lines, totals = parsed["budget_lines"], parsed["budget_totals"]
    assert got_lines(lines) == expected_lines(multiplier, phases)
    assert {r["year"] for r in lines} == {2023} and {r["region_code"] for r in lines} == {"230000000"}
    assert {r["direction"] for r in lines} == {"expenditure"} and {r["currency"] for r in lines} == {"KZT"}
    assert len({r["line_id"] for r in lines}) == len(lines)
    assert totals and total_findings(lines, totals) == []
    return lines, totals


# -- layouts that must read the same -----------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["ru", "kk", "en"])
def test_merged_two_row_header_in_each_language(lang):
    cells, merges = layout(lang=lang)
    check(parse_file(xlsx(cells, merges), name=f"report-{lang}.xlsx"))


def test_columns_in_another_order_with_code_columns_shuffled():
    order = ("executed", "name", "sub", "prg", "approved", "abp", "fg", "adjusted")
    cells, merges = layout(order=order, two_row_header=False)
    check(parse_file(xlsx(cells, merges), name="reordered.xlsx"))


def test_extra_title_rows_numeric_codes_and_codes_repeated_on_every_row():
    cells, merges = layout(extra_title_rows=5, carry=False, numeric_codes=True)
    lines, _ = check(parse_file(xlsx(cells, merges, sheets_before=1), name="extra-rows.xlsx"))
    assert any(r["code_l1"] == "01" and r["code_l3"] == "001" for r in lines), "leading zeros restored from the cell format"


def test_a_missing_optional_column():
    order = ("fg", "abp", "prg", "sub", "name", "approved", "adjusted", "executed", "pct")
    cells, merges = layout(order=order)
    cells, merges, order = drop_column(cells, merges, order, "adjusted")
    lines, totals = check(parse_file(xlsx(cells, merges), name="no-adjusted.xlsx"), phases=("approved", "executed"))
    assert {r["phase"] for r in lines + totals} == {"approved", "executed"}


def test_no_header_merges_no_numbering_and_no_stated_totals_still_reads_the_lines():
    cells, _ = layout(two_row_header=False, numbering=False, top_total=False, bottom_total=False)
    parsed = parse_file(xlsx(cells), name="plain.xlsx")
    assert got_lines(parsed["budget_lines"]) == expected_lines()
    assert total_findings(parsed["budget_lines"], parsed["budget_totals"]) == []


def test_semicolon_csv_in_cp1251_with_no_break_spaces_and_dashes():
    cells, _ = layout(two_row_header=False, text_amounts=True)
    check(parse_file(csv_bytes(cells), name="report.csv"))


def test_comma_csv_in_utf8_with_bom():
    cells, _ = layout(two_row_header=False, text_amounts=True, lang="kk")
    check(parse_file(csv_bytes(cells, delimiter=",", encoding="utf-8", bom=True), name="report.txt"))


def test_units_in_millions_scale_every_amount():
    cells, merges = layout(titles=["Отчет об исполнении бюджета Атырауской области на 1 января 2024 года", "(млн тенге)"])
    parsed = parse_file(xlsx(cells, merges), name="millions.xlsx")
    check(parsed, multiplier=Decimal(10**6))
    assert {r["unit_in_source"] for r in parsed["budget_lines"]} == {"million"}


def test_kyrgyz_thousands_of_som():
    titles = ["Ысык-Көл облусу", "Бюджеттин аткарылышы 2024-жылдын 1-январына карата", "(тыс. сом)"]
    cells, merges = layout(titles=titles)
    parsed = parse_file(xlsx(cells, merges), name="kg.xlsx")
    lines = parsed["budget_lines"]
    assert got_lines(lines) == expected_lines()
    assert {(r["currency"], r["region_code"], r["year"]) for r in lines} == {("KGS", "41702000000000", 2023)}


@pytest.mark.parametrize(
    "when, year",
    [("на 1 января 2024 года", 2023), ("2024 жылғы 1 қаңтардағы", 2023), ("на 1 октября 2023 года", 2023), ("за 2022 год", 2022)],
)
def test_the_fiscal_year_comes_from_the_reporting_date(when, year):
    cells, merges = layout(titles=["Отчет об исполнении бюджета Атырауской области", when, "(тыс. тенге)"])
    lines = parse_file(xlsx(cells, merges), name="year.xlsx")["budget_lines"]
    assert {r["year"] for r in lines} == {year}


def test_named_subtotals_after_their_blocks_are_checked_against_the_block():
    cells, merges = layout(carry=False, top_total=False)
    # "Итого по ФГ 04" after the last line of functional group 04, before the grand total
    at = max(i for i, row in enumerate(cells) if row[0] == "04") + 1
    sums = subtotal(("04",))
    cells.insert(at, [None, None, None, None, "Итого по функциональной группе 04", *(float(v) for v in sums), None])
    parsed = parse_file(xlsx(cells, merges), name="itogo.xlsx")
    lines, totals = check(parsed)
    named = [t for t in totals if t["total_name"].startswith("Итого по")]
    assert len(named) == 3
    bad = [dict(t, amount=t["amount"] + 1) if t in named[:1] else t for t in totals]
    assert len(total_findings(lines, bad)) == 1


# -- totals ------------------------------------------------------------------------------------------------


def test_a_tampered_subtotal_gives_exactly_one_finding_at_its_row():
    cells, merges = layout(tamper=(("04", "261"), 2, Decimal("0.1")))
    parsed = parse_file(xlsx(cells, merges), name="tampered.xlsx")
    lines, totals = parsed["budget_lines"], parsed["budget_totals"]
    assert got_lines(lines) == expected_lines()  # the lines are untouched
    findings = total_findings(lines, totals)
    assert len(findings) == 1
    finding = findings[0]
    row = next(i for i, r in enumerate(cells, start=1) if r[1] == "261" or r[1] == 261)
    assert finding["row_key"] == f"sheet=Отчет!row={row}"
    assert finding["resource"] == "budget_lines" and finding["field"] == "amount" and finding["error_type"] == "total-mismatch"
    assert "executed" in finding["message"] and "lines sum to" in finding["message"]


def test_ingest_style_grand_total_equals_the_sum_of_emitted_lines():
    order = ("name", "fg", "abp", "prg", "sub", "executed", "approved")
    cells, _ = layout(order=order, two_row_header=False, lang="kk", extra_title_rows=2)
    parsed = parse_file(csv_bytes(cells, encoding="utf-8"), name="auditor-copy.csv")
    lines, totals = parsed["budget_lines"], parsed["budget_totals"]
    grand = [t for t in totals if t["total_name"] == GRAND["kk"]]
    assert {t["phase"] for t in grand} == {"approved", "executed"}
    for total in grand:
        emitted = sum(r["amount"] for r in lines if r["phase"] == total["phase"])
        assert total["amount"] == emitted == grand_total()[PHASES.index(total["phase"])] * 1000
    assert {r["source_id"] for r in lines} == {"ingest"}


# -- files that must be refused ------------------------------------------------------------------------------


def refuse(data: bytes, name: str, *words: str):
    with pytest.raises(BudgetFileError) as caught:
        parse_file(data, name=name)
    message = str(caught.value)
    assert message.startswith(name + ":") or name in message, message
    for word in words:
        assert word in message, message
    return message


def test_no_recognisable_header():
    cells = [["Пояснительная записка"], ["Исполнение бюджета составило 98 процентов."], ["", ""]]
    refuse(xlsx(cells), "notes.xlsx", "no recognisable budget table header")


def test_a_header_without_any_amount_column():
    cells, merges = layout()
    cells = [row[:5] for row in cells]  # codes and names only
    refuse(xlsx(cells, [m for m in merges if m[3] <= 5]), "names-only.xlsx", "no recognisable budget table header")


def test_a_damaged_zip():
    cells, merges = layout()
    data = xlsx(cells, merges)
    refuse(data[: len(data) // 2], "broken.xlsx", "damaged XLSX")


def test_a_zip_that_is_not_a_workbook():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    refuse(buffer.getvalue(), "other.xlsx", "not an Excel workbook")


def test_text_that_cannot_be_decoded():
    refuse(bytes(range(128, 256)) * 20, "garbled.csv", "cannot decode")


def test_legacy_xls():
    refuse(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "old.xls", ".xls")


def test_no_unit_and_no_year_are_reported():
    cells, merges = layout(titles=["Отчет об исполнении бюджета Атырауской области на 1 января 2024 года"])
    refuse(xlsx(cells, merges), "no-unit.xlsx", "no unit")
    cells, merges = layout(titles=["Отчет об исполнении бюджета Атырауской области", "(тыс. тенге)"])
    refuse(xlsx(cells, merges), "no-year.xlsx", "fiscal year")


def test_a_word_in_an_amount_cell_names_the_row_and_column():
    cells, merges = layout()
    row = next(i for i, r in enumerate(cells) if r[4] == SUBNAMES["015"])
    cells[row][7] = "см. примечание"
    message = refuse(xlsx(cells, merges), "word.xlsx", "Исполнено", f"row={row + 1}")
    assert "not a number" in message


def test_json_without_items():
    refuse(b'{"page": 1, "message": "service unavailable"}', "api.json", "list of items")


# -- other document shapes -------------------------------------------------------------------------------------


def rows_xlsx(rows) -> bytes:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_an_approved_budget_appendix_with_sections_a_repeated_header_and_one_amount_column():
    rows = [
        ["Приложение 1 к решению Атырауского областного маслихата"],
        ["Областной бюджет на 2024 год"],
        [None, None, None, None, "(тыс. тенге)"],
        ["Категория", "Класс", "Подкласс", "Наименование", "Сумма"],
        [None, None, None, "I. ДОХОДЫ", 1500],
        [1, None, None, "Налоговые поступления", 1000],
        [None, "01", None, "Подоходный налог", 1000],
        [None, None, 2, "Индивидуальный подоходный налог", 1000],
        [2, None, None, "Неналоговые поступления", 500],
        [None, "06", None, "Прочие неналоговые поступления", 500],
        [None, None, 1, "Прочие неналоговые поступления", 500],
        ["Функциональная группа", "Администратор бюджетных программ", "Программа", "Наименование", "Сумма"],
        [None, None, None, "II. ЗАТРАТЫ", 1400],
        ["01", None, None, "Государственные услуги общего характера", 1400],
        [None, "120", None, "Аппарат акима области", 1400],
        [None, None, "001", "Услуги по обеспечению деятельности акима области", 1400],
        [None, None, None, "III. ЧИСТОЕ БЮДЖЕТНОЕ КРЕДИТОВАНИЕ", 100],
        ["10", "255", "002", "Бюджетные кредиты", 100],
        [None, None, None, "V. Дефицит (профицит) бюджета", 0],
    ]
    parsed = parse_file(rows_xlsx(rows), name="appendix.xlsx")
    lines = parsed["budget_lines"]
    got = {(r["direction"], r["code_l1"], r["code_l2"], r["code_l3"], r["amount"]) for r in lines}
    assert got == {("revenue", "1", "01", "2", 1_000_000), ("revenue", "2", "06", "1", 500_000),
                   ("expenditure", "01", "120", "001", 1_400_000)}
    assert {(r["phase"], r["year"], r["report_date"]) for r in lines} == {("approved", 2024, None)}
    assert total_findings(lines, parsed["budget_totals"]) == []


def test_a_functional_subgroup_column_is_part_of_the_hierarchy_but_not_a_code_level():
    rows = [
        ["Отчет об исполнении бюджета Атырауской области на 1 января 2024 года (тыс. тенге)"],
        ["Функциональная группа", "Функциональная подгруппа", "Администратор бюджетных программ", "Программа",
         "Подпрограмма", "Наименование", "Утвержденный бюджет", "Исполнено"],
        [1, None, None, None, None, "Государственные услуги общего характера", 30, 29],
        [None, 1, None, None, None, "Представительные, исполнительные и другие органы", 30, 29],
        [None, None, 120, None, None, "Аппарат акима области", 30, 29],
        [None, None, None, 1, None, "Услуги по обеспечению деятельности акима", 10, 9],
        [None, None, None, 113, None, "Целевые текущие трансферты", 20, 20],
        [None, None, None, None, 15, "За счет средств местного бюджета", 20, 20],
    ]
    parsed = parse_file(rows_xlsx(rows), name="subgroup.xlsx")
    got = {(r["code_l1"], r["code_l2"], r["code_l3"], r["code_l4"], r["phase"]): r["amount"] for r in parsed["budget_lines"]}
    assert got == {("01", "120", "001", None, "approved"): 10_000, ("01", "120", "001", None, "executed"): 9_000,
                   ("01", "120", "113", "015", "approved"): 20_000, ("01", "120", "113", "015", "executed"): 20_000}
    assert total_findings(parsed["budget_lines"], parsed["budget_totals"]) == []


def test_a_formula_saved_without_its_value_is_refused():
    rows = [["Отчет об исполнении бюджета Атырауской области на 1 января 2024 года", None, None, "(тыс. тенге)"],
            ["ФГ", "Наименование", "Утверждено", "Исполнено"],
            ["01", "Государственные услуги общего характера", 10, "=C3*0.9"]]
    refuse(rows_xlsx(rows), "formulas.xlsx", "formula saved without its value", "row=3")


def test_a_bare_amount_column_with_a_title_that_names_no_phase_is_refused():
    rows = [["Бюджет Атырауской области, 2023 год", None, "(тыс. тенге)"],
            ["Код", "Наименование", "Сумма"],
            ["01", "Государственные услуги общего характера", 10]]
    refuse(rows_xlsx(rows), "which-phase.xlsx", "names no phase")


def _kazakh_report(title: str, sheet: str) -> bytes:
    """An execution report in Kazakh: ФТ / БББӘ / Бағдарлама code columns, thousands of tenge, a grand total."""
    book = Workbook()
    ws = book.active
    ws.title = sheet
    ws.append([title])
    ws.append(["(мың теңге)"])
    ws.append(["ФТ", "БББӘ", "Бағдарлама", "Атауы", "Бекітілген", "Нақтыланған", "Атқарылды"])
    for row in (("04", None, None, "Білім беру", 1500, 1520, 700.5), ("04", "261", None, "Облыстың білім басқармасы", 1500, 1520, 700.5),
                ("04", "261", "003", "Жалпы білім беру", 1000, 1010, 450.5), ("04", "261", "052", "Мектепке дейінгі тәрбие", 500, 510, 250),
                (None, None, None, "Барлығы", 1500, 1520, 700.5)):
        ws.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_a_kazakh_report_names_its_side_by_its_code_columns_and_its_totals_add_up():
    """ФТ (функционалдық топ), БББӘ (бюджеттік бағдарламалар әкімшісі) and бағдарлама are the expenditure
    classification, as ФГ / АБП / программа are in Russian: no title or sheet name needs to say so."""
    parsed = parse_file(_kazakh_report("Маңғыстау облысының жергілікті бюджетінің атқарылуы туралы есеп 2025 жылғы 1 шілдедегі "
                                       "жағдай бойынша", "1-кесте"), name="mangystau.xlsx")
    lines = parsed["budget_lines"]
    assert {line["direction"] for line in lines} == {"expenditure"} and {line["region_code"] for line in lines} == {"470000000"}
    assert {(line["code_l1"], line["code_l2"], line["code_l3"]) for line in lines} == {("04", "261", "003"), ("04", "261", "052")}
    executed = {line["code_l3"]: line["amount"] for line in lines if line["phase"] == "executed"}
    assert executed == {"003": Decimal("450500"), "052": Decimal("250000")}
    assert total_findings(lines, parsed["budget_totals"]) == []


def test_shygystar_in_a_title_is_expenditure_and_east_kazakhstan_is_not():
    from sources.budget.context import title_direction

    assert title_direction("Облыстық бюджет шығыстарының атқарылуы") == "expenditure"
    assert title_direction("Шығыстар") == "expenditure"
    assert title_direction("Шығыс Қазақстан облысының жергілікті бюджетінің атқарылуы") is None  # East Kazakhstan Region
    assert title_direction("Шығыс Қазақстан облысының бюджетіне түсімдер") == "revenue"
