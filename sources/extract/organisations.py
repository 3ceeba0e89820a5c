"""Organisations: companies with a legal form, and akimats (local executive bodies).

Recognised shapes (ru / kk / en / ky):

* legal form + quoted name, either order: ТОО «Демо Мунай Сервис», «Демо» ЖШС,
  TOO "Demo Munai Servis", АО «НК «Демо»», ГУ «Аппарат акима ...»;
* legal form + unquoted capitalised name: ТОО Демо Сервис, JSC Demo Oil;
  capitalised name + legal form: Demo Munai Service LLP, Демо Мунай ЖШС;
* spelled-out forms, normalised to the abbreviation: "Товарищество с ограниченной
  ответственностью «Демо»" -> ТОО «Демо";
* akimats: "акимат Атырауской области", "акимата города Атырау", "аппарат акима
  ...", "Атырау облысының әкімдігі", "Қарағанды облысы Нұра ауданының әкімдігі",
  "Akimat of Atyrau Region", "Atyrau Region Akimat", "мэрия города Бишкек".

``name`` is normalised: legal form first, then the name in « » (Cyrillic forms)
or "..." (Latin forms); unquoted names keep their order ("Demo LLP").  ``bin``
is the first BIN/БСН/BIN label with 12 digits in the 120 characters after the
mention (not past the next organisation); ``bin_valid`` says whether its check
digit is right — a wrong one is still reported, as stated.

"ЖК" is not treated as a legal form: in Russian it is a housing estate (ЖК «...»).
"""

from __future__ import annotations

import re
from functools import lru_cache

from .bins import bin_after, bin_is_valid
from .letters import UPPER
from .quotes import find_quoted
from .regions import load_regions
from .spans import Span, select

BIN_WINDOW = 120

#: (regex source, canonical form); spelled-out forms normalise to the abbreviation.
_LONG_FORMS = (
    (r"[Тт]овариществ[а-я]{0,3}\s+с\s+ограниченной\s+ответственностью", "ТОО"),
    (r"[Оо]ткрыт[а-я]{2,3}\s+акционерн[а-я]{2,3}\s+обществ[а-я]{0,3}", "ОАО"),
    (r"[Зз]акрыт[а-я]{2,3}\s+акционерн[а-я]{2,3}\s+обществ[а-я]{0,3}", "ЗАО"),
    (r"[Пп]убличн[а-я]{2,3}\s+акционерн[а-я]{2,3}\s+обществ[а-я]{0,3}", "ПАО"),
    (r"[Аа]кционерн[а-я]{2,3}\s+обществ[а-я]{0,3}", "АО"),
    (r"[Оо]бществ[а-я]{0,3}\s+с\s+ограниченной\s+ответственностью", "ООО"),
    (r"[Кк]оммунальн[а-я]{2,3}\s+государственн[а-я]{2,3}\s+учреждени[а-я]{1,2}", "КГУ"),
    (r"[Гг]осударственн[а-я]{2,3}\s+учреждени[а-я]{1,2}", "ГУ"),
    (r"[Ии]ндивидуальн[а-я]{2,3}\s+предпринимател[а-я]{1,3}", "ИП"),
    (r"[Жж]ауапкершілігі\s+шектеулі\s+серіктест[а-яәғқңөұүһі]*", "ЖШС"),
    (r"[Аа]кционерлік\s+қоғам[а-яәғқңөұүһі]*", "АҚ"),
    (r"[Кк]оммуналдық\s+мемлекеттік\s+мекеме[а-яәғқңөұүһі]*", "КММ"),
    (r"[Мм]емлекеттік\s+мекеме[а-яәғқңөұүһі]*", "ММ"),
    (r"[Ll]imited\s+[Ll]iability\s+[Pp]artnership", "LLP"),
    (r"[Ll]imited\s+[Ll]iability\s+[Cc]ompany", "LLC"),
    (r"[Jj]oint[\s-]+[Ss]tock\s+[Cc]ompany", "JSC"),
)
# Company forms that may also stand before an unquoted name.
_COMPANY_CYR = ("ТОО", "АО", "ОАО", "ЗАО", "ПАО", "ООО", "ОсОО", "ИП", "ЖШС", "АҚ", "ЖЧК", "ААК")
_COMPANY_LAT = ("TOO", "LLP", "JSC", "PJSC", "OJSC", "CJSC", "LLC")
# Forms only trusted next to a quoted name.
_QUOTED_ONLY = (
    r"(?:РГП|КГП|ГКП)\s+на\s+ПХВ", r"ШЖҚ\s+(?:РМК|КМК|МКК)", "ГККП", "КГКП", "РГКП", "ГКП", "КГП", "РГП",
    "РГУ", "КГУ", "ГУ", "НАО", "ОЮЛ", "ОФ", "ОО", "КММ", "ММ", "КМК", "КМҚК", "РМК",
)
# Latin forms written after an unquoted name.
_SUFFIX_LAT = (
    "LLP", "LLC", "JSC", r"Ltd\.?", "LTD", "Limited", "GmbH", r"B\.V\.", "BV", r"N\.V\.",
    "AG", "PLC", r"Inc\.?", r"Corp\.?", r"S\.A\.",
)
_SUFFIX_CYR = ("ЖШС", "АҚ", "ЖЧК", "ААК")  # Kazakh/Kyrgyz order; Russian ТОО always comes first

_ABBR = "|".join(sorted(set(_COMPANY_CYR + _COMPANY_LAT + _QUOTED_ONLY + _SUFFIX_LAT), key=len, reverse=True))
_FORM = "(?:" + "|".join(src for src, _ in _LONG_FORMS) + f"|{_ABBR})"
_FORM_BEFORE_QUOTE = re.compile(rf"(?<!\w)(?P<form>{_FORM})[\s\u00a0]*$")
_FORM_AFTER_QUOTE = re.compile(rf"[\s\u00a0]*(?P<form>{_FORM})(?!\w)(?P<next>[\s\u00a0]*[«“„\"])?")

_TOKEN = rf"(?:[{UPPER}][\w'’\-]*|[{UPPER}]\.(?:\s?[{UPPER}]\.)?|&)"
_PREFIX_UNQUOTED = re.compile(
    rf"(?<!\w)(?P<form>{'|'.join(_COMPANY_CYR + _COMPANY_LAT)})[ \u00a0]+(?P<name>{_TOKEN}(?:[ \u00a0]+{_TOKEN}){{0,3}})"
)
_SUFFIX_UNQUOTED = re.compile(
    rf"(?<![\w&])(?P<name>{_TOKEN}(?:[ \u00a0]+{_TOKEN}){{0,4}})[ \u00a0,]+(?P<form>{'|'.join(_SUFFIX_LAT + _SUFFIX_CYR)})(?![\w])"
)
_STOPWORDS = frozenset(
    "The A An In On At By With For From And Between Of To Our This That These Its Their Under Between Memorandum "
    "В Во С Со На И Между По От Для Согласно Меморандум Бұл Және Мен Осы".split()
)
_FORM_WORDS = frozenset(_COMPANY_CYR + _COMPANY_LAT + ("БИН", "БСН", "BIN", "ИИН", "IIN", "ГУ", "КГУ"))

# --- akimats ---------------------------------------------------------------
_CAP = rf"[{UPPER}][\w\-]*"
_CAP_ADJ = rf"[{UPPER}][\w\-]*?(?:ской|ского|ский)"
_RU_UNIT = (
    rf"(?:{_CAP_ADJ}\s+(?:области|района|(?:сельского|поселкового)\s+округа|округа)"
    rf"|(?:города|г\.|села|с\.|поселка|пос\.|аула|кента)\s*{_CAP}"
    rf"|(?:сельского|поселкового)\s+округа\s+{_CAP})"
)
_RU_AKIMAT = re.compile(
    rf"(?<!\w)(?P<head>[Аа]кимат(?:а|у|ом|е|ы|ов|ам|ами|ах)?|[Аа]ппарат(?:а|у|ом|е)?\s+акима|[Мм]эри(?:я|и|ю|ей))"
    rf"\s+(?P<where>{_RU_UNIT}(?:\s+{_RU_UNIT}){{0,2}})"
)
_KK_ADMIN = (
    r"(?:облысы(?:ның)?|қаласы(?:ның)?|ауданы(?:ның)?|ауылдық\s+округі(?:нің)?|кенті(?:нің)?|ауылы(?:ның)?)"
)
_KK_TRIGGER = re.compile(
    r"(?<!\w)(?P<trigger>әкімдіг[а-яәғқңөұүһі]*|әкімінің\s+аппарат[а-яәғқңөұүһі]*|әкімі\s+аппарат[а-яәғқңөұүһі]*)"
)
_EN_ADMIN = r"(?:[Rr]egion|[Oo]blast|[Cc]ity|[Dd]istrict)"
_EN_AKIMAT = re.compile(
    rf"(?<!\w)[Aa]kimat\s+of\s+(?:the\s+)?(?P<where>{_CAP}(?:\s+{_CAP}){{0,2}}(?:\s+{_EN_ADMIN})?"
    rf"(?:,?\s+{_CAP}(?:\s+{_CAP}){{0,1}}\s+{_EN_ADMIN})?)"
)
_EN_AKIMAT_AFTER = re.compile(
    rf"(?<!\w)(?P<where>(?:{_CAP}\s+){{1,3}}(?:{_EN_ADMIN}|regional|Regional))\s+[Aa]kimat(?!\w)"
)
_WS = re.compile(r"\s+")


def _norm(s: str) -> str:
    return _WS.sub(" ", s).strip()


def _canonical_form(form: str) -> str:
    form = _norm(form)
    for src, abbr in _LONG_FORMS:
        if re.fullmatch(src, form):
            return abbr
    return form


def _quoted_name(form: str, inner: str) -> str:
    if re.search(r"[A-Za-z]", form[:1]):
        return f'{form} "{inner.replace("«", chr(34)).replace("»", chr(34))}"'
    return f"{form} «{inner}»"


def _strip_stopwords(name: str, start: int) -> tuple[str, int]:
    tokens = name.split(" ")
    while tokens and (tokens[0] in _STOPWORDS or tokens[0] in _FORM_WORDS):
        start += len(tokens[0]) + 1
        tokens = tokens[1:]
    return " ".join(tokens), start


def _company_candidates(text: str) -> list[Span]:
    out: list[Span] = []
    for q in find_quoted(text):
        before = _FORM_BEFORE_QUOTE.search(text, max(0, q.start - 80), q.start)
        if before:
            form = _canonical_form(before["form"])
            out.append(Span(before.start(), q.end, 0, {"name": _quoted_name(form, q.inner)}))
            continue
        after = _FORM_AFTER_QUOTE.match(text, q.end)
        if after and not after["next"]:
            form = _canonical_form(after["form"])
            out.append(Span(q.start, after.end("form"), 0, {"name": _quoted_name(form, q.inner)}))
    for m in _PREFIX_UNQUOTED.finditer(text):
        tokens = []
        for tok in _norm(m["name"]).split(" "):
            if tok in _FORM_WORDS or tok in _STOPWORDS:
                break
            tokens.append(tok)
        if tokens:
            name = " ".join(tokens)
            end = _end_of_tokens(text, m.start("name"), len(tokens))
            out.append(Span(m.start(), end, 1, {"name": f"{m['form']} {name}"}))
    for m in _SUFFIX_UNQUOTED.finditer(text):
        name, start = _strip_stopwords(_norm(m["name"]), m.start("name"))
        if name and not name.endswith("»"):
            out.append(Span(start, m.end(), 1, {"name": f"{name} {m['form']}"}))
    return out


def _end_of_tokens(text: str, start: int, count: int) -> int:
    """Offset after the ``count``-th whitespace-separated token starting at ``start``."""
    for i, m in enumerate(re.finditer(r"\S+", text[start:])):
        if i == count - 1:
            return start + m.end()
    return len(text)  # pragma: no cover


@lru_cache(maxsize=1)
def _kk_chain() -> re.Pattern:
    """'<Name> облысы(ның) <Name> ауданының ' tail; multi-word region names come from the table."""
    multi = sorted(
        {row["name_kk"].rsplit(" ", 1)[0] for row in load_regions() if row["name_kk"].count(" ") > 1},
        key=len, reverse=True,
    )
    name = "(?:" + "|".join(re.escape(m).replace(r"\ ", r"\s+") for m in multi) + f"|{_CAP})"
    return re.compile(rf"(?<!\w)(?:{name}\s+{_KK_ADMIN}\s+)+$")


def _akimat_candidates(text: str) -> list[Span]:
    out: list[Span] = []
    for m in _RU_AKIMAT.finditer(text):
        head = m["head"].lower()
        label = "Аппарат акима" if head.startswith("аппарат") else ("Мэрия" if head.startswith("мэри") else "Акимат")
        out.append(Span(m.start(), m.end(), 0, {"name": f"{label} {_norm(m['where'])}"}))
    chain = _kk_chain()
    for m in _KK_TRIGGER.finditer(text):
        c = chain.search(text, max(0, m.start() - 150), m.start())
        if c:
            label = "әкімінің аппараты" if "аппарат" in m["trigger"] else "әкімдігі"
            out.append(Span(c.start(), m.end(), 0, {"name": f"{_norm(c.group(0))} {label}"}))
    for m in _EN_AKIMAT.finditer(text):
        out.append(Span(m.start(), m.end(), 0, {"name": f"Akimat of {_norm(m['where'])}"}))
    for m in _EN_AKIMAT_AFTER.finditer(text):
        where, start = _strip_stopwords(_norm(m["where"]), m.start())
        if where and where.split(" ")[0] not in ("Regional", "Region", "City", "District", "Oblast"):
            out.append(Span(start, m.end(), 0, {"name": f"{where} Akimat"}))
    return out


def find_organizations(text: str) -> list[dict]:
    """Organisation mentions in order: ``{"name", "bin", "text"}`` (+ ``bin_valid`` when bin is set)."""
    spans = select(_company_candidates(text) + _akimat_candidates(text))
    result = []
    for i, s in enumerate(spans):
        limit = min(s.end + BIN_WINDOW, spans[i + 1].start if i + 1 < len(spans) else len(text))
        bin_ = bin_after(text, s.end, limit)
        entry = {"name": s.data["name"], "bin": bin_, "text": text[s.start:s.end]}
        if bin_ is not None:
            entry["bin_valid"] = bin_is_valid(bin_)
        result.append(entry)
    return result
