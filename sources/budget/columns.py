"""Finding a budget table's header by what its cells say (Kazakh, Kyrgyz, Russian, English), never by position.

A header is the first block of one to four text rows under which the columns read as a line name and/or
classification codes plus at least one amount column (approved / adjusted / executed). Multi-row headers are
read column by column ("Код бюджетной классификации" over "ФГ | АБП | Программа | Подпрограмма"), so merged
cells, reordered columns, extra title rows and missing optional columns all work.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from sources.budget.cells import is_number_like, text_of

MAX_HEADER_SCAN = 60
MAX_HEADER_ROWS = 4

NAME, CODE, AREA = "name", "code", "area"
PARENT = "parent_"  # + level: a column naming the line's parent (programme, administrator)
LEVELS = ("l1", "l1b", "l2", "l3", "l4")  # l1b: functional subgroup, kept for the hierarchy but not published
PHASES = ("approved", "adjusted", "executed")

_KK_TO_RU = str.maketrans("әғқңөұүһіӘҒҚҢӨҰҮҺІёЁ", "агкноууhиагкноууhиеЕ")
_FOLDED = re.compile("[әғқңөұүһіӘҒҚҢӨҰҮҺІёЁ]")
_CAMEL = re.compile(r"(?<=[a-zа-я])(?=[A-ZА-Я])|(?<=[A-Za-z])(?=\d)|(?<=\d)(?=[A-Za-z])")
_LATIN, _UPPER = re.compile("[A-Za-z]"), re.compile("[A-ZА-Я]")  # what any _CAMEL split needs: a Latin letter, or a capital after a letter


def normalise(label: str) -> str:
    """Lower case, Kazakh/Kyrgyz letters folded to their Russian stand-ins, camelCase / snake_case split.

    Every row's name is normalised: the split and the fold, a few microseconds each, run only on text that
    holds what they act on (a quick scan for it first)."""
    text = text_of(label)
    if _LATIN.search(text) or _UPPER.search(text, 1):
        text = _CAMEL.sub(" ", text)
    if _FOLDED.search(text):
        text = text.translate(_KK_TO_RU)
    text = text.replace("_", " ").lower()
    return " ".join(text.split())  # collapses exactly what `\s+` matches (see cells.text_of), once per row


def _rx(*alternatives: str) -> re.Pattern:
    return re.compile("|".join(alternatives))


IGNORE = _rx(
    r"%", r"процент", r"пайыз", r"percent", r"отклонен", r"ауыткy|ауытку", r"айырма", r"deviation", r"variance",
    r"неисполн", r"не исполн", r"орындалмаган", r"аткарылмаган", r"аткарылбаган", r"unspent",
    r"тиркелген", r"зарегистр", r"принят\w* обязательств", r"толенбеген", r"неоплач", r"unpaid",
    r"жиынтык жоспар", r"сводн", r"план\w* финансир", r"каржыландыру жоспар", r"financing plan",
    r"примечан", r"ескерту", r"комментар", r"\bnotes?\b", r"\bcomments?\b", r"остаток", r"калдык", r"удельн",
    r"ед\. ?изм", r"единиц\w* измер", r"^(?:№|n|no\.?|nr)\s*(?:п/п)?$", r"^п/п$", r"^id$", r"\bid$", r"^unit\b",
    r"currency", r"валют",
)
AREA_RX = _rx(r"\bсоате\b", r"\bsoate\b", r"\bкато\b", r"\bkato\b", r"код\w* территор", r"аймак\w* код", r"аумак\w* код",
              r"territory code", r"region code", r"area code", r"municipality code")
NAME_RX = _rx(r"наименован", r"назван", r"\bатау\w*", r"\bаталыш\w*", r"\bname\b", r"\bnames\b", r"description",
              r"показател", r"\bстать[яи]\b", r"\bitem\b", r"\btitle\b", r"\blabel\b")
LEVEL_RX = (  # checked in this order: the more specific word first ("администратор бюджетных программ" is l2)
    ("l4", _rx(r"подпрограмм", r"киши багдарлам", r"subprogram", r"sub program", r"\bppr\b", r"\bsubprg\b",
               r"\bбпп\b", r"\bпп\b", r"\bспецифик", r"\bерекшелик", r"\bspecifics?\b", r"\bspec\b")),
    ("l2", _rx(r"\bабп\b", r"\bббба\b", r"администратор", r"акимши", r"administrator", r"\babp\b", r"\bкласс(?:а|ы|ов)?\b",
               r"(?<!ишки )\bсынып(?!там)", r"\bclass\b")),
    ("l3", _rx(r"\bпрограмм", r"\bбагдарлам", r"\bprogram", r"\bprg\b", r"\bprog\b", r"\bбп\b", r"\bподкласс",
               r"ишки сынып", r"subclass", r"sub class")),
    ("l1b", _rx(r"подгрупп", r"\bпг\b", r"ф\.? ?подгр", r"киши топ", r"subgroup", r"sub group", r"\bfsg\b", r"подраздел")),
    ("l1", _rx(r"\bфг\b", r"\bфт\b", r"функционал\w* групп", r"функционал\w* топ", r"functional group", r"\bfg\b",
               r"\bfunc\b", r"\bкатегор", r"\bсанат", r"\bcategory\b", r"\bcat\b", r"\bраздел\b", r"\bболим\b")),
)
CODE_RX = _rx(r"\bкод", r"\bcode\b", r"\bкбк\b", r"\bбск\b", r"\bkbk\b", r"классификац", r"сыныптам", r"\bclassification\b")
#: strong phase words: the one written first wins ("Исполнено к уточнённому плану" is executed)
PHASE_STRONG = (
    ("approved", re.compile(r"утвержд|утв\.|бекитил|бекитилг|approved|original")),
    ("adjusted", re.compile(r"уточн|нактыл|тактал|adjusted|revised|amended")),
    ("corrected", re.compile(r"скоррект|корректир|тузетил|corrected")),
    ("executed", re.compile(r"исполн|аткарыл|орындал|executed|execution|actual|\bфакт|outturn|кассов|оплачен|толенген"
                            r"|\bpaid\b|\bspent\b|\bпоступило\b|\bтусти\b|\bтускен")),
)
#: weak words: a plan column with no other qualifier is the approved plan
PHASE_WEAK = ("approved", re.compile(r"\bплан\w*|\bжоспар\w*|\bplan\b|\bplanned\b|\bbudget\b"))
#: a bare amount column ("Сумма", "Сомасы", "Amount"): its phase is the document's (see phase_from_title)
AMOUNT = "amount"
AMOUNT_RX = re.compile(r"\bсумм\w*|\bсомас\w*|\bamounts?\b|\bвсего\b|\bбарлыгы\b")
_TITLE_PHASES = (
    ("executed", re.compile(r"исполнен|аткарыл|орындал|execution|executed|outturn|отчет|есеп\b")),
    ("adjusted", re.compile(r"уточн|нактыл|тактал|adjusted|revised")),
    ("approved", re.compile(r"утвержд|бекит|approved|о бюджете|об? \w+ бюджете|бюджет\w* туралы|бюджет на \d{4}"
                            r"|жылдарга арналган|жылга арналган|budget for \d{4}|\bon the budget\b")),
)


def phase_from_title(title: str) -> str | None:
    """The phase a document with one bare amount column states: an execution report, an adjusted or an approved budget."""
    text = normalise(title)
    found = {phase for phase, rx in _TITLE_PHASES if rx.search(text)}
    if "adjusted" in found:
        return "adjusted"
    if "executed" in found:
        return "executed"
    return "approved" if "approved" in found else None


def classify(label: str) -> str | None:
    """The role of one column from its (combined) header text, or None."""
    text = normalise(label)
    if not text or is_number_like(text):
        return None
    if IGNORE.search(text):
        return None
    if AREA_RX.search(text):
        return AREA
    if NAME_RX.search(text):
        for level, rx in LEVEL_RX:  # "Наименование программы", "prgNameRu": the name of a parent level
            if level != "l1b" and rx.search(text.replace("name", " ")):
                return f"{PARENT}{level}"
        return NAME
    hits = [(m.start(), phase) for phase, rx in PHASE_STRONG for m in [rx.search(text)] if m]
    if hits:  # amount columns may mention programmes ("... бағдарламалар бойынша төленген міндеттемелер")
        return min(hits)[1]
    for level, rx in LEVEL_RX:
        if rx.search(text):
            return level
    if CODE_RX.search(text):
        return CODE
    if PHASE_WEAK[1].search(text):
        return PHASE_WEAK[0]
    if AMOUNT_RX.search(text):
        return AMOUNT
    return None


@dataclass
class Header:
    """Where a table's header is and which column plays which role."""

    first_row: int  # index into the sheet's rows
    height: int
    roles: dict[str, int]  # role -> column index
    labels: dict[str, str] = field(default_factory=dict)  # role -> header text as written

    @property
    def data_start(self) -> int:
        return self.first_row + self.height

    @property
    def levels(self) -> list[str]:
        return [level for level in ("l1", "l1b", "l2", "l3", "l4") if level in self.roles]

    @property
    def parent_columns(self) -> list[int]:
        """Columns naming a parent level, deepest first (programme before administrator)."""
        return [self.roles[r] for r in sorted((r for r in self.roles if r.startswith(PARENT)), reverse=True)]

    @property
    def phases(self) -> list[str]:
        return [phase for phase in PHASES if phase in self.roles]


def _is_header_row(row: list) -> bool:
    texts = [c for c in row if text_of(c)]
    words = [c for c in texts if not is_number_like(c)]
    return bool(words) and len(words) > len(texts) - len(words)


def _combined(rows: list[list], col: int) -> str:
    parts: list[str] = []
    for row in rows:
        text = text_of(row[col]) if col < len(row) else ""
        if text and (not parts or parts[-1] != text):
            parts.append(text)
    return " ".join(parts)


def read_header_rows(rows: list[list]) -> tuple[dict[str, int], dict[str, str], bool] | None:
    width = max(len(r) for r in rows)
    roles: dict[str, int] = {}
    labels: dict[str, str] = {}
    ambiguous = False
    for col in range(width):
        label = _combined(rows, col)
        role = classify(label)
        if role is None:
            continue
        if role in roles:
            if role in PHASES or role == "corrected":
                ambiguous = True  # two columns claim one phase: not this header (or a file we must refuse)
            continue  # name / code duplicates: the first one wins (e.g. nameRu before nameKk)
        roles[role] = col
        labels[role] = label
    if "corrected" in roles:
        col, label = roles.pop("corrected"), labels.pop("corrected")
        if "adjusted" not in roles:
            roles["adjusted"], labels["adjusted"] = col, label
    parents = sorted((r for r in roles if r.startswith(PARENT)), reverse=True)
    if NAME not in roles and parents:  # the only name column names a level: it is the lines' name
        roles[NAME], labels[NAME] = roles.pop(parents[0]), labels.pop(parents[0])
    if any(level in roles for level in ("l1", "l2", "l3", "l4")):
        roles.pop(CODE, None)
        labels.pop(CODE, None)
    if any(p in roles for p in PHASES):
        roles.pop(AMOUNT, None)
        labels.pop(AMOUNT, None)
    has_amount = any(p in roles for p in PHASES) or AMOUNT in roles
    has_key = NAME in roles or CODE in roles or any(level in roles for level in LEVELS)
    if not (has_amount and has_key):
        return None
    return roles, labels, ambiguous


def find_header(filled: list[list], raw: list[list]) -> Header | None:
    """The first header block in the sheet (merged cells already copied into `filled`), or None."""
    limit = min(len(filled), MAX_HEADER_SCAN)
    for first in range(limit):
        if sum(1 for c in raw[first] if text_of(c)) < 2 or not _is_header_row(filled[first]):
            continue
        best = None
        for height in range(1, MAX_HEADER_ROWS + 1):
            block = filled[first:first + height]
            if len(block) < height or not all(_is_header_row(r) for r in block):
                break
            read = read_header_rows(block)
            if read is None:
                continue
            roles, labels, ambiguous = read
            if ambiguous:
                continue
            if best is None or len(roles) > len(best.roles):
                best = Header(first, height, roles, labels)
        if best is not None:
            return best
    return None


def phase_conflicts(filled: list[list]) -> str | None:
    """Explain a header that names one phase twice (for the error message), if there is one."""
    for first in range(min(len(filled), MAX_HEADER_SCAN)):
        for height in range(1, MAX_HEADER_ROWS + 1):
            block = filled[first:first + height]
            if len(block) < height or not all(_is_header_row(r) for r in block):
                break
            width = max(len(r) for r in block)
            seen: dict[str, str] = {}
            for col in range(width):
                label = _combined(block, col)
                role = classify(label)
                if role in PHASES:
                    if role in seen:
                        return f"columns {seen[role]!r} and {label!r} both read as {role}"
                    seen[role] = label
    return None
