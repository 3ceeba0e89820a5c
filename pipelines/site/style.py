"""The pages' look: one inline stylesheet (no fonts or files to fetch), readable from 320 px phones up."""
from __future__ import annotations

from pipelines.site.markup import Markup, tag

FONT_STACK = 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "DejaVu Sans", "Liberation Sans", Arial, sans-serif'

CSS = """
:root { color-scheme: light; --fg: #1b1f24; --muted: #57606a; --line: #d0d7de; --alt: #f6f8fa; --accent: #0a58a8; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body { margin: 0; font-family: FONTS; line-height: 1.5; color: var(--fg); background: #fff; }
.wrap { max-width: 72rem; margin: 0 auto; padding: 0 1rem; }
header.top { border-bottom: 1px solid var(--line); background: var(--alt); }
header.top .wrap { padding-top: .5rem; padding-bottom: .5rem; }
h1 { font-size: 1.7rem; line-height: 1.25; margin: 1.25rem 0 .5rem; }
h2 { font-size: 1.35rem; line-height: 1.3; margin: 2.5rem 0 .75rem; padding-bottom: .25rem; border-bottom: 1px solid var(--line); }
h3 { font-size: 1.12rem; margin: 1.75rem 0 .5rem; }
h4 { font-size: 1rem; margin: 1.25rem 0 .4rem; }
p, li, dd, dt, figcaption, .note { overflow-wrap: anywhere; }
a { color: var(--accent); }
a:focus-visible, .scroll:focus-visible { outline: 3px solid #f0b400; outline-offset: 2px; }
code, pre { font-family: ui-monospace, "DejaVu Sans Mono", "Liberation Mono", Menlo, Consolas, monospace; font-size: .88em; }
code { background: var(--alt); padding: 0 .2em; border-radius: 3px; overflow-wrap: anywhere; }
pre { background: var(--alt); padding: .6rem; border-radius: 4px; white-space: pre-wrap; overflow-wrap: anywhere; }
.meta { color: var(--muted); margin: 0 0 1rem; }
.muted { color: var(--muted); }
.banner { margin: 1rem 0; padding: .9rem 1rem; border: 3px solid #b42318; border-radius: 6px; background: #fdecea; color: #6e1010; }
.banner strong { display: block; font-size: 1.15rem; letter-spacing: .02em; }
.badge { display: inline-block; padding: 0 .45em; border-radius: 999px; font-size: .8rem; font-weight: 600; vertical-align: .1em; }
.badge.sample { background: #fdecea; color: #8a1414; border: 1px solid #b42318; }
.badge.latest { background: #e6f4ea; color: #14532d; border: 1px solid #2f855a; }
nav.toc h2 { border: 0; margin: 1rem 0 0; padding: 0; font-size: 1rem; color: var(--muted); }
nav.toc ul { margin: .25rem 0; padding-left: 1.2rem; columns: 2 15rem; }
ul.files, ul.sources, ul.versions { list-style: none; padding: 0; }
dt { font-weight: 600; margin-top: .4rem; }
dd { margin-left: 1.2rem; }
ul.files > li, ul.sources > li, ul.versions > li { padding: .6rem 0; border-bottom: 1px solid var(--line); }
.hash { display: block; color: var(--muted); font-size: .8rem; }
.scroll { overflow-x: auto; max-width: 100%; margin: .5rem 0 1rem; border: 1px solid var(--line); border-radius: 4px; }
table { border-collapse: collapse; font-size: .9rem; min-width: 100%; }
caption { text-align: left; padding: .4rem .5rem; font-weight: 600; }
th, td { text-align: left; vertical-align: top; padding: .35rem .55rem; border-bottom: 1px solid var(--line); }
thead th { background: var(--alt); }
td > code, th > code { white-space: nowrap; overflow-wrap: normal; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
td.num { white-space: nowrap; }
td .cell { min-width: 13rem; max-width: 28rem; overflow-wrap: anywhere; }
td.empty::after { content: ""; }
figure { margin: 1rem 0 .5rem; }
figure img { display: block; width: 100%; max-width: 36rem; height: auto; border: 1px solid var(--line); border-radius: 4px; background: #fff; }
figcaption { margin-top: .4rem; color: var(--muted); font-size: .92rem; }
details > summary { cursor: pointer; }
footer { margin-top: 3rem; border-top: 1px solid var(--line); color: var(--muted); font-size: .9rem; padding-bottom: 2rem; }
@media (max-width: 40rem) {
  body { font-size: 15px; }
  table.stack thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
  table.stack, table.stack tbody, table.stack tr, table.stack td { display: block; width: 100%; }
  table.stack tr { padding: .35rem 0; border-bottom: 2px solid var(--line); }
  table.stack td { border: 0; padding: .12rem .6rem; text-align: left; white-space: normal; }
  table.stack td::before { content: attr(data-label) ": "; font-weight: 600; color: var(--muted); }
  table.stack td .cell { min-width: 0; max-width: none; display: inline; }
  h1 { font-size: 1.4rem; }
  h2 { font-size: 1.2rem; }
  .wrap { padding: 0 .75rem; }
}
@media print { .scroll { overflow: visible; border: 0; } a { color: inherit; } }
""".replace("FONTS", FONT_STACK)

# No script may run on these pages, whatever a scraped document contains.
CSP = "script-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'"


def page(*, title: str, body: Markup, description: str | None = None) -> bytes:
    """A complete HTML5 document, UTF-8 bytes with LF line endings."""
    head = [
        Markup('<meta charset="utf-8">'),
        tag("meta", name="viewport", content="width=device-width, initial-scale=1"),
        tag("meta", http_equiv="Content-Security-Policy", content=CSP),
        tag("meta", name="referrer", content="no-referrer"),
        tag("meta", name="description", content=description) if description else Markup(""),
        tag("link", rel="icon", href="data:,"),  # no favicon request (and no 404) from a folder on a USB stick
        tag("title", title),
        tag("style", Markup(CSS)),
    ]
    document = Markup("<!DOCTYPE html>\n") + tag("html", tag("head", *head), "\n", tag("body", body), lang="en")
    return (document + "\n").encode("utf-8")
