"""The private store and the one way to hand a private file out."""

from __future__ import annotations

import re

import pytest
from django.core.files.base import ContentFile
from django.http import Http404

from lms.kernel.private_files import (
    UnguessableName,
    private_file_response,
    private_storage,
)


def test_private_files_land_outside_the_public_media_root(settings, tmp_path):
    name = private_storage().save("registry/imports/x.csv", ContentFile(b"id\n"))
    assert (tmp_path / "private" / name).read_bytes() == b"id\n"
    assert not (tmp_path / "media" / name).exists()


def test_private_files_have_no_public_url():
    name = private_storage().save("a.txt", ContentFile(b"x"))
    assert private_storage().url(name) == ""


def test_unguessable_names_keep_only_the_extension():
    upload_to = UnguessableName("assessments/evidence")
    first = upload_to(None, "صورة ورشة 1.JPG")
    second = upload_to(None, "صورة ورشة 1.JPG")
    assert re.fullmatch(r"assessments/evidence/[0-9a-f]{32}\.jpg", first)
    assert first != second


def test_streamed_answer_is_private_and_not_stored(settings):
    settings.PRIVATE_FILES_SERVE = "django"
    name = private_storage().save("e/photo.jpg", ContentFile(b"\xff\xd8jpeg"))
    response = private_file_response(name)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"\xff\xd8jpeg"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Type"] == "image/jpeg"


def test_behind_nginx_the_answer_is_an_internal_redirect_with_no_body(settings):
    settings.PRIVATE_FILES_SERVE = "accel"
    name = private_storage().save("registry/imports/r.csv", ContentFile(b"a,b\n"))
    response = private_file_response(
        name, download_name="رفض.csv", as_attachment=True, content_type="text/csv"
    )
    assert response["X-Accel-Redirect"] == f"/_private/{name}"
    assert response.content == b""
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Disposition"].startswith("attachment; filename*=UTF-8''")


def test_a_missing_private_file_is_not_found():
    with pytest.raises(Http404):
        private_file_response("nothing/here.pdf")
