"""Horizontal bar charts as SVG, drawn on the server (no script): each with a title and a
description for screen readers; the page shows the same figures in a table beside it."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .report import Row

BAR_HEIGHT = 22
GAP = 8
LABEL_WIDTH = 230
CHART_WIDTH = 640


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    rows: list[Row]

    @property
    def svg(self) -> SafeString:
        return bar_chart_svg(self.id, self.title, self.rows)


def bar_chart_svg(chart_id: str, title: str, rows: list[Row]) -> SafeString:
    height = max(1, len(rows)) * (BAR_HEIGHT + GAP) + GAP
    top = max((row.count for row in rows), default=0) or 1
    room = CHART_WIDTH - LABEL_WIDTH - 50
    description = "; ".join(f"{row.label}: {row.count}" for row in rows) or "geen gegevens"
    parts = [
        f'<svg class="complaint-chart" viewBox="0 0 {CHART_WIDTH} {height}" role="img" '
        f'aria-labelledby="{chart_id}-t {chart_id}-d" focusable="false">',
        f'<title id="{chart_id}-t">{escape(title)}</title>',
        f'<desc id="{chart_id}-d">{escape(description)}</desc>',
    ]
    for index, row in enumerate(rows):
        y = GAP + index * (BAR_HEIGHT + GAP)
        width = round(room * row.count / top, 1)
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{y + BAR_HEIGHT - 6}" text-anchor="end" '
            f'class="complaint-chart__label">{escape(row.label[:40])}</text>'
            f'<rect x="{LABEL_WIDTH}" y="{y}" width="{width}" height="{BAR_HEIGHT}" '
            f'class="complaint-chart__bar"/>'
            f'<text x="{LABEL_WIDTH + width + 6}" y="{y + BAR_HEIGHT - 6}" '
            f'class="complaint-chart__value">{row.count}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text in it is escaped above
