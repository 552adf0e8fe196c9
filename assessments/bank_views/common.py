"""What the bank pages share: who may open them, and refusals shown by message."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest

from lms.kernel.errors import ServiceError


def refused(request: HttpRequest, exc: ServiceError) -> None:
    messages.error(request, exc.message)
