"""How Frictionless would read a CSV file: encoding, dialect, header; plus one streaming pass for stats.

Frictionless guesses the encoding with chardet on the first 100,000 bytes and the dialect with
`csv.Sniffer` on the first 100 lines, then parses with Python's `csv` module. This module repeats those
guesses so that DuckDB reads the same cells, and `ByteScan` streams the file in two threads for the
md5/sha256/bytes stats, the line index and the few layouts DuckDB would read differently (blank lines, lone CR).
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
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from pipelines.tablecheck.gzipped import inner_path
from pipelines.tablecheck.schema import Unsupported

BUFFER_SIZE = 100_000
SAMPLE_LINES = 100
SAMPLE_ROWS = 100
ENCODING_CONFIDENCE = 0.5
ASCII_LOOKALIKES = (b"\x00", b"\x1b", b"~", b"+")  # bytes that make chardet read ASCII as another encoding
NULL = "\x1e\x1fashyq-null\x1f\x1e"  # marks cells a row does not have; never occurs in real data
DIALECT_TOP = {"header", "headerRows", "headerJoin", "headerCase", "name", "title", "description", "$schema", "csv"}
DIALECT_TYPES = {  # the type Frictionless's dialect and CSV control profiles give each property
    **dict.fromkeys(("delimiter", "quoteChar", "lineTerminator", "escapeChar", "nullSequence", "headerJoin", "name", "title", "description", "$schema"), str),
    **dict.fromkeys(("header", "headerCase", "doubleQuote", "skipInitialSpace", "caseSensitiveHeader"), bool),
    "headerRows": list,
}
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
    escapechar: str | None = None
    skipinitialspace: bool = False
    doublequote: bool = True

    def reader(self, lines):
        """Python's csv reader with the options Frictionless reads this file with (CsvControl.to_python)."""
        return csv.reader(lines, delimiter=self.delimiter, quotechar=self.quotechar, doublequote=self.doublequote,
                          escapechar=self.escapechar, skipinitialspace=self.skipinitialspace, strict=False)


def detect_encoding(buffer: bytes, declared: str | None = None) -> str:
    """Frictionless's Detector.detect_encoding: the resource's declared encoding, else chardet's guess (for
    the encodings that matter here), then the name Python's codecs give it and the BOM-stripping variant.

    ASCII skips chardet (its import alone takes a tenth of a second) unless it holds what chardet reads as
    another encoding: NUL bytes (UTF-16/32), ESC (ISO-2022), `~` (HZ) or `+` (UTF-7)."""
    if declared:
        encoding = declared
    elif not buffer or max(buffer) < 0x80 and not any(mark in buffer for mark in ASCII_LOOKALIKES):
        return "utf-8"
    else:
        guess = chardet_guess(buffer)
        encoding = guess["encoding"] or "utf-8"
        confidence = guess["confidence"] or 0
        if confidence < ENCODING_CONFIDENCE:
            detected = encoding
            encoding = "utf-8"
            try:
                buffer.decode(encoding)
            except UnicodeDecodeError:
                encoding = detected
        if encoding == "ascii":
            encoding = "utf-8"
    try:
        encoding = codecs.lookup(encoding).name
    except LookupError:  # Frictionless reports it as an encoding-error
        raise Unsupported(f"unknown encoding {encoding!r}")
    if encoding == "utf-8" and buffer.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    elif (encoding, buffer[:2]) in (("utf-16-be", codecs.BOM_UTF16_BE), ("utf-16-le", codecs.BOM_UTF16_LE)):
        encoding = "utf-16"
    return encoding


def chardet_guess(buffer: bytes, *, with_language: bool = False) -> dict:
    """What chardet's UniversalDetector, fed the buffer's lines as Frictionless feeds them, says.

    chardet 7 ends `close()` by guessing the text's language against its language models, loaded on first
    use: 0.06 s of every process's start-up, for a field Frictionless never reads. For chardet 7 this
    finishes the detector the way `close()` does, minus that step (tests/test_tablecheck_layout.py checks
    encoding and confidence against `close()` on many buffers); other versions, or `with_language`, close."""
    import chardet

    detector = chardet.UniversalDetector()
    for line in buffer.splitlines():
        detector.feed(line)
    if with_language or not chardet.__version__.startswith("7."):
        return detector.close()
    try:
        from chardet.pipeline import DetectionResult
        from chardet.pipeline.orchestrator import _run_pipeline_core

        best = _run_pipeline_core(
            bytes(detector._buffer), detector._encoding_era, detector._max_bytes,
            input_truncated=detector._input_truncated, include_encodings=detector._include_encodings,
            exclude_encodings=detector._exclude_encodings, no_match_encoding=detector._no_match_encoding,
            empty_input_encoding=detector._empty_input_encoding,
        )[0]
    except (ImportError, AttributeError, TypeError, IndexError):  # internals moved: the public way
        return detector.close()
    detector._result = DetectionResult(best.encoding, min(best.confidence, 1.0), None, None)
    detector._closed = detector._done = True
    return detector.result  # the public property: chardet 5/6-compatible names, as close() returns


def _dialect_options(dialect: dict | None) -> dict:
    """The CSV options of a dialect we read as Frictionless does; Unsupported for anything else, a value of
    the wrong type included (Frictionless reports those as dialect or control errors)."""
    if dialect is not None and not isinstance(dialect, dict):
        raise Unsupported(f"dialect {dialect!r}")
    dialect = dict(dialect or {})
    csv_part = dialect.pop("csv", {}) or {}
    if not isinstance(csv_part, dict):
        raise Unsupported(f"csv dialect {csv_part!r}")
    csv_part = dict(csv_part)
    for key in list(dialect):
        if key in CSV_KEYS:
            csv_part[key] = dialect.pop(key)
    unknown = set(dialect) - DIALECT_TOP
    if unknown:
        raise Unsupported(f"dialect keys {sorted(unknown)}")
    if dialect.get("header", True) is not True or dialect.get("headerRows", [1]) != [1] or dialect.get("headerCase", True) is not True:
        raise Unsupported("dialect header options")
    for key, value in {**dialect, **csv_part}.items():
        if value is not None and not isinstance(value, DIALECT_TYPES.get(key, object)):
            raise Unsupported(f"dialect {key} {value!r}")
    unknown = set(csv_part) - CSV_KEYS
    if unknown or csv_part.get("nullSequence") is not None or csv_part.get("caseSensitiveHeader", False):
        raise Unsupported(f"csv dialect {csv_part}")
    escape = csv_part.get("escapeChar")
    one_character = escape is None or isinstance(escape, str) and len(escape) == 1
    if not one_character or not all(isinstance(csv_part.get(key, True), bool) for key in ("skipInitialSpace", "doubleQuote")):
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


def inspect(path: str, dialect: dict | None = None, *, tsv: bool = False, encoding: str | None = None) -> Layout:
    """Encoding (`encoding`: the resource's declared one), dialect and header labels exactly as Frictionless
    would find them."""
    options = _dialect_options(dialect)
    has_header_option = bool(dialect) and any(key in dialect for key in ("header", "headerRows"))
    with open(path, "rb") as handle:
        buffer = handle.read(BUFFER_SIZE)
    if not buffer:
        raise Unsupported("empty file")
    encoding = detect_encoding(buffer, encoding)
    newline = None if tsv else ""
    with open(path, "r", encoding=encoding, newline=newline) as stream:
        try:
            sample = list(itertools.islice(stream, SAMPLE_LINES))
        except UnicodeDecodeError as error:
            raise Unsupported(f"not {encoding}: {error}")
        if tsv:  # the delimiter of a TSV is a tab whatever the sniffer says (when the dialect names none)
            options.setdefault("delimiter", "\t")
        delimiters = options.get("delimiter") or ",\t;|"
        try:
            sniffed = csv.Sniffer().sniff("".join(sample), delimiters)
            delimiter, quotechar = sniffed.delimiter, sniffed.quotechar
            escapechar, skip_space = sniffed.escapechar, sniffed.skipinitialspace
        except csv.Error:
            delimiter, quotechar, escapechar, skip_space = ",", '"', None, False
        if quotechar == "'":
            quotechar = '"'
        # a dialect's own settings win over the sniffer's guesses, as in Frictionless's CsvParser
        delimiter = options.get("delimiter", delimiter)
        quotechar = options.get("quoteChar", quotechar)
        escapechar = options.get("escapeChar") or escapechar or None
        skip_space = options.get("skipInitialSpace", skip_space)
        if len(delimiter) != 1 or len(quotechar or "") != 1 or delimiter == quotechar or delimiter in "\r\n" or quotechar in "\r\n" \
                or escapechar in (delimiter, quotechar, "\r", "\n"):
            raise Unsupported(f"dialect delimiter={delimiter!r} quotechar={quotechar!r} escapechar={escapechar!r}")
        layout = Layout(str(path), encoding, delimiter, quotechar, [], 0, newline, escapechar=escapechar, skipinitialspace=skip_space,
                        doublequote=options.get("doubleQuote", True) if escapechar else True)
        try:
            records = list(itertools.islice(layout.reader(itertools.chain(sample, stream)), SAMPLE_ROWS))
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
    layout.labels, layout.header_newlines = labels, sum(cell.count("\n") for cell in first)
    if skip_space:
        layout.exact_reasons.append("spaces after the delimiter are skipped (skipInitialSpace)")
    if escapechar:
        layout.exact_reasons.append(f"escape character {escapechar!r}")
    if encoding not in ("utf-8", "utf-8-sig"):
        layout.exact_reasons.append(f"encoding {encoding}")
    if tsv:
        layout.exact_reasons.append("tsv (universal newlines)")
    if buffer[:1] in (b"\r", b"\n") or buffer.startswith(codecs.BOM_UTF8 + b"\n") or buffer.startswith(codecs.BOM_UTF8 + b"\r"):
        raise Unsupported("blank first line")
    return layout


# How much of a file the byte scans read at a time. 4 MB: numpy's passes over a chunk then read it from
# cache, not memory (16 MB chunks cost the line index a third more CPU), and the hashing pauses within a
# few milliseconds of being asked.
CHUNK_BYTES = 1 << 22


@dataclass
class LineIndex:
    """Where every LF of a file is, chunk by chunk (offsets within a chunk as uint32: 4 bytes a line), so
    that lines can be read by number without another pass over the file."""

    bases: list[int]  # byte offset of each chunk
    ends: list  # numpy uint32 arrays: the LF offsets within each chunk
    size: int

    @cached_property
    def firsts(self):
        """The line number ended by each chunk's first LF (and, last, the number of LFs)."""
        import numpy as np

        return np.cumsum([0] + [len(ends) for ends in self.ends])

    def spans(self, numbers):
        """(start, stop) byte offsets of lines `numbers` (0-based, ascending), their LF left out."""
        import numpy as np

        wanted = np.asarray(numbers, dtype=np.int64)
        stops = self._lf_of(wanted, self.firsts)
        starts = np.where(wanted > 0, self._lf_of(wanted - 1, self.firsts) + 1, 0)
        return starts.tolist(), stops.tolist()

    def lines_of(self, offsets: list[int]) -> list[int]:
        """The numbers (0-based) of the lines holding the bytes at `offsets`: the LFs before each."""
        import bisect

        import numpy as np

        numbers = []
        for at in offsets:
            chunk = bisect.bisect_right(self.bases, at) - 1
            numbers.append(int(self.firsts[chunk]) + int(np.searchsorted(self.ends[chunk], at - self.bases[chunk])))
        return numbers

    def _lf_of(self, lines, firsts):
        import numpy as np

        offsets = np.full(len(lines), self.size, dtype=np.int64)  # a last line without LF ends at the end
        chunks = np.searchsorted(firsts, lines, side="right") - 1
        # a set, not np.unique: that imports numpy.ma, 9 ms on the critical path of every replay
        for chunk in sorted(set(chunks[(lines >= 0) & (lines < firsts[-1])].tolist())):
            inside = chunks == chunk
            offsets[inside] = self.bases[chunk] + self.ends[chunk][lines[inside] - firsts[chunk]].astype(np.int64)
        return offsets


def one_record_a_line(newlines: int, ends_with_newline: bool, rows: int) -> bool:
    """Whether the header and each of `rows` records are a line of their own (no quoted cell holds a line
    break), by the file's LF count."""
    return newlines == rows + (1 if ends_with_newline else 0)


def _set_event() -> threading.Event:
    event = threading.Event()
    event.set()
    return event


@dataclass
class ByteScan:
    """The file's stats (md5, sha256, bytes), layout facts and line index, made by two threads beside the
    DuckDB scans: `start` hashes from the first moment, on the core the start-up leaves idle; `paused`
    holds the hashing while scan 1 has both cores and builds the line index meanwhile (scan 2 wants it as
    soon as scan 1 ends); the hashing then finishes beside scan 2. hashlib and numpy release the GIL."""

    md5: str = ""
    sha256: str = ""
    bytes: int = 0
    newlines: int = 0
    ends_with_newline: bool = True
    blank_line: bool = False
    lone_cr: bool = False
    spaced_quote: bool = False  # a space beside a quote at a cell's edge (QuoteEdges)
    spots: list | None = None  # where (QuoteEdges.spots); None when a spaced quote is assumed (too many, multi-byte quoting)
    path: str = ""
    quotes: int = 0  # quote characters in the file (QuoteEdges)
    quoting: tuple[str, str] | None = None  # (delimiter, quote char) to look for spaced quotes with, set before the index starts
    index: LineIndex | None = None  # set once the layout facts above are in
    stopped: threading.Event = field(default_factory=threading.Event)  # the caller no longer needs the scan
    running: threading.Event = field(default_factory=_set_event)  # cleared while the caller wants both cores
    threads: dict = field(default_factory=dict)

    def start(self, path: str, *, chunk_size: int = CHUNK_BYTES, hashes: bool = True) -> "ByteScan":
        """`hashes=False`: the stats are known already (a gzipped file's are its download's)."""
        size = max(1, min(chunk_size, os.path.getsize(path) + 1))  # a small file's buffers: no 4 MB to zero each
        self.path = path
        self.threads = {"index": threading.Thread(target=_index_lines, args=(path, self, bytearray(size)), daemon=True)}
        if hashes:
            self.threads["hashes"] = threading.Thread(target=_hash, args=(path, self, bytearray(size)), daemon=True)
            self.threads["hashes"].start()
        return self

    @contextmanager
    def paused(self):
        """Hold the hashing (after its current chunk) while a parallel DuckDB scan runs; index meanwhile."""
        self.running.clear()
        self._start("index")
        try:
            yield
        finally:
            self.running.set()

    def wait(self) -> "ByteScan":
        self._start("index")
        for thread in self.threads.values():
            thread.join()
        return self

    def misread(self, *, serial: bool = True, rows: int | None = None) -> str | None:
        """What of the file's layout DuckDB reads differently from Python's csv module (after `wait`).
        `serial`: DuckDB read the file on one thread, which drops a quoted cell left open at the end of the
        file without a word (its parallel reader rejects it): an odd number of quotes may mean one.
        `rows`: the data rows DuckDB read, when its header is one line; as many as the lines, spaced quotes
        inside quoted cells (`" "`) are told from those outside by reading just their lines again."""
        if self.blank_line or self.lone_cr:
            return "blank lines or lone CR line endings"
        if self.spaced_quote and not (self.spots and rows is not None and self.index is not None
                                      and one_record_a_line(self.newlines, self.ends_with_newline, rows) and benign_spots(self)):
            return "a space beside a quote at a cell's edge"
        if serial and self.quotes % 2:
            return "an odd number of quotes (a quoted cell left open at the end?)"
        return None

    def stop(self) -> None:
        self.stopped.set()
        self.running.set()

    def _start(self, name: str) -> None:
        thread = self.threads.get(name)
        if thread is not None and thread.ident is None:
            thread.start()


def misread(layout: Layout) -> str | None:
    """ByteScan.misread for a file no scan is running on (a resource read for another's foreign keys)."""
    scan = ByteScan(quoting=(layout.delimiter, layout.quotechar))
    _index_lines(layout.path, scan, bytearray(CHUNK_BYTES))
    return scan.misread()


def _hash(path: str, result: ByteScan, buffer: bytearray) -> None:
    view = memoryview(buffer)
    md5, sha256 = hashlib.md5(), hashlib.sha256()
    size = 0
    with open(path, "rb", buffering=0) as handle:
        while result.running.wait() and (read := handle.readinto(buffer)) and not result.stopped.is_set():
            md5.update(view[:read])
            sha256.update(view[:read])
            size += read
    result.md5, result.sha256, result.bytes = md5.hexdigest(), sha256.hexdigest(), size


def _index_lines(path: str, result: ByteScan, buffer: bytearray) -> None:
    """Line ends with numpy (`bytes.count` and `b"\\n\\n" in chunk` would hold the GIL as long as the hashes
    take), the layouts DuckDB reads differently from Python's csv module, then the index."""
    import numpy as np

    values = np.frombuffer(buffer, dtype=np.uint8)
    edges = QuoteEdges(*result.quoting) if result.quoting else None
    bases, ends = [], []
    tail = b""
    offset = newlines = crs = crlfs = 0
    blank = False
    with open(path, "rb", buffering=0) as handle:
        while (read := handle.readinto(buffer)) and not result.stopped.is_set():
            found = np.flatnonzero(values[:read] == 10)
            bases.append(offset)
            ends.append(found.astype(np.uint32))
            newlines += len(found)
            first = buffer[0]
            blank = blank or bool((np.diff(found) == 1).any()) or (tail == b"\n" and first == 10)
            if tail == b"\r" or buffer.find(b"\r", 0, read) != -1:
                crs += buffer.count(b"\r", 0, read)
                crlfs += buffer.count(b"\r\n", 0, read) + (tail == b"\r" and first == 10)
                blank = blank or buffer.find(b"\n\r", 0, read) != -1 or buffer.find(b"\r\r", 0, read) != -1 or (tail in (b"\n", b"\r") and first == 13)
            if edges is not None:
                edges.feed(values, read)
            tail = bytes(buffer[read - 1 : read])
            offset += read
    result.newlines, result.blank_line, result.lone_cr = newlines, blank, crs != crlfs
    result.spaced_quote = edges is not None and edges.finish()
    result.spots = list(edges.spots) if edges is not None and not edges.found else None
    result.quotes = edges.count if edges is not None else 0
    result.ends_with_newline = tail == b"\n" or offset == 0
    if not result.stopped.is_set():
        result.index = LineIndex(bases, ends, offset)


class QuoteEdges:
    """Finds, chunk by chunk, a space beside a quote at a cell's edge, where DuckDB and Python's csv module (whose
    cells Frictionless checks) read different cells: DuckDB skips the space.

    - a space before a cell's opening quote: `a, "x",b` is x to DuckDB, ` "x"` to Python;
    - spaces after a closing quote, up to a delimiter, a line end or another quote: `"x" ,` is x and `x `,
      `"x" "y"` is `x y` and `x "y"`.

    A space and a quote inside a quoted cell look the same (a quoted `streets, ""phase two""` holds `, "`, a cell
    of spaces `" "` a quote then spaces). A space before exactly two quotes and a letter is left alone: inside a
    quoted cell it is an escaped quote, at a cell's start DuckDB rejects it (the exact path follows either way).
    Each other place found is kept as a spot (`"quotes"` or `"spaces"`, the quote's offset): `benign_spots`
    reads its line as Python's csv module does and clears it if the spaces are inside a quoted cell. Anything
    left only costs the exact path, never a wrong report.
    """

    SPACE, LF, CR = 32, 10, 13
    MAX_SPOTS = 100  # beyond, the exact path: reading so many lines again would cost more than it saves

    def __init__(self, delimiter: str, quotechar: str):
        delimiter_bytes, quote_bytes = delimiter.encode("utf-8"), quotechar.encode("utf-8")
        self.found = len(delimiter_bytes) != 1 or len(quote_bytes) != 1  # a multi-byte one: assume the worst
        self.delimiter = delimiter_bytes[0] if len(delimiter_bytes) == 1 else -1
        self.quote = quote_bytes[0] if len(quote_bytes) == 1 else -1
        self.edges = (self.delimiter, self.LF, self.CR, self.SPACE)  # what may follow a cell's `""`
        self.before = (self.LF, self.LF)  # the two bytes before the chunk: a file starts as a line does
        self.pending: list[tuple[str, int, int]] = []  # runs the last chunk ended in: (kind, length, the quote's offset)
        self.spots: list[tuple[str, int]] = []  # (kind, offset of the quote) of each place found
        self.count = 0  # quotes seen
        self.offset = 0  # of the chunk being fed

    def feed(self, values, read: int) -> None:
        if self.quote < 0 or not read:
            return
        import numpy as np

        chunk = values[:read]
        quotes = np.flatnonzero(chunk == self.quote)
        self.count += len(quotes)
        pending, self.pending = self.pending, []
        for kind, length, origin in pending:
            self._walk(chunk, 0, kind, length, origin)
        if len(quotes) and not self.found:
            # a space before the quote, and a delimiter, a line start or a space before that
            spaced = quotes[quotes >= 2]
            spaced = spaced[chunk[spaced - 1] == self.SPACE]
            two = chunk[spaced - 2]
            opening = spaced[(two == self.delimiter) | (two == self.LF) | (two == self.SPACE)]
            head = bytes(self.before) + bytes(chunk[:2])  # the quotes at 0 and 1 look back into the last chunk
            edge = [at for at in quotes[:2].tolist() if at < 2 and head[at + 1] == self.SPACE and head[at] in (self.delimiter, self.LF, self.SPACE)]
            if edge:
                opening = np.concatenate([np.asarray(edge, dtype=opening.dtype), opening])
            seen = opening[opening + 2 < read]
            after = chunk[seen + 2]
            escaped = (chunk[seen + 1] == self.quote) & (after != self.quote) & ~np.isin(after, self.edges)
            for at in seen[~escaped].tolist():
                self._spot("quotes", at)
            for at in opening[opening + 2 >= read].tolist():
                self._walk(chunk, at + 1, "quotes", 1, self.offset + at)
            followed = quotes[quotes + 1 < read]
            for at in followed[chunk[followed + 1] == self.SPACE].tolist():
                self._walk(chunk, at + 1, "spaces", 0, self.offset + at)
            if quotes[-1] == read - 1:
                self.pending.append(("spaces", 0, self.offset + read - 1))
        self.before = (int(chunk[-2]) if read > 1 else self.before[1], int(chunk[-1]))
        self.offset += read

    def _spot(self, kind: str, at: int, *, absolute: bool = False) -> None:
        self.spots.append((kind, at if absolute else self.offset + at))
        if len(self.spots) > self.MAX_SPOTS:
            self.found = True

    def _walk(self, chunk, start: int, kind: str, length: int, origin: int) -> None:
        """Follow a run of quotes (after a space at a cell's start) or of spaces (after a quote) from `start`;
        `origin`: the offset of the quote it is about."""
        if self.found:
            return
        byte = self.quote if kind == "quotes" else self.SPACE
        end = start
        while end < len(chunk) and chunk[end] == byte:
            end += 1
        length += end - start
        if end == len(chunk):
            self.pending.append((kind, length, origin))  # the next chunk (or the end of the file) decides
        elif self._spoils(kind, length, int(chunk[end])):
            self._spot(kind, origin, absolute=True)

    def _spoils(self, kind: str, length: int, following: int | None) -> bool:
        """Whether the run, then `following` (None: the end of the file), may read differently in DuckDB."""
        if kind == "quotes":
            return not (length == 2 and following is not None and following not in self.edges)
        return length > 0 and (following is None or following in (self.delimiter, self.LF, self.CR, self.quote))

    def finish(self) -> bool:
        """Whether the file has one (spots included)."""
        for kind, length, origin in self.pending:
            if self._spoils(kind, length, None):
                self._spot(kind, origin, absolute=True)
        self.pending = []
        return self.found or bool(self.spots)


def benign_spots(scan: "ByteScan") -> bool:
    """Whether every spot QuoteEdges found (`scan.spots`) is inside a quoted cell, read as Python's csv module
    reads its line, picked with the scan's line index. Only sound when each line of the file is one record to
    DuckDB and to Python: the caller checks that DuckDB counted as many rows as lines, and a line Python leaves
    inside quotes makes this False. The spaces of a quoted cell are kept by both readers; after a closing
    quote or before a cell's opening quote they are not."""
    delimiter, quote = (ord(char) for char in scan.quoting)
    spot_lines = scan.index.lines_of([at for _, at in scan.spots])
    numbers = sorted(set(spot_lines))
    starts, _ = scan.index.spans(numbers)
    picked = lines_at(scan.path, numbers, scan=scan).picked
    states = {number: (start, _csv_states(line, delimiter, quote)) for number, start, line in zip(numbers, starts, picked)}
    for (kind, at), number in zip(scan.spots, spot_lines):
        start, line_states = states[number]
        if line_states is None:
            return False
        # "spaces": the quote must have opened a quoted cell (or been an escaped one inside it);
        # "quotes": the spaces before the quote must be inside a quoted cell
        if line_states[at - start + 1 if kind == "spaces" else at - start] != _QUOTED:
            return False
    return True


_START, _FIELD, _QUOTED, _QUOTE_IN_QUOTED = range(4)


def _csv_states(line: bytes, delimiter: int, quote: int) -> list[int] | None:
    """Python csv's state (non-strict, doublequote, no escape character) before each byte of one record's line
    and after its last (index len(line)); None when the record does not end at the line's end."""
    state, states = _START, []
    for byte in line:
        states.append(state)
        if byte in (10, 13) and state != _QUOTED:  # the record ends (CRLF: the LF follows)
            state = _START
        elif state == _START:
            state = _QUOTED if byte == quote else _START if byte == delimiter else _FIELD
        elif state == _FIELD:
            state = _START if byte == delimiter else _FIELD
        elif state == _QUOTED:
            state = _QUOTE_IN_QUOTED if byte == quote else _QUOTED
        else:  # a quote inside a quoted cell: escaped, closing, or followed by text Python appends
            state = _QUOTED if byte == quote else _START if byte == delimiter else _FIELD
    states.append(state)
    return None if state == _QUOTED else states


@dataclass
class Lines:
    """Lines picked out of a file by number, and what its line ends say about its layout."""

    picked: list[bytes]  # without their LF, in the order asked for
    newlines: int  # LF bytes in the whole file
    ends_with_newline: bool


def lines_at(path: str, numbers: list[int], *, chunk_size: int = CHUNK_BYTES, scan: ByteScan | None = None) -> Lines:
    """The lines at `numbers` (0-based, ascending; LF ends a line). With a finished `scan` (its line index)
    each line is read where it is; otherwise in one pass over the file.

    numpy finds the line ends chunk by chunk at memory speed, so picking 1% of a million lines costs about
    a tenth of a second, where a numbered DuckDB read costs half a second on one thread. Chunks are read,
    not memory-mapped: a map of the whole file would count in the process's peak memory."""
    if scan is not None and scan.index is not None:
        starts, stops = scan.index.spans(numbers)
        with open(path, "rb", buffering=0) as handle:
            descriptor = handle.fileno()
            # a number past the last line (the caller then sees that lines are not its rows) reads as b""
            picked = [os.pread(descriptor, max(stop - start, 0), start) for start, stop in zip(starts, stops)]
        return Lines(picked, scan.newlines, scan.ends_with_newline)
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


class RowWriter:
    """csv.writer for files DuckDB reads back with `new_line = '\\n'`. csv.writer quotes a cell holding the line
    terminator, LF, but not one holding a bare CR, where DuckDB ends the line: such a row is written all quoted."""

    def __init__(self, handle):
        self.plain = csv.writer(handle, lineterminator="\n")
        self.quoted = csv.writer(handle, lineterminator="\n", quoting=csv.QUOTE_ALL)
        self.longest = 0  # characters in the longest line written

    def writerow(self, cells: list) -> None:
        written = (self.quoted if any("\r" in cell for cell in cells if isinstance(cell, str)) else self.plain).writerow(cells)
        self.longest = max(self.longest, written)


def normalize(layout: Layout, target: str, width: int) -> tuple[int, int]:
    """Rewrite the data rows as `row,ncells,c0..c{width-1},rest` with Python's csv module; returns the row
    count and the most bytes a line of `target` can hold (for DuckDB's line size limit).

    Cells a row lacks are written as NULL; cells beyond `width` go, JSON-encoded, into `rest`.
    """
    rows = 0
    with open(layout.path, "r", encoding=layout.encoding, newline=layout.newline) as source, open(
        target, "w", encoding="utf-8", newline=""
    ) as out:
        reader = layout.reader(source)
        writer = RowWriter(out)
        try:
            next(reader)
        except StopIteration:
            return 0, 0
        for number, cells in enumerate(reader, start=2):
            rows += 1
            padded = cells[:width] + [NULL] * (width - len(cells))
            rest = json.dumps(cells[width:], ensure_ascii=False) if len(cells) > width else NULL
            writer.writerow([number, len(cells), *padded, rest])
    return rows, 4 * writer.longest  # UTF-8: at most 4 bytes a character


def file_name(path: str) -> str:
    """The resource name Frictionless gives a bare file path."""
    from slugify import slugify

    stem = os.path.splitext(os.path.basename(inner_path(path)))[0]  # budget.csv.gz is "budget", as Frictionless names it
    return slugify(stem, regex_pattern=r"[^-a-z0-9._/]") or "name"


def is_local_csv(path: str) -> bool:
    lower = str(path).lower()
    return "://" not in lower and Path(inner_path(lower)).suffix in (".csv", ".tsv") and Path(path).is_file()
