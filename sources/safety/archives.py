"""Limits checked before a zip container (XLSX, DOCX) is handed to openpyxl or python-docx, and a gzip
file (budget.csv.gz) is inflated.

A few kilobytes of zip can declare gigabytes of content (a zip bomb) or hundreds of thousands of
entries; an XML part can declare entities that expand exponentially ("billion laughs") or point at
local files and URLs (XXE). OOXML never needs a DTD, so any part declaring one is refused outright,
whatever the parser downstream would have done with it.

`check_zip` reads only the central directory (cheap, nothing inflated). `check_xml_parts` then streams
each XML part — never more than its declared size, which `zipfile` enforces — looking for `<!DOCTYPE`
or `<!ENTITY`. Both raise `UnsafeFile`; callers turn it into their own documented error type.
"""
from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import dataclass

CHUNK = 1 << 16
_MARKERS = (b"<!DOCTYPE", b"<!ENTITY")
_XML_SUFFIXES = (".xml", ".rels", ".vml")


class UnsafeFile(ValueError):
    """A file refused before parsing (too big when inflated, too many entries, a DTD, a damaged archive)."""


class DamagedArchive(UnsafeFile):
    """Not a readable zip at all, or an entry that fails to inflate: damage rather than an attack, most likely."""


@dataclass(frozen=True)
class ZipLimits:
    max_entries: int = 10_000
    max_total_uncompressed: int = 256 * 1024 * 1024  # all entries together, as declared
    max_entry_uncompressed: int = 128 * 1024 * 1024
    max_ratio: float = 200.0  # uncompressed / compressed, over the whole archive ...
    ratio_floor: int = 16 * 1024 * 1024  # ... once it inflates to more than this


DEFAULT_LIMITS = ZipLimits()
GZIP_MAGIC = b"\x1f\x8b"


@dataclass(frozen=True)
class GzipLimits:
    """A gzip file declares no size up front: it is inflated a chunk at a time and refused once past these.
    A million budget lines are 177 MB of CSV, 6.5-fold compressed."""

    max_uncompressed: int = 1 << 30
    max_ratio: float = 200.0  # uncompressed / compressed ...
    ratio_floor: int = 16 * 1024 * 1024  # ... once it inflates to more than this


DEFAULT_GZIP_LIMITS = GzipLimits()


def _open(data: bytes) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError, IndexError,
            KeyError, UnicodeDecodeError, OverflowError, NotImplementedError) as error:
        raise DamagedArchive(f"not a readable zip archive ({type(error).__name__}: {error})") from None


def check_zip(data: bytes, limits: ZipLimits = DEFAULT_LIMITS) -> None:
    """Refuse an archive whose directory declares too many entries or too much inflated content."""
    with _open(data) as archive:
        infos = archive.infolist()
    if len(infos) > limits.max_entries:
        raise UnsafeFile(f"zip archive has {len(infos)} entries (limit {limits.max_entries})")
    total = compressed = 0
    for info in infos:
        if info.file_size > limits.max_entry_uncompressed:
            raise UnsafeFile(f"zip entry {info.filename!r} inflates to {info.file_size} bytes "
                             f"(limit {limits.max_entry_uncompressed})")
        if info.flag_bits & 0x1:
            raise UnsafeFile(f"zip entry {info.filename!r} is encrypted")
        total += info.file_size
        compressed += info.compress_size
    if total > limits.max_total_uncompressed:
        raise UnsafeFile(f"zip archive inflates to {total} bytes (limit {limits.max_total_uncompressed})")
    if total > limits.ratio_floor and total > limits.max_ratio * max(compressed, 1):
        raise UnsafeFile(f"zip archive inflates {total / max(compressed, 1):.0f}-fold "
                         f"(limit {limits.max_ratio:.0f}-fold above {limits.ratio_floor} bytes): a zip bomb?")


def check_xml_parts(data: bytes) -> None:
    """Refuse an OOXML package if any XML part declares a DTD or entities (XXE, billion laughs)."""
    with _open(data) as archive:
        for info in archive.infolist():
            if info.is_dir() or not info.filename.lower().endswith(_XML_SUFFIXES):
                continue
            try:
                with archive.open(info) as part:
                    _scan(part, info.filename)
            except UnsafeFile:
                raise
            except (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError, RuntimeError) as error:
                raise DamagedArchive(f"damaged zip entry {info.filename!r} ({type(error).__name__}: {error})") from None


def _scan(part, filename: str) -> None:
    tail = b""
    while chunk := part.read(CHUNK):
        window = tail + chunk.replace(b"\x00", b"")  # UTF-16 parts: the markers' ASCII survives dropping NULs
        if any(marker in window.upper() for marker in _MARKERS):
            raise UnsafeFile(f"XML part {filename!r} declares a DTD or entities (refused: XXE / entity expansion)")
        tail = window[-16:]


def check_ooxml(data: bytes, limits: ZipLimits = DEFAULT_LIMITS) -> None:
    """Both checks, in order: nothing is inflated before the directory's limits have passed."""
    check_zip(data, limits)
    check_xml_parts(data)


def gunzipped(data: bytes, name: str, limits: GzipLimits = DEFAULT_GZIP_LIMITS) -> tuple[bytes, str]:
    """(the inflated bytes, the name without `.gz`) of gzip data, told by its magic bytes; other data as given.
    Parsers call it on the bytes as archived, so rows still cite the sha256 of what was downloaded."""
    if not data.startswith(GZIP_MAGIC):
        return data, name
    return gunzip(data, limits), name[:-3] if name.lower().endswith(".gz") else name


def gunzip(data: bytes, limits: GzipLimits = DEFAULT_GZIP_LIMITS) -> bytes:
    """Every member of gzip `data`, inflated; UnsafeFile past the limits (before inflating further),
    DamagedArchive for what is not gzip or ends early."""
    pieces, size, pending = [], 0, data
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    while True:
        try:
            piece = inflater.decompress(pending, CHUNK)
        except zlib.error as error:
            raise DamagedArchive(f"not readable gzip ({error})") from None
        size += len(piece)
        if size > limits.max_uncompressed:
            raise UnsafeFile(f"gzip data inflates past {limits.max_uncompressed} bytes (the limit)")
        if size > limits.ratio_floor and size > limits.max_ratio * len(data):
            raise UnsafeFile(f"gzip data inflates more than {limits.max_ratio:.0f}-fold "
                             f"(the limit above {limits.ratio_floor} bytes): a gzip bomb?")
        pieces.append(piece)
        if inflater.eof:
            pending = inflater.unused_data
            if not pending.strip(b"\x00"):  # the end, or the zero padding some writers add
                return b"".join(pieces)
            inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)  # another member follows
        else:
            pending = inflater.unconsumed_tail
            if not pending and not piece:
                raise DamagedArchive("gzip data ends before its end-of-stream marker (a download cut short?)")
