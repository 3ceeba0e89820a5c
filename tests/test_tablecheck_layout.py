"""tablecheck vs Frictionless on CSV layouts that trip parsers: blank rows, quoted newlines, ragged rows,
odd line endings, BOM, delimiters, encodings and header problems. Each case must give the same report."""
from __future__ import annotations

import codecs
import hashlib
import json
import os

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from pipelines.tablecheck import check_package, check_resource
from pipelines.tablecheck.compare import differences, frictionless_package, frictionless_resource
from pipelines.tablecheck import small
from pipelines.tablecheck.small import SMALL_FILE_BYTES, SMALL_FILE_ROWS  # the module's own (the fixture below lowers it to test DuckDB)
from pipelines.tablecheck.source import ByteScan, lines_at

pytestmark = pytest.mark.usefixtures("duckdb_for_small_files")  # these test the DuckDB paths; small.py has its own

SCHEMA = {
    "fields": [
        {"name": "id", "type": "integer", "constraints": {"required": True}},
        {"name": "name", "type": "string", "constraints": {"maxLength": 12}},
        {"name": "amount", "type": "number", "constraints": {"minimum": 0}},
    ],
    "primaryKey": ["id"],
}

CASES = {
    "clean": b"id,name,amount\n1,a,1.5\n2,b,0\n",
    "blank rows": b"id,name,amount\n1,a,1\n\n2,b,2\n\n\n3,c,3\n\n",
    "blank cells row": b"id,name,amount\n1,a,1\n,,\n2,b,2\n",
    "quoted newlines": b'id,name,amount\n1,"two\nlines",1\n2,"x\n\ny",2\n3,c,-3\n',
    "quoted newline in header": b'id,"na\nme",amount\n1,a,1\n',
    "missing cells": b"id,name,amount\n1,a\n2\n3,c,3\n",
    "extra cells": b"id,name,amount\n1,a,1,x\n2,b,2,x,y,z,w,v,u,t,s,r\n",
    "crlf": b"id,name,amount\r\n1,a,1\r\n2,b,x\r\n",
    "crlf blank": b"id,name,amount\r\n1,a,1\r\n\r\n2,b,x\r\n",
    "lone cr": b"id,name,amount\r1,a,1\r2,b,x\r",
    "no final newline": b"id,name,amount\n1,a,1\n2,b,-1",
    "bom": b"\xef\xbb\xbfid,name,amount\n1,a,1\n1,b,2\n",
    "semicolons": b"id;name;amount\n1;a;1,5\n2;b;2\n",
    "tabs": b"id\tname\tamount\n1\ta\t1\n2\tb\tbad\n",
    # a .tsv is split at tabs whatever the sniffer guesses: here it finds no tab, or tabs it distrusts
    "tsv of commas": b"id,name,amount\n1,a,1\nx,b,2\n",
    "tsv of uneven tabs": b"id\tname\tamount\n1\ta\t1\tb\n2\n",
    "stray quote": b'id,name,amount\n1,a"b,1\n2,"c"d,2\n',
    "doubled quotes": b'id,name,amount\n1,"say ""hi""",1\n2,"""",2\n',
    "cp1251": "id,name,amount\n1,Алматы,1\n2,Шымкент жана,x\n3,Астана,-1\n".encode("cp1251"),
    "utf-8 cyrillic": "id,name,amount\n1,Алматы,1\n2,Шымкент жаңа қала,x\n".encode("utf-8"),
    "duplicate primary key": b"id,name,amount\n1,a,1\n1,b,2\n01,c,3\n,d,4\n",
    "extra label": b"id,name,amount,note\n1,a,1,x\n2,b,2\n",
    "missing label": b"id,name\n1,a\n2,b,3\n",
    "duplicate label": b"id,id,amount\n1,a,1\n",
    "blank label": b"id,,amount\n1,a,1\n",
    "incorrect label": b"ID,name,sum\n1,a,1\n",
    "only header": b"id,name,amount\n",
    "whitespace cells": b"id,name,amount\n 1 ,a, 2 \n2,b,\t3\n",
    # DuckDB skips a space beside a quote at a cell's edge, Python's csv module keeps it
    "space before a quote": b'id,name,amount\n1,"a",1\n2,b, "2"\n3,"c",3\n',
    "spaces after a quote": b'id,name,amount\n1,"abcdefghijkl"  ,1\n2,"b",2\n',
    "quotes joined by a space": b'id,name,amount\n1,a,"1" "2"\n2,"c",2\n',
    "space before empty quotes": b'id,name,amount\n1,"a, ""b""",1\n2,b, ""\n',
    "spaces after delimiters": b'id, name, amount\n1, a, 1\n2, "b, c", -2\n',  # the sniffer says skipinitialspace
    # DuckDB's one-thread reader (quoted newlines) drops a quoted cell left open at the end of the file
    "open quote at the end": b'id,name,amount\n1,"two\nlines",1\n2,3,"x',
    "cr inside cells": b'id,name,amount\n1,"\r",1\n2,"a\rb\r\nc",2\n',
}


@pytest.mark.parametrize("engine", ["duckdb", "python"])
@pytest.mark.parametrize("name", sorted(CASES))
def test_layout_matches_frictionless(name, engine, tmp_path, monkeypatch):
    """Each layout, read by DuckDB and, as a small file is, by Python alone (small.py)."""
    if engine == "python":
        monkeypatch.setattr(small, "SMALL_FILE_BYTES", SMALL_FILE_BYTES)
    monkeypatch.chdir(tmp_path)
    suffix = ".tsv" if name == "tabs" or name.startswith("tsv") else ".csv"
    path = "table" + suffix
    (tmp_path / path).write_bytes(CASES[name])
    ours = check_resource(path, SCHEMA)
    theirs = frictionless_resource(path, SCHEMA)
    assert differences(ours, theirs) == []
    assert ours.engines[0]["engine"] == engine


def test_quoted_newline_row_numbers_count_records_not_lines(tmp_path, monkeypatch):
    """Scan 2 picks candidate rows by line number only when every row is one line; a quoted line break
    sends it to the numbered scan, and the row numbers stay those of records."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "t.csv").write_bytes(b'id,name,amount\n1,"a\nb\nc",1\n2,b,oops\n3,c,1\n3,d,2\n')
    report = check_resource("t.csv", SCHEMA)
    errors = report["tasks"][0]["errors"]
    assert [(e["type"], e["rowNumber"]) for e in errors] == [("type-error", 3), ("primary-key", 5)]
    assert report.engines[0]["rows_from"] == "numbered scan"
    (tmp_path / "t.csv").write_bytes(b'id,name,amount\n1,"a b c",1\n2,b,oops\n3,c,1\n3,d,2\n')
    report = check_resource("t.csv", SCHEMA)
    assert [(e["type"], e["rowNumber"]) for e in report["tasks"][0]["errors"]] == [("type-error", 3), ("primary-key", 5)]
    assert report.engines[0]["rows_from"] == "picked lines"
    assert differences(report, frictionless_resource("t.csv", SCHEMA)) == []


@pytest.mark.parametrize("ending", [b"\n", b"\r\n"])
@pytest.mark.parametrize("final", [True, False])
def test_lines_at_picks_lines_by_number_across_chunks(tmp_path, ending, final):
    lines = [b"header"] + [b"line %d " % n + b"x" * (n % 13) for n in range(1, 400)]
    data = ending.join(lines) + (ending if final else b"")
    (tmp_path / "t.csv").write_bytes(data)
    wanted = [0, 1, 2, 57, 58, 200, 398, 399]
    strip = ending[:-1]  # the CR of a CRLF stays with its line, as DuckDB reads it
    streamed = lines_at(str(tmp_path / "t.csv"), wanted, chunk_size=64)
    for size in (1, 7, 64, 1 << 20):  # with the line index of a scan, whose chunks end anywhere
        scan = ByteScan().start(str(tmp_path / "t.csv"), chunk_size=size).wait()
        assert scan.index is not None
        indexed = lines_at(str(tmp_path / "t.csv"), wanted, scan=scan)
        for picked in (streamed, indexed):
            assert picked.picked == [lines[n] + (strip if n < 399 or final else b"") for n in wanted]
            assert picked.newlines == data.count(b"\n")
            assert picked.ends_with_newline is final
        offsets = list(range(0, len(data), 5))  # a spaced quote's line is found by its offset (benign_spots)
        assert scan.index.lines_of(offsets) == [data.count(b"\n", 0, at) for at in offsets], size


@pytest.mark.parametrize("data, blank", [
    (b"a\n1\n\n2\n", True), (b"a\n1\n2\n", False), (b"a\r\n1\r\n\r\n2\r\n", True), (b"a\n1\n" + b"x" * 61 + b"\n\n2\n", True),
])
def test_byte_scan_finds_blank_lines_across_chunks(tmp_path, data, blank):
    (tmp_path / "t.csv").write_bytes(data)
    for size in (1, 2, 3, 64, 1 << 20):
        found = ByteScan().start(str(tmp_path / "t.csv"), chunk_size=size).wait()
        assert (found.blank_line, found.newlines, found.bytes) == (blank, data.count(b"\n"), len(data)), size
        assert found.md5 == hashlib.md5(data).hexdigest() and found.sha256 == hashlib.sha256(data).hexdigest()


@pytest.mark.parametrize("data, spaced", [
    (b'a,b\n1, "x"\n', True), (b'a,b\n "x",1\n', True), (b'a,b\n1,"x" \n', True), (b'a,b\n1,"x"  ,2\n', True),
    (b'a,b\n1,"x" "y"\n', True), (b'a,b\n1,"x"   ', True), (b'a,b\n1,"x"\n', False), (b'a,b\n1,"x y"\n', False),
    (b'a,b\n1,x "y"\n', False), (b'a,b\n1,"x" y\n', False), (b'a,b\n1,"x"', False), (b'a,b\n"x",""\n', False),
    # inside a quoted cell, `, ""` then a letter is an escaped quote; before a delimiter or more quotes it is not
    (b'a,b\n1,"streets, ""phase two"""\n', False), (b'a,b\n1, "",2\n', True), (b'a,b\n1, ""', True),
    (b'a,b\n1, """x""",2\n', True), (b'a,b\n1,"x" \r\n', True),
    # a quoted cell of spaces looks the same, and is a spot too (misread then reads its line again)
    (b'a,b\n1," "\n', True), (b'a,b\n"  ","a ""b"" "\n', True),
])
def test_byte_scan_finds_spaced_quotes_across_chunks(tmp_path, data, spaced):
    (tmp_path / "t.csv").write_bytes(data)
    spots = set()
    for size in (1, 2, 3, 5, 64, 1 << 20):
        scan = ByteScan(quoting=(",", '"')).start(str(tmp_path / "t.csv"), chunk_size=size).wait()
        assert (scan.spaced_quote, scan.quotes) == (spaced, data.count(b'"')), size
        assert all(data[at : at + 1] == b'"' for _, at in scan.spots), (size, scan.spots)  # each is the quote's offset
        spots.add(tuple(sorted(scan.spots)))
    assert len(spots) == 1, spots  # wherever the chunks end


@pytest.mark.parametrize("data, fast", [
    (b'id,name,amount\n1," ",1\n2,"  ",2\n3,"a ""b"" ",-3\n', True),  # spaces inside quoted cells: read alike
    (b'id,name,amount\n1,"x, "" y",1\n2," , ",2\n', True),
    (b'id,name,amount\n1,"x,"  ",y",1\n', False),  # the quote after `x,` closes the cell: the spaces follow it
    (b'id,name,amount\n1," ",1\n2,"b" ,2\n', False),  # one spot outside quotes spoils the file
    (b'id,name,amount\n1,"two\nlines",1\n2," ",2\n', False),  # a record on two lines: lines are not records
])
def test_spaces_inside_quoted_cells_keep_the_fast_path(tmp_path, monkeypatch, data, fast):
    """A cell of spaces (`" "`) looks like spaces after a closing quote to the byte scan; its line is read
    again as Python's csv module reads it, and the fast path stays when all such spaces are inside quotes."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "t.csv").write_bytes(data)
    ours = check_resource("t.csv", SCHEMA)
    assert differences(ours, frictionless_resource("t.csv", SCHEMA)) == []
    assert (ours.engines[0]["path"] == "fast") == fast, ours.engines


@pytest.mark.parametrize("data, dialect", [
    (b'id,name,amount\n1,a\\,b,1\n2,"x\\"y",2\n3,"p""q",x\n', {"escapeChar": "\\"}),
    (b'id,name,amount\n1,"x\\"y",2\n2,"p""q",3\n', {"csv": {"escapeChar": "\\", "doubleQuote": False}}),
    (b'id,name,amount\n1,"p""q",3\n', {"doubleQuote": False}),  # without an escape character Frictionless doubles quotes anyway
    (b'id, name, amount\n1, a, 1\n2, "b, c", -2\n', {"skipInitialSpace": False}),  # the dialect overrules the sniffer
    (b'id,name,amount\n1,  a,1\n2,"b",2\n', {"skipInitialSpace": True}),
])
def test_escape_and_space_dialects_take_the_exact_path(tmp_path, monkeypatch, data, dialect):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "t.csv").write_bytes(data)
    ours = check_resource("t.csv", SCHEMA, dialect=dialect)
    assert differences(ours, frictionless_resource("t.csv", SCHEMA, dialect)) == []
    assert ours.engines[0]["engine"] == "duckdb", ours.engines


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@given(st.lists(st.sampled_from(["a", " ", '"', ",", "\n", '""', ', "', '" ,', "\r\n", ";", "\r", "1", "é", '"a"', "\n\n"]), min_size=1, max_size=30))
def test_quote_and_line_end_soup_matches_frictionless(tmp_path_factory, parts):
    """Text made of the characters CSV parsers disagree on reads as Python's csv module reads it."""
    directory = tmp_path_factory.mktemp("soup")
    (directory / "t.csv").write_bytes(("x,y,z\n" + "".join(parts)).encode("utf-8"))
    schema = {"fields": [{"name": name, "type": "string", "constraints": {"pattern": "[a-z]*"}} for name in "xyz"]}
    cwd = os.getcwd()
    os.chdir(directory)  # Frictionless reads relative paths only
    try:
        ours, theirs = check_resource("t.csv", schema), frictionless_resource("t.csv", schema)
    finally:
        os.chdir(cwd)
    assert differences(ours, theirs) == [], repr("".join(parts))


def test_dialect_delimiter_is_honoured(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "t.csv").write_bytes(b"id|name|amount\n1|a|1\n2|b|-2\n")
    dialect = {"delimiter": "|"}
    ours = check_resource("t.csv", SCHEMA, dialect=dialect)
    assert differences(ours, frictionless_resource("t.csv", SCHEMA, dialect)) == []


CYRILLIC = "id,name,amount\n1,Алматы,1\n2,Шымкент жана,x\n3,Астана,-1\n"


@pytest.mark.parametrize("data, declared, engine", [
    pytest.param(CYRILLIC.encode("cp1251"), "windows-1251", "duckdb", id="cp1251 as windows-1251"),
    pytest.param(CYRILLIC.encode("koi8-r"), "KOI8_R", "duckdb", id="koi8-r as KOI8_R"),
    # decodes, wrongly: the longer names break maxLength, as in Frictionless
    pytest.param(CYRILLIC.encode("utf-8"), "latin-1", "duckdb", id="utf-8 as latin-1"),
    pytest.param(codecs.BOM_UTF8 + CYRILLIC.encode("utf-8"), "UTF-8", "duckdb", id="utf-8 BOM as UTF-8"),  # utf-8-sig
    pytest.param(codecs.BOM_UTF16_LE + CYRILLIC.encode("utf-16-le"), "utf-16-le", "duckdb", id="utf-16-le BOM"),  # utf-16
    pytest.param(b"id,name,amount\n1,a,1\n2,b,-1\n", "ascii", "duckdb", id="ascii as ascii"),
    # encoding-errors: the bytes are not what is declared, or no codec has the name
    pytest.param(CYRILLIC.encode("cp1251"), "utf-8", "frictionless", id="cp1251 as utf-8"),
    pytest.param(CYRILLIC.encode("utf-8"), "ascii", "frictionless", id="utf-8 as ascii"),
    pytest.param(CYRILLIC.encode("utf-8"), "klingon", "frictionless", id="unknown codec"),
])
@pytest.mark.parametrize("small_file", [False, True])
def test_declared_encoding_is_read_as_frictionless_reads_it(tmp_path, monkeypatch, data, declared, engine, small_file):
    """A resource's `encoding` wins over the guess, as in Frictionless, whose report ours then matches."""
    if small_file:
        monkeypatch.setattr(small, "SMALL_FILE_BYTES", SMALL_FILE_BYTES)
        engine = "python" if engine == "duckdb" else engine
    monkeypatch.chdir(tmp_path)
    (tmp_path / "t.csv").write_bytes(data)
    resource = {"name": "t", "path": "t.csv", "encoding": declared, "schema": SCHEMA}
    (tmp_path / "datapackage.json").write_text(json.dumps({"name": "p", "resources": [resource]}), encoding="utf-8")
    ours = check_package("datapackage.json")
    assert differences(ours, frictionless_package("datapackage.json")) == []
    assert ours.engines[0]["engine"] == engine, ours.engines


TEXTS = {
    "kk": "Демо ауданы әкімдігі: балабақша құрылысы, Қызылорда облысы, 2024 жыл. " * 40,
    "ru": "Строительство детского сада в селе, меморандум с недропользователем, сумма в тенге. " * 40,
    "fr": "Été, à côté de l'école, où l'on a bâti une crèche — coût prévu : 1 200 €. " * 40,
    "ja": "幼稚園の建設と学校の改修、地方予算の支出。" * 60,
    "zh": "地方预算支出，学校和幼儿园建设项目。" * 60,
    "en": "id,name,amount\n1,Kindergarten,120000\n" * 100,
}
ENCODINGS = ["utf-8", "utf-8-sig", "cp1251", "koi8-r", "cp1252", "latin-1", "shift_jis", "gb2312", "utf-16", "mac-cyrillic"]


def _samples():
    for language, text in TEXTS.items():
        for encoding in ENCODINGS:
            try:
                data = text.encode(encoding)
            except UnicodeEncodeError:
                continue
            yield pytest.param(data, id=f"{language}-{encoding}")
            yield pytest.param(data[:57], id=f"{language}-{encoding}-short")
    yield pytest.param(("Ж" * 130_000).encode("utf-8"), id="over the detector's cap")
    yield pytest.param(bytes(range(256)) * 8, id="binary")
    yield pytest.param(b"a,b\n1,\xff\xfe\x00\n" * 30, id="mixed")


@pytest.mark.parametrize("buffer", list(_samples()))
def test_encoding_guess_without_language_is_chardets_close(buffer):
    """chardet_guess skips chardet 7's language step; encoding and confidence must be close()'s."""
    from pipelines.tablecheck.source import chardet_guess

    fast, full = chardet_guess(buffer), chardet_guess(buffer, with_language=True)
    assert (fast["encoding"], fast["confidence"]) == (full["encoding"], full["confidence"])


def test_a_referenced_resource_is_read_as_python_reads_it(tmp_path):
    """The keys another resource's foreign key looks up come from the same reading: `"a" ,` is `a `."""
    (tmp_path / "regions.csv").write_bytes(b'code,name\n"a" ,x\n"b",y\n')
    (tmp_path / "lines.csv").write_bytes(b"region\na\nb\n")
    descriptor = {"name": "p", "resources": [
        {"name": "lines", "path": "lines.csv", "schema": {"fields": [{"name": "region", "type": "string"}],
                                                         "foreignKeys": [{"fields": ["region"], "reference": {"resource": "regions", "fields": ["code"]}}]}},
        {"name": "regions", "path": "regions.csv", "schema": {"fields": [{"name": "code", "type": "string"}, {"name": "name", "type": "string"}]}},
    ]}
    (tmp_path / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    ours = check_package(str(tmp_path / "datapackage.json"))
    assert differences(ours, frictionless_package(str(tmp_path / "datapackage.json"))) == []
    assert [error["type"] for error in ours["tasks"][0]["errors"]] == ["foreign-key"]


@pytest.mark.parametrize("buffer", [
    b"a,b\n1,2\n", b"x,y,z\naaa\x00\x0c", b"a\x00,\x00b\x00\n\x00", b"x,y\n\x1b$B0!\x1b(B,2\n", b"x,y\n~{<:Ky2;S{#,~},2\n",
    b"a,b\n1,+AGEAYgBj-\n", b"name,phone\nAkimat,+77012345678\n", b"a,b\nC++,x~y\n", b"BMI,height\n21.5,170\n",
])
def test_ascii_encoding_guess_is_frictionless(buffer):
    """ASCII skips chardet only where chardet would call it ASCII too (NUL, ESC, ~ and + make it look further)."""
    from frictionless import Detector

    from pipelines.tablecheck.source import detect_encoding

    assert detect_encoding(buffer) == Detector().detect_encoding(buffer)


def test_a_small_file_undecodable_past_the_guessed_sample_goes_to_frictionless(tmp_path, monkeypatch):
    """Python reads a small file whole; bytes the declared encoding cannot decode beyond the first 100,000
    (which the layout's guess read) get Frictionless's own report, as on the DuckDB paths."""
    monkeypatch.setattr(small, "SMALL_FILE_BYTES", SMALL_FILE_BYTES)
    monkeypatch.chdir(tmp_path)
    data = "id,name,amount\n" + "".join(f"{i},abcdefgh,1\n" for i in range(1, 7000)) + "7000,\xe9t\xe9,1\n"
    (tmp_path / "t.csv").write_bytes(data.encode("latin-1"))
    assert 100_000 < len(data) < SMALL_FILE_BYTES and data.count("\n") < SMALL_FILE_ROWS
    resource = {"name": "t", "path": "t.csv", "encoding": "utf-8", "schema": SCHEMA}
    (tmp_path / "datapackage.json").write_text(json.dumps({"name": "p", "resources": [resource]}), encoding="utf-8")
    ours = check_package("datapackage.json")
    assert differences(ours, frictionless_package("datapackage.json")) == []
    assert ours.engines[0]["engine"] == "frictionless" and "unreadable as utf-8" in ours.engines[0]["reason"], ours.engines
