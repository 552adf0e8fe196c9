"""The published OpenAPI schema as a test oracle: real answers, taken through the WSGI
app in-process, must be what the schema says (schemathesis' response checks)."""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from werkzeug.test import Client


@cache
def api_schema() -> Any:
    document = SchemaGenerator(api_version="v1").get_schema(request=None, public=True)
    loaded = schemathesis.openapi.from_dict(document)
    loaded.app = get_wsgi_application()
    return loaded


@pytest.fixture
def one_connection():
    """Keep the test's connection (and its transaction) across requests, as Django's
    test client does: the handler would close it after each one."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def call(method: str, url: str, *, token: str | None = None, **kwargs: Any) -> Any:
    """A werkzeug answer from the app (uncompressed), for `conforms`."""
    headers = {"Accept-Encoding": "identity", **kwargs.pop("headers", {})}
    if token:
        headers["Authorization"] = f"Token {token}"
    return Client(api_schema().app).open(url, method=method, headers=headers, **kwargs)


def conforms(response: Any, path: str, method: str) -> None:
    """Raise unless the answer's status, content type and body are the documented
    ones for the operation (`path` as the schema writes it: /api/v1/x/{serial}/)."""
    api_schema()[path][method.upper()].validate_response(response)
    if response.get_data():  # a body the schema gives no type to is not described
        documented = api_schema().raw_schema["paths"][path][method.lower()]
        answer = documented["responses"].get(str(response.status_code), {})
        typed = answer.get("content", {}).get("application/json", {}).get("schema")
        assert typed, f"{method} {path} {response.status_code}: body without a type"
