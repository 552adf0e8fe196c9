"""The error body in the OpenAPI schema, on every operation that can answer it.

``DEFAULT_SCHEMA_CLASS`` is :class:`ApiSchema`: beside each operation's own answers it
documents the error answers the server really gives — 400 when the operation takes a
body or parameters, 403 unless anyone may call it, 404 when the path names an object,
429 when the view is throttled — each with the one body of :mod:`.errors`. A view
documents its other refusals (409 ...) with ``extend_schema(responses={409:
ERROR_RESPONSE})``.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.permissions import AllowAny


class ErrorSerializer(serializers.Serializer):
    """What every refusal answers."""

    code = serializers.CharField(
        help_text="Stable code a client can branch on (invalid, forbidden, "
        "not_found, conflict, rate_limited, ...)."
    )
    message = serializers.CharField(
        help_text="What went wrong, for a person to act on."
    )
    fields = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Messages per input field (empty when the error is not about one).",
    )

    class Meta:
        ref_name = "Error"


ERROR_RESPONSE = OpenApiResponse(ErrorSerializer, description="Refused.")

_DESCRIPTIONS = {
    "400": "The request is not valid (see `fields`).",
    "401": "Not signed in.",
    "403": "Not signed in, or not allowed.",
    "404": "Not found.",
    "409": "Refused in the present state.",
    "429": "Too many requests; retry after the `Retry-After` header's seconds.",
}


_RETRY_AFTER = {
    "schema": {"type": "integer", "minimum": 0},
    "description": "Seconds until the next request is accepted.",
}


class ApiSchema(AutoSchema):
    def _error_codes(self) -> list[str]:
        codes = []
        view = self.view
        has_params = bool(
            self._get_filter_parameters()
            or self._get_pagination_parameters()
            or self.get_override_parameters()
        )
        if self.method in ("POST", "PUT", "PATCH") or has_params:
            codes.append("400")
        permissions = getattr(view, "permission_classes", [])
        if not all(p is AllowAny for p in permissions) or not permissions:
            codes.append("403")
        if "{" in self.path:
            codes.append("404")
        if getattr(view, "throttle_classes", None):
            codes.append("429")
        return codes

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        for code in self._error_codes():
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    ErrorSerializer, code, direction=direction
                )
                responses[code]["description"] = _DESCRIPTIONS[code]
        for code, response in list(responses.items()):
            if code[:1] in "45" and not response.get("content"):
                # A refusal declared without a body (``409: None``) answers the Error.
                responses[code] = self._get_response_for_code(
                    ErrorSerializer, code, direction=direction
                )
                responses[code]["description"] = response.get("description") or (
                    _DESCRIPTIONS.get(code, "Refused.")
                )
            elif code in _DESCRIPTIONS and not response.get("description"):
                response["description"] = _DESCRIPTIONS[code]
        if "429" in responses:
            responses["429"]["headers"] = {"Retry-After": _RETRY_AFTER}
        return responses
