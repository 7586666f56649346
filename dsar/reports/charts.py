"""Server-rendered SVG bar charts: no JavaScript, no chart library, nothing fetched.

Readable in print and in grey: bars are dark on white with their value written beside
them, and the one two-part chart (on time / late) tells its parts apart by a hatch
pattern as well as by shade. Each chart is drawn from the same rows as the table beneath
it (templates/reports/_bar_chart.html), which is the accessible version.
"""

from __future__ import annotations

from dataclasses import dataclass, field

WIDTH = 500
LABEL_WIDTH = 190
VALUE_ROOM = 60
ROW = 26
BAR = 18
TOP = 8


@dataclass(frozen=True)
class Segment:
    x: int
    width: int
    value: int
    kind: str  # "solid" or "hatched"


@dataclass(frozen=True)
class Bar:
    label: str
    value_text: str
    href: str
    y: int
    segments: list[Segment]
    end: int

    @property
    def text_y(self) -> int:
        return self.y + 14

    @property
    def value_x(self) -> int:
        return self.end + 6

    @property
    def label_x(self) -> int:
        return LABEL_WIDTH - 8


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    description: str
    bars: list[Bar]
    legend: list[tuple[str, str]] = field(default_factory=list)  # (kind, label)
    width: int = WIDTH
    label_width: int = LABEL_WIDTH

    @property
    def height(self) -> int:
        return TOP * 2 + ROW * max(len(self.bars), 1) + (ROW if self.legend else 0)

    @property
    def legend_y(self) -> int:
        return TOP + ROW * len(self.bars) + 6


def _scale(values: list[int]) -> float:
    biggest = max(values, default=0)
    return (WIDTH - LABEL_WIDTH - VALUE_ROOM) / biggest if biggest else 0.0


def bar_chart(
    chart_id: str, title: str, rows: list[tuple[str, int, str]], description: str = ""
) -> Chart:
    """One bar per (label, value, href)."""
    scale = _scale([value for _, value, _ in rows])
    bars = []
    for index, (label, value, href) in enumerate(rows):
        width = round(value * scale)
        bars.append(
            Bar(
                label=label,
                value_text=str(value),
                href=href,
                y=TOP + index * ROW,
                segments=[Segment(LABEL_WIDTH, width, value, "solid")] if value else [],
                end=LABEL_WIDTH + width,
            )
        )
    return Chart(chart_id, title, description or title, bars)


def split_chart(
    chart_id: str,
    title: str,
    rows: list[tuple[str, int, int, str]],
    parts: tuple[str, str],
    description: str = "",
) -> Chart:
    """One bar per (label, first part, second part, href): first solid, second hatched."""
    scale = _scale([a + b for _, a, b, _ in rows])
    bars = []
    for index, (label, first, second, href) in enumerate(rows):
        a, b = round(first * scale), round(second * scale)
        segments = []
        if first:
            segments.append(Segment(LABEL_WIDTH, a, first, "solid"))
        if second:
            segments.append(Segment(LABEL_WIDTH + a, b, second, "hatched"))
        bars.append(
            Bar(
                label=label,
                value_text=f"{first} / {second}",
                href=href,
                y=TOP + index * ROW,
                segments=segments,
                end=LABEL_WIDTH + a + b,
            )
        )
    legend = [("solid", parts[0]), ("hatched", parts[1])]
    return Chart(chart_id, title, description or title, bars, legend)
