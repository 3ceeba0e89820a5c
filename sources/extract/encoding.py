"""Turning the bytes of a text or HTML document into ``str``.

Order of evidence: a byte-order mark, then a charset declared by the server
(``content_type``), then one declared in the document (``<meta charset>``,
``<meta http-equiv>``, ``<?xml encoding?>``).  A declared charset is honoured
strictly: if the bytes do not decode, the document is reported, not guessed
at, because a silent mis-decode publishes garbage.  Undeclared bytes are tried
as UTF-8, then as cp1251 (the usual legacy encoding of Kazakh/Kyrgyz sites)
only if the result plausibly is Cyrillic text.
"""

from __future__ import annotations

import codecs
import re

from .errors import UnreadableDocument

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: same first two bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_CT_CHARSET = re.compile(r"""charset\s*=\s*["']?([\w.:\-]+)""", re.I)
_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,512}?charset\s*=\s*["']?\s*([\w.:\-]+)""", re.I
)
_XML_ENCODING = re.compile(rb"""^\s*<\?xml[^>]{0,200}?encoding\s*=\s*["']([\w.:\-]+)["']""", re.I)
# Letters counted in the text's UTF-8 bytes: a Cyrillic letter (U+0400-U+04FF) is the only thing that begins
# with one of these lead bytes, a Latin letter is its own byte; bytes.count runs at memory speed, where a
# regular expression over a 20-million-letter report took most of a second
_CYRILLIC_LEADS = (b"\xd0", b"\xd1", b"\xd2", b"\xd3")
_NOT_LATIN = bytes(b for b in range(256) if not (0x41 <= b <= 0x5A or 0x61 <= b <= 0x7A))
# Characters cp1251 can produce that real Russian/Kazakh text almost never contains:
# controls, Serbian/Macedonian letters, dagger and per-mille signs.
_ODD = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9fЂЃЉЊЌЋЏђѓљњќћџҐґ†‡‰]")


def charset_from_content_type(content_type: str | None) -> str | None:
    if not content_type:
        return None
    m = _CT_CHARSET.search(content_type)
    return m.group(1) if m else None


def declared_in_document(data: bytes) -> str | None:
    """Charset named by the document itself (HTML meta or XML declaration), if any."""
    head = data[:4096]
    m = _XML_ENCODING.search(head) or _META_CHARSET.search(head)
    return m.group(1).decode("ascii", "replace") if m else None


def _strict(data: bytes, charset: str, name: str, how: str) -> str:
    try:
        codec = codecs.lookup(charset).name
    except LookupError:
        raise UnreadableDocument(name, f"{how} charset {charset!r} is not a known encoding") from None
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        byte = exc.object[exc.start]
        raise UnreadableDocument(
            name,
            f"{how} charset {charset} but byte 0x{byte:02x} at offset {exc.start} is not valid {charset}",
        ) from None


def plausibly_cyrillic(text: str) -> bool:
    """True for text that reads as Russian/Kazakh, not as mojibake or binary."""
    encoded = text.encode("utf-8", "surrogatepass")
    cyr = sum(map(encoded.count, _CYRILLIC_LEADS))
    lat = len(encoded.translate(None, _NOT_LATIN))
    if cyr < 3 or cyr < lat * 0.3:
        return False
    return len(_ODD.findall(text)) <= max(2, cyr // 50)


def decode_text(data: bytes, *, name: str, content_type: str | None = None, html: bool = False) -> str:
    """Decode ``data``; raises :class:`UnreadableDocument` rather than guessing wrongly."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _strict(data[len(bom):], codec, name, "byte-order mark says")
    declared = charset_from_content_type(content_type)
    if declared:
        return _strict(data, declared, name, "declared")
    declared = declared_in_document(data) if html or data.lstrip()[:5] == b"<?xml" else None
    if declared:
        return _strict(data, declared, name, "declared")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = f"byte 0x{exc.object[exc.start]:02x} at offset {exc.start}"
    try:
        text = data.decode("cp1251")
    except UnicodeDecodeError:
        text = None
    if text is not None and plausibly_cyrillic(text):
        return text
    raise UnreadableDocument(
        name,
        f"no charset declared and not valid utf-8 ({utf8_error} is not valid utf-8) nor plausible cp1251 text",
    )
