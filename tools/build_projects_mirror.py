#!/usr/bin/env python3
"""Build the FICTIONAL company sites of the bundled mirror that disclose social projects.

    .venv/bin/python tools/build_projects_mirror.py            # write the sites and the truth CSV
    .venv/bin/python tools/build_projects_mirror.py --check    # write nothing; exit 1 if anything on disk differs

Four invented subsoil users (the companies of tools/build_sample_mirror.py, which signed the sample
memoranda) publish their social projects the ways real companies do, on hosts under the reserved
`.example` TLD (RFC 2606), so no real site is ever named:

- www.demo-caspian-oil.example    Russian HTML table: region section rows, "тыс. тенге" in the caption,
                                  periods "2022–2023" and "06.2023 – 12.2024", an "Итого" row
- www.ulgi-munai.example          Kazakh HTML table: a title row inside the table, reordered columns,
                                  "мың теңге" in the amount header, "Барлығы" row
- www.demo-zhaik-minerals.example an English page linking an XLSX list (title rows, region column,
                                  start/end as Excel dates, years or text), amounts in tenge
- www.demo-aktobe-copper.example  a Russian page linking a cp1251, semicolon-separated CSV (no № column)

Every project row below is also a row of tests/fixtures/projects/sample_projects_truth.csv, with what a
perfect reader should get, including the memorandum it implements (same company, region and period as a
memorandum of the sample mirror), or `ambiguous:2`, or none. Amounts, projects and organisations are
invented; company names contain "Демо", "Demo" or "Үлгі".

Deterministic: fixed workbook properties and zip timestamps, no clocks, no randomness.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import html
import importlib.util
import io
import re
import sys
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # run as a script or loaded by tests: find tools/zipstable.py
from zipstable import normalise_zip  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
MIRROR = ROOT / "sources" / "mirror"
TRUTH = ROOT / "tests" / "fixtures" / "projects" / "sample_projects_truth.csv"
NBSP = "\u00a0"
FIXED_ZIP_TIME = (2024, 1, 1, 0, 0, 0)
FIXED_STAMP = dt.datetime(2024, 1, 1, 0, 0, 0)

CASPIAN_HOST = "www.demo-caspian-oil.example"
ULGI_HOST = "www.ulgi-munai.example"
ZHAIK_HOST = "www.demo-zhaik-minerals.example"
COPPER_HOST = "www.demo-aktobe-copper.example"
HOSTS = (CASPIAN_HOST, ULGI_HOST, ZHAIK_HOST, COPPER_HOST)

CASPIAN_PAGE = "/ru/social/projects/"
ULGI_PAGE = "/kk/aleumettik-zhobalar/"
ZHAIK_PAGE = "/en/sustainability/community-investment"
ZHAIK_XLSX = "/files/community/social-projects-2020-2025.xlsx"
COPPER_PAGE = "/ru/ustojchivoe-razvitie/socialnye-proekty/"
COPPER_CSV = "/upload/iblock/3f2/socialnye-proekty-2020-2026.csv"

KATO = {"atyrau": "230000000", "aktobe": "150000000", "mangystau": "470000000", "kyzylorda": "430000000"}


def _sample_mirror():
    """tools/build_sample_mirror.py, for its companies and memoranda (this file must agree with them)."""
    spec = importlib.util.spec_from_file_location("build_sample_mirror", ROOT / "tools" / "build_sample_mirror.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("build_sample_mirror", module)
    spec.loader.exec_module(module)
    return module


@dataclass(frozen=True)
class Project:
    source_id: str
    company: str  # key in build_sample_mirror.COMPANIES
    company_id: str  # organisation_id in sources/reference/organisations.csv
    name: str
    location: str
    region: str  # key of KATO
    period: tuple  # (start, end) ISO, as precise as published
    contractor: str  # "" when the source names none
    contractor_id: str
    amount: int  # tenge
    status_text: str
    status: str
    sector: str
    gender_marker: int
    memorandum: str  # "<site>/<native id>" | "ambiguous:<n>" | ""
    period_style: str = "years"  # years | months | cells


CASPIAN = "demo-caspian-oil-projects"
ULGI = "ulgi-munai-projects"
ZHAIK = "demo-zhaik-minerals-projects"
COPPER = "demo-aktobe-copper-projects"

PROJECTS: list[Project] = [
    # ----- Demo Caspian Oil: Russian HTML table, thousands of tenge -----
    Project(CASPIAN, "caspian", "demo-caspian-oil", "Строительство детского сада на 280 мест в мкр. Нурсая г. Атырау", "г. Атырау, мкр. Нурсая",
            "atyrau", ("2022", "2023"), "ТОО «Демо Құрылыс Сервис»", "demo-qurylys-servis", 1_120_000_000, "Завершён", "completed",
            "preschool", 1, "atyrau/534618"),
    Project(CASPIAN, "caspian", "demo-caspian-oil", "Строительство спортивного комплекса с плавательным бассейном в г. Кульсары",
            "Жылыойский район, г. Кульсары", "atyrau", ("2023-06", "2024-12"), "ТОО «Demo Build Group»", "demo-build-group", 985_400_500,
            "В работе", "in_progress", "sport_culture", 0, "atyrau/534618", "months"),
    Project(CASPIAN, "caspian", "demo-caspian-oil", "Адресная социальная помощь 120 малообеспеченным семьям Жылыойского района", "Жылыойский район",
            "atyrau", ("2022-03", "2022-12"), "ОФ «Үлгі Ана»", "ulgi-ana-fund", 180_000_000, "Завершён", "completed",
            "social_support", 0, "atyrau/534618", "months"),
    Project(CASPIAN, "caspian", "demo-caspian-oil", "Открытие кризисного центра для женщин, пострадавших от бытового насилия", "г. Атырау",
            "atyrau", ("2024", "2024"), "ОФ «Демо Қорған»", "demo-qorgan-fund", 45_000_000, "В работе", "in_progress",
            "social_support", 2, "atyrau/534618"),
    Project(CASPIAN, "caspian", "demo-caspian-oil", "Курсы профессиональной подготовки для женщин из сельских округов", "Махамбетский район, с. Алмалы",
            "atyrau", ("2024-09", "2025-05"), "ТОО «Демо Білім Орталығы»", "demo-bilim-ortalygy", 38_500_000, "В работе", "in_progress",
            "training_employment", 2, "ambiguous:2", "months"),
    Project(CASPIAN, "caspian", "demo-caspian-oil", "Капитальный ремонт водопроводных сетей г. Кульсары", "г. Кульсары",
            "atyrau", ("2025", "2026"), "ТОО «Demo Build Group»", "demo-build-group", 2_400_000_000, "Планируется", "planned",
            "water_sanitation", 1, "atyrau/786020"),
    Project(CASPIAN, "caspian", "demo-caspian-oil", "Строительство водопровода к с. Алмалы Махамбетского района", "Махамбетский район, с. Алмалы",
            "atyrau", ("2020", "2021"), "ТОО «Демо Құрылыс Сервис»", "demo-qurylys-servis", 410_000_000, "Завершён", "completed",
            "water_sanitation", 1, "atyrau/356214"),
    Project(CASPIAN, "caspian", "demo-caspian-oil", "Поддержка многодетных семей: школьная форма и канцелярские товары", "Исатайский район",
            "atyrau", ("2021-08", "2021-09"), "", "", 24_000_000, "Завершён", "completed", "social_support", 1, "atyrau/356214", "months"),
    Project(CASPIAN, "caspian", "demo-caspian-oil", "Строительство родильного дома на 100 коек в г. Жанаозен", "г. Жанаозен",
            "mangystau", ("2023", "2025"), "ТОО «Demo Build Group»", "demo-build-group", 3_150_000_000, "В работе", "in_progress",
            "health", 1, ""),
    Project(CASPIAN, "caspian", "demo-caspian-oil", "Благоустройство набережной в г. Актау", "г. Актау",
            "mangystau", ("2024", "2024"), "ТОО «Демо Құрылыс Сервис»", "demo-qurylys-servis", 260_000_000, "Планируется", "planned",
            "other", 0, ""),
    # ----- Үлгі Мұнай: Kazakh HTML table, мың теңге in the header -----
    Project(ULGI, "ulgi_munai", "ulgi-munai", "Ганюшкино ауылында 50 келушіге арналған дәрігерлік амбулатория салу",
            "Құрманғазы ауданы, Ганюшкино ауылы", "atyrau", ("2023", "2024"), "«Демо Құрылыс Сервис» ЖШС", "demo-qurylys-servis",
            640_000_000, "Аяқталды", "completed", "health", 0, "atyrau/611208"),
    Project(ULGI, "ulgi_munai", "ulgi-munai", "Ганюшкино ауылында ұзындығы 11,3 км су құбырын салу", "Құрманғазы ауданы, Ганюшкино ауылы",
            "atyrau", ("2023-04", "2024-10"), "«Demo Build Group» ЖШС", "demo-build-group", 890_000_000, "Аяқталды", "completed",
            "water_sanitation", 1, "atyrau/611208", "months"),
    Project(ULGI, "ulgi_munai", "ulgi-munai", "Аққыстау ауылына ұзындығы 14,5 км су құбырын салу", "Исатай ауданы, Аққыстау ауылы",
            "atyrau", ("2021", "2022"), "«Демо Құрылыс Сервис» ЖШС", "demo-qurylys-servis", 850_000_000, "Аяқталды", "completed",
            "water_sanitation", 1, "atyrau/447310"),
    Project(ULGI, "ulgi_munai", "ulgi-munai", "Жалғыз басты аналарға арналған тігін курстары", "Атырау қаласы",
            "atyrau", ("2024", "2024"), "«Үлгі Ана» ҚҚ", "ulgi-ana-fund", 12_500_000, "Іске асырылуда", "in_progress",
            "training_employment", 2, "atyrau/611208"),
    Project(ULGI, "ulgi_munai", "ulgi-munai", "Жем ауылындағы мектепті санитарлық тораптар орната отырып күрделі жөндеу", "Мұғалжар ауданы, Жем ауылы",
            "aktobe", ("2023-07", "2023-12"), "«Демо Құрылыс Сервис» ЖШС", "demo-qurylys-servis", 96_500_000, "Аяқталды", "completed",
            "education", 1, "aktobe/1519-memorandum-too-ulgi-munai", "months"),
    Project(ULGI, "ulgi_munai", "ulgi-munai", "Мұғалжар ауданының мектептері үшін мектеп автобусын сатып алу", "Мұғалжар ауданы",
            "aktobe", ("2024", "2024"), "", "", 38_000_000, "Аяқталды", "completed", "education", 0, "aktobe/1519-memorandum-too-ulgi-munai"),
    Project(ULGI, "ulgi_munai", "ulgi-munai", "Қандыағаш қаласындағы перзентхананы күрделі жөндеу", "Мұғалжар ауданы, Қандыағаш қаласы",
            "aktobe", ("2025", "2025"), "«Demo Build Group» ЖШС", "demo-build-group", 310_000_000, "Жоспарлануда", "planned",
            "health", 1, ""),
    Project(ULGI, "ulgi_munai", "ulgi-munai", "Шалқар ауданындағы автомобиль жолын жөндеу", "Шалқар ауданы",
            "aktobe", ("2025-05", "2025-09"), "«Демо Құрылыс Сервис» ЖШС", "demo-qurylys-servis", 520_000_000, "Жоспарлануда", "planned",
            "roads_transport", 0, "", "months"),
    # ----- Demo Zhaik Minerals: XLSX, English headers, tenge -----
    Project(ZHAIK, "zhaik", "demo-zhaik-minerals", "Construction of a 320-place kindergarten in Kandyagash", "Mugalzhar District, Kandyagash",
            "aktobe", ("2020-03-01", "2021-08-31"), "Demo Build Group LLP", "demo-build-group", 1_450_000_000, "Completed", "completed",
            "preschool", 1, "aktobe/1187-memorandum-of-understanding-demo-zhaik-minerals", "cells"),
    Project(ZHAIK, "zhaik", "demo-zhaik-minerals", "Support for 47 single mothers in Mugalzhar District", "Mugalzhar District",
            "aktobe", ("2020", "2020"), "Public Foundation Demo Ana Uyi", "demo-ana-uyi-fund", 23_500_000, "Completed", "completed",
            "social_support", 2, "aktobe/1187-memorandum-of-understanding-demo-zhaik-minerals", "cells"),
    Project(ZHAIK, "zhaik", "demo-zhaik-minerals", "Строительство детского сада на 280 мест в г. Кульсары", "Zhylyoi District, Kulsary",
            "atyrau", ("2021", "2023"), "ТОО «Демо Құрылыс Сервис»", "demo-qurylys-servis", 1_150_000_000, "Completed", "completed",
            "preschool", 1, "atyrau/489052", "cells"),
    Project(ZHAIK, "zhaik", "demo-zhaik-minerals", "Construction of a 600-seat school in Kandyagash", "Mugalzhar District, Kandyagash",
            "aktobe", ("2022", "2024"), "Demo Qurylys Service LLP", "demo-qurylys-servis", 2_100_000_000, "Completed", "completed",
            "education", 0, "aktobe/1458-demo-zhaiyq-minerals-memorandum", "cells"),
    Project(ZHAIK, "zhaik", "demo-zhaik-minerals", "Education grants for 30 students", "Aktobe",
            "aktobe", ("2022-09", "2024-06"), "", "", 27_000_000, "Completed", "completed",
            "education", 0, "aktobe/1458-demo-zhaiyq-minerals-memorandum", "cells"),
    Project(ZHAIK, "zhaik", "demo-zhaik-minerals", "Construction of a 280-place kindergarten in Inderborsky", "Inder District, Inderborsky",
            "atyrau", ("2024", "2025"), "Demo Build Group LLP", "demo-build-group", 680_000_000, "In progress", "in_progress",
            "preschool", 1, "atyrau/698455", "cells"),
    Project(ZHAIK, "zhaik", "demo-zhaik-minerals", "Water supply pipeline (8.3 km) to Esbol village", "Inder District, Esbol",
            "atyrau", ("2024-05-15", "2025-11-30"), "Demo Qurylys Service LLP", "demo-qurylys-servis", 390_000_000, "In progress", "in_progress",
            "water_sanitation", 1, "atyrau/698455", "cells"),
    Project(ZHAIK, "zhaik", "demo-zhaik-minerals", "Training for women entrepreneurs in Atyrau", "Atyrau",
            "atyrau", ("2023", "2024"), "Demo Bilim Ortalygy LLP", "demo-bilim-ortalygy", 15_600_000, "Completed", "completed",
            "training_employment", 2, "ambiguous:2", "cells"),
    Project(ZHAIK, "zhaik", "demo-zhaik-minerals", "Maternity ward equipment for the Emba district hospital", "Mugalzhar District, Emba",
            "aktobe", ("2025", "2025"), "Demo Build Group LLP", "demo-build-group", 184_000_000, "Planned", "planned",
            "health", 1, "", "cells"),
    # ----- Demo Aktobe Copper: CSV (cp1251; no Kazakh letters), tenge -----
    Project(COPPER, "aktobe_copper", "demo-aktobe-copper", "Строительство поликлиники на 250 посещений в смену в г. Хромтау",
            "Хромтауский район, г. Хромтау", "aktobe", ("2020", "2021"), "ТОО «Демо Курылыс Сервис»", "demo-qurylys-servis",
            4_200_000_000, "Завершён", "completed", "health", 0, "aktobe/1243-memorandum-ao-demo-aktobe-med"),
    Project(COPPER, "aktobe_copper", "demo-aktobe-copper", "Капитальный ремонт Дома культуры в с. Донское", "Хромтауский район, с. Донское",
            "aktobe", ("2021", "2021"), "ТОО «Demo Build Group»", "demo-build-group", 350_000_000, "Завершён", "completed",
            "sport_culture", 0, "aktobe/1243-memorandum-ao-demo-aktobe-med"),
    Project(COPPER, "aktobe_copper", "demo-aktobe-copper", "Оборудование для детского отделения Хромтауской районной больницы", "г. Хромтау",
            "aktobe", ("2022-06", "2022-12"), "ТОО «Demo Build Group»", "demo-build-group", 118_000_000, "Завершён", "completed",
            "health", 0, "ambiguous:2", "months"),
    Project(COPPER, "aktobe_copper", "demo-aktobe-copper", "Открытие центра поддержки матерей-одиночек в г. Хромтау", "г. Хромтау",
            "aktobe", ("2023", "2023"), "ОФ «Демо Ана Уйи»", "demo-ana-uyi-fund", 32_000_000, "Завершён", "completed",
            "social_support", 2, "aktobe/1411-memorandum-demo-aktobe-copper"),
    Project(COPPER, "aktobe_copper", "demo-aktobe-copper", "Строительство плавательного бассейна в г. Шалкар", "Шалкарский район, г. Шалкар",
            "aktobe", ("2024", "2025"), "ТОО «Демо Курылыс Сервис»", "demo-qurylys-servis", 1_900_000_000, "В работе", "in_progress",
            "sport_culture", 0, "ambiguous:2"),
    Project(COPPER, "aktobe_copper", "demo-aktobe-copper", "Капитальный ремонт школы № 3 г. Шалкар с устройством санузлов", "г. Шалкар",
            "aktobe", ("2025-04", "2025-10"), "ТОО «Демо Курылыс Сервис»", "demo-qurylys-servis", 265_500_000, "В работе", "in_progress",
            "education", 1, "aktobe/1630-demo-aqtobe-mys-aq-memorandum", "months"),
    Project(COPPER, "aktobe_copper", "demo-aktobe-copper", "Оснащение центра реабилитации детей с инвалидностью в г. Шалкар", "г. Шалкар",
            "aktobe", ("2026", "2026"), "", "", 74_000_000, "Планируется", "planned",
            "health", 0, "aktobe/1630-demo-aqtobe-mys-aq-memorandum"),
    Project(COPPER, "aktobe_copper", "demo-aktobe-copper", "Строительство детского сада на 140 мест в г. Аральск", "Аральский район, г. Аральск",
            "kyzylorda", ("2024", "2025"), "ТОО «Demo Build Group»", "demo-build-group", 890_000_000, "В работе", "in_progress",
            "preschool", 1, ""),
]

REGION_HEADINGS = {
    "ru": {"atyrau": "Атырауская область", "aktobe": "Актюбинская область", "mangystau": "Мангистауская область"},
    "kk": {"atyrau": "Атырау облысы", "aktobe": "Ақтөбе облысы"},
    "en": {"atyrau": "Atyrau Region", "aktobe": "Aktobe Region"},
    "csv": {"aktobe": "Актюбинская область", "kyzylorda": "Кызылординская область"},
}


def memorandum_id(expected: str) -> str:
    return "" if not expected or expected.startswith("ambiguous") else expected.replace("/", "-akimat/", 1)


def memorandum_link(expected: str) -> str:
    if not expected:
        return ""
    return expected if expected.startswith("ambiguous") else "company+region+period-overlap"


# --------------------------------------------------------------------------------------------------
# Cell formatting as the companies write it
# --------------------------------------------------------------------------------------------------


def grouped(value: Decimal, sep: str = " ", decimal: str = ",", places: int | None = None) -> str:
    """1120000 → '1 120 000'; 985400.5 → '985 400,5'; with places=2 → '4 200 000 000,00'."""
    if places is not None:
        value = value.quantize(Decimal(1).scaleb(-places))
    text = format(value, "f")
    whole, _, fraction = text.partition(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    fraction = fraction.rstrip("0") if places is None else fraction
    return sep.join(groups) + (decimal + fraction if fraction else "")


def period_text(period: tuple, style: str, suffix: str = "") -> str:
    start, end = period
    if style == "months":
        (y1, m1), (y2, m2) = (start.split("-")[:2]), (end.split("-")[:2])
        return f"{m1}.{y1} – {m2}.{y2}"
    return (start if start == end else f"{start}–{end}") + suffix


# --------------------------------------------------------------------------------------------------
# Pages
# --------------------------------------------------------------------------------------------------


def esc(text: str) -> str:
    return html.escape(text, quote=False)


def page(lang: str, title: str, site_name: str, body: str, notice: str) -> str:
    return f"""<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<title>{esc(title)} — {esc(site_name)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
</head>
<body>
<header class="site-header"><a class="logo" href="/">{esc(site_name)}</a>
<nav class="main-nav"><a href="/">{'Басты бет' if lang == 'kk' else 'Home' if lang == 'en' else 'Главная'}</a></nav></header>
<main>
{body}
</main>
<footer class="site-footer"><p class="sample-notice">{esc(notice)}</p></footer>
</body>
</html>
"""


def _rows_by_region(projects: list[Project], order: list[str]) -> list[tuple[str, list[Project]]]:
    return [(region, [p for p in projects if p.region == region]) for region in order if any(p.region == region for p in projects)]


def caspian_page(projects: list[Project]) -> str:
    rows, number = [], 0
    for region, group in _rows_by_region(projects, ["atyrau", "mangystau"]):
        rows.append(f'<tr class="region-row"><td colspan="7"><strong>{esc(REGION_HEADINGS["ru"][region])}</strong></td></tr>')
        for p in group:
            number += 1
            cells = [str(number), p.name, p.location, period_text(p.period, p.period_style), p.contractor or "—",
                     grouped(Decimal(p.amount) / 1000), p.status_text]
            rows.append("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in cells) + "</tr>")
    total = grouped(sum(Decimal(p.amount) for p in projects) / 1000)
    rows.append(f'<tr class="total-row"><td colspan="5"><strong>Итого</strong></td><td><strong>{esc(total)}</strong></td><td></td></tr>')
    head = "".join(f"<th>{h}</th>" for h in ["№", "Наименование проекта", "Место реализации", "Срок реализации",
                                             "Подрядчик / получатель", "Сумма", "Статус"])
    body = f"""<h1>Социальные проекты</h1>
<p class="lead">ТОО «Демо Каспий Ойл» публикует сведения о каждом социальном инфраструктурном проекте, финансируемом компанией
в рамках меморандумов с местными исполнительными органами: наименование, место и сроки реализации, подрядчик или получатель, сумма.</p>
<table class="table social-projects">
<caption>Перечень социальных проектов ТОО «Демо Каспий Ойл» по состоянию на 01.01.2025 (тыс. тенге)</caption>
<thead><tr>{head}</tr></thead>
<tbody>
{chr(10).join(rows)}
</tbody>
</table>"""
    return page("ru", "Социальные проекты", "ТОО «Демо Каспий Ойл»", body,
                "Демонстрационный сайт: компания, проекты и суммы вымышлены (учебные данные Ashyq).")


def ulgi_page(projects: list[Project]) -> str:
    rows, number = [], 0
    for region, group in _rows_by_region(projects, ["atyrau", "aktobe"]):
        rows.append(f'<tr><td colspan="7" style="text-align:center"><b>{esc(REGION_HEADINGS["kk"][region])}</b></td></tr>')
        for p in group:
            number += 1
            cells = [f"{number}.", p.name, p.contractor or "-", p.location, grouped(Decimal(p.amount) / 1000, sep=NBSP),
                     period_text(p.period, p.period_style, " жж." if p.period[0] != p.period[1] else " ж."), p.status_text]
            rows.append("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in cells) + "</tr>")
    total = grouped(sum(Decimal(p.amount) for p in projects) / 1000, sep=NBSP)
    head = "".join(f"<td><b>{h}</b></td>" for h in ["№", "Жобаның атауы", "Мердігер / алушы", "Іске асыру орны",
                                                   "Сомасы, мың теңге", "Іске асыру мерзімі", "Мәртебесі"])
    body = f"""<div class="page-content">
<h1>Әлеуметтік жобалар</h1>
<p>«Үлгі Мұнай» ЖШС жергілікті атқарушы органдармен жасалған меморандумдар аясында қаржыландыратын әлеуметтік жобалар туралы ақпарат.</p>
<table border="1" cellpadding="4">
<tr><td colspan="7"><b>«Үлгі Мұнай» ЖШС әлеуметтік инфрақұрылым жобаларының тізбесі</b></td></tr>
<tr>{head}</tr>
{chr(10).join(rows)}
<tr><td></td><td><b>Барлығы</b></td><td></td><td></td><td><b>{esc(total)}</b></td><td></td><td></td></tr>
</table>
</div>"""
    return page("kk", "Әлеуметтік жобалар", "«Үлгі Мұнай» ЖШС", body,
                "Демонстрациялық сайт: компания, жобалар мен сомалар ойдан шығарылған (Ashyq оқу деректері).")


def zhaik_page() -> str:
    body = f"""<article class="content">
<h1>Community investment</h1>
<p>Demo Zhaik Minerals LLP finances social infrastructure in Aktobe and Atyrau regions under memoranda with the regional akimats.
The full list of projects — name, place, timing, contractor or recipient and amount — is published as a spreadsheet.</p>
<p><a class="download-xlsx" href="{ZHAIK_XLSX}">Download the list of social infrastructure projects (XLSX)</a></p>
</article>"""
    return page("en", "Community investment", "Demo Zhaik Minerals LLP", body,
                "Demonstration site: the company, its projects and amounts are fictional (Ashyq sample data).")


def copper_page() -> str:
    body = f"""<section class="documents-section">
<h1>Социальные проекты</h1>
<p>АО «Демо Актобе Медь» раскрывает сведения о социальных проектах, реализуемых в Актюбинской области.</p>
<ul class="documents">
<li><a href="{COPPER_CSV}">Перечень социальных проектов за 2020–2026 годы (CSV)</a></li>
</ul>
</section>"""
    return page("ru", "Социальные проекты", "АО «Демо Актобе Медь»", body,
                "Демонстрационный сайт: компания, проекты и суммы вымышлены (учебные данные Ashyq).")


# --------------------------------------------------------------------------------------------------
# Files
# --------------------------------------------------------------------------------------------------


def _xlsx_period_cell(iso: str, index: int):
    """Start/end cells as companies type them: real dates, numbers (years) or text ("09.2022", "2021")."""
    parts = iso.split("-")
    if len(parts) == 3:
        return dt.datetime(int(parts[0]), int(parts[1]), int(parts[2]))
    if len(parts) == 2:
        return f"{parts[1]}.{parts[0]}"
    return int(iso) if index % 2 == 0 else iso


def zhaik_xlsx(projects: list[Project]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Projects"
    headers = ["No.", "Project", "Region", "District / settlement", "Start", "End", "Contractor / recipient", "Amount, KZT", "Status"]
    sheet.append(["Demo Zhaik Minerals LLP — social infrastructure projects, 2020–2025"])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    sheet.append(["Amounts in tenge (KZT), VAT included"])
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(headers))
    sheet.append([])
    sheet.append(headers)
    for cell in sheet[4]:
        cell.font = Font(bold=True)
    for number, p in enumerate(projects, start=1):
        amount = float(p.amount) if number % 3 == 0 else p.amount  # some cells are floats, as Excel stores them
        sheet.append([number, p.name, REGION_HEADINGS["en"][p.region], p.location, _xlsx_period_cell(p.period[0], number),
                      _xlsx_period_cell(p.period[1], number), p.contractor or None, amount, p.status_text])
        for column in (5, 6):
            if isinstance(sheet.cell(sheet.max_row, column).value, dt.datetime):
                sheet.cell(sheet.max_row, column).number_format = "DD.MM.YYYY"
        sheet.cell(sheet.max_row, 8).number_format = "#,##0"
    notes = workbook.create_sheet("Notes")
    notes.append(["The list is updated every quarter. Contact: community@demo-zhaik.example"])
    workbook.properties.creator = "Demo Zhaik Minerals LLP"
    workbook.properties.created = FIXED_STAMP
    buffer = io.BytesIO()
    workbook.save(buffer)
    return normalise_zip(buffer.getvalue(), date_time=FIXED_ZIP_TIME, core_stamps={"modified": "2024-01-01T00:00:00Z"})


def copper_csv(projects: list[Project]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(["Наименование проекта", "Район / населённый пункт", "Область", "Период реализации", "Получатель", "Сумма, тенге", "Статус"])
    for p in projects:
        writer.writerow([p.name, p.location, REGION_HEADINGS["csv"][p.region], period_text(p.period, p.period_style),
                         p.contractor, grouped(Decimal(p.amount), places=2), p.status_text])
    return out.getvalue().encode("cp1251")


# --------------------------------------------------------------------------------------------------
# Build, truth, checks
# --------------------------------------------------------------------------------------------------

TRUTH_COLUMNS = ["source_id", "project_name", "company_id", "location", "region_code", "period_start", "period_end", "contractor",
                 "contractor_id", "amount", "currency", "status", "sector", "gender_marker", "memorandum_id", "memorandum_link"]


def of(source_id: str) -> list[Project]:
    return [p for p in PROJECTS if p.source_id == source_id]


def build() -> tuple[dict[str, bytes], list[dict]]:
    files = {
        f"{CASPIAN_HOST}{CASPIAN_PAGE}index.html": caspian_page(of(CASPIAN)).encode("utf-8"),
        f"{CASPIAN_HOST}/_redirects": b"# FROM TO STATUS (mirror server redirect rules; see sources/mirror/PROJECTS.md)\n"
                                      + f"/social-projects {CASPIAN_PAGE} 301\n".encode(),
        f"{ULGI_HOST}{ULGI_PAGE}index.html": ulgi_page(of(ULGI)).encode("utf-8"),
        f"{ZHAIK_HOST}{ZHAIK_PAGE}": zhaik_page().encode("utf-8"),
        f"{ZHAIK_HOST}{ZHAIK_XLSX}": zhaik_xlsx(of(ZHAIK)),
        f"{COPPER_HOST}{COPPER_PAGE}index.html": copper_page().encode("utf-8"),
        f"{COPPER_HOST}{COPPER_CSV}": copper_csv(of(COPPER)),
    }
    truth = []
    for p in PROJECTS:
        truth.append({
            "source_id": p.source_id, "project_name": p.name, "company_id": p.company_id, "location": p.location,
            "region_code": KATO[p.region], "period_start": p.period[0], "period_end": p.period[1], "contractor": p.contractor,
            "contractor_id": p.contractor_id, "amount": str(p.amount), "currency": "KZT", "status": p.status, "sector": p.sector,
            "gender_marker": str(p.gender_marker), "memorandum_id": memorandum_id(p.memorandum), "memorandum_link": memorandum_link(p.memorandum),
        })
    return files, truth


def verify(files: dict[str, bytes]) -> None:
    """The facts agree with the memoranda mirror; every name is fictional; every file reads back."""
    sample = _sample_mirror()
    memos = {f"{m.site}/{m.native_id}": m for m in sample.MEMORANDA}
    for p in PROJECTS:
        assert p.company in sample.COMPANIES, p.company
        for ref in [p.memorandum] if "/" in p.memorandum else []:
            memo = memos[ref]
            assert memo.company == p.company and memo.region["kato"] == KATO[p.region], (p.name, ref)
        for name in filter(None, [p.contractor]):
            assert re.search(r"Демо|Demo|Үлгі|Улги|Ulgi", name), f"contractor {name!r} must be visibly fictional"
    text = files[f"{COPPER_HOST}{COPPER_CSV}"].decode("cp1251")
    assert all(p.name in text for p in of(COPPER))
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(files[f"{ZHAIK_HOST}{ZHAIK_XLSX}"])).worksheets[0]
    names = {row[1] for row in sheet.iter_rows(values_only=True)}
    assert all(p.name in names for p in of(ZHAIK))


def truth_csv(truth: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=TRUTH_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(truth)
    return out.getvalue().encode("utf-8")


def outputs() -> dict[Path, bytes]:
    files, truth = build()
    verify(files)
    result = {MIRROR / name: data for name, data in sorted(files.items())}
    result[TRUTH] = truth_csv(truth)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="write nothing; fail if the files on disk differ from a fresh build")
    args = parser.parse_args(argv)
    wanted = outputs()
    if args.check:
        stale = [p for p, data in wanted.items() if not p.is_file() or p.read_bytes() != data]
        extra = [p for host in HOSTS for p in sorted((MIRROR / host).rglob("*")) if p.is_file() and p not in wanted]
        for p in stale + extra:
            print(f"differs: {p.relative_to(ROOT)}", file=sys.stderr)
        return 1 if stale or extra else 0
    for host in HOSTS:
        for p in sorted((MIRROR / host).rglob("*"), reverse=True):
            if p.is_file() and p not in wanted:
                p.unlink()
    for path, data in wanted.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    print(f"wrote {len(wanted) - 1} mirror files for {len(HOSTS)} fictional company sites and {len(PROJECTS)} rows to {TRUTH.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
