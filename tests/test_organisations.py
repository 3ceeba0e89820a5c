"""Organisation names in any spelling resolve to one stable id, with an honest confidence — or not at all."""
import csv
import importlib.util
import sys

import pytest

from pipelines.settings import REPO_ROOT
from sources.extract import bin_is_valid
from sources.organisations import (
    KINDS,
    Match,
    OrganisationIndex,
    default_index,
    fold,
    load_organisations,
    normalise,
    organisation_rows,
    resolve,
    unresolved_names,
)

CASPIAN_BIN = "050840015372"


@pytest.mark.parametrize("name, method, confidence", [
    ("ТОО «Демо Каспий Ойл»", "alias", 1.0),
    ("«Демо Каспий Ойл» ТОО", "alias", 1.0),
    ("«Демо Каспий Ойл» ЖШС", "alias", 1.0),
    ("Demo Caspian Oil LLP", "alias", 1.0),
    ("Товарищество с ограниченной ответственностью «Демо Каспий Ойл»", "alias", 1.0),
    ('TOO "Demo Kaspiy Oil"', "transliteration", 0.9),
    ("Demo Kaspii Oil LLP", "transliteration", 0.9),
    ("Демо Каспи Ойл", "transliteration", 0.9),
])
def test_one_company_in_russian_kazakh_and_english_spellings(name, method, confidence):
    assert resolve(name) == Match("demo-caspian-oil", confidence, method)


@pytest.mark.parametrize("name, organisation_id", [
    ("АО «Демо Тенгиз Мунай»", "demo-tengiz-munai"),
    ("«Демо Теңіз Мұнай» АҚ", "demo-tengiz-munai"),
    ("Demo Tengiz Munay JSC", "demo-tengiz-munai"),
    ("ЖШС «Демо Жайық Минералс»", "demo-zhaik-minerals"),
    ("Demo Zhaiyq Minerals LLP", "demo-zhaik-minerals"),
    ("TOO «Ulgi Munay»", "ulgi-munai"),
    ("Акимат Атырауской области", "akimat-atyrau-region"),
    ("Атырау облысының әкімдігі", "akimat-atyrau-region"),
    ("the Akimat of Atyrau Region", "akimat-atyrau-region"),
    ("Қоғамдық қор «Үлгі Ана»", "ulgi-ana-fund"),
])
def test_kazakh_letters_legal_forms_and_akimats(name, organisation_id):
    match = resolve(name)
    assert match is not None and match.organisation_id == organisation_id and match.confidence >= 0.9


def test_a_near_spelling_resolves_fuzzily_with_its_ratio():
    match = resolve("Demo Bild Group LLP")
    assert match.organisation_id == "demo-build-group" and match.method == "fuzzy" and 0.85 <= match.confidence < 1.0


def test_bin_resolves_and_a_wrong_check_digit_is_ignored():
    assert resolve("Совсем другое название", bin=CASPIAN_BIN) == Match("demo-caspian-oil", 1.0, "bin")
    typo = CASPIAN_BIN[:11] + str((int(CASPIAN_BIN[11]) + 3) % 10)
    assert not bin_is_valid(typo)
    assert resolve("ТОО «Демо Каспий Ойл»", bin=typo) == Match("demo-caspian-oil", 1.0, "alias")


def test_unresolved_names_are_reported_never_guessed():
    index = default_index()
    assert index.resolve("ТОО «Үлгі Темір Жол»") is None
    assert index.resolve("ТОО «Демо Каспий Ойл Сервис»") is None  # a similar name is another company
    assert index.resolve("ТОО «Үлгі Кен»", bin=CASPIAN_BIN) is None  # the BIN is someone else's
    reasons = {u["name"]: u["reason"] for u in index.unresolved}
    assert reasons["ТОО «Үлгі Темір Жол»"] == "no organisation matches"
    assert reasons["ТОО «Үлгі Кен»"].startswith("bin-name-conflict")
    report = unresolved_names(["Demo Caspian Oil LLP", "ТОО «Үлгі Темір Жол»", ("Ulgi Ken LLP", None)])
    assert [u["name"] for u in report] == ["ТОО «Үлгі Темір Жол»"]


def test_every_sample_memorandum_company_resolves():
    with open(REPO_ROOT / "tests" / "fixtures" / "sample_memoranda_truth.csv", encoding="utf-8", newline="") as handle:
        memoranda = list(csv.DictReader(handle))
    index = default_index()
    for memo in memoranda:
        match = index.resolve(memo["company_name"], memo["company_bin"] or None)
        assert match and index.rows[match.organisation_id]["kind"] == "company", memo["company_name"]
    assert index.unresolved == []


def test_live_crawls_cannot_resolve_to_fictional_organisations():
    index = default_index(include_sample=False)
    assert index.resolve("Demo Caspian Oil LLP") is None
    assert index.resolve("Акимат Актюбинской области").organisation_id == "akimat-aktobe-region"
    assert {row["sample"] for row in organisation_rows(include_sample=False)} == {False}


def test_the_reference_table_is_consistent_with_the_sample_mirror():
    rows = load_organisations()
    assert {r["kind"] for r in rows} <= set(KINDS) and {"company", "akimat", "contractor"} <= {r["kind"] for r in rows}
    for row in rows:
        assert not row["bin"] or bin_is_valid(row["bin"])
        fictional = any(mark in row["name_ru"] + row["name_en"] for mark in ("Демо", "Demo", "Үлгі", "Ulgi"))
        assert (row["sample"] == "true") == fictional, row["organisation_id"]
    spec = importlib.util.spec_from_file_location("build_sample_mirror", REPO_ROOT / "tools" / "build_sample_mirror.py")
    mirror = sys.modules.setdefault("build_sample_mirror", importlib.util.module_from_spec(spec))
    spec.loader.exec_module(mirror)
    index = default_index()
    for company in mirror.COMPANIES.values():
        by_name = index.resolve(company["ru"])
        assert by_name and index.rows[by_name.organisation_id]["bin"] == company["bin"], company["ru"]


def test_one_spelling_for_two_organisations_is_refused():
    rows = load_organisations()
    clash = dict(rows[0], organisation_id="copy-of-first", bin="")
    with pytest.raises(ValueError, match="one spelling names several organisations"):
        OrganisationIndex(rows + [clash])


def test_normalise_and_fold():
    assert normalise("  ТОО «Демо   Каспий Ойл» ") == normalise("Демо Каспий Ойл ТОО") == "демо каспий ойл"
    assert fold("Ақтөбе Мұнай") == fold("Aqtobe Munay") == fold("Актобе Мунай")
    assert normalise("«Ақ Жайық» ЖШС") == "ақ жайық"  # "Ақ" (white) is a word here; "АҚ" in capitals is a legal form
    assert normalise("АҚ «Демо Теңіз Мұнай»") == "демо теңіз мұнай"
