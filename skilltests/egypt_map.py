"""The test centres on a map of Egypt, as inline SVG drawn on the server from
`geo` (the project's own outline; no map tiles, scripts or fonts from another host).

Never mirrored: north is up and east right in Arabic too (`dir="ltr"`). Each centre
is a link with its name as `<title>`; the list beside the map carries the same
centres as text. The projection's numbers are on the `<svg>` element so the page's
script can place "you are here" itself (geolocation computed in the browser).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from skilltests.data import CentreData
from skilltests.geo import (
    DELTA,
    EGYPT_OUTLINE,
    NILE,
    NILE_DAMIETTA,
    NILE_ROSETTA,
    SUEZ_CANAL,
    Frame,
)


def _points(frame: Frame, line: Iterable[tuple[float, float]]) -> str:
    return " ".join("{},{}".format(*frame.project(lat, lon)) for lon, lat in line)


def _outline(frame: Frame) -> str:
    return f'<polygon class="land" points="{_points(frame, EGYPT_OUTLINE)}"/>'


def _rivers(frame: Frame) -> str:
    lines = (NILE, NILE_ROSETTA, NILE_DAMIETTA, SUEZ_CANAL)
    return "".join(
        f'<polyline class="water" points="{_points(frame, line)}"/>' for line in lines
    )


def _inset_box(frame: Frame, inset: Frame) -> str:
    x1, y1 = frame.project(inset.north, inset.west)
    x2, y2 = frame.project(inset.south, inset.east)
    return (
        f'<rect class="inset" x="{x1}" y="{y1}" width="{round(x2 - x1, 1)}" '
        f'height="{round(y2 - y1, 1)}"/>'
    )


def _centre(frame: Frame, centre: CentreData, radius: float, highlight: str) -> str:
    x, y = frame.project(centre.latitude, centre.longitude)
    url = reverse("skilltests:centre", args=[centre.code])
    label = escape(f"{centre.name} — {centre.governorate_name}")
    css = "centre near" if centre.code == highlight else "centre"
    return (
        f'<a href="{url}" data-code="{escape(centre.code)}"><title>{label}</title>'
        f'<circle class="{css}" cx="{x}" cy="{y}" r="{radius}"/></a>'
    )


def _marker(frame: Frame, here: tuple[float, float, str] | None, key: str) -> str:
    """Where the person said they are (a governorate's capital), or a hidden
    marker the page's script moves to the browser's position."""
    if here is None:
        return (
            f'<circle id="{key}-me" class="me" cx="0" cy="0" r="9" '
            'visibility="hidden"><title></title></circle>'
        )
    x, y = frame.project(here[0], here[1])
    return (
        f'<circle id="{key}-me" class="me" cx="{x}" cy="{y}" r="9">'
        f"<title>{escape(here[2])}</title></circle>"
    )


def centre_map_svg(
    centres: Sequence[CentreData],
    *,
    frame: Frame,
    key: str,
    title: str,
    here: tuple[float, float, str] | None = None,
    highlight: str = "",
) -> SafeString:
    """One map: the outline, the Nile and the Canal, each centre as a link; on the
    whole country, the box the Delta map enlarges."""
    radius = 4.5 if frame.width / (frame.east - frame.west) < 100 else 6
    width, height = round(frame.width), round(frame.height)
    inset = _inset_box(frame, DELTA) if frame is not DELTA else ""
    body = "".join(_centre(frame, c, radius, highlight) for c in centres)
    attributes = (
        f'data-west="{frame.west}" data-north="{frame.north}" '
        f'data-scale="{round(frame.scale, 4)}" data-xf="{round(frame.x_factor, 6)}"'
    )
    return mark_safe(  # noqa: S308 - every value above is escaped or a number
        f'<svg xmlns="http://www.w3.org/2000/svg" class="egypt-map" dir="ltr" '
        f'viewBox="0 0 {width} {height}" role="group" '
        f'aria-labelledby="{key}-title" id="{key}" {attributes}>'
        f'<title id="{key}-title">{escape(title)}</title>'
        f"{_outline(frame)}{_rivers(frame)}{inset}{body}{_marker(frame, here, key)}"
        "</svg>"
    )
