"""Two people for every change of trust, in Chromium: staff of the Sharqia directorate
import a paper-era file, which becomes a batch of pending certificates that the
public verification calls not valid; head-office staff review and approve the batch;
only then does verification say the certificate is valid."""

from __future__ import annotations

import csv
import datetime as dt
import os
import re

import pytest

from tests.e2e.conftest import assert_accessible
from tests.e2e.harness import manage_on
from tests.e2e.journeys import log_in
from tests.factories import make_national_id

pytestmark = pytest.mark.e2e

NAMES = ["هالة عبد الرحمن", "مصطفى السيد"]


def _paper_file(path) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(
            [
                "national_id",
                "full_name_ar",
                "occupation_code",
                "skill_level",
                "issue_date",
            ]
        )
        for name in NAMES:
            nid = make_national_id(birth_date=dt.date(1979, 4, 2), governorate="13")
            writer.writerow([nid, name, "7531", "skilled", "2012-09-15"])


def _run_queued_imports(server_url: str) -> None:
    """The e2e server runs no task worker: run what the upload queued, once."""
    if os.environ.get("REDIS_URL"):
        manage_on(
            server_url,
            "rqworker",
            "--burst",
            "--job-class",
            "django_tasks_rq.backend.Job",
            "default",
        )
    else:
        manage_on(server_url, "db_worker", "--batch", "--no-startup-delay")


def test_an_import_is_valid_only_after_another_staff_member_approves_it(
    new_context, shot, server_url, tmp_path
):
    paper = tmp_path / "sharqia-1998.csv"
    _paper_file(paper)

    uploader = new_context().new_page()
    log_in(uploader, "staff2")  # Sharqia directorate
    uploader.goto("/registry/import/")
    uploader.set_input_files("input[type=file]", str(paper))
    shot(uploader, "staff-a-upload")
    with uploader.expect_navigation():
        uploader.click("main button[type=submit]")
    _run_queued_imports(server_url)
    # The status page polls and reloads itself when the import is done (a reload
    # of ours raced it: net::ERR_ABORTED); the batch's link appears then.
    batch_link = uploader.get_by_role("link", name="فتح الدفعة")
    batch_link.wait_for(timeout=30_000)
    batch_link.click()
    uploader.wait_for_url(re.compile(r".*/registry/batches/\d+/$"))
    body = uploader.locator("main").inner_text()
    assert all(name in body for name in NAMES) and "sharqia-1998.csv" in body
    assert "يجب أن يراجعها ويعتمدها موظف آخر" in body  # not the uploader's to approve
    assert uploader.locator("form[action$='/approve/']").count() == 0
    batch_url = uploader.url
    serial = re.search(r"[0-9A-Y]{4}-[0-9A-Y]{4}-[0-9A-Y]{3}", body).group(0)
    shot(uploader, "staff-a-batch-awaits-review")

    visitor = new_context().new_page()
    visitor.goto(f"/verify/{serial}/")
    assert visitor.locator("p.warning[role=status]").is_visible()  # pending
    assert visitor.locator("h2.ok").count() == 0
    shot(visitor, "verification-pending")

    reviewer = new_context().new_page()
    log_in(reviewer, "staff")  # head office: covers every directorate
    reviewer.goto("/registry/batches/")
    shot(reviewer, "staff-b-batches")
    reviewer.goto(batch_url)
    assert serial in reviewer.locator("main").inner_text()
    assert_accessible(reviewer)
    reviewer.check("form[action$='/approve/'] input[name=confirm]")
    shot(reviewer, "staff-b-confirms")
    with reviewer.expect_navigation():
        reviewer.click("form[action$='/approve/'] button[type=submit]")
    assert reviewer.locator("[data-batch-status=approved]").is_visible()
    shot(reviewer, "staff-b-approved")

    visitor.goto(f"/verify/{serial}/")
    assert visitor.locator("h2.ok").is_visible()
    shot(visitor, "verification-valid")
