"""Static, accessible SVG bar charts written by hand: no plotting library, no script, no external font.

One layout serves every chart: groups stacked vertically (a label, then one horizontal bar per
series with its value written at the end), a shared axis with round ticks at the bottom. Stacking
groups downward, on a narrow canvas with large type, keeps labels legible when a phone shrinks
the chart to its width.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from pipelines.site.markup import esc
from pipelines.site.numbers import full, nice_ticks, short, unit_for
from pipelines.site.style import FONT_STACK

WIDTH = 440
PAD = 14
VALUE_ROOM = 76  # right of the longest bar, for its value label
BAR = 18
BAR_GAP = 4
GROUP_GAP = 16
CHAR = 0.6  # average glyph width / font size, to wrap text without measuring it
SIZES = {"title": 17, "text": 14, "sub": 13, "value": 13, "tick": 12}


@dataclass(frozen=True)
class Series:
    name: str
    colour: str


@dataclass(frozen=True)
class Group:
    label: str
    sublabels: tuple[str, ...]  # e.g. the Russian and Kazakh names, joined on one line when they fit
    values: tuple[Decimal | None, ...]  # one per series; None = nothing to draw ("none")


def _n(value: float) -> str:
    """Coordinates with at most one decimal, so output bytes are stable."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def _fits(text: str, size: int, width: float) -> bool:
    return len(text) * size * CHAR <= width


def wrap(text: str, size: int, width: float) -> list[str]:
    """Greedy word wrap by estimated width."""
    lines: list[str] = []
    for word in text.split():
        if lines and _fits(f"{lines[-1]} {word}", size, width):
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return lines or [""]


def _sub_lines(parts: tuple[str, ...], width: float) -> list[str]:
    joined = " · ".join(parts)
    if not parts or _fits(joined, SIZES["sub"], width):
        return [joined] if parts else []
    return list(parts)


def bar_chart(*, title: str, description: str, series: list[Series], groups: list[Group], currency: str, empty_text: str) -> str:
    """The SVG document (text). `description` becomes <desc>; values are labelled in the axis' unit."""
    maximum = max((v for g in groups for v in g.values if v is not None), default=Decimal(0))
    divisor, unit = unit_for(maximum)
    ticks = nice_ticks(maximum / divisor) if maximum > 0 else [Decimal(0), Decimal(1)]
    axis_max = ticks[-1]
    text_width = WIDTH - 2 * PAD
    plot_width = text_width - VALUE_ROOM
    axis_label = f"Amount, {unit + ' ' if unit else ''}{currency}"

    out: list[str] = []
    y = 10
    for line in wrap(title, SIZES["title"], text_width):
        y += SIZES["title"] + 5
        out.append(f'<text x="{PAD}" y="{y}" class="title">{esc(line)}</text>')
    y += 6
    for item in series:
        y += SIZES["text"] + 6
        out.append(f'<rect x="{PAD}" y="{y - 13}" width="15" height="15" fill="{esc(item.colour)}"/>')
        out.append(f'<text x="{PAD + 22}" y="{y}">{esc(item.name)}</text>')
    y += 14
    plot_top = y

    bars: list[str] = []
    for group in groups:
        y += SIZES["text"] + 4
        bars.append(f'<text x="{PAD}" y="{y}" class="group">{esc(group.label)}</text>')
        for line in _sub_lines(group.sublabels, text_width):
            y += SIZES["sub"] + 4
            bars.append(f'<text x="{PAD}" y="{y}" class="sub">{esc(line)}</text>')
        y += 7
        for item, value in zip(series, group.values):
            length = 0.0 if value is None or axis_max == 0 else float(value / divisor / axis_max) * plot_width
            label = f"no {currency} amount" if value is None else f"{short(value, divisor)}{' ' + _abbr(unit) if unit else ''}"
            tooltip = f"{group.label}, {item.name}: " + ("none" if value is None else f"{full(value)} {currency}")
            if length > 0:
                bars.append(
                    f'<rect x="{PAD}" y="{y}" width="{_n(max(length, 1.0))}" height="{BAR}" fill="{esc(item.colour)}">'
                    f"<title>{esc(tooltip)}</title></rect>"
                )
            bars.append(f'<text x="{_n(PAD + length + 5)}" y="{y + BAR - 4.5}" class="value">{esc(label)}</text>')
            y += BAR + BAR_GAP
        y += GROUP_GAP - BAR_GAP
    if not groups:
        for line in wrap(empty_text, SIZES["sub"], text_width):
            y += SIZES["sub"] + 6
            bars.append(f'<text x="{PAD}" y="{y}" class="sub">{esc(line)}</text>')
        y += 10
    plot_bottom = y

    grid: list[str] = []
    axis: list[str] = []
    if groups:
        axis.append(f'<line x1="{PAD}" y1="{plot_bottom}" x2="{PAD + plot_width}" y2="{plot_bottom}" class="axis"/>')
        for tick in ticks:
            x = PAD + float(tick / axis_max) * plot_width
            grid.append(f'<line x1="{_n(x)}" y1="{plot_top}" x2="{_n(x)}" y2="{plot_bottom}" class="grid"/>')
            axis.append(f'<line x1="{_n(x)}" y1="{plot_bottom}" x2="{_n(x)}" y2="{plot_bottom + 5}" class="axis"/>')
            anchor = "start" if tick == 0 else "end" if tick == axis_max else "middle"
            axis.append(f'<text x="{_n(x)}" y="{plot_bottom + 20}" text-anchor="{anchor}" class="tick">{esc(short(tick * divisor, divisor))}</text>')
        y = plot_bottom + 42
        axis.append(f'<text x="{_n(PAD + plot_width / 2)}" y="{y}" text-anchor="middle" class="axislabel">{esc(axis_label)}</text>')
    height = y + PAD

    style = (
        f"text{{font-family:{FONT_STACK};font-size:{SIZES['text']}px;fill:#1b1f24}}"
        f".title{{font-size:{SIZES['title']}px;font-weight:700}}.group{{font-weight:700}}"
        f".sub{{font-size:{SIZES['sub']}px;fill:#3d444d}}.value{{font-size:{SIZES['value']}px}}"
        f".tick,.axislabel{{font-size:{SIZES['tick']}px;fill:#3d444d}}"
        ".grid{stroke:#e3e6ea;stroke-width:1}.axis{stroke:#57606a;stroke-width:1}"
    )
    return "".join(
        [
            '<?xml version="1.0" encoding="UTF-8"?>\n',
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
            'role="img" aria-labelledby="chart-title chart-desc" lang="en">\n',
            f'<title id="chart-title">{esc(title)}</title>\n',
            f'<desc id="chart-desc">{esc(description)}</desc>\n',
            f"<style>{_css(style)}</style>\n",
            f'<rect x="0" y="0" width="{WIDTH}" height="{height}" fill="#ffffff"/>\n',
            "\n".join(out + grid + bars + axis),
            "\n</svg>\n",
        ]
    )


def _css(css: str) -> str:
    """CSS inside <style> of an XML document: only & and < need care (ours has neither)."""
    return css.replace("&", "&amp;").replace("<", "&lt;")


def _abbr(unit: str) -> str:
    return {"billion": "bn", "million": "m", "thousand": "k"}.get(unit, unit)


def size(svg_text: str) -> tuple[int, int]:
    """(width, height) of a chart written by bar_chart, for the <img> tag."""
    head = svg_text.split('viewBox="0 0 ', 1)[1]
    width, height = head.split('"', 1)[0].split()
    return int(width), int(height)
