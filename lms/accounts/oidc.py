"""OpenID Connect relying party for one identity provider (e.g. the national
digital-ID service): authorization code flow with PKCE (S256), `state` and `nonce`,
the ID token verified against the provider's JWKS (PyJWT; requests for HTTP).

Configured by settings (OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET,
OIDC_NATIONAL_ID_CLAIM, OIDC_SCOPES); off when the issuer or the client id is unset.
Nothing here logs a token or a claim value.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import jwt
import requests
from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

from lms.kernel.errors import Invalid

ALGORITHMS = ["RS256", "ES256", "PS256"]
LEEWAY_S = 30
_DISCOVERY_TTL_S = 3600


class ProviderError(Invalid):
    """The provider's answer or ID token is refused; `code` says which check."""


@dataclass(frozen=True)
class Provider:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str


@dataclass(frozen=True)
class AuthorizationRequest:
    """Where to send the browser, and what the callback must find in the session."""

    url: str
    state: str
    nonce: str
    code_verifier: str


def enabled() -> bool:
    return bool(settings.OIDC_ISSUER and settings.OIDC_CLIENT_ID)


def _get_json(url: str) -> dict[str, Any]:
    try:
        response = requests.get(url, timeout=settings.OIDC_TIMEOUT_S)
        response.raise_for_status()
        body = response.json()
    except (requests.RequestException, ValueError):
        raise ProviderError(
            _("The identity provider cannot be reached. Try again later."),
            code="provider_unreachable",
        ) from None
    if not isinstance(body, dict):
        raise ProviderError(_("The identity provider answered wrongly."), code="bad")
    return body


def provider() -> Provider:
    """The provider's discovery document (cached an hour); its `issuer` must be the
    configured one exactly (OpenID Connect Discovery §4.3)."""
    issuer = settings.OIDC_ISSUER.rstrip("/")
    key = "oidc:discovery:" + hashlib.sha256(issuer.encode()).hexdigest()[:16]
    doc = cache.get(key)
    if doc is None:
        doc = _get_json(issuer + "/.well-known/openid-configuration")
        if doc.get("issuer", "").rstrip("/") != issuer:
            raise ProviderError(
                _("The identity provider answered wrongly."), code="issuer_mismatch"
            )
        cache.set(key, doc, _DISCOVERY_TTL_S)
    return Provider(
        issuer=doc["issuer"],
        authorization_endpoint=doc["authorization_endpoint"],
        token_endpoint=doc["token_endpoint"],
        jwks_uri=doc["jwks_uri"],
    )


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def pkce_challenge(verifier: str) -> str:
    """S256 (RFC 7636 §4.2)."""
    return _b64url(hashlib.sha256(verifier.encode("ascii")).digest())


def authorization_request(*, redirect_uri: str) -> AuthorizationRequest:
    """A fresh state, nonce and PKCE verifier, and the provider's authorize URL."""
    state = secrets.token_urlsafe(32)
    nonce = secrets.token_urlsafe(32)
    verifier = secrets.token_urlsafe(64)
    query = urlencode(
        {
            "response_type": "code",
            "client_id": settings.OIDC_CLIENT_ID,
            "redirect_uri": redirect_uri,
            "scope": settings.OIDC_SCOPES,
            "state": state,
            "nonce": nonce,
            "code_challenge": pkce_challenge(verifier),
            "code_challenge_method": "S256",
        }
    )
    endpoint = provider().authorization_endpoint
    separator = "&" if "?" in endpoint else "?"
    return AuthorizationRequest(
        url=f"{endpoint}{separator}{query}",
        state=state,
        nonce=nonce,
        code_verifier=verifier,
    )


def state_matches(expected: str | None, received: str | None) -> bool:
    return bool(expected and received) and hmac.compare_digest(
        str(expected), str(received)
    )


def code_exchange(*, code: str, redirect_uri: str, code_verifier: str) -> str:
    """The ID token the token endpoint gives for the code (client_secret_basic when
    a secret is configured, else a public client)."""
    data = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": redirect_uri,
        "code_verifier": code_verifier,
    }
    auth = None
    if settings.OIDC_CLIENT_SECRET:
        auth = (settings.OIDC_CLIENT_ID, settings.OIDC_CLIENT_SECRET)
    else:
        data["client_id"] = settings.OIDC_CLIENT_ID
    try:
        response = requests.post(
            provider().token_endpoint,
            data=data,
            auth=auth,
            headers={"Accept": "application/json"},
            timeout=settings.OIDC_TIMEOUT_S,
        )
        body = response.json()
    except (requests.RequestException, ValueError):
        body = {}
        response = None
    token = body.get("id_token") if isinstance(body, dict) else None
    if response is None or response.status_code != 200 or not token:
        raise ProviderError(
            _("The identity provider did not confirm your identity. Try again."),
            code="token_refused",
        )
    return str(token)


def _signing_key(token: str, jwks_uri: str) -> Any:
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError:
        raise _bad_token() from None
    if header.get("alg") not in ALGORITHMS:
        raise _bad_token()
    try:
        keys = jwt.PyJWKSet.from_dict(_get_json(jwks_uri)).keys
    except jwt.PyJWTError:
        raise _bad_token() from None
    kid = header.get("kid")
    for key in keys:
        if (kid is None or key.key_id == kid) and key.public_key_use in (None, "sig"):
            return key.key
    raise _bad_token()


def _bad_token() -> ProviderError:
    return ProviderError(
        _("The identity provider's answer could not be verified."),
        code="id_token_invalid",
    )


def id_token_verify(*, token: str, nonce: str) -> dict[str, Any]:
    """The ID token's claims once its signature (the provider's JWKS), issuer,
    audience (and azp), expiry, issue time and nonce are checked; else
    ProviderError `id_token_invalid`."""
    config = provider()
    key = _signing_key(token, config.jwks_uri)
    try:
        claims = jwt.decode(
            token,
            key,
            algorithms=ALGORITHMS,
            audience=settings.OIDC_CLIENT_ID,
            issuer=config.issuer,
            leeway=LEEWAY_S,
            options={"require": ["iss", "aud", "exp", "iat", "sub", "nonce"]},
        )
    except jwt.PyJWTError:
        raise _bad_token() from None
    audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
    if len(audiences) > 1 and claims.get("azp") != settings.OIDC_CLIENT_ID:
        raise _bad_token()
    if not state_matches(nonce, claims.get("nonce")):
        raise _bad_token()
    return claims


def national_id_of(claims: dict[str, Any]) -> str:
    """The configured claim's value (OIDC_NATIONAL_ID_CLAIM); ProviderError when the
    token carries none."""
    value = claims.get(settings.OIDC_NATIONAL_ID_CLAIM)
    if not value:
        raise ProviderError(
            _("The identity provider sent no national ID."),
            code="provider_national_id",
        )
    return str(value)
