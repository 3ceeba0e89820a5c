#!/usr/bin/env python3
"""Build the budget part of the bundled offline mirror: FICTIONAL local-budget files on three real sites.

    .venv/bin/python tools/build_budget_mirror.py            # write the files below
    .venv/bin/python tools/build_budget_mirror.py --check    # write nothing; exit 1 if anything on disk differs

What it writes (every figure derived from the tables in this file, so the truth file and the documents
cannot disagree):

- sources/mirror/www.gov.kz/memleket/entities/atyrau/documents/budget@page=1 and two document pages:
  Atyrau Region's execution report "на 1 января 2024 года" as an XLSX (expenditure: ФГ → АБП → программа →
  подпрограмма, merged two-row header, thousands of tenge) and a revenue CSV (cp1251, ';', decimal comma,
  no-break-space thousands), both under /uploads/2024/1/25/.
- sources/mirror/budget.egov.kz/api/v1/budget-execution/programs@region=470000000&year=2023&page=N&size=8:
  a paged JSON API (items + total + next) of programme execution in Mangystau Region.
- sources/mirror/budget.okmot.kg/ru/local-budgets@region=41702&page=1 and an XLSX: one Kyrgyz ayil aimak's
  budget execution in som, with SOATE codes and Kyrgyz/Russian headers and no "adjusted" column.
- tests/fixtures/budget/mirror_truth.json: for every file, the lines a perfect reader emits and its totals.

All amounts are invented. Classification names follow Kazakhstan's Unified Budget Classification and
Kyrgyzstan's budget classification in form; several codes (206114, 206199, the Kyrgyz 8-digit codes and the
SOATE code of the ayil aimak) are illustrative and unverified — see sources/mirror/BUDGET.md.
Only files this tool owns are written or checked: other tools own the rest of www.gov.kz.
Deterministic: no clocks, no randomness; XLSX zips are rewritten with fixed timestamps and core properties.
"""
from __future__ import annotations

import argparse
import csv
import hashlib
import html
import io
import json
import sys
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # run as a script or loaded by tests: find tools/zipstable.py
from zipstable import normalise_zip  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
MIRROR = ROOT / "sources" / "mirror"
TRUTH = ROOT / "tests" / "fixtures" / "budget" / "mirror_truth.json"
NBSP = "\u00a0"
THOUSAND = Decimal(1000)

GOVKZ = "www.gov.kz"
ENTITY = "/memleket/entities/atyrau"
GOVKZ_LISTING = f"{ENTITY}/documents/budget"
REPORT_ID, NOTE_ID = "902114", "902117"
XLSX_PATH = "/uploads/2024/1/25/" + hashlib.sha256(b"ashyq-budget/atyrau/xlsx").hexdigest()[:32] + "_original.xlsx"
CSV_PATH = "/uploads/2024/1/25/" + hashlib.sha256(b"ashyq-budget/atyrau/csv").hexdigest()[:32] + "_original.csv"

EGOV = "budget.egov.kz"
API_PATH = "/api/v1/budget-execution/programs"
API_QUERY = "region=470000000&year=2023&page={page}&size={size}"
API_SIZE = 6

OKMOT = "budget.okmot.kg"
OKMOT_LISTING = "/ru/local-budgets"
OKMOT_QUERY = "region=41702&page=1"
OKMOT_FILE = "/storage/local-budgets/2024/barskoon-aa-ispolnenie-2023.xlsx"
BARSKOON_SOATE = "41702215820010"  # SOATE-shaped (Issyk-Kul oblast prefix 41702), not a verified code


def amounts_for(key: str, scale: int = 900_000, base: int = 20_000, adjust: bool = True) -> tuple:
    """Invented but stable amounts (thousands, one decimal) for a classification path."""
    h = int(hashlib.sha256(key.encode()).hexdigest(), 16)
    approved = Decimal(h % scale + base) / 10
    adjusted = (approved + Decimal((h >> 24) % 40_000 - 12_000) / 10) if adjust else None
    basis = adjusted if adjusted is not None else approved
    executed = (basis * Decimal(900 + (h >> 48) % 100) / 1000).quantize(Decimal("0.1"))
    return approved, adjusted, executed


# --------------------------------------------------------------------------------------------------
# Atyrau Region: expenditure (XLSX)
# --------------------------------------------------------------------------------------------------

SUB_LOCAL = ("015", "За счет средств местного бюджета")
SUB_REP = ("011", "За счет трансфертов из республиканского бюджета")

EXPENDITURE = [
    ("01", "Государственные услуги общего характера", [
        ("110", "Аппарат маслихата области", [("001", "Услуги по обеспечению деятельности маслихата области", [])]),
        ("120", "Аппарат акима области", [
            ("001", "Услуги по обеспечению деятельности акима области", []),
            ("113", "Целевые текущие трансферты нижестоящим бюджетам", []),
        ]),
    ]),
    ("04", "Образование", [
        ("261", "Управление образования области", [
            ("003", "Общеобразовательное обучение по специальным образовательным учебным программам", [SUB_REP, SUB_LOCAL]),
            ("052", "Подготовка специалистов в организациях технического и профессионального образования", []),
        ]),
        ("288", "Управление строительства, архитектуры и градостроительства области", [
            ("005", "Развитие объектов образования", [SUB_REP, SUB_LOCAL]),
        ]),
    ]),
    ("05", "Здравоохранение", [
        ("253", "Управление здравоохранения области", [
            ("039", "Оказание амбулаторно-поликлинических услуг и медицинских услуг субъектами сельского здравоохранения", []),
            ("033", "Капитальные расходы медицинских организаций здравоохранения", [SUB_LOCAL]),
        ]),
    ]),
    ("07", "Жилищно-коммунальное хозяйство", [
        ("279", "Управление энергетики и жилищно-коммунального хозяйства области", [
            ("030", "Развитие системы водоснабжения и водоотведения в сельских населенных пунктах", [SUB_REP, SUB_LOCAL]),
            ("038", "Развитие коммунального хозяйства", []),
        ]),
    ]),
    ("08", "Культура, спорт, туризм и информационное пространство", [
        ("285", "Управление физической культуры и спорта области", [
            ("001", "Услуги по реализации государственной политики в сфере физической культуры и спорта", []),
            ("006", "Подготовка и участие членов областных сборных команд в республиканских и международных спортивных соревнованиях", []),
        ]),
    ]),
    ("12", "Транспорт и коммуникации", [
        ("268", "Управление пассажирского транспорта и автомобильных дорог области", [
            ("002", "Развитие транспортной инфраструктуры", [SUB_REP, SUB_LOCAL]),
            ("025", "Капитальный и средний ремонт автомобильных дорог областного значения", []),
        ]),
    ]),
]


def expenditure_rows() -> list[dict]:
    """Hierarchical rows in report order: level, codes, name, amounts (thousands); parents carry sums."""
    rows = []
    for fg, fg_name, abps in EXPENDITURE:
        fg_row = {"level": 1, "codes": (fg,), "name": fg_name}
        rows.append(fg_row)
        fg_members = []
        for abp, abp_name, programs in abps:
            abp_row = {"level": 2, "codes": (fg, abp), "name": abp_name}
            rows.append(abp_row)
            abp_members = []
            for prg, prg_name, subs in programs:
                prg_row = {"level": 3, "codes": (fg, abp, prg), "name": prg_name}
                rows.append(prg_row)
                if not subs:
                    prg_row["amounts"] = amounts_for("/".join(prg_row["codes"]))
                    prg_row["leaf"] = True
                    abp_members.append(prg_row)
                    continue
                prg_members = []
                for sub, sub_name in subs:
                    sub_row = {"level": 4, "codes": (fg, abp, prg, sub), "name": sub_name, "leaf": True}
                    sub_row["amounts"] = amounts_for("/".join(sub_row["codes"]))
                    rows.append(sub_row)
                    prg_members.append(sub_row)
                prg_row["amounts"] = sum_amounts(prg_members)
                abp_members.append(prg_row)
            abp_row["amounts"] = sum_amounts(abp_members)
            fg_members.append(abp_row)
        fg_row["amounts"] = sum_amounts(fg_members)
    return rows


def sum_amounts(rows: list[dict]) -> tuple:
    out = []
    for i in range(3):
        values = [r["amounts"][i] for r in rows if r["amounts"][i] is not None]
        out.append(sum(values, Decimal(0)) if values else None)
    return tuple(out)


def grand(rows: list[dict]) -> tuple:
    return sum_amounts([r for r in rows if r.get("leaf")])


def render_xlsx(rows: list[dict]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = "Отчет"
    bold = Font(bold=True)
    ws["A1"] = "Атырау облысының облыстық бюджетінің 2024 жылғы 1 қаңтардағы жағдай бойынша атқарылуы туралы есеп"
    ws["A2"] = "Отчет об исполнении областного бюджета Атырауской области на 1 января 2024 года"
    ws["I3"] = "(тыс. тенге)"
    for cell in ("A1", "A2"):
        ws[cell].font = bold
        ws[cell].alignment = Alignment(horizontal="center", wrap_text=True)
    ws.merge_cells("A1:I1")
    ws.merge_cells("A2:I2")
    ws["A5"] = "Код бюджетной классификации"
    ws.merge_cells("A5:D5")
    for col, text in zip("ABCD", ("ФГ", "АБП", "Программа", "Подпрограмма")):
        ws[f"{col}6"] = text
    for col, text in zip("EFGHI", ("Наименование", "Утверждённый бюджет", "Уточнённый бюджет", "Исполнено",
                                    "% исполнения к уточнённому бюджету")):
        ws[f"{col}5"] = text
        ws.merge_cells(f"{col}5:{col}6")
    for i, col in enumerate("ABCDEFGHI", start=1):
        ws[f"{col}7"] = i
    r = 8
    total = grand(rows)
    ws[f"A{r}"] = "II. ЗАТРАТЫ"
    ws.merge_cells(f"A{r}:E{r}")
    _amount_cells(ws, r, total, bold=True)
    for row in rows:
        r += 1
        codes = row["codes"]
        level = row["level"]
        col = "ABCD"[level - 1]
        code = codes[-1]
        if level in (1, 3):  # stored as numbers shown through a zero-padding format, as many exports do
            ws[f"{col}{r}"] = int(code)
            ws[f"{col}{r}"].number_format = "0" * len(code)
        else:
            ws[f"{col}{r}"] = code
        ws[f"E{r}"] = row["name"]
        _amount_cells(ws, r, row["amounts"], bold=level == 1)
    r += 1
    ws[f"E{r}"] = "Всего затрат / Барлығы шығындар"
    _amount_cells(ws, r, total, bold=True)
    r += 2
    ws[f"E{r}"] = "Руководитель ГУ «Управление финансов Атырауской области»  ____________ (подпись)"
    notes = wb.create_sheet("Пояснения")
    notes["A1"] = "Пояснительная записка к отчету об исполнении областного бюджета"
    notes["A2"] = "Исполнение по затратам составило 97,8 процента к уточнённому бюджету."
    for col, width in zip("ABCDEFGHI", (5, 6, 10, 12, 60, 16, 16, 16, 12)):
        ws.column_dimensions[col].width = width
    return _xlsx_bytes(wb)


def _amount_cells(ws, r: int, amounts: tuple, bold: bool = False) -> None:
    from openpyxl.styles import Font

    for col, value in zip("FGH", amounts):
        if value is not None:
            ws[f"{col}{r}"] = float(value)
            ws[f"{col}{r}"].number_format = "#,##0.0"
            if bold:
                ws[f"{col}{r}"].font = Font(bold=True)
    if amounts[1] and amounts[2] is not None:
        ws[f"I{r}"] = float((amounts[2] / amounts[1] * 100).quantize(Decimal("0.1")))


def _xlsx_bytes(wb) -> bytes:
    import datetime as dt

    stamp = dt.datetime(2024, 1, 25, 9, 0, 0)
    wb.properties.creator = "Ashyq sample generator"
    wb.properties.created = stamp
    wb.properties.modified = stamp
    buffer = io.BytesIO()
    wb.save(buffer)
    return normalise_zip(buffer.getvalue(), date_time=(2024, 1, 1, 0, 0, 0), core_stamps={"modified": "2024-01-25T09:00:00Z", "created": "2024-01-25T09:00:00Z"})


# --------------------------------------------------------------------------------------------------
# Atyrau Region: revenue (CSV, cp1251)
# --------------------------------------------------------------------------------------------------

REVENUE = [
    ("1", "Налоговые поступления", [
        ("01", "Подоходный налог", [("2", "Индивидуальный подоходный налог", [
            ("01", "Индивидуальный подоходный налог с доходов, облагаемых у источника выплаты"),
            ("05", "Индивидуальный подоходный налог с доходов иностранных граждан, не облагаемых у источника выплаты"),
        ])]),
        ("03", "Социальный налог", [("1", "Социальный налог", [("01", "Социальный налог")])]),
        ("05", "Внутренние налоги на товары, работы и услуги", [("3", "Поступления за использование природных и других ресурсов", [
            ("15", "Плата за эмиссии в окружающую среду"),
        ])]),
    ]),
    ("2", "Неналоговые поступления", [
        ("01", "Доходы от государственной собственности", [("5", "Доходы от аренды имущества, находящегося в государственной собственности", [
            ("04", "Доходы от аренды имущества коммунальной собственности области"),
        ])]),
        ("04", "Штрафы, пени, санкции, взыскания, налагаемые государственными учреждениями", [("1", "Штрафы, пени, санкции, взыскания", [
            ("01", "Административные штрафы, пени, санкции, взыскания, налагаемые государственными учреждениями, финансируемыми из местного бюджета"),
        ])]),
        ("06", "Прочие неналоговые поступления", [("1", "Прочие неналоговые поступления", [
            ("08", "Прочие неналоговые поступления в местный бюджет"),
            ("14", "Отчисления недропользователей на социально-экономическое развитие региона и развитие его инфраструктуры"),
            ("99", "Корректировка поступлений прошлых лет"),
        ])]),
    ]),
    ("4", "Поступления трансфертов", [
        ("01", "Трансферты из нижестоящих органов государственного управления", [("2", "Трансферты из районных (городских) бюджетов", [
            ("01", "Бюджетные изъятия"),
        ])]),
    ]),
]
#: the one line with a negative execution (a correction), shown in parentheses; nothing was planned for it
NEGATIVE = "206199"


def revenue_rows() -> list[dict]:
    rows = []
    for cat, cat_name, classes in REVENUE:
        cat_row = {"code": cat, "name": cat_name}
        rows.append(cat_row)
        cat_members = []
        for cls, cls_name, subclasses in classes:
            cls_row = {"code": cat + cls, "name": cls_name}
            rows.append(cls_row)
            cls_members = []
            for sub, sub_name, specifics in subclasses:
                sub_row = {"code": cat + cls + sub, "name": sub_name}
                rows.append(sub_row)
                members = []
                for spec, spec_name in specifics:
                    code = cat + cls + sub + spec
                    amounts = amounts_for("rev/" + code, scale=3_000_000)
                    if code == NEGATIVE:
                        amounts = (None, None, -Decimal("1250.4"))
                    leaf = {"code": code, "name": spec_name, "amounts": amounts, "leaf": True}
                    rows.append(leaf)
                    members.append(leaf)
                sub_row["amounts"] = sum_amounts(members)
                cls_members.append(sub_row)
            cls_row["amounts"] = sum_amounts(cls_members)
            cat_members.append(cls_row)
        cat_row["amounts"] = sum_amounts(cat_members)
    return rows


def csv_amount(value: Decimal | None) -> str:
    if value is None:
        return "-"
    negative = value < 0
    whole, _, fraction = f"{abs(value):.1f}".partition(".")
    grouped = f"{int(whole):,}".replace(",", NBSP)
    text = f"{grouped},{fraction}"
    return f"({text})" if negative else text


def render_csv(rows: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    width = 6
    writer.writerow(["Поступления в областной бюджет Атырауской области на 1 января 2024 года"] + [""] * (width - 1))
    writer.writerow(["по кодам классификации поступлений бюджета"] + [""] * (width - 1))
    writer.writerow(["", "", "", "", "(тыс. тенге)", ""])
    writer.writerow([""] * width)
    writer.writerow(["Код", "Наименование", "Утверждённый бюджет", "Уточнённый бюджет", "Исполнено", "% исполнения"])
    total = grand(rows)
    writer.writerow(["", "I. ДОХОДЫ", *map(csv_amount, total), _percent(total)])
    for row in rows:
        writer.writerow([row["code"], row["name"], *map(csv_amount, row["amounts"]), _percent(row["amounts"])])
    writer.writerow(["", "Итого поступлений", *map(csv_amount, total), _percent(total)])
    return out.getvalue().encode("cp1251")


def _percent(amounts: tuple) -> str:
    if not amounts[1] or amounts[2] is None:
        return ""
    return f"{(amounts[2] / amounts[1] * 100).quantize(Decimal('0.1'))}".replace(".", ",")


# --------------------------------------------------------------------------------------------------
# Mangystau Region: the open-budget API (paged JSON)
# --------------------------------------------------------------------------------------------------

API_PROGRAMS = [
    ("04", "261", "Управление образования области", "003", "Общеобразовательное обучение по специальным образовательным учебным программам", ["011", "015"]),
    ("04", "261", "Управление образования области", "024", "Подготовка специалистов в организациях технического и профессионального образования", []),
    ("04", "288", "Управление строительства, архитектуры и градостроительства области", "005", "Развитие объектов образования", ["011", "015"]),
    ("05", "253", "Управление здравоохранения области", "039", "Оказание амбулаторно-поликлинических услуг", []),
    ("05", "253", "Управление здравоохранения области", "033", "Капитальные расходы медицинских организаций здравоохранения", ["015"]),
    ("06", "256", "Управление координации занятости и социальных программ области", "003", "Социальная поддержка лиц с инвалидностью", []),
    ("07", "279", "Управление энергетики и жилищно-коммунального хозяйства области", "030", "Развитие системы водоснабжения и водоотведения в сельских населенных пунктах", ["011", "015"]),
    ("07", "279", "Управление энергетики и жилищно-коммунального хозяйства области", "038", "Развитие коммунального хозяйства", []),
    ("08", "285", "Управление физической культуры и спорта области", "006", "Подготовка и участие членов областных сборных команд", []),
    ("12", "268", "Управление пассажирского транспорта и автомобильных дорог области", "002", "Развитие транспортной инфраструктуры", ["011", "015"]),
    ("12", "268", "Управление пассажирского транспорта и автомобильных дорог области", "025", "Капитальный и средний ремонт автомобильных дорог областного значения", []),
]
SUB_NAMES = {"011": SUB_REP[1], "015": SUB_LOCAL[1]}
SUB_NAMES_KK = {"011": "Республикалық бюджеттен берілетін трансферттер есебінен", "015": "Жергілікті бюджет қаражаты есебінен"}


def api_items() -> list[dict]:
    items = []
    for fg, abp, abp_name, prg, prg_name, subs in API_PROGRAMS:
        for sub in subs or [None]:
            key = f"api/{fg}/{abp}/{prg}/{sub}"
            approved, adjusted, executed = amounts_for(key, scale=5_000_000)
            items.append({
                "fgCode": fg, "abpCode": abp, "prgCode": prg, "pprCode": sub,
                "nameRu": SUB_NAMES[sub] if sub else prg_name,
                "nameKk": SUB_NAMES_KK[sub] if sub else None,
                "abpNameRu": abp_name, "prgNameRu": prg_name,
                "planApproved": approved, "planAdjusted": adjusted, "executed": executed,
            })
    return items


def api_pages(items: list[dict]) -> dict[int, bytes]:
    pages = -(-len(items) // API_SIZE)
    out = {}
    for page in range(1, pages + 1):
        chunk = items[(page - 1) * API_SIZE: page * API_SIZE]
        body = {
            "page": page, "size": API_SIZE, "total": len(items), "totalPages": pages,
            "next": f"{API_PATH}?{API_QUERY.format(page=page + 1, size=API_SIZE)}" if page < pages else None,
            "meta": {"regionCode": "470000000", "regionName": "Мангистауская область", "budgetLevel": "областной бюджет",
                     "year": 2023, "reportDate": "2024-01-01", "unit": "тыс. тенге"},
            "items": chunk,
        }
        out[page] = (json.dumps(body, ensure_ascii=False, indent=1, default=_json_decimal) + "\n").encode("utf-8")
    return out


def _json_decimal(value):
    if isinstance(value, Decimal):
        return float(value)
    raise TypeError(type(value))


# --------------------------------------------------------------------------------------------------
# Kyrgyzstan: Barskoon ayil aimak (XLSX, som)
# --------------------------------------------------------------------------------------------------

KG_REVENUE = [
    ("11111100", "Төлөм булагынан кармалуучу киреше салыгы / Подоходный налог, удерживаемый у источника выплаты"),
    ("11311100", "Айыл чарба жерлерин пайдалангандыгы үчүн жер салыгы / Земельный налог за пользование сельхозугодьями"),
    ("11321100", "Мүлк салыгы / Налог на имущество"),
    ("14231100", "Жер казынасын пайдалануучулардын жергиликтүү маанидеги инфраструктураны өнүктүрүүгө чегерүүлөрү / "
                 "Отчисления недропользователей на развитие и содержание инфраструктуры местного значения"),
    ("14251100", "Жайыттарды пайдалангандыгы үчүн төлөм / Плата за пользование пастбищами"),
]
KG_EXPENDITURE = [
    ("701", "Жалпы мүнөздөгү мамлекеттик кызматтар / Государственные услуги общего характера"),
    ("704", "Экономикалык иштер / Экономические вопросы"),
    ("706", "Турак жай-коммуналдык кызматтар / Жилищно-коммунальные услуги"),
    ("708", "Эс алуу, маданият жана дин / Отдых, культура и религия"),
    ("709", "Билим берүү / Образование"),
]


def kg_amounts(key: str) -> tuple:
    h = int(hashlib.sha256(key.encode()).hexdigest(), 16)
    approved = Decimal(h % 40_000_000 + 500_000) / 100
    executed = (approved * Decimal(850 + (h >> 40) % 200) / 1000).quantize(Decimal("0.01"))
    return approved, None, executed


def som(value: Decimal) -> str:
    whole, _, fraction = f"{value:.2f}".partition(".")
    return f"{int(whole):,}".replace(",", " ") + "," + fraction


def kg_rows() -> tuple[list[dict], list[dict]]:
    revenue = [{"code": c, "name": n, "amounts": kg_amounts("kg/r/" + c), "leaf": True} for c, n in KG_REVENUE]
    expenditure = [{"code": c, "name": n, "amounts": kg_amounts("kg/e/" + c), "leaf": True} for c, n in KG_EXPENDITURE]
    return revenue, expenditure


def render_kg_xlsx(revenue: list[dict], expenditure: list[dict]) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Бюджет"
    ws["A1"] = "Ысык-Көл облусу, Жети-Өгүз району"
    ws["A2"] = "Барскоон айыл аймагынын бюджетинин аткарылышы 2024-жылдын 1-январына карата"
    ws["A3"] = "Исполнение бюджета Барскоонского айылного аймака по состоянию на 01.01.2024"
    ws["E4"] = "(сом)"
    for cell in ("A1", "A2", "A3"):
        ws.merge_cells(f"{cell}:F{cell[1:]}")
    headers = ("СОАТЕ", "Коду / Код", "Аталышы / Наименование", "Бекитилген план / Утвержденный план",
               "Аткарылышы / Исполнение", "Аткарылышы, % / Исполнение, %")
    for col, text in zip("ABCDEF", headers):
        ws[f"{col}5"] = text
    r = 6
    for heading, rows, closing in (("КИРЕШЕЛЕР / ДОХОДЫ", revenue, "Бардыгы кирешелер / Итого доходов"),
                                   ("ЧЫГАШАЛАР / РАСХОДЫ", expenditure, "Бардыгы чыгашалар / Итого расходов")):
        total = sum_amounts(rows)
        ws[f"C{r}"] = heading
        ws[f"D{r}"], ws[f"E{r}"] = som(total[0]), som(total[2])
        for row in rows:
            r += 1
            ws[f"A{r}"] = BARSKOON_SOATE
            ws[f"B{r}"] = row["code"]
            ws[f"C{r}"] = row["name"]
            ws[f"D{r}"] = som(row["amounts"][0])
            ws[f"E{r}"] = som(row["amounts"][2])
            ws[f"F{r}"] = f"{(row['amounts'][2] / row['amounts'][0] * 100).quantize(Decimal('0.1'))}".replace(".", ",")
        r += 1
        ws[f"C{r}"] = closing
        ws[f"D{r}"], ws[f"E{r}"] = som(total[0]), som(total[2])
        r += 2
    rev, exp = sum_amounts(revenue), sum_amounts(expenditure)
    ws[f"C{r}"] = "Профицит (дефицит) / Профицит (тартыштык)"
    ws[f"D{r}"], ws[f"E{r}"] = som(rev[0] - exp[0]), som(rev[2] - exp[2])
    return _xlsx_bytes(wb)


# --------------------------------------------------------------------------------------------------
# HTML pages
# --------------------------------------------------------------------------------------------------


def esc(text: str) -> str:
    return html.escape(text, quote=True)


def govkz_page(title: str, main: str) -> str:
    return f"""<!DOCTYPE html>
<html lang="ru">
<head>
  <meta charset="utf-8">
  <title>{esc(title)} | Акимат Атырауской области | gov.kz</title>
</head>
<body class="entity-page">
  <header class="portal-header"><a class="portal-logo" href="/?lang=ru">GOV.KZ</a></header>
  <div class="entity-header"><a class="entity-name" href="{ENTITY}?lang=ru">Акимат Атырауской области</a></div>
  <main class="entity-content">
{main}
  </main>
  <footer class="portal-footer"><p>© 2025 Акимат Атырауской области</p></footer>
</body>
</html>
"""


def govkz_listing() -> str:
    items = [
        (REPORT_ID, "Отчет об исполнении областного бюджета на 1 января 2024 года", "25.01.2024"),
        (NOTE_ID, "Пояснительная записка к отчету об исполнении областного бюджета за 2023 год", "25.01.2024"),
    ]
    lis = "\n".join(
        f'        <li class="document-item"><a class="document-link" href="{ENTITY}/documents/details/{doc}?lang=ru">{esc(title)}</a> '
        f'<span class="document-date">{date}</span></li>'
        for doc, title, date in items
    )
    main = f"""    <h1 class="page-title">Исполнение бюджета</h1>
    <section class="documents">
      <ul class="documents-list">
{lis}
      </ul>
      <nav class="pagination"><span class="current">1</span></nav>
    </section>"""
    return govkz_page("Исполнение бюджета", main)


def govkz_detail(doc: str, title: str, body: str, attachments: list[tuple[str, str]]) -> str:
    links = "\n".join(f'        <li><a class="attachment" href="{esc(href)}">{esc(label)}</a></li>' for href, label in attachments)
    files = f'\n      <ul class="attachments">\n{links}\n      </ul>' if attachments else ""
    main = f"""    <article class="document">
      <h1 class="document-title">{esc(title)}</h1>
      <div class="document-meta"><span class="document-date">25.01.2024</span></div>
      <div class="document-body"><p>{esc(body)}</p></div>{files}
    </article>"""
    return govkz_page(title, main)


def okmot_listing() -> str:
    return f"""<!DOCTYPE html>
<html lang="ru">
<head><meta charset="utf-8"><title>Местные бюджеты | Открытый бюджет</title></head>
<body>
  <nav class="top"><a href="/ru/incomes">Доходы</a> <a href="/ru/expenses">Расходы</a> <a href="{OKMOT_LISTING}">Местные бюджеты</a></nav>
  <h1>Местные бюджеты: Иссык-Кульская область</h1>
  <table class="table-docs">
    <thead><tr><th>Орган МСУ</th><th>Документ</th><th>Дата</th></tr></thead>
    <tbody>
      <tr class="doc-row"><td>Барскоонский айылный аймак</td>
        <td class="doc-title"><a href="{OKMOT_FILE}">Исполнение бюджета за 2023 год (XLSX)</a></td><td>02.02.2024</td></tr>
    </tbody>
  </table>
</body>
</html>
"""


# --------------------------------------------------------------------------------------------------


def truth_lines(rows: list[dict], codes_of, direction: str, multiplier: Decimal, unit: str) -> list[dict]:
    out = []
    for row in rows:
        if not row.get("leaf"):
            continue
        for phase, value in zip(("approved", "adjusted", "executed"), row["amounts"]):
            if value is not None:
                out.append({"direction": direction, "codes": codes_of(row), "name": row["name"], "phase": phase,
                            "amount": str((value * multiplier).normalize()), "unit_in_source": unit})
    return out


def build() -> tuple[dict[str, bytes], dict]:
    files: dict[str, bytes] = {}
    exp_rows = expenditure_rows()
    rev_rows = revenue_rows()
    items = api_items()
    kg_rev, kg_exp = kg_rows()

    xlsx_url = f"https://{GOVKZ}{XLSX_PATH}"
    csv_url = f"https://{GOVKZ}{CSV_PATH}"
    files[f"{GOVKZ}{GOVKZ_LISTING}@page=1"] = govkz_listing().encode()
    files[f"{GOVKZ}{ENTITY}/documents/details/{REPORT_ID}@lang=ru"] = govkz_detail(
        REPORT_ID, "Отчет об исполнении областного бюджета на 1 января 2024 года",
        "Отчет об исполнении областного бюджета Атырауской области на 1 января 2024 года по затратам и поступлениям.",
        [(XLSX_PATH, "Отчет об исполнении областного бюджета (затраты) на 01.01.2024.xlsx"),
         (CSV_PATH, "Поступления в областной бюджет на 01.01.2024.csv")]).encode()
    files[f"{GOVKZ}{ENTITY}/documents/details/{NOTE_ID}@lang=ru"] = govkz_detail(
        NOTE_ID, "Пояснительная записка к отчету об исполнении областного бюджета за 2023 год",
        "Исполнение областного бюджета за 2023 год по поступлениям и затратам обеспечено в пределах уточнённого плана.", []).encode()
    files[f"{GOVKZ}{XLSX_PATH}"] = render_xlsx(exp_rows)
    files[f"{GOVKZ}{CSV_PATH}"] = render_csv(rev_rows)

    api_urls = {}
    for page, body in api_pages(items).items():
        query = API_QUERY.format(page=page, size=API_SIZE)
        files[f"{EGOV}{API_PATH}@{query}"] = body
        api_urls[page] = f"https://{EGOV}{API_PATH}?{query}"

    kg_url = f"https://{OKMOT}{OKMOT_FILE}"
    files[f"{OKMOT}{OKMOT_LISTING}@{OKMOT_QUERY}"] = okmot_listing().encode()
    files[f"{OKMOT}{OKMOT_FILE}"] = render_kg_xlsx(kg_rev, kg_exp)

    def revenue_codes(row):
        c = row["code"]
        return [c[0], c[1:3] or None, c[3:4] or None, c[4:6] or None]

    api_lines = []
    for item in items:
        for phase, key in (("approved", "planApproved"), ("adjusted", "planAdjusted"), ("executed", "executed")):
            api_lines.append({"direction": "expenditure", "codes": [item["fgCode"], item["abpCode"], item["prgCode"], item["pprCode"]],
                              "name": item["nameRu"], "phase": phase, "amount": str((item[key] * THOUSAND).normalize()),
                              "unit_in_source": "thousand"})
    truth = {
        "documents": {
            xlsx_url: {"source_id": "atyrau-budget", "region_code": "230000000", "year": 2023, "report_date": "2024-01-01",
                       "currency": "KZT", "area_code": None,
                       "lines": truth_lines(exp_rows, lambda r: list(r["codes"]) + [None] * (4 - len(r["codes"])), "expenditure", THOUSAND, "thousand"),
                       "totals": 3 * (sum(1 for r in exp_rows if not r.get("leaf")) + 2)},
            csv_url: {"source_id": "atyrau-budget", "region_code": "230000000", "year": 2023, "report_date": "2024-01-01",
                      "currency": "KZT", "area_code": None,
                      "lines": truth_lines(rev_rows, revenue_codes, "revenue", THOUSAND, "thousand"),
                      "totals": sum(sum(1 for v in r["amounts"] if v is not None) for r in rev_rows if not r.get("leaf"))
                      + 2 * sum(1 for v in grand(rev_rows) if v is not None)},
            **{url: {"source_id": "kz-open-budgets", "region_code": "470000000", "year": 2023, "report_date": "2024-01-01",
                     "currency": "KZT", "area_code": None,
                     "lines": api_lines[(page - 1) * API_SIZE * 3: page * API_SIZE * 3], "totals": 0}
               for page, url in api_urls.items()},
            kg_url: {"source_id": "kg-barskoon-budget", "region_code": "41702000000000", "year": 2023, "report_date": "2024-01-01",
                     "currency": "KGS", "area_code": BARSKOON_SOATE,
                     "lines": truth_lines(kg_rev, lambda r: [r["code"], None, None, None], "revenue", Decimal(1), "unit")
                     + truth_lines(kg_exp, lambda r: [r["code"], None, None, None], "expenditure", Decimal(1), "unit"),
                     "totals": 2 * 2 * 2},
        },
        "api_pages": len(api_urls),
        "api_items": len(items),
    }
    return files, truth


def verify(files: dict[str, bytes]) -> None:
    """Read every generated file back: XLSX through openpyxl, the CSV as cp1251 with no-break spaces."""
    from openpyxl import load_workbook

    for name, data in files.items():
        if name.endswith(".xlsx"):
            load_workbook(io.BytesIO(data))
        if name.endswith(".csv"):
            text = data.decode("cp1251")
            assert NBSP in text and ";" in text and "(" in text, name
        if API_PATH in name:
            json.loads(data)


def owned_outputs() -> dict[Path, bytes]:
    files, truth = build()
    verify(files)
    outputs = {MIRROR / name: data for name, data in sorted(files.items())}
    outputs[TRUTH] = (json.dumps(truth, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")
    return outputs


def extra_files(outputs: dict[Path, bytes]) -> list[Path]:
    """Files on the two hosts this tool owns entirely that a fresh build would not write (www.gov.kz is shared)."""
    return [p for host in (EGOV, OKMOT) for p in sorted((MIRROR / host).rglob("*")) if p.is_file() and p not in outputs]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="write nothing; fail if the files on disk differ from a fresh build")
    args = parser.parse_args(argv)
    outputs = owned_outputs()
    if args.check:
        stale = [p for p, data in outputs.items() if not p.is_file() or p.read_bytes() != data] + extra_files(outputs)
        for p in stale:
            print(f"differs: {p.relative_to(ROOT)}", file=sys.stderr)
        return 1 if stale else 0
    for path in extra_files(outputs):
        path.unlink()
    for path, data in outputs.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.is_file() or path.read_bytes() != data:
            path.write_bytes(data)
    print(f"wrote {len(outputs) - 1} budget mirror files under {MIRROR.relative_to(ROOT)}/ and {TRUTH.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
