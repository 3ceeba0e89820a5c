"""Byte-stable zips for the mirror generators: DOCX and XLSX files are zips whose entries carry the time they
were written (and openpyxl stamps dcterms:modified), so the same content would give new bytes every run."""
from __future__ import annotations

import io
import re
import zipfile


def normalise_zip(data: bytes, *, date_time=(1980, 1, 1, 0, 0, 0), core_stamps: dict[str, str] | None = None) -> bytes:
    """Rewrite a zip with fixed entry times and permissions; `core_stamps` ({"created": iso, "modified": iso})
    also fixes those properties in docProps/core.xml."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            body = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                for tag, stamp in (core_stamps or {}).items():
                    body = re.sub(rb"(<dcterms:%s[^>]*>)[^<]*(</dcterms:%s>)" % (tag.encode(), tag.encode()), rb"\g<1>" + stamp.encode() + rb"\g<2>", body)
            fixed = zipfile.ZipInfo(info.filename, date_time=date_time)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            fixed.create_system = 0
            target.writestr(fixed, body)
    return out.getvalue()
