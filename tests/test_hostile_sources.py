"""Bad input from a source gets a clear error naming the page or file and what was wrong."""
import re
import shutil
from pathlib import Path

import pytest

from pipelines.settings import Settings
from pipelines.steps import parsed_tables, raw_crawl
from sources.catalog import load_catalog
from sources.crawl import LayoutError
from sources.extract import UnreadableDocument
from sources.memoranda.site import ParseError
from sources.mirror_server import serve_mirror

MIRROR = Path(__file__).resolve().parent.parent / "sources" / "mirror"
ATYRAU_DETAIL = "www.gov.kz/memleket/entities/atyrau/documents/details/318506@lang=ru"
ATYRAU_PAGE_1 = "www.gov.kz/memleket/entities/atyrau/documents/memoranda@page=1"


@pytest.fixture
def mirror_copy(tmp_path):
    root = tmp_path / "mirror"
    shutil.copytree(MIRROR, root)
    return root


def crawl_and_parse(root: Path, tmp_path: Path, source_id: str):
    source = next(s for s in load_catalog() if s.id == source_id)
    with serve_mirror(root) as base:
        settings = Settings(published_dir=tmp_path / "pub", archive_dir=tmp_path / "raw", mirror_url=base, live=False)
        manifest = raw_crawl(source, settings)
    return parsed_tables(source, manifest, settings)


def test_page_in_the_wrong_encoding_names_the_page(mirror_copy, tmp_path):
    page = mirror_copy / ATYRAU_DETAIL
    page.write_bytes(page.read_text("utf-8").encode("cp1251", errors="replace"))  # still declares utf-8
    with pytest.raises(UnreadableDocument) as error:
        crawl_and_parse(mirror_copy, tmp_path, "atyrau-akimat")
    assert "318506" in str(error.value) and "utf-8" in str(error.value).lower()


def test_empty_detail_page_is_an_error_not_an_empty_row(mirror_copy, tmp_path):
    (mirror_copy / ATYRAU_DETAIL).write_text("<html><body></body></html>", "utf-8")
    with pytest.raises((LayoutError, UnreadableDocument, ParseError)) as error:
        crawl_and_parse(mirror_copy, tmp_path, "atyrau-akimat")
    assert "318506" in str(error.value)


def test_listing_whose_layout_changed_finds_nothing_and_says_so(mirror_copy, tmp_path):
    page = mirror_copy / ATYRAU_PAGE_1
    page.write_text(re.sub(r'class="document-item"', 'class="doc-card"', page.read_text("utf-8")), "utf-8")
    with pytest.raises(LayoutError, match=r"memoranda\?page=1: no items match"):
        crawl_and_parse(mirror_copy, tmp_path, "atyrau-akimat")


def test_corrupt_docx_names_the_attachment(mirror_copy, tmp_path):
    docx = sorted((mirror_copy / "www.gov.kz").rglob("*.docx"))[0]
    docx.write_bytes(b"PK\x03\x04 truncated zip")
    with pytest.raises(ParseError) as error:
        crawl_and_parse(mirror_copy, tmp_path, "atyrau-akimat")
    assert docx.name in str(error.value)
