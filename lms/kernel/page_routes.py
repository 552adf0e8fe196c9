"""Finding the page for an address without walking the page tree on every request.

Wagtail routes `/courses/tailoring/basics/measuring/` by asking each level for its
child (a query per level), then asks the database for the view restrictions of the
page and its ancestors (two more). The pages change when an editor publishes, not
between two trainees' requests: this module keeps, per process,
- which site answers a host and port,
- which page (id and type) answers a site's path,
- which page paths carry a view restriction,
under the "pages" cache generation (lms.kernel.page_cache bumps it on publish,
unpublish, move and delete; restrictions and sites bump it too), so a request costs
one query for the page itself. What is not simple is left to Wagtail: a page whose
`route()` takes the rest of the path (routable pages), an alias, a page that is no
longer live (Wagtail then answers 404), and every address seen the first time.

`serve` replaces Wagtail's view for the site's pages (lms/urls.py); page models
that use :class:`KnownRestrictions` skip the restriction queries when the kept list
says none applies, and a model's `route_select_related` names the foreign keys its
template reads (fetched with the page).
"""

from __future__ import annotations

import threading
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.http import HttpRequest, HttpResponse
from wagtail.models import Page, PageViewRestriction, Site

from lms.kernel.page_cache import kept_version

MAX_ROUTES = 20_000
_lock = threading.Lock()
_state: dict[str, Any] = {"generation": None, "sites": {}, "routes": {}, "locks": None}


def _current() -> dict[str, Any]:
    """This process's kept routes, emptied when the generation moved."""
    generation = kept_version()
    if _state["generation"] != generation:
        with _lock:
            if _state["generation"] != generation:
                _state.update(generation=generation, sites={}, routes={}, locks=None)
    return _state


def _restricted_paths(state: dict[str, Any]) -> tuple[str, ...]:
    paths = state["locks"]
    if paths is None:
        paths = tuple(PageViewRestriction.objects.values_list("page__path", flat=True))
        state["locks"] = paths
    return paths


def _site(request: HttpRequest, state: dict[str, Any]) -> Site | None:
    key = (request._get_raw_host(), request.get_port())  # type: ignore[attr-defined]
    sites = state["sites"]
    if key not in sites:
        sites[key] = Site._find_for_request(request)
    return sites[key]


def _load(page_id: int, content_type_id: int) -> Page | None:
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    if model is None:
        return None
    pages = model._default_manager.filter(pk=page_id, live=True)
    related = getattr(model, "route_select_related", ())
    if related:  # what the page's template reads of its foreign keys, in the same query
        pages = pages.select_related(*related)
    return pages.first()


def route(request: HttpRequest, path: str) -> None:
    """Set Wagtail's route for this request from the kept routes when possible."""
    state = _current()
    site = _site(request, state)
    if site is None:
        return
    request._wagtail_site = site  # type: ignore[attr-defined]
    key = (site.pk, path)
    known = state["routes"].get(key)
    page = _load(*known) if known else None
    if page is None:
        result = Page.route_for_request(
            request, path
        )  # Wagtail's walk, cached on request
        if result is None:
            return
        page, args, kwargs = result
        if args or kwargs or page.alias_of_id or not page.live:
            return
        with _lock:
            if len(state["routes"]) >= MAX_ROUTES:
                state["routes"].clear()
            state["routes"][key] = (page.pk, page.content_type_id)
    else:
        request._wagtail_route_for_request = (page, [], {})  # type: ignore[attr-defined]
    if not page.alias_of_id and not any(
        page.path.startswith(locked) for locked in _restricted_paths(state)
    ):
        page._maharat_unrestricted = True  # read by KnownRestrictions


def serve(request: HttpRequest, path: str) -> HttpResponse:
    from wagtail import views as wagtail_views  # not at import: models import this

    route(request, path)
    return wagtail_views.serve(request, path)


class KnownRestrictions:
    """Page mixin: no restriction query for a page `route` found unrestricted."""

    def get_view_restrictions(self):  # type: ignore[no-untyped-def]
        if getattr(self, "_maharat_unrestricted", False):
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()  # type: ignore[misc]


def connect_invalidation() -> None:
    """Restrictions and sites change routing: the same generation is bumped."""
    from django.db.models.signals import post_delete, post_save

    from lms.kernel.page_cache import pages_changed

    def changed(sender: Any, **kwargs: Any) -> None:
        pages_changed()

    for model in (PageViewRestriction, Site):
        post_save.connect(
            changed, sender=model, dispatch_uid=f"routes_{model.__name__}"
        )
        post_delete.connect(
            changed, sender=model, dispatch_uid=f"routes_del_{model.__name__}"
        )
