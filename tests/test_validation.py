"""Validation with real Frictionless: bad rows are quarantined with their errors, never dropped silently."""
import json

from pipelines.schemas import to_csv_bytes
from pipelines.validation import rule_errors, validate_tables
from sources.budget.records import assign_line_ids
from sources.extract import bin_is_valid

SHA_A, SHA_B = "a" * 64, "b" * 64


def valid_bin() -> str:
    for candidate in range(10**11, 10**11 + 1000):
        text = f"{candidate:012d}"
        if bin_is_valid(text):
            return text
    raise AssertionError


def document(sha):
    return {"sha256": sha, "source_id": "s", "role": "detail", "url": "https://x.kz/a", "final_url": "https://x.kz/a",
            "retrieved_at": "2026-01-01T00:00:00Z", "http_status": 200, "content_type": "text/html", "etag": "", "last_modified": "",
            "bytes": 10, "archive_path": f"sha256/{sha[:2]}/{sha}", "sample": True}


def memorandum(mid, **overrides):
    row = {"memorandum_id": f"s/{mid}", "title": "Memo", "date_signed": "2024-03-11", "region_code": "230000000",
           "government_party": "Akimat", "company_name": "ТОО «Демо»", "company_bin": valid_bin(), "amount": 2500000000,
           "currency": "KZT", "period_start": "2024", "period_end": "2026", "language": "ru", "source_id": "s",
           "source_url": "https://x.kz/a", "document_sha256": SHA_A, "locator": "html:div", "sample": True}
    return {**row, **overrides}


REGION = {"region_code": "230000000", "country": "KZ", "level": "oblast", "name_en": "Atyrau Region", "name_ru": "Атырауская область",
          "name_kk": "Атырау облысы", "aliases": None, "valid_from": None, "valid_to": None, "source": "KATO"}


def run(memoranda, documents=None):
    return validate_tables({"memoranda": memoranda, "documents": documents or [document(SHA_A)], "regions": [REGION]})


def test_clean_rows_pass_untouched():
    checked = run([memorandum("1"), memorandum("2", amount=None, currency=None)])
    assert [r["memorandum_id"] for r in checked.tables["memoranda"]] == ["s/1", "s/2"]
    assert checked.quarantine == []


def test_each_kind_of_bad_row_is_quarantined_with_field_and_type():
    bad_bin = valid_bin()[:-1] + str((int(valid_bin()[-1]) + 1) % 10)
    rows = [
        memorandum("1"),
        memorandum("2", company_bin=bad_bin),
        memorandum("3", currency=None),
        memorandum("4", document_sha256=SHA_B),
        memorandum("5", currency="XXX"),
        memorandum("6", period_start="2026", period_end="2024"),
        memorandum("7", amount=-5),
    ]
    checked = run(rows)
    assert [r["memorandum_id"] for r in checked.tables["memoranda"]] == ["s/1"]
    found = {(q["row_key"], q["field"], q["error_type"]) for q in checked.quarantine}
    assert ("s/2", "company_bin", "kz-bin-checksum") in found
    assert ("s/3", "currency", "required-with") in found
    assert ("s/4", "(row)", "foreign-key") in found
    assert ("s/5", "currency", "constraint-error") in found
    assert ("s/6", "period_end", "period-order") in found
    assert ("s/7", "amount", "constraint-error") in found
    for entry in checked.quarantine:
        assert entry["resource"] == "memoranda" and entry["message"]
        assert json.loads(entry["row"])["memorandum_id"] == entry["row_key"]


def test_row_numbers_count_like_frictionless_in_the_sorted_candidate_table():
    checked = run([memorandum("1"), memorandum("2"), memorandum("3", currency="XXX")])
    (entry,) = checked.quarantine
    assert entry["row_number"] == 4  # header is row 1; s/3 is the third data row


def test_duplicate_primary_key_is_quarantined():
    checked = run([memorandum("1"), memorandum("1", title="Other")])
    assert len(checked.tables["memoranda"]) == 1
    assert any(q["error_type"] == "primary-key" for q in checked.quarantine)


def test_quarantining_a_document_cascades_to_rows_that_point_at_it():
    broken = {**document(SHA_A), "http_status": 999}
    checked = run([memorandum("1")], documents=[broken])
    assert checked.tables["documents"] == [] and checked.tables["memoranda"] == []
    assert {q["resource"] for q in checked.quarantine} == {"documents", "memoranda"}


def test_the_csv_kept_for_publishing_is_the_one_validated_in_the_last_round():
    checked = run([memorandum("2"), memorandum("1"), memorandum("3", currency="XXX")])
    assert set(checked.csv) == {"memoranda", "documents", "regions"}
    for name, rows in checked.tables.items():
        assert checked.csv[name] == to_csv_bytes(name, rows), f"{name}: publish would reuse bytes that were not validated"
    lines = checked.csv["memoranda"].decode().splitlines()
    assert [line.split(",")[0] for line in lines[1:]] == ["s/1", "s/2"], "sorted, the quarantined row gone"
    # the sha256 publishing states for those bytes (taken by the check that read them) is theirs, round after round
    import hashlib

    assert checked.sha256 and set(checked.sha256) <= set(checked.csv)
    for name, digest in checked.sha256.items():
        assert digest == hashlib.sha256(checked.csv[name]).hexdigest(), name


def test_a_table_without_row_rules_is_not_walked_for_them():
    assert rule_errors("regions", [{"region_code": None}] * 3) == []
    assert [e["error_type"] for e in rule_errors("memoranda", [memorandum("1", period_start="2026", period_end="2024")])] == ["period-order"]


def budget_rows(amounts: list[int], stated: int) -> dict:
    common = {"year": 2023, "report_date": "2024-01-01", "region_code": "230000000", "direction": "revenue", "phase": "executed",
              "currency": "KZT", "unit_in_source": "thousand", "source_id": "s", "source_document": SHA_A, "sample": True}
    lines = assign_line_ids([{**common, "code_l1": "1", "code_l2": f"{n:02d}", "line_name": f"Line {n}", "amount": amount,
                              "locator": f"csv:row={n}"} for n, amount in enumerate(amounts, start=2)])
    total = {**common, "total_id": "t/1", "total_name": "Итого", "amount": stated, "scope": f"rows=2-{len(amounts) + 1}",
             "locator": f"csv:row={len(amounts) + 2}"}
    return {"budget_lines": lines, "budget_totals": [total], "documents": [document(SHA_A)], "regions": [REGION]}


def test_a_line_quarantined_for_its_own_fault_leaves_its_total_short_and_the_total_goes_too():
    """Round 2 need not re-read every table (nothing points at budget lines) but must re-add the totals."""
    tables = budget_rows([100, 200, 300], stated=600)
    kept = [tables["budget_lines"][0]["line_id"], tables["budget_lines"][2]["line_id"]]
    tables["budget_lines"][1]["code_l2"] = "x3"  # breaks the code pattern: the line itself is bad
    checked = validate_tables(tables)
    assert [row["line_id"] for row in checked.tables["budget_lines"]] == kept
    assert checked.tables["budget_totals"] == []
    assert sorted((q["resource"], q["error_type"]) for q in checked.quarantine) == [
        ("budget_lines", "constraint-error"), ("budget_totals", "total-mismatch")]
    for name, rows in checked.tables.items():
        assert checked.csv[name] == to_csv_bytes(name, rows), name
    assert validate_tables(checked.tables).quarantine == [], "what is kept passes a full check on its own"


def test_publishing_in_the_same_process_gets_the_cells_of_the_very_bytes_validation_wrote():
    """steps.validated keeps each CSV's cells and sha256 for the SQLite download; publishing takes them only for
    the same bytes objects (handed over in memory), once; equal bytes that came another way get nothing."""
    from pipelines import steps

    checked = steps.validated({"memoranda": [memorandum("2"), memorandum("1")], "documents": [document(SHA_A)], "regions": [REGION]})
    copy = bytes(bytearray(checked.csv["regions"]))
    cells, digests = steps.kept_from_validation({"memoranda": checked.csv["memoranda"], "regions": copy})
    assert set(cells) == {"memoranda"} and cells["memoranda"] is checked.cells["memoranda"]
    (chunk,) = cells["memoranda"].chunks
    assert list(chunk["memorandum_id"]) == ["s/1", "s/2"] and list(chunk["sample"]) == ["true", "true"]  # as the CSV has them
    assert digests == {"memoranda": checked.sha256["memoranda"]}
    assert steps.kept_from_validation({"memoranda": checked.csv["memoranda"]}) == ({}, {})  # taken once
