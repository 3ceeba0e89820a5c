"""SQL column types for Table Schema types, portable across SQLite and PostgreSQL without losing a digit.

- number   -> NUMERIC. PostgreSQL keeps Decimals exactly. SQLite has no decimal type: a whole number is stored
              as a 64-bit INTEGER (exact), a fraction as REAL, which is exact only up to 15 significant digits,
              so a value that would not survive the round trip is refused instead of being silently rounded.
- date     -> DATE / TIMESTAMP WITH TIME ZONE elsewhere; ISO 8601 TEXT in SQLite (readable, sortable, and what
              SQLite's own date functions take).
"""
from __future__ import annotations

from datetime import date, datetime, timezone
from decimal import Decimal

import sqlalchemy as sa

INT64 = 2**63


class _SqliteNumeric(sa.Numeric):
    """NUMERIC that hands values to sqlite3 untouched (SQLAlchemy's own would turn every int into a float)."""

    def bind_processor(self, dialect):
        return None

    def result_processor(self, dialect, coltype):
        return None


class ExactNumber(sa.types.TypeDecorator):
    impl = sa.Numeric
    cache_ok = True

    def load_dialect_impl(self, dialect):
        if dialect.name == "sqlite":
            return _SqliteNumeric()
        return dialect.type_descriptor(sa.Numeric(asdecimal=True))

    def process_bind_param(self, value, dialect):
        if value is None or dialect.name != "sqlite":
            return value
        value = Decimal(value)
        if value == value.to_integral_value() and -INT64 <= value < INT64:
            return int(value)
        as_float = float(value)
        if Decimal(repr(as_float)) != value:
            raise ValueError(
                f"{value} has more significant digits than SQLite's REAL keeps exactly (15); "
                "the CSV and a PostgreSQL warehouse keep it exactly"
            )
        return as_float

    def process_result_value(self, value, dialect):
        if value is None or isinstance(value, Decimal):
            return value
        return Decimal(value) if isinstance(value, int) else Decimal(repr(value))


def plain_number(text: str) -> int | float | None:
    """ExactNumber's SQLite value of a CSV cell read off its text when that is plain digits, at most 15 of them
    (so a fraction survives the round trip through REAL): what Decimal(text) through process_bind_param gives,
    at a fraction of the cost per cell. None for any other text, which takes that path (refusals included)."""
    whole, _, fraction = text.partition(".")
    digits = whole[1:] if whole.startswith("-") else whole
    if not (digits.isdigit() and digits.isascii() and len(digits) + len(fraction) <= 15):
        return None
    if fraction and not (fraction.isdigit() and fraction.isascii()):
        return None
    return float(text) if fraction.strip("0") else int(whole)


class IsoDate(sa.types.TypeDecorator):
    impl = sa.Date
    cache_ok = True

    def load_dialect_impl(self, dialect):
        return dialect.type_descriptor(sa.Text() if dialect.name == "sqlite" else sa.Date())

    def process_bind_param(self, value, dialect):
        if value is not None and dialect.name == "sqlite":
            return value.isoformat()
        return value

    def process_result_value(self, value, dialect):
        return date.fromisoformat(value) if isinstance(value, str) else value


class IsoDateTime(sa.types.TypeDecorator):
    impl = sa.DateTime
    cache_ok = True

    def load_dialect_impl(self, dialect):
        return dialect.type_descriptor(sa.Text() if dialect.name == "sqlite" else sa.DateTime(timezone=True))

    def process_bind_param(self, value, dialect):
        if value is not None and dialect.name == "sqlite":
            text = value.isoformat()
            return text[:-6] + "Z" if value.utcoffset() is not None and value.utcoffset().total_seconds() == 0 else text
        return value

    def process_result_value(self, value, dialect):
        if isinstance(value, str):
            return datetime.fromisoformat(value)
        if isinstance(value, datetime) and value.tzinfo is not None:
            return value.astimezone(timezone.utc)
        return value


def sql_type(field: dict) -> sa.types.TypeEngine:
    """The column type for a Table Schema field; unlisted types (time, duration, object, ...) keep their text."""
    kind = field.get("type", "string")
    if kind in ("integer", "year"):
        return sa.BigInteger()
    if kind == "number":
        return ExactNumber()
    if kind == "boolean":
        return sa.Boolean(create_constraint=False)
    if kind == "date":
        return IsoDate()
    if kind == "datetime":
        return IsoDateTime()
    return sa.Text()
