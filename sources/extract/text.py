"""``read_document``: bytes of a downloaded document -> its text.

The kind is taken from ``content_type``, else the file name's extension, else
the leading bytes.  Anything that yields no text raises
:class:`UnreadableDocument` naming the file: an empty string would silently
turn into "no memorandum found".
"""

from __future__ import annotations

import io
import os
import re
import zipfile

from .docx_text import docx_to_text
from .encoding import decode_text
from .errors import UnreadableDocument
from .html_text import html_to_text
from .pdf_text import pdf_to_text

PDF, DOCX, HTML, TEXT = "pdf", "docx", "html", "text"

_CONTENT_TYPES = {
    "application/pdf": PDF,
    "application/x-pdf": PDF,
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": DOCX,
    "text/html": HTML,
    "application/xhtml+xml": HTML,
    "text/plain": TEXT,
    "text/csv": TEXT,
    "text/markdown": TEXT,
}
_EXTENSIONS = {
    ".pdf": PDF, ".docx": DOCX, ".html": HTML, ".htm": HTML, ".xhtml": HTML,
    ".txt": TEXT, ".text": TEXT, ".csv": TEXT, ".md": TEXT,
}
_LEGACY = {
    ".doc": "legacy Word .doc files are not supported (convert to DOCX or PDF)",
    "application/msword": "legacy Word .doc files are not supported (convert to DOCX or PDF)",
}
_HTML_SNIFF = re.compile(rb"<(?:!doctype\s+html|html|head|body|meta|title|div|p)[\s>]", re.I)
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_NEWLINES = re.compile(r"\r\n?")


def _media_type(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def detect_kind(data: bytes, *, name: str, content_type: str | None = None) -> str:
    media = _media_type(content_type)
    if media in _LEGACY:
        raise UnreadableDocument(name, _LEGACY[media])
    if media in _CONTENT_TYPES:
        return _CONTENT_TYPES[media]
    ext = os.path.splitext(name)[1].lower()
    if ext in _LEGACY:
        raise UnreadableDocument(name, _LEGACY[ext])
    if ext in _EXTENSIONS:
        return _EXTENSIONS[ext]
    return sniff_kind(data, name=name)


def sniff_kind(data: bytes, *, name: str) -> str:
    head = data[:1024]
    if b"%PDF-" in head:
        return PDF
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                if "word/document.xml" in zf.namelist():
                    return DOCX
        except zipfile.BadZipFile:
            raise UnreadableDocument(name, "damaged zip archive (not a readable DOCX)") from None
        raise UnreadableDocument(name, "zip archive that is not a DOCX document")
    if head.startswith(_OLE_MAGIC):
        raise UnreadableDocument(name, "legacy Office binary (.doc/.xls) is not supported")
    probe = head.replace(b"\x00", b"")  # lets UTF-16 markup be recognised too
    if _HTML_SNIFF.search(probe):
        return HTML
    return TEXT


def read_document(data: bytes, *, name: str, content_type: str | None = None) -> str:
    """Text of a PDF, DOCX, HTML or plain-text document; never empty."""
    if not isinstance(data, (bytes, bytearray, memoryview)):
        raise TypeError(f"read_document expects bytes, got {type(data).__name__}")
    data = bytes(data)
    if not data.strip():
        raise UnreadableDocument(name, "document is empty (0 bytes of content)")
    kind = detect_kind(data, name=name, content_type=content_type)
    if kind == PDF:
        text = pdf_to_text(data, name)
    elif kind == DOCX:
        text = docx_to_text(data, name)
    elif kind == HTML:
        text = html_to_text(decode_text(data, name=name, content_type=content_type, html=True))
    else:
        text = decode_text(data, name=name, content_type=content_type)
    text = _NEWLINES.sub("\n", text.replace("\x00", "")).strip()
    if not text:
        raise UnreadableDocument(name, "document contains no text")
    return text
