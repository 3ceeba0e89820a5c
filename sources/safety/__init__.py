"""Defences against hostile sites and files (threat model and limits: docs/security.md).

    UrlPolicy(allowed_hosts, trusted).check(url)   scheme, credentials, allow-list, literal internal IPs
    connect_public(host, port, timeout)            resolve once, refuse internal addresses, connect (no DNS rebinding)
    mismatch(role, url, content_type, data)        a listing that is not HTML, an attachment that is an HTML page...
    check_zip(data) / check_ooxml(data)            zip bombs, entry floods, DTDs / external entities in XLSX and DOCX
    gunzipped(data, name)                          a gzip file inflated within limits (gzip bombs), else as given
    neutralise_cell(text)                          spreadsheet formula injection in exported text cells
"""
from sources.safety.archives import (DEFAULT_LIMITS, DamagedArchive, GzipLimits, UnsafeFile, ZipLimits, check_ooxml, check_xml_parts,
                                     check_zip, gunzipped)
from sources.safety.cells import is_formula_like, neutralise_cell
from sources.safety.media import mismatch
from sources.safety.net import AddressRefused, Refused, UrlPolicy, address_problem, connect_public, is_public_address, literal_ip

__all__ = [
    "DEFAULT_LIMITS", "AddressRefused", "DamagedArchive", "GzipLimits", "Refused", "UnsafeFile", "UrlPolicy", "ZipLimits", "address_problem",
    "check_ooxml", "check_xml_parts", "check_zip", "connect_public", "gunzipped", "is_formula_like", "is_public_address",
    "literal_ip", "mismatch", "neutralise_cell",
]
