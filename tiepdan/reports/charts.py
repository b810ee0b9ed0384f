"""Charts as inline SVG, drawn on the server: no JavaScript library, no CDN, works offline and
in print. Each chart is an ``<svg role="img">`` with a ``<title>`` and a ``<desc>`` that states
every value, so a screen reader reads the figures the bars show."""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_ids = itertools.count(1)

BAR_HEIGHT = 22
GAP = 6
LABEL_WIDTH = 210
VALUE_WIDTH = 70
PALETTE = ("#1f5f99", "#c0504d", "#4f8a3c", "#8064a2", "#d8862b", "#3a9aa6")


def _number(value: float, unit: str) -> str:
    if unit == "%":
        return f"{value:.1f} %".replace(".", ",")
    return f"{int(value):,}".replace(",", ".") + (f" {unit}" if unit else "")


def bar_chart(title: str, items: Sequence[tuple[str, float]], *, unit: str = "",
              width: int = 640, maximum: float | None = None) -> SafeString:
    """Horizontal bars, one per (label, value); ``unit`` "%" shows values as percentages of
    ``maximum`` (default: the largest value)."""
    chart_id = f"chart-{next(_ids)}"
    caption = f'<figcaption id="{chart_id}-caption">{escape(title)}</figcaption>'
    top = max([maximum or 0, *(value for _label, value in items)]) or 1
    plot = width - LABEL_WIDTH - VALUE_WIDTH
    height = len(items) * (BAR_HEIGHT + GAP) + GAP
    description = "; ".join(f"{label}: {_number(value, unit)}" for label, value in items)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]
    for index, (label, value) in enumerate(items):
        y = GAP + index * (BAR_HEIGHT + GAP)
        bar = max(plot * value / top, 1 if value else 0)
        colour = PALETTE[index % len(PALETTE)]
        parts.append(
            f'<g><text x="{LABEL_WIDTH - 6}" y="{y + BAR_HEIGHT * 0.7:.1f}" '
            f'text-anchor="end" font-size="13">{escape(_short(label))}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{bar:.1f}" height="{BAR_HEIGHT}" '
            f'fill="{colour}"><title>{escape(label)}: {escape(_number(value, unit))}</title>'
            f'</rect><text x="{LABEL_WIDTH + bar + 6:.1f}" y="{y + BAR_HEIGHT * 0.7:.1f}" '
            f'font-size="13">{escape(_number(value, unit))}</text></g>'
        )
    parts.append("</svg>")
    # The visible caption, and the title and description that assistive technology reads.
    return mark_safe(  # noqa: S308  (every text above is escaped)
        f'<figure class="chart-figure">{caption}{"".join(parts)}</figure>')


def inline_bar(value: float, maximum: float, *, label: str, width: int = 120) -> SafeString:
    """A small bar for a table cell (the value itself is in the cell's text)."""
    share = value / maximum if maximum else 0
    return mark_safe(  # noqa: S308  (label escaped)
        f'<svg xmlns="http://www.w3.org/2000/svg" class="inline-bar" role="img" width="{width}" '
        f'height="12" viewBox="0 0 {width} 12"><title>{escape(label)}</title>'
        f'<rect x="0" y="1" width="{width * share:.1f}" height="10" fill="#1f5f99"/></svg>'
    )


def _short(label: str, limit: int = 30) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"
