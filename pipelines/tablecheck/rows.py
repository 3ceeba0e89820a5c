"""Errors of one row, in the order Frictionless's Row and TableResource produce them.

Frictionless reads a row's cells lazily: the unique, primary-key and foreign-key checks read their fields
first (so those fields' type/constraint errors come first), and the first integrity error triggers the
reading of the rest of the row before it is appended. A blank row replaces every earlier error of the
row with `blank-row`. This class replays that order from the row's raw cells plus the integrity facts
the SQL found (previous occurrence of a key, missing foreign key).
"""
from __future__ import annotations

from pipelines.tablecheck import errors as E
from pipelines.tablecheck.cells import cell_reader
from pipelines.tablecheck.schema import Field, ForeignKey


class RowChecker:
    def __init__(self, fields: list[Field], *, unique: list[int], primary: list[int] | None, foreign: list[tuple[list[int], ForeignKey]]):
        self.fields = fields
        self.readers = [cell_reader(spec) for spec in fields]
        self.unique = unique
        self.primary = primary
        self.foreign = foreign
        # The order Frictionless reads a row's cells in when it finds no integrity error: unique fields,
        # primary-key fields, foreign-key fields, then the rest in field order.
        keyed = list(dict.fromkeys(unique + (primary or []) + [i for indexes, _ in foreign for i in indexes]))
        self.order = keyed + [i for i in range(len(fields)) if i not in keyed]
        self.keyed = frozenset(keyed)
        self.missing = [frozenset(spec.missing_values) | {None} for spec in fields]  # None: a cell the row lacks
        self._read_order: dict[int | None, list[int]] = {}  # fields to read, in order, by `unsure` mask

    def errors(self, row_number: int, cells: list[str], facts: dict | None = None, *, unsure: int | None = None) -> list[dict]:
        """facts: {("u", i): previous row, ("pk",): previous row or 0 when all cells are None, ("fk", j): True}.
        unsure: a bit per field whose cell SQL could not vouch for (None: all); the others cannot err."""
        if not facts:
            errs = self._plain(row_number, cells, unsure)
            if errs is not None:
                return errs
        facts = facts or {}
        fields, readers, n = self.fields, self.readers, len(self.fields)
        errs: list[dict] = []
        values: dict[int, object] = {}
        blank = [0]
        full = [False]
        keyed = self.keyed

        def touch(i: int):
            if i in values:
                return values[i]
            raw = cells[i] if i < len(cells) else None
            if unsure is not None and not unsure >> i & 1 and i not in keyed:
                # SQL vouched for the cell and no key needs its typed value: only whether it is missing counts
                value = None if raw in self.missing[i] else raw
                blank[0] += value is None
                values[i] = value
                return value
            value, notes = readers[i](raw)
            if notes and notes[0][0] == "type":
                errs.append(E.cell_error("type-error", notes[0][1], cells, row_number, str(raw), fields[i].name, i + 1))
            else:
                if value is None:
                    blank[0] += 1
                for _, note in notes:
                    errs.append(E.cell_error("constraint-error", note, cells, row_number, str(raw), fields[i].name, i + 1))
            values[i] = value
            return value

        def read_all():
            if full[0]:
                return
            full[0] = True
            for i in range(n):
                touch(i)
            for number, cell in enumerate(cells[n:], start=n + 1):
                errs.append(E.cell_error("extra-cell", "", cells, row_number, str(cell), "", number))
            for i in range(len(cells), n):
                errs.append(E.cell_error("missing-cell", "", cells, row_number, "", fields[i].name, i + 1))
            if blank[0] == n:
                errs[:] = [E.row_error("blank-row", "", cells, row_number)]

        for i in self.unique:
            value = touch(i)
            previous = facts.get(("u", i))
            if value is not None and previous:
                read_all()
                errs.append(
                    E.cell_error("unique-error", f"the same as in the row at position {previous}", cells, row_number, str(value), fields[i].name, i + 1)
                )
        if self.primary is not None:
            keys = [touch(i) for i in self.primary]
            previous = facts.get(("pk",))
            if all(value is None for value in keys):
                read_all()
                errs.append(E.row_error("primary-key", 'cells composing the primary keys are all "None"', cells, row_number))
            elif previous:
                read_all()
                errs.append(E.row_error("primary-key", f"the same as in the row at position {previous}", cells, row_number))
        for j, (indexes, fk) in enumerate(self.foreign):
            keys = [touch(i) for i in indexes]
            if all(value is None for value in keys) or not facts.get(("fk", j)):
                continue
            read_all()
            note = 'for "%s": values "%s" not found in the lookup table "%s" as "%s"' % (
                ", ".join(fk.fields),
                ", ".join(str(value) for value in keys),
                fk.resource,
                ", ".join(fk.reference_fields),
            )
            errs.append(
                E.foreign_key_error(note, cells, row_number, fk.fields, ["" if v is None else str(v) for v in keys], fk.resource, fk.reference_fields)
            )
        read_all()
        return errs

    def _plain(self, row_number: int, cells: list[str], unsure: int | None = None) -> list[dict] | None:
        """The common case, a row without integrity facts, in one pass; None when its primary key is all None.
        A cell SQL vouched for has no notes: all that matters of it is whether it is missing, and that only
        for a blank row or an all-None primary key, so only the cells SQL could not vouch for are read."""
        fields, readers, n = self.fields, self.readers, len(self.fields)
        errs: list[dict] = []
        count = len(cells)
        read = self._read_order.get(unsure)
        if read is None:
            read = self._read_order[unsure] = [i for i in self.order if unsure is None or unsure >> i & 1]
        values: dict[int, object] = {}
        wrong_type = False  # a cell of the wrong type reads as None but is not blank
        for i in read:
            raw = cells[i] if i < count else None
            value, notes = readers[i](raw)
            values[i] = value
            if notes:
                if notes[0][0] == "type":
                    wrong_type = True
                    errs.append(E.cell_error("type-error", notes[0][1], cells, row_number, str(raw), fields[i].name, i + 1))
                    continue
                for _, note in notes:
                    errs.append(E.cell_error("constraint-error", note, cells, row_number, str(raw), fields[i].name, i + 1))

        def is_none(i: int) -> bool:
            if i in values:
                return values[i] is None
            return (cells[i] if i < count else None) in self.missing[i]

        if self.primary is not None and all(is_none(i) for i in self.primary):
            return None
        for number, cell in enumerate(cells[n:], start=n + 1):
            errs.append(E.cell_error("extra-cell", "", cells, row_number, str(cell), "", number))
        for i in range(count, n):
            errs.append(E.cell_error("missing-cell", "", cells, row_number, "", fields[i].name, i + 1))
        if not wrong_type and all(is_none(i) for i in range(n)):
            return [E.row_error("blank-row", "", cells, row_number)]
        return errs


def header_errors(labels: list[str], fields: list[Field]) -> list[dict]:
    """Frictionless's Header checks for fieldsMatch "exact" (labels paired with fields by position)."""
    errs = []
    for number, label in enumerate(labels[len(fields) :], start=len(fields) + 1):
        errs.append(E.label_error("extra-label", "", labels, label, "", number))
    for number, spec in enumerate(fields[len(labels) :], start=len(labels) + 1):
        errs.append(E.label_error("missing-label", "", labels, "", spec.name, number))
    for number, (spec, label) in enumerate(zip(fields, labels), start=1):
        if not label:
            errs.append(E.label_error("blank-label", "", labels, "", spec.name, number))
        if label:
            seen = [position for position, other in enumerate(labels[: number - 1], start=1) if other == label]
            if seen:
                note = 'at position "%s"' % ", ".join(map(str, seen))
                errs.append(E.label_error("duplicate-label", note, labels, labels[number - 1], spec.name, number))
                label = None
        if label and label != spec.name:
            errs.append(E.label_error("incorrect-label", "", labels, label, spec.name, number))
    return errs
