"""The registry API for a staff member signed in reads and acts on their directorate's
certificates only (issue 16, item 2); another system's token reads the whole
registry; staff without a directorate are refused."""

import datetime as dt

import pytest

from registry.models import ApiScope
from registry.services import api_client_create
from tests.factories import make_national_id

LIST = "/api/v1/registry/certificates/"
LOOKUP = "/api/v1/registry/certificates/lookup/"


@pytest.fixture
def two_governorates(make_issued):
    holder = make_national_id(governorate="13")
    return {
        "sharqia": make_issued(national_id=holder),
        "cairo": make_issued(national_id=make_national_id(governorate="01")),
    }


def _serials(answer) -> set[str]:
    return {c["serial"] for c in answer.json()["results"]}


def test_directorate_staff_list_only_their_governorates(
    client, sharqia_staff, two_governorates
):
    client.force_login(sharqia_staff)
    answer = client.get(LIST)
    assert answer.status_code == 200
    assert _serials(answer) == {two_governorates["sharqia"].serial_display}
    # asking for another governorate by filter finds nothing, not its certificates
    assert _serials(client.get(LIST, {"governorate": "01"})) == set()


def test_directorate_staff_neither_read_nor_revoke_another_directorate_s(
    client, sharqia_staff, two_governorates
):
    client.force_login(sharqia_staff)
    cairo = two_governorates["cairo"]
    detail = client.get(f"{LIST}{cairo.serial_display}/")
    assert detail.status_code == 404
    assert detail.json()["code"] == "not_found"
    revoke = client.post(
        f"{LIST}{cairo.serial_display}/revoke/",
        {"reason": "forged"},
        content_type="application/json",
    )
    assert revoke.status_code == 404
    own = two_governorates["sharqia"]
    assert client.get(f"{LIST}{own.serial_display}/").status_code == 200


def test_lookup_by_national_id_is_scoped_too(
    client, sharqia_staff, make_issued, two_governorates
):
    nid = two_governorates["sharqia"].national_id
    make_issued(
        national_id=nid, level_code="technician"
    )  # the same holder, another cert
    client.force_login(sharqia_staff)
    found = client.post(LOOKUP, {"national_id": nid}, content_type="application/json")
    assert found.status_code == 200 and len(found.json()["results"]) == 2
    cairo = two_governorates["cairo"].national_id
    other = client.post(LOOKUP, {"national_id": cairo}, content_type="application/json")
    assert other.status_code == 200 and other.json()["results"] == []


def test_head_office_and_other_systems_read_every_governorate(
    client, ministry_staff, two_governorates
):
    everything = {c.serial_display for c in two_governorates.values()}
    client.force_login(ministry_staff)
    assert _serials(client.get(LIST)) == everything
    client.logout()
    _client, token = api_client_create(name="insurance", scopes=[ApiScope.READ])
    answer = client.get(LIST, HTTP_AUTHORIZATION=f"Token {token}")
    assert _serials(answer) == everything


def test_staff_without_a_directorate_are_refused(client, make_user, two_governorates):
    client.force_login(make_user("ministry_staff", is_staff=True))
    answer = client.get(LIST)
    assert answer.status_code == 403
    assert answer.json()["code"]
    assert (
        client.post(
            LOOKUP,
            {"national_id": two_governorates["cairo"].national_id},
            content_type="application/json",
        ).status_code
        == 403
    )


def test_the_approval_service_itself_refuses_another_directorate_and_batch_rows(
    make_pending, sharqia_staff, ministry_staff, second_staff, tmp_path
):
    """Not only the pages: the service checks the approver's directorate, and an
    imported row is approved only with its batch."""
    from lms.kernel.errors import Conflict, Forbidden
    from registry.importer import import_file
    from registry.models import Certificate
    from registry.services import certificate_approve

    cairo = make_pending(national_id=make_national_id(governorate="01"))
    with pytest.raises(Forbidden) as refused:
        certificate_approve(certificate_id=cairo.id, approver_id=sharqia_staff.pk)
    assert refused.value.code == "other_directorate"
    assert Certificate.objects.get(pk=cairo.id).status == "pending"
    path = tmp_path / "paper.csv"
    path.write_text(
        "national_id,full_name_ar,full_name_en,occupation_code,skill_level,"
        "issue_date,governorate_code,legacy_number\n"
        # born in 1980: a random birth date could fall after the 2015 issue date
        f"{make_national_id(birth_date=dt.date(1980, 5, 17))},سعاد محمود,,7531,"
        "skilled,2015-03-01,,\n",
        encoding="utf-8",
    )
    batch = import_file(path, actor_id=ministry_staff.pk).import_batch_id
    [row] = Certificate.objects.filter(import_batch_id=batch)
    with pytest.raises(Conflict) as in_batch:
        certificate_approve(certificate_id=row.pk, approver_id=second_staff.pk)
    assert in_batch.value.code == "in_import_batch"
