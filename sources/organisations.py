"""One organisation, many spellings: resolve names (and BINs) to the stable ids of sources/reference/organisations.csv.

The same company appears as «Демо Каспий Ойл» ТОО, TOO "Demo Kaspiy Oil" and Demo Caspian Oil LLP; joining
memoranda to project disclosures needs one id for all of them, with an honest measure of how sure we are:

    bin              a valid BIN equal to the organisation's                      confidence 1.0
    alias            the name equals a name/alias after normalisation             confidence 1.0
                     (case, quotes, punctuation and legal forms ТОО/ЖШС/LLP/АО/АҚ/JSC... dropped)
    transliteration  equal after folding Cyrillic and Latin spellings together    confidence 0.9
                     (ә→a ғ→g қ→k ң→n ө→o ұ/ү→u і→i һ→h; й/y→i, q→k, c→k, kh→h, doubled letters once)
    fuzzy            difflib ratio of the folded forms >= 0.85                     confidence = that ratio

A name that matches nothing, matches two organisations equally well, or whose valid BIN belongs to another
organisation than its name is *unresolved*: `resolve` returns None and the index remembers it
(`OrganisationIndex.unresolved`, or `unresolved_names(...)` for a list of names) — it never guesses.
"""
from __future__ import annotations

import csv
import difflib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable

from sources.extract import bin_is_valid

ORGANISATIONS_CSV = Path(__file__).resolve().parent / "reference" / "organisations.csv"
COLUMNS = ("organisation_id", "kind", "name_ru", "name_kk", "name_en", "bin", "aliases", "country", "region_code", "sample")
KINDS = ("company", "akimat", "contractor", "other")
FUZZY_MIN = 0.85
FUZZY_MARGIN = 0.03  # a runner-up this close to the best fuzzy match makes the name ambiguous
TRANSLITERATION_CONFIDENCE = 0.9

_QUOTES = re.compile(r"[«»“”„\"'`’‘‹›]")
_LONG_FORMS = re.compile(
    r"(?i:товариществ\w*\s+с\s+ограниченной\s+ответственностью|акционерн\w*\s+обществ\w*|обществ\w*\s+с\s+ограниченной\s+ответственностью"
    r"|общественн\w*\s+фонд\w*|(?:коммунальн\w*\s+)?государственн\w*\s+учреждени\w*|жауапкершілігі\s+шектеулі\s+серіктест\w*"
    r"|акционерлік\s+қоғам\w*|қоғамдық\s+қор\w*|limited\s+liability\s+(?:partnership|company)|joint[\s-]+stock\s+company"
    r"|public\s+(?:foundation|fund))"
)
LEGAL_FORMS = frozenset("тоо жшс ао ақ оао зао пао ооо ип оф ққ кгу гу кмм мм кгп ргп too llp jsc ao aq llc ltd ojsc pjsc cjsc pf".split())
_LATIN_FORMS = frozenset({"llp", "llc", "ltd", "jsc", "ojsc", "pjsc", "cjsc"})  # never ordinary words: any case counts
_CYR_TO_LAT = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z", "и": "i", "й": "i",
    "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f",
    "х": "h", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "sh", "ъ": "", "ы": "i", "ь": "", "э": "e", "ю": "iu", "я": "ia",
    "ә": "a", "ғ": "g", "қ": "k", "ң": "n", "ө": "o", "ұ": "u", "ү": "u", "і": "i", "һ": "h",
}
# Latin spellings of the same sounds, applied after transliteration (order matters).
_LATIN_FOLDS = (("ch", "\x01"), ("c", "k"), ("\x01", "ch"), ("q", "k"), ("w", "v"), ("x", "ks"), ("kh", "h"), ("ng", "n"), ("y", "i"))


@dataclass(frozen=True)
class Match:
    organisation_id: str
    confidence: float
    method: str  # bin | alias | transliteration | fuzzy


def normalise(name: str) -> str:
    """Lower case, no quotes or punctuation, legal forms at either end removed: the 'alias' comparison key.

    A legal form counts only when written as one (ТОО, АҚ, JSC in capitals, or spelled out), so the word "Ақ"
    ("white") in «Ақ Жайық» stays part of the name.
    """
    text = unicodedata.normalize("NFKC", name or "").replace("ё", "е").replace("Ё", "Е")
    text = _QUOTES.sub(" ", text)
    text = _LONG_FORMS.sub(" ", text)
    words = re.sub(r"[^\w]+", " ", text).split()
    while words and (_is_legal_form(words[0]) or words[0].lower() == "the"):
        words.pop(0)
    while words and _is_legal_form(words[-1]):
        words.pop()
    return " ".join(words).lower()


def _is_legal_form(word: str) -> bool:
    return word.lower() in LEGAL_FORMS and (word.isupper() or word.lower() in _LATIN_FORMS)


def fold(name: str) -> str:
    """Script- and spelling-independent key: transliterated to Latin, spelling variants merged."""
    text = "".join(_CYR_TO_LAT.get(ch, ch) for ch in normalise(name))
    for old, new in _LATIN_FOLDS:
        text = text.replace(old, new)
    return re.sub(r"(.)\1+", r"\1", text)


def load_organisations(path: Path = ORGANISATIONS_CSV) -> list[dict]:
    """Rows of organisations.csv as strings, checked: known columns and kinds, unique ids, valid BINs."""
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    problems = []
    if rows and tuple(rows[0]) != COLUMNS:
        problems.append(f"columns {tuple(rows[0])} != {COLUMNS}")
    seen = set()
    for number, row in enumerate(rows, start=2):
        where = f"row {number} ({row.get('organisation_id')})"
        if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", row["organisation_id"] or ""):
            problems.append(f"{where}: organisation_id must be a lower-case slug")
        if row["organisation_id"] in seen:
            problems.append(f"{where}: organisation_id appears twice")
        seen.add(row["organisation_id"])
        if row["kind"] not in KINDS:
            problems.append(f"{where}: kind {row['kind']!r} not in {KINDS}")
        if row["bin"] and not bin_is_valid(row["bin"]):
            problems.append(f"{where}: BIN {row['bin']} fails its check digit")
        if row["sample"] not in ("true", "false"):
            problems.append(f"{where}: sample must be true or false")
    if problems:
        raise ValueError(f"{path}: " + "; ".join(problems))
    return rows


def names_of(row: dict) -> list[str]:
    return [n for n in (row["name_ru"], row["name_kk"], row["name_en"], *row["aliases"].split("|")) if n.strip()]


class OrganisationIndex:
    """Names, folded names and BINs of every organisation; resolves spellings and records what it cannot."""

    def __init__(self, rows: list[dict]):
        self.rows = {row["organisation_id"]: row for row in rows}
        self.by_bin = {row["bin"]: row["organisation_id"] for row in rows if row["bin"]}
        self.by_alias: dict[str, set[str]] = {}
        self.by_fold: dict[str, set[str]] = {}
        for row in rows:
            for name in names_of(row):
                self.by_alias.setdefault(normalise(name), set()).add(row["organisation_id"])
                self.by_fold.setdefault(fold(name), set()).add(row["organisation_id"])
        clashes = sorted(f"{key!r}: {sorted(ids)}" for table in (self.by_alias, self.by_fold) for key, ids in table.items() if len(ids) > 1)
        if clashes:
            raise ValueError("organisations: one spelling names several organisations: " + "; ".join(clashes))
        self.unresolved: list[dict] = []

    @classmethod
    def from_csv(cls, path: Path = ORGANISATIONS_CSV) -> "OrganisationIndex":
        return cls(load_organisations(path))

    def resolve(self, name: str | None, bin: str | None = None, *, kinds: Iterable[str] | None = None) -> Match | None:  # noqa: A002
        """The organisation `name` (and `bin`, when valid) refers to, or None — recorded in `unresolved`."""
        match, reason = self.explain(name, bin, kinds=kinds)
        if match is None and reason and not any(u["name"] == (name or "") and u["bin"] == (bin or "") for u in self.unresolved):
            self.unresolved.append({"name": name or "", "bin": bin or "", "reason": reason})
        return match

    def explain(self, name: str | None, bin: str | None = None, *, kinds: Iterable[str] | None = None) -> tuple[Match | None, str]:  # noqa: A002
        """(match, '') or (None, why not); nothing to resolve gives (None, '')."""
        allowed = set(kinds) if kinds else set(KINDS)
        by_name, why = self._by_name(name or "", allowed) if (name or "").strip() else (None, "")
        if bin and bin_is_valid(bin) and self.by_bin.get(bin) and self.rows[self.by_bin[bin]]["kind"] in allowed:
            org = self.by_bin[bin]
            if by_name and by_name.organisation_id != org and by_name.confidence >= TRANSLITERATION_CONFIDENCE:
                return None, f"bin-name-conflict: BIN {bin} is {org}, the name is {by_name.organisation_id}"
            return Match(org, 1.0, "bin"), ""
        if by_name is None and not why and bin:
            why = f"unknown or invalid BIN {bin} and no name"
        return by_name, why

    def _by_name(self, name: str, allowed: set[str]) -> tuple[Match | None, str]:
        key = normalise(name)
        if not key:
            return None, "no name left after removing the legal form"
        ids = {i for i in self.by_alias.get(key, ()) if self.rows[i]["kind"] in allowed}
        if len(ids) == 1:
            return Match(ids.pop(), 1.0, "alias"), ""
        folded = fold(name)
        ids = {i for i in self.by_fold.get(folded, ()) if self.rows[i]["kind"] in allowed}
        if len(ids) == 1:
            return Match(ids.pop(), TRANSLITERATION_CONFIDENCE, "transliteration"), ""
        best: dict[str, float] = {}
        for candidate, owners in self.by_fold.items():
            ratio = difflib.SequenceMatcher(None, folded, candidate, autojunk=False).ratio()
            for owner in owners:
                if self.rows[owner]["kind"] in allowed and ratio > best.get(owner, 0.0):
                    best[owner] = ratio
        ranked = sorted(best.items(), key=lambda item: (-item[1], item[0]))
        if not ranked or ranked[0][1] < FUZZY_MIN:
            return None, "no organisation matches"
        if len(ranked) > 1 and ranked[1][1] >= FUZZY_MIN and ranked[0][1] - ranked[1][1] < FUZZY_MARGIN:
            return None, f"ambiguous: {ranked[0][0]} ({ranked[0][1]:.3f}) or {ranked[1][0]} ({ranked[1][1]:.3f})"
        return Match(ranked[0][0], round(ranked[0][1], 3), "fuzzy"), ""


@lru_cache(maxsize=1)
def _default_rows() -> tuple[dict, ...]:
    return tuple(load_organisations())


def default_index(*, include_sample: bool = True) -> OrganisationIndex:
    """A fresh index over sources/reference/organisations.csv (its `unresolved` list starts empty).

    Crawls of real sites pass include_sample=False, so no real name can ever resolve to a fictional organisation.
    """
    return OrganisationIndex([dict(row) for row in _default_rows() if include_sample or row["sample"] != "true"])


def resolve(name: str | None, bin: str | None = None) -> Match | None:  # noqa: A002
    """Resolve one name against the reference table (see the module docstring for methods and confidences)."""
    return default_index().resolve(name, bin)


def unresolved_names(names: Iterable[str | tuple[str, str | None]], index: OrganisationIndex | None = None) -> list[dict]:
    """Which of `names` (strings or (name, bin) pairs) resolve to no organisation, with the reason, sorted by name."""
    index = index or default_index()
    for item in names:
        name, bin_ = (item, None) if isinstance(item, str) else item
        index.resolve(name, bin_)
    return sorted(index.unresolved, key=lambda u: (u["name"], u["bin"]))


def organisation_rows(*, include_sample: bool = True) -> list[dict]:
    """Rows of the `organisations` resource (typed; empty strings → None); fictional ones only when asked."""
    rows = []
    for row in _default_rows():
        sample = row["sample"] == "true"
        if sample and not include_sample:
            continue
        rows.append({**{k: (v or None) for k, v in row.items()}, "sample": sample})
    return rows
