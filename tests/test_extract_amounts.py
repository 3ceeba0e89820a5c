"""Numbers and money amounts: formats, scales, currencies, and what is not money."""

from __future__ import annotations

from decimal import Decimal

import pytest

from sources.extract import extract_entities, find_amounts
from sources.extract.numbers import parse_number


@pytest.mark.parametrize(
    "raw, before_scale, expected",
    [
        ("1 250 000", None, "1250000"),
        ("1\u00a0250\u00a0000", None, "1250000"),
        ("1\u202f250\u202f000", None, "1250000"),
        ("1,250,000", None, "1250000"),
        ("12.000.000", None, "12000000"),
        ("1 250 000 000,50", None, "1250000000.50"),
        ("1,250,000.75", None, "1250000.75"),
        ("1.250.000,75", None, "1250000.75"),
        ("1,250", None, "1250"),  # group of three: thousands
        ("2,5", None, "2.5"),  # not three digits: decimal
        ("3.2", None, "3.2"),
        ("0,125", "cyr", "0.125"),
        ("1,250", "cyr", "1.250"),  # "1,250 млрд" is 1.25 billion
        ("1,250", "lat", "1250"),  # "$1,250 million" is 1.25 billion too
        ("1.250", "lat", "1.250"),
    ],
)
def test_parse_number(raw, before_scale, expected):
    assert parse_number(raw, before_scale=before_scale) == Decimal(expected)


@pytest.mark.parametrize(
    "text, value, currency, matched",
    [
        ("выделено 2,5 млрд тенге на школу", 2_500_000_000, "KZT", "2,5 млрд тенге"),
        ("сумма 1 250 000 000,50 тенге", 1_250_000_000.5, "KZT", "1 250 000 000,50 тенге"),
        ("grant of 1,250,000 USD", 1_250_000, "USD", "1,250,000 USD"),
        ("budget USD 3.2 million", 3_200_000, "USD", "USD 3.2 million"),
        ("12.000.000 теңге бөлінді", 12_000_000, "KZT", "12.000.000 теңге"),
        ("Бюджеті: € 470,000", 470_000, "EUR", "€ 470,000"),
        ("470 000 евро", 470_000, "EUR", "470 000 евро"),
        ("worth $1.5 bn", 1_500_000_000, "USD", "$1.5 bn"),
        ("a $3m school", 3_000_000, "USD", "$3m"),
        ("US$ 250,000", 250_000, "USD", "US$ 250,000"),
        ("5 млн АҚШ долларын", 5_000_000, "USD", "5 млн АҚШ долларын"),
        ("10 тыс. долларов США", 10_000, "USD", "10 тыс. долларов США"),
        ("15 миллионов долларов", 15_000_000, "USD", "15 миллионов долларов"),
        ("2 dollars", 2, "USD", "2 dollars"),
        ("300 мың теңге", 300_000, "KZT", "300 мың теңге"),
        ("3 миллиард теңгеге", 3_000_000_000, "KZT", "3 миллиард теңгеге"),
        ("1 000 ₸", 1000, "KZT", "1 000 ₸"),
        ("₸ 1 000", 1000, "KZT", "₸ 1 000"),
        ("2 500 тг.", 2500, "KZT", "2 500 тг."),
        ("KZT 7 000 000", 7_000_000, "KZT", "KZT 7 000 000"),
        ("7 mln tenge", 7_000_000, "KZT", "7 mln tenge"),
        ("1 500 000 сом", 1_500_000, "KGS", "1 500 000 сом"),
        ("2 млн сомов", 2_000_000, "KGS", "2 млн сомов"),
        ("KGS 40 000", 40_000, "KGS", "KGS 40 000"),
        ("20 000 EUR", 20_000, "EUR", "20 000 EUR"),
        ("4 bln euro", 4_000_000_000, "EUR", "4 bln euro"),
        ("1,2 mlrd tenge", 1_200_000_000, "KZT", "1,2 mlrd tenge"),
        ("2 млрд 500 млн тенге", 2_500_000_000, "KZT", "2 млрд 500 млн тенге"),
        ("12 000 000 теңге көлеміндегі қаржылық қолдау", 12_000_000, "KZT", "12 000 000 теңге"),
        ("1,250 млрд тенге", 1_250_000_000, "KZT", "1,250 млрд тенге"),
        ("0,5 млн тенге", 500_000, "KZT", "0,5 млн тенге"),
    ],
)
def test_amount_formats(text, value, currency, matched):
    amounts = find_amounts(text)
    assert amounts == [{"value": value, "currency": currency, "text": matched}]
    assert type(amounts[0]["value"]) is type(value)


@pytest.mark.parametrize(
    "text, value, currency",
    [
        ("1 250 000 000 (один миллиард двести пятьдесят миллионов) тенге", 1_250_000_000, "KZT"),
        ("60 000 000 (алпыс миллион) теңге", 60_000_000, "KZT"),
        ("1 000 000 (бір миллион теңге)", 1_000_000, "KZT"),
        ("2 000 000 (two million) US dollars", 2_000_000, "USD"),
    ],
)
def test_amount_with_number_spelled_out_in_parentheses(text, value, currency):
    assert find_amounts(text) == [{"value": value, "currency": currency, "text": text}]


def test_large_value_keeps_precision():
    [amount] = find_amounts("итого 123 456 789 012 345,67 тенге")
    assert amount["value"] == 123456789012345.67
    [amount] = find_amounts("9 007 199 254 740 993 тенге")  # above 2**53: still exact as int
    assert amount["value"] == 9_007_199_254_740_993


@pytest.mark.parametrize(
    "text",
    [
        "школа на 280 мест",
        "дорога 14,5 км",
        "47 municipalities took part",
        "в 2024 году",
        "на 2024–2026 годы",
        "договор № 123-45 от 11.03.2024",
        "Келісім-шарт нөмірі CSO-LA/2016/382-029",
        "тел. +7 7212 314 455",
        "орта есеппен 40%-ға жүзеге асырылды",
        "выполнено на 40 %",
        "БИН 010140003495",
        "60 адам оқытуға қатысты",
        "11 кәсіпкерге",
        "3.2 million people",
        "сомнительно 5 сомнений",
        "(в тыс. тенге) 2024",
        "2024 (тыс. тенге)",
        "5 Европейских стран",
    ],
)
def test_not_money(text):
    assert find_amounts(text) == []


def test_amounts_in_order_and_each_mention_kept():
    text = "Первый транш 100 млн тенге, второй транш 100 млн тенге и €5 000 от партнёра."
    amounts = extract_entities(text)["amounts"]
    assert [(a["value"], a["currency"]) for a in amounts] == [
        (100_000_000, "KZT"), (100_000_000, "KZT"), (5000, "EUR"),
    ]
    assert [text.index(a["text"]) for a in amounts[:1]] == [13]
