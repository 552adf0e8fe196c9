"""The ASGI fast path for GET /api/v1/verify/<serial>/ (registry/verify_asgi.py):
the same answers, limit and headers as the DRF view, and everything else left to
Django. Runs on the cache the settings choose (Redis when REDIS_URL is set)."""

import asyncio

import pytest
from django.core.asgi import get_asgi_application
from django.db import connections

from lms.accounts.national_id import mask_national_id, mask_national_id_public
from registry.serials import serial_generate
from registry.throttling import VerifyThrottle
from registry.verify_asgi import VerifyFastPath
from tests.registry.helpers import revoke_by_two as certificate_revoke


@pytest.fixture
def db(committed_db):
    """The fast path and Django's ASGI handler reach the database from other threads,
    so what a test writes is committed; the module cleans up once at its end
    (tests/conftest.py committed_db)."""


class _Django:
    """Django's ASGI handler, counting the requests the fast path passed on."""

    def __init__(self):
        self.app = get_asgi_application()
        self.calls = 0

    async def __call__(self, scope, receive, send):
        self.calls += 1
        await self.app(scope, receive, send)


@pytest.fixture
async def fast():
    django = _Django()
    app = VerifyFastPath(django)
    app.django = django
    yield app
    await app.aclose()
    await _sync(connections.close_all)  # the thread _sync ran the set-up in


async def _get(
    app,
    path,
    *,
    method="GET",
    query=b"",
    headers=(),
    client=("127.0.0.1", 40000),
    scheme="http",
):
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": scheme,
        "path": path,
        "raw_path": path.encode(),
        "query_string": query,
        "root_path": "",
        "headers": [(b"host", b"testserver"), *headers],
        "client": client,
        "server": ("127.0.0.1", 8000),
    }
    messages = []
    received = False

    async def receive():
        nonlocal received
        if not received:
            received = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await asyncio.Event().wait()

    async def send(message):
        messages.append(message)

    await app(scope, receive, send)
    start = messages[0]
    headers_out = {k.decode().lower(): v.decode() for k, v in start["headers"]}
    body = b"".join(m.get("body", b"") for m in messages[1:])
    return start["status"], headers_out, body


def _drf(client, path, **extra):
    """The same request through Django, DRF and the whole middleware stack."""
    return client.get(path, **extra)


async def test_fast_path_answers_an_issued_serial_like_the_drf_view(
    fast, client, make_issued
):
    cert = await _sync(make_issued)
    path = f"/api/v1/verify/{cert.serial_display}/"
    status, headers, body = await _get(fast, path)
    assert fast.django.calls == 0
    reference = await _sync(_drf, client, path)
    assert status == reference.status_code == 200
    assert body == reference.content
    assert headers["content-type"] == "application/json"
    data = reference.json()
    assert data["status"] == "issued" and data["holder"]["name_ar"] == cert.full_name_ar


async def test_fast_path_never_shows_the_full_national_id(fast, make_issued):
    cert = await _sync(make_issued)
    _status, _headers, body = await _get(fast, f"/api/v1/verify/{cert.serial}/")
    assert cert.national_id.encode() not in body
    assert mask_national_id(cert.national_id).encode() not in body  # birth date
    assert mask_national_id_public(cert.national_id).encode() in body


@pytest.mark.parametrize("kind", ["unknown", "mistyped", "pending"])
async def test_fast_path_refuses_like_the_drf_view(fast, client, make_pending, kind):
    if kind == "unknown":
        serial = serial_generate()
    elif kind == "mistyped":
        good = serial_generate()
        serial = ("1" if good[0] != "1" else "2") + good[1:]
    else:
        serial = (await _sync(make_pending)).serial
    path = f"/api/v1/verify/{serial}/"
    status, _headers, body = await _get(fast, path)  # a cache miss: the database
    again = await _get(fast, path)  # now from the cache
    assert fast.django.calls == 0
    reference = await _sync(_drf, client, path)
    expected = {"unknown": 404, "mistyped": 400, "pending": 200}[kind]
    assert status == again[0] == reference.status_code == expected
    assert body == again[2] == reference.content
    assert (
        reference.json()["status"]
        == {
            "unknown": "unknown",
            "mistyped": "invalid",
            "pending": "pending",
        }[kind]
    )
    assert b"holder" not in body


async def test_fast_path_sees_a_revocation_at_once(fast, make_issued, ministry_staff):
    cert = await _sync(make_issued)
    path = f"/api/v1/verify/{cert.serial}/"
    assert b'"status":"issued"' in (await _get(fast, path))[2]  # cached now
    await _sync(
        certificate_revoke,
        certificate_id=cert.id,
        actor_id=ministry_staff.pk,
        reason="Issued in error",
    )
    status, _headers, body = await _get(fast, path)
    assert status == 200
    assert b'"status":"revoked"' in body and b'"valid":false' in body
    assert fast.django.calls == 0


async def test_fast_path_limits_each_client_address_and_shares_the_budget(
    fast, client, make_issued, monkeypatch
):
    monkeypatch.setattr(VerifyThrottle, "THROTTLE_RATES", {"verify": "3/min"})
    cert = await _sync(make_issued)
    path = f"/api/v1/verify/{cert.serial}/"
    codes = [(await _get(fast, path))[0] for _ in range(2)]
    codes.append((await _sync(_drf, client, path)).status_code)  # same address
    status, headers, body = await _get(fast, path)
    assert codes == [200, 200, 200] and status == 429
    assert 1 <= int(headers["retry-after"]) <= 60
    assert b"detail" in body
    other = await _get(fast, path, client=("192.0.2.7", 40000))
    assert other[0] == 200
    assert fast.django.calls == 0


async def test_fast_path_limit_ignores_a_forged_forwarded_for(
    fast, make_issued, monkeypatch
):
    monkeypatch.setattr(VerifyThrottle, "THROTTLE_RATES", {"verify": "2/min"})
    cert = await _sync(make_issued)
    codes = [
        (
            await _get(
                fast,
                f"/api/v1/verify/{cert.serial}/",
                headers=[(b"x-forwarded-for", f"10.0.0.{n}".encode())],
            )
        )[0]
        for n in range(3)
    ]
    assert codes == [200, 200, 429]


async def test_fast_path_429_speaks_the_requested_language(
    fast, make_issued, monkeypatch
):
    monkeypatch.setattr(VerifyThrottle, "THROTTLE_RATES", {"verify": "1/min"})
    cert = await _sync(make_issued)
    path = f"/api/v1/verify/{cert.serial}/"
    await _get(fast, path)
    _s, ar_headers, _b = await _get(fast, path)
    status, en_headers, body = await _get(
        fast, path, headers=[(b"accept-language", b"en")]
    )
    assert status == 429
    assert ar_headers["content-language"] == "ar"
    assert en_headers["content-language"] == "en"
    assert b"Request was throttled" in body


async def test_fast_path_adds_the_security_headers_django_would(
    fast, client, make_issued, settings
):
    settings.SECURE_HSTS_SECONDS = 3600
    cert = await _sync(make_issued)
    path = f"/api/v1/verify/{cert.serial}/"
    _s, headers, _b = await _get(fast, path, scheme="https")
    reference = await _sync(_drf, client, path, secure=True)
    for name in (
        "x-frame-options",
        "x-content-type-options",
        "referrer-policy",
        "cross-origin-opener-policy",
        "strict-transport-security",
        "cache-control",
        "permissions-policy",
        "content-security-policy",
    ):
        assert headers[name] == reference.headers[name], name
    assert headers["cache-control"] == "private, no-store"  # it names the holder
    plain = (await _get(fast, path))[1]
    assert "strict-transport-security" not in plain


@pytest.mark.parametrize(
    "request_kwargs",
    [
        {"query": b"format=api"},
        {"headers": [(b"accept", b"text/html,application/xhtml+xml")]},
        {"method": "POST"},
        {"method": "HEAD"},
    ],
    ids=["query-string", "browser", "post", "head"],
)
async def test_fast_path_leaves_other_requests_to_django(
    fast, make_issued, request_kwargs
):
    cert = await _sync(make_issued)
    await _get(fast, f"/api/v1/verify/{cert.serial}/", **request_kwargs)
    assert fast.django.calls == 1


async def test_fast_path_leaves_an_untrusted_host_to_django(fast, make_issued):
    cert = await _sync(make_issued)
    status, _h, _b = await _get(
        fast,
        f"/api/v1/verify/{cert.serial}/",
        headers=[(b"host", b"evil.example")],
    )
    assert fast.django.calls == 1 and status == 400


async def test_fast_path_leaves_plain_http_to_the_ssl_redirect(make_issued, settings):
    settings.SECURE_SSL_REDIRECT = True  # before Django's middleware reads it
    django = _Django()
    app = VerifyFastPath(django)
    cert = await _sync(make_issued)
    try:
        status, headers, _b = await _get(app, f"/api/v1/verify/{cert.serial}/")
        secure = await _get(app, f"/api/v1/verify/{cert.serial}/", scheme="https")
    finally:
        await app.aclose()
        await _sync(connections.close_all)
    assert django.calls == 1 and status == 301
    assert headers["location"].startswith("https://")
    assert secure[0] == 200


async def test_fast_path_can_be_switched_off(fast, make_issued, settings):
    settings.REGISTRY_VERIFY_FAST_PATH = False
    cert = await _sync(make_issued)
    status, _h, _b = await _get(fast, f"/api/v1/verify/{cert.serial}/")
    assert status == 200 and fast.django.calls == 1


async def _sync(function, *args, **kwargs):
    from asgiref.sync import sync_to_async

    return await sync_to_async(function, thread_sensitive=True)(*args, **kwargs)
