"""Text of a DOCX body: every paragraph, including those inside table cells, in document order."""

from __future__ import annotations

import io
import zipfile

import docx
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph

from sources.safety.archives import UnsafeFile, check_ooxml

from .errors import UnreadableDocument

_P = qn("w:p")
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"


def docx_to_text(data: bytes, name: str) -> str:
    try:
        check_ooxml(data)  # zip bombs, DTDs and entities are refused before python-docx inflates anything
    except UnsafeFile as exc:
        raise UnreadableDocument(name, f"not a readable DOCX ({exc})") from None
    try:
        document = docx.Document(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise UnreadableDocument(name, "not a readable DOCX (not a zip archive)") from None
    except Exception as exc:
        raise UnreadableDocument(name, f"not a readable DOCX ({str(exc)[:200] or type(exc).__name__})") from None
    body = document.element.body
    # Walking every w:p in order covers body paragraphs, table cells (also nested
    # tables and merged cells, which appear once) and content controls alike.
    # mc:Fallback repeats text boxes of the preferred mc:Choice branch; skip it.
    lines = [
        Paragraph(p, document).text
        for p in body.iter(_P)
        if not any(a.tag == _FALLBACK for a in p.iterancestors())
    ]
    return "\n".join(line.strip() for line in lines if line.strip())
