"""What every answer tells the browser: the CSP (no inline code, nothing from another
host), the Permissions-Policy, and who may keep a copy (Cache-Control)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse
from rest_framework.authtoken.models import Token

from lms.kernel.headers import ResponseHeadersMiddleware

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def directives(response) -> dict[str, list[str]]:
    policy = response.headers["Content-Security-Policy"]
    out = {}
    for part in policy.split(";"):
        name, *sources = part.split()
        out[name] = sources
    return out


def sources_on_other_hosts(policy: dict[str, list[str]]) -> set[str]:
    keywords = {"'self'", "'none'", "'unsafe-inline'", "data:", "blob:"}
    return {
        s
        for sources in policy.values()
        for s in sources
        if s not in keywords and not s.startswith(("ws://127.0.0.1", "wss://"))
    }


# --- Content-Security-Policy ---------------------------------------------------------
def test_site_pages_carry_a_strict_enforced_policy(client):
    response = client.get(reverse("courses:catalog"))
    assert "Content-Security-Policy-Report-Only" not in response.headers
    policy = directives(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]  # no inline, no handler, no eval
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'self'"]
    assert "'self'" in policy["worker-src"]  # the PWA's /sw.js
    assert set(policy["img-src"]) >= {"'self'", "data:", "blob:"}
    assert sources_on_other_hosts(policy) == set()


def test_connect_src_names_the_sites_own_websocket_origin(client, settings):
    """The classroom's WebSocket, derived from SITE_URL (http → ws)."""
    assert settings.SITE_URL == "http://127.0.0.1:8000"
    policy = directives(client.get(reverse("courses:catalog")))
    assert policy["connect-src"] == ["'self'", "ws://127.0.0.1:8000"]


@pytest.mark.parametrize("path", ["/cms/login/", "/django-admin/login/"])
def test_admin_sites_get_their_own_policy_still_nothing_from_another_host(client, path):
    response = client.get(path)
    assert response.status_code == 200
    policy = directives(response)
    assert policy["script-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["style-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["object-src"] == ["'none'"]
    assert sources_on_other_hosts(policy) == set()


def _csp_answer(path: str, *, nonce: bool = False, **own):
    """SiteCSPMiddleware's answer to a GET of `path`: built once, or (a nonce
    used, a decorator's policy on the answer) through django-csp's own path."""
    from lms.kernel.csp import SiteCSPMiddleware

    middleware = SiteCSPMiddleware(lambda request: HttpResponse())
    request = RequestFactory().get(path)
    middleware.process_request(request)
    used = str(request.csp_nonce) if nonce else None
    response = HttpResponse()
    for name, value in own.items():
        setattr(response, name, value)
    return request, middleware.process_response(request, response), used


@pytest.mark.parametrize("path", ["/courses/", "/cms/login/"])
def test_the_policy_built_once_is_the_one_django_csp_builds(path):
    from csp.middleware import CSPMiddleware

    from lms.kernel.csp import SiteCSPMiddleware

    for _ in range(2):  # built, then reused
        _request, kept, _nonce = _csp_answer(path)
        middleware = SiteCSPMiddleware(lambda request: HttpResponse())
        request = RequestFactory().get(path)
        middleware.process_request(request)
        plain = CSPMiddleware.process_response(middleware, request, HttpResponse())
        assert (
            kept.headers["Content-Security-Policy"]
            == (plain.headers["Content-Security-Policy"])
        )
    assert ("'unsafe-inline'" in kept.headers["Content-Security-Policy"]) == (
        path.startswith("/cms/")
    )


def test_a_changed_policy_setting_shows_on_the_next_answer(settings):
    _csp_answer("/courses/")  # built under the first settings
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'none'"]}}
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = {
        "DIRECTIVES": {"default-src": ["'self'"], "report-uri": "/csp-report/"}
    }
    _request, response, _nonce = _csp_answer("/courses/")
    assert response.headers["Content-Security-Policy"] == "default-src 'none'"
    assert (
        "report-uri /csp-report/"
        in (response.headers["Content-Security-Policy-Report-Only"])
    )


def test_a_nonce_or_a_views_own_policy_is_not_the_shared_header(settings):
    from csp.constants import NONCE

    settings.CONTENT_SECURITY_POLICY = {
        "DIRECTIVES": {"default-src": ["'self'"], "script-src": ["'self'", NONCE]}
    }
    _request, response, nonce = _csp_answer("/courses/", nonce=True)
    assert f"'nonce-{nonce}'" in response.headers["Content-Security-Policy"]
    _request, response, _nonce = _csp_answer(
        "/courses/", _csp_update={"frame-src": ["https://meet.example.org"]}
    )
    assert (
        "frame-src https://meet.example.org"
        in (response.headers["Content-Security-Policy"])
    )
    _request, response, _nonce = _csp_answer("/courses/", _csp_exempt=True)
    assert "Content-Security-Policy" not in response.headers
    _request, response, _nonce = _csp_answer("/courses/")
    assert "nonce" not in response.headers["Content-Security-Policy"]
    assert "meet.example.org" not in response.headers["Content-Security-Policy"]


def test_a_nonce_asked_for_after_the_header_is_written_is_an_error():
    from csp.exceptions import CSPNonceError

    request, _response, _nonce = _csp_answer("/courses/")
    with pytest.raises(CSPNonceError):
        str(request.csp_nonce)


def test_api_docs_load_redoc_from_our_static_files(client, trainee):
    client.force_login(trainee)
    response = client.get("/api/v1/docs/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<script src="/api/v1/docs/bundles/redoc.standalone.js">' in html
    assert "cdn" not in html.lower() and "googleapis" not in html
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    policy = directives(response)
    assert policy["script-src"] == ["'self'"]
    assert sources_on_other_hosts(policy) == set()


def _browser_templates() -> list[Path]:
    """Every template a browser renders outside the admin sites (the `*_pdf.html`
    templates, the certificate's and the appointment slip's, are turned into PDFs
    on the server)."""
    skip = ("/admin/", "_pdf.html", "/e2e/")
    return [
        p
        for p in ROOT.glob("*/**/templates/**/*.html")
        if ".venv" not in p.parts and not any(s in str(p) for s in skip)
    ]


def test_no_template_has_inline_script_handler_style_or_javascript_url():
    """The policy would block them: the page would break, silently."""
    templates = _browser_templates()
    assert len(templates) > 40
    offences = []
    for path in templates:
        html = path.read_text(encoding="utf-8")
        for pattern in (
            r"<script(?![^>]*\bsrc=)",
            r"<style",
            r"\sstyle\s*=",
            r"\son[a-z]+\s*=\s*[\"']",
            r"javascript:",
        ):
            if re.search(pattern, html, re.IGNORECASE):
                offences.append(f"{path.relative_to(ROOT)}: {pattern}")
    assert offences == []


# --- Permissions-Policy --------------------------------------------------------------
@pytest.mark.parametrize(
    "path", ["/catalog/", "/api/v1/verify/ABC/", "/no-such-page/", "/cms/login/"]
)
def test_every_answer_turns_powerful_features_off(client, path):
    policy = client.get(path).headers["Permissions-Policy"]
    for feature in ("camera", "microphone", "display-capture", "geolocation"):
        assert f"{feature}=()" in policy
    for feature in ("payment", "usb", "serial", "hid"):
        assert f"{feature}=()" in policy


# --- Cache-Control ------------------------------------------------------------------
def test_anonymous_public_pages_stay_cacheable(client):
    response = client.get(reverse("courses:catalog"))
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
    assert "private" not in response.get("Cache-Control", "")


def test_every_page_for_a_signed_in_user_is_private(client, trainee):
    client.force_login(trainee)
    for url in (reverse("courses:catalog"), reverse("home:dashboard")):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == "private, no-store", url


def test_an_api_answer_to_a_token_holder_is_private(client, trainee):
    token = Token.objects.create(user=trainee)
    response = client.get(
        "/api/v1/docs/", headers={"Authorization": f"Token {token.key}"}
    )
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize(
    "name", ["accounts:login", "accounts:signup", "accounts:password_reset"]
)
def test_account_pages_are_private_before_sign_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    # Django's login view says never_cache itself, which is as strict: kept
    assert {"private", "no-store"} <= set(re.split(r",\s*", response["Cache-Control"]))


def test_a_form_sent_back_with_errors_is_private(client):
    """The signup page with an error shows the national ID that was typed."""
    response = client.post(reverse("accounts:signup"), {"national_id": "2900101"})
    assert response.status_code == 400
    assert response["Cache-Control"] == "private, no-store"


def _through_middleware(request, *, cache_control: str | None):
    def view(_request):
        response = HttpResponse("x")
        if cache_control:
            response["Cache-Control"] = cache_control
        return response

    return ResponseHeadersMiddleware(view)(request)


def test_a_view_that_said_no_store_keeps_its_own_header(trainee):
    request = RequestFactory().get("/certificates/")
    request.user = trainee
    strict = "max-age=0, no-cache, no-store, must-revalidate, private"
    assert _through_middleware(request, cache_control=strict)["Cache-Control"] == strict
    loose = _through_middleware(request, cache_control="public, max-age=3600")
    assert loose["Cache-Control"] == "private, no-store"


def test_static_files_and_public_media_stay_cacheable_for_signed_in_users(
    trainee, settings
):
    for path in (f"{settings.STATIC_URL}lms/site.css", f"{settings.MEDIA_URL}a.webp"):
        request = RequestFactory().get(path)
        request.user = trainee
        response = _through_middleware(request, cache_control="public, max-age=60")
        assert response["Cache-Control"] == "public, max-age=60", path
