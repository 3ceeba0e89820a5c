"""A tiny HTML builder that escapes by default: data from scraped documents never reaches a page raw.

`Markup` marks text that is already safe HTML; anything else passed to `tag` or `h` is escaped.
"""
from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

# Characters XML 1.0 forbids (and HTML flags as parse errors): replaced, so every page and SVG parses.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")
_VOID = {"meta", "img", "br", "hr", "link", "col", "wbr"}


class Markup(str):
    """A string that is already safe HTML (or SVG). Adding text to it escapes the text."""

    def __add__(self, other):
        return Markup(str.__add__(str(self), str(h(other))))

    def __radd__(self, other):
        return Markup(str.__add__(str(h(other)), str(self)))


def esc(value) -> str:
    """Escaped text for element content and attribute values (HTML and XML alike)."""
    text = "" if value is None else str(value)
    return html.escape(_FORBIDDEN.sub("\ufffd", text), quote=True)


def h(value) -> Markup:
    if isinstance(value, Markup):
        return value
    if isinstance(value, (list, tuple)):
        return Markup("".join(h(item) for item in value))
    return Markup(esc(value))


def join(parts, sep: str = "") -> Markup:
    return Markup(esc(sep).join(h(part) for part in parts))


def tag(element: str, /, *children, **attrs) -> Markup:
    """<element attrs>children</element>; attribute `class_` is `class`, `aria_label` is `aria-label`; None/False drop it."""
    rendered = []
    for key, value in attrs.items():
        if value is None or value is False:
            continue
        key = key.rstrip("_").replace("_", "-")
        rendered.append(f" {key}" if value is True else f' {key}="{esc(value)}"')
    opening = f"<{element}{''.join(rendered)}>"
    if element in _VOID:
        return Markup(opening)
    return Markup(f"{opening}{h(list(children))}</{element}>")


def paragraphs(text: str) -> list[Markup]:
    """Plain text with blank-line-separated paragraphs (as in datapackage.json descriptions) as <p> elements."""
    return [tag("p", block.strip()) for block in str(text or "").split("\n\n") if block.strip()]


def external_url(url) -> str | None:
    """The URL when it is an absolute http(s) link (never javascript:, data: or a relative path), else None."""
    if not isinstance(url, str):
        return None
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme in ("http", "https") and parts.netloc and not _FORBIDDEN.search(url) and not any(c.isspace() for c in url):
        return url
    return None


def external_link(url, text=None) -> Markup:
    """A link out of the site when the URL is safe, else the URL as plain text."""
    safe = external_url(url)
    if safe is None:
        return h(text if text is not None else (url or ""))
    return tag("a", text if text is not None else safe, href=safe, rel="noopener noreferrer external")


def slug(text: str) -> str:
    """An id/anchor from a resource name: lower-case letters, digits and hyphens only."""
    return re.sub(r"[^a-z0-9]+", "-", str(text).lower()).strip("-") or "x"


def scroll_table(label: str, headers: list, rows: list[list], *, numeric: set[int] = frozenset(), wide: set[int] = frozenset(),
                 stack: bool = False, class_: str = "") -> Markup:
    """A table inside a horizontally scrolling, keyboard-focusable region (phones scroll it, not the page).

    `numeric` columns are right-aligned and never wrap; `wide` columns get a readable minimum width;
    `stack` turns each row into a card of "header: value" lines on narrow screens.
    """
    labels = [str(h(text)) for text in headers]
    head = tag("tr", *[tag("th", text, scope="col", class_="num" if i in numeric else None) for i, text in enumerate(headers)])
    body = [
        tag("tr", *[
            tag("td", tag("div", value, class_="cell") if i in wide else value, class_="num" if i in numeric else None,
                data_label=_plain(labels[i]) if stack and i < len(labels) else None)
            for i, value in enumerate(row)
        ])
        for row in rows
    ]
    classes = " ".join(c for c in (class_, "stack" if stack else "") if c) or None
    table = tag("table", tag("thead", head), tag("tbody", *body), class_=classes)
    return tag("div", table, class_="scroll", role="region", tabindex="0", aria_label=label)


def _plain(markup: str) -> str:
    """Text of a header cell, for the data-label attribute (tags dropped, entities decoded)."""
    return html.unescape(re.sub(r"<[^>]*>", "", markup))
