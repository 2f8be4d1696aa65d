"""The radar chart of a result, drawn on the server as SVG (no script). The page puts a data
table with the same figures next to it; the SVG carries a title and description."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

MAX_LEVEL = 8


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]
    css_class: str


def _point(cx: float, cy: float, radius: float, index: int, count: int, value: float) -> tuple[float, float]:
    angle = -math.pi / 2 + 2 * math.pi * index / count
    r = radius * value / MAX_LEVEL
    return cx + r * math.cos(angle), cy + r * math.sin(angle)


def radar_svg(*, title: str, description: str, labels: Sequence[str], series: Sequence[Series]) -> SafeString:
    count = len(labels)
    if count < 3:
        return SafeString("")
    size, margin = 420, 70
    cx = cy = size / 2
    radius = size / 2 - margin
    parts: list[str] = [
        format_html(
            '<svg class="radar" viewBox="0 0 {} {}" role="img" aria-labelledby="radar-title radar-desc" '
            'xmlns="http://www.w3.org/2000/svg">'
            '<title id="radar-title">{}</title><desc id="radar-desc">{}</desc>',
            size,
            size,
            title,
            description,
        )
    ]
    for ring in (2, 4, 6, 8):
        points = " ".join(
            "{:.1f},{:.1f}".format(*_point(cx, cy, radius, i, count, ring)) for i in range(count)
        )
        parts.append(f'<polygon class="radar__ring" points="{points}"/>')
        x, y = _point(cx, cy, radius, 0, count, ring)
        parts.append(f'<text class="radar__scale" x="{x + 4:.1f}" y="{y + 4:.1f}">{ring}</text>')
    for i, label in enumerate(labels):
        x, y = _point(cx, cy, radius, i, count, MAX_LEVEL)
        parts.append(f'<line class="radar__axis" x1="{cx:.1f}" y1="{cy:.1f}" x2="{x:.1f}" y2="{y:.1f}"/>')
        lx, ly = _point(cx, cy, radius + 22, i, count, MAX_LEVEL)
        anchor = "middle" if abs(lx - cx) < 10 else ("start" if lx > cx else "end")
        parts.append(
            f'<text class="radar__label" x="{lx:.1f}" y="{ly + 4:.1f}" text-anchor="{anchor}">'
            f"{escape(label)}</text>"
        )
    for one in series:
        points = " ".join(
            "{:.1f},{:.1f}".format(*_point(cx, cy, radius, i, count, value or 0))
            for i, value in enumerate(one.values)
        )
        parts.append(f'<polygon class="radar__series {escape(one.css_class)}" points="{points}"/>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
