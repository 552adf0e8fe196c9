"""OpenAPI schema hooks."""

from __future__ import annotations

from typing import Any


def only_public_api(endpoints: list[Any]) -> list[Any]:
    """Publish /api/v1/ only: Wagtail's internal admin API is not ours to document."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith("/api/v1/")]
