"""The schemas are the single source of truth: everything derived from them must agree."""
from decimal import Decimal

from frictionless import Schema
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.docs import DICTIONARY, data_dictionary
from pipelines.schemas import columns, csv_cells, csv_with_columns, format_value, package_metadata, resource_names, schema, to_csv_bytes


def test_every_schema_is_a_valid_table_schema_with_keys_on_existing_fields():
    for name in resource_names():
        descriptor = schema(name)
        Schema.from_descriptor(descriptor)  # raises on an invalid descriptor
        names = set(columns(name))
        assert set(descriptor.get("primaryKey", [])) <= names
        for fk in descriptor.get("foreignKeys", []):
            assert set(fk["fields"]) <= names
            assert fk["reference"]["resource"] in resource_names()
            assert set(fk["reference"]["fields"]) <= set(columns(fk["reference"]["resource"]))


def test_csv_header_follows_schema_order_and_rows_sort_by_primary_key():
    text = to_csv_bytes("regions", [{"region_code": "750000000", "country": "KZ"}, {"region_code": "150000000", "country": "KZ"}]).decode()
    lines = text.splitlines()
    assert lines[0].split(",") == columns("regions")
    assert [line.split(",")[0] for line in lines[1:]] == ["150000000", "750000000"]


def test_committed_data_dictionary_is_generated_from_the_schemas():
    assert DICTIONARY.read_text("utf-8") == data_dictionary(), "run: .venv/bin/python -m pipelines.docs"
    for name in resource_names():
        assert f"`{name}.csv`" in DICTIONARY.read_text("utf-8")
    assert package_metadata()["name"] in DICTIONARY.read_text("utf-8")


def budget_line(number: int, **overrides) -> dict:
    row = {"line_id": f"s/2024/230000000/r/{number:02d}/approved", "year": 2024, "region_code": "230000000", "direction": "revenue",
           "line_name": f"Поступление {number}", "phase": "approved", "amount": Decimal(f"{number}000.50"), "currency": "KZT",
           "unit_in_source": "thousand", "source_id": "s", "source_document": "a" * 64, "locator": f"csv:row={number}", "sample": False}
    return {**row, **overrides}


def test_csv_bytes_do_not_depend_on_how_many_rows_are_written_at_a_time():
    rows = [budget_line(n) for n in (7, 3, 9, 1, 4, 8, 2)] + [budget_line(5, line_name="=HYPERLINK(\"http://x\")", parent_name="-5")]
    whole = to_csv_bytes("budget_lines", rows)
    for chunk in (1, 2, 3, 100):
        assert to_csv_bytes("budget_lines", rows, chunk=chunk) == whole
    lines = whole.decode("utf-8").splitlines()
    assert lines[0].split(",") == columns("budget_lines") and len(lines) == 1 + len(rows)
    assert [line.split(",")[0][-11:-9] for line in lines[1:]] == ["01", "02", "03", "04", "05", "07", "08", "09"]
    assert ",\"'=HYPERLINK(\"\"http://x\"\")\",-5," in lines[5], "formula neutralised; an inert signed number kept"
    assert ",5000.5,KZT," in lines[5] and lines[5].endswith(",false")
    ordered = sorted(rows, key=lambda row: row["line_id"])
    assert to_csv_bytes("budget_lines", ordered, presorted=True, chunk=3) == whole
    assert to_csv_bytes("budget_lines", []).decode() == ",".join(columns("budget_lines")) + "\n"


def test_csv_bytes_are_what_pythons_csv_writer_writes_for_every_awkward_cell():
    """Rows without commas, quotes or line breaks are joined directly; the bytes must not differ from csv.writer's
    (with "\n" line ends), except that a bare CR is quoted too, so that the file reads back as it was written."""
    import csv
    import io

    awkward = ["plain", "with, comma", 'with "quotes"', "line\nbreak", "carriage\rreturn", "", " spaced ", "Ұлытау ,", "=1+1", "-5", "\rfirst"]
    rows = [budget_line(n, line_name=text, parent_name=awkward[-1 - n % len(awkward)]) for n, text in enumerate(awkward, start=1)]
    ordered = [csv_cells("budget_lines", row) for row in sorted(rows, key=lambda r: r["line_id"])]
    data = to_csv_bytes("budget_lines", rows, chunk=3).decode("utf-8")
    assert list(csv.reader(io.StringIO(data, newline=""))) == [columns("budget_lines"), *ordered]
    assert "'=1+1" in data and '"with, comma"' in data and '"carriage\rreturn"' in data

    def written(selected, terminator):
        out = io.StringIO()
        writer = csv.writer(out, lineterminator=terminator)
        writer.writerow(columns("budget_lines"))
        writer.writerows(csv_cells("budget_lines", row) for row in sorted(selected, key=lambda r: r["line_id"]))
        return out.getvalue()

    without_cr = [row for row in rows if "\r" not in "".join(csv_cells("budget_lines", row))]
    with_cr = [row for row in rows if row not in without_cr]
    assert with_cr and without_cr
    assert to_csv_bytes("budget_lines", without_cr, chunk=3).decode("utf-8") == written(without_cr, "\n")
    assert to_csv_bytes("budget_lines", with_cr).decode("utf-8") == written(with_cr, "\r\n").replace("\r\n", "\n")


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.decimals(allow_nan=True, allow_infinity=True).filter(lambda d: not d.is_snan()), st.decimals(places=3, allow_nan=False),
                 st.builds(lambda digits, exponent: Decimal(f"{digits}E{exponent}"), st.integers(-10**35, 10**35), st.integers(-40, 40))))
def test_decimal_cells_read_off_their_text_as_the_normalized_form_writes_them(value):
    assert format_value(value) == format(value.normalize(), "f")


def _written_by_csv_module(name: str, rows: list[dict]) -> bytes:
    """The reference: csv_cells through csv.writer row by row (a CR quoted as the CR LF terminator makes it), LF ends."""
    import csv
    import io

    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(columns(name))
    for row in rows:
        line = io.StringIO()
        csv.writer(line, lineterminator="\r\n").writerow(csv_cells(name, row))
        out.write(line.getvalue()[:-2] + "\n")
    return out.getvalue().encode("utf-8")


_awkward_text = st.one_of(st.sampled_from(["", "plain", "a,b", 'say "hi"', "two\nlines", "cr\ronly", "=1+1", "-5", "+7 701", "@x", "\tx", "\0=",
                                           "Ұлытау", "-", " spaced "]),
                          st.text(max_size=6))
_any_cell = st.one_of(st.none(), _awkward_text, st.booleans(), st.integers(-10**20, 10**20),
                      st.decimals(allow_nan=True, allow_infinity=True).filter(lambda d: not d.is_snan()),
                      st.floats(allow_infinity=False))


def _rows_of(cell):
    return st.lists(st.fixed_dictionaries({column: cell for column in columns("budget_lines")}), max_size=12)


_decimal_cell = st.one_of(st.decimals(allow_nan=True, allow_infinity=True), st.decimals(places=2),
                          st.builds(lambda digits, exponent: Decimal(f"{digits}E{exponent}"), st.integers(-10**35, 10**35), st.integers(-40, 40)),
                          ).filter(lambda d: not d.is_snan())  # a signalling NaN is no cell value (format_value refuses it)


@settings(max_examples=400, deadline=None)
@given(st.one_of(
    st.lists(st.fixed_dictionaries({}, optional={column: _any_cell for column in columns("budget_lines")}), max_size=12),  # mixed, gaps
    _rows_of(_decimal_cell), _rows_of(st.one_of(st.none(), _awkward_text)), _rows_of(_awkward_text),
    _rows_of(st.integers(-10**20, 10**20)), _rows_of(st.integers(0, 2)), _rows_of(st.booleans()),
))
def test_csv_bytes_a_column_at_a_time_are_the_csv_modules_row_by_row(rows):
    """Columns of one type take the short ways (Decimal, int, bool, text needing no quotes and holding no
    formula); any other column, and rows missing a column, the general one: the bytes are the csv module's.
    The cells kept beside them (csv_with_columns, for the SQLite download) are csv_cells', row by row, in
    batches of any size across the chunks they were written in."""
    expected = _written_by_csv_module("budget_lines", rows)
    assert to_csv_bytes("budget_lines", rows, presorted=True) == expected
    data, cells = csv_with_columns("budget_lines", rows, presorted=True, chunk=5)
    assert data == expected
    read, firsts = [], []
    for first, by_column in cells.batches(3):
        firsts.append(first)
        read += zip(*(by_column[column] for column in columns("budget_lines")))
    assert [list(cells) for cells in read] == [csv_cells("budget_lines", row) for row in rows]
    assert firsts == list(range(0, len(rows), 3))  # batches as reading the CSV makes them, across the chunks


def test_a_one_column_csv_quotes_an_empty_cell_so_that_it_reads_back_as_a_row(monkeypatch):
    import csv
    import io

    import pipelines.schemas as schemas

    monkeypatch.setattr(schemas, "_layout", lambda name: (("note",), (True,), ("note",)))
    rows = [{"note": ""}, {"note": None}, {"note": "a,b"}, {"note": "=1"}, {"note": "plain"}, {}]
    data = to_csv_bytes("one", rows, presorted=True).decode("utf-8")
    assert csv_with_columns("one", rows, presorted=True)[1].chunks == [{"note": ["", "", "a,b", "'=1", "plain", ""]}]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["note"])
    writer.writerows([[""], [""], ["a,b"], ["'=1"], ["plain"], [""]])
    assert data == out.getvalue()
    assert list(csv.reader(io.StringIO(data))) == [["note"], [""], [""], ["a,b"], ["'=1"], ["plain"], [""]]
