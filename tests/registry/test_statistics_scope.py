"""The registry's statistics for staff are their directorate's; the head office's
are every directorate's; API clients (other systems) count everything."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from lms.accounts.services import staff_directorate_assign
from lms.kernel.errors import Forbidden
from registry.selectors import certificate_statistics
from tests.factories import make_national_id

URL = "/api/v1/registry/statistics/"


@pytest.fixture
def two_directorates(make_issued):
    for gov in ("12", "12", "01"):
        make_issued(national_id=make_national_id(governorate=gov))


def _staff(make_user, directorate: str):
    user = make_user("ministry_staff", is_staff=True)
    staff_directorate_assign(user_id=user.pk, directorate_code=directorate)
    api = APIClient()
    api.force_authenticate(user)
    return api


def test_the_selector_counts_the_directorate_only(two_directorates):
    assert certificate_statistics().total == 3
    scoped = certificate_statistics(governorate_codes={"12"})
    assert scoped.total == 2
    assert {r.key for r in scoped.by_governorate} == {"12"}


def test_the_selector_refuses_another_directorates_governorate(two_directorates):
    with pytest.raises(Forbidden):
        certificate_statistics(governorate="01", governorate_codes={"12"})


def test_directorate_staff_read_their_own_statistics(two_directorates, make_user):
    api = _staff(make_user, "12")
    body = api.get(URL).json()
    assert body["total"] == 2
    assert api.get(URL, {"governorate": "01"}).status_code == 403


def test_head_office_reads_every_directorate(two_directorates, make_user):
    assert _staff(make_user, "HQ").get(URL).json()["total"] == 3


def test_staff_without_a_directorate_and_trainees_are_refused(
    two_directorates, make_user
):
    api = APIClient()
    api.force_authenticate(make_user("ministry_staff", is_staff=True))
    assert api.get(URL).status_code == 403
    api.force_authenticate(make_user("trainee"))
    assert api.get(URL).status_code == 403
