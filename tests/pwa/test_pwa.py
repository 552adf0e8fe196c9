"""The installable-app endpoints: service worker, manifest, offline page."""

import json
import re

import pytest
from django.test import override_settings

from lms.pwa import versioning


def sw_config(response) -> dict:
    match = re.search(r"const CONFIG = (\{.*?\});\n", response.content.decode())
    assert match, "the worker carries its configuration"
    return json.loads(match.group(1))


def test_service_worker_is_served_from_the_root_with_worker_headers(client, db):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert "no-cache" in response["Cache-Control"]


def test_service_worker_has_no_language_prefixed_copy(client, db):
    assert client.get("/en/sw.js").status_code == 404


def test_service_worker_precaches_the_shell_and_both_offline_pages(client, db):
    config = sw_config(client.get("/sw.js"))
    assert config["offlineUrls"] == {"ar": "/offline/", "en": "/en/offline/"}
    assert "/offline/" in config["precache"] and "/en/offline/" in config["precache"]
    assert "/static/lms/site.css" in config["precache"]
    assert "/static/lms/offline.js" in config["precache"]
    assert re.fullmatch(r"[0-9a-f]{12}", config["version"])


def test_cache_version_changes_when_a_shell_static_file_changes(monkeypatch):
    before = versioning.compute_cache_version()
    real = versioning._static_bytes

    def changed(name: str) -> bytes:
        data = real(name)
        return data + b"/* new deploy */" if name == "lms/site.css" else data

    monkeypatch.setattr(versioning, "_static_bytes", changed)
    assert versioning.compute_cache_version() != before


def test_cache_version_is_stable_between_requests(client, db):
    first = sw_config(client.get("/sw.js"))["version"]
    assert sw_config(client.get("/sw.js"))["version"] == first


def test_service_worker_removes_only_old_shell_caches(client, db):
    body = client.get("/sw.js").content.decode()
    config = sw_config(client.get("/sw.js"))
    assert "caches.delete" in body
    assert config["offlineCache"] and not config["offlineCache"].startswith(
        config["shellCachePrefix"]
    )


def test_service_worker_refuses_post(client, db):
    assert client.post("/sw.js").status_code == 405


def test_manifest_is_arabic_and_right_to_left_by_default(client, db):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["lang"] == "ar" and manifest["dir"] == "rtl"
    assert manifest["start_url"] == "/" and manifest["scope"] == "/"
    assert manifest["display"] == "standalone"


@pytest.mark.parametrize("name", ["name", "short_name"])
def test_manifest_names_are_in_arabic(client, db, name):
    manifest = json.loads(client.get("/manifest.webmanifest").content)
    assert re.search(r"[\u0600-\u06FF]", manifest[name]), manifest[name]


def test_english_manifest_is_left_to_right(client, db):
    manifest = json.loads(client.get("/en/manifest.webmanifest").content)
    assert manifest["lang"] == "en" and manifest["dir"] == "ltr"
    assert manifest["start_url"] == "/en/"


def test_manifest_icons_are_served(client, db):
    manifest = json.loads(client.get("/manifest.webmanifest").content)
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in manifest["icons"]:
        response = client.get(icon["src"])
        assert response.status_code == 200, icon["src"]
        assert response["Content-Type"] == icon["type"]


def test_offline_page_explains_what_works_offline_in_arabic(client, db):
    response = client.get("/offline/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'lang="ar"' in html and 'dir="rtl"' in html
    assert "data-offline-saved-list" in html
    assert "أنت غير متصل" in html


def test_offline_page_in_english(client, db):
    html = client.get("/en/offline/").content.decode()
    assert 'dir="ltr"' in html and "You are offline" in html


def test_every_page_links_the_manifest_and_registers_the_worker(client, db):
    html = client.get("/").content.decode()
    assert 'rel="manifest" href="/manifest.webmanifest"' in html
    assert 'data-sw-url="/sw.js"' in html
    assert 'id="offline-status"' in html


def test_save_offline_widget_carries_its_manifest_url_and_key(rf):
    from django.template.loader import render_to_string

    html = render_to_string(
        "pwa/save_offline.html",
        {"manifest_url": "/lessons/12/offline.json", "key": "lesson:12"},
    )
    assert 'data-offline-manifest="/lessons/12/offline.json"' in html
    assert 'data-offline-key="lesson:12"' in html
    assert "{size}" in html


@override_settings(DEBUG=False)
def test_cache_version_is_computed_once_per_deployment(monkeypatch):
    versioning._deployed_cache_version.cache_clear()
    calls = []
    real = versioning.compute_cache_version
    monkeypatch.setattr(
        versioning, "compute_cache_version", lambda: calls.append(1) or real()
    )
    versioning.cache_version()
    versioning.cache_version()
    versioning._deployed_cache_version.cache_clear()
    assert len(calls) == 1


def test_switching_back_to_arabic_from_an_english_page_lands_on_the_arabic_page(
    client, trainee
):
    client.force_login(trainee)
    client.post("/i18n/setlang/", {"language": "en", "next": "/dashboard/"})
    html = client.get("/en/dashboard/").content.decode()
    next_url = re.search(r'name="next" value="([^"]*)"', html).group(1)
    response = client.post("/i18n/setlang/", {"language": "ar", "next": next_url})
    assert response["Location"] == "/dashboard/"
    assert 'dir="rtl"' in client.get(response["Location"]).content.decode()


def test_offline_module_knows_who_is_signed_in(client, trainee):
    assert 'data-user=""' in client.get("/accounts/login/").content.decode()
    client.force_login(trainee)
    html = client.get("/dashboard/").content.decode()
    assert f'data-user="{trainee.pk}"' in html
