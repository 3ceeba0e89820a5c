"""Text layer of a PDF via pypdf.  Scanned PDFs have none; OCR is out of scope."""

from __future__ import annotations

import io
import logging

from pypdf import PdfReader
from pypdf.errors import DependencyError

from .errors import UnreadableDocument

MAX_PAGES = 2000  # a memorandum or report runs to tens of pages; thousands means a hostile or wrong file


def pdf_to_text(data: bytes, name: str) -> str:
    pypdf_log = logging.getLogger("pypdf")
    level = pypdf_log.level
    pypdf_log.setLevel(logging.ERROR)  # broken-xref warnings are noise; failures raise below
    try:
        return _read(data, name)
    finally:
        pypdf_log.setLevel(level)


def _read(data: bytes, name: str) -> str:
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            _decrypt(reader, name)
        count = len(reader.pages)
        if count > MAX_PAGES:
            raise UnreadableDocument(name, f"PDF has {count} pages (limit {MAX_PAGES})")
        pages = list(reader.pages)
    except UnreadableDocument:
        raise
    except Exception as exc:  # pypdf raises many types on garbage input
        raise UnreadableDocument(name, f"not a readable PDF ({_why(exc)})") from None
    texts, failures = [], []
    for number, page in enumerate(pages, 1):
        try:
            texts.append(page.extract_text() or "")
        except Exception as exc:
            failures.append(f"page {number}: {_why(exc)}")
    if not pages:
        raise UnreadableDocument(name, "PDF has no pages")
    text = "\n\n".join(t.replace("\x00", "") for t in texts).strip()
    if not text:
        if failures:
            raise UnreadableDocument(name, f"not a readable PDF ({failures[0]})")
        raise UnreadableDocument(name, "PDF has no extractable text (scanned image? OCR is not supported)")
    return text


def _decrypt(reader: PdfReader, name: str) -> None:
    """Open PDFs that are only owner-protected (empty user password); refuse the rest."""
    try:
        ok = reader.decrypt("")
    except DependencyError:
        raise UnreadableDocument(name, "PDF is encrypted (AES; the cryptography package is not installed)") from None
    except Exception:
        ok = 0
    if not ok:
        raise UnreadableDocument(name, "PDF is encrypted")


def _why(exc: Exception) -> str:
    return (str(exc).strip() or type(exc).__name__)[:200]
