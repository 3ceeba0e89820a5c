"""read_document / extract_file: PDF, DOCX, HTML, plain text, encodings and failures."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader, PdfWriter
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from sources.extract import UnreadableDocument, extract_file, read_document

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
FIXTURES = Path(__file__).parent / "fixtures" / "extract"

PDF_LINES = [
    "Меморандум между ТОО «Демо Мунай Сервис» (БИН 010140003495)",
    "и Атырау облысының әкімдігі: 2,5 млрд тенге, 2024–2026 жылдары.",
]


def make_pdf(lines: list[str]) -> bytes:
    if "DejaVu" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVu", FONT))
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.setFont("DejaVu", 11)
    for i, line in enumerate(lines):
        c.drawString(40, 800 - 20 * i, line)
    c.showPage()
    c.save()
    return buf.getvalue()


def encrypt(pdf: bytes, user_password: str) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def make_docx() -> bytes:
    d = docx.Document()
    d.add_paragraph("«Демо Мунай Сервис» ЖШС мен Атырау облысының әкімдігі арасындағы меморандум")
    table = d.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Жоба"
    table.cell(0, 1).text = "Сомасы"
    table.cell(1, 0).text = "Мектеп құрылысы"
    table.cell(1, 1).text = "1 250 000 000 теңге"
    d.add_paragraph("Қол қойылған күні: 2023 жылғы 14 наурыз")
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


# --- PDF -------------------------------------------------------------------

def test_pdf_text_keeps_kazakh_letters():
    text = read_document(make_pdf(PDF_LINES), name="memo.pdf")
    assert "ТОО «Демо Мунай Сервис»" in text
    assert "Атырау облысының әкімдігі" in text


def test_pdf_sniffed_without_name_or_type():
    assert "Демо" in read_document(make_pdf(PDF_LINES), name="download")


def test_corrupt_pdf_names_file():
    pdf = make_pdf(PDF_LINES)
    with pytest.raises(UnreadableDocument) as err:
        read_document(pdf[: len(pdf) // 3], name="memo.pdf")
    assert str(err.value).startswith("memo.pdf: not a readable PDF (")
    assert err.value.name == "memo.pdf"


def test_not_a_pdf_at_all():
    with pytest.raises(UnreadableDocument, match=r"^memo\.pdf: not a readable PDF"):
        read_document(b"<html>oops, an error page</html>", name="memo.pdf", content_type="application/pdf")


def test_encrypted_pdf():
    with pytest.raises(UnreadableDocument, match=r"^x\.pdf: PDF is encrypted"):
        read_document(encrypt(make_pdf(PDF_LINES), "secret"), name="x.pdf")


def test_owner_only_encrypted_pdf_is_readable():
    assert "Демо" in read_document(encrypt(make_pdf(PDF_LINES), ""), name="open.pdf")


def test_pdf_without_text_layer():
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.rect(50, 50, 200, 200, fill=1)  # stands in for a scanned image
    c.showPage()
    c.save()
    with pytest.raises(UnreadableDocument) as err:
        read_document(buf.getvalue(), name="scan.pdf")
    assert str(err.value) == "scan.pdf: PDF has no extractable text (scanned image? OCR is not supported)"


# --- DOCX ------------------------------------------------------------------

def test_docx_paragraphs_and_table_cells_in_order():
    text = read_document(make_docx(), name="memo.docx")
    lines = text.splitlines()
    assert lines[0].startswith("«Демо Мунай Сервис» ЖШС")
    assert lines.index("Мектеп құрылысы") < lines.index("1 250 000 000 теңге") < len(lines) - 1
    assert lines[-1] == "Қол қойылған күні: 2023 жылғы 14 наурыз"


def test_docx_by_content_type_and_by_sniffing():
    data = make_docx()
    ct = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert "Мектеп" in read_document(data, name="file", content_type=ct)
    assert "Мектеп" in read_document(data, name="file.bin")


def test_broken_docx():
    with pytest.raises(UnreadableDocument, match=r"^memo\.docx: not a readable DOCX"):
        read_document(b"PK\x03\x04 definitely not a zip", name="memo.docx")


def test_zip_that_is_not_docx():
    buf = io.BytesIO()
    import zipfile

    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("data.csv", "a,b\n")
    with pytest.raises(UnreadableDocument, match="not a DOCX"):
        read_document(buf.getvalue(), name="archive")


def test_legacy_doc_is_refused_clearly():
    with pytest.raises(UnreadableDocument, match=r"^old\.doc: legacy Word"):
        read_document(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, name="old.doc")


# --- HTML ------------------------------------------------------------------

HTML_CP1251 = (
    '<html><head><meta charset="windows-1251"><title>Заголовок</title>'
    "<style>p {color: red}</style><script>var x = '1 000 тенге';</script></head>"
    "<body><h1>Меморандум</h1><p>ТОО «Демо» выделит <b>500 млн</b> тенге</p>"
    "<div>Атырауской области</div><ul><li>первый</li><li>второй</li></ul></body></html>"
).encode("cp1251")


def test_html_meta_charset_cp1251_body_only_blocks_as_lines():
    text = read_document(HTML_CP1251, name="page.html")
    assert text.splitlines() == [
        "Меморандум", "ТОО «Демо» выделит 500 млн тенге", "Атырауской области", "первый", "второй",
    ]
    assert "Заголовок" not in text and "var x" not in text and "color" not in text


def test_html_header_charset_wins_and_is_strict():
    data = "<html><body><p>Сумма: 1 000 тенге</p></body></html>".encode("cp1251")
    with pytest.raises(UnreadableDocument) as err:
        read_document(data, name="page.html", content_type="text/html; charset=utf-8")
    message = str(err.value)
    assert message.startswith("page.html: declared charset utf-8 but byte 0x")
    assert message.endswith("is not valid utf-8")
    assert " 0xd1 at offset 15 " in message  # first byte of "Сумма"


def test_html_wrong_meta_charset_is_reported_not_guessed():
    data = '<html><head><meta charset="utf-8"></head><body>Привет</body></html>'.encode("cp1251")
    with pytest.raises(UnreadableDocument, match=r"^bad\.html: declared charset utf-8 but byte 0xcf at offset \d+"):
        read_document(data, name="bad.html")


def test_unknown_declared_charset():
    with pytest.raises(UnreadableDocument, match="not a known encoding"):
        read_document(b"<html><body>x</body></html>", name="p.html", content_type="text/html; charset=foo-99")


def test_empty_html_page():
    with pytest.raises(UnreadableDocument) as err:
        read_document(b"<html><head><title>t</title></head><body> <script>x()</script> </body></html>",
                      name="empty.html")
    assert str(err.value) == "empty.html: document contains no text"


def test_html_sniffed_and_utf16_bom():
    data = "\ufeff<!DOCTYPE html><html><body><p>Шымкент</p></body></html>".encode("utf-16-le")
    assert read_document(data, name="noext") == "Шымкент"


# --- plain text ------------------------------------------------------------

def test_text_utf8_with_bom():
    assert read_document("\ufeffАстана".encode("utf-8"), name="a.txt") == "Астана"


def test_undeclared_cp1251_plain_text_is_accepted_when_plausible():
    data = "Акимат Атырауской области и ТОО «Демо» подписали меморандум.".encode("cp1251")
    assert read_document(data, name="memo.txt").startswith("Акимат Атырауской")


def test_undeclared_binary_is_refused():
    with pytest.raises(UnreadableDocument, match=r"^blob\.txt: no charset declared and not valid utf-8"):
        read_document(bytes(range(128, 256)) * 4, name="blob.txt")


def test_empty_file():
    with pytest.raises(UnreadableDocument, match=r"^nothing\.txt: document is empty"):
        read_document(b"  \n ", name="nothing.txt")


# --- extract_file on fixtures -----------------------------------------------

def test_extract_file_html_fixture():
    result = extract_file(FIXTURES / "akimat_news_cp1251.html")
    assert result["language"] == "ru"
    assert [a["value"] for a in result["amounts"]] == [1_250_000_000]
    assert [r["code"] for r in result["regions"]] == ["470000000", "470000000"]
    assert result["organizations"][0]["name"] == "ТОО «Демо Каспий Ойл»"
    assert result["periods"] == [{"start": "2024", "end": "2026", "text": "2024–2026 годах"}]


def test_extract_file_error_names_basename(tmp_path):
    p = tmp_path / "broken.pdf"
    p.write_bytes(b"%PDF-1.7\n% nothing here")
    with pytest.raises(UnreadableDocument, match=r"^broken\.pdf: "):
        extract_file(p)


def test_letters_are_counted_in_utf8_bytes_as_a_regex_counts_them_in_text():
    """plausibly_cyrillic counts Cyrillic (U+0400-U+04FF) and Latin letters in the text's UTF-8 bytes; the
    counts, so the verdicts, are those of regular expressions over the text."""
    import re

    from hypothesis import given, settings
    from hypothesis import strategies as st

    import sources.extract.encoding as encoding

    def by_regex(text: str) -> bool:
        cyr = len(re.findall(r"[\u0400-\u04ff]", text))
        lat = len(re.findall(r"[A-Za-z]", text))
        if cyr < 3 or cyr < lat * 0.3:
            return False
        return len(encoding._ODD.findall(text)) <= max(2, cyr // 50)

    letters = st.sampled_from("абвгдеёжзәғқңөұүһіЁӘӨЂѓ†АЯӀӿ" + "azAZ@[`{" + "09 ;,\x00\x7f\x9f€ÿĀ\u0500\u03ff\ud800\U0001f600")

    @settings(max_examples=300, deadline=None)
    @given(st.text(letters, max_size=60))
    def check(text):
        assert encoding.plausibly_cyrillic(text) == by_regex(text)

    check()
    assert encoding.plausibly_cyrillic("Поступления в бюджет, тыс. тенге") and not encoding.plausibly_cyrillic("Ðîññèÿ mojibake text")
