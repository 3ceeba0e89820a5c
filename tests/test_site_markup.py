"""The site's building blocks: escaping by default, safe links, the changelog's Markdown subset, numbers."""
from decimal import Decimal

from bs4 import BeautifulSoup

from pipelines.site.markdown import render_markdown
from pipelines.site.markup import Markup, external_link, external_url, h, tag
from pipelines.site.numbers import full, nice_ticks, short


def test_text_is_escaped_unless_marked_safe():
    assert tag("p", "<b>&") == "<p>&lt;b&gt;&amp;</p>"
    assert tag("p", Markup("<b>x</b>")) == "<p><b>x</b></p>"
    assert tag("a", "x", href='"><script>') == '<a href="&quot;&gt;&lt;script&gt;">x</a>'
    assert Markup("<i>") + "<s>" == "<i>&lt;s&gt;" and "<s>" + Markup("<i>") == "&lt;s&gt;<i>"
    assert h("a\x00b\x0bc") == "a\ufffdb\ufffdc"  # characters XML forbids never reach a page or an SVG


def test_only_absolute_http_links_leave_the_site():
    assert external_url("https://www.gov.kz/a?b=1") == "https://www.gov.kz/a?b=1"
    for bad in ("javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,x", "//evil.example", "/etc/passwd", "https://", None, 5):
        assert external_url(bad) is None
    assert "href" not in external_link("javascript:alert(1)", "click")


def test_changelog_markdown_subset():
    text = (
        "# 1.2.0 (2026-03-01)\n\nFirst *paragraph* with `code` and **bold**\ncontinued.\n\n"
        "## memoranda\n\n- 2 added\n- see [docs](https://example.org/x) and [csv](memoranda.csv) and [bad](javascript:alert(1))\n"
        "  continued item\n\n1. one\n2. two\n\n```\n<raw> & code\n```\n\n<script>alert(1)</script>\n"
    )
    page = BeautifulSoup(render_markdown(text, heading_offset=2, link_ok=lambda href: href == "memoranda.csv"), "html.parser")
    assert [x.name for x in page.find_all(["h3", "h4"])] == ["h3", "h4"]
    first = page.find("p")
    assert first.find("em").get_text() == "paragraph" and first.find("code") and first.find("strong")
    assert "continued." in first.get_text()
    items = page.find("ul").find_all("li")
    assert len(items) == 2 and "continued item" in items[1].get_text()
    assert [a["href"] for a in page.find_all("a")] == ["https://example.org/x", "memoranda.csv"]
    assert "bad (javascript:alert(1))" in items[1].get_text()
    assert [li.get_text() for li in page.find("ol").find_all("li")] == ["one", "two"]
    assert page.find("pre").get_text() == "<raw> & code"
    assert page.find("script") is None and "<script>alert(1)</script>" in page.get_text()


def test_snake_case_names_are_not_italicised():
    html = render_markdown("social_projects and budget_lines: 2*3 = 6")
    assert "<em>" not in html and "social_projects" in html


def test_numbers_for_people():
    assert full(Decimal("7000000000")) == "7,000,000,000" and full(Decimal("1234.50")) == "1,234.5"
    assert short(Decimal("760000000"), Decimal(10**9)) == "0.76" and short(Decimal(1), Decimal(10**9)) == "<0.01"
    for maximum in ("0.76", "3", "7", "9.1", "19.47", "265.5", "1000"):
        ticks = nice_ticks(Decimal(maximum))
        assert ticks[0] == 0 and ticks[-1] >= Decimal(maximum) and ticks[-2] < Decimal(maximum) and len(ticks) <= 6
        steps = {b - a for a, b in zip(ticks, ticks[1:])}
        assert len(steps) == 1
