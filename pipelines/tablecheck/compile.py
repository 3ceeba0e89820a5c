"""Table Schema fields compiled to DuckDB SQL over raw VARCHAR cells.

For each field the SQL answers one-sided questions, so that it never hides an error:
- `fine`: the cell certainly has no type or constraint error (false also when merely unsure: such cells
  are re-read in Python with Frictionless's exact rules, see cells.py);
- `key`: canonical text of the typed value for unique/primary/foreign keys, or NULL where the SQL
  cannot be sure the cell is valid (those cells are re-read in Python and, if valid, fed back).
Fields whose values SQL cannot judge at all (email, uri, `any` date formats, patterns RE2 cannot run)
are judged per distinct value in Python and joined back as a dictionary table.
"""
from __future__ import annotations

import math
import re
import sys
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from pipelines.tablecheck.cells import key as py_key, value_reader, yearmonth
from pipelines.tablecheck.schema import Field, Unsupported, bound_value

# An enum's IN list is compared value by value (as a join it would cost scan 1 its file order): past this
# many values the field's distinct cells are judged in Python instead (10,000 values, 200,000 rows: 7.3 s)
ENUM_IN_SQL = 1000
BOUNDS = {"minimum": ">=", "maximum": "<=", "exclusiveMinimum": ">", "exclusiveMaximum": "<"}
_STRPTIME = {"Y": ("[1-9][0-9]{3}", "%Y"), "m": ("[0-9]{2}", "%m"), "d": ("[0-9]{2}", "%d"), "H": ("[01][0-9]|2[0-3]", "%H"), "M": ("[0-5][0-9]", "%M"), "S": ("[0-5][0-9]", "%S")}
_PY_WS = "\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f "


def lit(value: str) -> str:
    """A SQL string literal."""
    return "'" + str(value).replace("'", "''") + "'"


def in_list(expr: str, values) -> str:
    values = list(dict.fromkeys(values))
    if not values:
        return "false"
    return f"{expr} IN ({', '.join(lit(v) for v in values)})"


def full_match(x: str, regex: str) -> str:
    """SQL for RE2's full match of `regex` on `x`. A regex of fixed-width ASCII literals and classes
    (`[0-9]{4}`, `[A-Z]{2}-[0-9]{8}`) is tried first as a GLOB, which accepts only strings the regex
    accepts and costs about half as much per cell; RE2 then runs only where the GLOB said no (a cell that
    is wrong, or ends in the newline Python's `$` allows)."""
    glob = glob_of(regex)
    exact = f"regexp_full_match({x}, {lit(regex)})"
    # a CASE, not OR: DuckDB evaluates both sides of an OR that is a value (here, inside the caller's CASE)
    return f"(CASE WHEN {x} GLOB {lit(glob)} THEN true ELSE {exact} END)" if glob else exact


_GLOB_LITERALS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_:/,;@#=%&~ ")
_GLOB_ESCAPED = frozenset(".-+/:,;@#=%&~ _")  # regex escapes (\. \+ ...) that are plain characters in a GLOB
_GLOB_CLASS = re.compile(r"(?:[0-9A-Za-z]-[0-9A-Za-z]|[0-9A-Za-z_])+")


def glob_of(regex: str) -> str | None:
    """A GLOB accepting exactly the regex's full matches that are ASCII and do not end in a newline, for a
    regex made of ASCII literals and classes of ASCII ranges, each repeated a fixed number of times (at
    most in one non-capturing group, then an optional newline: what `pattern_sql` writes); else None."""
    body = regex[:-2] if regex.endswith("\n?") else regex
    if body.startswith("(?:") and body.endswith(")"):
        body = body[3:-1]
    out, i = [], 0
    while i < len(body):
        char = body[i]
        if char == "[":
            end = body.find("]", i + 1)
            inner = body[i + 1 : end] if end > i else ""
            if not _GLOB_CLASS.fullmatch(inner) or any(a > b for a, b in re.findall(r"(.)-(.)", inner)):
                return None
            atom, i = f"[{inner}]", end + 1
        elif char == "\\" and body[i + 1 : i + 2] in _GLOB_ESCAPED:  # past the end the slice is "", not in the set
            atom, i = body[i + 1], i + 2
        elif char in _GLOB_LITERALS:
            atom, i = char, i + 1
        else:
            return None
        times = re.match(r"\{([0-9]{1,2})\}", body[i:])
        if times:
            atom, i = atom * int(times.group(1)), i + times.end()
        elif body[i : i + 1] in ("{", "*", "+", "?"):
            return None
        out.append(atom)
    return "".join(out) or None


@dataclass
class Compiled:
    fine: str  # SQL boolean on a non-missing raw value `x`
    key: str | None  # SQL VARCHAR canonical key on `x`, NULL when unsure; None if the type has no fast key
    dictionary: bool = False  # judged per distinct value in Python


def compile_field(spec: Field, x: str) -> Compiled:
    """SQL for one field over the raw-cell expression `x` (never NULL, never a missing value)."""
    kind = spec.type
    if kind == "string" and spec.format in ("email", "uri"):
        return Compiled("false", None, dictionary=True)
    if kind in ("date", "datetime", "time") and spec.format not in ("default",) and not _strptime_plan(spec.format):
        return Compiled("false", None, dictionary=True)
    if kind == "string" and "pattern" in spec.constraints and pattern_sql(spec.constraints["pattern"]) is None:
        return Compiled("false", None, dictionary=True)
    if len(spec.constraints.get("enum", [])) > ENUM_IN_SQL:
        return Compiled("false", None, dictionary=True)
    builder = {
        "string": _string, "any": _any, "integer": _integer, "number": _number, "boolean": _boolean,
        "date": _temporal, "datetime": _temporal, "time": _temporal, "year": _year, "yearmonth": _yearmonth,
    }[kind]
    return builder(spec, x)


def _and(parts: list[str]) -> str:
    parts = [part for part in parts if part and part != "true"]
    if not parts:
        return "true"
    return "(" + " AND ".join(parts) + ")"


def _enum_values(spec: Field) -> list:
    read = value_reader(spec)
    return [read(value) for value in spec.constraints["enum"]]


def _any(spec: Field, x: str) -> Compiled:
    if "enum" in spec.constraints:
        values = spec.constraints["enum"]
        if not all(isinstance(v, str) for v in values):
            return Compiled("false", None)
        return Compiled(in_list(x, values), x)
    return Compiled("true", x)


def _string(spec: Field, x: str) -> Compiled:
    parts = []
    key = x
    if spec.format == "uuid":
        shape = full_match(x, "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
        parts.append(shape)
        key = f"CASE WHEN {shape} THEN {x} END"  # other spellings UUID() accepts are typed in Python
    c = spec.constraints
    # a character takes 1 to 4 bytes in UTF-8: the byte length (free) settles most cells, `length` counts
    # the characters of the rest
    if "minLength" in c:
        least = int(c["minLength"])
        parts.append(f"(CASE WHEN strlen({x}) >= {4 * least} THEN true WHEN strlen({x}) < {least} THEN false ELSE length({x}) >= {least} END)")
    if "maxLength" in c:
        most = int(c["maxLength"])
        parts.append(f"(CASE WHEN strlen({x}) <= {most} THEN true ELSE length({x}) <= {most} END)")
    if "pattern" in c:
        regex, ascii_only, full = pattern_sql(c["pattern"])
        parts.append(full_match(x, regex) if full else f"regexp_matches({x}, {lit(regex)})")
        if ascii_only:
            parts.append(f"strlen({x}) = length({x})")
    if "enum" in c:
        parts.append(in_list(x, [v for v in c["enum"] if isinstance(v, str)]))
    return Compiled(_and(parts), key)


def _integer(spec: Field, x: str) -> Compiled:
    if spec.bare_number:
        y = x
        # all digits (the common case) is decided by a GLOB; RE2 reads only the rest
        shape = f"(CASE WHEN strlen({x}) BETWEEN 1 AND 18 AND NOT {x} GLOB '*[!0-9]*' THEN true ELSE regexp_full_match({x}, '[+-]?[0-9]{{1,18}}') END)"
    else:
        # Frictionless strips leading non-(digit|minus) and trailing non-digits; on ASCII text RE2 agrees.
        y = f"regexp_replace(regexp_replace({x}, '^[^-0-9]*', ''), '[^0-9]*$', '')"
        shape = f"strlen({x}) = length({x}) AND regexp_full_match({y}, '[+-]?[0-9]{{1,18}}')"
    value = f"TRY_CAST({y} AS BIGINT)"
    fine = [shape] + (_numeric_constraints(spec, value, exact=True) or [f"{value} IS NOT NULL"])
    return Compiled(_and(fine), f"CASE WHEN {shape} THEN CAST({value} AS VARCHAR) END")


def _number(spec: Field, x: str) -> Compiled:
    y = x
    guards = []
    if spec.number_processing:
        if not spec.bare_number:
            y = f"regexp_replace(regexp_replace({y}, '^[^-0-9]*', ''), '[^0-9]*$', '')"
            guards.append(f"strlen({x}) = length({x})")
        if spec.group_char:
            y = f"replace({y}, {lit(spec.group_char)}, '')"
        if spec.decimal_char != ".":
            guards.append(f"NOT contains({y}, '.')")
            y = f"replace({y}, {lit(spec.decimal_char)}, '.')"
    value = f"TRY_CAST({y} AS DOUBLE)"
    # DuckDB's double cast accepts what Decimal() accepts (after Python's strip), except a "+-" sign pair
    # (fuzzed in tests/test_tablecheck_api.py); inf/nan go to Python.
    fine = guards + [f"NOT contains({y}, '+-')"] + _numeric_constraints(spec, value, exact=False, text=y, finite=True)
    # Keys need the exact decimal: only the plain form without exponent gets one here.
    plain = f"regexp_full_match({y}, '[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)')"
    body = f"ltrim({y}, '+-')"
    int_part = f"ltrim(split_part({body}, '.', 1), '0')"
    frac_part = f"rtrim(split_part({body}, '.', 2), '0')"
    magnitude = f"(CASE WHEN {int_part} = '' THEN '0' ELSE {int_part} END || CASE WHEN {frac_part} = '' THEN '' ELSE '.' || {frac_part} END)"
    key = (
        f"(CASE WHEN NOT ({_and(guards + [plain])}) THEN NULL WHEN {magnitude} = '0' THEN '0' "
        f"WHEN starts_with({y}, '-') THEN '-' || {magnitude} ELSE {magnitude} END)"
    )
    return Compiled(_and(fine), key)


def _numeric_constraints(spec: Field, value: str, *, exact: bool, text: str | None = None, finite: bool = False) -> list[str]:
    """The bounds (and `finite`, for doubles) as one range test over `value`, so that DuckDB casts the cell
    once: it evaluates a cast again for every comparison that names it. Then the enum, if any."""
    low: float | int | None = -sys.float_info.max if finite else None
    high: float | int | None = sys.float_info.max if finite else None
    zero = []  # zero bounds an exact zero meets (>= 0, <= 0), settled by a pattern on the text
    others = []  # (op, bound) pairs, to see whether zero meets the rest
    for name, op in BOUNDS.items():
        if name not in spec.constraints:
            continue
        bound = bound_value(spec, name)
        if exact:
            if not isinstance(bound, int):
                raise Unsupported(f'field "{spec.name}": {name} is not an integer')
            below, above = {">=": (bound, None), ">": (bound + 1, None), "<=": (None, bound), "<": (None, bound - 1)}[op]
        else:
            # Doubles round monotonically: a strict double inequality settles the decimal one; ties go to
            # Python, except an exact zero against a zero bound (amounts of 0 are common).
            as_float = float(bound)
            below = math.nextafter(as_float, math.inf) if op in (">=", ">") else None
            above = math.nextafter(as_float, -math.inf) if op in ("<=", "<") else None
            if bound == 0 and op in (">=", "<="):
                zero.append(op)
            else:
                others.append((op, bound))
        if below is not None:
            low = below if low is None else max(low, below)
        if above is not None:
            high = above if high is None else min(high, above)
    parts = []
    low_sql, high_sql = (_number_sql(bound) for bound in (low, high))
    if low is not None and high is not None:
        parts.append(f"{value} BETWEEN {low_sql} AND {high_sql}")
    elif low is not None:
        parts.append(f"{value} >= {low_sql}")
    elif high is not None:
        parts.append(f"{value} <= {high_sql}")
    if zero and all(_holds(0, op, bound) for op, bound in others):
        # a CASE, not OR: DuckDB then runs the pattern only on the rows the comparison did not settle
        exact_zero = f"regexp_full_match({text}, '[+-]?(0+[.]?0*|[.]0+)([eE][+-]?[0-9]+)?')"
        parts = [f"(CASE WHEN {_and(parts)} THEN true ELSE {exact_zero} END)"]
    if "enum" in spec.constraints:
        values = _enum_values(spec)
        literals = [str(v) for v in values if isinstance(v, (int, Decimal)) and not isinstance(v, bool)]
        parts.append(in_list(text if text is not None else value, literals) if text is not None else (f"{value} IN ({', '.join(literals)})" if literals else "false"))
    return parts


def _number_sql(number) -> str:
    """An integer as is; a double as a DOUBLE (a plain `0.5` would be a DECIMAL literal)."""
    return f"CAST({lit(repr(number))} AS DOUBLE)" if isinstance(number, float) else str(number)


def _holds(number, op: str, bound) -> bool:
    return {">=": number >= bound, ">": number > bound, "<=": number <= bound, "<": number < bound}[op]


def _boolean(spec: Field, x: str) -> Compiled:
    fine = [in_list(x, spec.true_values + spec.false_values)]
    value = in_list(x, spec.true_values)
    if "enum" in spec.constraints:
        allowed = {v for v in _enum_values(spec) if isinstance(v, bool)}
        if allowed == {True}:
            fine.append(value)
        elif allowed == {False}:
            fine.append(f"NOT {value}")
        elif not allowed:
            fine.append("false")
    key = f"(CASE WHEN {value} THEN 'true' WHEN {in_list(x, spec.false_values)} THEN 'false' END)"
    return Compiled(_and(fine), key)


def _strptime_plan(fmt: str):
    """(guard regex, DuckDB format) for strptime formats made of %Y %m %d %H %M %S and literals, else None."""
    regex, duck, i = "", "", 0
    while i < len(fmt):
        char = fmt[i]
        if char == "%":
            if i + 1 >= len(fmt):
                return None
            code = fmt[i + 1]
            if code == "%":
                regex += "%"
                duck += "%%"
            elif code in _STRPTIME:
                part, directive = _STRPTIME[code]
                regex += f"({part})"
                duck += directive
            else:
                return None
            i += 2
            continue
        if char.isspace() or char.isalnum():
            # strptime treats whitespace loosely and letters case-insensitively: leave those to Python
            return None
        regex += re.escape(char)
        duck += char
        i += 1
    if "%Y" not in duck:
        return None
    return regex, duck


def _temporal(spec: Field, x: str) -> Compiled:
    kind, fmt = spec.type, spec.format
    if fmt == "default":
        if kind == "date":
            guard = full_match(x, "[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}")
            value = f"TRY_CAST({x} AS DATE)"
        elif kind == "datetime":
            guard = f"regexp_full_match({x}, '[1-9][0-9]{{3}}-[0-9]{{2}}-[0-9]{{2}}T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]')"
            value = f"TRY_CAST({x} AS TIMESTAMP)"
        else:
            guard = f"regexp_full_match({x}, '([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]')"
            value = f"TRY_CAST({x} AS TIME)"
        key = x
    else:
        regex, duck = _strptime_plan(fmt)
        guard = f"regexp_full_match({x}, {lit(regex)})"
        parsed = f"try_strptime({x}, {lit(duck)})"
        cast = {"date": "DATE", "datetime": "TIMESTAMP", "time": "TIME"}[kind]
        value = f"CAST({parsed} AS {cast})"
        key = {"date": f"strftime({value}, '%Y-%m-%d')", "datetime": f"strftime({value}, '%Y-%m-%dT%H:%M:%S')", "time": f"CAST({value} AS VARCHAR)"}[kind]
    fine = [guard, f"{value} IS NOT NULL"]
    literal_type = {"date": "DATE", "datetime": "TIMESTAMP", "time": "TIME"}[kind]
    for name, op in BOUNDS.items():
        if name in spec.constraints:
            bound = bound_value(spec, name)
            fine.append(f"{value} {op} {literal_type} {lit(_temporal_literal(spec, bound))}")
    if "enum" in spec.constraints:
        literals = [_temporal_literal(spec, v) for v in _enum_values(spec) if v is not None]
        fine.append(f"{value} IN ({', '.join(f'{literal_type} {lit(v)}' for v in literals)})" if literals else "false")
    return Compiled(_and(fine), f"CASE WHEN {_and([guard, f'{value} IS NOT NULL'])} THEN {key} END")


def _temporal_literal(spec: Field, value) -> str:
    if isinstance(value, datetime):
        if value.tzinfo is not None or value.microsecond:
            raise Unsupported(f'field "{spec.name}": bound/enum {value!r}')
        return value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        if value.tzinfo is not None or value.microsecond:
            raise Unsupported(f'field "{spec.name}": bound/enum {value!r}')
        return value.strftime("%H:%M:%S")
    raise Unsupported(f'field "{spec.name}": bound/enum {value!r}')


def _year(spec: Field, x: str) -> Compiled:
    value = f"TRY_CAST({x} AS INTEGER)"
    fine = [full_match(x, "[0-9]{4}")]
    fine += _numeric_constraints(spec, value, exact=True)
    return Compiled(_and(fine), f"CASE WHEN {fine[0]} THEN CAST({value} AS VARCHAR) END")


def _yearmonth(spec: Field, x: str) -> Compiled:
    guard = f"regexp_full_match({x}, '[0-9]{{4}}-(0[1-9]|1[0-2])')"
    fine = [guard]
    for name, op in BOUNDS.items():
        if name in spec.constraints:
            bound = bound_value(spec, name)
            if not isinstance(bound, yearmonth) or not 0 <= bound.year <= 9999:
                raise Unsupported(f'field "{spec.name}": {name}')
            fine.append(f"{x} {op} {lit(py_key(bound))}")
    if "enum" in spec.constraints:
        fine.append(in_list(x, [py_key(v) for v in _enum_values(spec) if isinstance(v, yearmonth) and 0 <= v.year <= 9999]))
    return Compiled(_and(fine), f"CASE WHEN {guard} THEN {x} END")


# Patterns: Frictionless compiles "^{pattern}$" and uses re.match. RE2 gets the same, anchored at the start
# for every alternative, with "$" also allowed before one final newline (Python's "$"). Escapes whose meaning
# depends on Unicode are rewritten to their ASCII form and then trusted on ASCII cells only.

_UNSAFE = re.compile(r"\(\?[=!<#(>]|\(\?P=|\\[0-9]|\\[ZAUuNx]|\{,|[*+?}]\+|\[:|\(\?[aiLmsux-]")
_CLASS_ESCAPES = {"d": "0-9", "w": "0-9A-Za-z_", "s": _PY_WS}
_NEGATED = {"D": "d", "W": "w", "S": "s"}


def pattern_sql(pattern: str):
    """(RE2 regex, ascii_only, full_match) equivalent to Frictionless's pattern check, or None if RE2 cannot."""
    if _UNSAFE.search(pattern):
        return None
    out, i, in_class, ascii_only, depth, alternation = [], 0, False, False, 0, False
    while i < len(pattern):
        char = pattern[i]
        if not in_class and char in "()|":
            depth += {"(": 1, ")": -1, "|": 0}[char]
            alternation = alternation or (char == "|" and depth == 0)
        if char == "\\" and i + 1 < len(pattern):
            code = pattern[i + 1]
            if code in _CLASS_ESCAPES:
                ascii_only = True
                out.append(_CLASS_ESCAPES[code] if in_class else f"[{_CLASS_ESCAPES[code]}]")
            elif code in _NEGATED:
                if in_class:
                    return None
                ascii_only = True
                out.append(f"[^{_CLASS_ESCAPES[_NEGATED[code]]}]")
            elif code in "bB":
                if in_class:
                    return None
                ascii_only = True
                out.append("\\" + code)
            else:
                out.append(pattern[i : i + 2])
            i += 2
            continue
        if char == "[" and not in_class:
            in_class = True
            out.append(char)
            i += 1
            # a leading "]" (or "^]") is a literal in Python
            if pattern[i : i + 1] == "^":
                out.append("^")
                i += 1
            if pattern[i : i + 1] == "]":
                out.append("\\]")
                i += 1
            continue
        if char == "]" and in_class:
            in_class = False
        elif char == "[" and in_class:
            out.append("\\[")
            i += 1
            continue
        out.append(char)
        i += 1
    if in_class:
        return None
    if not alternation:
        # no top-level "|": re.match("^p$") is a full match of p, with "$" also before one final newline
        return "(?:" + "".join(out) + ")\n?", ascii_only, True
    return "^(?:^" + "".join(out) + "(?:\n?$))", ascii_only, False
