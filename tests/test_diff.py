"""Release diffs: the DuckDB join gives exactly what the dicts of every row give, and steps aside when it cannot."""
from __future__ import annotations

import csv
import io
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipelines import diff

CELLS = st.text(alphabet='ab,"\n é', max_size=4)  # commas, quotes and line breaks make quoted cells; no CR (always quoted when published)


def release(folder, header, rows, primary_key):
    folder.mkdir(parents=True, exist_ok=True)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    data = buffer.getvalue().encode("utf-8")
    (folder / "t.csv").write_bytes(data)
    schema = {"fields": [{"name": name, "type": "string"} for name in header], **({"primaryKey": primary_key} if primary_key else {})}
    resource = {"name": "t", "path": "t.csv", "schema": schema, "hash": f"sha256:{hash(data)}"}
    (folder / "datapackage.json").write_text(json.dumps({"name": "p", "resources": [resource]}), "utf-8")
    return resource


@st.composite
def release_pairs(draw):
    old_header = ["id", "a", "locator"]  # locator: a provenance column (rows changed only there are listed last)
    new_header = draw(st.sampled_from([old_header, old_header, ["id", "locator", "a"], ["id", "a", "c"], ["id", "a"]]))
    keyed = draw(st.booleans())
    ids = st.text(alphabet="xyz,\"", min_size=0, max_size=2)

    def rows(header):
        drawn = draw(st.lists(st.tuples(ids, *[CELLS] * (len(header) - 1)), max_size=8))
        if keyed:
            drawn = list({row[0]: row for row in drawn}.values())  # a published key is unique
        return [list(row) for row in drawn]

    old_rows = rows(old_header)
    if new_header == old_header:
        edited = [[row[0]] + [draw(CELLS) if draw(st.booleans()) else cell for cell in row[1:]] for row in old_rows]  # same keys, some cells changed
        new_rows = draw(st.sampled_from([old_rows, edited, edited[1:] + rows(new_header)]))
        if keyed:
            new_rows = list({row[0]: row for row in new_rows}.values())
    else:
        new_rows = rows(new_header)
    return old_header, old_rows, new_header, new_rows, keyed


@settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
@given(release_pairs())
def test_the_sql_diff_equals_the_python_diff(tmp_path_factory, pair):
    old_header, old_rows, new_header, new_rows, keyed = pair
    root = tmp_path_factory.mktemp("d")
    old = release(root / "old", old_header, old_rows, ["id"] if keyed else None)
    new = release(root / "new", new_header, new_rows, ["id"] if keyed else None)
    found = diff._changes_in_sql(root / "old" / "t.csv", old, root / "new" / "t.csv", new)
    if keyed:
        assert found is not None, "unique keys: the join answers"
    if found is None:
        return  # rows repeating a key: the dicts' rule (the last row wins) applies
    for listed in (None, 2):  # every key, or the first two of each kind (a changelog's list) with full counts
        by_sql = diff.diff_releases(root / "old", root / "new", listed=listed)
        original = diff._changes_in_sql
        try:
            diff._changes_in_sql = lambda *args: None
            by_python = diff.diff_releases(root / "old", root / "new", listed=listed)
        finally:
            diff._changes_in_sql = original
        assert by_sql == by_python
        assert [list(part["changed"]) for part in by_sql.values()] == [list(part["changed"]) for part in by_python.values()], "the same order"


def test_repeated_keys_leave_the_diff_to_python(tmp_path):
    old = release(tmp_path / "old", ["id", "a"], [["1", "x"], ["1", "y"]], ["id"])
    new = release(tmp_path / "new", ["id", "a"], [["1", "z"]], ["id"])
    assert diff._changes_in_sql(tmp_path / "old" / "t.csv", old, tmp_path / "new" / "t.csv", new) is None
    report = diff.diff_releases(tmp_path / "old", tmp_path / "new")
    assert report["t"]["changed"] == {("1",): ["a"]}, "the last row of a repeated key is the one compared"


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.lists(st.tuples(st.sampled_from(["s1", "s2", "", "s,3", 'q"4']), CELLS), max_size=12))
def test_column_counts_are_what_csv_reader_counts(tmp_path_factory, rows):
    from collections import Counter

    from pipelines.csv_sql import column_counts

    folder = tmp_path_factory.mktemp("c")
    release(folder, ["source_id", "text"], [list(row) for row in rows], None)
    with open(folder / "t.csv", encoding="utf-8", newline="") as handle:
        expected = Counter(row[0] for row in list(csv.reader(handle))[1:])
    assert column_counts(folder / "t.csv", "source_id") == dict(expected)


def test_the_changelog_lists_changed_values_before_rows_only_read_from_elsewhere(tmp_path):
    """A re-published file moves every row's document and locator; the one corrected amount comes first."""
    release(tmp_path / "old", ["id", "amount", "locator"], [["a", "1", "row=2"], ["b", "2", "row=3"], ["c", "3", "row=4"]], ["id"])
    release(tmp_path / "new", ["id", "amount", "locator"], [["a", "1", "row=3"], ["b", "2", "row=4"], ["c", "4", "row=5"]], ["id"])
    report = diff.diff_releases(tmp_path / "old", tmp_path / "new", listed=2)
    assert report["t"]["counts"] == {"added": 0, "removed": 0, "changed": 3, "provenance_only": 2}
    assert list(report["t"]["changed"].items()) == [(("c",), ["amount", "locator"]), (("a",), ["locator"])]
    text = diff.changelog(report, version="1.1.0", previous="1.0.0", created="2026-11-22", change="minor")
    assert "Rows: 0 added, 0 removed, 3 changed (2 of them only in where they were read from: document, URL or place in it)." in text
    assert text.index("`c` (amount, locator)") < text.index("`a` (locator)")
    assert diff.summary_line(report) == "t +0 -0 ~3 (2 only in where read from)"
