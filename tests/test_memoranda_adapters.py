"""Both akimat adapters crawl the bundled mirror over real HTTP and read every memorandum correctly.

The truth file is written by tools/build_sample_mirror.py from the same facts it renders into the
pages, PDFs and DOCX files, so it is an independent oracle for the whole crawl → extract chain.
"""
import csv
from decimal import Decimal
from pathlib import Path

import pytest

from pipelines.settings import Settings
from pipelines.steps import document_rows, parsed_tables, raw_crawl
from sources.catalog import load_catalog

TRUTH = Path(__file__).parent / "fixtures" / "sample_memoranda_truth.csv"


@pytest.fixture(scope="module")
def crawled(tmp_path_factory):
    root = tmp_path_factory.mktemp("adapters")
    settings = Settings(published_dir=root / "published", archive_dir=root / "raw", mirror_url=None, live=False)
    sources = [s for s in load_catalog() if s.family == "memoranda"]
    manifests = {s.id: raw_crawl(s, settings) for s in sources}
    rows = {row["memorandum_id"]: row for s in sources for row in parsed_tables(s, manifests[s.id], settings)["memoranda"]}
    return settings, sources, manifests, rows


def truth():
    with open(TRUTH, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_every_memorandum_on_every_listing_page_is_found(crawled):
    _, sources, manifests, rows = crawled
    expected = {f"{t['source_id']}/{t['native_id']}" for t in truth()}
    assert set(rows) == expected
    assert len(expected) >= 20 and {s.id for s in sources} == {"atyrau-akimat", "aktobe-akimat"}


@pytest.mark.parametrize("field", ["language", "date_signed", "region_code", "company_bin", "amount", "currency", "period_start", "period_end"])
def test_extracted_fields_match_the_truth(crawled, field):
    _, _, _, rows = crawled
    wrong = []
    for t in truth():
        row = rows[f"{t['source_id']}/{t['native_id']}"]
        got = row[field]
        want = t[field] or None
        if field == "amount":
            got, want = (Decimal(str(got)) if got is not None else None), (Decimal(want) if want else None)
        if got != want:
            wrong.append(f"{row['memorandum_id']}: {field} = {got!r}, truth {want!r}")
    assert not wrong, "\n".join(wrong)


def test_company_and_document_provenance(crawled):
    settings, _, manifests, rows = crawled
    documents = {d["sha256"]: d for d in document_rows(list(manifests.values()), settings)}
    for t in truth():
        row = rows[f"{t['source_id']}/{t['native_id']}"]
        quoted = t["company_name"].split("«")[-1].split("»")[0] if "«" in t["company_name"] else t["company_name"].split(" LLP")[0]
        assert row["company_name"] and quoted.strip('"') in row["company_name"], (row["company_name"], t["company_name"])
        document = documents[row["document_sha256"]]
        if t["attachment_url"]:
            assert document["url"] == t["attachment_url"] and document["role"] == "attachment"
            assert row["locator"].split(":")[0] in ("pdf", "docx")
        else:
            assert document["url"] == t["detail_url"] and row["locator"].startswith("html:")
        assert row["source_url"] == t["detail_url"]


def test_listing_pages_redirects_and_attachments_are_archived(crawled):
    settings, _, manifests, _ = crawled
    documents = document_rows(list(manifests.values()), settings)
    roles = {d["role"] for d in documents}
    assert roles == {"listing", "detail", "attachment"}
    assert any(d["url"] != d["final_url"] for d in documents if d["role"] == "listing"), "start URLs redirect to page 1"
    assert all(d["url"].startswith("https://") and "127.0.0.1" not in d["final_url"] for d in documents)
