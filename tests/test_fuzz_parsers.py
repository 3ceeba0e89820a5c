"""Property-based fuzzing of every parser entry point: arbitrary and mutated input ends in rows or in the
entry point's documented error type, within a time limit, and entities quote only text that is in the input.

Seeds are the bundled mirror's real files, mutated byte-wise and (for XLSX/DOCX) inside their XML parts.
Hypothesis keeps no database here (nothing is written into the repository). For a longer hunt:
ASHYQ_FUZZ_SCALE=50 .venv/bin/pytest tests/test_fuzz_parsers.py"""
from __future__ import annotations

import gzip
import io
import os
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import time_limit
from sources import budget, projects
from sources.archive import Sidecar
from sources.budget import BudgetFileError
from sources.crawl import LayoutError, walk_listing
from sources.extract import UnreadableDocument, extract_entities, read_document
from sources.http import FetchError, Fetched
from sources.memoranda.aktobe_gov_kz import AktobeMemoranda
from sources.memoranda.gov_kz import GovKzMemoranda
from sources.memoranda.record import text_facts
from sources.projects.cells import CellError
from sources.projects.grids import LayoutError as ProjectLayoutError

MIRROR = Path(__file__).resolve().parent.parent / "sources" / "mirror"
FIXED = (2024, 1, 1, 0, 0, 0)
LIMIT_SECONDS = 5.0

BUDGET_ERRORS = (BudgetFileError,)
PROJECT_ERRORS = (ProjectLayoutError, CellError, UnreadableDocument)
DOCUMENT_ERRORS = (UnreadableDocument,)
LISTING_ERRORS = (LayoutError, UnreadableDocument, FetchError)


SCALE = int(os.environ.get("ASHYQ_FUZZ_SCALE", "1"))  # e.g. 50 for a long, randomised local run


def fuzz(examples: int):
    """Modest and reproducible in the suite (derandomized); ASHYQ_FUZZ_SCALE>1 explores fresh inputs."""
    return settings(max_examples=examples * SCALE, deadline=None, database=None, derandomize=SCALE == 1,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])


def seeds(*suffixes: str, under: str = "") -> list[tuple[str, bytes]]:
    files = sorted(p for p in (MIRROR / under).rglob("*") if p.is_file() and p.suffix in suffixes)
    return [(p.name, p.read_bytes()) for p in files]


def json_seeds() -> list[tuple[str, bytes]]:
    return [(p.name, p.read_bytes()) for p in sorted((MIRROR / "budget.egov.kz").rglob("*")) if p.is_file()]


def gzipped(seed_list: list[tuple[str, bytes]]) -> list[tuple[str, bytes]]:
    """The CSVs among `seed_list`, as a portal may serve them (their mutations are mostly damaged gzip)."""
    return [(name + ".gz", gzip.compress(data, mtime=0)) for name, data in seed_list if name.endswith(".csv")]


BUDGET_SEEDS = seeds(".xlsx", ".csv", under="www.gov.kz") + seeds(".xlsx", under="budget.okmot.kg") + json_seeds()
BUDGET_SEEDS += gzipped(BUDGET_SEEDS)
PROJECT_SEEDS = seeds(".xlsx", ".csv", ".html", under="www.demo-zhaik-minerals.example") + seeds(
    ".csv", under="www.demo-aktobe-copper.example") + [
    (p.name, p.read_bytes()) for p in sorted((MIRROR / "www.ulgi-munai.example").rglob("*")) if p.is_file()]
PROJECT_SEEDS += gzipped(PROJECT_SEEDS)
DOCUMENT_SEEDS = seeds(".pdf", ".docx", under="aktobe.gov.kz")[:4] + seeds(".html", under="aktobe.gov.kz")[:2]
LISTINGS = [
    (GovKzMemoranda.listing, (MIRROR / "www.gov.kz/memleket/entities/atyrau/documents/memoranda@page=1").read_bytes(),
     "https://www.gov.kz/memleket/entities/atyrau/documents/memoranda?page=1"),
    (AktobeMemoranda.listing, (MIRROR / "aktobe.gov.kz/ru/memorandumy/page/1/index.html").read_bytes(),
     "https://aktobe.gov.kz/ru/memorandumy/page/1/"),
]


# ------------------------------------------------------------------ strategies


@st.composite
def mutated(draw, data: bytes) -> bytes:
    """`data` with a few byte-level edits: flips, deletions, insertions, duplications, a truncation."""
    data = bytearray(data)
    for _ in range(draw(st.integers(1, 4))):
        if not data:
            break
        at = draw(st.integers(0, len(data) - 1))
        edit = draw(st.sampled_from(["flip", "delete", "insert", "duplicate", "truncate"]))
        if edit == "flip":
            data[at] = draw(st.integers(0, 255))
        elif edit == "delete":
            del data[at:at + draw(st.integers(1, 64))]
        elif edit == "insert":
            data[at:at] = draw(st.binary(min_size=1, max_size=32))
        elif edit == "duplicate":
            data[at:at] = data[at:at + draw(st.integers(1, 256))] * draw(st.integers(1, 8))
        else:
            del data[at:]
    return bytes(data)


@st.composite
def mutated_inside_zip(draw, data: bytes) -> bytes:
    """An XLSX/DOCX whose zip stays valid but one XML part is mutated: reaches the XML and cell readers."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        infos = source.infolist()
        parts = {info.filename: source.read(info.filename) for info in infos}
    target = draw(st.sampled_from(sorted(n for n in parts if n.endswith(".xml"))))
    parts[target] = draw(mutated(parts[target]))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zipped:
        for name, body in parts.items():
            zipped.writestr(zipfile.ZipInfo(name, FIXED), body)
    return out.getvalue()


def seeded(seed_list):
    def variants(seed):
        name, data = seed
        options = [mutated(data)]
        if data.startswith(b"PK\x03\x04"):
            options.append(mutated_inside_zip(data))
        return st.tuples(st.just(name), st.one_of(*options))

    return st.sampled_from(seed_list).flatmap(variants)


NAMES = st.sampled_from(["file", "file.pdf", "file.docx", "file.html", "file.txt", "file.csv", "file.xlsx", "file.json",
                         "https://example.kz/x?page=2", "memo.doc", "file.xls"])
CONTENT_TYPES = st.sampled_from([None, "text/html", "text/html; charset=windows-1251", "application/pdf", "text/plain; charset=utf-16",
                                 "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "text/csv",
                                 "application/octet-stream", "text/plain; charset=bogus-charset"])
FRAGMENTS = ["тенге", "теңге", "млн", "млрд", "тыс.", "₸", "KZT", "сом", "USD", "$", "года", "жылғы", "января", "желтоқсан",
             "2024", "31.12.2025", "2023-2025", "ТОО", "АО", "ЖШС", "«Демо Мұнай»", "\"Demo Oil\" LLP", "БИН", "123456789012",
             "область", "облысы", "Атырауской области", "Ақтөбе", "с", "по", "до", "дейін", "—", "-", ".", ",", ";", "\n",
             "\u00a0", "\u200b", "1 000 000,50", "2,5", "0", "9" * 40, "(", ")", "%", "на общую сумму", "в размере", "total"]
TEXTS = st.one_of(
    st.text(max_size=300),
    st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(alphabet="0123456789 .,-–—абвгдеёжзқңүұһәөі", max_size=6)),
             max_size=60).map(" ".join),
    st.lists(st.sampled_from(FRAGMENTS), max_size=40).map("".join),
)
ATTRIBUTES = st.sampled_from(["", "http://[", "//[::1", "javascript:alert(1)", "http://10.0.0.1/", "../../../etc/passwd",
                              "?page=2", "#", "https://evil.example/\x00", "http://a:99999/", "%zz", "\\\\server\\share",
                              "data:text/html,<p>", "/ru/memorandumy/1.html", "http://[::1]:80/x", "mailto:x@y"])


@st.composite
def listing_pages(draw) -> bytes:
    """Listing-like HTML: the real class names, rearranged, with hostile hrefs and text."""
    tags = st.sampled_from(["ul class='documents-list'", "li class='document-item'", "a class='document-link'",
                            "table class='memoranda'", "tr", "td class='title'", "td class='file'", "td class='date'",
                            "nav class='pagination'", "a rel='next'", "div class='pager'", "a class='next'", "span class='document-date'",
                            "p", "div", "script", "table", "b"])
    parts = []
    for _ in range(draw(st.integers(0, 30))):
        tag = draw(tags)
        if tag.startswith("a"):
            parts.append(f"<{tag} href='{draw(ATTRIBUTES)}'>{draw(TEXTS)[:40]}</a>")
        elif draw(st.booleans()):
            parts.append(f"<{tag}>")
        else:
            parts.append(f"</{tag.split()[0]}>{draw(TEXTS)[:40]}")
    return ("<!doctype html><html><body>" + "".join(parts)).encode("utf-8", "surrogatepass")


class PageFetcher:
    """A fetcher that serves one page from memory; every other URL is a 404 (a FetchError, as the real one)."""

    def __init__(self, url: str, data: bytes):
        self.url, self.data = url, data

    def get(self, url: str, *, role: str, expect=None) -> Fetched:
        if url != self.url:
            raise FetchError(url, "HTTP 404 Not Found")
        sidecar = Sidecar(sha256="0" * 64, source_id="fuzz", role=role, url=url, final_url=url, retrieved_at="2024-01-01T00:00:00Z",
                          http_status=200, content_type="text/html; charset=utf-8", etag="", last_modified="",
                          bytes=len(self.data), sample=True)
        return Fetched(url, url, self.data, sidecar, False)


def assert_names(error: Exception, name: str) -> None:
    assert name.rsplit("/", 1)[-1].split("?")[0] in str(error) or name in str(error), error


def parsed_or_named_error(parse_file, seed: tuple[str, bytes], errors: tuple):
    """The tables `parse_file` reads from a (name, bytes) seed in time, or None after one of `errors` naming the file."""
    name, data = seed
    with time_limit(LIMIT_SECONDS):
        try:
            return parse_file(data, name=name)
        except errors as error:
            assert_names(error, name)
            return None


# ------------------------------------------------------------------ properties


@fuzz(150)
@given(data=st.one_of(st.binary(max_size=2048), seeded(DOCUMENT_SEEDS).map(lambda pair: pair[1])), name=NAMES, content_type=CONTENT_TYPES)
def test_read_document_returns_text_or_unreadable_document(data, name, content_type):
    with time_limit(LIMIT_SECONDS):
        try:
            text = read_document(data, name=name, content_type=content_type)
        except DOCUMENT_ERRORS as error:
            assert_names(error, name)
        else:
            assert isinstance(text, str) and text.strip()


@fuzz(250)
@given(text=TEXTS)
def test_entities_quote_only_text_that_is_in_the_input(text):
    with time_limit(LIMIT_SECONDS):
        found = extract_entities(text)
    for kind in ("amounts", "dates", "periods", "regions", "organizations"):
        for entity in found[kind]:
            assert entity["text"] and entity["text"] in text, (kind, entity)


@fuzz(150)
@given(text=TEXTS, shown=st.sampled_from(["", "12.03.2024", "вчера", "2024"]))
def test_memorandum_facts_come_from_any_text_without_error(text, shown):
    with time_limit(LIMIT_SECONDS):
        facts = text_facts(text, shown_date=shown)
    assert set(facts) >= {"amount", "currency", "company_name", "period_start", "period_end", "date_signed"}
    assert (facts["amount"] is None) == (facts["currency"] is None)


@fuzz(120)
@given(seed=st.one_of(seeded(BUDGET_SEEDS), st.tuples(NAMES, st.binary(max_size=2048))))
def test_budget_parse_file_returns_rows_or_a_budget_file_error(seed):
    tables = parsed_or_named_error(budget.parse_file, seed, BUDGET_ERRORS)
    if tables is not None:
        assert set(tables) == {"budget_lines", "budget_totals"} and tables["budget_lines"]


@fuzz(120)
@given(seed=st.one_of(seeded(PROJECT_SEEDS), st.tuples(NAMES, st.binary(max_size=2048))))
def test_projects_parse_file_returns_rows_or_a_documented_error(seed):
    tables = parsed_or_named_error(projects.parse_file, seed, PROJECT_ERRORS)
    if tables is not None:
        assert list(tables) == ["social_projects"]


@fuzz(150)
@given(case=st.sampled_from(LISTINGS), page=st.one_of(listing_pages(), st.nothing()), mutate=st.booleans(), data=st.data())
def test_listing_parsing_yields_items_or_a_layout_error(case, page, mutate, data):
    listing, real_page, url = case
    body = page if page is not None else real_page
    if mutate:
        body = data.draw(mutated(body))
    with time_limit(LIMIT_SECONDS):
        try:
            items = list(walk_listing(PageFetcher(url, body), url, listing))
        except LISTING_ERRORS as error:
            assert "://" in str(error)  # names the page (or the next page's URL)
        else:
            assert items and all(item.url.startswith(("http://", "https://")) or item.url for item in items)


def test_seeds_are_present():
    """The fuzzers start from real files; an emptied mirror would silently weaken them."""
    assert len(BUDGET_SEEDS) >= 4 and len(PROJECT_SEEDS) >= 3 and len(DOCUMENT_SEEDS) >= 4


@pytest.mark.parametrize("href", ["http://[", "http://[::1", "https://[bad/x"])
def test_a_malformed_link_on_a_listing_is_a_layout_error(href):
    """urljoin raises a bare ValueError on an unclosed IPv6 bracket; the crawl must report the page instead."""
    listing, _, url = LISTINGS[1]
    page = f"<html><body><table class='memoranda'><tr><td class='title'><a href='{href}'>x</a></td></tr></table></body></html>"
    with pytest.raises(LISTING_ERRORS):
        list(walk_listing(PageFetcher(url, page.encode()), url, listing))
