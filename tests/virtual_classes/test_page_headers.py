"""The live-class page is the one page open to the Jitsi host: its script and frame
in the CSP, camera, microphone and screen sharing in the Permissions-Policy."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db


def _directives(response) -> dict[str, list[str]]:
    policy = response.headers["Content-Security-Policy"]
    return {name: sources for name, *sources in (p.split() for p in policy.split(";"))}


def test_an_open_class_allows_the_jitsi_host_and_its_devices(
    client, student, live_class, settings
):
    settings.JITSI_DOMAIN = "meet.example.gov.eg"
    client.force_login(student)
    response = client.get(reverse("virtual_classes:detail", args=[live_class.pk]))
    assert response.status_code == 200
    jitsi = "https://meet.example.gov.eg"
    policy = _directives(response)
    assert policy["script-src"] == ["'self'", jitsi]
    assert policy["frame-src"] == ["'self'", jitsi]
    assert "'unsafe-inline'" not in policy["script-src"]
    features = response.headers["Permissions-Policy"]
    for feature in ("camera", "microphone", "display-capture"):
        assert f'{feature}=(self "{jitsi}")' in features
    assert "geolocation=()" in features and "payment=()" in features
    assert response["Cache-Control"] == "private, no-store"


def test_a_class_not_open_yet_keeps_the_strict_policy(
    client, student, make_class, settings
):
    later = make_class(starts_at=timezone.now() + dt.timedelta(days=2))
    client.force_login(student)
    response = client.get(reverse("virtual_classes:detail", args=[later.pk]))
    assert response.status_code == 200
    assert _directives(response)["script-src"] == ["'self'"]
    assert "camera=()" in response.headers["Permissions-Policy"]


def test_other_pages_never_allow_the_jitsi_host(client, student, settings):
    client.force_login(student)
    response = client.get(reverse("home:dashboard"))
    assert settings.JITSI_DOMAIN not in response.headers["Content-Security-Policy"]
    assert "camera=()" in response.headers["Permissions-Policy"]
