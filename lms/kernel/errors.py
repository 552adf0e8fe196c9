"""Coded errors: what a boundary function raises when it refuses.

Every service or selector another app or an HTTP layer calls raises one of these (or
Django's ``ValidationError`` for field-level form errors), never a bare exception with
a string. Each carries a stable ``code`` a client can branch on, a ``message`` a person
can act on (translated), and optionally ``fields``: the field names that caused it,
each with its messages. One translator turns them into an HTTP answer
(:mod:`lms.kernel.api.errors` for the API; HTML views show ``message``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError


class ServiceError(Exception):
    """Base of the coded errors; ``status`` is the HTTP status it maps to."""

    status: int = 400
    default_code: str = "invalid"

    def __init__(
        self,
        message: str,
        *,
        code: str | None = None,
        fields: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        super().__init__(message)
        self.message = str(message)
        self.code = code or self.default_code
        self.fields: dict[str, list[str]] = {
            name: [str(m) for m in messages]
            for name, messages in (fields or {}).items()
        }

    def __str__(self) -> str:
        return self.message

    @classmethod
    def from_validation_error(
        cls, exc: DjangoValidationError, *, code: str | None = None
    ) -> ServiceError:
        """The same refusal, from Django's ValidationError (model/form validation)."""
        fields, message = validation_error_parts(exc)
        return cls(
            message, code=code or _first_code(exc) or cls.default_code, fields=fields
        )


class Invalid(ServiceError):
    """The input is wrong: the person can correct it and try again (400)."""

    status = 400
    default_code = "invalid"

    @classmethod
    def from_form(cls, form: Any) -> Invalid:
        """A bound Django form's errors: field messages apart, the rest as message."""
        fields = {
            name: [str(m) for m in messages]
            for name, messages in form.errors.items()
            if name != "__all__"
        }
        general = [str(m) for m in form.non_field_errors()]
        message = " ".join(general) or " ".join(m for ms in fields.values() for m in ms)
        return cls(message, fields=fields)


class Forbidden(ServiceError):
    """The caller may not do this (403)."""

    status = 403
    default_code = "forbidden"


class NotFound(ServiceError):
    """Nothing to act on, or nothing the caller may see (404)."""

    status = 404
    default_code = "not_found"


class Conflict(ServiceError):
    """The request is valid but the state of things refuses it (409)."""

    status = 409
    default_code = "conflict"


class RateLimited(ServiceError):
    """Too many attempts; ``retry_after`` seconds to wait, when known (429)."""

    status = 429
    default_code = "rate_limited"

    def __init__(
        self, message: str, *, retry_after: int | None = None, **kw: Any
    ) -> None:
        super().__init__(message, **kw)
        self.retry_after = retry_after


NON_FIELD = "non_field_errors"


def validation_error_parts(
    exc: DjangoValidationError,
) -> tuple[dict[str, list[str]], str]:
    """(fields, message) of a Django ValidationError: field errors apart."""
    if hasattr(exc, "error_dict"):
        fields = {
            name: [str(m) for m in DjangoValidationError(errors).messages]
            for name, errors in exc.error_dict.items()
            if name != "__all__"
        }
        general = exc.error_dict.get("__all__")
        if general:
            message = " ".join(DjangoValidationError(general).messages)
        else:
            message = " ".join(m for msgs in fields.values() for m in msgs)
        return fields, message
    return {}, " ".join(str(m) for m in exc.messages)


def _first_code(exc: DjangoValidationError) -> str | None:
    for error in exc.error_list if hasattr(exc, "error_list") else []:
        if error.code:
            return str(error.code)
    if hasattr(exc, "error_dict"):
        for errors in exc.error_dict.values():
            for error in errors:
                if error.code:
                    return str(error.code)
    return None
