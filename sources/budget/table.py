"""One table (sheet) → the budget's most detailed lines, and the subtotals/totals it states.

Hierarchy: classification codes are carried down (a row filling only "Подпрограмма" belongs to the programme
above it), and a coded row whose next coded row extends its code path is a subtotal of that branch, not a line.
Rows named "Всего / Итого / Барлығы / Жиыны / Бардыгы / Total" are totals; "I. ДОХОДЫ", "II. ЗАТРАТЫ",
"Кірістер", "Чыгашалар" start a section (and, with amounts, state its total); sections such as "Чистое бюджетное
кредитование" or "Дефицит (профицит)" hold neither revenue nor expenditure lines and are skipped.
"in the range" of a total is positional: a total's scope is `rows=A-B` (the rows of its lines in the same sheet).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from sources.budget.cells import code_of, is_number_like, parse_amount, text_of
from sources.budget.columns import AMOUNT, AREA, CODE, NAME, PHASES, Header, normalise, read_header_rows
from sources.budget.context import EXPENDITURE, REVENUE, Context, region_of_area, title_direction
from sources.budget.errors import BudgetFileError
from sources.budget.grid import Sheet

OTHER = "other"
LEVELS = ("l1", "l2", "l3", "l4")
CODE_COLUMNS = ("code_l1", "code_l2", "code_l3", "code_l4")  # level l<i> is column code_l<i>
KZ_WIDTHS = {
    EXPENDITURE: {"l1": 2, "l1b": 1, "l2": 3, "l3": 3, "l4": 3},
    REVENUE: {"l1": 1, "l2": 2, "l3": 1, "l4": 2},
}
_ROMAN = re.compile(r"^(?:[ivxlc]+|\d{1,2}|[а-д])[.)]\s*")
_GRAND = re.compile(r"\b(?:всего|барлыгы|бардыгы|grand total|total|totals)\b")
_BLOCK = re.compile(r"\b(?:итого|жиыны|жыйынтыгы|жыйынтык|subtotal|sub total)\b")
_TARGET = (
    re.compile(r"\b(?:итого|всего|total|subtotal)\s+(?:по|for|of)\s+(.+)$"),
    re.compile(r"^(.+?)\s+(?:бойынша|боюнча)\s+(?:барлыгы|жиыны|бардыгы|жыйынтыгы)\b"),
)
_MEMO = re.compile(r"^(?:в том числе|в т\. ?ч\.?|из них|из него|онын ишинде|сонын ишинде|анын ичинде|алардын ичинен"
                   r"|including|of which)\b")
_SECTION_WORDS = {
    REVENUE: re.compile(r"^(?:доход\w*|поступлени\w*|кирис\w*|тусим\w*|киреше\w*|revenues?|incomes?|receipts)$"),
    EXPENDITURE: re.compile(r"^(?:затрат\w*|расход\w*|шыгын\w*|чыгаша\w*|expenditures?|spending|outlays)$"),
}
_FILLER = re.compile(r"\b(?:всего|итого|барлыгы|жиыны|бардыгы|жыйынтыгы|total|бюджет\w*|часть|болиги"
                     r"|местного|местный|жергиликти|жергиликтуу|областного|районного|городского|по|и|of|the|сумма|сомасы)\b")
_OTHER_SECTION = re.compile(r"кредитован|кредиттеу|сальдо|дефицит|профицит|тапшылы|финансирование дефицита|использование"
                            r" профицита|профицитин пайдалану|operations with financial assets|net lending|deficit|surplus"
                            r"|financing|займ|карыз|погашени|отеу|остатк|калдык")


@dataclass
class Entry:
    index: int
    locator: str
    position: int
    name: str
    path: tuple
    codes: dict
    amounts: dict
    area: str | None
    single: bool = False  # code path from one undivided code column (prefix rule on digits)


@dataclass
class Found:
    lines: list[dict] = field(default_factory=list)
    totals: list[dict] = field(default_factory=list)


@dataclass
class _Total:
    entry: Entry
    kind: str  # grand / block / section
    scope: tuple[int, int] | None = None
    target: Entry | None = None
    pending: bool = False  # stated before its lines: its scope is the rest of the section


@dataclass
class _Section:
    direction: str | None
    entries: list[Entry] = field(default_factory=list)
    totals: list[_Total] = field(default_factory=list)
    block_start: int = 0  # index into entries after the last bottom block total


def read_table(sheet: Sheet, header: Header, context: Context, name: str) -> Found:
    """Lines and totals of one sheet whose header has been found."""
    reader = _Reader(sheet, header, context, name)
    return reader.run()


class _Reader:
    def __init__(self, sheet: Sheet, header: Header, context: Context, name: str):
        self.sheet, self.header, self.context, self.name = sheet, header, context, name
        self.found = Found()
        self.use_header(header)
        self.section = _Section(context.direction or _scheme_direction(header) or _label_direction(header))
        self.carried: list = []
        self.section_other = False
        self.stray = ""
        self.report_date = context.report_date.isoformat() if context.report_date else None

    def use_header(self, header: Header) -> None:
        """Read rows by `header`'s columns; its derived lists are taken once, not per row."""
        self.header = header
        self.levels, self.phases, self.parent_columns = header.levels, header.phases, header.parent_columns
        self.phase_columns = [(phase, header.roles[phase]) for phase in self.phases]

    # -- rows -------------------------------------------------------------------------------------------
    def run(self) -> Found:
        for index in range(self.header.data_start, len(self.sheet.raw)):
            self.row(index)
        self.close_section()
        return self.found

    def cell(self, index: int, role: str):
        col = self.header.roles.get(role)
        row = self.sheet.raw[index]
        return row[col] if col is not None and col < len(row) else None

    def cell_text(self, texts: list[str], role: str) -> str:
        """`cell` as text, from the row's texts already made (`row` reads each cell once)."""
        col = self.header.roles.get(role)
        return texts[col] if col is not None and col < len(texts) else ""

    def row(self, index: int) -> None:
        raw = self.sheet.raw[index]
        texts = [text_of(c) for c in raw]
        if not any(texts) or _numbering(texts):
            return
        locator = self.sheet.locator(index)
        if self.repeated_header(index, texts):
            return
        codes = self.codes(index)
        name = self.cell_text(texts, NAME)
        if not name:  # a heading written in the code columns, or a table without a name column
            name = self.stray or next((t for col, t in enumerate(texts) if t and col not in self.header.roles.values()
                                       and not is_number_like(t)), "")
        amounts = {}
        for phase, col in self.phase_columns:
            try:
                value = parse_amount(raw[col] if col < len(raw) else None)
            except ValueError as error:
                raise BudgetFileError(self.name, f"{locator}: column {self.header.labels[phase]!r}: {error}") from None
            if value is None and (index, col) in self.sheet.uncached:
                raise BudgetFileError(self.name, f"{locator}: column {self.header.labels[phase]!r} holds a formula saved "
                                                 "without its value (open and save the file in a spreadsheet program)")
            amounts[phase] = None if value is None else value * self.context.multiplier
        area = code_of(self.cell(index, AREA)) if AREA in self.header.roles else None
        norm = normalise(name)
        has_codes = any(codes.values())
        has_amounts = any(v is not None for v in amounts.values())
        entry = Entry(index, locator, self.sheet.positions[index], name, (), codes, amounts, area)
        if not has_codes and _MEMO.match(norm):
            return
        total_kind = _total_kind(norm)
        section = None if has_codes else _section_word(norm)
        if section is not None:
            if section == self.section.direction and self.section.entries and total_kind:
                self.bottom_total(entry, "section", norm)
                return
            if section != self.section.direction or self.section.entries or not has_amounts:
                self.close_section()
                self.section = _Section(None if section == OTHER else section)
                self.section_other = section == OTHER
            if has_amounts and section != OTHER:
                self.section.totals.append(_Total(entry, "section", pending=True))
            return
        if self.section_other:
            return
        if total_kind:
            if not has_amounts:
                return
            if not self.section.entries:
                self.section.totals.append(_Total(entry, total_kind, pending=True))
            else:
                self.bottom_total(entry, total_kind, norm)
            return
        if not has_codes and not has_amounts:
            return  # a heading, a signature, a note
        if has_codes:
            entry.path, entry.single = self.path(codes)
        self.section.entries.append(entry)

    def repeated_header(self, index: int, texts: list[str]) -> bool:
        """A header row again mid-table (an appendix listing revenue, then expenditure under its own header):
        skip it, and read what follows with the columns it names."""
        amount_cells = [texts[col] if col < len(texts) else "" for _, col in self.phase_columns]
        if not amount_cells or any(not c or is_number_like(c) for c in amount_cells):
            return False
        read = read_header_rows([self.sheet.filled[index]])
        if read is None:
            return False
        roles, labels, ambiguous = read
        if not ambiguous and AMOUNT in roles and len(self.header.phases) == 1:
            roles[self.header.phases[0]] = roles.pop(AMOUNT)
            labels[self.header.phases[0]] = labels.pop(AMOUNT)
        if not ambiguous and any(p in roles for p in PHASES):
            self.use_header(Header(index, 1, roles, labels))
        return True

    def codes(self, index: int) -> dict:
        widths = KZ_WIDTHS.get(self.section.direction or "", {}) if self.context.currency == "KZT" else {}
        formats = self.sheet.formats[index] if self.sheet.formats else None
        codes = {}
        for level in self.levels:
            col = self.header.roles[level]
            fmt = formats[col] if formats and col < len(formats) else None
            code = code_of(self.sheet.raw[index][col], fmt, widths.get(level))
            codes[level] = code if code and code.isdigit() else (code or None)
        if CODE in self.header.roles:
            col = self.header.roles[CODE]
            fmt = formats[col] if formats and col < len(formats) else None
            codes[CODE] = code_of(self.sheet.raw[index][col], fmt)
        self.stray = ""
        for level, code in codes.items():
            if code and not (code.isascii() and code.isdigit()) and not _CODE_TEXT.fullmatch(code):
                if re.search(r"\d", code) and not re.search(r"\s", code.strip()):
                    label = self.header.labels.get(level, level)
                    raise BudgetFileError(self.name, f"{self.sheet.locator(index)}: column {label!r}: {code!r} is not a classification code")
                self.stray = self.stray or code  # words in a code column: a heading merged across the table
                codes[level] = None
        return codes

    def path(self, codes: dict) -> tuple[tuple, bool]:
        if CODE in codes:
            return _split_code(codes[CODE], self.section.direction, self.context.currency)
        values = [codes.get(level) for level in self.levels]
        first = next(i for i, v in enumerate(values) if v)
        path = list(self.carried[:first]) + [None] * max(0, first - len(self.carried)) + values[first:]
        while path and path[-1] is None:
            path.pop()
        self.carried = path
        return tuple(path), False

    # -- totals and sections ------------------------------------------------------------------------------
    def bottom_total(self, entry: Entry, kind: str, norm: str) -> None:
        section = self.section
        total = _Total(entry, kind)
        target_text = _target(norm)
        if target_text:
            total.target = _resolve(target_text, section.entries)
        if total.target is None:
            start = section.block_start if kind == "block" else 0
            members = section.entries[start:]
            if members:
                total.scope = (members[0].position, members[-1].position)
        if kind == "block" or total.target is not None:
            section.block_start = len(section.entries)
        section.totals.append(total)

    def close_section(self) -> None:
        section = self.section
        coded = [e for e in section.entries if e.path]
        parents: dict[int, tuple[int, int]] = {}
        for k, entry in enumerate(coded):
            end = k + 1  # the run of entries right after this one that extend it (no slice copy: rows run to millions)
            while end < len(coded) and _extends(coded[end], entry):
                end += 1
            if end > k + 1:
                parents[id(entry)] = (coded[k + 1].position, coded[end - 1].position)
        lines = [e for e in section.entries if id(e) not in parents]
        if lines and section.direction is None:
            raise BudgetFileError(
                self.name,
                f"{lines[0].locator}: cannot tell whether the rows are revenue or expenditure "
                "(no section heading such as 'Доходы'/'Затраты', no title saying so, no classification columns that do)",
            )
        for entry in lines:
            self.emit_line(entry, section.direction)
        for entry in section.entries:
            if id(entry) in parents:
                self.emit_total(entry, section.direction, parents[id(entry)], entry.codes)
        everything = (lines[0].position, lines[-1].position) if lines else None
        for total in section.totals:
            if total.target is not None:
                scope = parents.get(id(total.target))
                if scope is None:  # the named row turned out to be a line: the total restates it
                    scope = (total.target.position, total.target.position)
            elif total.pending:
                after = [e for e in lines if e.position > total.entry.position]
                scope = (after[0].position, after[-1].position) if after else None
            else:
                scope = total.scope
            self.emit_total(total.entry, section.direction, scope or everything, {})
        self.carried = []

    # -- output -------------------------------------------------------------------------------------------
    def _common(self, entry: Entry, direction: str | None) -> dict:
        region = (region_of_area(entry.area) if entry.area else None) or self.context.region_code
        area = entry.area if entry.area and entry.area != region else None
        return {
            "year": self.context.year,
            "report_date": self.report_date,
            "region_code": region,
            "area_code": area,
            "direction": direction,
            "currency": self.context.currency,
            "unit_in_source": self.context.unit,
            "report_title": self.context.title or None,
            "locator": entry.locator,
        }

    def output_codes(self, entry: Entry) -> dict:
        if not entry.path:
            return dict.fromkeys(CODE_COLUMNS)
        if entry.single or CODE in entry.codes:
            parts = list(entry.path) + [None] * 4
            if len(entry.path) > 4:
                parts = list(entry.path[:3]) + ["".join(entry.path[3:])]
            return dict(zip(CODE_COLUMNS, parts))
        by_level = dict(zip(self.levels, entry.path))
        return dict(zip(CODE_COLUMNS, map(by_level.get, LEVELS)))

    def emit_line(self, entry: Entry, direction: str) -> None:
        common = self._common(entry, direction)
        common.update(self.output_codes(entry))
        common["line_name"] = entry.name or None
        common["parent_name"] = self.parent_name(entry) or self.parent_cell(entry)
        for phase, amount in entry.amounts.items():
            if amount is not None:
                line = common.copy()  # a copy and two keys: a line per phase, a million per large report
                line["phase"], line["amount"] = phase, amount
                self.found.lines.append(line)

    def emit_total(self, entry: Entry, direction: str | None, scope, codes) -> None:
        if direction is None:
            return
        for phase, amount in entry.amounts.items():
            if amount is None:
                continue
            self.found.totals.append({
                **self._common(entry, direction), **self.output_codes(entry),
                "total_name": entry.name or None, "phase": phase, "amount": amount,
                "scope": f"rows={scope[0]}-{scope[1]}" if scope else "rows=none",
            })

    def parent_cell(self, entry: Entry) -> str | None:
        for col in self.parent_columns:
            row = self.sheet.raw[entry.index]
            text = text_of(row[col]) if col < len(row) else ""
            if text and text != entry.name:
                return text
        return None

    def parent_name(self, entry: Entry) -> str | None:
        """Name of the nearest earlier entry that `entry` extends (see `_extends`)."""
        if not entry.path:
            return None
        section = self.section
        if getattr(self, "_parents_of", (None,))[0] is not section:
            self._parents_of = (section, _nearest_parents(section.entries))
        return self._parents_of[1].get(id(entry))


def _nearest_parents(entries: list[Entry]) -> dict[int, str | None]:
    """For every entry, the name of the nearest earlier entry it extends, in one pass.

    The same answer as scanning backwards with `_extends`, without its quadratic cost: earlier entries are
    indexed by exact path (rule for divided codes: a proper prefix) and, for single undivided codes, by
    the code without trailing zeros (rule: a proper prefix of the child's), so each entry looks up only
    its own prefixes.
    """
    by_path: dict[tuple, tuple[int, Entry]] = {}
    by_single_code: dict[str, tuple[int, Entry]] = {}
    parents: dict[int, str | None] = {}
    for position, entry in enumerate(entries):
        path = entry.path
        if path:
            found = [by_path.get(path[:k]) for k in range(1, len(path))]
            if entry.single and len(path) == 1:
                code = path[0].rstrip("0")
                found += [by_single_code.get(code[:k]) for k in range(len(code))]
            nearest = max(filter(None, found), default=None)  # (position, entry): positions are unique, entries never compared
            parents[id(entry)] = (nearest[1].name or None) if nearest else None
            by_path[path] = (position, entry)
            if entry.single and len(path) == 1:
                by_single_code[path[0].rstrip("0")] = (position, entry)
    return parents


_PUNCTUATION = re.compile(r"[(),.:;/\-–]+")
_CODE_SEPARATORS = re.compile(r"[ .\-/]+")
_CODE_TEXT = re.compile(r"[0-9][0-9 .\-/]*")


def _numbering(texts: list[str]) -> bool:
    """A row of column numbers ("1 2 3 4 5") printed under many headers (`texts`: the row's cells as text)."""
    values = [t for t in texts if t]
    if len(values) < 3 or not all(v.isdigit() for v in values):
        return False
    numbers = [int(v) for v in values]  # strictly increasing small numbers; a dropped column leaves a gap
    return all(a < b <= a + 3 for a, b in zip(numbers, numbers[1:])) and numbers[0] <= 2 and numbers[-1] <= 60


def _total_kind(norm: str) -> str | None:
    if _BLOCK.search(norm):
        return "block"
    if _GRAND.search(norm):
        return "grand"
    return None


def _section_word(norm: str) -> str | None:
    text = _ROMAN.sub("", norm).strip(" .:,;")
    if not text:
        return None
    core = _PUNCTUATION.sub(" ", _FILLER.sub(" ", text)).split()
    for direction, rx in _SECTION_WORDS.items():
        if core and all(rx.match(word) for word in core):
            return direction
    if _OTHER_SECTION.search(text) and (len(text.split()) <= 8 or _ROMAN.match(norm)):
        return OTHER
    return None


def _target(norm: str) -> str | None:
    for rx in _TARGET:
        m = rx.search(norm)
        if m:
            return m.group(1).strip(" .:,;")
    return None


def _resolve(target: str, entries: list[Entry]) -> Entry | None:
    numbers = re.findall(r"\d+", target)
    for entry in reversed(entries):
        if not entry.path:
            continue
        own = entry.path[-1]
        if numbers and own in numbers:
            return entry
        name = normalise(entry.name)
        if len(name) >= 4 and (name in target or (len(target) >= 4 and target in name)):
            return entry
    return None


def _extends(child: Entry, parent: Entry) -> bool:
    a, b = child.path, parent.path
    if child.single and parent.single and len(a) == len(b) == 1:
        pc, cc = b[0].rstrip("0"), a[0].rstrip("0")
        return len(cc) > len(pc) and cc.startswith(pc)
    return len(a) > len(b) and a[: len(b)] == b


def _split_code(code: str, direction: str | None, currency: str) -> tuple[tuple, bool]:
    """One code column: "01 110 001 015" / "01.110.001.015" split on its separators; a KZ revenue code
    "206114" by the classification's widths (category 1, class 2, subclass 1, specifics 2); else whole."""
    parts = [p for p in _CODE_SEPARATORS.split(code) if p]
    if len(parts) > 1:
        return tuple(parts), False
    digits = parts[0]
    widths = None
    if currency == "KZT" and direction == REVENUE and len(digits) in (1, 3, 4, 6):
        widths = (1, 2, 1, 2)
    elif currency == "KZT" and direction == EXPENDITURE and len(digits) in (2, 5, 8, 11):
        widths = (2, 3, 3, 3)
    if widths:
        out, at = [], 0
        for width in widths:
            if at >= len(digits):
                break
            out.append(digits[at:at + width])
            at += width
        return tuple(out), False
    return (digits,), True


def _label_direction(header: Header) -> str | None:
    """Header words as the last hint: "Наименование доходов", "Кірістер атауы", "Expenditure item"."""
    return title_direction(" ".join(header.labels.values()))


def _scheme_direction(header: Header) -> str | None:
    """Classification columns say which side of the budget a table is: ФГ/АБП/программа (Kazakh ФТ/БББӘ/
    бағдарлама) are expenditure, категория/класс/специфика are revenue."""
    labels = normalise(" ".join(header.labels.get(level, "") for level in header.levels))
    if re.search(r"\bфг\b|\bфт\b|функционал|абп|\bббба\b|администратор|акимши|программ|багдарлам|\bfg\b|\babp\b|program", labels):
        return EXPENDITURE
    if re.search(r"категор|санат|специфик|ерекшелик|подкласс|\bкласс|сынып|category|specific", labels):
        return REVENUE
    return None
