"""How the page models reach the code that renders them, without importing it.

A page's context (outline, progress, enrolment) and its POST handling are built from
the app's selectors and services, which import these models; so the models may not
import them back (.importlinter: "courses page models import nothing above them").
`courses.page_views` registers one renderer per page type here when the app is ready
(`CoursesConfig.ready`), and each page's `get_context`/`serve` only looks it up.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse

ContextBuilder = Callable[[Any, HttpRequest], dict[str, Any]]
# Returns a response to answer with, or None to let Wagtail serve the page as usual.
ServeHandler = Callable[[Any, HttpRequest], HttpResponse | None]


@dataclass(frozen=True)
class PageRenderer:
    context: ContextBuilder
    serve: ServeHandler | None = None


_renderers: dict[str, PageRenderer] = {}


def register(
    model: type, *, context: ContextBuilder, serve: ServeHandler | None = None
) -> None:
    """Say how pages of `model` get their context (and, optionally, answer a POST)."""
    _renderers[model.__name__] = PageRenderer(context=context, serve=serve)


def _renderer(page: Any) -> PageRenderer:
    renderer = _renderers.get(type(page).__name__)
    if renderer is None:
        raise ImproperlyConfigured(
            f"No renderer for {type(page).__name__}: courses.page_views registers "
            "them in CoursesConfig.ready()."
        )
    return renderer


def page_context(page: Any, request: HttpRequest) -> dict[str, Any]:
    """The page type's own context, added to Wagtail's."""
    return _renderer(page).context(page, request)


def page_serve(page: Any, request: HttpRequest) -> HttpResponse | None:
    """The page type's answer to this request, or None to serve the page as usual."""
    serve = _renderer(page).serve
    return serve(page, request) if serve is not None else None
