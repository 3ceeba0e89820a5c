"""Is a response the kind of document its role asked for? A listing must be HTML; an attachment a document.

Sites that break or are hijacked often answer 200 with something else: an HTML error or login page
where a PDF was linked, a PDF where a listing was expected. Catching that at the fetch names the URL
and the mismatch instead of letting a parser fail obscurely (or, worse, read the wrong thing).

Kinds are decided from the declared Content-Type; a generic one (`application/octet-stream`, none at
all) is decided from the leading bytes, then the URL's extension. Only a *contradiction* is refused:
a site serving a CSV as `text/plain` or an XLSX as `application/zip` is common and fine.
"""
from __future__ import annotations

import os
import re
from urllib.parse import urlsplit

HTML, PDF, DOCX, XLSX, CSV, JSON, TEXT, ZIP = "html", "pdf", "docx", "xlsx", "csv", "json", "text", "zip"
DOCUMENT_KINDS = frozenset({PDF, DOCX, XLSX, CSV, JSON, TEXT})

# role → the kinds it accepts; roles not listed (e.g. "api": sources/crawl_api.py checks its JSON itself,
# naming the page) are not checked unless the adapter passes `expect`
ROLE_KINDS = {
    "listing": frozenset({HTML}),
    "detail": frozenset({HTML}),
    "attachment": DOCUMENT_KINDS,
}
EXTENSIONS = {
    ".pdf": PDF, ".docx": DOCX, ".xlsx": XLSX, ".xlsm": XLSX, ".csv": CSV, ".tsv": CSV, ".json": JSON,
    ".txt": TEXT, ".html": HTML, ".htm": HTML,
}
# declared media type → the kinds it is compatible with (a CSV is often sent as text/plain or as Excel)
MEDIA = {
    "text/html": {HTML}, "application/xhtml+xml": {HTML},
    "application/pdf": {PDF}, "application/x-pdf": {PDF},
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": {DOCX},
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {XLSX},
    "application/zip": {DOCX, XLSX, ZIP}, "application/x-zip-compressed": {DOCX, XLSX, ZIP},
    "text/csv": {CSV, TEXT}, "application/csv": {CSV}, "text/x-csv": {CSV}, "text/comma-separated-values": {CSV},
    "application/vnd.ms-excel": {CSV},  # what many servers call any .csv
    "text/tab-separated-values": {CSV},
    "application/json": {JSON}, "text/json": {JSON}, "application/problem+json": {JSON},
    "text/plain": {TEXT, CSV, JSON},
}
GENERIC = {"", "application/octet-stream", "binary/octet-stream", "application/force-download",
           "application/download", "application/x-download", "application/unknown"}
_HTML_HEAD = re.compile(rb"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body)[\s>]", re.I | re.S)


def media_type(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def kind_of_extension(url: str) -> str | None:
    try:
        path = urlsplit(url).path
    except ValueError:
        return None
    return EXTENSIONS.get(os.path.splitext(path)[1].lower())


def sniff(data: bytes) -> str | None:
    head = data[:2048]
    if head.lstrip().startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"PK\x03\x04"):
        return ZIP
    if _HTML_HEAD.match(head):
        return HTML
    if head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"{", b"["):
        return JSON
    return None


def kinds_declared(content_type: str | None, data: bytes, url: str) -> set[str]:
    """What the response can be: by Content-Type, or for a generic type by its bytes and then its URL."""
    media = media_type(content_type)
    if media in MEDIA:
        return set(MEDIA[media])
    if media.endswith("+json"):
        return {JSON}
    if media in GENERIC:
        sniffed = sniff(data)
        if sniffed == ZIP:
            return {DOCX, XLSX, ZIP}
        if sniffed:
            return {sniffed}
        by_name = kind_of_extension(url)
        return {by_name} if by_name else set(DOCUMENT_KINDS)  # unknown bytes, no extension: let the parser decide
    return {media or "unknown"}


def expected_kinds(role: str, url: str, expect: str | tuple[str, ...] | None = None) -> frozenset[str] | None:
    """Kinds acceptable for `role`: as the adapter declared, else (attachments) by extension, else by role."""
    if expect:
        return frozenset((expect,) if isinstance(expect, str) else expect)
    allowed = ROLE_KINDS.get(role)
    if role == "attachment":
        by_name = kind_of_extension(url)
        if by_name in DOCUMENT_KINDS:
            return frozenset({by_name})
    return allowed


def mismatch(role: str, url: str, content_type: str | None, data: bytes,
             expect: str | tuple[str, ...] | None = None) -> str | None:
    """None when the response may be what `role` asked for, else a sentence saying what it is instead."""
    wanted = expected_kinds(role, url, expect)
    if wanted is None:
        return None
    got = kinds_declared(content_type, data, url)
    sniffed = sniff(data)
    contradicted = sniffed is not None and sniffed not in wanted and not (sniffed == ZIP and wanted & {DOCX, XLSX})
    if got & wanted and not contradicted:
        return None
    what = media_type(content_type) or "no Content-Type"
    if sniffed and (contradicted or sniffed not in got):
        what += f" (the body looks like {sniffed.upper()})"
    article = "an" if role[:1] in "aeiou" else "a"
    return f"expected {' or '.join(sorted(k.upper() for k in wanted))} for {article} {role}, got {what}"
