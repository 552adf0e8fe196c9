"""The API answers in the language its client asks for.

Pages carry their language in the path (Arabic unprefixed, `/en/...`), so Django's
LocaleMiddleware gives every unprefixed path, `/api/` included, the default language
and ignores `Accept-Language`. An API has no prefix to choose: a client states its
language with `Accept-Language` (or the browser's language cookie, for the site's own
scripts), and error messages, field names in validation errors and choices' labels
follow it. `Content-Language` and `Vary: Accept-Language` are added by LocaleMiddleware
on the way out.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import translation

API_PREFIX = "/api/"


class ApiLanguageMiddleware:
    """Placed right after LocaleMiddleware: re-reads the language for `/api/` paths."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.startswith(API_PREFIX):
            language = translation.get_language_from_request(request, check_path=False)
            translation.activate(language)
            request.LANGUAGE_CODE = translation.get_language()
        return self.get_response(request)
