"""Regions: the reference table and the inflected / abbreviated / coordinated forms in text."""

from __future__ import annotations

import csv

import pytest

from sources.extract import REGIONS_CSV, find_regions, load_regions
from sources.extract.regions import COLUMNS, classify_name


def codes(text):
    return [(r["code"], r["text"]) for r in find_regions(text)]


# --- the table ---------------------------------------------------------------

def test_table_shape_and_order():
    rows = load_regions()
    assert tuple(rows[0]) == COLUMNS
    assert [int(r["region_code"]) for r in rows] == sorted(int(r["region_code"]) for r in rows)
    assert len({r["region_code"] for r in rows}) == len(rows)
    with open(REGIONS_CSV, encoding="utf-8", newline="") as fh:
        assert next(csv.reader(fh)) == list(COLUMNS)


def test_table_covers_all_first_level_units():
    rows = {r["region_code"]: r for r in load_regions()}
    current_kz = {c for c, r in rows.items() if r["country"] == "KZ" and not r["valid_to"]}
    assert len(current_kz) == 20  # 17 oblasts + Astana, Almaty, Shymkent
    assert {c for c, r in rows.items() if r["country"] == "KG"} == {
        "41702000000000", "41703000000000", "41704000000000", "41705000000000",
        "41706000000000", "41707000000000", "41708000000000", "41711000000000", "41721000000000",
    }
    assert rows["510000000"]["valid_to"] == "2018-06-19"
    for code in ("100000000", "330000000", "620000000"):  # Abai, Jetisu, Ulytau
        assert rows[code]["valid_from"] == "2022-06-08"
    for r in rows.values():
        assert r["source"] in ("KATO", "SOATE")
        assert len(r["region_code"]) == (9 if r["country"] == "KZ" else 14)


def test_every_name_and_alias_has_a_known_form():
    for r in load_regions():
        for name in [r["name_en"], r["name_ru"], r["name_kk"], *filter(None, r["aliases"].split("|"))]:
            classify_name(name, r["level"])  # raises on an unknown form


def test_unknown_alias_form_is_rejected():
    with pytest.raises(ValueError):
        classify_name("Atyrau land", "region")


# --- forms in text -------------------------------------------------------------

@pytest.mark.parametrize(
    "text, code",
    [
        ("акимат Атырауской области", "230000000"),
        ("Атырауская область", "230000000"),
        ("по Атырауской обл.", "230000000"),
        ("Атырауский регион", "230000000"),
        ("Атырау облысының әкімдігі", "230000000"),
        ("Атырау облысында", "230000000"),
        ("Atyrau Region", "230000000"),
        ("the Atyrau oblast", "230000000"),
        ("Актюбинской области", "150000000"),
        ("Ақтөбе облысы", "150000000"),
        ("Актобе облысы", "150000000"),  # typed without Kazakh letters
        ("Aktobe region", "150000000"),
        ("ВКО", "630000000"),
        ("ШҚО", "630000000"),
        ("Восточно-Казахстанской области", "630000000"),
        ("Шығыс Қазақстан облысы", "630000000"),
        ("East Kazakhstan Region", "630000000"),
        ("ЗКО", "270000000"),
        ("БҚО", "270000000"),
        ("West Kazakhstan oblast", "270000000"),
        ("СКО", "590000000"),
        ("СҚО", "590000000"),
        ("Мангистауской области", "470000000"),
        ("Маңғыстау облысы", "470000000"),
        ("Mangystau Region", "470000000"),
        ("Mangistau region", "470000000"),
        ("Карагандинской области", "350000000"),
        ("Кызылординской области", "430000000"),
        ("Туркестанской области", "610000000"),
        ("Түркістан облысы", "610000000"),
        ("ЮКО", "510000000"),
        ("Южно-Казахстанской области", "510000000"),
        ("области Абай", "100000000"),
        ("Абай облысы", "100000000"),
        ("область Жетісу", "330000000"),
        ("Жетісу облысының", "330000000"),
        ("Ұлытау облысы", "620000000"),
        ("Ulytau Region", "620000000"),
        ("Алматинской области", "190000000"),
        ("Алматы облысы", "190000000"),
        ("Almaty Region", "190000000"),
        ("г. Алматы", "750000000"),
        ("в Алматы", "750000000"),
        ("Алматыда", "750000000"),
        ("Astana", "710000000"),
        ("в Астане", "710000000"),
        ("Нур-Султан", "710000000"),
        ("Нұр-Сұлтан қаласы", "710000000"),
        ("Шымкенте", "790000000"),
        ("Shymkent", "790000000"),
        ("Иссык-Кульской области", "41702000000000"),
        ("Ысык-Көл облусу", "41702000000000"),
        ("Issyk-Kul Region", "41702000000000"),
        ("Джалал-Абадская область", "41703000000000"),
        ("Нарынской области", "41704000000000"),
        ("Баткенской области", "41705000000000"),
        ("Ошской области", "41706000000000"),
        ("Ош облусунда", "41706000000000"),
        ("Osh Region", "41706000000000"),
        ("Таласской области", "41707000000000"),
        ("Чуйской области", "41708000000000"),
        ("Чүй облусу", "41708000000000"),
        ("Бишкек", "41711000000000"),
        ("Бишкекте", "41711000000000"),
        ("г. Ош", "41721000000000"),
        ("г.Ош", "41721000000000"),
        ("Osh city", "41721000000000"),
        ("Ош шаарында", "41721000000000"),
    ],
)
def test_region_forms(text, code):
    found = find_regions(text)
    assert [r["code"] for r in found] == [code]
    assert found[0]["text"] in text


@pytest.mark.parametrize(
    "text",
    [
        "г. Атырау",
        "в Атырау",
        "held in Atyrau on February 25",
        "Актобе",
        "Ош",  # too short to trust without г./город/city
        "Шымкентской",  # old oblast name, not the city
        "Абай Кунанбаев",
        "ул. Жамбыла",
        "Талас ауданы",
        "вко",  # abbreviations are case-sensitive
    ],
)
def test_not_regions(text):
    assert find_regions(text) == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Atyrau and Aktobe regions", [("230000000", "Atyrau"), ("150000000", "Aktobe regions")]),
        ("Атырауской и Мангистауской областей",
         [("230000000", "Атырауской"), ("470000000", "Мангистауской областей")]),
        ("Атырау, Ақтөбе және Маңғыстау облыстарында",
         [("230000000", "Атырау"), ("150000000", "Ақтөбе"), ("470000000", "Маңғыстау облыстарында")]),
        ("Atyrau, Aktobe or Mangystau", []),  # no shared noun: cities
    ],
)
def test_coordinated_regions(text, expected):
    assert codes(text) == expected


def test_each_mention_is_kept_in_order():
    text = "В Атырауской области и г. Алматы ... снова Атырауской области"
    assert codes(text) == [
        ("230000000", "Атырауской области"), ("750000000", "г. Алматы"), ("230000000", "Атырауской области"),
    ]
    assert find_regions("Atyrau Region")[0] == {
        "code": "230000000", "name": "Atyrau Region", "country": "KZ", "text": "Atyrau Region",
    }
