"""Organisations with legal forms, akimats, and the BIN stated next to them."""

from __future__ import annotations

import pytest

from sources.extract import BIN_RE, bin_is_valid, find_organizations

VALID_BIN = "010140003495"


def make_bin(prefix11: str) -> str:
    """Complete 11 digits with the check digit (test oracle written from the published rule)."""
    d = [int(c) for c in prefix11]
    check = sum(w * x for w, x in zip(range(1, 12), d)) % 11
    if check == 10:
        check = sum(w * x for w, x in zip((3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2), d)) % 11
    assert check != 10
    return prefix11 + str(check)


# --- BIN checksum ------------------------------------------------------------

@pytest.mark.parametrize("prefix", ["01014000349", "97084000012", "12345678901", "88052345678", "00000000001"])
def test_bin_checksum_accepts_computed_check_digit(prefix):
    good = make_bin(prefix)
    assert bin_is_valid(good)
    bad = good[:-1] + str((int(good[-1]) + 1) % 10)
    assert not bin_is_valid(bad)


def test_bin_checksum_second_weights_used():
    # first pass gives 10 for this prefix, so the second weight set decides
    prefix = next(
        p for p in (f"{n:011d}" for n in range(10**10, 10**10 + 2000))
        if sum(w * int(x) for w, x in zip(range(1, 12), p)) % 11 == 10
        and sum(w * int(x) for w, x in zip((3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2), p)) % 11 != 10
    )
    assert bin_is_valid(make_bin(prefix))


def test_bin_checksum_rejects_double_ten_and_bad_input():
    prefix = next(
        p for p in (f"{n:011d}" for n in range(10**10, 10**10 + 20000))
        if sum(w * int(x) for w, x in zip(range(1, 12), p)) % 11 == 10
        and sum(w * int(x) for w, x in zip((3, 4, 5, 6, 7, 8, 9, 10, 11, 1, 2), p)) % 11 == 10
    )
    assert not any(bin_is_valid(prefix + str(d)) for d in range(10))
    for bad in ("", "01014000349", "0101400034950", "01014000349a", None, 10140003495):
        assert not bin_is_valid(bad)
    assert bin_is_valid(VALID_BIN)


def test_bin_re():
    assert BIN_RE.fullmatch(VALID_BIN)
    assert BIN_RE.findall(f"БИН {VALID_BIN}, ИИН 1234567890123") == [VALID_BIN]


# --- companies ---------------------------------------------------------------

@pytest.mark.parametrize(
    "text, name, matched",
    [
        ("между ТОО «Демо Мунай Сервис» и", "ТОО «Демо Мунай Сервис»", "ТОО «Демо Мунай Сервис»"),
        ("«Демо Мунай Сервис» ЖШС мен", "ЖШС «Демо Мунай Сервис»", "«Демо Мунай Сервис» ЖШС"),
        ("with Demo Munai Service LLP on", "Demo Munai Service LLP", "Demo Munai Service LLP"),
        ('TOO "Demo Munai Servis" and', 'TOO "Demo Munai Servis"', 'TOO "Demo Munai Servis"'),
        ("АО “Демо Энерджи” и", "АО «Демо Энерджи»", "АО “Демо Энерджи”"),
        ('АО "НК "Демо Газ"" и', "АО «НК «Демо Газ»»", 'АО "НК "Демо Газ""'),
        ("АО «НК «Демо Газ»» и", "АО «НК «Демо Газ»»", "АО «НК «Демо Газ»»"),
        ("ОсОО «Үлгі Тоо Кен» жана", "ОсОО «Үлгі Тоо Кен»", "ОсОО «Үлгі Тоо Кен»"),
        ("«Үлгі Мұнай» АҚ", "АҚ «Үлгі Мұнай»", "«Үлгі Мұнай» АҚ"),
        ("ИП «Демо»", "ИП «Демо»", "ИП «Демо»"),
        ("ТОО Демо Сервис подписало", "ТОО Демо Сервис", "ТОО Демо Сервис"),
        ("and JSC Demo Oil signed", "JSC Demo Oil", "JSC Demo Oil"),
        ("The Demo Holding B.V. said", "Demo Holding B.V.", "Demo Holding B.V."),
        ("Demo & Partners GmbH", "Demo & Partners GmbH", "Demo & Partners GmbH"),
        ("Demo Resources Ltd.", "Demo Resources Ltd.", "Demo Resources Ltd."),
        ("Товарищество с ограниченной ответственностью «Демо Сервис»", "ТОО «Демо Сервис»",
         "Товарищество с ограниченной ответственностью «Демо Сервис»"),
        ("Акционерным обществом «Демо»", "АО «Демо»", "Акционерным обществом «Демо»"),
        ("«Демо» жауапкершілігі шектеулі серіктестігі", "ЖШС «Демо»", "«Демо» жауапкершілігі шектеулі серіктестігі"),
        ("ГУ «Аппарат акима Атырауской области»", "ГУ «Аппарат акима Атырауской области»",
         "ГУ «Аппарат акима Атырауской области»"),
        ("КГУ «Демо мектеп-гимназиясы»", "КГУ «Демо мектеп-гимназиясы»", "КГУ «Демо мектеп-гимназиясы»"),
        ("РГП на ПХВ «Демо Су»", "РГП на ПХВ «Демо Су»", "РГП на ПХВ «Демо Су»"),
    ],
)
def test_company_forms(text, name, matched):
    orgs = find_organizations(text)
    assert [(o["name"], o["text"]) for o in orgs] == [(name, matched)]
    assert orgs[0]["bin"] is None and "bin_valid" not in orgs[0]


@pytest.mark.parametrize(
    "text, name, matched",
    [
        ("подписан с акиматом Атырауской области", "Акимат Атырауской области", "акиматом Атырауской области"),
        ("акимат Жылыойского района Атырауской области", "Акимат Жылыойского района Атырауской области",
         "акимат Жылыойского района Атырауской области"),
        ("акимата города Атырау", "Акимат города Атырау", "акимата города Атырау"),
        ("аппарат акима г. Актобе", "Аппарат акима г. Актобе", "аппарат акима г. Актобе"),
        ("Атырау облысының әкімдігі", "Атырау облысының әкімдігі", "Атырау облысының әкімдігі"),
        ("Бүгін Атырау облысы әкімдігімен", "Атырау облысы әкімдігі", "Атырау облысы әкімдігімен"),
        ("Батыс Қазақстан облысының әкімдігі", "Батыс Қазақстан облысының әкімдігі",
         "Батыс Қазақстан облысының әкімдігі"),
        ("Қарағанды облысы Нұра ауданының әкімдігі", "Қарағанды облысы Нұра ауданының әкімдігі",
         "Қарағанды облысы Нұра ауданының әкімдігі"),
        ("the Akimat of Atyrau Region", "Akimat of Atyrau Region", "Akimat of Atyrau Region"),
        ("akimat of the Aktobe region", "Akimat of Aktobe region", "akimat of the Aktobe region"),
        ("The Atyrau Region Akimat", "Atyrau Region Akimat", "Atyrau Region Akimat"),
        ("мэрия города Бишкек", "Мэрия города Бишкек", "мэрия города Бишкек"),
    ],
)
def test_state_bodies(text, name, matched):
    assert [(o["name"], o["text"]) for o in find_organizations(text)] == [(name, matched)]


@pytest.mark.parametrize(
    "text",
    [
        "ЖК «Демо Сити»",  # housing estate, not a company
        "проект «Демо» реализуется",
        "Regional and city akimats",
        "акимат поддержал",
        "Участники ТОО.",
        "в Атырау",
    ],
)
def test_not_organisations(text):
    assert find_organizations(text) == []


# --- BIN attachment ------------------------------------------------------------

@pytest.mark.parametrize(
    "text",
    [
        f"ТОО «Демо Мунай Сервис» (БИН {VALID_BIN})",
        f"ТОО «Демо Мунай Сервис», БИН: {VALID_BIN}",
        f"«Демо Мунай Сервис» ЖШС (БСН {VALID_BIN})",
        f"Demo Munai Service LLP, BIN {VALID_BIN}",
        f"ТОО «Демо Мунай Сервис», зарегистрированное по адресу г. Атырау, ул. Демо, 1, БИН № {VALID_BIN}",
    ],
)
def test_bin_next_to_name(text):
    [org] = find_organizations(text)
    assert org["bin"] == VALID_BIN and org["bin_valid"] is True


def test_quoted_name_wrapped_across_lines_as_in_pdf_text():
    [org] = find_organizations(f"и ТОО «Демо Эмба\nГаз» (БИН {VALID_BIN}), именуемое")
    assert org["name"] == "ТОО «Демо Эмба Газ»" and org["text"] == "ТОО «Демо Эмба\nГаз»"
    assert org["bin"] == VALID_BIN
    assert find_organizations("ТОО «Демо\n\nГаз»") == []  # a blank line ends the attempt


def test_wrong_check_digit_is_reported_as_stated():
    [org] = find_organizations("ТОО «Демо» (БИН 010140003496)")
    assert org == {"name": "ТОО «Демо»", "bin": "010140003496", "text": "ТОО «Демо»", "bin_valid": False}


def test_bin_goes_to_the_nearest_preceding_organisation():
    other = make_bin("98765432101")
    text = f"ТОО «Демо» (БИН {VALID_BIN}) и АО «Үлгі» (БИН {other})"
    assert [(o["name"], o["bin"]) for o in find_organizations(text)] == [
        ("ТОО «Демо»", VALID_BIN), ("АО «Үлгі»", other),
    ]


def test_bin_too_far_away_is_not_attached():
    text = "ТОО «Демо» " + "и так далее " * 15 + f"БИН {VALID_BIN}"
    assert find_organizations(text)[0]["bin"] is None


def test_kyrgyz_inn_is_not_a_bin():
    [org] = find_organizations("ОсОО «Үлгі» (ИНН 01234567891234)")
    assert org["bin"] is None
