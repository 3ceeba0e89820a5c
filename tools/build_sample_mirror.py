#!/usr/bin/env python3
"""Build the bundled offline mirror of two akimat websites, filled with FICTIONAL sample memoranda.

    .venv/bin/python tools/build_sample_mirror.py            # write sources/mirror/... and the truth CSV
    .venv/bin/python tools/build_sample_mirror.py --check    # also fail if anything differs from what is on disk

What it writes (all of it derived from the MEMORANDA table below, so the truth file and the rendered
documents can never disagree):

- sources/mirror/www.gov.kz/...     Atyrau Region akimat on the gov.kz portal (listing pages, detail pages, /uploads/ files)
- sources/mirror/aktobe.gov.kz/...  Aktobe Region akimat's legacy site (table listing, detail pages, /files/memoranda/)
- sources/mirror/<host>/_redirects  redirect rules for the mirror server
- tests/fixtures/sample_memoranda_truth.csv  one row per memorandum: what a perfect parser would extract

Every organisation, person, amount, phone number and document here is invented. Company names all contain
"Демо", "Demo" or "Үлгі" ("sample"). Only the structure of the real sites is mirrored, not their content.

Deterministic: running it twice gives byte-identical files (reportlab invariant mode, fixed DOCX core
properties and zip timestamps, no clocks, no randomness). After writing, every PDF is read back with pypdf,
every DOCX with python-docx and every HTML page with BeautifulSoup, and the memorandum text must round-trip.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import hashlib
import html
import io
import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # run as a script or loaded by tests: find tools/zipstable.py
from zipstable import normalise_zip  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
MIRROR = ROOT / "sources" / "mirror"
TRUTH = ROOT / "tests" / "fixtures" / "sample_memoranda_truth.csv"
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
FONT_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"

GOVKZ_HOST = "www.gov.kz"
GOVKZ_ENTITY = "/memleket/entities/atyrau"
GOVKZ_LISTING = f"{GOVKZ_ENTITY}/documents/memoranda"
GOVKZ_PER_PAGE = 5
AKTOBE_HOST = "aktobe.gov.kz"
AKTOBE_LISTING = "/ru/memorandumy/"
AKTOBE_PER_PAGE = 4

NBSP = "\u00a0"

# --------------------------------------------------------------------------------------------------
# Kazakhstan BIN/IIN check digit
# --------------------------------------------------------------------------------------------------


def bin_check_digit(first11: str) -> int | None:
    """Check digit for 11 digits, or None when the number cannot be valid (the second pass also gives 10)."""
    digits = [int(c) for c in first11]
    check = sum(w * d for w, d in zip(range(1, 12), digits)) % 11
    if check == 10:
        check = sum(w * d for w, d in zip([3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2], digits)) % 11
        if check == 10:
            return None
    return check


def bin_is_valid(number: str) -> bool:
    if len(number) != 12 or not number.isdigit():
        return False
    return bin_check_digit(number[:11]) == int(number[11])


def make_bin(yymm: str, serial: int) -> str:
    """A valid BIN: registration YYMM, 4 (resident legal entity), 0 (head office), 5-digit serial, check digit."""
    while True:
        first11 = f"{yymm}40{serial:05d}"
        check = bin_check_digit(first11)
        if check is not None:
            return first11 + str(check)
        serial += 1


def typo_bin(valid: str) -> str:
    """The same BIN with a wrong check digit, as a clerk's typo would leave it."""
    wrong = valid[:11] + str((int(valid[11]) + 3) % 10)
    assert not bin_is_valid(wrong)
    return wrong


# --------------------------------------------------------------------------------------------------
# Dates in three languages
# --------------------------------------------------------------------------------------------------

RU_MONTHS_GEN = "января февраля марта апреля мая июня июля августа сентября октября ноября декабря".split()
KK_MONTHS = "қаңтар ақпан наурыз сәуір мамыр маусым шілде тамыз қыркүйек қазан қараша желтоқсан".split()
EN_MONTHS = "January February March April May June July August September October November December".split()


def ru_date(d: dt.date) -> str:
    return f"{d.day} {RU_MONTHS_GEN[d.month - 1]} {d.year} года"


def kk_date(d: dt.date) -> str:
    return f"{d.year} жылғы {d.day} {KK_MONTHS[d.month - 1]}"


def en_date(d: dt.date) -> str:
    return f"{d.day} {EN_MONTHS[d.month - 1]} {d.year}"


def en_ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def dmy(d: dt.date) -> str:
    return d.strftime("%d.%m.%Y")


def date_line(style: str, city: dict, d: dt.date) -> str:
    if style == "ru_a":
        return f"{city['ru']}, {ru_date(d)}"
    if style == "ru_b":
        return f"{city['ru']} «{d.day}» {RU_MONTHS_GEN[d.month - 1]} {d.year} г."
    if style == "ru_c":
        return f"{dmy(d)} г., {city['ru']}"
    if style == "kk_a":
        return f"{city['kk_short']}, {kk_date(d)}"
    if style == "kk_b":
        return f"{city['kk_long']}, {d.year} жылғы «{d.day}» {KK_MONTHS[d.month - 1]}"
    if style == "en_a":
        return f"{city['en']}, {en_ordinal(d.day)} of {EN_MONTHS[d.month - 1]}, {d.year}"
    if style == "en_b":
        return en_date(d)
    if style == "en_c":
        return f"{city['en']}, {en_date(d)}"
    raise ValueError(style)


# --------------------------------------------------------------------------------------------------
# Parties (all fictional)
# --------------------------------------------------------------------------------------------------

REGIONS = {
    "atyrau": {
        "kato": "230000000",
        "gov_ru": "Акимат Атырауской области",
        "gov_kk": "Атырау облысының әкімдігі",
        "gov_en": "the Akimat of Atyrau Region",
        "gen_ru": "Атырауской области",
        "gen_kk": "Атырау облысының",
        "en": "Atyrau Region",
        "city": {"ru": "г. Атырау", "kk_short": "Атырау қ.", "kk_long": "Атырау қаласы", "en": "Atyrau"},
        "akimat_bin": make_bin("9901", 273),
        "phones": ["8 (7122) 55-01-17", "8 (7122) 55-24-60", "+7 (7122) 55-38-09"],
    },
    "aktobe": {
        "kato": "150000000",
        "gov_ru": "Акимат Актюбинской области",
        "gov_kk": "Ақтөбе облысының әкімдігі",
        "gov_en": "the Akimat of Aktobe Region",
        "gen_ru": "Актюбинской области",
        "gen_kk": "Ақтөбе облысының",
        "en": "Aktobe Region",
        "city": {"ru": "г. Актобе", "kk_short": "Ақтөбе қ.", "kk_long": "Ақтөбе қаласы", "en": "Aktobe"},
        "akimat_bin": make_bin("9902", 415),
        "phones": ["8 (7132) 55-40-12", "8 (7132) 55-17-83", "+7 (7132) 55-62-00"],
    },
}

# Government signatories: genitive for "в лице ...", title and name for the signature block.
GOV_SIGNERS = {
    "aty_akim": {
        "ru_gen": "акима Атырауской области Образцова С. К.", "ru_title": "Аким Атырауской области", "ru_name": "С. Образцов",
        "kk": "облыс әкімі С. Қ. Образцов", "kk_title": "Атырау облысының әкімі", "kk_name": "С. Образцов",
    },
    "aty_deputy": {
        "ru_gen": "заместителя акима Атырауской области Үлгібаева Е. Д.", "ru_title": "Заместитель акима Атырауской области", "ru_name": "Е. Үлгібаев",
        "kk": "облыс әкімінің орынбасары Е. Д. Үлгібаев", "kk_title": "Атырау облысы әкімінің орынбасары", "kk_name": "Е. Үлгібаев",
    },
    "akt_akim": {
        "ru_gen": "акима Актюбинской области Шаблонова Р. М.", "ru_title": "Аким Актюбинской области", "ru_name": "Р. Шаблонов",
        "kk": "облыс әкімі Р. М. Шаблонов", "kk_title": "Ақтөбе облысының әкімі", "kk_name": "Р. Шаблонов",
        "en": "Mr R. Shablonov, Akim of Aktobe Region", "en_title": "Akim of Aktobe Region", "en_name": "R. Shablonov",
    },
    "akt_deputy": {
        "ru_gen": "заместителя акима Актюбинской области Примеровой А. Ж.", "ru_title": "Заместитель акима Актюбинской области", "ru_name": "А. Примерова",
        "kk": "облыс әкімінің орынбасары А. Ж. Примерова", "kk_title": "Ақтөбе облысы әкімінің орынбасары", "kk_name": "А. Примерова",
        "en": "Ms A. Primerova, Deputy Akim of Aktobe Region", "en_title": "Deputy Akim of Aktobe Region", "en_name": "A. Primerova",
    },
}

CO_SIGNERS = {
    "gd": {"ru_gen": "генерального директора Демонова И. П.", "ru_title": "Генеральный директор", "ru_name": "И. Демонов",
           "kk": "бас директор И. П. Демонов", "kk_title": "Бас директор", "kk_name": "И. Демонов",
           "en": "Mr I. Demonov, General Director", "en_title": "General Director", "en_name": "I. Demonov"},
    "board": {"ru_gen": "председателя правления Макетова Б. А.", "ru_title": "Председатель правления", "ru_name": "Б. Макетов",
              "kk": "басқарма төрағасы Б. А. Макетов", "kk_title": "Басқарма төрағасы", "kk_name": "Б. Макетов",
              "en": "Mr B. Maketov, Chairman of the Management Board", "en_title": "Chairman of the Management Board", "en_name": "B. Maketov"},
    "dir": {"ru_gen": "директора Тестовой Г. С.", "ru_title": "Директор", "ru_name": "Г. Тестова",
            "kk": "директор Г. С. Тестова", "kk_title": "Директор", "kk_name": "Г. Тестова",
            "en": "Ms G. Testova, Director", "en_title": "Director", "en_name": "G. Testova"},
}

# Eight fictional subsoil users. `contract` is the subsoil use contract the memorandum refers to (a distractor
# number and date in the text); `mobile` and `email` are contact distractors.
COMPANIES = {
    "caspian": {"ru": "ТОО «Демо Каспий Ойл»", "kk": "«Демо Каспий Ойл» ЖШС", "en": "Demo Caspian Oil LLP",
                "bin": make_bin("0508", 1537), "contract": ("1847", dt.date(2005, 6, 23)), "mobile": "+7 701 000 24 68",
                "email": "social@demo-caspian-oil.example", "bank": "KZ00 601A 0000 0018 4702"},
    "ulgi_munai": {"ru": "ТОО «Үлгі Мұнай»", "kk": "«Үлгі Мұнай» ЖШС",
                   "bin": make_bin("0705", 2816), "contract": ("2112", dt.date(2006, 5, 4)), "mobile": "+7 702 000 51 30",
                   "email": "info@ulgi-munai.example", "bank": "KZ00 926A 0000 0211 2004"},
    "zhaik": {"ru": "ТОО «Демо Жайык Минералс»", "kk": "«Демо Жайық Минералс» ЖШС", "en": "Demo Zhaik Minerals LLP",
              "bin": make_bin("1103", 592), "contract": ("3409-ТПИ", dt.date(2011, 10, 17)), "mobile": "+7 705 000 77 41",
              "email": "office@demo-zhaik.example", "bank": "KZ00 722S 0000 3409 0001"},
    "aktobe_copper": {"ru": "АО «Демо Актобе Медь»", "kk": "«Демо Ақтөбе Мыс» АҚ", "en": "Demo Aktobe Copper JSC",
                      "bin": make_bin("9511", 117), "contract": ("412", dt.date(1997, 12, 9)), "mobile": "+7 701 000 90 12",
                      "email": "csr@demo-aktobe-copper.example", "bank": "KZ00 601A 0000 0412 0097"},
    "emba": {"ru": "ТОО «Демо Эмба Газ»", "kk": "«Демо Ембі Газ» ЖШС",
             "bin": make_bin("0206", 4471), "contract": ("1020", dt.date(2002, 2, 11)), "mobile": "+7 707 000 13 58",
             "email": "pr@demo-emba-gas.example", "bank": "KZ00 856A 0000 1020 0202"},
    "tengiz": {"ru": "АО «Демо Тенгиз Мунай»", "kk": "«Демо Теңіз Мұнай» АҚ",
               "bin": make_bin("9812", 386), "contract": ("588", dt.date(1999, 3, 30)), "mobile": "+7 701 000 66 04",
               "email": "community@demo-tengiz.example", "bank": "KZ00 914A 0000 0588 1999"},
    "mugalzhar": {"ru": "ТОО «Демо Мугалжар Хром»", "kk": "«Демо Мұғалжар Хром» ЖШС", "en": "Demo Mugalzhar Chrome LLP",
                  "bin": make_bin("1309", 1824), "contract": ("5561-ТПИ", dt.date(2014, 4, 2)), "mobile": "+7 708 000 48 27",
                  "email": "info@demo-mugalzhar.example", "bank": "KZ00 998B 0000 5561 0014"},
    "ulgi_ken": {"ru": "ТОО «Үлгі Кен»", "kk": "«Үлгі Кен» ЖШС",
                 "bin": make_bin("1602", 3059), "contract": ("4870-ТПИ", dt.date(2016, 7, 28)), "mobile": "+7 747 000 30 95",
                 "email": "office@ulgi-ken.example", "bank": "KZ00 826A 0000 4870 0016"},
}

# --------------------------------------------------------------------------------------------------
# The memoranda
# --------------------------------------------------------------------------------------------------


@dataclass
class Memo:
    site: str  # "atyrau" (gov.kz) | "aktobe" (legacy site)
    native_id: str  # gov.kz numeric id | aktobe slug
    lang: str
    company: str
    signed: dt.date
    published: dt.date
    date_style: str
    delivery: str  # "html" (text only on the detail page) | "pdf" | "docx"
    title: str
    gov_signer: str
    co_signer: str
    projects: list  # [text] or, with table=True, [(text, amount or term)]
    amount_sentence: str  # the sentence as written; states "no amount" when amount is None
    amount: int | None
    currency: str | None
    period_sentence: str | None
    period_start: str = ""
    period_end: str = ""
    bin_mode: str = "valid"  # valid | typo | none
    table: bool = False
    table_head: tuple = ()
    requisites: bool = False
    contract_ref: bool = True
    phone: int = 0
    heading_variant: int = 0

    @property
    def region(self) -> dict:
        return REGIONS[self.site]

    @property
    def company_name(self) -> str:
        return COMPANIES[self.company][self.lang]

    @property
    def stated_bin(self) -> str:
        valid = COMPANIES[self.company]["bin"]
        return {"valid": valid, "typo": typo_bin(valid), "none": ""}[self.bin_mode]


D = dt.date

MEMORANDA: list[Memo] = [
    # ------------------------------ Atyrau Region, gov.kz ------------------------------
    Memo(
        site="atyrau", native_id="318506", lang="ru", company="emba", signed=D(2019, 4, 16), published=D(2019, 4, 19),
        date_style="ru_b", delivery="pdf", gov_signer="aty_akim", co_signer="gd",
        title="Меморандум о сотрудничестве в сфере развития социальной инфраструктуры Атырауской области (ТОО «Демо Эмба Газ»)",
        projects=[
            "строительство средней школы на 600 ученических мест в п. Доссор Макатского района;",
            "строительство физкультурно-оздоровительного комплекса в п. Макат;",
            "приобретение медицинского оборудования для Макатской районной больницы.",
        ],
        amount_sentence="Общая сумма финансирования составляет 1 184,6 млн тенге.", amount=1_184_600_000, currency="KZT",
        period_sentence="Реализация проектов осуществляется в 2019–2020 годах.", period_start="2019", period_end="2020",
    ),
    Memo(
        site="atyrau", native_id="356214", lang="kk", company="caspian", signed=D(2019, 10, 8), published=D(2019, 10, 15),
        date_style="kk_a", delivery="html", gov_signer="aty_deputy", co_signer="gd",
        title="«Демо Каспий Ойл» ЖШС-мен әлеуметтік инфрақұрылымды дамыту саласындағы ынтымақтастық туралы меморандум",
        projects=[
            "Атырау қаласының Береке шағынауданында 320 орындық балабақша салу;",
            "Махамбет ауданының Алмалы ауылында ұзындығы 9,2 км су құбырын салу;",
            "Исатай ауданының Аққыстау ауылындағы № 2 орта мектепті күрделі жөндеу.",
        ],
        amount_sentence="Қаржыландырудың жалпы сомасы 980 000 000 (тоғыз жүз сексен миллион) теңгені құрайды.",
        amount=980_000_000, currency="KZT",
        period_sentence="Жобалар 2020–2021 жылдары іске асырылады.", period_start="2020", period_end="2021",
        phone=1,
    ),
    Memo(
        site="atyrau", native_id="401977", lang="ru", company="tengiz", signed=D(2020, 6, 30), published=D(2020, 7, 6),
        date_style="ru_a", delivery="docx", gov_signer="aty_deputy", co_signer="board",
        title="Подписан меморандум между акиматом Атырауской области и АО «Демо Тенгиз Мунай»",
        table=True, table_head=("№", "Наименование проекта", "Сумма, тенге"),
        projects=[
            ("Капитальный ремонт школы с устройством санузлов в с. Жанбай Исатайского района", "312 800 000"),
            ("Приобретение 3 автомобилей скорой медицинской помощи", "87 500 000"),
            ("Строительство врачебной амбулатории на 50 посещений в смену в с. Тущыкудук", "145 000 000"),
        ],
        amount_sentence="Общий объём финансирования составляет 545 300 000,00 (пятьсот сорок пять миллионов триста тысяч) тенге 00 тиын.",
        amount=545_300_000, currency="KZT",
        period_sentence="Проекты реализуются в срок до 31 декабря 2021 года.", period_start="", period_end="2021-12-31",
        phone=2, heading_variant=1,
    ),
    Memo(
        site="atyrau", native_id="447310", lang="ru", company="ulgi_munai", signed=D(2021, 2, 11), published=D(2021, 2, 17),
        date_style="ru_a", delivery="pdf", gov_signer="aty_akim", co_signer="dir", bin_mode="typo",
        title="Меморандум о сотрудничестве с ТОО «Үлгі Мұнай» по водоснабжению сёл Исатайского района",
        projects=[
            "строительство водопровода протяжённостью 14,5 км к с. Аккистау Исатайского района;",
            "реконструкция водоочистных сооружений с. Аккистау производительностью 1 200 м³ в сутки;",
            "устройство 12 водоразборных колонок в с. Зинеден.",
        ],
        amount_sentence="Общая сумма финансирования составляет 850.000.000 тенге.", amount=850_000_000, currency="KZT",
        period_sentence="Реализация проектов осуществляется в 2021–2022 годах.", period_start="2021", period_end="2022",
    ),
    Memo(
        site="atyrau", native_id="489052", lang="kk", company="zhaik", signed=D(2021, 9, 3), published=D(2021, 9, 9),
        date_style="kk_b", delivery="docx", gov_signer="aty_deputy", co_signer="dir", bin_mode="none",
        title="Атырау облысының әкімдігі мен «Демо Жайық Минералс» ЖШС арасындағы ынтымақтастық туралы меморандум",
        projects=[
            "Жылыой ауданының Құлсары қаласында 280 орындық балабақша салу;",
            "көп балалы 47 отбасына әлеуметтік көмек көрсету;",
            "Жылыой аудандық орталық ауруханасына медициналық жабдық сатып алу.",
        ],
        amount_sentence="Қаржыландыру көлемі Жер қойнауын пайдаланушының өндірістік көрсеткіштерін ескере отырып, Тараптардың келісімі бойынша жыл сайын айқындалады.",
        amount=None, currency=None,
        period_sentence="Жобалар 2021–2023 жылдары іске асырылады.", period_start="2021", period_end="2023",
        contract_ref=False, phone=1,
    ),
    Memo(
        site="atyrau", native_id="534618", lang="ru", company="caspian", signed=D(2022, 4, 20), published=D(2022, 4, 22),
        date_style="ru_a", delivery="html", gov_signer="aty_akim", co_signer="gd", requisites=True,
        title="Меморандум о сотрудничестве с ТОО «Демо Каспий Ойл» по строительству социальных объектов",
        projects=[
            "строительство детского сада на 280 мест в мкр. Нурсая г. Атырау;",
            "строительство спортивного комплекса с плавательным бассейном в г. Кульсары;",
            "оказание адресной социальной помощи 120 малообеспеченным семьям Жылыойского района.",
        ],
        amount_sentence="Общая сумма финансирования составляет 2,5 млрд тенге.", amount=2_500_000_000, currency="KZT",
        period_sentence="Реализация проектов осуществляется в 2022–2024 годах.", period_start="2022", period_end="2024",
    ),
    Memo(
        site="atyrau", native_id="578341", lang="ru", company="emba", signed=D(2022, 11, 29), published=D(2022, 12, 5),
        date_style="ru_b", delivery="pdf", gov_signer="aty_deputy", co_signer="gd",
        title="Меморандум между акиматом Атырауской области и ТОО «Демо Эмба Газ» о газификации и строительстве Дома культуры",
        projects=[
            f"строительство газопровода протяжённостью 22 км к сёлам Курмангазинского района — 1{NBSP}900{NBSP}000{NBSP}000 тенге;",
            f"строительство Дома культуры на 200 мест в с. Ганюшкино — 1{NBSP}500{NBSP}000{NBSP}000 тенге.",
        ],
        amount_sentence=f"Общий объём финансирования составляет 3{NBSP}400{NBSP}000{NBSP}000 тенге.", amount=3_400_000_000, currency="KZT",
        period_sentence="Реализация проектов осуществляется с апреля 2023 года по декабрь 2024 года.", period_start="2023-04", period_end="2024-12",
        phone=1, heading_variant=1,
    ),
    Memo(
        site="atyrau", native_id="611208", lang="kk", company="ulgi_munai", signed=D(2023, 3, 14), published=D(2023, 3, 20),
        date_style="kk_a", delivery="pdf", gov_signer="aty_akim", co_signer="dir",
        title="«Үлгі Мұнай» ЖШС-мен Құрманғазы ауданын дамыту жөніндегі ынтымақтастық туралы меморандум",
        projects=[
            "Құрманғазы ауданының Ганюшкино ауылында 50 келушіге арналған дәрігерлік амбулатория салу;",
            "Ганюшкино ауылында ұзындығы 11,3 км су құбырын салу;",
            "аудан мектептері үшін 5 мектеп автобусын сатып алу.",
        ],
        amount_sentence="Қаржыландырудың жалпы сомасы 1,8 млрд теңгені құрайды.", amount=1_800_000_000, currency="KZT",
        period_sentence="Жобалар 2023–2025 жылдары іске асырылады.", period_start="2023", period_end="2025",
        phone=2,
    ),
    Memo(
        site="atyrau", native_id="652790", lang="ru", company="tengiz", signed=D(2023, 8, 2), published=D(2023, 8, 4),
        date_style="ru_c", delivery="html", gov_signer="aty_deputy", co_signer="board", bin_mode="none",
        title="Акимат Атырауской области и АО «Демо Тенгиз Мунай» подписали меморандум о социальном партнёрстве",
        projects=[
            "капитальный ремонт 4 школ Жылыойского района с устройством санузлов;",
            "благоустройство парка «Жастар» в г. Кульсары;",
            "организация летнего отдыха 300 детей из малообеспеченных семей.",
        ],
        amount_sentence="Объём финансирования определяется ежегодно по согласованию Сторон с учётом производственных показателей Недропользователя.",
        amount=None, currency=None,
        period_sentence="Реализация проектов осуществляется в 2023–2026 годах.", period_start="2023", period_end="2026",
        heading_variant=1, phone=2,
    ),
    Memo(
        site="atyrau", native_id="698455", lang="ru", company="zhaik", signed=D(2024, 3, 11), published=D(2024, 3, 13),
        date_style="ru_a", delivery="docx", gov_signer="aty_deputy", co_signer="dir",
        title="Меморандум о сотрудничестве с ТОО «Демо Жайык Минералс» по развитию Индерского района",
        table=True, table_head=("№", "Наименование проекта", "Сумма, тенге"),
        projects=[
            ("Строительство детского сада на 280 мест в п. Индерборский", "680 000 000"),
            ("Строительство водопровода протяжённостью 8,3 км в с. Есбол", "390 000 000"),
            ("Оснащение компьютерных классов в 15 школах Индерского района", "180 000 000"),
        ],
        amount_sentence="Общая сумма финансирования составляет 1 250 000 000 (один миллиард двести пятьдесят миллионов) тенге.",
        amount=1_250_000_000, currency="KZT",
        period_sentence="Реализация проектов осуществляется в 2024–2026 годах.", period_start="2024", period_end="2026",
    ),
    Memo(
        site="atyrau", native_id="741163", lang="kk", company="emba", signed=D(2024, 10, 17), published=D(2024, 10, 23),
        date_style="kk_a", delivery="docx", gov_signer="aty_deputy", co_signer="gd",
        title="Атырау облысының әкімдігі мен «Демо Ембі Газ» ЖШС әлеуметтік нысандар салу туралы меморандумға қол қойды",
        projects=[
            "Атырау қаласында жас мамандарға арналған 60 пәтерлі тұрғын үй салу;",
            "Индер ауданының Индербор кентіндегі мәдениет үйін күрделі жөндеу;",
            "Индербор кентінде спорт алаңын салу.",
        ],
        amount_sentence="Қаржыландырудың жалпы сомасы 2 000 000 000 (екі миллиард) теңгені құрайды.", amount=2_000_000_000, currency="KZT",
        period_sentence="Жобалар 2025 жылғы қаңтардан бастап 2026 жылғы желтоқсанға дейінгі кезеңде іске асырылады.",
        period_start="2025-01", period_end="2026-12",
    ),
    Memo(
        site="atyrau", native_id="786020", lang="ru", company="caspian", signed=D(2025, 5, 27), published=D(2025, 6, 2),
        date_style="ru_a", delivery="pdf", gov_signer="aty_akim", co_signer="gd", requisites=True,
        title="Меморандум о сотрудничестве с ТОО «Демо Каспий Ойл» по строительству объектов здравоохранения и образования",
        projects=[
            "строительство многопрофильной больницы на 150 коек в г. Кульсары;",
            "строительство 2 школ на 900 ученических мест каждая в г. Атырау;",
            "капитальный ремонт водопроводных сетей г. Кульсары протяжённостью 31,2 км.",
        ],
        amount_sentence="Общий объём финансирования составляет 5 812 440 тыс. тенге.", amount=5_812_440_000, currency="KZT",
        period_sentence="Реализация проектов осуществляется в 2025–2027 годах.", period_start="2025", period_end="2027",
        phone=1,
    ),
    # ------------------------------ Aktobe Region, legacy site ------------------------------
    Memo(
        site="aktobe", native_id="1187-memorandum-of-understanding-demo-zhaik-minerals", lang="en", company="zhaik",
        signed=D(2020, 1, 23), published=D(2020, 1, 28), date_style="en_a", delivery="pdf", gov_signer="akt_deputy", co_signer="gd",
        title="Memorandum of Understanding between the Akimat of Aktobe Region and Demo Zhaik Minerals LLP",
        projects=[
            "construction of a 320-place kindergarten in Kandyagash, Mugalzhar District;",
            "support for 47 single mothers in Mugalzhar District;",
            "purchase of medical equipment for the Emba district hospital.",
        ],
        amount_sentence="The total amount of financing is USD 3.2 million.", amount=3_200_000, currency="USD",
        period_sentence="The projects shall be implemented during 2020–2021.", period_start="2020", period_end="2021",
    ),
    Memo(
        site="aktobe", native_id="1243-memorandum-ao-demo-aktobe-med", lang="ru", company="aktobe_copper",
        signed=D(2020, 8, 12), published=D(2020, 8, 12), date_style="ru_a", delivery="docx", gov_signer="akt_akim", co_signer="board",
        title="Меморандум о сотрудничестве между акиматом Актюбинской области и АО «Демо Актобе Медь»",
        projects=[
            "строительство поликлиники на 250 посещений в смену в г. Хромтау;",
            "капитальный ремонт Дома культуры в с. Донское;",
            "строительство 100-квартирного жилого дома для работников бюджетной сферы в г. Хромтау.",
        ],
        amount_sentence="Общая сумма финансирования составляет 7 млрд тенге.", amount=7_000_000_000, currency="KZT",
        period_sentence="Реализация проектов осуществляется в 2020–2022 годах.", period_start="2020", period_end="2022",
        heading_variant=1,
    ),
    Memo(
        site="aktobe", native_id="1302-ulgi-ken-zhshs-pen-yntymaqtastyq-turaly-memorandum", lang="kk", company="ulgi_ken",
        signed=D(2021, 5, 25), published=D(2021, 5, 31), date_style="kk_a", delivery="pdf", gov_signer="akt_deputy", co_signer="dir",
        title="«Үлгі Кен» ЖШС-пен ынтымақтастық туралы меморандум",
        projects=[
            "Хромтау қаласында 250 орындық балабақша салу;",
            "Хромтау ауданының Абай ауылында ұзындығы 7,4 км су құбырын салу.",
        ],
        amount_sentence="Қаржыландырудың жалпы сомасы 760 млн теңгені құрайды.", amount=760_000_000, currency="KZT",
        period_sentence="Жобалар 2021–2022 жылдары іске асырылады.", period_start="2021", period_end="2022",
        phone=1,
    ),
    Memo(
        site="aktobe", native_id="1366-memorandum-too-demo-mugalzhar-hrom", lang="ru", company="mugalzhar",
        signed=D(2021, 12, 9), published=D(2021, 12, 14), date_style="ru_b", delivery="html", gov_signer="akt_deputy", co_signer="gd",
        bin_mode="none", contract_ref=False,
        title="Меморандум с ТОО «Демо Мугалжар Хром» о поддержке социальных проектов Мугалжарского района",
        projects=[
            "строительство детского сада на 160 мест в г. Кандыагаш;",
            "ремонт сельских клубов Мугалжарского района;",
            "поддержка 47 одиноких матерей и многодетных семей.",
        ],
        amount_sentence="Объём финансирования определяется ежегодно по согласованию Сторон.", amount=None, currency=None,
        period_sentence=None, phone=2,
    ),
    Memo(
        site="aktobe", native_id="1411-memorandum-demo-aktobe-copper", lang="en", company="aktobe_copper",
        signed=D(2022, 2, 4), published=D(2022, 2, 10), date_style="en_b", delivery="docx", gov_signer="akt_akim", co_signer="board",
        title="Memorandum of Cooperation with Demo Aktobe Copper JSC on Healthcare and Culture Projects in Khromtau",
        table=True, table_head=("No.", "Project", "Amount, EUR"),
        projects=[
            ("Equipment for the paediatric ward of the Khromtau district hospital", "€ 250,000"),
            ("Refurbishment of the children's music school in Khromtau", "€ 220,000"),
        ],
        amount_sentence="The total amount of financing is € 470,000.", amount=470_000, currency="EUR",
        period_sentence="The projects shall be implemented from 1 April 2022 to 31 March 2025.",
        period_start="2022-04-01", period_end="2025-03-31", phone=1,
    ),
    Memo(
        site="aktobe", native_id="1458-demo-zhaiyq-minerals-memorandum", lang="kk", company="zhaik",
        signed=D(2022, 9, 16), published=D(2022, 9, 20), date_style="kk_b", delivery="html", gov_signer="akt_akim", co_signer="gd",
        title="Ақтөбе облысының әкімдігі мен «Демо Жайық Минералс» ЖШС арасындағы меморандум",
        projects=[
            "Мұғалжар ауданының Қандыағаш қаласында 600 орындық мектеп салу;",
            "Ембі қаласындағы аудандық ауруханаға 2 жедел жәрдем көлігін сатып алу;",
            "30 студентке білім беру гранттарын бөлу.",
        ],
        amount_sentence="Қаржыландырудың жалпы сомасы 1 350 000 000 (бір миллиард үш жүз елу миллион) теңгені құрайды.",
        amount=1_350_000_000, currency="KZT",
        period_sentence="Жобалар 2022–2024 жылдары іске асырылады.", period_start="2022", period_end="2024",
    ),
    Memo(
        site="aktobe", native_id="1519-memorandum-too-ulgi-munai", lang="ru", company="ulgi_munai",
        signed=D(2023, 6, 6), published=D(2023, 6, 9), date_style="ru_a", delivery="pdf", gov_signer="akt_deputy", co_signer="dir",
        requisites=True,
        title="Меморандум о сотрудничестве между акиматом Актюбинской области и ТОО «Үлгі Мұнай»",
        projects=[
            "капитальный ремонт школы с устройством санузлов в с. Жем;",
            "приобретение школьного автобуса для школ Мугалжарского района;",
            "выплата стипендий 25 студентам из Мугалжарского района.",
        ],
        amount_sentence=f"Общая сумма финансирования составляет 96{NBSP}500{NBSP}000 (девяносто шесть миллионов пятьсот тысяч) тенге.",
        amount=96_500_000, currency="KZT",
        period_sentence="Реализация проектов осуществляется с 1 июля 2023 года по 30 июня 2024 года.",
        period_start="2023-07-01", period_end="2024-06-30", phone=2,
    ),
    Memo(
        site="aktobe", native_id="1574-memorandum-demo-mugalzhar-chrome", lang="en", company="mugalzhar",
        signed=D(2024, 1, 30), published=D(2024, 2, 2), date_style="en_c", delivery="pdf", gov_signer="akt_deputy", co_signer="dir",
        title="Memorandum of Understanding with Demo Mugalzhar Chrome LLP on Water Supply and Schools",
        projects=[
            "construction of a 14.5 km water supply pipeline to Zhanazhol village;",
            "capital repair of secondary school No. 4 in Kandyagash, including indoor sanitary facilities;",
            "construction of a sports ground in Emba.",
        ],
        amount_sentence="The total amount of financing is KZT 1,750,000,000 (one billion seven hundred and fifty million tenge).",
        amount=1_750_000_000, currency="KZT",
        period_sentence="The projects shall be implemented in 2024–2025.", period_start="2024", period_end="2025",
    ),
    Memo(
        site="aktobe", native_id="1630-demo-aqtobe-mys-aq-memorandum", lang="kk", company="aktobe_copper",
        signed=D(2024, 9, 10), published=D(2024, 9, 16), date_style="kk_a", delivery="docx", gov_signer="akt_akim", co_signer="board",
        title="«Демо Ақтөбе Мыс» АҚ-мен Шалқар ауданын дамыту жөніндегі меморандум",
        table=True, table_head=("№", "Жобаның атауы", "Іске асыру мерзімі"),
        projects=[
            ("Шалқар қаласында жүзу бассейнін салу", "2024–2025 жж."),
            ("Шалқар қаласындағы № 3 мектепті санитарлық тораптар орната отырып күрделі жөндеу", "2025 ж."),
            ("Мүгедектігі бар балаларға арналған оңалту орталығын жабдықтау", "2026 ж."),
        ],
        amount_sentence="Қаржыландыру көлемі Тараптардың келісімі бойынша жыл сайын айқындалады.", amount=None, currency=None,
        period_sentence="Жобалар 2024–2026 жылдары іске асырылады.", period_start="2024", period_end="2026",
        phone=1,
    ),
    Memo(
        site="aktobe", native_id="1688-memorandum-too-ulgi-ken", lang="ru", company="ulgi_ken",
        signed=D(2025, 4, 15), published=D(2025, 4, 18), date_style="ru_c", delivery="pdf", gov_signer="akt_akim", co_signer="gd",
        title="Меморандум о сотрудничестве с ТОО «Үлгі Кен» по строительству школы и водопровода",
        projects=[
            "строительство средней школы на 1 200 ученических мест в г. Актобе;",
            "строительство водопровода протяжённостью 18,6 км к сёлам Каргалинского района;",
            "строительство физкультурно-оздоровительного комплекса в с. Бадамша.",
        ],
        amount_sentence="Общая сумма финансирования составляет 4,25 млрд тенге.", amount=4_250_000_000, currency="KZT",
        period_sentence="Реализация проектов осуществляется в 2025–2026 годах.", period_start="2025", period_end="2026",
        heading_variant=1,
    ),
]

# --------------------------------------------------------------------------------------------------
# Memorandum text as blocks: ("title"|"heading"|"p"|"item"|"table"|"sign", payload)
# --------------------------------------------------------------------------------------------------


def _bin_phrase(memo: Memo, label: str) -> str:
    return f" ({label} {memo.stated_bin})" if memo.stated_bin else ""


def text_ru(memo: Memo) -> list[tuple]:
    reg, co, gs, cs = memo.region, COMPANIES[memo.company], GOV_SIGNERS[memo.gov_signer], CO_SIGNERS[memo.co_signer]
    subtitle = ("о сотрудничестве в сфере развития социальной инфраструктуры" if memo.heading_variant == 0
                else "о взаимопонимании и сотрудничестве по финансированию социальных проектов")
    blocks = [("title", "МЕМОРАНДУМ"), ("title", subtitle), ("p", date_line(memo.date_style, reg["city"], memo.signed))]
    blocks.append(("p", (
        f"{reg['gov_ru']}, именуемый в дальнейшем «Акимат», в лице {gs['ru_gen']}, действующего на основании Закона "
        "Республики Казахстан «О местном государственном управлении и самоуправлении в Республике Казахстан», с одной "
        f"стороны, и {memo.company_name}{_bin_phrase(memo, 'БИН')}, именуемое в дальнейшем «Недропользователь», в лице "
        f"{cs['ru_gen']}, действующего на основании Устава, с другой стороны, совместно именуемые «Стороны», заключили "
        "настоящий Меморандум о нижеследующем:")))
    blocks.append(("heading", "1. Предмет Меморандума"))
    basis = ""
    if memo.contract_ref:
        number, signed = co["contract"]
        basis = f" в рамках исполнения Недропользователем обязательств по Контракту на недропользование № {number} от {dmy(signed)} г."
    blocks.append(("p", (
        "1.1. Настоящий Меморандум определяет основные направления сотрудничества Сторон по финансированию "
        f"строительства, реконструкции и ремонта объектов социальной инфраструктуры {reg['gen_ru']}{basis or '.'}")))
    blocks.append(("heading", "2. Обязательства Сторон"))
    blocks.append(("p", "2.1. Недропользователь осуществляет финансирование следующих проектов:"))
    blocks.extend(_project_blocks(memo, "ru"))
    n = 2
    blocks.append(("p", f"2.{n}. {memo.amount_sentence}"))
    if memo.period_sentence:
        n += 1
        blocks.append(("p", f"2.{n}. {memo.period_sentence}"))
    blocks.append(("p", f"2.{n + 1}. Акимат обеспечивает выделение земельных участков, разработку проектно-сметной "
                        "документации и приёмку построенных объектов в коммунальную собственность."))
    blocks.append(("heading", "3. Заключительные положения"))
    blocks.append(("p", "3.1. Настоящий Меморандум не является юридически обязывающим документом и вступает в силу со дня "
                        "его подписания Сторонами."))
    blocks.append(("p", f"3.2. Контактные лица: от Акимата — управление экономики и бюджетного планирования, тел. "
                        f"{reg['phones'][memo.phone]}; от Недропользователя — отдел по связям с общественностью, тел. "
                        f"{co['mobile']}, e-mail: {co['email']}."))
    blocks.append(("p", "3.3. Меморандум составлен в двух экземплярах на казахском и русском языках, имеющих одинаковую силу."))
    if memo.requisites:
        blocks.append(("heading", "4. Реквизиты Сторон"))
        blocks.append(("p", f"{reg['gov_ru']}: БИН {reg['akimat_bin']}, ИИК KZ00 070K 0000 0000 0001 в РГУ «Комитет казначейства "
                            "Министерства финансов Республики Казахстан»."))
        blocks.append(("p", f"{memo.company_name}: БИН {memo.stated_bin}, ИИК {co['bank']}, БИК DEMOKZKA."))
    blocks.append(("sign", f"От Акимата: {gs['ru_title']} ____________ {gs['ru_name']}"))
    blocks.append(("sign", f"От Недропользователя: {cs['ru_title']} {memo.company_name} ____________ {cs['ru_name']}"))
    return blocks


def text_kk(memo: Memo) -> list[tuple]:
    reg, co, gs, cs = memo.region, COMPANIES[memo.company], GOV_SIGNERS[memo.gov_signer], CO_SIGNERS[memo.co_signer]
    blocks = [("title", "ӘЛЕУМЕТТІК ИНФРАҚҰРЫЛЫМДЫ ДАМЫТУ САЛАСЫНДАҒЫ ЫНТЫМАҚТАСТЫҚ ТУРАЛЫ"), ("title", "МЕМОРАНДУМ"),
              ("p", date_line(memo.date_style, reg["city"], memo.signed))]
    blocks.append(("p", (
        f"Бұдан әрі «Әкімдік» деп аталатын {reg['gov_kk']} атынан «Қазақстан Республикасындағы жергілікті мемлекеттік "
        f"басқару және өзін-өзі басқару туралы» Қазақстан Республикасының Заңы негізінде әрекет ететін {gs['kk']}, бір "
        f"тараптан, және бұдан әрі «Жер қойнауын пайдаланушы» деп аталатын {memo.company_name}{_bin_phrase(memo, 'БСН')} "
        f"атынан Жарғы негізінде әрекет ететін {cs['kk']}, екінші тараптан, бірлесіп «Тараптар» деп аталатындар, "
        "төмендегілер туралы осы Меморандумды жасасты:")))
    blocks.append(("heading", "1. Меморандумның мәні"))
    basis = ""
    if memo.contract_ref:
        number, signed = co["contract"]
        basis = (f"Жер қойнауын пайдаланушының {dmy(signed)} жылғы № {number} жер қойнауын пайдалануға арналған "
                 "келісімшарт бойынша міндеттемелерін орындау шеңберінде ")
    blocks.append(("p", (
        f"1.1. Осы Меморандум {basis}{reg['gen_kk']} әлеуметтік инфрақұрылым объектілерін салуды, реконструкциялауды "
        "және жөндеуді қаржыландыру жөніндегі Тараптар ынтымақтастығының негізгі бағыттарын айқындайды.")))
    blocks.append(("heading", "2. Тараптардың міндеттемелері"))
    blocks.append(("p", "2.1. Жер қойнауын пайдаланушы мынадай жобаларды қаржыландырады:"))
    blocks.extend(_project_blocks(memo, "kk"))
    n = 2
    blocks.append(("p", f"2.{n}. {memo.amount_sentence}"))
    if memo.period_sentence:
        n += 1
        blocks.append(("p", f"2.{n}. {memo.period_sentence}"))
    blocks.append(("p", f"2.{n + 1}. Әкімдік жер учаскелерін бөлуді, жобалау-сметалық құжаттаманы әзірлеуді және салынған "
                        "объектілерді коммуналдық меншікке қабылдауды қамтамасыз етеді."))
    blocks.append(("heading", "3. Қорытынды ережелер"))
    blocks.append(("p", "3.1. Осы Меморандум заңды міндеттемелер туғызбайды және Тараптар қол қойған күннен бастап күшіне енеді."))
    blocks.append(("p", f"3.2. Байланыс телефондары: Әкімдік — {reg['phones'][memo.phone]}; Жер қойнауын пайдаланушы — "
                        f"{co['mobile']}, e-mail: {co['email']}."))
    blocks.append(("p", "3.3. Меморандум бірдей күші бар қазақ және орыс тілдерінде екі данада жасалды."))
    blocks.append(("sign", f"Әкімдік атынан: {gs['kk_title']} ____________ {gs['kk_name']}"))
    blocks.append(("sign", f"Жер қойнауын пайдаланушы атынан: {memo.company_name}, {cs['kk_title'].lower()} ____________ {cs['kk_name']}"))
    return blocks


def text_en(memo: Memo) -> list[tuple]:
    reg, co, gs, cs = memo.region, COMPANIES[memo.company], GOV_SIGNERS[memo.gov_signer], CO_SIGNERS[memo.co_signer]
    blocks = [("title", "MEMORANDUM OF UNDERSTANDING"), ("title", "on cooperation in the development of social infrastructure")]
    if memo.date_style == "en_b":
        blocks.append(("p", f"{reg['city']['en']}, Republic of Kazakhstan"))
    blocks.append(("p", date_line(memo.date_style, reg["city"], memo.signed)))
    gov = reg["gov_en"][0].upper() + reg["gov_en"][1:]
    blocks.append(("p", (
        f"{gov} (hereinafter the “Akimat”), represented by {gs['en']}, acting under the Law of the Republic of "
        "Kazakhstan “On Local Government and Self-Government in the Republic of Kazakhstan”, on the one part, and "
        f"{memo.company_name}{_bin_phrase(memo, 'BIN')} (hereinafter the “Subsoil User”), represented by {cs['en']}, "
        "acting on the basis of its Charter, on the other part (together the “Parties”), have agreed as follows:")))
    blocks.append(("heading", "1. Subject"))
    number, signed = co["contract"]
    blocks.append(("p", (
        "1.1. This Memorandum sets out the main areas of cooperation between the Parties in financing the construction, "
        f"reconstruction and repair of social infrastructure in {reg['en']} under the Subsoil User’s obligations "
        f"pursuant to Subsoil Use Contract No. {number} dated {en_date(signed)}.")))
    blocks.append(("heading", "2. Projects and financing"))
    blocks.append(("p", "2.1. The Subsoil User shall finance the following projects:"))
    blocks.extend(_project_blocks(memo, "en"))
    blocks.append(("p", f"2.2. {memo.amount_sentence}"))
    blocks.append(("p", f"2.3. {memo.period_sentence}"))
    blocks.append(("p", "2.4. The Akimat shall allocate land plots, arrange for the design and cost estimate documentation and "
                        "accept the completed facilities into municipal ownership."))
    blocks.append(("heading", "3. Final provisions"))
    blocks.append(("p", "3.1. This Memorandum is not legally binding and enters into force on the date of its signature by the Parties."))
    blocks.append(("p", f"3.2. Contacts: for the Akimat — Department of Economy and Budget Planning, tel. {reg['phones'][memo.phone]}; "
                        f"for the Subsoil User — Public Relations, tel. {co['mobile']}, e-mail: {co['email']}."))
    blocks.append(("p", "3.3. This Memorandum is made in two copies in the English and Russian languages, both equally valid."))
    blocks.append(("sign", f"For the Akimat: {gs['en_title']} ____________ {gs['en_name']}"))
    blocks.append(("sign", f"For the Subsoil User: {cs['en_title']}, {memo.company_name} ____________ {cs['en_name']}"))
    return blocks


def _project_blocks(memo: Memo, lang: str) -> list[tuple]:
    if memo.table:
        return [("table", [list(memo.table_head)] + [[str(i), text, value] for i, (text, value) in enumerate(memo.projects, 1)])]
    if lang == "en":
        return [("item", f"({'abcdefgh'[i]}) {text}") for i, text in enumerate(memo.projects)]
    return [("item", f"{i}) {text}") for i, text in enumerate(memo.projects, 1)]


def memo_blocks(memo: Memo) -> list[tuple]:
    return {"ru": text_ru, "kk": text_kk, "en": text_en}[memo.lang](memo)


def block_lines(blocks: list[tuple]) -> list[str]:
    """Every text fragment of a memorandum in reading order (table cells one by one)."""
    out = []
    for kind, payload in blocks:
        if kind == "table":
            out.extend(cell for row in payload for cell in row)
        else:
            out.append(payload)
    return out


# --------------------------------------------------------------------------------------------------
# PDF and DOCX renderers
# --------------------------------------------------------------------------------------------------


def render_pdf(memo: Memo, blocks: list[tuple]) -> bytes:
    from reportlab import rl_config

    rl_config.invariant = 1
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    if "DejaVuSans" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVuSans", FONT))
        pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", FONT_BOLD))
    body = ParagraphStyle("body", fontName="DejaVuSans", fontSize=10.5, leading=14, alignment=TA_JUSTIFY, spaceAfter=5)
    styles = {
        "title": ParagraphStyle("title", parent=body, fontName="DejaVuSans-Bold", fontSize=12, alignment=TA_CENTER, spaceAfter=3),
        "heading": ParagraphStyle("heading", parent=body, fontName="DejaVuSans-Bold", spaceBefore=6),
        "p": body,
        "item": ParagraphStyle("item", parent=body, leftIndent=8 * mm),
        "sign": ParagraphStyle("sign", parent=body, spaceBefore=10),
    }
    story = []
    for kind, payload in blocks:
        if kind == "table":
            rows = [[Paragraph(html.escape(cell, quote=False), body) for cell in row] for row in payload]
            table = Table(rows, colWidths=[12 * mm, 118 * mm, 40 * mm])
            table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
            story += [table, Spacer(1, 4 * mm)]
        else:
            story.append(Paragraph(html.escape(payload, quote=False), styles[kind]))
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=25 * mm, rightMargin=15 * mm, topMargin=20 * mm, bottomMargin=20 * mm,
        title=memo.title, author=memo.region[f"gov_{memo.lang}"] if memo.lang != "en" else "Akimat of Aktobe Region",
        subject="Memorandum", creator="Microsoft Word", invariant=1,
    )
    doc.build(story)
    return buffer.getvalue()


def render_docx(memo: Memo, blocks: list[tuple]) -> bytes:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    document = docx.Document()
    normal = document.styles["Normal"]
    normal.font.name = "Times New Roman"
    normal.font.size = Pt(12)
    for kind, payload in blocks:
        if kind == "table":
            table = document.add_table(rows=0, cols=len(payload[0]))
            table.style = "Table Grid"
            for r, row in enumerate(payload):
                cells = table.add_row().cells
                for cell, value in zip(cells, row):
                    cell.text = value
                    if r == 0:
                        for run in cell.paragraphs[0].runs:
                            run.bold = True
            document.add_paragraph("")
            continue
        paragraph = document.add_paragraph()
        run = paragraph.add_run(payload)
        if kind in ("title", "heading"):
            run.bold = True
        if kind == "title":
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        elif kind in ("p", "item"):
            paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        if kind == "item":
            paragraph.paragraph_format.left_indent = Pt(18)
    stamp = dt.datetime(memo.signed.year, memo.signed.month, memo.signed.day, 9, 30, 0)
    props = document.core_properties
    props.author = "user"
    props.last_modified_by = "user"
    props.title = ""
    props.subject = ""
    props.keywords = ""
    props.comments = ""
    props.category = ""
    props.created = stamp
    props.modified = stamp
    props.last_printed = stamp
    props.revision = 1
    buffer = io.BytesIO()
    document.save(buffer)
    return normalise_zip(buffer.getvalue())


# --------------------------------------------------------------------------------------------------
# HTML: gov.kz (site 1)
# --------------------------------------------------------------------------------------------------


def esc(text: str) -> str:
    return html.escape(text, quote=False).replace(NBSP, "&nbsp;")


def attr(text: str) -> str:
    return html.escape(text, quote=True)


def blocks_to_html(blocks: list[tuple], indent: str = "") -> str:
    lines = []
    for kind, payload in blocks:
        if kind == "title":
            lines.append(f'<p style="text-align: center;"><strong>{esc(payload)}</strong></p>')
        elif kind == "heading":
            lines.append(f"<p><strong>{esc(payload)}</strong></p>")
        elif kind == "table":
            rows = "".join("<tr>" + "".join(f"<td>{esc(c)}</td>" for c in row) + "</tr>" for row in payload)
            lines.append(f'<table border="1">{rows}</table>')
        else:
            lines.append(f"<p>{esc(payload)}</p>")
    return "\n".join(indent + line for line in lines)


def upload_path(memo: Memo) -> str:
    digest = hashlib.sha256(f"ashyq-sample/{memo.site}/{memo.native_id}".encode()).hexdigest()[:32]
    p = memo.published
    return f"/uploads/{p.year}/{p.month}/{p.day}/{digest}_original.{memo.delivery}"


def govkz_detail_path(memo: Memo) -> str:
    lang = "kk" if memo.lang == "kk" else "ru"
    return f"{GOVKZ_ENTITY}/documents/details/{memo.native_id}?lang={lang}"


GOVKZ_UI = {
    "ru": {"portal": "Единая платформа интернет-ресурсов государственных органов", "entity": "Акимат Атырауской области",
           "menu": [("about", "Об акимате"), ("press/news", "Новости"), ("documents", "Документы"), ("contacts", "Контакты")],
           "documents": "Документы", "memoranda": "Меморандумы", "search": "Поиск по сайту",
           "cookie": "Портал использует файлы cookie для корректной работы и сбора статистики. Продолжая использование портала, вы соглашаетесь с этим.",
           "accept": "Принять", "more": "Подробнее", "news": "Новости акимата",
           "footer": "© 2025 Акимат Атырауской области. При использовании материалов ссылка на источник обязательна.",
           "contact": "Единый контакт-центр: 1414", "attachments": "Прикреплённые файлы", "published": "Дата публикации",
           "back": "Вернуться к списку"},
    "kk": {"portal": "Мемлекеттік органдардың интернет-ресурстарының бірыңғай платформасы", "entity": "Атырау облысының әкімдігі",
           "menu": [("about", "Әкімдік туралы"), ("press/news", "Жаңалықтар"), ("documents", "Құжаттар"), ("contacts", "Байланыс")],
           "documents": "Құжаттар", "memoranda": "Меморандумдар", "search": "Сайт бойынша іздеу",
           "cookie": "Портал дұрыс жұмыс істеуі және статистика жинау үшін cookie файлдарын пайдаланады. Порталды пайдалануды жалғастыра отырып, сіз бұған келісесіз.",
           "accept": "Қабылдау", "more": "Толығырақ", "news": "Әкімдік жаңалықтары",
           "footer": "© 2025 Атырау облысының әкімдігі. Материалдарды пайдаланған кезде дереккөзге сілтеме міндетті.",
           "contact": "Бірыңғай байланыс орталығы: 1414", "attachments": "Тіркелген файлдар", "published": "Жарияланған күні",
           "back": "Тізімге оралу"},
}

GOVKZ_NEWS = [
    ("812044", "Аким области провёл приём граждан по личным вопросам", "05.06.2025"),
    ("811907", "В Атырау прошёл областной турнир по шахматам среди школьников", "03.06.2025"),
    ("811650", "О ходе подготовки к отопительному сезону 2025–2026 годов", "30.05.2025"),
]


def govkz_page(lang: str, title: str, main: str, self_path: str) -> str:
    ui = GOVKZ_UI[lang]
    base, _, _ = self_path.partition("?")
    menu = "\n".join(f'        <li><a href="{GOVKZ_ENTITY}/{slug}?lang={lang}">{esc(label)}</a></li>' for slug, label in ui["menu"])
    news = "\n".join(
        f'        <li><a href="{GOVKZ_ENTITY}/press/news/details/{nid}?lang=ru">{esc(text)}</a> <span class="news-date">{date}</span></li>'
        for nid, text, date in GOVKZ_NEWS
    )
    return f"""<!DOCTYPE html>
<html lang="{lang}">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{esc(title)} | {esc(ui['entity'])} | gov.kz</title>
  <link rel="stylesheet" href="/static/css/portal.min.css">
  <link rel="alternate" hreflang="kk" href="https://www.gov.kz{attr(base)}?lang=kk">
  <link rel="alternate" hreflang="ru" href="https://www.gov.kz{attr(base)}?lang=ru">
</head>
<body class="entity-page">
  <div class="cookie-notice" id="cookie-notice" role="dialog">
    <p>{esc(ui['cookie'])} <a href="/privacy?lang={lang}">{esc(ui['more'])}</a></p>
    <button type="button" class="cookie-accept">{esc(ui['accept'])}</button>
  </div>
  <header class="portal-header">
    <a class="portal-logo" href="/?lang={lang}">GOV.KZ — {esc(ui['portal'])}</a>
    <div class="lang-switch"><a href="{attr(base)}?lang=kk">Қаз</a> <a href="{attr(base)}?lang=ru">Рус</a> <a href="{attr(base)}?lang=en">Eng</a></div>
    <form class="portal-search" action="/search" method="get"><input type="search" name="query" placeholder="{attr(ui['search'])}"><button type="submit">🔍</button></form>
  </header>
  <div class="entity-header">
    <a class="entity-name" href="{GOVKZ_ENTITY}?lang={lang}">{esc(ui['entity'])}</a>
    <nav class="entity-menu">
      <ul>
{menu}
      </ul>
    </nav>
  </div>
  <main class="entity-content">
{main}
  </main>
  <aside class="entity-sidebar">
    <h3>{esc(ui['news'])}</h3>
    <ul class="news-list">
{news}
    </ul>
  </aside>
  <footer class="portal-footer">
    <p>{esc(ui['footer'])}</p>
    <p>{esc(ui['contact'])}</p>
  </footer>
  <script src="/static/js/portal.min.js" defer></script>
</body>
</html>
"""


def govkz_listing(page: int, pages: int, memos: list[Memo]) -> str:
    ui = GOVKZ_UI["ru"]
    items = "\n".join(
        f'        <li class="document-item"><a class="document-link" href="{attr(govkz_detail_path(m))}">{esc(m.title)}</a> '
        f'<span class="document-date">{dmy(m.published)}</span></li>'
        for m in memos
    )
    links = []
    if page > 1:
        links.append(f'<a rel="prev" href="{GOVKZ_LISTING}?page={page - 1}">Предыдущая</a>')
    for n in range(1, pages + 1):
        links.append(f'<span class="current">{n}</span>' if n == page else f'<a href="{GOVKZ_LISTING}?page={n}">{n}</a>')
    if page < pages:
        links.append(f'<a rel="next" href="{GOVKZ_LISTING}?page={page + 1}">Следующая</a>')
    main = f"""    <nav class="breadcrumbs"><a href="{GOVKZ_ENTITY}?lang=ru">{esc(ui['entity'])}</a> / <a href="{GOVKZ_ENTITY}/documents?lang=ru">{esc(ui['documents'])}</a> / <span>{esc(ui['memoranda'])}</span></nav>
    <h1 class="page-title">{esc(ui['memoranda'])}</h1>
    <section class="documents">
      <ul class="documents-list">
{items}
      </ul>
      <nav class="pagination">
        {' '.join(links)}
      </nav>
    </section>"""
    return govkz_page("ru", ui["memoranda"], main, f"{GOVKZ_LISTING}?page={page}")


GOVKZ_ANNOUNCE = {
    "ru": ("{date} {gov_lower} и {company} подписали меморандум о сотрудничестве в сфере развития социальной "
           "инфраструктуры региона. Документ предусматривает финансирование строительства и ремонта социальных объектов "
           "за счёт средств недропользователя. Полный текст меморандума размещён во вложении."),
    "kk": ("{date} {gov} мен {company} әлеуметтік инфрақұрылымды дамыту саласындағы ынтымақтастық туралы меморандумға "
           "қол қойды. Құжат жер қойнауын пайдаланушының қаражаты есебінен әлеуметтік нысандарды салуды және жөндеуді "
           "көздейді. Меморандумның толық мәтіні тіркелген файлда."),
}


def govkz_detail(memo: Memo, blocks: list[tuple], attachment_name: str | None) -> str:
    lang = "kk" if memo.lang == "kk" else "ru"
    ui = GOVKZ_UI[lang]
    if memo.delivery == "html":
        body = blocks_to_html(blocks, "        ")
        attachments = ""
    else:
        reg = memo.region
        if lang == "ru":
            text = GOVKZ_ANNOUNCE["ru"].format(date=ru_date(memo.signed), gov_lower="акимат Атырауской области", company=memo.company_name)
        else:
            text = GOVKZ_ANNOUNCE["kk"].format(date=kk_date(memo.signed) + " күні", gov=reg["gov_kk"], company=memo.company_name)
        body = f"        <p>{esc(text)}</p>"
        attachments = (f'\n      <h2 class="attachments-title">{esc(ui["attachments"])}</h2>\n      <ul class="attachments">\n'
                       f'        <li><a class="attachment" href="{attr(upload_path(memo))}">{esc(attachment_name)}</a></li>\n      </ul>')
    main = f"""    <nav class="breadcrumbs"><a href="{GOVKZ_ENTITY}?lang={lang}">{esc(ui['entity'])}</a> / <a href="{GOVKZ_LISTING}?page=1">{esc(ui['memoranda'])}</a></nav>
    <article class="document">
      <h1 class="document-title">{esc(memo.title)}</h1>
      <div class="document-meta"><span class="document-label">{esc(ui['published'])}:</span> <span class="document-date">{dmy(memo.published)}</span></div>
      <div class="document-body">
{body}
      </div>{attachments}
    </article>
    <p class="back-link"><a href="{GOVKZ_LISTING}">{esc(ui['back'])}</a></p>"""
    return govkz_page(lang, memo.title, main, govkz_detail_path(memo))


def govkz_attachment_name(memo: Memo) -> str:
    short = memo.company_name.replace("«", "").replace("»", "")
    word = "Меморандум"
    return f"{word} {short} {dmy(memo.signed)}.{memo.delivery}"


# --------------------------------------------------------------------------------------------------
# HTML: aktobe.gov.kz (site 2)
# --------------------------------------------------------------------------------------------------


def aktobe_detail_path(memo: Memo) -> str:
    return f"{AKTOBE_LISTING}{memo.native_id}.html"


def aktobe_file_path(memo: Memo) -> str:
    return f"/files/memoranda/{memo.native_id}.{memo.delivery}"


def aktobe_page_path(n: int) -> str:
    return f"{AKTOBE_LISTING}page/{n}/"


AKTOBE_NEWS = [
    ("2025-06-04-o-provedenii-sabantuya", "О проведении областного сабантуя", "04.06.2025"),
    ("2025-06-02-vstrecha-s-fermerami", "Аким области встретился с фермерами Алгинского района", "02.06.2025"),
    ("2025-05-29-otchet-o-ispolnenii-byudzheta", "Отчёт об исполнении областного бюджета за I квартал 2025 года", "29.05.2025"),
]


def aktobe_page(title: str, content: str) -> str:
    news = "\n".join(f'      <li><span class="date">{d}</span> <a href="/ru/news/{slug}.html">{esc(t)}</a></li>' for slug, t, d in AKTOBE_NEWS)
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="ru" lang="ru">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<title>{esc(title)} :: Официальный интернет-ресурс акимата Актюбинской области</title>
<link href="/templates/aktobe/css/style.css" rel="stylesheet" type="text/css" />
<script type="text/javascript" src="/templates/aktobe/js/jquery-1.4.2.min.js"></script>
</head>
<body>
<div id="wrapper">
  <div id="header">
    <a href="/ru/"><img src="/templates/aktobe/images/gerb.png" alt="Герб" width="64" height="64" /></a>
    <span class="site-name">Официальный интернет-ресурс акимата Актюбинской области</span>
    <div class="langs"><a href="/kz/">Қазақша</a> | <a href="/ru/">Русский</a> | <a href="/en/">English</a></div>
  </div>
  <ul id="menu">
    <li><a href="/ru/">Главная</a></li>
    <li><a href="/ru/akim/">Аким области</a></li>
    <li><a href="/ru/news/">Новости</a></li>
    <li><a href="/ru/memorandumy/">Меморандумы</a></li>
    <li><a href="/ru/contacts/">Контакты</a></li>
  </ul>
  <div id="sidebar">
    <h3>Последние новости</h3>
    <ul class="news">
{news}
    </ul>
    <div class="counter"><img src="/counter.php?id=1" alt="" width="88" height="31" /></div>
  </div>
{content}
  <div id="footer">
    © 2008–2025 Аппарат акима Актюбинской области. Все права защищены.<br />
    Телефон доверия: 8 (7132) 55-00-00. При перепечатке материалов ссылка на сайт обязательна.
  </div>
</div>
<div id="cookie-bar">Сайт использует cookies. <a href="#" onclick="document.getElementById('cookie-bar').style.display='none';return false;">Закрыть</a></div>
</body>
</html>
"""


def aktobe_listing(page: int, pages: int, memos: list[Memo]) -> str:
    rows = []
    for m in memos:
        file_cell = f'<a href="{attr(aktobe_file_path(m))}">скачать</a>' if m.delivery != "html" else ""
        rows.append(f'      <tr><td class="date">{dmy(m.published)}</td><td class="title"><a href="{attr(aktobe_detail_path(m))}">'
                    f'{esc(m.title)}</a></td><td class="file">{file_cell}</td></tr>')
    pager = []
    if page > 1:
        prev = AKTOBE_LISTING if page == 2 else aktobe_page_path(page - 1)
        pager.append(f'<a class="prev" href="{prev}">←</a>')
    for n in range(1, pages + 1):
        pager.append(f'<span class="current">{n}</span>' if n == page
                     else f'<a href="{AKTOBE_LISTING if n == 1 else aktobe_page_path(n)}">{n}</a>')
    if page < pages:
        pager.append(f'<a class="next" href="{aktobe_page_path(page + 1)}">→</a>')
    rows_html = "\n".join(rows)
    content = f"""  <div id="content">
    <div class="path"><a href="/ru/">Главная</a> » Меморандумы</div>
    <h1>Меморандумы с недропользователями</h1>
    <p class="intro">Меморандумы о сотрудничестве, заключённые акиматом Актюбинской области с недропользователями в целях развития социальной инфраструктуры региона.</p>
    <table class="memoranda" cellspacing="0" cellpadding="4">
      <tr><th>Дата</th><th>Наименование</th><th>Файл</th></tr>
{rows_html}
    </table>
    <div class="pager">{' '.join(pager)}</div>
  </div>"""
    return aktobe_page("Меморандумы", content)


AKTOBE_ANNOUNCE = {
    "ru": ("Акимат Актюбинской области и {company} подписали меморандум о сотрудничестве в сфере развития социальной "
           "инфраструктуры. Текст меморандума доступен для скачивания."),
    "kk": ("Ақтөбе облысының әкімдігі мен {company} әлеуметтік инфрақұрылымды дамыту саласындағы ынтымақтастық туралы "
           "меморандумға қол қойды. Меморандум мәтінін жүктеп алуға болады."),
    "en": ("The Akimat of Aktobe Region and {company} have signed a memorandum of understanding on cooperation in the "
           "development of social infrastructure. The full text of the memorandum is available for download."),
}
AKTOBE_DOWNLOAD = {"ru": "Скачать текст меморандума", "kk": "Меморандум мәтінін жүктеу", "en": "Download the memorandum"}


def aktobe_detail(memo: Memo, blocks: list[tuple], size: int | None) -> str:
    if memo.delivery == "html":
        text = blocks_to_html(blocks, "      ")
    else:
        kb = max(1, round(size / 1024))
        text = (f"      <p>{esc(AKTOBE_ANNOUNCE[memo.lang].format(company=memo.company_name))}</p>\n"
                f'      <p><a href="{attr(aktobe_file_path(memo))}">{esc(AKTOBE_DOWNLOAD[memo.lang])}</a> '
                f"({memo.delivery.upper()}, {kb} КБ)</p>")
    content = f"""  <div id="content">
    <div class="path"><a href="/ru/">Главная</a> » <a href="/ru/memorandumy/">Меморандумы</a></div>
    <h2>{esc(memo.title)}</h2>
    <div class="text">
{text}
    </div>
    <div class="published">Опубликовано: {dmy(memo.published)}</div>
  </div>"""
    return aktobe_page(memo.title, content)


# --------------------------------------------------------------------------------------------------
# Assembly
# --------------------------------------------------------------------------------------------------

TRUTH_COLUMNS = ["source_id", "native_id", "detail_url", "attachment_url", "language", "title", "date_signed", "region_code",
                 "company_name", "company_bin", "bin_valid", "amount", "currency", "period_start", "period_end"]


def self_check(memo: Memo, blocks: list[tuple]) -> None:
    """The data and the rendered text must agree before anything is written."""
    text = "\n".join(block_lines(blocks))
    must = [memo.company_name, memo.amount_sentence, date_line(memo.date_style, memo.region["city"], memo.signed)]
    if memo.period_sentence:
        must.append(memo.period_sentence)
    if memo.stated_bin:
        must.append(memo.stated_bin)
    for fragment in must:
        assert fragment in text, (memo.native_id, fragment)
    assert any(w in memo.company_name for w in ("Демо", "Demo", "Үлгі")), memo.company_name
    assert 2019 <= memo.signed.year <= 2025 and memo.published >= memo.signed
    assert (memo.amount is None) == (memo.currency is None)
    assert (memo.period_sentence is None) == (not memo.period_start and not memo.period_end)
    assert not memo.requisites or memo.bin_mode == "valid", memo.native_id  # one BIN, stated consistently
    if memo.table and memo.amount and memo.currency == "KZT":
        assert sum(int(v.replace(" ", "")) for _, v in memo.projects) == memo.amount, memo.native_id


def build() -> tuple[dict[str, bytes], list[dict]]:
    files: dict[str, bytes] = {}
    truth: list[dict] = []
    rendered: dict[str, tuple] = {}
    for memo in MEMORANDA:
        blocks = memo_blocks(memo)
        self_check(memo, blocks)
        document = None
        if memo.delivery == "pdf":
            document = render_pdf(memo, blocks)
        elif memo.delivery == "docx":
            document = render_docx(memo, blocks)
        rendered[memo.native_id] = (blocks, document)

    # Site 1: gov.kz, newest first
    atyrau = sorted((m for m in MEMORANDA if m.site == "atyrau"), key=lambda m: (m.published, m.native_id), reverse=True)
    pages = -(-len(atyrau) // GOVKZ_PER_PAGE)
    for page in range(1, pages + 1):
        chunk = atyrau[(page - 1) * GOVKZ_PER_PAGE: page * GOVKZ_PER_PAGE]
        files[f"{GOVKZ_HOST}{GOVKZ_LISTING}@page={page}"] = govkz_listing(page, pages, chunk).encode()
    for memo in atyrau:
        blocks, document = rendered[memo.native_id]
        path, _, query = govkz_detail_path(memo).partition("?")
        files[f"{GOVKZ_HOST}{path}@{query}"] = govkz_detail(memo, blocks, govkz_attachment_name(memo)).encode()
        if document is not None:
            files[f"{GOVKZ_HOST}{upload_path(memo)}"] = document
    files[f"{GOVKZ_HOST}/_redirects"] = (
        "# FROM TO STATUS (mirror server redirect rules; see sources/mirror/README.md)\n"
        f"{GOVKZ_LISTING} {GOVKZ_LISTING}?page=1 301\n").encode()

    # Site 2: aktobe.gov.kz, newest first
    aktobe = sorted((m for m in MEMORANDA if m.site == "aktobe"), key=lambda m: (m.published, m.native_id), reverse=True)
    pages = -(-len(aktobe) // AKTOBE_PER_PAGE)
    for page in range(1, pages + 1):
        chunk = aktobe[(page - 1) * AKTOBE_PER_PAGE: page * AKTOBE_PER_PAGE]
        files[f"{AKTOBE_HOST}{aktobe_page_path(page)}index.html"] = aktobe_listing(page, pages, chunk).encode()
    for memo in aktobe:
        blocks, document = rendered[memo.native_id]
        files[f"{AKTOBE_HOST}{aktobe_detail_path(memo)}"] = aktobe_detail(memo, blocks, len(document) if document else None).encode()
        if document is not None:
            files[f"{AKTOBE_HOST}{aktobe_file_path(memo)}"] = document
    files[f"{AKTOBE_HOST}/_redirects"] = (
        "# FROM TO STATUS (mirror server redirect rules; see sources/mirror/README.md)\n"
        f"{AKTOBE_LISTING} {aktobe_page_path(1)} 302\n").encode()

    for memo in MEMORANDA:
        if memo.site == "atyrau":
            detail = f"https://{GOVKZ_HOST}{govkz_detail_path(memo)}"
            attachment = f"https://{GOVKZ_HOST}{upload_path(memo)}" if memo.delivery != "html" else ""
        else:
            detail = f"https://{AKTOBE_HOST}{aktobe_detail_path(memo)}"
            attachment = f"https://{AKTOBE_HOST}{aktobe_file_path(memo)}" if memo.delivery != "html" else ""
        stated = memo.stated_bin
        truth.append({
            "source_id": f"{memo.site}-akimat", "native_id": memo.native_id, "detail_url": detail, "attachment_url": attachment,
            "language": memo.lang, "title": memo.title, "date_signed": memo.signed.isoformat(), "region_code": memo.region["kato"],
            "company_name": memo.company_name, "company_bin": stated,
            "bin_valid": ("true" if bin_is_valid(stated) else "false") if stated else "",
            "amount": str(memo.amount) if memo.amount is not None else "", "currency": memo.currency or "",
            "period_start": memo.period_start, "period_end": memo.period_end,
        })
    truth.sort(key=lambda row: (row["source_id"], row["native_id"]))
    return files, truth


def truth_csv(truth: list[dict]) -> bytes:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=TRUTH_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(truth)
    return out.getvalue().encode("utf-8")


# --------------------------------------------------------------------------------------------------
# Read-back verification
# --------------------------------------------------------------------------------------------------


def _norm(text: str) -> str:
    return " ".join(text.replace(NBSP, " ").split())


def verify(files: dict[str, bytes]) -> None:
    """Read every document back with the same libraries the pipeline uses; the memorandum text must round-trip."""
    import docx
    import pypdf
    from bs4 import BeautifulSoup

    for memo in MEMORANDA:
        blocks = memo_blocks(memo)
        expected = block_lines(blocks)
        if memo.site == "atyrau":
            path, _, query = govkz_detail_path(memo).partition("?")
            page = files[f"{GOVKZ_HOST}{path}@{query}"]
            body_selector, doc_path = "article.document div.document-body", f"{GOVKZ_HOST}{upload_path(memo)}"
        else:
            page = files[f"{AKTOBE_HOST}{aktobe_detail_path(memo)}"]
            body_selector, doc_path = "#content div.text", f"{AKTOBE_HOST}{aktobe_file_path(memo)}"
        if memo.delivery == "html":
            body = BeautifulSoup(page, "lxml").select_one(body_selector)
            got = body.get_text("\n")
            for line in expected:
                assert line in got, (memo.native_id, "html", line)  # exact, NBSP included
        elif memo.delivery == "pdf":
            reader = pypdf.PdfReader(io.BytesIO(files[doc_path]))
            assert 1 <= len(reader.pages) <= 2, (memo.native_id, len(reader.pages))
            got = _norm(" ".join(p.extract_text() for p in reader.pages))
            for line in expected:
                assert _norm(line) in got, (memo.native_id, "pdf", line)
            assert reader.metadata.title == memo.title
        else:
            document = docx.Document(io.BytesIO(files[doc_path]))
            got = [p.text for p in document.paragraphs] + [c.text for t in document.tables for r in t.rows for c in r.cells]
            for line in expected:
                assert line in got, (memo.native_id, "docx", line)  # exact, NBSP included
    # Listing pages link every memorandum exactly once.
    soup_links = []
    from bs4 import BeautifulSoup as BS
    for name, data in files.items():
        if name.startswith(f"{GOVKZ_HOST}{GOVKZ_LISTING}@page="):
            soup_links += [a["href"] for a in BS(data, "lxml").select("ul.documents-list li.document-item a.document-link")]
        if name.startswith(f"{AKTOBE_HOST}{AKTOBE_LISTING}page/"):
            soup_links += [a["href"] for a in BS(data, "lxml").select("table.memoranda td.title a")]
    assert len(soup_links) == len(set(soup_links)) == len(MEMORANDA), len(soup_links)


# --------------------------------------------------------------------------------------------------


def owned_by_other_generators() -> set[Path]:
    """Files other generators write on the same hosts (the budget files on www.gov.kz): never ours to delete."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import build_budget_mirror

    return set(build_budget_mirror.owned_outputs())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="write nothing; fail if the files on disk differ from a fresh build")
    args = parser.parse_args(argv)

    files, truth = build()
    verify(files)
    outputs = {MIRROR / name: data for name, data in sorted(files.items())}
    outputs[TRUTH] = truth_csv(truth)

    foreign = owned_by_other_generators()
    extra = [p for host in (GOVKZ_HOST, AKTOBE_HOST) for p in sorted((MIRROR / host).rglob("*"))
             if p.is_file() and p not in outputs and p not in foreign]
    if args.check:
        stale = [p for p, data in outputs.items() if not p.is_file() or p.read_bytes() != data]
        for p in stale + extra:
            print(f"differs: {p.relative_to(ROOT)}", file=sys.stderr)
        return 1 if stale or extra else 0

    for path in extra:
        path.unlink()
    for path, data in outputs.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    print(f"wrote {len(files)} mirror files under {MIRROR.relative_to(ROOT)}/ and {len(truth)} rows to {TRUTH.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
