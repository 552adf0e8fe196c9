"""A large batch is approved by the task worker, not inside the reviewer's request:
the page shows it approving, nothing in it is valid before the run, conflicts found by
the run put it back in review, and a run lost with its worker is asked for again."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from lms.kernel.errors import Conflict, Forbidden
from registry.importer import import_file
from registry.models import Certificate, ImportBatch
from registry.services import (
    import_batch_approval_run,
    import_batch_approval_start,
    import_batch_approvals_requeue,
    import_batch_reject,
)
from tests.factories import make_national_id
from tests.registry.test_batches import BORN, _csv, _row

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _small_inline_limit(settings):
    settings.REGISTRY_BATCH_APPROVE_INLINE_MAX = 1  # two rows are "large" here


def _batch(tmp_path, actor, rows=None) -> int:
    rows = rows or [_row(), _row("عمرو خالد")]
    return import_file(_csv(tmp_path, rows), actor_id=actor.pk).import_batch_id


def _statuses(batch_id) -> set[str]:
    return set(
        Certificate.objects.filter(import_batch_id=batch_id).values_list(
            "status", flat=True
        )
    )


def test_the_page_starts_the_approval_and_the_run_issues_the_batch(
    client, tmp_path, ministry_staff, second_staff, django_capture_on_commit_callbacks
):
    batch_id = _batch(tmp_path, ministry_staff)
    client.force_login(second_staff)
    approve = reverse("registry:batch_approve", args=[batch_id])
    with django_capture_on_commit_callbacks(execute=False) as asked:
        answer = client.post(approve, {"confirm": "yes"})
    assert answer.status_code == 302
    batch = ImportBatch.objects.get(pk=batch_id)
    assert batch.status == "approving" and batch.reviewed_by_id == second_staff.pk
    assert _statuses(batch_id) == {"pending"}  # nothing valid before the run
    page = client.get(reverse("registry:batch_detail", args=[batch_id]))
    assert 'data-batch-status="approving"' in page.content.decode()
    serial = Certificate.objects.filter(import_batch_id=batch_id).first().serial
    assert client.get(f"/api/v1/verify/{serial}/").json()["status"] == "pending"
    assert asked  # the run is asked for once the request commits
    for callback in asked:
        callback()  # the immediate task backend runs it here, as a worker would
    batch.refresh_from_db()
    assert batch.status == "approved" and batch.issued == 2
    assert _statuses(batch_id) == {"issued"}
    assert set(
        Certificate.objects.filter(import_batch_id=batch_id).values_list(
            "approved_by_id", flat=True
        )
    ) == {second_staff.pk}
    call_command("verify_audit_log")  # the chain still accounts for every row


def test_the_run_puts_the_batch_back_in_review_when_conflicts_appear(
    tmp_path, ministry_staff, second_staff, make_issued
):
    holder = make_issued(  # born in 1980: the file's 2015 record is plausible
        full_name_ar="منى أحمد السيد", national_id=make_national_id(birth_date=BORN)
    )
    batch_id = _batch(
        tmp_path, ministry_staff, [_row("فاطمة علي", nid=holder.national_id), _row()]
    )
    import_batch_approval_start(batch_id=batch_id, reviewer_id=second_staff.pk)
    assert import_batch_approval_run(batch_id=batch_id) == "refused"
    batch = ImportBatch.objects.get(pk=batch_id)
    assert batch.status == "review" and "1" in batch.review_note
    assert _statuses(batch_id) == {"pending"}


def test_the_uploader_cannot_start_it_and_nothing_else_changes_while_it_runs(
    tmp_path, ministry_staff, second_staff
):
    batch_id = _batch(tmp_path, ministry_staff)
    with pytest.raises(Forbidden):
        import_batch_approval_start(batch_id=batch_id, reviewer_id=ministry_staff.pk)
    import_batch_approval_start(batch_id=batch_id, reviewer_id=second_staff.pk)
    with pytest.raises(Conflict):
        import_batch_reject(batch_id=batch_id, reviewer_id=second_staff.pk, note="x")
    with pytest.raises(Conflict):  # started twice
        import_batch_approval_start(batch_id=batch_id, reviewer_id=second_staff.pk)
    assert import_batch_approval_run(batch_id=batch_id) == "issued"
    assert import_batch_approval_run(batch_id=batch_id) == "skipped"  # a late rerun


def test_a_run_lost_with_its_worker_is_asked_for_again_by_the_sweep(
    tmp_path, ministry_staff, second_staff, settings, django_capture_on_commit_callbacks
):
    batch_id = _batch(tmp_path, ministry_staff)
    with django_capture_on_commit_callbacks(execute=False):
        import_batch_approval_start(batch_id=batch_id, reviewer_id=second_staff.pk)
    # the worker was killed: the run never finished, the batch stays approving
    assert import_batch_approvals_requeue() == []  # too recent to be called lost
    later = timezone.now() + dt.timedelta(
        seconds=settings.REGISTRY_IMPORT_STALE_AFTER_S + 1
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert import_batch_approvals_requeue(now=later) == [batch_id]
    assert ImportBatch.objects.get(pk=batch_id).status == "approved"
    assert _statuses(batch_id) == {"issued"}


def test_a_small_batch_is_still_approved_at_once(
    client, tmp_path, ministry_staff, second_staff, settings
):
    settings.REGISTRY_BATCH_APPROVE_INLINE_MAX = 20_000
    batch_id = _batch(tmp_path, ministry_staff)
    client.force_login(second_staff)
    client.post(reverse("registry:batch_approve", args=[batch_id]), {"confirm": "yes"})
    assert ImportBatch.objects.get(pk=batch_id).status == "approved"
