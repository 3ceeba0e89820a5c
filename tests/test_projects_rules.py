"""Sector and OECD DAC gender-marker rules (sources/reference/project_rules.yaml), in Kazakh, Russian and English."""
import pytest
import yaml

from sources.projects.rules import LANGUAGES, NO_RULE, RULES_PATH, SECTORS, default_rules, rules_from_file

CASES = [
    # (project name, sector, marker, rule that sets the marker)
    ("Открытие кризисного центра для женщин, пострадавших от бытового насилия", "social_support", 2, "g2-crisis-centre"),
    ("Әйелдерге арналған дағдарыс орталығын ашу", "social_support", 2, "g2-crisis-centre"),
    ("Opening a crisis centre for survivors of domestic violence", "social_support", 2, "g2-crisis-centre"),
    ("Курсы профессиональной подготовки для женщин из сельских округов", "training_employment", 2, "g2-women-training"),
    ("Ауыл әйелдеріне арналған курстар", "training_employment", 2, "g2-women-training"),
    ("Training for women entrepreneurs in Atyrau", "training_employment", 2, "g2-women-training"),
    ("Поддержка одиноких матерей Мугалжарского района", "social_support", 2, "g2-single-mothers"),
    ("Жалғыз басты аналарға арналған тігін курстары", "training_employment", 2, "g2-single-mothers"),
    ("Support for 47 single mothers in Mugalzhar District", "social_support", 2, "g2-single-mothers"),
    ("Строительство детского сада на 280 мест", "preschool", 1, "g1-preschool"),
    ("Хромтау қаласында 250 орындық балабақша салу", "preschool", 1, "g1-preschool"),
    ("Construction of a 320-place kindergarten in Kandyagash", "preschool", 1, "g1-preschool"),
    ("Капитальный ремонт школы с устройством санузлов", "education", 1, "g1-school-toilets"),
    ("Мектепті санитарлық тораптар орната отырып күрделі жөндеу", "education", 1, "g1-school-toilets"),
    ("Capital repair of school No. 4 with indoor toilets", "education", 1, "g1-school-toilets"),
    ("Строительство водопровода протяжённостью 14,5 км", "water_sanitation", 1, "g1-water"),
    ("Ганюшкино ауылында су құбырын салу", "water_sanitation", 1, "g1-water"),
    ("Water supply pipeline to Esbol village", "water_sanitation", 1, "g1-water"),
    ("Социальная помощь многодетным семьям", "social_support", 1, "g1-large-families"),
    ("Көп балалы отбасыларға әлеуметтік көмек", "social_support", 1, "g1-large-families"),
    ("Assistance to large families", "social_support", 1, "g1-large-families"),
    ("Строительство родильного дома на 100 коек", "health", 1, "g1-maternity"),
    ("Қандыағаш қаласындағы перзентхананы жөндеу", "health", 1, "g1-maternity"),
    ("Maternity ward equipment for the district hospital", "health", 1, "g1-maternity"),
    ("Строительство физкультурно-оздоровительного комплекса", "sport_culture", 0, None),
    ("Шалқар ауданындағы автомобиль жолын жөндеу", "roads_transport", 0, None),
    ("Construction of a gas pipeline to three villages", "utilities_energy", 0, None),
    ("Строительство 100-квартирного жилого дома", "housing", 0, None),
    ("Благоустройство набережной", "other", 0, None),
]


@pytest.mark.parametrize("name, sector, marker, rule", CASES)
def test_sector_and_marker(name, sector, marker, rule):
    rules = default_rules()
    got_marker, rationale = rules.gender(name)
    assert rules.sector(name)[0] == sector
    assert got_marker == marker
    if rule is None:
        assert rationale == NO_RULE
    else:
        prefix = f'rule {rule}: "'
        assert rationale.startswith(prefix) and rationale.endswith('"')
        assert rationale[len(prefix):-1] in name  # the quoted words are the name's own


def test_every_language_is_covered_by_the_cases():
    from sources.extract import detect_language

    assert {detect_language(name) for name, *_ in CASES} == set(LANGUAGES)


def test_highest_marker_wins_and_matching_ignores_case():
    rules = default_rules()
    marker, rationale = rules.gender("Детский сад и кризисный центр для женщин")
    assert marker == 2 and rationale.startswith("rule g2-crisis-centre")
    assert rules.gender("СТРОИТЕЛЬСТВО ДЕТСКОГО САДА")[0] == 1
    assert rules.gender("BALABAQSHA") == (0, NO_RULE)  # stems are matched as written, not transliterated


def test_stems_match_at_word_starts_only():
    rules = default_rules()
    assert rules.gender("Замена уличных светильников в Атырау") == (0, NO_RULE)  # "туалет" is not inside a word
    assert rules.sector("Поставка автобусов для бизнес-центра")[0] == "other"


@pytest.mark.parametrize("text, status", [
    ("Завершён", "completed"), ("в работе", "in_progress"), ("Планируется", "planned"),
    ("Аяқталды", "completed"), ("Іске асырылуда", "in_progress"), ("Жоспарлануда", "planned"),
    ("Completed", "completed"), ("Under construction", "in_progress"), ("On hold", "suspended"),
    ("неизвестно", None), (None, None),
])
def test_status(text, status):
    assert default_rules().status(text) == status


def test_rules_file_cites_its_grounds_in_every_language():
    data = yaml.safe_load(RULES_PATH.read_text("utf-8"))
    assert {r["marker"] for r in data["gender_marker"]} == {1, 2}
    for rule in data["gender_marker"] + data["sector"]:
        assert set(rule["keywords"]) == set(LANGUAGES) and all(rule["keywords"][lang] for lang in LANGUAGES), rule["id"]
    for rule in data["gender_marker"]:
        assert "OECD DAC" in rule["justification"] and "seeds" in rule["justification"] and "\n" not in rule["justification"]
    assert {r["sector"] for r in data["sector"]} == set(SECTORS) - {"other"}


@pytest.mark.parametrize("bad, message", [
    ({"id": "g3", "marker": 3, "justification": "OECD DAC, seeds", "keywords": {"kk": ["a"], "ru": ["b"], "en": ["c"]}}, "marker must be 1 or 2"),
    ({"id": "g1-x", "marker": 1, "justification": "because", "keywords": {"kk": ["a"], "ru": ["b"], "en": ["c"]}}, "cite the OECD DAC"),
    ({"id": "g1-y", "marker": 1, "justification": "OECD DAC, seeds", "keywords": {"ru": ["b"], "en": ["c"]}}, "keyword lists"),
])
def test_a_rule_without_grounds_or_a_language_is_refused(tmp_path, bad, message):
    path = tmp_path / "rules.yaml"
    path.write_text(yaml.safe_dump({"gender_marker": [bad]}, allow_unicode=True), "utf-8")
    with pytest.raises(ValueError, match=message):
        rules_from_file(path)
