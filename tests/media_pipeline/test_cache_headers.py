"""Public media: immutable names cached for a year, playlists for seconds — on the
Django-served path and in the nginx config the production scripts write."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import RequestFactory

from media_pipeline import media_serve

ROOT = Path(__file__).resolve().parents[2]
YEAR = "public, max-age=31536000, immutable"

CASES = [
    ("videos/assets/7/abc/240p/seg_0000.ts", YEAR),
    ("videos/assets/7/abc/poster.jpg", YEAR),
    ("videos/assets/7/abc/thumbnails.jpg", YEAR),
    ("videos/assets/7/abc/offline-360p.mp4", YEAR),
    ("videos/captions/2026/12/ar-0123456789abcdef.vtt", YEAR),
    ("videos/assets/7/abc/master.m3u8", "public, max-age=10"),
    ("videos/assets/7/abc/240p/index.m3u8", "public, max-age=10"),
    ("videos/assets/7/abc/subtitles/ar.m3u8", "public, max-age=10"),
]


@pytest.mark.parametrize(("name", "expected"), CASES)
def test_django_serves_media_with_their_lifetimes(name, expected, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    default_storage.save(name, ContentFile(b"x"))
    response = media_serve.serve(RequestFactory().get("/media/" + name), name)
    assert response.status_code == 200
    assert response["Cache-Control"] == expected


def _rendered_nginx() -> str:
    spec = importlib.util.spec_from_file_location(
        "render_nginx", ROOT / "scripts/prod/render_nginx.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    template = (ROOT / "scripts/prod/nginx.conf.template").read_text()
    env = {n: f"/srv/{n.lower()}" for n in re.findall(r"\$\{([A-Z_]+)\}", template)}
    env["WEB_UPSTREAMS"] = "127.0.0.1:18900"
    return module.render(env)


def _blocks(text: str) -> dict[str, str]:
    """Each location's own directives (nested blocks removed), by its argument."""
    out: dict[str, str] = {}
    for m in re.finditer(r"location\s+([^{]+?)\s*\{", text):
        depth, i, own = 1, m.end(), []
        while depth:
            ch = text[i]
            depth += ch == "{"
            depth -= ch == "}"
            if depth == 1 and ch != "}":
                own.append(ch)
            i += 1
        out[m.group(1).strip()] = "".join(own)
    return out


def _cache(block: str) -> str:
    return re.search(r'Cache-Control "([^"]+)"', block).group(1)


def test_nginx_caches_immutable_media_for_a_year_and_playlists_for_seconds():
    blocks = _blocks(_rendered_nginx())
    assert _cache(blocks["/media/videos/assets/"]) == YEAR
    assert _cache(blocks["/media/videos/captions/"]) == YEAR
    playlist = blocks['~ "\\.m3u8$"']
    assert _cache(playlist) == "public, max-age=10"
    assert "nosniff" in playlist  # add_header in a nested block replaces the outer
    assert _cache(blocks["/media/"]) == "public, max-age=3600"


def test_nginx_serves_svg_media_sandboxed_like_django():
    """An SVG opened from its URL is a document: behind nginx it gets the same policy
    Django's media path sends (media_serve.SVG_POLICY)."""
    svg = _blocks(_rendered_nginx())['~ "\\.svg$"']
    assert f'Content-Security-Policy "{media_serve.SVG_POLICY}"' in svg
    assert "nosniff" in svg
    assert _cache(svg) == "public, max-age=3600"
