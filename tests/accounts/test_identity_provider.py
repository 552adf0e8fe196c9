"""Verification of a national-ID claim through an OpenID Connect provider (the fake
in fake_oidc.py speaks the protocol over HTTP): code flow with PKCE, state and nonce,
the ID token checked against the provider's JWKS; every bad token is refused."""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.urls import reverse
from django.utils import translation

from lms.accounts.models import NationalIdClaim
from lms.accounts.services import user_register_trainee
from tests.accounts.fake_oidc import FakeProvider
from tests.factories import make_national_id

pytestmark = pytest.mark.django_db


@pytest.fixture
def provider(settings):
    from django.core.cache import cache

    with FakeProvider() as fake:
        settings.OIDC_ISSUER = fake.issuer
        settings.OIDC_CLIENT_ID = fake.client_id
        settings.OIDC_CLIENT_SECRET = fake.client_secret
        settings.OIDC_NATIONAL_ID_CLAIM = "national_id"
        cache.clear()
        yield fake
        cache.clear()


@pytest.fixture
def trainee_with_claim(db):
    return user_register_trainee(
        national_id=make_national_id(),
        full_name_ar="منى أحمد",
        phone="01012345678",
        password="Kh!yata-2026x",
    )


def claim_state(user) -> str:
    return NationalIdClaim.objects.get(user=user).state


def round_trip(client, provider):
    """Start, let the provider authorize (as the browser would), come back."""
    start = client.post(reverse("accounts:identity_provider_start"))
    assert start.status_code == 302
    authorize = start["Location"]
    assert authorize.startswith(f"{provider.issuer}/authorize?")
    query = parse_qs(urlsplit(authorize).query)
    assert query["code_challenge_method"] == ["S256"]
    assert query["state"][0] and query["nonce"][0]
    answer = requests.get(authorize, allow_redirects=False, timeout=5)
    assert answer.status_code == 302
    back = urlsplit(answer.headers["Location"])
    assert back.path == reverse("accounts:identity_provider_callback")
    return client.get(f"{back.path}?{back.query}", follow=True)


def test_the_provider_verifies_the_claim(client, provider, trainee_with_claim):
    provider.national_id = trainee_with_claim.national_id
    client.force_login(trainee_with_claim)
    page = round_trip(client, provider)
    assert page.status_code == 200
    claim = NationalIdClaim.objects.get(user=trainee_with_claim)
    assert (claim.state, claim.method) == ("verified", "identity_provider")
    assert claim.provider_subject == "person-123"
    assert 'data-claim="verified"' in page.content.decode()
    sent = provider.token_requests[-1]
    assert sent["grant_type"] == "authorization_code" and sent["code_verifier"]
    assert trainee_with_claim.national_id not in str(page.redirect_chain)


def test_the_national_id_claim_name_is_configurable(
    client, provider, trainee_with_claim, settings
):
    settings.OIDC_NATIONAL_ID_CLAIM = "eg_nid"
    provider.tweak = {"claims": {"eg_nid": trainee_with_claim.national_id}}
    client.force_login(trainee_with_claim)
    round_trip(client, provider)
    assert claim_state(trainee_with_claim) == "verified"


BAD_TOKENS = {
    "bad_signature": {"sign_with_other_key": True},
    "unknown_key": {"kid": "not-published"},
    "wrong_audience": {"claims": {"aud": "another-client"}},
    "wrong_issuer": {"claims": {"iss": "http://127.0.0.1:1"}},
    "wrong_nonce": {"claims": {"nonce": "replayed-nonce"}},
    "expired": {
        "claims": {"exp": int(time.time()) - 3600, "iat": int(time.time()) - 7200}
    },
    "no_subject": {"drop": ["sub"]},
    "no_nonce": {"drop": ["nonce"]},
}


@pytest.mark.parametrize("kind", list(BAD_TOKENS))
def test_a_bad_id_token_is_refused(client, provider, trainee_with_claim, kind):
    provider.national_id = trainee_with_claim.national_id
    provider.tweak = BAD_TOKENS[kind]
    client.force_login(trainee_with_claim)
    page = round_trip(client, provider)
    assert claim_state(trainee_with_claim) == "claimed"
    assert 'data-claim="unverified"' in page.content.decode()


def test_another_national_id_from_the_provider_verifies_nothing(
    client, provider, trainee_with_claim
):
    provider.national_id = make_national_id()
    client.force_login(trainee_with_claim)
    round_trip(client, provider)
    assert claim_state(trainee_with_claim) == "claimed"


def test_a_callback_with_a_forged_state_is_refused_before_the_token_call(
    client, provider, trainee_with_claim
):
    provider.national_id = trainee_with_claim.national_id
    client.force_login(trainee_with_claim)
    start = client.post(reverse("accounts:identity_provider_start"))
    answer = requests.get(start["Location"], allow_redirects=False, timeout=5)
    back = urlsplit(answer.headers["Location"])
    code = parse_qs(back.query)["code"][0]
    client.get(back.path, {"code": code, "state": "forged"})
    assert provider.token_requests == []
    assert claim_state(trainee_with_claim) == "claimed"


def test_the_provider_refuses_a_wrong_pkce_verifier(
    client, provider, trainee_with_claim
):
    provider.national_id = trainee_with_claim.national_id
    client.force_login(trainee_with_claim)
    start = client.post(reverse("accounts:identity_provider_start"))
    session = client.session
    session["oidc_request"] = {**session["oidc_request"], "code_verifier": "x" * 60}
    session.save()
    answer = requests.get(start["Location"], allow_redirects=False, timeout=5)
    back = urlsplit(answer.headers["Location"])
    client.get(f"{back.path}?{back.query}")
    assert len(provider.token_requests) == 1
    assert claim_state(trainee_with_claim) == "claimed"


def test_the_provider_is_off_when_not_configured(client, trainee_with_claim, settings):
    settings.OIDC_ISSUER = ""
    client.force_login(trainee_with_claim)
    page = client.get(reverse("accounts:identity")).content.decode()
    assert reverse("accounts:identity_provider_start") not in page
    assert client.post(reverse("accounts:identity_provider_start")).status_code == 404
    callback = reverse("accounts:identity_provider_callback")
    assert client.get(callback).status_code == 404


def test_anonymous_visitors_cannot_start(client, provider):
    response = client.post(reverse("accounts:identity_provider_start"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_redirect_uri_is_the_same_in_english(client, provider, trainee_with_claim):
    """Providers compare the redirect URI exactly: one URI to register."""
    provider.national_id = trainee_with_claim.national_id
    client.force_login(trainee_with_claim)
    path = reverse("accounts:identity_provider_start")
    with translation.override("ar"):  # the /en/ request leaves English active
        english = client.post("/en" + path)
    arabic = client.post(reverse("accounts:identity_provider_start"))
    uris = {
        parse_qs(urlsplit(r["Location"]).query)["redirect_uri"][0]
        for r in (english, arabic)
    }
    assert uris == {"http://testserver/accounts/identity/provider/callback/"}
