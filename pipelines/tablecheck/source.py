"""How Frictionless would read a CSV file: encoding, dialect, header; plus one streaming pass for stats.

Frictionless guesses the encoding with chardet on the first 100,000 bytes and the dialect with
`csv.Sniffer` on the first 100 lines, then parses with Python's `csv` module. This module repeats those
guesses so that DuckDB reads the same cells, and `scan_bytes` streams the file once (in a thread) for the
md5/sha256/bytes stats and for the few layouts DuckDB would read differently (blank lines, lone CR).
`normalize` is the exact path for those: Python's csv module rewrites the file into a plain CSV with
explicit row numbers, which DuckDB then checks as usual.
"""
from __future__ import annotations

import codecs
import csv
import hashlib
import itertools
import json
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path

from pipelines.tablecheck.schema import Unsupported

BUFFER_SIZE = 100_000
SAMPLE_LINES = 100
SAMPLE_ROWS = 100
ENCODING_CONFIDENCE = 0.5
NULL = "\x1e\x1fashyq-null\x1f\x1e"  # marks cells a row does not have; never occurs in real data
DIALECT_TOP = {"header", "headerRows", "headerJoin", "headerCase", "name", "title", "description", "$schema", "csv"}
CSV_KEYS = {"delimiter", "quoteChar", "doubleQuote", "lineTerminator", "escapeChar", "skipInitialSpace", "nullSequence", "caseSensitiveHeader", "csvddfVersion"}

csv.field_size_limit(2**31 - 1)


@dataclass
class Layout:
    path: str
    encoding: str
    delimiter: str
    quotechar: str
    labels: list[str]
    header_newlines: int  # newlines inside the header record (quoted), for the row count
    newline: str | None = ""  # as Frictionless opens the text stream: "" for csv, None (universal) for tsv
    exact_reasons: list[str] = field(default_factory=list)


def detect_encoding(buffer: bytes) -> str:
    """Frictionless's Detector.detect_encoding, for the encodings that matter here."""
    if not buffer or max(buffer) < 0x80:
        return "utf-8"
    import chardet

    detector = chardet.UniversalDetector()
    for line in buffer.splitlines():
        detector.feed(line)
    detector.close()
    encoding = detector.result["encoding"] or "utf-8"
    confidence = detector.result["confidence"] or 0
    if confidence < ENCODING_CONFIDENCE:
        detected = encoding
        encoding = "utf-8"
        try:
            buffer.decode(encoding)
        except UnicodeDecodeError:
            encoding = detected
    if encoding == "ascii":
        encoding = "utf-8"
    encoding = codecs.lookup(encoding).name
    if encoding == "utf-8" and buffer.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    return encoding


def _dialect_options(dialect: dict | None) -> dict:
    dialect = dict(dialect or {})
    csv_part = dict(dialect.pop("csv", {}) or {})
    for key in list(dialect):
        if key in CSV_KEYS:
            csv_part[key] = dialect.pop(key)
    unknown = set(dialect) - DIALECT_TOP
    if unknown:
        raise Unsupported(f"dialect keys {sorted(unknown)}")
    if dialect.get("header", True) is not True or dialect.get("headerRows", [1]) != [1] or dialect.get("headerCase", True) is not True:
        raise Unsupported("dialect header options")
    unknown = set(csv_part) - CSV_KEYS
    if unknown or csv_part.get("escapeChar") or csv_part.get("nullSequence") is not None or csv_part.get("skipInitialSpace"):
        raise Unsupported(f"csv dialect {csv_part}")
    if csv_part.get("doubleQuote", True) is not True or csv_part.get("caseSensitiveHeader", False):
        raise Unsupported(f"csv dialect {csv_part}")
    return csv_part


def header_row(records: list[list[str]]) -> int:
    """Frictionless's Detector.detect_dialect: the first sample row whose width is near the average width."""
    widths = [len(cells) for cells in records]
    width = round(sum(widths) / len(widths))
    drift = max(round(width * 0.1), 1)
    for number, cells in enumerate(records, start=1):
        if width - drift <= len(cells) <= width + drift:
            return number
    return 1


def inspect(path: str, dialect: dict | None = None, *, tsv: bool = False) -> Layout:
    """Encoding, dialect and header labels exactly as Frictionless would find them."""
    options = _dialect_options(dialect)
    has_header_option = bool(dialect) and any(key in dialect for key in ("header", "headerRows"))
    with open(path, "rb") as handle:
        buffer = handle.read(BUFFER_SIZE)
    if not buffer:
        raise Unsupported("empty file")
    encoding = detect_encoding(buffer)
    newline = None if tsv else ""
    with open(path, "r", encoding=encoding, newline=newline) as stream:
        try:
            sample = list(itertools.islice(stream, SAMPLE_LINES))
        except UnicodeDecodeError as error:
            raise Unsupported(f"not {encoding}: {error}")
        delimiters = options.get("delimiter") or ("\t" if tsv else ",\t;|")
        try:
            sniffed = csv.Sniffer().sniff("".join(sample), delimiters)
            delimiter, quotechar = sniffed.delimiter, sniffed.quotechar
            escapechar, skip_space = sniffed.escapechar, sniffed.skipinitialspace
        except csv.Error:
            delimiter, quotechar, escapechar, skip_space = ",", '"', None, False
        if quotechar == "'":
            quotechar = '"'
        delimiter = options.get("delimiter", delimiter)
        quotechar = options.get("quoteChar", quotechar)
        if skip_space or escapechar:
            raise Unsupported("sniffed dialect uses skipinitialspace or an escape character")
        if len(delimiter) != 1 or len(quotechar or "") != 1 or delimiter == quotechar or delimiter in "\r\n" or quotechar in "\r\n":
            raise Unsupported(f"dialect delimiter={delimiter!r} quotechar={quotechar!r}")
        try:
            reader = csv.reader(itertools.chain(sample, stream), delimiter=delimiter, quotechar=quotechar, doublequote=True, strict=False)
            records = list(itertools.islice(reader, SAMPLE_ROWS))
        except (csv.Error, UnicodeDecodeError) as error:
            raise Unsupported(f"header unreadable: {error}")
    if not records:
        raise Unsupported("no rows")
    if not has_header_option and header_row(records) != 1:
        raise Unsupported("Frictionless would take a later row as the header")
    first = records[0]
    labels = ["" if cell is None else str(cell).strip() for cell in first]
    if not labels or not any(first):
        raise Unsupported("blank header")
    layout = Layout(str(path), encoding, delimiter, quotechar, labels, sum(cell.count("\n") for cell in first), newline)
    if encoding not in ("utf-8", "utf-8-sig"):
        layout.exact_reasons.append(f"encoding {encoding}")
    if tsv:
        layout.exact_reasons.append("tsv (universal newlines)")
    if buffer[:1] in (b"\r", b"\n") or buffer.startswith(codecs.BOM_UTF8 + b"\n") or buffer.startswith(codecs.BOM_UTF8 + b"\r"):
        raise Unsupported("blank first line")
    return layout


@dataclass
class ByteScan:
    md5: str = ""
    sha256: str = ""
    bytes: int = 0
    newlines: int = 0
    ends_with_newline: bool = True
    blank_line: bool = False
    lone_cr: bool = False
    split: bool = False  # hash md5 in a thread of its own


def scan_bytes(path: str, result: ByteScan, *, chunk_size: int = 1 << 24) -> ByteScan:
    """Hashes and layout facts in one streaming pass (hashlib and numpy release the GIL: run it in a thread).
    With `result.split` md5, the slower hash, gets a thread of its own (when nothing else needs the other core).
    Line ends are counted with numpy: `bytes.count` and `b"\\n\\n" in chunk` hold the GIL and cost as much
    as the hashes."""
    import numpy as np

    md5_thread = threading.Thread(target=_md5_of, args=(path, result, chunk_size), daemon=True) if result.split else None
    if md5_thread:
        md5_thread.start()
    md5 = None if md5_thread else hashlib.md5()
    sha256 = hashlib.sha256()
    tail = b""
    newlines = size = crs = crlfs = 0
    blank = False
    with open(path, "rb") as handle:
        while True:
            chunk = handle.read(chunk_size)
            if not chunk:
                break
            sha256.update(chunk)
            if md5:
                md5.update(chunk)
            size += len(chunk)
            ends = np.frombuffer(chunk, dtype=np.uint8) == 10
            newlines += int(np.count_nonzero(ends))
            blank = blank or bool((ends[1:] & ends[:-1]).any()) or (tail == b"\n" and chunk[:1] == b"\n")
            if b"\r" in chunk or tail == b"\r":
                joined = tail + chunk
                crs += chunk.count(b"\r")
                crlfs += joined.count(b"\r\n")
                blank = blank or b"\n\r" in joined or b"\r\r" in joined
            tail = chunk[-1:]
    result.sha256, result.bytes, result.newlines = sha256.hexdigest(), size, newlines
    result.blank_line = blank
    result.lone_cr = crs != crlfs
    result.ends_with_newline = tail == b"\n" or size == 0
    if md5_thread:
        md5_thread.join()
    else:
        result.md5 = md5.hexdigest()
    return result


def _md5_of(path: str, result: ByteScan, chunk_size: int) -> None:
    md5 = hashlib.md5()
    with open(path, "rb") as handle:
        while chunk := handle.read(chunk_size):
            md5.update(chunk)
    result.md5 = md5.hexdigest()


@dataclass
class Lines:
    """Lines picked out of a file by number, and what its line ends say about its layout."""

    picked: list[bytes]  # without their LF, in the order asked for
    newlines: int  # LF bytes in the whole file
    ends_with_newline: bool


def lines_at(path: str, numbers: list[int], *, chunk_size: int = 1 << 24) -> Lines:
    """The lines at `numbers` (0-based, ascending; LF ends a line) in one pass over the file.

    numpy finds the line ends chunk by chunk at memory speed, so picking 1% of a million lines costs about
    a tenth of a second, where a numbered DuckDB read costs half a second on one thread. Chunks are read,
    not memory-mapped: a map of the whole file would count in the process's peak memory."""
    import numpy as np

    wanted = np.asarray(numbers, dtype=np.int64)
    picked: list[bytes] = []
    line = i = 0
    carry = b""  # the start of a line that goes on in the next chunk
    last = b"\n"
    with open(path, "rb") as handle:
        while chunk := handle.read(chunk_size):
            ends = np.flatnonzero(np.frombuffer(chunk, dtype=np.uint8) == 10)
            found = i + int(np.searchsorted(wanted[i:], line + len(ends)))
            if found > i:
                within = wanted[i:found] - line
                stops = ends[within].tolist()
                starts = np.where(within > 0, ends[within - 1] + 1, 0).tolist()
                picked += [carry + chunk[:stop] if k == 0 else chunk[start:stop] for k, start, stop in zip(within.tolist(), starts, stops)]
                i = found
            carry = chunk[ends[-1] + 1:] if len(ends) else carry + chunk
            line += len(ends)
            last = chunk[-1:]
    ends_with_newline = last == b"\n"
    if i < len(wanted) and wanted[i] == line and not ends_with_newline:
        picked.append(carry)  # the last line, which has no LF
    return Lines(picked, line, ends_with_newline)


def normalize(layout: Layout, target: str, width: int) -> int:
    """Rewrite the data rows as `row,ncells,c0..c{width-1},rest` with Python's csv module; returns the row count.

    Cells a row lacks are written as NULL; cells beyond `width` go, JSON-encoded, into `rest`.
    """
    rows = 0
    with open(layout.path, "r", encoding=layout.encoding, newline=layout.newline) as source, open(
        target, "w", encoding="utf-8", newline=""
    ) as out:
        reader = csv.reader(source, delimiter=layout.delimiter, quotechar=layout.quotechar, doublequote=True, strict=False)
        writer = csv.writer(out, lineterminator="\n")
        try:
            next(reader)
        except StopIteration:
            return 0
        for number, cells in enumerate(reader, start=2):
            rows += 1
            padded = cells[:width] + [NULL] * (width - len(cells))
            rest = json.dumps(cells[width:], ensure_ascii=False) if len(cells) > width else NULL
            writer.writerow([number, len(cells), *padded, rest])
    return rows


def file_name(path: str) -> str:
    """The resource name Frictionless gives a bare file path."""
    from slugify import slugify

    stem = os.path.splitext(os.path.basename(path))[0]
    return slugify(stem, regex_pattern=r"[^-a-z0-9._/]") or "name"


def is_local_csv(path: str) -> bool:
    lower = str(path).lower()
    return "://" not in lower and Path(path).suffix.lower() in (".csv", ".tsv") and Path(path).is_file()
