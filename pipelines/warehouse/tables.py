"""The one DDL generator: a release's Table Schemas -> SQLAlchemy tables with NOT NULL, primary, unique and
foreign keys (composite too), table/column comments, and the order to load them in (parents first).
Both the SQLite file and the warehouse load use it, so they cannot drift apart."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.schema import CreateTable

from pipelines.warehouse.errors import WarehouseError
from pipelines.warehouse.types import sql_type

COLUMNS_TABLE = "_columns"
RELEASES_TABLE = "releases"


@dataclass(frozen=True)
class ReleaseTables:
    metadata: sa.MetaData
    load_order: list[str]  # resource names, every table after the tables it references
    columns: sa.Table  # _columns: one row per published column, with its description
    releases: sa.Table  # releases: one row per (package, version, resource) loaded, with the CSV's sha256

    def table(self, resource: str) -> sa.Table:
        return self.metadata.tables[_key(self.metadata.schema, resource)]


def release_tables(descriptor: dict, schema: str | None = None) -> ReleaseTables:
    """SQL tables for every resource of a datapackage.json descriptor (optionally in a database schema)."""
    metadata = sa.MetaData(schema=schema)
    resources = {resource["name"]: resource for resource in descriptor["resources"]}
    reserved = {COLUMNS_TABLE, RELEASES_TABLE} & set(resources)
    if reserved:
        raise WarehouseError(f"resource names {sorted(reserved)} are reserved for the warehouse's own tables")
    order = load_order(resources)
    for name in order:
        _resource_table(metadata, resources[name])
    return ReleaseTables(metadata, order, _columns_table(metadata), _releases_table(metadata))


def load_order(resources: dict[str, dict]) -> list[str]:
    """Resources sorted so each comes after those its foreign keys reference (stable: datapackage order otherwise)."""
    parents = {}
    for name, resource in resources.items():
        parents[name] = set()
        for foreign_key in resource["schema"].get("foreignKeys", []):
            parent = foreign_key["reference"].get("resource") or name  # "" means the resource itself
            if parent not in resources:
                raise WarehouseError(f"resource {name!r}: foreign key to unknown resource {parent!r}")
            if parent != name:
                parents[name].add(parent)
    order: list[str] = []
    while len(order) < len(resources):
        ready = [name for name in resources if name not in order and parents[name] <= set(order)]
        if not ready:
            cycle = sorted(name for name in resources if name not in order)
            raise WarehouseError(f"foreign keys form a cycle among {cycle}: no load order exists")
        order.append(ready[0])
    return order


def _resource_table(metadata: sa.MetaData, resource: dict) -> sa.Table:
    schema = resource["schema"]
    primary_key = _as_list(schema.get("primaryKey"))
    columns = []
    for field in schema["fields"]:
        constraints = field.get("constraints", {})
        columns.append(
            sa.Column(
                field["name"],
                sql_type(field),
                nullable=not (constraints.get("required", False) or field["name"] in primary_key),
                comment=field.get("description"),
            )
        )
    table = sa.Table(resource["name"], metadata, *columns, comment=resource.get("description"))
    if primary_key:
        table.append_constraint(sa.PrimaryKeyConstraint(*primary_key, name=constraint_name("pk", resource["name"])))
    for field in schema["fields"]:
        if field.get("constraints", {}).get("unique") and primary_key != [field["name"]]:
            table.append_constraint(sa.UniqueConstraint(field["name"], name=constraint_name("uq", resource["name"], field["name"])))
    for number, foreign_key in enumerate(schema.get("foreignKeys", []), start=1):
        parent_name = foreign_key["reference"].get("resource") or resource["name"]
        parent = metadata.tables[_key(metadata.schema, parent_name)]
        fields = _as_list(foreign_key["fields"])
        referenced = _as_list(foreign_key["reference"]["fields"])
        missing = [column for column in referenced if column not in parent.c]
        if missing or len(fields) != len(referenced):
            raise WarehouseError(f"resource {resource['name']!r}: foreign key {fields} -> {parent_name}{referenced} does not match")
        _ensure_unique(parent, referenced)
        table.append_constraint(
            sa.ForeignKeyConstraint(
                fields,
                [parent.c[column] for column in referenced],
                name=constraint_name("fk", resource["name"], str(number)),
                # A self-reference may point at a later row: check it at commit, not row by row.
                **({"deferrable": True, "initially": "DEFERRED"} if parent is table else {}),
            )
        )
    return table


def _ensure_unique(table: sa.Table, columns: list[str]) -> None:
    """SQL wants a key to reference; Table Schema does not, so add a UNIQUE when the target is not the primary key."""
    if [column.name for column in table.primary_key.columns] == columns:
        return
    for constraint in table.constraints:
        if isinstance(constraint, sa.UniqueConstraint) and [column.name for column in constraint.columns] == columns:
            return
    table.append_constraint(sa.UniqueConstraint(*columns, name=constraint_name("uq", table.name, *columns)))


def _columns_table(metadata: sa.MetaData) -> sa.Table:
    return sa.Table(
        COLUMNS_TABLE,
        metadata,
        sa.Column("resource", sa.Text, primary_key=True, comment="Table (Data Package resource) name."),
        sa.Column("position", sa.Integer, primary_key=True, comment="1-based column position in the CSV and the table."),
        sa.Column("name", sa.Text, nullable=False, comment="Column name."),
        sa.Column("title", sa.Text, comment="Human-readable title."),
        sa.Column("type", sa.Text, nullable=False, comment="Table Schema type (string, integer, number, boolean, date, datetime...)."),
        sa.Column("required", sa.Boolean(create_constraint=False), nullable=False, comment="Whether every row must have a value."),
        sa.Column("description", sa.Text, comment="What the column means."),
        comment="Every published column with its type and description (the data dictionary, as a table).",
    )


def _releases_table(metadata: sa.MetaData) -> sa.Table:
    return sa.Table(
        RELEASES_TABLE,
        metadata,
        sa.Column("package", sa.Text, primary_key=True, comment="Data Package name."),
        sa.Column("version", sa.Text, primary_key=True, comment="Release version."),
        sa.Column("resource", sa.Text, primary_key=True, comment="Resource (table) name."),
        sa.Column("created", sa.Text, comment="When the release was created (ISO 8601, UTC)."),
        sa.Column("path", sa.Text, nullable=False, comment="CSV file the table was loaded from."),
        sa.Column("sha256", sa.Text, nullable=False, comment="sha256 of that CSV, checked against datapackage.json."),
        sa.Column("row_count", sa.BigInteger, nullable=False, comment="Rows loaded."),
        sa.Column("loaded_at", sa.Text, nullable=False, comment="When the rows were loaded (a release's own SQLite file: its creation time)."),
        comment="Which release (and which CSV bytes) each table was loaded from; earlier loads are kept as history.",
    )


def column_rows(descriptor: dict) -> list[dict]:
    """Rows of the _columns table, in resource then column order."""
    return [
        {
            "resource": resource["name"],
            "position": position,
            "name": field["name"],
            "title": field.get("title"),
            "type": field.get("type", "string"),
            "required": bool(field.get("constraints", {}).get("required", False)),
            "description": field.get("description"),
        }
        for resource in descriptor["resources"]
        for position, field in enumerate(resource["schema"]["fields"], start=1)
    ]


def ddl(descriptor: dict, dialect_name: str = "sqlite", schema: str | None = None) -> str:
    """CREATE TABLE statements for a descriptor in a dialect (sqlite, postgresql, ...), in load order."""
    tables = release_tables(descriptor, schema)
    dialect = _dialect(dialect_name)
    statements = [str(CreateTable(table).compile(dialect=dialect)).strip() + ";" for table in tables.metadata.sorted_tables]
    return "\n\n".join(statements) + "\n"


def _dialect(name: str):
    from sqlalchemy.dialects import registry

    return registry.load(name)()


def constraint_name(*parts: str) -> str:
    """pk_/uq_/fk_ names, shortened with a hash past 60 characters (PostgreSQL's limit is 63)."""
    name = "_".join(parts)
    if len(name) <= 60:
        return name
    return f"{name[:51]}_{hashlib.sha1(name.encode()).hexdigest()[:8]}"


def _key(schema: str | None, name: str) -> str:
    return f"{schema}.{name}" if schema else name


def _as_list(value) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)
