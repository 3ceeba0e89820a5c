"""From a memorandum's text to one typed row: what was promised, by whom, where, when, for how much.

Rules (documented in docs/memoranda.md):
- Text: the first PDF/DOCX attachment if there is one, else the detail page's body.
- Company: the first organisation named with a company legal form; government party: the first state body.
- Amount: among amounts preceded by a commitment cue ("на общую сумму", "в размере", "жалпы сомасы",
  "total", ...) — or all amounts when none is cued — the largest one in the currency of the first.
  No amount in the text means an empty amount: it is never guessed.
- Date signed: the first full date in the text, else the date shown on the site.
- Region: the first region named in the text, else the publishing akimat's region.
- Period: the widest period stated (a memorandum's term covers its projects' terms; ties: the first);
  with no period, a deadline ("в срок до 31 декабря 2021 года", "until …", "… дейін") is the period's end.
"""
from __future__ import annotations

import re
from decimal import Decimal

from bs4 import BeautifulSoup

from sources.archive import RawArchive
from sources.catalog import Source
from sources.crawl import Detail, text_of
from sources.extract import extract_entities, read_document

STATE_BODY = re.compile(r"акимат|әкімдіг|әкімдік|әкімшіл|akimat|\b(?:ГУ|КГУ|ГКП)\b|государственн|мемлекеттік|administration|администрац|ministry|министерств|министрлі", re.I)
COMMITMENT_CUE = re.compile(
    r"(общ\w*\s+сумм\w*|в\s+размере|объ[её]м\w*\s+финансирования|на\s+сумму|сумм\w+\s+в|"
    r"жалпы\s+сома\w*|сомасы|мөлшерінде|көлемінде|total|amount\s+of|in\s+the\s+amount|sum\s+of|up\s+to)",
    re.I,
)
FULL_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ATTACHMENT_KINDS = {"pdf": "pdf", "docx": "docx", "wordprocessingml": "docx"}


def memorandum_row(source: Source, item: dict, soup: BeautifulSoup, detail: Detail, archive: RawArchive) -> dict:
    """A row for a memorandum published on a site: the text's facts, with the site's for what the text lacks."""
    text, sha, locator = _memorandum_text(item, soup, detail, archive)
    shown_date = item.get("listing_date") or text_of(soup.select_one(detail.date) if detail.date else None)
    facts = text_facts(text, shown_date=shown_date)
    return {
        "memorandum_id": f"{source.id}/{item['native_id']}",
        "title": text_of(soup.select_one(detail.title)) or item["listing_title"],
        **facts,
        "region_code": facts["region_code"] or source.region_code,
        "government_party": facts["government_party"] or source.publisher,
        "source_id": source.id,
        "source_url": item["detail_url"],
        "document_sha256": sha,
        "locator": locator,
    }


def text_facts(text: str, *, shown_date: str = "") -> dict:
    """What a memorandum's text itself says: parties, date, region, amount, period, language."""
    found = extract_entities(text)
    company = next((o for o in found["organizations"] if not STATE_BODY.search(o["name"])), None)
    government = next((o for o in found["organizations"] if STATE_BODY.search(o["name"])), None)
    amount, currency = committed_amount(text, found["amounts"])
    period = memorandum_period(text, found)
    return {
        "date_signed": _date_signed(found["dates"], shown_date),
        "region_code": found["regions"][0]["code"] if found["regions"] else None,
        "government_party": government["name"] if government else None,
        "company_name": company["name"] if company else None,
        "company_bin": company["bin"] if company else None,
        "amount": amount,
        "currency": currency,
        "period_start": period.get("start"),
        "period_end": period.get("end"),
        "language": found["language"],
    }


def _memorandum_text(item: dict, soup: BeautifulSoup, detail: Detail, archive: RawArchive) -> tuple[str, str, str]:
    for attachment in item["attachments"]:
        kind = _attachment_kind(attachment)
        if kind:
            name = attachment["url"].rsplit("/", 1)[-1]
            text = read_document(archive.read(attachment["sha256"]), name=name, content_type=attachment["content_type"])
            return text, attachment["sha256"], f"{kind}:{name}"
    body = soup.select_one(detail.body)
    text = body.get_text("\n", strip=True) if body is not None else ""
    if not text:
        raise ValueError(f"detail page has no text in {detail.body!r} and no PDF/DOCX attachment")
    return text, item["detail_sha256"], f"html:{detail.body}"


def _attachment_kind(attachment: dict) -> str | None:
    probe = (attachment["content_type"] + " " + attachment["url"]).lower()
    return next((kind for key, kind in ATTACHMENT_KINDS.items() if key in probe), None)


def committed_amount(text: str, amounts: list[dict]) -> tuple[Decimal | None, str | None]:
    if not amounts:
        return None, None
    cued = [a for a in amounts if COMMITMENT_CUE.search(text[max(0, text.find(a["text"]) - 120) : text.find(a["text"])])]
    candidates = cued or amounts
    currency = candidates[0]["currency"]
    best = max((a for a in candidates if a["currency"] == currency), key=lambda a: Decimal(str(a["value"])))
    return Decimal(str(best["value"])), currency


DEADLINE_BEFORE = re.compile(r"(?:\bдо|\bпо|\buntil|\btill|\bthrough|\bby|не\s+позднее|not\s+later\s+than)\s*$", re.I)
DEADLINE_AFTER = re.compile(r"^\s*(?:дейін|дейінгі|аралығында)", re.I)


def memorandum_period(text: str, found: dict) -> dict:
    """The widest stated period, else a deadline as an open-ended period, else nothing."""
    if found["periods"]:
        return max(found["periods"], key=lambda p: (int(p["end"][:4]) - int(p["start"][:4]), -found["periods"].index(p)))
    for date in found["dates"]:
        if not FULL_DATE.match(date["value"]):
            continue
        at = text.find(date["text"])
        if DEADLINE_BEFORE.search(text[max(0, at - 20) : at]) or DEADLINE_AFTER.match(text[at + len(date["text"]) : at + len(date["text"]) + 12]):
            return {"start": None, "end": date["value"]}
    return {}


def _date_signed(dates: list[dict], shown_on_site: str) -> str | None:
    full = next((d["value"] for d in dates if FULL_DATE.match(d["value"])), None)
    if full:
        return full
    shown = extract_entities(shown_on_site)["dates"] if shown_on_site else []
    return shown[0]["value"] if shown else (dates[0]["value"] if dates else None)
