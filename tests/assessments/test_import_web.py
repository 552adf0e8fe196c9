"""The content team's web import: upload → preview (created, changed, unchanged,
refused with reasons and positions) → confirmation committing exactly that plan;
a stale preview is refused; the export download; who may use them."""

import re
from xml.etree.ElementTree import fromstring

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.importers import parse_file
from assessments.models import Question
from assessments.selectors.banks import questions_awaiting_review
from assessments.services import question_create, questions_import
from assessments.services.bank_editing import question_publish
from lms.kernel.private_files import private_storage
from tests.assessments.conftest import DATA

GIFT = (
    "$CATEGORY: $course$/top/Electrics/Safety\n\n"
    "::volts:: Mains voltage? {#230:10~#Look at the label}\n\n"
    "::broken:: Not closed {=a ~b\n\n"
    "::fuse:: A fuse protects the wiring. {T}\n"
)


def url(bank, name="bank_import"):
    return reverse(f"assessments:{name}", args=[bank.slug])


def upload(client, bank, text=GIFT, name="bank.gift"):
    return client.post(
        url(bank), {"file": SimpleUploadedFile(name, text.encode(), "text/plain")}
    )


def hidden(page: str, field: str) -> str:
    return re.search(rf'name="{field}" value="([^"]*)"', page).group(1)


def confirm(client, bank, page: str):
    return client.post(
        url(bank),
        {
            "token": hidden(page, "token"),
            "fingerprint": hidden(page, "fingerprint"),
            "file_name": hidden(page, "file_name"),
        },
        follow=True,
    )


def staged_files(bank, user) -> list[str]:
    try:
        return private_storage().listdir(f"assessments/imports/{bank.pk}/{user.pk}")[1]
    except FileNotFoundError:
        return []


def test_preview_lists_what_will_happen_and_saves_nothing(client, bank, content_editor):
    client.force_login(content_editor)
    response = upload(client, bank)
    page = response.content.decode()
    assert response.status_code == 200
    assert "2 new, 0 changed, 0 unchanged, 1 refused, 0 skipped." in page
    assert 'class="import-refused"' in page and "not closed" in page
    assert "<bdi>5</bdi>" in page  # the refused question's line
    assert "Electrics/Safety" in page
    assert not bank.questions.exists()
    assert len(staged_files(bank, content_editor)) == 1


def test_confirmation_commits_the_preview_and_forgets_the_file(
    client, bank, content_editor
):
    client.force_login(content_editor)
    page = upload(client, bank).content.decode()
    done = confirm(client, bank, page).content.decode()
    assert "Import done: 2 new, 0 changed, 0 unchanged, 1 refused." in done
    assert set(bank.questions.values_list("name", flat=True)) == {"volts", "fuse"}
    assert bank.questions.get(name="volts").topic.name == "Electrics/Safety"
    assert staged_files(bank, content_editor) == []
    again = upload(client, bank).content.decode()
    assert "0 new, 0 changed, 2 unchanged, 1 refused" in again


def test_a_changed_question_gets_a_new_version_that_waits_for_review(
    client, bank, content_editor, content_reviewer
):
    questions_import(
        bank_id=bank.pk, parsed=parse_file(name="a.gift", content=GIFT.encode())
    )
    fuse = bank.questions.get(name="fuse")
    in_use = fuse.current_version
    client.force_login(content_editor)
    edited = GIFT.replace("protects the wiring. {T}", "protects the cable. {T}")
    page = upload(client, bank, edited).content.decode()
    assert "0 new, 1 changed, 1 unchanged, 1 refused" in page
    confirm(client, bank, page)
    fuse.refresh_from_db()
    assert fuse.versions.count() == 2
    # exams go on drawing the version in use until a reviewer publishes the new one
    assert fuse.current_version == in_use
    draft = fuse.versions.get(number=2)
    assert draft.is_draft and draft.review_requested_by == content_editor
    assert draft.stem == "A fuse protects the cable." and draft.name == "fuse"
    assert bank.questions.count() == 2
    assert "2 unchanged" in upload(client, bank, edited).content.decode()

    question_publish(question_id=fuse.pk, user_id=content_reviewer.pk)
    fuse.refresh_from_db()
    assert fuse.current_version == draft and fuse.name == "fuse"


def test_an_editor_s_import_waits_for_a_reviewer_and_is_not_drawn(
    client, bank, content_editor
):
    """An import is no way around the review the editor's own drafts need."""
    client.force_login(content_editor)
    confirm(client, bank, upload(client, bank).content.decode())
    for question in bank.questions.all():
        assert question.current_version is None  # out of use: exams draw nothing
        (version,) = question.versions.all()
        assert version.is_draft and version.review_requested_at is not None
        assert version.topic_id == question.topic_id and version.name == question.name
    assert questions_awaiting_review() == 2


def test_a_reviewer_s_import_is_in_use_at_once(client, bank, content_reviewer):
    client.force_login(content_reviewer)
    confirm(client, bank, upload(client, bank).content.decode())
    for question in bank.questions.all():
        assert question.current_version is not None
        assert not question.current_version.is_draft


def test_a_stale_preview_is_refused_and_the_fresh_plan_shown(
    client, bank, content_editor
):
    client.force_login(content_editor)
    page = upload(client, bank).content.decode()
    question_create(  # someone changes the bank meanwhile
        bank_id=bank.pk,
        topic_name="Electrics/Safety",
        kind="true_false",
        stem="A fuse protects the wiring.",
        data={"answer": True},
        name="fuse",
    )
    response = confirm(client, bank, page)
    text = response.content.decode()
    assert "The bank changed since this preview" in text
    assert bank.questions.count() == 1
    assert "1 new, 0 changed, 1 unchanged, 1 refused" in text
    done = confirm(client, bank, text).content.decode()
    assert "Import done: 1 new" in done
    assert bank.questions.count() == 2


def test_another_person_cannot_confirm_someone_s_upload(
    client, bank, content_editor, content_reviewer
):
    client.force_login(content_editor)
    page = upload(client, bank).content.decode()
    client.force_login(content_reviewer)
    response = confirm(client, bank, page)
    assert "no longer waiting for confirmation" in response.content.decode()
    assert not bank.questions.exists()


def test_a_tampered_token_is_refused(client, bank, content_editor):
    client.force_login(content_editor)
    response = client.post(
        url(bank), {"token": "../../etc/passwd", "fingerprint": "x"}, follow=True
    )
    assert "no longer waiting for confirmation" in response.content.decode()


def test_an_unsafe_file_is_refused_whole_and_kept_nowhere(client, bank, content_editor):
    client.force_login(content_editor)
    bomb = (DATA / "entity_bomb.xml").read_text()
    page = upload(client, bank, bomb, "bomb.xml").content.decode()
    assert "refused for safety" in page
    assert 'name="token"' not in page
    assert staged_files(bank, content_editor) == []


def test_a_file_of_another_type_is_refused(client, bank, content_editor):
    client.force_login(content_editor)
    page = upload(client, bank, "x", "questions.docx").content.decode()
    assert "Choose a Moodle XML (.xml) or GIFT (.gift, .txt) file." in page


@pytest.mark.parametrize(
    "role", ["trainee", "assessor", "ministry_staff", "instructor"]
)
def test_only_the_content_team_imports_and_exports(client, bank, make_user, role):
    client.force_login(make_user(role))
    assert client.get(url(bank)).status_code == 403
    assert upload(client, bank).status_code == 403
    assert client.get(url(bank, "bank_export")).status_code == 403
    assert not bank.questions.exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, bank):
    assert client.get(url(bank)).status_code == 302
    assert client.get(url(bank, "bank_export")).status_code == 302


def test_an_unknown_bank_is_a_404(client, content_reviewer, db):
    client.force_login(content_reviewer)
    assert client.get("/question-banks/nope/import/").status_code in (302, 404)
    assert (
        client.get(reverse("assessments:bank_import", args=["nope"])).status_code == 404
    )


def test_export_downloads_the_bank_as_moodle_xml(client, bank, content_reviewer):
    path = DATA / "refrigeration_ac.xml"
    questions_import(
        bank_id=bank.pk, parsed=parse_file(name=path.name, content=path.read_bytes())
    )
    client.force_login(content_reviewer)
    response = client.get(url(bank, "bank_export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    assert f'filename="{bank.slug}.xml"' in response["Content-Disposition"]
    quiz = fromstring(response.content)
    names = {q.findtext("name/text") for q in quiz.findall("question")}
    assert (
        set(Question.objects.filter(bank=bank).values_list("name", flat=True)) <= names
    )


def test_bank_list_links_import_and_export_for_the_content_team(
    client, bank, content_editor, ministry_staff
):
    client.force_login(content_editor)
    page = client.get(reverse("assessments:bank_list")).content.decode()
    assert url(bank) in page and url(bank, "bank_export") in page
    client.force_login(ministry_staff)
    page = client.get(reverse("assessments:bank_list")).content.decode()
    assert url(bank) not in page
