"""Reading budget cells and titles: amounts, units, the fiscal-year rule, header words in kk/ru/ky/en."""
from datetime import date
from decimal import Decimal

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sources.budget import BudgetFileError, parse_file
from sources.budget.cells import code_of, parse_amount, text_of
from sources.budget.columns import classify
from sources.budget.fiscal import fiscal_period
from sources.budget.units import detect_unit

NBSP = "\u00a0"


@given(st.text(alphabet=st.sampled_from(list("ab ДҚ1,\t\n\r\x0b\x0c\x1c\x85") + [NBSP, "\u202f", "\u2009", "\u2007", "\u3000", "\u200b"])))
@settings(deadline=None)  # no 200 ms deadline to miss on a busy machine
def test_a_cell_is_one_line_of_text_with_every_kind_of_whitespace_collapsed(cell):
    assert text_of(cell) == re.sub(r"\s+", " ", cell).strip()
    assert "  " not in text_of(cell) and text_of(cell) == text_of(text_of(cell))


@pytest.mark.parametrize(
    "cell, value",
    [
        (f"1{NBSP}234{NBSP}567,8", "1234567.8"),
        ("1 234 567,8", "1234567.8"),
        ("1\u202f234,5", "1234.5"),
        ("1.234.567,8", "1234567.8"),
        ("1,234,567.8", "1234567.8"),
        ("12,5", "12.5"),
        ("0,0", "0"),
        ("(1 234,5)", "-1234.5"),
        ("-1 234,5", "-1234.5"),
        ("−17", "-17"),
        (412350.1, "412350.1"),
        (7, "7"),
    ],
)
def test_amounts_are_exact_decimals(cell, value):
    assert parse_amount(cell) == Decimal(value)


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet="0123456789 \u00a0,.-()٣", max_size=12))
def test_the_quick_read_of_common_amounts_agrees_with_the_whole_way(cell):
    """parse_amount reads "5 433 022,0" without the general ladder; same value, same exponent, same errors."""
    from sources.budget.cells import read_amount

    try:
        expected = read_amount(cell)
    except ValueError:
        with pytest.raises(ValueError):
            parse_amount(cell)
        return
    got = parse_amount(cell)
    assert got == expected and (got is None or got.as_tuple() == expected.as_tuple())


@pytest.mark.parametrize("cell", [None, "", "-", "–", "—", "x", "х", "   "])
def test_dashes_and_blanks_are_no_value_not_zero(cell):
    assert parse_amount(cell) is None


@pytest.mark.parametrize("cell", ["abc", "12 тыс", "1,2,3.4,5", "99%", "1.2.3,4,5"])
def test_text_in_an_amount_cell_is_an_error(cell):
    with pytest.raises(ValueError):
        parse_amount(cell)


def test_codes_keep_their_leading_zeros():
    assert code_of(1, "00") == "01"
    assert code_of(15, "000") == "015"
    assert code_of(1, "General", width=2) == "01"
    assert code_of("015") == "015"
    assert code_of(1.0, None, width=3) == "001"
    assert code_of("-") is None and code_of(None) is None


@pytest.mark.parametrize(
    "text, unit, currency",
    [
        ("(тыс. тенге)", "thousand", "KZT"),
        ("в тысячах тенге", "thousand", "KZT"),
        ("мың теңге", "thousand", "KZT"),
        ("млн тенге", "million", "KZT"),
        ("млрд. теңге", "billion", "KZT"),
        ("(сом)", "unit", "KGS"),
        ("тыс. сом", "thousand", "KGS"),
        ("миң сом", "thousand", "KGS"),
        ("in thousands of tenge", "thousand", "KZT"),
        ("Сумма, тыс.", "thousand", None),
    ],
)
def test_units_are_read_from_the_title(text, unit, currency):
    found = detect_unit(text)
    assert found is not None and found[0] == unit and found[2] == currency
    assert found[1] == {"unit": 1, "thousand": 1000, "million": 10**6, "billion": 10**9}[unit]


def test_no_unit_is_none_and_two_units_are_an_error():
    assert detect_unit("Отчет об исполнении бюджета") is None
    assert detect_unit("Кірістер сомасы") is None  # Kazakh "сома" (amount) is not the som
    with pytest.raises(ValueError):
        detect_unit("(тыс. тенге) ... (млн тенге)")


@pytest.mark.parametrize(
    "title, year, when",
    [
        ("Отчет об исполнении областного бюджета на 1 января 2024 года", 2023, date(2024, 1, 1)),
        ("2024 жылғы 1 қаңтардағы жағдай бойынша облыстық бюджеттің атқарылуы", 2023, date(2024, 1, 1)),
        ("Исполнение бюджета по состоянию на 01.01.2024", 2023, date(2024, 1, 1)),
        ("2024-жылдын 1-январына карата бюджеттин аткарылышы", 2023, date(2024, 1, 1)),
        ("Budget execution as of January 1, 2024", 2023, date(2024, 1, 1)),
        ("Отчет об исполнении на 1 октября 2023 года", 2023, date(2023, 10, 1)),
        ("Отчет на 1 апреля 2024 года", 2024, date(2024, 4, 1)),
        ("Исполнение бюджета за 2022 год", 2022, None),
        ("Бюджет на 2024 год", 2024, None),
        ("2023 жылға арналған бюджет", 2023, None),
        ("решение маслихата от 12 декабря 2022 года; отчет на 1 января 2024 года", 2023, date(2024, 1, 1)),
    ],
)
def test_fiscal_year_rule(title, year, when):
    assert fiscal_period(title) == (year, when)


def test_no_year_is_none_and_two_reporting_dates_are_an_error():
    assert fiscal_period("Отчет об исполнении бюджета") is None
    with pytest.raises(ValueError):
        fiscal_period("на 1 января 2024 года и на 1 января 2023 года")


@pytest.mark.parametrize(
    "label, role",
    [
        ("Код бюджетной классификации ФГ", "l1"),
        ("Функционалдық топ", "l1"),
        ("Functional group", "l1"),
        ("Администратор бюджетных программ", "l2"),
        ("Бюджеттік бағдарламалардың әкімшісі", "l2"),
        ("Программа", "l3"),
        ("Бағдарлама", "l3"),
        ("Подпрограмма", "l4"),
        ("Кіші бағдарлама", "l4"),
        ("Категория", "l1"), ("Класс", "l2"), ("Подкласс", "l3"), ("Специфика", "l4"),
        ("Функциональная подгруппа", "l1b"),
        ("Код", "code"), ("Бюджеттік сыныптама коды", "code"),
        ("Наименование", "name"), ("Атауы", "name"), ("Аталышы / Наименование", "name"), ("Name", "name"),
        ("Наименование программы", "parent_l3"),
        ("СОАТЕ", "area"), ("КАТО", "area"),
        ("Утверждённый бюджет", "approved"), ("Бекітілген бюджет", "approved"), ("Бекитилген план", "approved"),
        ("План", "approved"), ("Approved", "approved"),
        ("Уточнённый бюджет", "adjusted"), ("Нақтыланған бюджет", "adjusted"), ("Такталган план", "adjusted"),
        ("Скорректированный бюджет", "corrected"), ("Түзетілген бюджет", "corrected"),
        ("Исполнено", "executed"), ("Атқарылды", "executed"), ("Аткарылышы", "executed"), ("Факт", "executed"),
        ("Executed", "executed"), ("Исполнено к уточнённому плану", "executed"),
        ("Бюджеттік бағдарламалар бойынша төленген міндеттемелер", "executed"),
        ("% исполнения", None), ("Атқарылуы, %", None), ("Отклонение", None), ("Тіркелген міндеттемелер", None),
        ("Төленбеген міндеттемелер", None), ("План финансирования на отчетный период", None), ("№ п/п", None), ("3", None),
    ],
)
def test_header_words_in_four_languages(label, role):
    assert classify(label) == role


def test_a_file_past_the_row_limit_is_refused_never_read_in_part(monkeypatch):
    """Regression: the reader once stopped at row 200,000 and dropped the rest without a word."""
    from sources.budget import grid

    monkeypatch.setattr(grid, "MAX_ROWS", 1_000)
    head = "Поступления в бюджет Атырауской области на 1 января 2024 года\n(тыс. тенге)\nКод;Наименование;Утверждённый бюджет;Исполнено\n"
    body = "".join(f"1{g:02d}1{i:02d};Поступление {g}-{i};10,0;9,0\n" for g in range(1, 20) for i in range(1, 90))
    with pytest.raises(BudgetFileError, match="more than the 1,000 Ashyq reads; refused rather than read in part"):
        parse_file((head + body).encode("utf-8"), name="big.csv")
    monkeypatch.setattr(grid, "MAX_ROWS", 10_000)
    lines = parse_file((head + body).encode("utf-8"), name="big.csv")["budget_lines"]
    assert len(lines) == 2 * 19 * 89, "below the limit every line is read"


def test_data_beyond_the_column_limit_is_refused(monkeypatch):
    from sources.budget import grid

    monkeypatch.setattr(grid, "MAX_COLS", 5)
    head = "Поступления в бюджет Атырауской области на 1 января 2024 года\n(тыс. тенге)\nКод;Наименование;Утверждённый бюджет;Исполнено;;;\n"
    with pytest.raises(BudgetFileError, match="data beyond column 5"):
        parse_file((head + "10101;Налог;10,0;9,0;;;x\n").encode("utf-8"), name="wide.csv")
    assert parse_file((head + "10101;Налог;10,0;9,0;;;\n").encode("utf-8"), name="wide.csv")["budget_lines"], "empty extra columns are fine"


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet="ab=!:/[]row=items1٣0 ", max_size=14), st.sampled_from(["", "row=", "items[", ":row=", "!row="]), st.text(alphabet="0123٣]a", max_size=4))
def test_a_locator_splits_as_its_pattern_says(head, marker, tail):
    """split_locator's quick path for "...row=<digits>" agrees with the locator pattern on any text."""
    from sources.budget.totals import _LOCATOR, split_locator

    locator = head + marker + tail
    m = _LOCATOR.match(locator)
    if m is None:
        with pytest.raises(ValueError):
            split_locator(locator)
    else:
        assert split_locator(locator) == (m.group("container"), int(m.group("pos")))


_LABEL_LETTERS = "aZ09_ -.\u00a0\tПоИтгоәғқңөұүһіӘҒҚҢӨҰҮҺІёЁаяАЯxX"


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=_LABEL_LETTERS, max_size=14), st.text(max_size=6))
def test_normalise_skips_only_the_steps_that_would_change_nothing(label, other):
    """normalise scans before splitting camelCase and folding Kazakh letters; the result is the one of
    always doing both (the rule as first written)."""
    from sources.budget.columns import _CAMEL, _KK_TO_RU, normalise

    for text in (label, other, label + other):
        expected = " ".join(_CAMEL.sub(" ", text_of(text)).replace("_", " ").translate(_KK_TO_RU).lower().split())
        assert normalise(text) == expected


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.from_regex(r"[0-9]{1,3}([ \u00a0][0-9]{3}){0,3}(,[0-9]{1,3})?", fullmatch=True),
                 st.text(alphabet="0123456789 ,.-()\u00a0x", max_size=12)))
def test_a_cell_in_the_reports_own_number_form_is_number_like_as_its_amount_says(text):
    """is_number_like takes the reports' own form ("5 433 022,0") at sight; any cell is a number exactly when
    its text reads as an amount that is there."""
    from sources.budget.cells import NO_VALUE, is_number_like

    try:
        readable = parse_amount(text_of(text)) is not None and text_of(text) not in NO_VALUE
    except ValueError:
        readable = False
    assert is_number_like(text) == readable
