"""Originals (lessons filmed with people, recordings of live classes) live in the
private store under unguessable names; only the public HLS outputs are in /media/.
Content editors and reviewers download an original from the Videos admin."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import pytest
from django.apps import apps as django_apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from lms.kernel.private_files import private_storage
from media_pipeline import services
from media_pipeline.models import VideoAsset

pytestmark = pytest.mark.django_db

UUID_NAME = re.compile(r"^videos/originals/[0-9a-f]{32}\.mp4$")


def _files_under(root) -> list[str]:
    root = Path(root)
    return sorted(
        p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()
    )


def _never_stored(response) -> bool:
    """private, no-store (the admin adds its own never-cache directives to it)."""
    directives = {d.strip() for d in response["Cache-Control"].split(",")}
    return {"private", "no-store"} <= directives


@pytest.fixture
def stored(db) -> VideoAsset:
    asset = VideoAsset(title="درس اللحام")
    asset.original.save("welding lesson.mp4", ContentFile(b"original bytes"))
    return asset


def test_a_private_original_is_transcoded_end_to_end(clips):
    data = services.video_asset_ingest(
        file_path=str(clips["tiny"]), title="Private", run_now=True
    )
    assert data.status == VideoAsset.Status.READY
    asset = VideoAsset.objects.get(pk=data.id)
    assert UUID_NAME.match(asset.original.name), asset.original.name
    assert _files_under(settings.PRIVATE_MEDIA_ROOT) == [asset.original.name]
    public = _files_under(settings.MEDIA_ROOT)
    assert public and all(n.startswith(f"{asset.output_prefix}/") for n in public)
    assert f"{asset.output_prefix}/master.m3u8" in public


def test_the_original_has_no_public_url(stored):
    assert not default_storage.exists(stored.original.name)
    assert not stored.original.url.startswith(settings.MEDIA_URL)


@pytest.mark.parametrize("who", ["content_editor", "content_reviewer"])
def test_editors_and_reviewers_download_the_original(client, stored, who, request):
    client.force_login(request.getfixturevalue(who))
    response = client.get(reverse("media_original", args=[stored.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"original bytes"
    assert response["Content-Disposition"].startswith("attachment")
    assert _never_stored(response)


def test_behind_nginx_the_download_is_an_internal_redirect(
    client, stored, content_editor, settings
):
    settings.PRIVATE_FILES_SERVE = "accel"
    client.force_login(content_editor)
    response = client.get(reverse("media_original", args=[stored.pk]))
    assert response.status_code == 200 and response.content == b""
    assert response["X-Accel-Redirect"] == f"/_private/{stored.original.name}"
    assert _never_stored(response)
    assert response["Content-Disposition"].startswith("attachment; filename*=UTF-8''")


def test_a_trainee_cannot_download_an_original(client, stored, trainee):
    client.force_login(trainee)
    response = client.get(reverse("media_original", args=[stored.pk]))
    assert response.status_code in (302, 403)
    assert b"original bytes" not in b"".join(getattr(response, "streaming_content", []))


def test_an_instructor_with_admin_access_cannot_download_an_original(
    client, stored, make_user
):
    from django.contrib.auth.models import Permission

    user = make_user("instructor")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    response = client.get(reverse("media_original", args=[stored.pk]))
    # the admin turns PermissionDenied into "back to the dashboard" with a message
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")


def test_anonymous_is_sent_to_sign_in(client, stored):
    response = client.get(reverse("media_original", args=[stored.pk]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_videos_list_links_each_original_to_its_download(
    client, stored, content_reviewer
):
    client.force_login(content_reviewer)
    response = client.get(reverse("wagtailsnippets_media_pipeline_videoasset:list"))
    html = response.content.decode()
    assert reverse("media_original", args=[stored.pk]) in html
    assert stored.original.name not in html


def test_the_edit_form_links_the_current_original_to_its_download(
    client, stored, content_editor
):
    client.force_login(content_editor)
    edit = reverse("wagtailsnippets_media_pipeline_videoasset:edit", args=[stored.pk])
    html = client.get(edit).content.decode()
    assert f'href="{reverse("media_original", args=[stored.pk])}"' in html
    assert "private-files-have-no-url" not in html


def test_deleting_an_asset_deletes_its_private_original(
    stored, django_capture_on_commit_callbacks
):
    name = stored.original.name
    assert private_storage().exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        services.video_asset_delete(asset_id=stored.pk)
    assert not private_storage().exists(name)


# --- the data migration ------------------------------------------------------------
MIGRATION = importlib.import_module(
    "media_pipeline.migrations.0005_move_originals_to_private"
)


def _old_style(name: str, data: bytes) -> VideoAsset:
    """A row as stored before: a guessable name in the public media store."""
    default_storage.save(name, ContentFile(data))
    asset = VideoAsset.objects.create(title="Old", original="x.mp4")
    VideoAsset.objects.filter(pk=asset.pk).update(original=name)
    return asset


def test_the_migration_moves_old_originals_and_skips_missing_ones(capsys):
    old = "videos/originals/2026/10/lesson.mp4"
    asset = _old_style(old, b"old original")
    gone = _old_style("videos/originals/2026/10/gone.mp4", b"x")
    default_storage.delete("videos/originals/2026/10/gone.mp4")

    MIGRATION.forwards(django_apps, None)

    asset.refresh_from_db()
    assert UUID_NAME.match(asset.original.name)
    assert private_storage().open(asset.original.name).read() == b"old original"
    assert not default_storage.exists(old)
    assert not Path(settings.MEDIA_ROOT, old).exists()
    gone.refresh_from_db()
    assert gone.original.name == "videos/originals/2026/10/gone.mp4"
    assert "gone.mp4 is missing" in capsys.readouterr().out

    moved = asset.original.name
    MIGRATION.forwards(django_apps, None)
    asset.refresh_from_db()
    assert asset.original.name == moved


def test_the_migration_backwards_returns_files_to_the_public_store(stored):
    name = stored.original.name
    MIGRATION.backwards(django_apps, None)
    stored.refresh_from_db()
    assert stored.original.name == name
    assert default_storage.open(name).read() == b"original bytes"
    assert not private_storage().exists(name)
