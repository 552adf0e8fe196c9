"""Charts drawn on the server as inline SVG: no JavaScript, no external service.

Arabic pages mirror the charts (labels on the right, bars growing leftwards, months
running right to left). Each chart carries a title and a description for assistive
technology, and the page puts the same figures in a table under it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH = 640
LRI, PDI = "\u2066", "\u2069"  # a left-to-right isolate inside an Arabic line
BAR_H = 18
GAP = 6
FONT = 'font-family="Tahoma, Arial, sans-serif" font-size="12"'
COLORS = ("#0b5d4b", "#c9772b")


@dataclass(frozen=True)
class Bar:
    label: str
    value: float | None  # None: hidden by the small-cell rule
    display: str


def _svg(height: int, title: str, desc: str, body: list[str], rtl: bool) -> SafeString:
    uid = abs(hash((title, desc))) % 10**8
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" role="img" aria-labelledby="t{uid} d{uid}" '
        f'class="chart" direction="{"rtl" if rtl else "ltr"}" {FONT}>'
        f'<title id="t{uid}">{escape(title)}</title>'
        f'<desc id="d{uid}">{escape(desc)}</desc>' + "".join(body) + "</svg>"
    )


def bar_chart(
    bars: list[Bar], *, title: str, desc: str, rtl: bool, scale_max: float | None = None
) -> SafeString:
    """Horizontal bars, one per row; a hidden figure shows its label and "<5"."""
    label_w, value_w = 170, 70
    plot_w = WIDTH - label_w - value_w - 10
    top = max([b.value or 0 for b in bars] + [scale_max or 0, 1])
    height = max(len(bars), 1) * (BAR_H + GAP) + GAP
    body = []
    for i, bar in enumerate(bars):
        y = GAP + i * (BAR_H + GAP)
        w = 0 if bar.value is None else round(plot_w * bar.value / top, 1)
        text_y = y + BAR_H - 5
        if rtl:
            label_x, anchor_label = WIDTH - 4, "start"
            bar_x = WIDTH - label_w - w
            value_x, anchor_value = WIDTH - label_w - w - 4, "start"
        else:
            label_x, anchor_label = 4, "start"
            bar_x = label_w
            value_x, anchor_value = label_w + w + 4, "start"
        body.append(
            f'<text x="{label_x}" y="{text_y}" text-anchor="{anchor_label}">'
            f"{escape(bar.label)}</text>"
            f'<rect x="{bar_x}" y="{y}" width="{w}" height="{BAR_H}" '
            f'fill="{COLORS[0]}"></rect>'
            f'<text x="{value_x}" y="{text_y}" text-anchor="{anchor_value}">'
            f"{escape(ltr(bar.display))}</text>"
        )
    return _svg(height, title, desc, body, rtl)


def line_chart(
    labels: list[str],
    series: list[tuple[str, list[float | None]]],
    *,
    title: str,
    desc: str,
    rtl: bool,
) -> SafeString:
    """A monthly trend: one line per series; a hidden month breaks the line."""
    left, right, top_pad, bottom = 50, 20, 30, 40
    if rtl:
        left, right = right, left
    height = 260
    plot_w = WIDTH - left - right
    plot_h = height - top_pad - bottom
    peak = max([v or 0 for _, values in series for v in values] + [1])
    step = plot_w / max(len(labels) - 1, 1)

    def x_at(i: int) -> float:
        return round(WIDTH - right - i * step if rtl else left + i * step, 1)

    def y_at(v: float) -> float:
        return round(top_pad + plot_h - plot_h * v / peak, 1)

    axis_x = WIDTH - right if rtl else left
    body = [
        f'<line x1="{axis_x}" y1="{top_pad}" x2="{axis_x}" y2="{top_pad + plot_h}" '
        f'stroke="#888"></line>',
        f'<line x1="{left}" y1="{top_pad + plot_h}" x2="{WIDTH - right}" '
        f'y2="{top_pad + plot_h}" stroke="#888"></line>',
        f'<text x="{axis_x + (6 if rtl else -6)}" y="{top_pad + 4}" '
        f'text-anchor="{"start" if rtl else "end"}" direction="ltr">'
        f"{escape(_fmt(peak))}</text>",
    ]
    for i, label in enumerate(labels):
        body.append(
            f'<text x="{x_at(i)}" y="{height - 22 + (i % 2) * 12}" '
            f'text-anchor="middle">{escape(label)}</text>'
        )
    for n, (name, values) in enumerate(series):
        color = COLORS[n % len(COLORS)]
        segments: list[list[str]] = [[]]
        for i, v in enumerate(values):
            if v is None:
                segments.append([])
                continue
            segments[-1].append(f"{x_at(i)},{y_at(v)}")
            body.append(
                f'<circle cx="{x_at(i)}" cy="{y_at(v)}" r="3" fill="{color}"></circle>'
            )
        dash = "" if n == 0 else ' stroke-dasharray="6 4"'
        for points in segments:
            if len(points) > 1:
                body.append(
                    f'<polyline fill="none" stroke="{color}" stroke-width="2" '
                    f'points="{" ".join(points)}"{dash}></polyline>'
                )
        legend_x = WIDTH - 10 - n * 160 if rtl else 10 + n * 160
        swatch_x = legend_x - 14 if rtl else legend_x
        text_x = legend_x - 18 if rtl else legend_x + 18
        body.append(
            f'<rect x="{swatch_x}" y="6" width="14" height="10" fill="{color}"></rect>'
            f'<text x="{text_x}" y="15" text-anchor="start">{escape(name)}</text>'
        )
    return _svg(height, title, desc, body, rtl)


def ltr(text: str) -> str:
    """A figure kept left to right in a right-to-left line ("<5" stays "<5", "+12%"
    stays "+12%"); already isolated text is left as it is."""
    if not text or text.startswith(LRI):
        return text
    return f"{LRI}{text}{PDI}"


def _fmt(value: float) -> str:
    return f"{value:,.0f}"
