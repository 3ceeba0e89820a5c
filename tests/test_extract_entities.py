"""extract_entities on realistic paragraphs, language detection, and robustness on any text."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sources.extract import detect_language, extract_entities

KEYS = ["language", "amounts", "dates", "periods", "regions", "organizations"]

# Modelled on a Kazakh EU-project page (names changed to fictional ones).
KK_PROJECT_PAGE = """Шығыс және орталық Қазақстанда жергілікті деңгейдегі мүдделі тараптардың белсенді қатысуы
Жобаны іске асырушы ұйымдар
«Үлгі» Азаматтық қоғамды дамыту ассоциациясы, «Демо Орталық» ЖШС
Ұзақтығы
Ақпан 2017 – Қаңтар 2020
Бюджеті: € 470,000
ЕО жарнасы: € 420 000
Жобаның серіктестері
Қарағанды облысы Нұра ауданының әкімдігі, Шығыс Қазақстан облысы Глубокое аудандарының әкімдіктері
Іске асырылу орны
ШҚО:  Глубокое және Белоусовка кенттері
Келісім-шарт нөмірі
CSO-LA/2016/382-029
Жобаның нәтижелері:
  • 60 адам инклюзивті жоспарлау бойынша оқытуға қатысты
  • Ауылдарды дамытудың инклюзивті жоспарлары орта есеппен 40%-ға жүзеге асырылды
  • 11 кәсіпкерге, оның ішінде әлеуметтік жағынан осал топтарға 12 000 000 теңге көлеміндегі қаржылық қолдау көрсетілді.
  • шамамен 3000 адам (оның ішінде 400-ге жуық жалғыз басты аналар, 800 зейнеткер) пайдаланып отыр.
Байланыс ақпараты
+7 7212 314 455, info@example.kz
"""

# Modelled on an English NGO news item.
EN_NEWS = """Round tables were held in Atyrau on February 25 and in Aktobe on February 27 within the framework
of the project "Improving the knowledge of the female community on gender budgeting in the western regions
of Kazakhstan". Participants developed recommendations for akimats and extractive companies.
To publish the texts of memoranda with subsoil companies operating in Atyrau and Aktobe regions;
47 municipalities took part. Demo Munai Service LLP (BIN 010140003495) pledged $1.5 million
for 2023-2025 under a memorandum signed on 4 February 2022 with the Akimat of Atyrau Region.
"""

RU_MEMO = """МЕМОРАНДУМ
о сотрудничестве в сфере социально-экономического развития
г. Атырау                                                        «11» марта 2024 года

Акимат Атырауской области, в лице акима области, с одной стороны, и ТОО «Демо Мунай Сервис»
(БИН 010140003495), с другой стороны, заключили настоящий Меморандум на 2024–2026 годы.
Недропользователь направляет 1 250 000 000 (один миллиард двести пятьдесят миллионов) тенге
на строительство школы на 280 мест в Жылыойском районе и 2,5 млрд тенге на дорогу 14,5 км.
Срок действия: с 1 апреля 2024 года по 31 марта 2026 года. Договор № 123-45.
"""


def test_kazakh_project_page():
    r = extract_entities(KK_PROJECT_PAGE)
    assert r["language"] == "kk"
    assert [(a["value"], a["currency"], a["text"]) for a in r["amounts"]] == [
        (470_000, "EUR", "€ 470,000"), (420_000, "EUR", "€ 420 000"), (12_000_000, "KZT", "12 000 000 теңге"),
    ]
    assert r["periods"] == [{"start": "2017-02", "end": "2020-01", "text": "Ақпан 2017 – Қаңтар 2020"}]
    assert r["dates"] == []
    assert [x["code"] for x in r["regions"]] == ["350000000", "630000000", "630000000"]
    assert r["regions"][-1]["text"] == "ШҚО"
    names = [o["name"] for o in r["organizations"]]
    assert names == ["ЖШС «Демо Орталық»", "Қарағанды облысы Нұра ауданының әкімдігі"]


def test_english_news():
    r = extract_entities(EN_NEWS)
    assert r["language"] == "en"
    assert r["dates"] == [{"value": "2022-02-04", "text": "4 February 2022"}]  # "February 25": no year
    assert r["periods"] == [{"start": "2023", "end": "2025", "text": "2023-2025"}]
    assert r["amounts"] == [{"value": 1_500_000, "currency": "USD", "text": "$1.5 million"}]
    assert [(x["name"], x["text"]) for x in r["regions"]] == [
        ("Atyrau Region", "Atyrau"), ("Aktobe Region", "Aktobe regions"), ("Atyrau Region", "Atyrau Region"),
    ]
    assert r["organizations"] == [
        {"name": "Demo Munai Service LLP", "bin": "010140003495", "text": "Demo Munai Service LLP",
         "bin_valid": True},
        {"name": "Akimat of Atyrau Region", "bin": None, "text": "Akimat of Atyrau Region"},
    ]


def test_russian_memorandum():
    r = extract_entities(RU_MEMO)
    assert r["language"] == "ru"
    assert [a["value"] for a in r["amounts"]] == [1_250_000_000, 2_500_000_000]
    assert r["amounts"][0]["text"].endswith("миллионов) тенге")
    assert [d["value"] for d in r["dates"]] == ["2024-03-11", "2024-04-01", "2026-03-31"]
    assert [(p["start"], p["end"]) for p in r["periods"]] == [("2024", "2026"), ("2024-04-01", "2026-03-31")]
    assert [x["code"] for x in r["regions"]] == ["230000000"]  # "г. Атырау" is the city, not the oblast
    assert [(o["name"], o["bin"]) for o in r["organizations"]] == [
        ("Акимат Атырауской области", None), ("ТОО «Демо Мунай Сервис»", "010140003495"),
    ]


def test_output_shape_and_json():
    r = extract_entities(RU_MEMO)
    assert list(r) == KEYS
    json.dumps(r, ensure_ascii=False)
    for key in KEYS[1:]:
        starts = [RU_MEMO.find(e["text"]) for e in r[key]]
        assert all(s >= 0 for s in starts)


def test_empty_text():
    assert extract_entities("") == {"language": "en", "amounts": [], "dates": [], "periods": [],
                                    "regions": [], "organizations": []}


def test_rejects_bytes():
    with pytest.raises(TypeError):
        extract_entities(b"bytes")


@pytest.mark.parametrize(
    "text, lang",
    [
        ("Меморандум подписан акиматом Атырауской области.", "ru"),
        ("Меморандум подписан акиматом Атырау облысы и ТОО «Ақтөбе Демо».", "ru"),  # Kazakh names in Russian
        ("Жобаның серіктестері: Қарағанды облысы әкімдігі және «Үлгі» ЖШС.", "kk"),
        ("Memorandum with Demo LLP for Atyrau Region.", "en"),
        ("Memorandum with ТОО «Демо» for Atyrau Region and the akimat of Aktobe.", "en"),
        ("Qazaqstan Respublikasy Ūlttyq bankı, Ğylym jäne bilim ministrligi", "kk"),
        ("12 345 — 678", "en"),
        # English with many "i"s and a Cyrillic contract code: dotless-ı case folding must not count
        ("The Subsoil User shall finance the following projects in Kandyagash, Mugalzhar District, "
         "pursuant to Subsoil Use Contract No. 3409-ТПИ dated 17 October 2011.", "en"),
    ],
)
def test_language(text, lang):
    assert detect_language(text) == lang


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text())
def test_never_raises_and_texts_are_substrings(text):
    result = extract_entities(text)
    assert list(result) == KEYS
    assert result["language"] in ("kk", "ru", "en")
    for key in KEYS[1:]:
        for entry in result[key]:
            assert entry["text"] and entry["text"] in text


_PIECES = st.sampled_from([
    "1 250 000", "2,5", "млрд", "тенге", "теңге", "€", "$", "USD", "(один миллион)", "марта", "2024", "года",
    "–", "-", "наурызда", "жылғы", "14", "11.03.2024", "Атырауской", "области", "облысының", "ВКО", "г.",
    "Алматы", "ТОО", "«Демо»", "\"Demo\"", "LLP", "БИН", "010140003495", "акимат", "әкімдігі", "and",
    "regions", "Atyrau", " ", "\n", ",", ".", "(", ")", "«", "»", "\u00a0", "с", "по", "from", "to", "дейін",
])


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=25).map(" ".join))
def test_never_raises_on_entity_like_soup(text):
    result = extract_entities(text)
    for key in KEYS[1:]:
        for entry in result[key]:
            assert entry["text"] in text
    for amount in result["amounts"]:
        assert amount["currency"] in ("KZT", "KGS", "EUR", "USD")
        assert isinstance(amount["value"], (int, float))
