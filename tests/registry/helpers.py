"""Helpers for registry tests: revocation now takes two people."""

from __future__ import annotations

from lms.accounts.services import staff_directorate_assign
from registry.data import CertificateData
from registry.services import revocation_request_confirm, revocation_request_create
from tests.factories import UserFactory


def revoke_by_two(
    *, certificate_id: int, actor_id: int, reason: str
) -> CertificateData:
    """`actor_id` asks; a fresh head-office colleague confirms (the old one-person
    call's shape, for tests about what a revocation does rather than who may)."""
    request = revocation_request_create(
        certificate_id=certificate_id, actor_id=actor_id, reason=reason
    )
    colleague = UserFactory(role="ministry_staff", is_staff=True)
    staff_directorate_assign(user_id=colleague.pk, directorate_code="HQ")
    return revocation_request_confirm(request_id=request.id, actor_id=colleague.pk)
