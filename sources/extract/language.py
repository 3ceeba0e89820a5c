"""Language of a text: ``kk``, ``ru`` or ``en``.

The script decides Cyrillic vs Latin (majority of letters).  Within Cyrillic,
Kazakh words are those with Kazakh letters (ә ғ қ ң ө ұ ү һ і) or Kazakh
function words (мен, бен, жылы, осы ...); Russian texts quote Kazakh names
("Ақтөбе", "Атырау облысы"), so Kazakh words are weighed against Russian
function words (и, в, на, с ...) rather than counted alone.  Kazakh in the
Latin alphabet (ä ğ ñ ö ū ü ı) is weighed the same way against English
function words.  Kyrgyz comes out as ``kk``, the closest of the three.  A text
without letters is ``en``.
"""

from __future__ import annotations

import re

_CYR = re.compile(r"[\u0400-\u04ff]")
_LAT = re.compile(r"[A-Za-z\u00c0-\u024f]")
_WORD = re.compile(r"[^\W\d_]+")
# No re.I: Unicode case folding makes "ı" match "i"/"I", which would make all English Kazakh.
_KK_LETTERS = re.compile(r"[әғқңөұүһіӘҒҚҢӨҰҮҺІ]")
_KK_LATIN = re.compile(r"[äğñöūüıÄĞÑÖŪÜİ]")
_KK_FUNCTION = frozenset("мен бен пен жылы осы туралы да де та те ол олар бар жоқ деп".split())
_RU_FUNCTION = frozenset(
    "и в во на с со по для не что от к о об из за при а или как это также который которые был была было "
    "были года году его ее её их он она они".split()
)
_EN_FUNCTION = frozenset("the of and in to for with on by is are was a an from at as this that".split())


def detect_language(text: str) -> str:
    cyr = len(_CYR.findall(text))
    lat = len(_LAT.findall(text))
    if not cyr and not lat:
        return "en"
    words = [w.lower() for w in _WORD.findall(text)]
    if cyr >= lat:
        kk = sum(1 for w in words if _KK_LETTERS.search(w) or w in _KK_FUNCTION)
        ru = sum(1 for w in words if w in _RU_FUNCTION)
        return "kk" if kk > ru else "ru"
    kk = sum(1 for w in words if _KK_LATIN.search(w))
    en = sum(1 for w in words if w in _EN_FUNCTION)
    return "kk" if kk > en else "en"
