"""The public directory of test centres: the map of Egypt, the list, "near me"."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from lms.kernel.errors import NotFound
from lms.kernel.headers import allow_geolocation
from skilltests import selectors
from skilltests.egypt_map import centre_map_svg
from skilltests.forms import governorate_choices
from skilltests.geo import DELTA, EGYPT, governorate_points
from skilltests.selectors.build import governorate_name


def directory(request: HttpRequest) -> HttpResponse:
    """Centres by governorate and occupation; with `near`, nearest first from that
    governorate's capital (the browser's own position is used by the page's script
    only, never sent)."""
    query = request.GET
    governorates = dict(governorate_choices())
    governorate = query.get("governorate", "")
    near = query.get("near", "")
    occupation = query.get("occupation", "")
    trades = selectors.occupations_tested()
    centres = selectors.centre_list(
        governorate_code=governorate if governorate in governorates else "",
        occupation_code=occupation if occupation in {t.code for t in trades} else "",
        near_governorate=near if near in governorates else "",
    )
    point = governorate_points().get(near)
    here = None
    if point is not None:
        here = (
            point.latitude,
            point.longitude,
            _("Your governorate: %(name)s") % {"name": governorate_name(near)},
        )
    nearest = centres[0].code if here and centres else ""
    maps = [
        centre_map_svg(
            centres,
            frame=EGYPT,
            key="map-egypt",
            title=_("Map of Egypt with %(n)s test centres") % {"n": len(centres)},
            here=here,
            highlight=nearest,
        ),
        centre_map_svg(
            centres,
            frame=DELTA,
            key="map-delta",
            title=_("The Delta, Cairo and the Canal, enlarged"),
            here=here,
            highlight=nearest,
        ),
    ]
    response = render(
        request,
        "skilltests/centres.html",
        {
            "centres": centres,
            "maps": maps,
            "trades": trades,
            "governorates": governorates.items(),
            "filters": query,
            "near_name": governorate_name(near) if point else "",
        },
    )
    return allow_geolocation(response)


def centre(request: HttpRequest, code: str) -> HttpResponse:
    try:
        found = selectors.centre_get(code=code)
    except NotFound:
        raise Http404 from None
    svg = centre_map_svg(
        [found],
        frame=EGYPT,
        key="map-centre",
        title=_("Where %(name)s is") % {"name": found.name},
        highlight=found.code,
    )
    return render(
        request,
        "skilltests/centre.html",
        {
            "centre": found,
            "map": svg,
            "sessions": selectors.centre_sessions_upcoming(centre_code=found.code),
        },
    )
