"""The audit log for ministry staff: the chain's state, filters, the CSV of exactly
the filtered query, directorate scoping and every refusal (issue 16, item 6)."""

import csv
import io
import json

import pytest
from django.urls import reverse

from lms.accounts.services import staff_directorate_assign
from registry.audit import audit_append
from registry.checkpoints import Checkpoint, audit_checkpoint_write
from tests.factories import make_national_id

AUDIT = reverse("registry:audit_log")
EXPORT = reverse("registry:audit_export")


@pytest.fixture
def staff_in(make_user):
    def make(code, **kwargs):
        user = make_user("ministry_staff", is_staff=True, **kwargs)
        staff_directorate_assign(user_id=user.pk, directorate_code=code)
        return user

    return make


@pytest.fixture
def two_governorates(make_issued, ministry_staff):
    """An issued certificate in Dakahlia (12) and one in Sharqia (13)."""
    dakahlia = make_issued(national_id=make_national_id(governorate="12"))
    sharqia = make_issued(national_id=make_national_id(governorate="13"))
    return dakahlia, sharqia


def _en(url):
    return "/en" + url


def _csv(response):
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(body)))


def test_head_office_sees_every_entry_and_the_chain_state(
    client, staff_in, two_governorates
):
    dakahlia, sharqia = two_governorates
    audit_checkpoint_write(force=True)
    client.force_login(staff_in("HQ"))
    page = client.get(_en(AUDIT)).content.decode()
    assert dakahlia.serial_display in page and sharqia.serial_display in page
    assert "Last signed checkpoint: entry #4" in page
    assert "Verified up to entry #4" in page


def test_directorate_staff_see_only_their_governorate_s_certificates(
    client, staff_in, two_governorates
):
    dakahlia, sharqia = two_governorates
    client.force_login(staff_in("13"))
    page = client.get(AUDIT).content.decode()
    assert sharqia.serial_display in page
    assert dakahlia.serial_display not in page
    rows = _csv(client.get(EXPORT))
    assert {r["object_ref"] for r in rows} == {sharqia.serial_display}
    # asking for the other directorate's certificate by serial finds nothing
    rows = _csv(client.get(EXPORT, {"serial": dakahlia.serial_display}))
    assert rows == []


def test_batch_entries_are_for_the_head_office_only(client, staff_in, db):
    audit_append(action="import.batch", actor_id=None, object_ref="paper.csv")
    client.force_login(staff_in("13"))
    assert _csv(client.get(EXPORT)) == []
    client.force_login(staff_in("HQ"))
    assert [r["action"] for r in _csv(client.get(EXPORT))] == ["import.batch"]


def test_filters_by_actor_action_serial_and_date(
    client, staff_in, two_governorates, second_staff, ministry_staff
):
    dakahlia, _sharqia = two_governorates
    client.force_login(staff_in("HQ"))
    rows = _csv(client.get(EXPORT, {"action": "certificate.approve"}))
    assert len(rows) == 2 and {r["action"] for r in rows} == {"certificate.approve"}
    rows = _csv(client.get(EXPORT, {"actor": ministry_staff.username}))
    assert {r["action"] for r in rows} == {"certificate.create_pending"}
    rows = _csv(client.get(EXPORT, {"serial": dakahlia.serial.lower()}))
    assert [r["action"] for r in rows] == [
        "certificate.approve",
        "certificate.create_pending",
    ]
    rows = _csv(
        client.get(EXPORT, {"date_from": "2001-01-01", "date_to": "2001-12-31"})
    )
    assert rows == []
    page = client.get(
        AUDIT, {"action": "certificate.approve", "actor": second_staff.username}
    ).content.decode()
    assert page.count("certificate.approve</bdi>") == 2


def test_the_export_is_exactly_the_page_s_query(client, staff_in, two_governorates):
    client.force_login(staff_in("HQ"))
    query = {"action": "certificate.create_pending"}
    page = client.get(AUDIT, query).content.decode()
    exported = _csv(client.get(EXPORT, query))
    assert len(exported) == 2
    for row in exported:
        assert row["object_ref"] in page
    assert "export.csv?action=certificate.create_pending" in page


@pytest.mark.parametrize(
    "query, named",
    [
        ({"serial": "not-a-serial"}, "not a valid serial"),
        ({"date_from": "2026-13-45"}, "From"),
        ({"date_from": "2026-05-02", "date_to": "2026-05-01"}, "end date"),
        ({"actor": "nobody-has-this-name"}, "No account"),
    ],
)
def test_a_bad_filter_is_a_400_with_a_message(client, staff_in, db, query, named):
    client.force_login(staff_in("HQ"))
    response = client.get(_en(EXPORT), query)
    assert response.status_code == 400
    assert named in response.content.decode()
    assert client.get(AUDIT, query).status_code == 400


@pytest.mark.parametrize("role", ["trainee", "instructor", "assessor"])
def test_other_roles_are_refused(client, make_user, db, role):
    client.force_login(make_user(role))
    assert client.get(AUDIT).status_code == 403
    assert client.get(EXPORT).status_code == 403


def test_staff_without_a_directorate_are_refused(client, make_user):
    client.force_login(make_user("ministry_staff", is_staff=True))
    assert client.get(AUDIT).status_code == 403
    assert client.get(EXPORT).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, db):
    assert client.get(AUDIT).status_code == 302
    assert client.get(EXPORT).status_code == 302


def test_the_nav_entry_shows_to_those_the_page_answers(staff_in, make_user, db):
    from lms.kernel.navigation import nav_entries

    entry = next(e for e in nav_entries() if e.key == "registry.audit")
    directorate_staff = staff_in("13")
    directorate_staff.refresh_from_db()
    assert entry.shown_to(directorate_staff)
    assert not entry.shown_to(make_user("ministry_staff"))  # no directorate: refused
    assert not entry.shown_to(make_user("trainee"))
    assert not entry.shown_to(make_user("instructor"))


def test_checkpoints_are_published_signed(client, db):
    for n in range(3):
        audit_append(action="x", actor_id=None, data={"n": n})
    audit_checkpoint_write(force=True)
    body = json.loads(client.get(reverse("registry:audit_checkpoints")).content)
    [published] = body["checkpoints"]
    assert (published["seq"], published["count"]) == (3, 3)
    assert body["key"]["crv"] == "Ed25519"
    assert Checkpoint(**published).signature_ok()
