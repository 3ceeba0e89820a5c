"""Sector, OECD DAC gender marker and status of a project, from the keyword rules in project_rules.yaml.

The rules are data so that women's organisations can read and contest them; this module only compiles and
applies them, and refuses a rules file that lacks a justification or a language.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

RULES_PATH = Path(__file__).resolve().parent.parent / "reference" / "project_rules.yaml"
SECTORS = (
    "preschool", "education", "health", "water_sanitation", "social_support", "training_employment",
    "housing", "roads_transport", "utilities_energy", "sport_culture", "other",
)
STATUSES = ("planned", "in_progress", "completed", "suspended", "cancelled")
LANGUAGES = ("kk", "ru", "en")
MAX_GAP_WORDS = 3
NO_RULE = "no rule matched"


def _clean(text: str) -> str:
    return (text or "").replace("’", "'").replace("ё", "е").replace("Ё", "Е")


def keyword_pattern(keyword: str) -> re.Pattern:
    """Stems in order, each at a word start, at most MAX_GAP_WORDS other words apart."""
    stems = _clean(keyword).split()
    gap = rf"(?:\W+\w+){{0,{MAX_GAP_WORDS}}}?\W+"
    return re.compile(r"(?<!\w)" + gap.join(re.escape(stem) + r"\w*" for stem in stems), re.IGNORECASE)


@dataclass(frozen=True)
class Rule:
    id: str
    value: object  # gender marker (int) or sector (str)
    justification: str
    patterns: tuple[re.Pattern, ...]

    def find(self, text: str) -> str | None:
        """The longest span of `text` any keyword of this rule matches, or None."""
        cleaned = _clean(text)  # same length as `text`: spans index the original
        spans = [m.span() for p in self.patterns for m in [p.search(cleaned)] if m]
        if not spans:
            return None
        start, end = max(spans, key=lambda span: span[1] - span[0])
        return text[start:end]


class ProjectRules:
    def __init__(self, data: dict, origin: str = "project_rules.yaml"):
        self.origin = origin
        self.gender_rules = [self._rule(r, "marker") for r in data.get("gender_marker") or []]
        self.sector_rules = [self._rule(r, "sector") for r in data.get("sector") or []]
        self.status_rules = [
            Rule(status, status, "", self._patterns(f"status {status}", keywords))
            for status, keywords in (data.get("status") or {}).items()
        ]
        self._check()

    def _patterns(self, where: str, keywords) -> tuple[re.Pattern, ...]:
        if not isinstance(keywords, dict) or any(not keywords.get(lang) for lang in LANGUAGES):
            raise ValueError(f"{self.origin}: {where} needs keyword lists for each of {LANGUAGES}")
        return tuple(keyword_pattern(str(k)) for lang in LANGUAGES for k in keywords[lang])

    def _rule(self, raw: dict, key: str) -> Rule:
        rule_id = raw.get("id") or "?"
        if key not in raw:
            raise ValueError(f"{self.origin}: rule {rule_id} has no {key!r}")
        return Rule(rule_id, raw[key], str(raw.get("justification") or ""), self._patterns(f"rule {rule_id}", raw.get("keywords")))

    def _check(self) -> None:
        problems = []
        ids = [r.id for r in self.gender_rules + self.sector_rules]
        problems += [f"rule id {i!r} appears twice" for i in sorted({i for i in ids if ids.count(i) > 1})]
        for rule in self.gender_rules:
            if rule.value not in (1, 2):
                problems.append(f"rule {rule.id}: marker must be 1 or 2 (0 is what no rule gives)")
            if "OECD DAC" not in rule.justification or "seeds" not in rule.justification:
                problems.append(f"rule {rule.id}: the justification must cite the OECD DAC marker and the seeds")
        problems += [f"rule {r.id}: unknown sector {r.value!r}" for r in self.sector_rules if r.value not in SECTORS]
        problems += [f"unknown status {r.id!r}" for r in self.status_rules if r.id not in STATUSES]
        if problems:
            raise ValueError(f"{self.origin}: " + "; ".join(problems))

    def gender(self, name: str) -> tuple[int, str]:
        """(marker, rationale): the highest marker any rule gives the name; the first such rule is named."""
        best: tuple[int, str] = (0, NO_RULE)
        for rule in self.gender_rules:
            found = rule.find(name)
            if found and rule.value > best[0]:
                best = (rule.value, f'rule {rule.id}: "{found}"')
        return best

    def sector(self, name: str) -> tuple[str, str | None]:
        """(sector, id of the rule that set it); `other` with no rule when nothing matches."""
        for rule in self.sector_rules:
            if rule.find(name):
                return rule.value, rule.id
        return "other", None

    def status(self, text: str | None) -> str | None:
        for rule in self.status_rules:
            if text and rule.find(text):
                return rule.value
        return None


def rules_from_file(path: Path) -> ProjectRules:
    return ProjectRules(yaml.safe_load(Path(path).read_text("utf-8")) or {}, origin=str(path))


@lru_cache(maxsize=1)
def default_rules() -> ProjectRules:
    return rules_from_file(RULES_PATH)
