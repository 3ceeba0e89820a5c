"""Money amounts: a number with a currency attached, nothing else.

A number becomes an amount only if a currency word/sign/code is attached to it:
before it ("€ 470,000", "USD 3.2 million", "$1.5 bn", "$3m") or after it,
possibly across a scale word and a parenthesis spelling the number out
("1 250 000 000 (один миллиард двести пятьдесят миллионов) тенге").  So
counts ("280 мест", "60 адам"), distances, years, percentages, phone and
contract numbers are never amounts.  Compound scales ("2 млрд 500 млн тенге")
add up.  Values are exact (Decimal) until they are turned into JSON numbers.
"""

from __future__ import annotations

import re
from decimal import Decimal

from .letters import CYR_LOWER
from .numbers import NUMBER, parse_number, to_json_number
from .spans import Span, select

_KK_SUFFIX = "[" + CYR_LOWER + "]{0,6}"

#: (currency code, regex source of words/signs written after a number)
_CURRENCIES = (
    ("KZT", rf"(?:тенге|теңге){_KK_SUFFIX}(?!\w)|tenge(?!\w)|(?-i:KZT)(?![A-Za-z])|₸|тг(?!\w)\.?"),
    ("KGS", r"сом(?:ов|а|у|ом|ы|дун|го|дон|дан|ға|ду|дор|дар)?(?!\w)|soms?(?!\w)|(?-i:KGS)(?![A-Za-z])"),
    ("EUR", rf"(?-i:EUR)(?![A-Za-z])|€|евро(?!\w)|еуро{_KK_SUFFIX}(?!\w)|euros?(?!\w)"),
    ("USD", rf"(?-i:USD)(?![A-Za-z])|US\$|\$|(?:АҚШ\s+)?доллар{_KK_SUFFIX}(?:\s+США)?(?!\w)"
            r"|долл(?!\w)\.?(?:\s*США(?!\w))?|(?:US\s+|U\.S\.\s+)?dollars?(?!\w)"),
)
_PREFIX_CURRENCIES = (
    ("USD", r"(?-i:US\$|USD)"), ("EUR", r"(?-i:EUR)|€"), ("KZT", r"(?-i:KZT)|₸"),
    ("KGS", r"(?-i:KGS)"), ("USD", r"\$"),
)
#: (multiplier, regex source); abbreviations may carry a dot.
_SCALES = (
    (10**12, r"трлн(?!\w)\.?|триллион[а-я]{0,3}(?!\w)|trillions?(?!\w)|trn(?!\w)\.?"),
    (10**9, rf"млрд(?!\w)\.?|миллиард{_KK_SUFFIX}(?!\w)|billions?(?!\w)|bln(?!\w)\.?|bn(?!\w)|mlrd(?!\w)\.?"),
    (10**6, rf"млн(?!\w)\.?|миллион{_KK_SUFFIX}(?!\w)|millions?(?!\w)|mln(?!\w)\.?|mn(?!\w)"),
    (10**3, rf"тыс(?!\w)\.?|тысяч[а-я]{{0,2}}(?!\w)|мың{_KK_SUFFIX}(?!\w)|thousands?(?!\w)"),
)
_SHORT_SCALES = {"m": 10**6, "k": 10**3}  # only right after a prefix currency: "$3m"

_NUMBER_WORD = (
    r"(?:ноль|нөл|zero|од(?:ин|на|но)|дв[аеу]|тр[иё]|четыр|пят|шест|сем|восем|девят|десят|сорок|девяност"
    r"|сто|тысяч|миллион|миллиард|бір|бир|екі|эки|үш|үч|төрт|бес|беш|алты|жеті|жети|сегіз|сегиз"
    r"|тоғыз|тогуз|он|жиырма|жыйырма|отыз|отуз|қырық|кырк|елу|элүү|алпыс|алтымыш|жетпіс|жетимиш"
    r"|сексен|тоқсан|токсон|жүз|мың|миң|one|two|three|four|five|six|seven|eight|nine|ten|eleven"
    r"|twelve|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|million|billion)"
)

_CUR = "|".join(f"(?:{src})" for _, src in _CURRENCIES)
_PRE = "|".join(f"(?:{src})" for _, src in _PREFIX_CURRENCIES)
_SCALE = "|".join(f"(?:{src})" for _, src in _SCALES)
_CORE = (
    rf"(?P<num>{NUMBER})(?:\s*(?P<scale>{_SCALE}))?"
    rf"(?P<more>(?:\s+{NUMBER}\s*(?:{_SCALE}))*)"
)
_PAREN_WORDS = rf"\(\s*{_NUMBER_WORD}[^()\d]{{0,300}}?"

_POST_RE = re.compile(rf"{_CORE}(?:\s*{_PAREN_WORDS}\))?\s*(?P<cur>{_CUR})", re.I)
_PAREN_CUR_RE = re.compile(rf"{_CORE}\s*{_PAREN_WORDS}(?P<cur>{_CUR})[^()\d]{{0,30}}?\)", re.I)
_PRE_RE = re.compile(
    rf"(?P<cur>{_PRE})[ \u00a0\u202f]*(?P<num>{NUMBER})"
    rf"(?:[ \u00a0\u202f]*(?P<scale>{_SCALE})|(?P<short>[mkMK])(?!\w))?",
    re.I,
)
_CUR_RES = tuple((code, re.compile(rf"(?:{src})$", re.I)) for code, src in _CURRENCIES)
_PRE_RES = tuple((code, re.compile(rf"(?:{src})$", re.I)) for code, src in _PREFIX_CURRENCIES)
_SCALE_RES = tuple((mult, re.compile(rf"(?:{src})$", re.I)) for mult, src in _SCALES)
_NUMBER_SCALE_RE = re.compile(rf"(?P<num>{NUMBER})\s*(?P<scale>{_SCALE})", re.I)


def _currency(text: str, table) -> str:
    text = text.strip()
    for code, rx in table:
        if rx.match(text):
            return code
    raise AssertionError(f"unclassified currency {text!r}")  # pragma: no cover


def _scale(word: str) -> tuple[int, str]:
    for mult, rx in _SCALE_RES:
        if rx.match(word):
            return mult, ("cyr" if re.search(r"[а-яё]", word, re.I) else "lat")
    raise AssertionError(f"unclassified scale {word!r}")  # pragma: no cover


def _value(num: str, scale: str | None) -> Decimal:
    if not scale:
        return parse_number(num)
    mult, script = _scale(scale)
    return parse_number(num, before_scale=script) * mult


def _candidates(text: str) -> list[Span]:
    found: list[Span] = []
    for rx in (_POST_RE, _PAREN_CUR_RE):
        for m in rx.finditer(text):
            value = _value(m["num"], m["scale"])
            for part in _NUMBER_SCALE_RE.finditer(m["more"] or ""):
                value += _value(part["num"], part["scale"])
            cur = _currency(m["cur"], _CUR_RES)
            found.append(Span(m.start(), m.end(), 0, {"value": value, "currency": cur}))
    for m in _PRE_RE.finditer(text):
        if m["short"]:
            value = parse_number(m["num"], before_scale="lat") * _SHORT_SCALES[m["short"].lower()]
        else:
            value = _value(m["num"], m["scale"])
        found.append(Span(m.start(), m.end(), 0, {"value": value, "currency": _currency(m["cur"], _PRE_RES)}))
    return found


def find_amounts(text: str) -> list[dict]:
    """Amounts in order of appearance: ``{"value", "currency", "text"}``."""
    return [
        {"value": to_json_number(s.data["value"]), "currency": s.data["currency"], "text": text[s.start:s.end]}
        for s in select(_candidates(text))
    ]
