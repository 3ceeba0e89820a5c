"""Dates and periods in Russian, Kazakh and English."""

from __future__ import annotations

import pytest

from sources.extract import extract_entities


def dates(text):
    return extract_entities(text)["dates"]


def periods(text):
    return extract_entities(text)["periods"]


@pytest.mark.parametrize(
    "text, value, matched",
    [
        ("подписан 11.03.2024 г. в Атырау", "2024-03-11", "11.03.2024 г."),
        ("от 1.3.2024", "2024-03-01", "1.3.2024"),
        ("dated 11/03/2024", "2024-03-11", "11/03/2024"),
        ("dated 03/25/2024", "2024-03-25", "03/25/2024"),  # day-first impossible: US order
        ("updated 2024-03-11T10:00", "2024-03-11", "2024-03-11"),
        ("11 марта 2024 года", "2024-03-11", "11 марта 2024 года"),
        ("«11» марта 2024 г.", "2024-03-11", "«11» марта 2024 г."),
        ("1 января 2023 г.", "2023-01-01", "1 января 2023 г."),
        ("30 ИЮНЯ 2022", "2022-06-30", "30 ИЮНЯ 2022"),
        ("15 мая 2021 года", "2021-05-15", "15 мая 2021 года"),
        ("2023 жылғы 14 наурызда", "2023-03-14", "2023 жылғы 14 наурызда"),
        ("2023 жылғы 14 наурыз", "2023-03-14", "2023 жылғы 14 наурыз"),
        ("2024 жылдың 5 сәуірінде", "2024-04-05", "2024 жылдың 5 сәуірінде"),
        ("2022 жылғы «1» желтоқсандағы шешім", "2022-12-01", "2022 жылғы «1» желтоқсандағы"),
        ("14 қазан 2021 ж.", "2021-10-14", "14 қазан 2021 ж."),
        ("23rd of January, 2020", "2020-01-23", "23rd of January, 2020"),
        ("4 February 2022", "2022-02-04", "4 February 2022"),
        ("January 23, 2020", "2020-01-23", "January 23, 2020"),
        ("Feb 4, 2022", "2022-02-04", "Feb 4, 2022"),
        ("on 1st March 2023", "2023-03-01", "1st March 2023"),
        ("в марте 2024 года", "2024-03", "марте 2024 года"),
        ("март 2024 г.", "2024-03", "март 2024 г."),
        ("March 2024", "2024-03", "March 2024"),
        ("May 2019 report", "2019-05", "May 2019"),
        ("2024 жылғы наурыз", "2024-03", "2024 жылғы наурыз"),
        ("2024 жылдың қыркүйегінде", "2024-09", "2024 жылдың қыркүйегінде"),
        ("Қаңтар 2020", "2020-01", "Қаңтар 2020"),
    ],
)
def test_single_dates(text, value, matched):
    assert dates(text) == [{"value": value, "text": matched}]


@pytest.mark.parametrize(
    "text",
    [
        "31.02.2024",  # impossible
        "29.02.2023",  # not a leap year
        "Round tables were held in Atyrau on February 25",  # no year: skipped
        "11 марта",
        "14 наурызда",
        "в 2024 году",
        "we may 2024 go",  # lower-case "may" is a verb
        "версия 1.2.2024.5",
        "тел. +7 7212 314 455",
        "CSO-LA/2016/382-029",
        "06.2023",  # numeric month-year only counts inside a period
    ],
)
def test_not_dates(text):
    assert dates(text) == []


def test_leap_day_is_valid():
    assert dates("29.02.2024") == [{"value": "2024-02-29", "text": "29.02.2024"}]


@pytest.mark.parametrize(
    "text, start, end, matched",
    [
        ("в 2024–2026 годах", "2024", "2026", "2024–2026 годах"),
        ("in 2024-2026", "2024", "2026", "2024-2026"),
        ("в 2024 — 2026 годах", "2024", "2026", "2024 — 2026 годах"),
        ("на 2024-2026 гг.", "2024", "2026", "2024-2026 гг."),
        ("2024–2026 жылдары", "2024", "2026", "2024–2026 жылдары"),
        ("for 2023-2025", "2023", "2025", "2023-2025"),
        ("Ұзақтығы Ақпан 2017 – Қаңтар 2020", "2017-02", "2020-01", "Ақпан 2017 – Қаңтар 2020"),
        ("06.2023 – 12.2023", "2023-06", "2023-12", "06.2023 – 12.2023"),
        ("с марта 2022 по май 2023", "2022-03", "2023-05", "марта 2022 по май 2023"),
        ("from April 2022 to March 2025", "2022-04", "2025-03", "April 2022 to March 2025"),
        ("с 2022 по 2025 год", "2022", "2025", "2022 по 2025 год"),
        ("between 2022 and 2025", "2022", "2025", "2022 and 2025"),
        ("2022 жылдан 2025 жылға дейін", "2022", "2025", "2022 жылдан 2025 жылға дейін"),
    ],
)
def test_periods(text, start, end, matched):
    result = extract_entities(text)
    assert result["periods"] == [{"start": start, "end": end, "text": matched}]
    assert result["dates"] == []  # coarse bounds are not repeated as dates


@pytest.mark.parametrize(
    "text, start, end",
    [
        ("from 1 April 2022 to 31 March 2025", "2022-04-01", "2025-03-31"),
        ("с 1 апреля 2022 года по 31 марта 2025 года", "2022-04-01", "2025-03-31"),
        ("01.01.2024-31.12.2026", "2024-01-01", "2026-12-31"),
        ("2022 жылғы 1 қаңтардан бастап 2024 жылғы 31 желтоқсанға дейін", "2022-01-01", "2024-12-31"),
    ],
)
def test_day_periods_also_list_their_dates(text, start, end):
    result = extract_entities(text)
    [period] = result["periods"]
    assert (period["start"], period["end"]) == (start, end)
    assert [d["value"] for d in result["dates"]] == [start, end]
    assert text.startswith(period["text"][:5]) or period["text"] in text


@pytest.mark.parametrize(
    "text",
    [
        "2026–2024",  # start after end
        "1850-1860",  # implausible
        "2024 2026",  # no connector
        "2022 по 2025",  # bare years joined by a word need "с"/"from"
        "ISO 9001-2015",
        "CSO-2016-2018",
    ],
)
def test_not_periods(text):
    assert periods(text) == []


def test_dates_and_periods_in_order():
    text = ("Меморандум от 11 марта 2024 года на 2024–2026 годы. "
            "Отчёт за март 2025 г. подписан 2 апреля 2025 года.")
    result = extract_entities(text)
    assert [d["value"] for d in result["dates"]] == ["2024-03-11", "2025-03", "2025-04-02"]
    assert [p["text"] for p in result["periods"]] == ["2024–2026 годы"]
