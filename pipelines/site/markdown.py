"""A small, safe Markdown subset for CHANGELOG.md: headings, paragraphs, lists, fenced code, `code`,
**bold**, *italic* and [links](https://...). Everything is escaped; raw HTML shows as text.

Links become links only when absolute http(s), or a plain relative file name or #anchor the caller
says exists (`link_ok`);
anything else (javascript:, missing files) stays text, so the page never has a broken or unsafe link.
"""
from __future__ import annotations

import re
from typing import Callable

from pipelines.site.markup import Markup, external_url, h, tag

_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_BULLET = re.compile(r"^\s*[-*+]\s+(.*)$")
_NUMBERED = re.compile(r"^\s*\d{1,9}[.)]\s+(.*)$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_INLINE = re.compile(
    r"`(?P<code>[^`]+)`"
    r"|\*\*(?P<bold>.+?)\*\*"
    r"|\[(?P<text>[^\]]+)\]\((?P<href>[^)\s]+)\)"
    r"|(?<![\w*])\*(?P<em>[^*\s](?:[^*]*[^*\s])?)\*(?![\w*])"
)


def render_markdown(text: str, *, heading_offset: int = 2, link_ok: Callable[[str], bool] = lambda _: False) -> Markup:
    """HTML for `text`; '# x' becomes <h{1 + heading_offset}>."""
    blocks: list[Markup] = []
    paragraph: list[str] = []
    items: list[str] = []
    list_tag = ""
    code: list[str] | None = None

    def inline(source: str) -> Markup:
        return _inline(source, link_ok)

    def flush() -> None:
        nonlocal list_tag
        if paragraph:
            blocks.append(tag("p", inline(" ".join(paragraph))))
            paragraph.clear()
        if items:
            blocks.append(tag(list_tag, *[tag("li", inline(item)) for item in items]))
            items.clear()
        list_tag = ""

    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if code is not None:
            if _FENCE.match(line):
                blocks.append(tag("pre", tag("code", "\n".join(code))))
                code = None
            else:
                code.append(line)
            continue
        if _FENCE.match(line):
            flush()
            code = []
            continue
        if not line.strip():
            flush()
            continue
        heading = _HEADING.match(line)
        bullet, numbered = _BULLET.match(line), _NUMBERED.match(line)
        if heading:
            flush()
            level = min(6, len(heading.group(1)) + heading_offset)
            blocks.append(tag(f"h{level}", inline(heading.group(2))))
        elif bullet or numbered:
            wanted = "ul" if bullet else "ol"
            if paragraph or (list_tag and list_tag != wanted):
                flush()
            list_tag = wanted
            items.append((bullet or numbered).group(1))
        elif items and line.startswith((" ", "\t")):
            items[-1] += " " + line.strip()  # continuation of a list item
        else:
            if items:
                flush()
            paragraph.append(line.strip())
    if code is not None:
        blocks.append(tag("pre", tag("code", "\n".join(code))))
    flush()
    return Markup("\n".join(blocks))


def _inline(source: str, link_ok: Callable[[str], bool]) -> Markup:
    out: list[Markup] = []
    position = 0
    for match in _INLINE.finditer(source):
        out.append(h(source[position : match.start()]))
        position = match.end()
        if match.group("code") is not None:
            out.append(tag("code", match.group("code")))
        elif match.group("bold") is not None:
            out.append(tag("strong", _inline(match.group("bold"), link_ok)))
        elif match.group("em") is not None:
            out.append(tag("em", _inline(match.group("em"), link_ok)))
        else:
            out.append(_link(match.group("text"), match.group("href"), link_ok))
    out.append(h(source[position:]))
    return Markup("".join(out))


def _link(text: str, href: str, link_ok: Callable[[str], bool]) -> Markup:
    label = _inline(text, link_ok)
    url = external_url(href)
    if url:
        return tag("a", label, href=url, rel="noopener noreferrer external")
    if re.fullmatch(r"([\w-][\w.-]*)?(#[A-Za-z][\w-]*)?", href) and link_ok(href):
        return tag("a", label, href=href)
    return Markup(f"{label} ({h(href)})")
