"""Notices reach phones: the SMS gateway's real HTTP client against a Twilio-shaped
server, retries and failures, the sweep after a killed worker, e-mail, and nothing
personal in an SMS."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from django.core import mail
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lms.kernel.models import Notification
from lms.kernel.notifications.data import Notice
from lms.kernel.notifications.delivery import deliver, notifications_requeue
from lms.kernel.notifications.gateways import FileGateway, MemoryGateway
from lms.kernel.notifications.services import notify
from tests.factories import UserFactory, make_national_id
from tests.kernel.fake_sms_gateway import FakeTwilio

pytestmark = pytest.mark.django_db


@pytest.fixture
def twilio(settings):
    with FakeTwilio() as gateway:
        settings.SMS_BACKEND = "twilio"
        settings.SMS_GATEWAY_URL = gateway.url
        settings.SMS_ACCOUNT_SID = gateway.account_sid
        settings.SMS_AUTH_TOKEN = gateway.auth_token
        settings.SMS_FROM = gateway.sender
        settings.SMS_TIMEOUT_S = 5
        settings.SITE_URL = "https://maharat.example.gov.eg"
        yield gateway


@pytest.fixture(autouse=True)
def _empty_sms_outbox():
    MemoryGateway.outbox.clear()


def _send(user, text="Your class was moved to Sunday.", kind="class_moved", **kw):
    def compose():
        return Notice(subject="Class moved", text=text, link="/classes/7/?x=1")

    notify(user_ids=[user.pk], kind=kind, compose=compose, **kw)
    return Notification.objects.get(user=user, kind=kind)


def test_an_sms_goes_through_the_gateways_http_api(
    twilio, django_capture_on_commit_callbacks
):
    user = UserFactory(phone="01012345678")
    with django_capture_on_commit_callbacks(execute=True):
        row = _send(user)
    (message,) = twilio.messages
    assert message["to"] == "+201012345678"
    assert message["from"] == twilio.sender
    assert message["body"] == (
        "Your class was moved to Sunday.\nhttps://maharat.example.gov.eg/classes/7/"
    )
    row.refresh_from_db()
    assert (row.status, row.channel, row.provider_ref) == (
        "sent",
        "sms",
        message["sid"],
    )
    assert row.sent_at is not None and mail.outbox == []


def test_a_sent_notice_is_not_sent_again(twilio, django_capture_on_commit_callbacks):
    user = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        row = _send(user)
    assert deliver(notification_id=row.pk) == "sent"
    assert len(twilio.messages) == 1 and twilio.requests == 1


def test_wrong_credentials_fail_at_once_with_the_providers_code(twilio, settings):
    settings.SMS_AUTH_TOKEN = "not-the-token"
    row = _send(UserFactory())
    assert deliver(notification_id=row.pk) == "failed"
    row.refresh_from_db()
    assert row.status == "failed" and row.attempts == 1
    assert row.error == "20003: HTTP 401"
    assert twilio.messages == []


def test_a_number_the_provider_refuses_is_failed_without_recording_the_number(
    twilio,
):
    user = UserFactory(phone="01112345678")
    row = _send(user)
    user.phone = "12"  # what the gateway will call an invalid 'To'
    user.save()
    assert deliver(notification_id=row.pk) == "failed"
    row.refresh_from_db()
    assert row.error.startswith("21211") and "12" not in row.error.split(":")[1]


def test_transient_errors_are_retried_with_backoff_then_sent(twilio, settings):
    settings.NOTIFICATIONS_RETRY_BASE_S = 30
    twilio.fail_next = [(503, 20503), (429, 20429)]
    row = _send(UserFactory())
    assert deliver(notification_id=row.pk) == "pending"
    row.refresh_from_db()
    assert row.error == "20503: HTTP 503"
    wait = (row.next_attempt_at - timezone.now()).total_seconds()
    assert 25 < wait <= 30
    assert deliver(notification_id=row.pk) == "busy"  # not due yet: no request
    assert twilio.requests == 1
    Notification.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
    assert deliver(notification_id=row.pk) == "pending"
    row.refresh_from_db()
    wait = (row.next_attempt_at - timezone.now()).total_seconds()
    assert 115 < wait <= 120  # 30 s × 4
    Notification.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
    assert deliver(notification_id=row.pk) == "sent"
    row.refresh_from_db()
    assert row.attempts == 3 and len(twilio.messages) == 1


def test_a_gateway_that_stays_down_fails_the_notice_after_the_last_attempt(
    twilio, settings
):
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 3
    twilio.fail_next = [(503, 20503)] * 5
    row = _send(UserFactory())
    outcomes = []
    for _attempt in range(4):
        Notification.objects.filter(pk=row.pk).update(next_attempt_at=None)
        outcomes.append(deliver(notification_id=row.pk))
    assert outcomes == ["pending", "pending", "failed", "failed"]
    row.refresh_from_db()
    assert (row.status, row.attempts, row.error) == ("failed", 3, "20503: HTTP 503")
    assert twilio.requests == 3


def test_an_unreachable_gateway_is_a_transient_error(twilio, settings):
    settings.SMS_GATEWAY_URL = "http://127.0.0.1:9"  # nothing listens
    row = _send(UserFactory())
    assert deliver(notification_id=row.pk) == "pending"
    row.refresh_from_db()
    assert row.error.startswith("unreachable")


def test_a_killed_workers_notice_is_sent_by_the_sweep_once_its_claim_is_stale(
    twilio, settings, django_capture_on_commit_callbacks
):
    settings.NOTIFICATIONS_STALE_AFTER_S = 300
    row = _send(UserFactory())  # its after-commit enqueue never ran (no commit)
    # A worker claimed it, then was killed before sending.
    Notification.objects.filter(pk=row.pk).update(
        claim_token="dead", claimed_at=timezone.now() - dt.timedelta(seconds=10)
    )
    assert deliver(notification_id=row.pk) == "busy"
    assert notifications_requeue() == 0  # a live claim is left alone
    Notification.objects.filter(pk=row.pk).update(
        claimed_at=timezone.now() - dt.timedelta(seconds=301)
    )
    assert notifications_requeue() == 1  # immediate task backend: delivered now
    row.refresh_from_db()
    assert row.status == "sent" and len(twilio.messages) == 1
    assert notifications_requeue() == 0


def test_the_sweep_leaves_a_fresh_notice_to_its_own_enqueue(twilio):
    row = _send(UserFactory())
    assert notifications_requeue() == 0
    Notification.objects.filter(pk=row.pk).update(
        created_at=timezone.now() - dt.timedelta(minutes=2)
    )
    assert notifications_requeue() == 1


def test_the_sweep_is_a_registered_periodic_job():
    from lms.ops.periodic import job_name, periodic_jobs

    assert "lms.kernel.wagtail_hooks.notifications_requeue_waiting" in {
        job_name(job) for job in periodic_jobs()
    }


def test_logs_name_neither_the_number_nor_the_text(twilio, caplog):
    caplog.set_level(logging.INFO, logger="lms.notifications")
    twilio.fail_next = [(503, 20503)]
    user = UserFactory(phone="01512345678")
    row = _send(user, text="Secret words of the notice")
    deliver(notification_id=row.pk)
    Notification.objects.filter(pk=row.pk).update(next_attempt_at=None)
    deliver(notification_id=row.pk)
    assert f"notification {row.pk}" in caplog.text
    for secret in ("01512345678", "1512345678", "Secret words"):
        assert secret not in caplog.text


# --- nothing personal in an SMS -------------------------------------------------------


def test_national_ids_phone_numbers_emails_and_names_never_reach_an_sms(
    django_capture_on_commit_callbacks,
):
    user = UserFactory(full_name_ar="سارة محمود", full_name_en="Sara Mahmoud")
    national_id = make_national_id()
    text = (
        f"سارة محمود: your ID {national_id} is verified. Call ٠١٠١٢٣٤٥٦٧٨ or "
        "+20 11 2345 6789 or write to help@maharat.gov.eg. Sara Mahmoud, the class "
        "starts 2026-12-03 18:00 in room 12."
    )
    with django_capture_on_commit_callbacks(execute=True):
        row = _send(user, text=text)
    ((to, body),) = MemoryGateway.outbox
    for personal in (
        national_id,
        "٠١٠١٢٣٤٥٦٧٨",
        "2345 6789",
        "help@maharat.gov.eg",
        "سارة",
        "Sara",
    ):
        assert personal not in body
    assert "2026-12-03 18:00 in room 12" in body  # dates and small numbers stay
    row.refresh_from_db()
    assert row.text == text  # the site's own list keeps the whole notice


def test_a_long_notice_is_cut_to_a_few_sms_parts_and_keeps_its_link(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        _send(UserFactory(), text="كلمة " * 200)
    ((_to, body),) = MemoryGateway.outbox
    assert len(body) <= 300 and body.endswith("/classes/7/")


# --- channels the person chose ------------------------------------------------------


def test_email_when_the_person_chose_email(django_capture_on_commit_callbacks):
    user = UserFactory(notification_channel="email")
    with django_capture_on_commit_callbacks(execute=True):
        row = _send(user)
    (message,) = mail.outbox
    assert message.to == [user.email] and message.subject == "Class moved"
    assert "http" in message.body and "/classes/7/" in message.body
    row.refresh_from_db()
    assert (
        row.channel == "email"
        and row.provider_ref == message.extra_headers["Message-ID"]
    )
    assert MemoryGateway.outbox == []


def test_no_mobile_falls_back_to_email_and_no_address_to_the_site(
    django_capture_on_commit_callbacks,
):
    no_phone = UserFactory(username="staff-x", phone=None)
    nothing = UserFactory(username="staff-y", phone=None, email="")
    with django_capture_on_commit_callbacks(execute=True):
        by_mail = _send(no_phone)
        site = _send(nothing)
    assert (by_mail.channel, site.channel, site.status) == ("email", "", "site_only")
    assert len(mail.outbox) == 1 and MemoryGateway.outbox == []


def test_none_keeps_ordinary_notices_on_the_site_but_not_essential_ones(
    django_capture_on_commit_callbacks,
):
    user = UserFactory(notification_channel="none")
    with django_capture_on_commit_callbacks(execute=True):
        reminder = _send(user, kind="class_reminder")
        cancelled = _send(user, kind="class_cancelled")
        forced = _send(user, kind="exam_moved", essential=True)
    assert (reminder.status, reminder.channel) == ("site_only", "")
    assert cancelled.channel == "sms" and forced.channel == "sms"
    assert len(MemoryGateway.outbox) == 2


def test_without_an_sms_gateway_notices_go_by_email(
    settings, django_capture_on_commit_callbacks
):
    settings.SMS_BACKEND = ""
    with django_capture_on_commit_callbacks(execute=True):
        row = _send(UserFactory())
    assert row.channel == "email" and len(mail.outbox) == 1


def test_notices_are_written_in_the_language_the_person_chose():
    arabic, english = UserFactory(), UserFactory(preferred_language="en")

    def compose():
        return Notice(subject=_("Log in"), text=translation.get_language())

    notify(user_ids=[arabic.pk, english.pk], kind="k", compose=compose)
    texts = dict(Notification.objects.values_list("user_id", "text"))
    assert texts[english.pk] == "en"
    assert texts[arabic.pk] == "ar"


def test_the_development_gateway_writes_each_sms_to_a_file(tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="lms.notifications")
    ref = FileGateway(directory=tmp_path).send(to="01012345678", text="مرحبا")
    (path,) = tmp_path.iterdir()
    assert ref in path.name
    assert path.read_text(encoding="utf-8") == "To: +201012345678\n\nمرحبا\n"
    assert "01012345678" not in caplog.text and ref in caplog.text


def test_class_reminders_are_written_in_each_recipients_language(
    django_capture_on_commit_callbacks,
):
    """virtual_classes' reminders go through the notices (its one reminder function)."""
    from virtual_classes.services.scheduling import _remind

    class Live:  # the fields _remind reads
        pk = 1
        course_id = 0
        instructor_id = 0
        title = "مراجعة الخياطة"
        join_early_min = 15
        starts_at = timezone.now() + dt.timedelta(minutes=30)

    english = UserFactory(preferred_language="en")
    Live.instructor_id = english.pk
    with django_capture_on_commit_callbacks(execute=True):
        assert _remind(Live) == 1
    row = Notification.objects.get(user=english)
    assert row.kind == "class_reminder" and row.link == "/en/classes/1/"
    assert row.text.startswith("Your live class “مراجعة الخياطة” starts at")
    ((_to, body),) = MemoryGateway.outbox
    assert body.endswith("/en/classes/1/")
