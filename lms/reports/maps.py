"""A tile map of Egypt's governorates coloured by one figure, as inline SVG.

Drawn on the server from `map_layout` (no map tiles, scripts or fonts from another
host). Never mirrored: north is up and east right in Arabic too. Each tile carries
its governorate's name and figure as text and a `<title>` ("Cairo: 1,234"), and the
page puts the same figures in the table beside it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from lms.reports.charts import FONT, ltr
from lms.reports.map_layout import MAP_TILES

TILE = 56
STEP = 60
PAD = 6
# light → dark; a figure's class is its share of the largest figure shown
SHADES = ("#e3f2ec", "#a9d9c5", "#66b89a", "#2d8a6c", "#0b5d4b")
ZERO = "#f4f4f4"
HIDDEN = "#d4d4d4"
OUTSIDE = "#ffffff"


@dataclass(frozen=True)
class MapTile:
    code: str
    name: str
    value: int | None  # None: hidden by the small-cell rule
    display: str  # the figure as the tables show it
    in_scope: bool = True


@dataclass(frozen=True)
class MapLegend:
    """The legend's words, translated by the caller."""

    hidden: str
    zero: str
    outside: str
    note: str


def shade(value: int | None, top: int) -> str:
    if value is None:
        return HIDDEN
    if value <= 0 or top <= 0:
        return ZERO
    index = min(len(SHADES) - 1, (len(SHADES) * value - 1) // top)
    return SHADES[index]


def class_bounds(top: int) -> list[tuple[int, int]]:
    """The figures each shade stands for: (lowest, highest), light to dark."""
    n = len(SHADES)
    bounds = []
    for i in range(n):
        low = max(1, (top * i) // n + 1)
        high = max(low, (top * (i + 1)) // n)
        bounds.append((low, high))
    return bounds


def tile_map(
    tiles: list[MapTile],
    *,
    title: str,
    desc: str,
    legend: MapLegend,
    rtl: bool,
    number=str,
) -> SafeString:
    """The map and its legend; `number` formats a legend bound as the tables do."""
    by_code = {t.code: t for t in tiles}
    top = max([t.value or 0 for t in tiles if t.in_scope] + [0])
    columns = 1 + max(c for c, _r in MAP_TILES.values())
    rows = 1 + max(r for _c, r in MAP_TILES.values())
    width = PAD * 2 + columns * STEP
    legend_top = PAD + rows * STEP + 10
    height = legend_top + 7 * 18 + 10
    uid = abs(hash((title, desc))) % 10**8
    direction = "rtl" if rtl else "ltr"
    body = []
    for code, (col, row) in MAP_TILES.items():
        tile = by_code.get(code) or MapTile(code, code, 0, "0")
        x, y = PAD + col * STEP, PAD + row * STEP
        fill = shade(tile.value, top) if tile.in_scope else OUTSIDE
        dark = fill in SHADES[3:]
        ink = "#ffffff" if dark else "#1a1a1a"
        figure = ltr(tile.display) if tile.in_scope else "·"
        label = f"{tile.name}: {figure}" if tile.in_scope else tile.name
        dash = "" if tile.in_scope else ' stroke-dasharray="3 3"'
        body.append(
            f'<g class="tile" data-code="{escape(code)}" role="img" '
            f'aria-label="{escape(label)}"><title>{escape(label)}</title>'
            f'<rect x="{x}" y="{y}" width="{TILE}" height="{TILE}" rx="4" '
            f'fill="{fill}" stroke="#7a7a7a"{dash}></rect>'
            f'<text x="{x + TILE / 2}" y="{y + 22}" text-anchor="middle" '
            f'font-size="8.5" fill="{ink}">{escape(tile.name)}</text>'
            f'<text x="{x + TILE / 2}" y="{y + 40}" text-anchor="middle" '
            f'font-size="11" font-weight="bold" fill="{ink}">{escape(figure)}</text>'
            "</g>"
        )
    entries = (
        [
            (SHADES[i], f"{number(lo)}–{number(hi)}")
            for i, (lo, hi) in enumerate(class_bounds(top))
        ]
        if top
        else []
    )
    entries += [(ZERO, legend.zero), (HIDDEN, legend.hidden), (OUTSIDE, legend.outside)]
    body.append(f'<g class="legend" direction="{direction}">')
    for i, (fill, text) in enumerate(entries):
        y = legend_top + i * 18
        shown = escape(ltr(text) if fill in SHADES else text)
        swatch_x = width - PAD - 14 if rtl else PAD
        text_x = width - PAD - 20 if rtl else PAD + 20
        body.append(
            f'<rect x="{swatch_x}" y="{y}" width="14" height="12" fill="{fill}" '
            f'stroke="#7a7a7a"></rect><text x="{text_x}" y="{y + 10}" '
            f'text-anchor="start">{shown}</text>'
        )
    body.append("</g>")
    return mark_safe(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="group" aria-labelledby="t{uid} d{uid}" '
        f'class="chart map" direction="{direction}" {FONT}>'
        f'<title id="t{uid}">{escape(title)}</title>'
        f'<desc id="d{uid}">{escape(desc)} {escape(legend.note)}</desc>'
        + "".join(body)
        + "</svg>"
    )
