"""The UI shell: Arabic first and RTL, the language switch, budgets."""

from __future__ import annotations

import gzip
import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_home_is_arabic_rtl_by_default(client):
    html = client.get("/").content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "انتقل إلى المحتوى" in html  # skip link, translated


def test_language_switch_to_english_turns_the_page_ltr_and_back(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response["Location"] == "/en/"
    html = client.get(response["Location"]).content.decode()
    assert '<html lang="en" dir="ltr">' in html
    assert "Skip to content" in html

    response = client.post(reverse("set_language"), {"language": "ar", "next": "/en/"})
    assert response["Location"] == "/"
    assert 'dir="rtl"' in client.get("/").content.decode()


def test_language_switch_keeps_the_page_the_trainee_was_on(client):
    response = client.post(
        reverse("set_language"), {"language": "en", "next": "/accounts/login/"}
    )
    assert response["Location"] == "/en/accounts/login/"


def test_dashboard_needs_login_and_shows_the_three_slots(client, trainee):
    assert client.get(reverse("home:dashboard")).status_code == 302
    client.force_login(trainee)
    html = client.get(reverse("home:dashboard")).content.decode()
    for heading in ("دوراتي", "الفصول المباشرة القادمة", "شهاداتي"):
        assert heading in html


def test_shell_html_css_js_stays_under_30_kb_compressed(client):
    html = client.get("/").content
    css_urls = re.findall(rb'href="(/static/[^"]+\.css)"', html)
    js_urls = re.findall(rb'src="(/static/[^"]+\.js)"', html)
    total = len(gzip.compress(html))
    for url in css_urls + js_urls:
        body = b"".join(client.get(url.decode()).streaming_content)
        total += len(gzip.compress(body))
    assert css_urls, "the shell links its stylesheet"
    assert total < 30 * 1024


def test_api_schema_and_docs_are_served(client):
    schema = client.get("/api/v1/schema/")
    assert schema.status_code == 200
    assert b"openapi" in schema.content
    assert client.get("/api/v1/docs/").status_code == 200


def test_admins_are_mounted(client):
    assert client.get("/cms/").status_code == 302  # to the Wagtail login
    assert client.get("/django-admin/").status_code == 302


def test_language_switch_refuses_an_unknown_language(client):
    response = client.post(reverse("set_language"), {"language": "fr", "next": "/"})
    assert response.status_code == 400


def test_language_switch_never_redirects_to_another_site(client):
    response = client.post(
        reverse("set_language"), {"language": "en", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/en/"


def test_a_field_s_help_text_is_what_its_input_is_described_by():
    """Screen readers read the help (the import's columns, say) with the field."""
    from django import forms
    from django.template.loader import render_to_string

    class Form(forms.Form):
        file = forms.FileField(help_text="CSV or XLSX")

    html = render_to_string("includes/form.html", {"form": Form()})
    described_by = re.search(r'aria-describedby="([^"]+)"', html).group(1)
    assert f'<small id="{described_by}">CSV or XLSX</small>' in html
