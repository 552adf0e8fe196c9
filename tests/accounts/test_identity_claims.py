"""A national ID typed at sign-up is a claim: staff who saw the card verify it (in
their directorate only), a second account claiming it contests it, staff resolve the
contest; every decision is recorded."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from lms.accounts.models import ClaimEvent, NationalIdClaim
from lms.accounts.selectors import (
    national_id_claims_for_staff,
    national_id_claims_open_count,
    national_id_verified_for,
)
from lms.accounts.services import (
    national_id_claim_reject,
    national_id_claim_verify,
    staff_directorate_assign,
    user_register_trainee,
)
from lms.kernel.errors import Forbidden
from tests.factories import make_national_id

User = get_user_model()
pytestmark = pytest.mark.django_db

SHARQIA = "13"
CAIRO = "01"


def register(national_id: str, phone: str, **extra):
    return user_register_trainee(
        national_id=national_id,
        full_name_ar="منى أحمد",
        phone=phone,
        password="Kh!yata-2026x",
        **extra,
    )


@pytest.fixture
def staff_in(make_user):
    def make(directorate: str):
        staff = make_user("ministry_staff", is_staff=True)
        staff_directorate_assign(user_id=staff.pk, directorate_code=directorate)
        return staff

    return make


def claim_of(user) -> NationalIdClaim:
    return NationalIdClaim.objects.get(user=user)


def test_sign_up_opens_an_unverified_claim(db):
    nid = make_national_id(governorate=SHARQIA)
    user = register(nid, "01012345678")
    claim = claim_of(user)
    assert (claim.state, claim.national_id, claim.governorate_code) == (
        "claimed",
        nid,
        SHARQIA,
    )
    assert national_id_verified_for(user_id=user.pk) is None
    assert list(claim.events.values_list("action", flat=True)) == ["claimed"]


def test_staff_who_saw_the_card_verify_and_it_is_recorded(staff_in):
    user = register(make_national_id(governorate=SHARQIA), "01012345678")
    staff = staff_in(SHARQIA)
    national_id_claim_verify(claim_id=claim_of(user).pk, staff_id=staff.pk)
    claim = claim_of(user)
    assert claim.state == "verified" and claim.method == "staff_card_check"
    assert claim.decided_by_id == staff.pk and claim.decided_at is not None
    assert national_id_verified_for(user_id=user.pk) == claim.national_id
    event = ClaimEvent.objects.filter(claim=claim).last()
    assert (event.action, event.actor_id) == ("verified", staff.pk)


def test_staff_of_another_directorate_may_not_verify(client, staff_in):
    user = register(make_national_id(governorate=SHARQIA), "01012345678")
    cairo = staff_in(CAIRO)
    claim = claim_of(user)
    with pytest.raises(Forbidden) as refused:
        national_id_claim_verify(claim_id=claim.pk, staff_id=cairo.pk)
    assert refused.value.code == "other_directorate"
    client.force_login(cairo)
    response = client.post(reverse("accounts:claim_verify", args=[claim.pk]))
    assert response.status_code == 403
    assert claim_of(user).state == "claimed"
    assert national_id_claims_for_staff(staff_id=cairo.pk) == []
    assert national_id_claims_open_count(staff_id=cairo.pk) == 0
    page = client.get(reverse("accounts:claims")).content.decode()
    assert claim.national_id not in page


def test_head_office_sees_and_counts_every_directorate(staff_in):
    register(make_national_id(governorate=SHARQIA), "01012345678")
    register(make_national_id(governorate=CAIRO), "01012345679")
    head_office = staff_in("HQ")
    sharqia = staff_in(SHARQIA)
    assert national_id_claims_open_count(staff_id=head_office.pk) == 2
    assert national_id_claims_open_count(staff_id=sharqia.pk) == 1


def test_nobody_decides_their_own_claim(staff_in):
    staff = staff_in("HQ")
    staff.national_id = make_national_id()
    staff.save()
    from lms.accounts.services import national_id_claim_open

    claim = national_id_claim_open(user=staff)
    with pytest.raises(Forbidden):
        national_id_claim_verify(claim_id=claim.id, staff_id=staff.pk)


def test_a_second_account_contests_and_staff_resolve_it(staff_in):
    nid = make_national_id(governorate=SHARQIA)
    squatter = register(nid, "01011111111")
    holder = register(nid, "01022222222")
    assert {claim_of(squatter).state, claim_of(holder).state} == {"contested"}
    staff = staff_in(SHARQIA)
    found = national_id_claims_for_staff(staff_id=staff.pk)
    assert {c.user_id for c in found} == {squatter.pk, holder.pk}

    national_id_claim_verify(claim_id=claim_of(holder).pk, staff_id=staff.pk)
    assert claim_of(holder).state == "verified"
    assert claim_of(squatter).state == "rejected"
    squatter.refresh_from_db()
    assert squatter.national_id is None  # it no longer holds the ID
    assert national_id_verified_for(user_id=squatter.pk) is None
    actions = ClaimEvent.objects.filter(claim=claim_of(squatter)).values_list(
        "action", "actor_id"
    )
    assert list(actions) == [
        ("claimed", None),
        ("contested", None),
        ("rejected", staff.pk),
    ]


def test_rejecting_one_side_of_a_contest_leaves_the_other_to_verify(staff_in):
    nid = make_national_id(governorate=SHARQIA)
    squatter = register(nid, "01011111111")
    holder = register(nid, "01022222222")
    staff = staff_in("HQ")
    national_id_claim_reject(claim_id=claim_of(squatter).pk, staff_id=staff.pk)
    assert claim_of(squatter).state == "rejected"
    assert claim_of(holder).state == "claimed"  # still to be verified with the card


def test_staff_screen_finds_a_claim_by_national_id_posted(client, staff_in):
    nid = make_national_id(governorate=SHARQIA)
    user = register(nid, "01012345678")
    client.force_login(staff_in(SHARQIA))
    response = client.post(reverse("accounts:claims"), {"national_id": nid})
    assert response.status_code == 200
    page = response.content.decode()
    assert nid in page and user.username in page
    assert reverse("accounts:claim_verify", args=[claim_of(user).pk]) in page
    response = client.post(reverse("accounts:claims"), {"username": "01012345678"})
    assert nid in response.content.decode()


def test_staff_verify_through_the_screen(client, staff_in):
    user = register(make_national_id(governorate=SHARQIA), "01012345678")
    client.force_login(staff_in(SHARQIA))
    response = client.post(reverse("accounts:claim_verify", args=[claim_of(user).pk]))
    assert response.status_code == 302
    assert claim_of(user).state == "verified"


@pytest.mark.parametrize("role", ["trainee", "instructor", "assessor"])
def test_only_ministry_staff_open_or_decide_claims(client, make_user, role):
    user = register(make_national_id(), "01012345678")
    client.force_login(make_user(role))
    assert client.get(reverse("accounts:claims")).status_code == 403
    url = reverse("accounts:claim_verify", args=[claim_of(user).pk])
    assert client.post(url).status_code == 403
    url = reverse("accounts:claim_reject", args=[claim_of(user).pk])
    assert client.post(url).status_code == 403
    assert claim_of(user).state == "claimed"


def test_staff_not_assigned_to_a_directorate_are_told_why(client, make_user):
    client.force_login(make_user("ministry_staff", is_staff=True))
    response = client.get(reverse("accounts:claims"))
    assert response.status_code == 403
    assert "directorate" in response.content.decode() or "مديرية" in (
        response.content.decode()
    )


def test_the_workplace_shows_staff_the_claims_waiting(client, staff_in):
    from lms.kernel.navigation import nav_items_for

    register(make_national_id(governorate=SHARQIA), "01012345678")
    item = {i.key: i for i in nav_items_for(staff_in(SHARQIA))}["accounts.claims"]
    assert item.count == 1
    assert item.url == reverse("accounts:claims")
    cairo = {i.key: i for i in nav_items_for(staff_in(CAIRO))}["accounts.claims"]
    assert cairo.count == 0


def test_a_contested_claim_reads_to_its_owner_as_not_verified_yet(client):
    """Its owner learns nothing about another account holding the ID."""
    nid = make_national_id()
    first = register(nid, "01011111111")
    client.force_login(first)
    alone = client.get(reverse("accounts:identity")).content.decode()
    register(nid, "01022222222")
    contested = client.get(reverse("accounts:identity")).content.decode()
    assert claim_of(first).state == "contested"
    assert 'data-claim="unverified"' in alone and 'data-claim="unverified"' in contested
    assert "contested" not in contested.lower() and "متنازع" not in contested


def test_claim_decisions_never_log_the_national_id(caplog, staff_in):
    nid = make_national_id(governorate=SHARQIA)
    with caplog.at_level("DEBUG"):
        squatter = register(nid, "01011111111")
        holder = register(nid, "01022222222")
        staff = staff_in(SHARQIA)
        national_id_claim_verify(claim_id=claim_of(holder).pk, staff_id=staff.pk)
        national_id_claim_reject(claim_id=claim_of(squatter).pk, staff_id=staff.pk)
    assert caplog.records
    assert nid not in caplog.text
