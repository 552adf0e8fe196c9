"""Evidence photos are personal files: stored privately under an unguessable name,
shown only to the test's assessor, its trainee and ministry staff, never cached."""

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

from assessments import services
from assessments.models import PracticalAssessment, PracticalEvidence
from lms.kernel.private_files import private_storage
from tests.assessments.conftest import open_practical
from tests.assessments.test_practical_and_level import photo

pytestmark = pytest.mark.django_db

UUID_NAME = re.compile(r"^assessments/evidence/[0-9a-f]{32}\.jpg$")


@pytest.fixture
def practical(rubric, eligible_trainee, assessor) -> PracticalAssessment:
    return open_practical(rubric, eligible_trainee, assessor)


@pytest.fixture
def evidence(practical, assessor) -> PracticalEvidence:
    added = services.practical_evidence_add(
        assessment_id=practical.pk,
        assessor_id=assessor.pk,
        image=photo("IMG_0001.jpg"),
        caption="اللحام",
    )
    return PracticalEvidence.objects.get(pk=added.id)


def _url(evidence: PracticalEvidence) -> str:
    return reverse("assessments:evidence_photo", args=[evidence.pk])


def _files_under(root) -> list[Path]:
    return [p for p in Path(root).rglob("*") if p.is_file()]


def test_a_photo_lands_in_the_private_folder_under_an_unguessable_name(evidence):
    assert UUID_NAME.match(evidence.image.name), evidence.image.name
    stored = Path(settings.PRIVATE_MEDIA_ROOT) / evidence.image.name
    assert stored.is_file() and stored.read_bytes().startswith(b"\xff\xd8")
    assert _files_under(settings.MEDIA_ROOT) == []


def test_the_tablet_upload_stores_the_photo_privately(client, practical, assessor):
    client.force_login(assessor)
    url = reverse("assessments:practical_score", args=[practical.pk])
    client.post(url, {"upload": "1", "image": photo("before.jpg"), "caption": "قبل"})
    evidence = practical.evidence.get()
    assert UUID_NAME.match(evidence.image.name)
    assert _files_under(settings.MEDIA_ROOT) == []
    page = client.get(url).content.decode()
    assert _url(evidence) in page
    assert evidence.image.name not in page and settings.MEDIA_URL not in page


def _staff_of(make_user, directorate: str):
    from lms.accounts.services import staff_directorate_assign

    user = make_user("ministry_staff", is_staff=True)
    staff_directorate_assign(user_id=user.pk, directorate_code=directorate)
    return user


@pytest.fixture
def head_office_staff(make_user):
    return _staff_of(make_user, "HQ")


@pytest.mark.parametrize("who", ["assessor", "trainee", "head_office_staff"])
def test_the_assessor_the_trainee_and_ministry_staff_get_the_photo(
    client, evidence, who, request
):
    client.force_login(request.getfixturevalue(who))
    response = client.get(_url(evidence))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == evidence.image.open("rb").read()
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "private, no-store"


def test_staff_see_it_in_the_trainee_s_directorate_only(
    client, evidence, trainee, make_user
):
    from tests.factories import make_national_id

    trainee.national_id = make_national_id(governorate="13")  # born in Sharqia
    trainee.save()
    client.force_login(_staff_of(make_user, "13"))
    assert client.get(_url(evidence)).status_code == 200
    client.force_login(_staff_of(make_user, "01"))  # another directorate's
    assert client.get(_url(evidence)).status_code == 404
    client.force_login(make_user("ministry_staff", is_staff=True))  # in none
    assert client.get(_url(evidence)).status_code == 404


def test_another_trainee_gets_404(client, evidence, make_user):
    client.force_login(make_user("trainee"))
    assert client.get(_url(evidence)).status_code == 404


def test_another_assessor_gets_404(client, evidence, make_user):
    client.force_login(make_user("assessor"))
    assert client.get(_url(evidence)).status_code == 404


def test_a_former_assessor_without_the_role_gets_404(client, evidence, assessor):
    assessor.groups.clear()
    client.force_login(assessor)
    assert client.get(_url(evidence)).status_code == 404


def test_a_content_editor_gets_404(client, evidence, content_editor):
    client.force_login(content_editor)
    assert client.get(_url(evidence)).status_code == 404


def test_a_photo_that_does_not_exist_gets_404(client, assessor):
    client.force_login(assessor)
    missing = reverse("assessments:evidence_photo", args=[999999])
    assert client.get(missing).status_code == 404


def test_anonymous_is_sent_to_sign_in(client, evidence):
    response = client.get(_url(evidence))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse(settings.LOGIN_URL))


def test_behind_nginx_the_answer_is_an_internal_redirect(
    client, evidence, trainee, settings
):
    settings.PRIVATE_FILES_SERVE = "accel"
    client.force_login(trainee)
    response = client.get(_url(evidence))
    assert response.status_code == 200 and response.content == b""
    assert response["X-Accel-Redirect"] == f"/_private/{evidence.image.name}"
    assert response["Cache-Control"] == "private, no-store"


def test_a_file_that_is_not_a_picture_type_is_never_shown_inline(
    client, evidence, assessor
):
    name = private_storage().save(
        "assessments/evidence/renamed.html", ContentFile(b"x")
    )
    PracticalEvidence.objects.filter(pk=evidence.pk).update(image=name)
    client.force_login(assessor)
    response = client.get(_url(evidence))
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment")


def test_deleting_a_photo_deletes_its_private_file(
    evidence, django_capture_on_commit_callbacks
):
    name = evidence.image.name
    assert private_storage().exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        evidence.delete()
    assert not private_storage().exists(name)


# --- the data migration ------------------------------------------------------------
MIGRATION = importlib.import_module(
    "assessments.migrations.0006_move_evidence_to_private"
)


def _old_style(practical, name: str, data: bytes = b"photo") -> PracticalEvidence:
    """A row as stored before: a guessable name in the public media store."""
    default_storage.save(name, ContentFile(data))
    row = PracticalEvidence.objects.create(assessment=practical, image="x.jpg")
    PracticalEvidence.objects.filter(pk=row.pk).update(image=name)
    return row


def test_the_migration_moves_old_photos_into_the_private_store(practical, capsys):
    old = "assessments/evidence/2026/11/photo1.jpg"
    row = _old_style(practical, old, b"old bytes")
    missing = _old_style(practical, "assessments/evidence/2026/11/gone.jpg")
    default_storage.delete("assessments/evidence/2026/11/gone.jpg")

    MIGRATION.forwards(django_apps, None)

    row.refresh_from_db()
    assert UUID_NAME.match(row.image.name)
    assert private_storage().open(row.image.name).read() == b"old bytes"
    assert not default_storage.exists(old)
    missing.refresh_from_db()
    assert missing.image.name == "assessments/evidence/2026/11/gone.jpg"
    assert "gone.jpg is missing" in capsys.readouterr().out

    MIGRATION.forwards(django_apps, None)  # again: nothing changes
    moved = row.image.name
    row.refresh_from_db()
    assert row.image.name == moved and private_storage().exists(moved)
