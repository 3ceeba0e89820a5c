"""Linking projects to memoranda: same organisation, same region, overlapping periods — and never a guess."""
import csv
from pathlib import Path

import pytest

from sources.projects import link_memoranda
from sources.projects.link import LINKED

MEMORANDA_TRUTH = Path(__file__).parent / "fixtures" / "sample_memoranda_truth.csv"
ATYRAU, AKTOBE = "230000000", "150000000"


@pytest.fixture(scope="module")
def memoranda():
    """The sample mirror's memoranda as the memoranda resource gives them (company names as written: ru, kk, en)."""
    with open(MEMORANDA_TRUTH, encoding="utf-8", newline="") as handle:
        return [
            {"memorandum_id": f"{t['source_id']}/{t['native_id']}", **{k: t[k] or None for k in ("company_name", "company_bin", "region_code", "period_start", "period_end", "date_signed")}}
            for t in csv.DictReader(handle)
        ]


def project(company_id, region_code, start, end, name="Проект"):
    return {"project_id": f"x/{name}", "project_name": name, "company_id": company_id, "region_code": region_code, "period_start": start, "period_end": end}


def link(memoranda, *projects):
    return [(p["memorandum_id"], p["memorandum_link"]) for p in link_memoranda(list(projects), memoranda)]


def test_one_overlapping_memorandum_links(memoranda):
    assert link(memoranda, project("demo-caspian-oil", ATYRAU, "2022", "2023")) == [("atyrau-akimat/534618", LINKED)]
    # the memorandum names the company in Kazakh ("«Демо Каспий Ойл» ЖШС"): the same organisation
    assert link(memoranda, project("demo-caspian-oil", ATYRAU, "2020-05", "2020-09")) == [("atyrau-akimat/356214", LINKED)]


def test_two_overlapping_memoranda_are_ambiguous_and_none_is_chosen(memoranda):
    assert link(memoranda, project("demo-caspian-oil", ATYRAU, "2024-09", "2025-05")) == [(None, "ambiguous:2")]
    assert link(memoranda, project("demo-caspian-oil", ATYRAU, "2019", "2027")) == [(None, "ambiguous:3")]


def test_other_region_other_company_or_no_overlap_links_nothing(memoranda):
    assert link(memoranda, project("demo-caspian-oil", AKTOBE, "2022", "2023")) == [(None, None)]
    assert link(memoranda, project("ulgi-ken", ATYRAU, "2022", "2023")) == [(None, None)]
    assert link(memoranda, project("demo-caspian-oil", ATYRAU, "2018", "2018")) == [(None, None)]
    assert link(memoranda, project(None, ATYRAU, "2022", "2023")) == [(None, None)]
    assert link(memoranda, project("demo-caspian-oil", None, "2022", "2023")) == [(None, None)]


def test_periods_compare_at_their_stated_precision(memoranda):
    # aktobe-akimat/1519 (Үлгі Мұнай) runs 2023-07-01 .. 2024-06-30
    assert link(memoranda, project("ulgi-munai", AKTOBE, "2024-06", "2024-09")) == [("aktobe-akimat/1519-memorandum-too-ulgi-munai", LINKED)]
    assert link(memoranda, project("ulgi-munai", AKTOBE, "2024-07", "2024-09")) == [(None, None)]
    assert link(memoranda, project("ulgi-munai", AKTOBE, "2024", "2024")) == [("aktobe-akimat/1519-memorandum-too-ulgi-munai", LINKED)]


def test_a_memorandum_without_a_start_starts_when_signed(memoranda):
    # atyrau-akimat/401977 (Демо Тенгиз Мунай): signed 2020-06-30, "until 31 December 2021"
    assert link(memoranda, project("demo-tengiz-munai", ATYRAU, "2020-01", "2020-05")) == [(None, None)]
    assert link(memoranda, project("demo-tengiz-munai", ATYRAU, "2021", "2021")) == [("atyrau-akimat/401977", LINKED)]


def test_a_typo_in_the_memorandums_bin_does_not_break_the_link(memoranda):
    # atyrau-akimat/447310 states Үлгі Мұнай's BIN with a wrong check digit; the name still identifies it
    assert link(memoranda, project("ulgi-munai", ATYRAU, "2021", "2022")) == [("atyrau-akimat/447310", LINKED)]


def test_open_or_unknown_periods_are_never_confirmed():
    memoranda = [{"memorandum_id": "m/1", "company_name": "ТОО «Демо Мугалжар Хром»", "company_bin": None, "region_code": AKTOBE,
                  "period_start": None, "period_end": None, "date_signed": "2021-12-09"}]
    assert link(memoranda, project("demo-mugalzhar-chrome", AKTOBE, "2022", "2022")) == [(None, "unconfirmed:memorandum-period-unknown")]
    assert link(memoranda, project("demo-mugalzhar-chrome", AKTOBE, "2020", "2020")) == [(None, None)]  # before signing
    assert link(memoranda, project("demo-mugalzhar-chrome", AKTOBE, None, None)) == [(None, "unconfirmed:project-period-unknown")]


def test_ambiguity_does_not_depend_on_order_and_inputs_are_not_changed():
    memoranda = [
        {"memorandum_id": f"m/{i}", "company_name": name, "company_bin": None, "region_code": ATYRAU, "period_start": "2023", "period_end": "2024", "date_signed": None}
        for i, name in enumerate(["Demo Emba Gas LLP", "«Демо Ембі Газ» ЖШС"])
    ]
    projects = [project("demo-emba-gas", ATYRAU, "2024", "2024")]
    assert link(memoranda, *projects) == link(list(reversed(memoranda)), *projects) == [(None, "ambiguous:2")]
    assert "memorandum_id" not in projects[0]


def test_a_memorandum_whose_company_does_not_resolve_is_not_a_candidate():
    memoranda = [{"memorandum_id": "m/9", "company_name": "ТОО «Үлгі Темір Жол»", "company_bin": None, "region_code": ATYRAU,
                  "period_start": "2023", "period_end": "2024", "date_signed": None}]
    assert link(memoranda, project("ulgi-munai", ATYRAU, "2023", "2023")) == [(None, None)]
