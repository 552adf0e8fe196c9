import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from registry.models import Certificate, ImportJob, RevocationRequest
from tests.factories import make_national_id


def test_trainee_sees_own_certificates_with_link_and_downloads(
    client, make_issued, make_user
):
    trainee = make_user("trainee")
    cert = make_issued(national_id=trainee.national_id, user_id=trainee.pk)
    other = make_issued()
    client.force_login(trainee)
    body = client.get(reverse("registry:holder_certificates")).content.decode()
    assert cert.serial_display in body and other.serial_display not in body
    assert f"/verify/{cert.serial_display}/" in body
    pdf = client.get(reverse("registry:certificate_pdf", args=[cert.serial_display]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    vc = client.get(
        reverse("registry:certificate_credential", args=[cert.serial_display])
    )
    assert vc.status_code == 200 and b"OpenBadgeCredential" in vc.content


def test_trainee_cannot_download_someone_elses_certificate(
    client, make_issued, trainee
):
    other = make_issued()
    client.force_login(trainee)
    url = reverse("registry:certificate_pdf", args=[other.serial_display])
    assert client.get(url).status_code == 404
    url = reverse("registry:certificate_credential", args=[other.serial_display])
    assert client.get(url).status_code == 404


def test_anonymous_is_sent_to_login_for_holder_view(client, db):
    response = client.get(reverse("registry:holder_certificates"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_dashboard_shows_my_certificates_panel(client, make_issued, make_user):
    trainee = make_user("trainee")
    cert = make_issued(national_id=trainee.national_id, user_id=trainee.pk)
    client.force_login(trainee)
    body = client.get(reverse("home:dashboard")).content.decode()
    assert cert.serial_display in body


def test_second_staff_member_approves_from_pending_list(
    client, make_pending, second_staff
):
    pending = make_pending()
    client.force_login(second_staff)
    assert (
        pending.serial_display
        in client.get(reverse("registry:pending")).content.decode()
    )
    url = reverse("registry:approve", args=[pending.serial_display])
    # One click is not enough: the confirm step shows the evidence first.
    step = client.post(url)
    assert step.status_code == 200 and "confirm" in step.content.decode()
    assert Certificate.objects.get(pk=pending.id).status == "pending"
    client.post(url, {"confirm": "yes"})
    assert Certificate.objects.get(pk=pending.id).status == "issued"


def test_creator_approving_from_pending_list_is_refused(
    client, make_pending, ministry_staff
):
    pending = make_pending(created_by_id=ministry_staff.pk)
    client.force_login(ministry_staff)
    client.post(
        reverse("registry:approve", args=[pending.serial_display]), {"confirm": "yes"}
    )
    assert Certificate.objects.get(pk=pending.id).status == "pending"


def test_trainee_cannot_open_staff_pages(client, trainee, make_pending):
    pending = make_pending()
    client.force_login(trainee)
    assert client.get(reverse("registry:pending")).status_code == 403
    assert client.get(reverse("registry:import_upload")).status_code == 403
    assert (
        client.post(
            reverse("registry:approve", args=[pending.serial_display])
        ).status_code
        == 403
    )
    assert (
        client.get(
            reverse("registry:revoke", args=[pending.serial_display])
        ).status_code
        == 403
    )


def test_staff_asks_for_a_revocation_and_another_confirms_it(
    client, make_issued, ministry_staff, second_staff
):
    cert = make_issued()
    client.force_login(ministry_staff)
    url = reverse("registry:revoke", args=[cert.serial_display])
    assert client.post(url, {"reason": ""}).status_code == 200
    client.post(url, {"reason": "Issued in error"})
    assert Certificate.objects.get(pk=cert.id).status == "issued"  # one person: no
    asked = RevocationRequest.objects.get(certificate_id=cert.id)
    confirm = reverse("registry:revocation_confirm", args=[asked.pk])
    refused = client.post(confirm)
    assert refused.status_code == 403
    assert "يجب أن يؤكده موظف آخر" in refused.content.decode()
    assert Certificate.objects.get(pk=cert.id).status == "issued"
    client.force_login(second_staff)
    assert (
        cert.serial_display
        in client.get(reverse("registry:revocations")).content.decode()
    )
    client.post(confirm)
    assert Certificate.objects.get(pk=cert.id).status == "revoked"


def _csv_upload(rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(
        ["national_id", "full_name_ar", "occupation_code", "skill_level", "issue_date"]
    )
    writer.writerows(rows)
    return SimpleUploadedFile(
        "paper.csv", buffer.getvalue().encode("cp1256"), "text/csv"
    )


def test_staff_upload_runs_import_task_and_shows_progress(
    client, ministry_staff, django_capture_on_commit_callbacks
):
    import datetime as dt

    nid = make_national_id(birth_date=dt.date(1975, 3, 3))
    upload = _csv_upload(
        [[nid, "وفاء", "7531", "1", "2001-01-01"], ["x", "", "", "", ""]]
    )
    client.force_login(ministry_staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("registry:import_upload"), {"file": upload})
    job = ImportJob.objects.get()
    assert response["Location"] == reverse("registry:import_status", args=[job.pk])
    job.refresh_from_db()
    assert (job.status, job.inserted, job.rejected) == ("done", 1, 1)
    status = client.get(reverse("registry:import_status_json", args=[job.pk])).json()
    assert status["percent"] == 100
    page = client.get(reverse("registry:import_status", args=[job.pk])).content.decode()
    assert "<progress" in page and "national_id" in page


def test_upload_of_other_file_types_is_refused(client, ministry_staff):
    client.force_login(ministry_staff)
    upload = SimpleUploadedFile("paper.pdf", b"%PDF-1.4", "application/pdf")
    response = client.post(reverse("registry:import_upload"), {"file": upload})
    assert response.status_code == 200
    assert ImportJob.objects.count() == 0


def test_seed_demo_hook_is_idempotent(db):
    from lms.home.seeding import seed_users
    from registry.wagtail_hooks import seed_registry_demo

    out = io.StringIO()
    seed_users(out)
    seed_registry_demo(out)
    seed_registry_demo(out)
    statuses = sorted(Certificate.objects.values_list("status", flat=True))
    assert statuses == ["issued", "pending"]


def test_the_whole_rejection_report_downloads_beyond_the_rows_listed(
    client, ministry_staff, trainee, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr("registry.importer.run.MAX_STORED_REJECTIONS", 1)
    upload = _csv_upload([["x", "", "", "", ""], ["12", "علي", "7531", "1", "bad"]])
    client.force_login(ministry_staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("registry:import_upload"), {"file": upload})
    job = ImportJob.objects.get()
    assert job.rejected == 2 and len(job.rejections) == 1
    page = client.get(reverse("registry:import_status", args=[job.pk])).content
    url = reverse("registry:import_rejections", args=[job.pk])
    assert url.encode() in page
    response = client.get(url)
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")  # Excel reads the Arabic reasons as UTF-8
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert rows[0] == ["row", "column", "reason_en", "reason_ar"]
    assert {r[0] for r in rows[1:]} == {"2", "3"}  # both bad rows, not just the first
    client.force_login(trainee)
    assert client.get(url).status_code == 403


def test_an_import_without_rejections_has_no_report(
    client, ministry_staff, django_capture_on_commit_callbacks
):
    import datetime as dt

    nid = make_national_id(birth_date=dt.date(1975, 3, 3))
    client.force_login(ministry_staff)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("registry:import_upload"),
            {"file": _csv_upload([[nid, "وفاء", "7531", "1", "2001-01-01"]])},
        )
    job = ImportJob.objects.get()
    assert job.rejected == 0 and not job.rejection_report
    url = reverse("registry:import_rejections", args=[job.pk])
    assert client.get(url).status_code == 404
