"""Horizontal bar charts as plain geometry, drawn as SVG by templates/insights/_chart.html.

No JavaScript and no external service: the server computes every bar's position; colours come from
classes in static/css/insights.css (the CSP forbids style attributes).
"""

from __future__ import annotations

from dataclasses import dataclass, field

WIDTH = 420  # drawn at about this size on a phone, so 14px labels stay readable
LABEL_WIDTH = 150  # room for "หมวด 3" or a region's name on the left
VALUE_ROOM = 44  # room for the number after the longest bar
ROW = 30
BAR = 20
PAD = 8


@dataclass
class Bar:
    label: str
    value: int
    tooltip: str
    y: int = 0
    width: float = 0.0

    @property
    def text_y(self) -> int:
        return self.y + BAR // 2 + 5


@dataclass
class BarChart:
    id: str
    title: str
    bars: list[Bar] = field(default_factory=list)
    width: int = WIDTH
    label_width: int = LABEL_WIDTH

    @property
    def height(self) -> int:
        return max(1, len(self.bars)) * ROW + 2 * PAD

    @property
    def maximum(self) -> int:
        return max((b.value for b in self.bars), default=0)

    def value_x(self, bar: Bar) -> float:
        return self.label_width + bar.width + 6


def bar_chart(chart_id: str, title: str, rows: list[tuple[str, int, str]]) -> BarChart:
    """rows: (label, value, tooltip) in display order."""
    chart = BarChart(chart_id, title)
    top = max((value for _l, value, _t in rows), default=0)
    room = WIDTH - LABEL_WIDTH - VALUE_ROOM
    for index, (label, value, tooltip) in enumerate(rows):
        width = room * value / top if top else 0.0
        if value and width < 2:
            width = 2.0  # a non-zero value is never invisible
        chart.bars.append(Bar(label, value, tooltip, y=PAD + index * ROW, width=round(width, 1)))
    return chart
