"""Frictionless's cell semantics in plain Python, for the few cells SQL does not settle.

The SQL fast path accepts only values it is sure Frictionless accepts the same way; every other
non-missing cell ("residue": type errors, odd spellings like `1_000`, exotic formats) is read here,
once per distinct value, with the same rules as `frictionless.fields.*.create_value_reader` and
`Field.create_cell_reader` (frictionless 5.21). `key()` turns a typed value into the canonical text
the SQL side uses for unique/primary/foreign keys, so both sides compare the same way.
"""
from __future__ import annotations

import base64
import re
from datetime import date, datetime, time, timezone
from decimal import Decimal
from functools import lru_cache
from typing import Any, Callable, NamedTuple

DEFAULT_DATE_PATTERN = "%Y-%m-%d"
_BARE = re.compile(r"((^[^-\d]*)|(\D*$))")


class yearmonth(NamedTuple):
    """Same shape (and str()) as frictionless.fields.yearmonth.yearmonth."""

    year: int
    month: int


def value_reader(field) -> Callable[[Any], Any]:
    """The typed value of a raw string, or None when it is not of the field's type/format."""
    kind, fmt = field.type, field.format
    if kind == "string":
        return _string_reader(fmt)
    if kind == "integer":
        return _integer_reader(field)
    if kind == "number":
        return _number_reader(field)
    if kind == "boolean":
        mapping = {value: True for value in field.true_values}
        mapping.update({value: False for value in field.false_values})
        return lambda cell: cell if cell is True or cell is False else (mapping.get(cell) if isinstance(cell, str) else None)
    if kind == "date":
        return _date_reader(fmt)
    if kind == "datetime":
        return _datetime_reader(fmt)
    if kind == "time":
        return _time_reader(fmt)
    if kind == "year":
        return _year
    if kind == "yearmonth":
        return _yearmonth
    if kind == "any":
        return lambda cell: cell
    raise ValueError(f"no reader for type {kind!r}")


def _string_reader(fmt: str):
    if fmt == "uri":
        import rfc3986

        def read(cell):
            if not isinstance(cell, str):
                return None
            validator = rfc3986.validators.Validator()
            validator.require_presence_of("scheme")
            try:
                validator.validate(rfc3986.uri_reference(cell))
            except rfc3986.exceptions.ValidationError:
                return None
            return cell

        return read
    if fmt in ("email", "uuid"):
        import validators

        check = validators.email if fmt == "email" else validators.uuid
        return lambda cell: cell if isinstance(cell, str) and check(cell) else None
    if fmt == "binary":

        def read(cell):
            if not isinstance(cell, str):
                return None
            try:
                base64.b64decode(cell)
            except Exception:
                return None
            return cell

        return read
    return lambda cell: cell if isinstance(cell, str) else None


def _integer_reader(field):
    pattern = None if field.bare_number else _BARE

    def read(cell):
        if isinstance(cell, str):
            cell = cell.strip()
            if pattern:
                cell = pattern.sub("", cell)
            try:
                return int(cell)
            except Exception:
                return None
        if cell is True or cell is False:
            return None
        if isinstance(cell, int):
            return cell
        if isinstance(cell, float) and cell.is_integer():
            return int(cell)
        if isinstance(cell, Decimal) and cell % 1 == 0:
            return int(cell)
        return None

    return read


def _number_reader(field):
    pattern = None if field.bare_number else _BARE
    processing = field.number_processing
    group_char, decimal_char = field.group_char, field.decimal_char

    def read(cell):
        if isinstance(cell, str):
            cell = cell.strip()
            if processing:
                if pattern:
                    cell = pattern.sub("", cell)
                cell = cell.replace(group_char, "")
                if decimal_char != "." and "." in cell:
                    return None
                cell = cell.replace(decimal_char, ".")
            try:
                return Decimal(cell)
            except Exception:
                return None
        if isinstance(cell, Decimal):
            return cell
        if cell is True or cell is False:
            return None
        if isinstance(cell, int):
            return cell
        if isinstance(cell, float):
            return Decimal(str(cell))
        return None

    return read


def _date_reader(fmt: str):
    def read(cell):
        if isinstance(cell, datetime):
            if cell.time() == time(0, 0):
                return cell.date()
            return None
        if isinstance(cell, date):
            return cell
        if not isinstance(cell, str):
            return None
        try:
            if fmt == "default":
                return datetime.strptime(cell, DEFAULT_DATE_PATTERN).date()
            if fmt == "any":
                from dateutil import parser

                return parser.parse(cell).date()
            return datetime.strptime(cell, fmt).date()
        except Exception:
            return None

    return read


def _datetime_reader(fmt: str):
    def read(cell):
        if isinstance(cell, datetime):
            return cell
        if not isinstance(cell, str):
            return None
        try:
            from dateutil import parser

            if fmt == "default":
                assert cell[16] == ":"
                assert len(cell) >= 19
                return parser.isoparse(cell)
            if fmt == "any":
                return parser.parse(cell)
            return datetime.strptime(cell, fmt)
        except Exception:
            return None

    return read


def _time_reader(fmt: str):
    def read(cell):
        if isinstance(cell, time):
            return cell
        if not isinstance(cell, str):
            return None
        try:
            from dateutil import parser

            if fmt == "default":
                assert cell[5] == ":"
                assert len(cell) >= 8
                return parser.isoparse(f"2000-01-01T{cell}").timetz()
            if fmt == "any":
                return parser.parse(cell).timetz()
            return datetime.strptime(cell, fmt).timetz()
        except Exception:
            return None

    return read


def _year(cell):
    if not isinstance(cell, int):
        if not isinstance(cell, str) or len(cell) != 4:
            return None
        try:
            cell = int(cell)
        except Exception:
            return None
    if cell < 0 or cell > 9999:
        return None
    return cell


def _yearmonth(cell):
    if isinstance(cell, (tuple, list)):
        if len(cell) != 2:
            return None
        return yearmonth(cell[0], cell[1])
    if not isinstance(cell, str):
        return None
    try:
        year, month = cell.split("-")
        year, month = int(year), int(month)
    except Exception:
        return None
    if month < 1 or month > 12:
        return None
    return yearmonth(year, month)


# Constraints, in Frictionless's order per type


def _check(name: str, constraint, cell) -> bool:
    if name == "required":
        return not (constraint and cell is None)
    if cell is None:
        return True
    if name == "minLength":
        return len(cell) >= constraint
    if name == "maxLength":
        return len(cell) <= constraint
    if name == "pattern":
        return bool(constraint.match(cell))
    if name == "enum":
        return cell in constraint
    if cell != cell:  # NaN fails every bound
        return False
    if name == "minimum":
        return cell >= constraint
    if name == "maximum":
        return cell <= constraint
    if name == "exclusiveMinimum":
        return cell > constraint
    if name == "exclusiveMaximum":
        return cell < constraint
    raise ValueError(name)


def cell_reader(field) -> Callable[[str | None], tuple[Any, list[tuple[str, str]]]]:
    """(typed value, notes) for a raw cell, notes being [(constraint or "type", note)] in Frictionless order.

    Cached per distinct raw value: the residue of a big file repeats itself.
    """
    read = value_reader(field)
    missing = set(field.missing_values)
    checks = []
    for name in field.supported_constraints:
        constraint = field.constraints.get(name)
        if constraint is None:
            continue
        typed = constraint
        if name in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
            typed = read(constraint)
        elif name == "pattern":
            typed = re.compile("^{0}$".format(constraint))
        elif name == "enum":
            typed = list(map(read, constraint))
        checks.append((name, typed, f'constraint "{name}" is "{constraint}"'))
    type_note = f'type is "{field.type}/{field.format}"'

    @lru_cache(maxsize=65536)
    def read_cell(cell):
        if str(cell) in missing:
            cell = None
        if cell is not None:
            cell = read(cell)
            if cell is None:
                return None, [("type", type_note)]
        notes = []
        for name, typed, note in checks:
            if not _check(name, typed, cell):
                notes.append((name, note))
        return cell, notes

    return read_cell


NAN_KEY = "\x1fNaN"  # NaN equals nothing, not even NaN: the SQL side makes it unique per row


def key(value) -> str | None:
    """Canonical text of a typed value, equal to the SQL key expression of the same value."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        if value.is_nan():
            return NAN_KEY
        if value.is_infinite():
            return "Infinity" if value > 0 else "-Infinity"
        if value == 0:
            return "0"
        text = format(value.normalize(), "f")
        return text
    if isinstance(value, yearmonth):
        return f"{value.year:04d}-{value.month:02d}"
    if isinstance(value, datetime):
        if value.tzinfo is not None and value.utcoffset() is not None:
            return value.astimezone(timezone.utc).replace(tzinfo=None).isoformat() + "Z"
        return value.isoformat()
    if isinstance(value, time) and value.utcoffset() is not None:
        return _aware_time_key(value)
    if isinstance(value, (date, time)):
        return value.isoformat()
    return str(value)


def _aware_time_key(value: time) -> str:
    """Python compares times with different UTC offsets by their seconds since midnight less the offset, not
    wrapped to a day (10:00Z equals 15:00+05:00; 00:30+01:00 does not equal 23:30Z) and never equal to a naive
    time: the key is those seconds, marked apart from isoformat's naive keys."""
    offset = value.utcoffset()
    seconds = value.hour * 3600 + value.minute * 60 + value.second - offset.days * 86400 - offset.seconds
    return f"Z{seconds}.{value.microsecond:06d}"


def text(value) -> str:
    """str() of a typed value as Frictionless puts it into messages (None -> "None")."""
    return str(value)
