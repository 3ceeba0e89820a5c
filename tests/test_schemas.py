"""The schemas are the single source of truth: everything derived from them must agree."""
from frictionless import Schema

from pipelines.docs import DICTIONARY, data_dictionary
from pipelines.schemas import columns, package_metadata, resource_names, schema, to_csv_bytes


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
