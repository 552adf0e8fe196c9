"""The one API error body: ``{"code", "message", "fields"}``.

``REST_FRAMEWORK["EXCEPTION_HANDLER"]`` points here, so every API view answers the
same body whatever refused the request: a coded :class:`lms.kernel.errors.ServiceError`
from a service, Django's ``ValidationError``, a DRF serializer error, an unknown object
(``Http404``), a permission refusal or throttling. Status codes: 400 invalid, 401 not
signed in, 403 forbidden, 404 not found, 405, 409 conflict, 415, 429 rate limited.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import set_rollback

from lms.kernel.errors import (
    NON_FIELD,
    RateLimited,
    ServiceError,
    validation_error_parts,
)

# DRF's own codes, renamed where ours read better to a client.
_DRF_CODES = {
    "not_authenticated": "not_authenticated",
    "authentication_failed": "not_authenticated",
    "permission_denied": "forbidden",
    "not_found": "not_found",
    "method_not_allowed": "method_not_allowed",
    "unsupported_media_type": "unsupported_media_type",
    "not_acceptable": "not_acceptable",
    "throttled": "rate_limited",
    "parse_error": "invalid",
    "invalid": "invalid",
}


def error_body(
    code: str, message: str, fields: dict[str, list[str]] | None = None
) -> dict[str, Any]:
    return {"code": code, "message": message, "fields": fields or {}}


def _flatten(detail: Any) -> list[str]:
    if isinstance(detail, dict):
        return [m for value in detail.values() for m in _flatten(value)]
    if isinstance(detail, list | tuple):
        return [m for value in detail for m in _flatten(value)]
    return [str(detail)]


def _serializer_fields(detail: Any) -> tuple[dict[str, list[str]], list[str]]:
    """Field messages and the general ones of a DRF ValidationError's detail."""
    if isinstance(detail, dict):
        fields = {
            str(name): _flatten(value)
            for name, value in detail.items()
            if name not in (NON_FIELD, "detail")
        }
        general = _flatten(detail.get(NON_FIELD, [])) + _flatten(
            detail.get("detail", [])
        )
        return fields, general
    return {}, _flatten(detail)


def _first_drf_code(exc: exceptions.APIException) -> str:
    codes = exc.get_codes()
    while isinstance(codes, dict | list):
        if not codes:
            return exc.default_code
        codes = next(iter(codes.values())) if isinstance(codes, dict) else codes[0]
    return str(codes)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    headers: dict[str, str] = {}
    if isinstance(exc, ServiceError):
        body = error_body(exc.code, exc.message, exc.fields)
        http_status = exc.status
        if isinstance(exc, RateLimited) and exc.retry_after:
            headers["Retry-After"] = str(exc.retry_after)
    elif isinstance(exc, DjangoValidationError):
        fields, message = validation_error_parts(exc)
        code = next(
            (e.code for e in getattr(exc, "error_list", []) if e.code), "invalid"
        )
        body = error_body(str(code), message or _("The request is not valid."), fields)
        http_status = status.HTTP_400_BAD_REQUEST
    elif isinstance(exc, Http404):
        body = error_body("not_found", _("Not found."))
        http_status = status.HTTP_404_NOT_FOUND
    elif isinstance(exc, DjangoPermissionDenied):
        body = error_body(
            "forbidden", _("You do not have permission to perform this action.")
        )
        http_status = status.HTTP_403_FORBIDDEN
    elif isinstance(exc, exceptions.APIException):
        http_status = exc.status_code
        if isinstance(exc, exceptions.ValidationError):
            fields, general = _serializer_fields(exc.detail)
            message = " ".join(general) or " ".join(
                m for msgs in fields.values() for m in msgs
            )
            body = error_body(
                "invalid", message or _("The request is not valid."), fields
            )
        else:
            code = _first_drf_code(exc)
            body = error_body(
                _DRF_CODES.get(code, code), " ".join(_flatten(exc.detail))
            )
        auth_header = getattr(exc, "auth_header", None)
        if auth_header:
            headers["WWW-Authenticate"] = str(auth_header)
        wait = getattr(exc, "wait", None)
        if wait:
            headers["Retry-After"] = str(int(wait))
    else:
        return None
    set_rollback()
    return Response(body, status=http_status, headers=headers)


@csrf_exempt  # any method: a POST to no endpoint is a 404 too, not a CSRF page
def api_not_found(request: HttpRequest, *args: Any, **kwargs: Any) -> JsonResponse:
    """Any address under /api/v1/ that names no endpoint (an id that is not a number,
    a slug with a space): the Error body, not the site's HTML page."""
    return JsonResponse(
        error_body("not_found", _("Not found.")), status=status.HTTP_404_NOT_FOUND
    )
