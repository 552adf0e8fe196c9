"""Certificates: by serial, by holder, pending, and the registry list by pages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from lms.accounts.national_id import normalize_national_id, parse_national_id
from lms.accounts.roles import Role, user_has_role
from lms.accounts.selectors import national_id_verified_for
from lms.kernel.errors import Invalid, NotFound
from registry.converters import certificate_data
from registry.data import CertificateData, CertificatePageData
from registry.models import Certificate, CertificateStatus
from registry.selectors.filtering import certificates_filtered, keyset_page
from registry.serials import InvalidSerial, serial_normalize

PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000


def _with_refs(qs: QuerySet[Certificate]) -> QuerySet[Certificate]:
    return qs.select_related("occupation", "skill_level")


def _not_found() -> NotFound:
    return NotFound(_("No certificate has this serial number."), code="not_found")


def certificate_get(*, serial: str) -> CertificateData:
    """By serial in any typed form; NotFound if malformed or unknown."""
    try:
        compact = serial_normalize(serial)
    except InvalidSerial:
        raise _not_found() from None
    cert = _with_refs(Certificate.objects.filter(serial=compact)).first()
    if cert is None:
        raise _not_found()
    return certificate_data(cert)


def certificate_get_for_viewer(*, serial: str, viewer_id: int) -> CertificateData:
    """An issued certificate its holder or ministry staff may download; NotFound for
    anyone else, as for an unknown serial.

    The holder is the account the certificate was issued to (its own course and
    test), or the account whose claim to the certificate's national ID is verified:
    typing an ID at sign-up does not make a paper-era record one's own."""
    cert = certificate_get(serial=serial)
    viewer = get_user_model().objects.filter(pk=viewer_id).first()
    if viewer is None or cert.status != CertificateStatus.ISSUED:
        raise _not_found()
    if cert.holder_id == viewer.pk or user_has_role(viewer, Role.MINISTRY_STAFF):
        return cert
    if cert.national_id != national_id_verified_for(user_id=viewer.pk):
        raise _not_found()
    return cert


def certificate_list_for_holder(*, national_id: str) -> list[CertificateData]:
    """Every certificate held under this national ID, newest first."""
    nid = normalize_national_id(national_id)
    if not nid:
        return []
    qs = _with_refs(Certificate.objects.filter(national_id=nid)).order_by(
        "-issue_date", "-id"
    )
    return [certificate_data(c) for c in qs]


def certificate_lookup(
    *, national_id: str, governorate_codes: Sequence[str] | None = None
) -> list[CertificateData]:
    """As certificate_list_for_holder, for another system: a malformed ID is refused
    (Invalid, naming the field) rather than answered with nothing. With
    `governorate_codes`, only the certificates of those governorates."""
    try:
        nid = parse_national_id(national_id).value
    except ValidationError as exc:
        raise Invalid(
            " ".join(exc.messages),
            code=exc.code or "national_id",
            fields={"national_id": exc.messages},
        ) from None
    found = certificate_list_for_holder(national_id=nid)
    if governorate_codes is None:
        return found
    return [c for c in found if c.governorate_code in governorate_codes]


def certificate_list_for_user(*, user_id: int) -> list[CertificateData]:
    """The holder view: the certificates issued to this account, and those recorded
    under its national ID once its claim to the ID is verified (imports, other
    centres); an unverified, contested or rejected claim shows none of those."""
    query = Q(holder_id=user_id)
    verified_id = national_id_verified_for(user_id=user_id)
    if verified_id:
        query |= Q(national_id=verified_id)
    qs = _with_refs(Certificate.objects.filter(query)).order_by("-issue_date", "-id")
    return [certificate_data(c) for c in qs]


def certificate_page(
    *,
    occupation: str | None = None,
    level: str | None = None,
    governorate: str | None = None,
    status: str | None = None,
    issued_from: dt.date | None = None,
    issued_to: dt.date | None = None,
    before_id: int | None = None,
    after_id: int | None = None,
    size: int = PAGE_SIZE,
    governorate_codes: Sequence[str] | None = None,
) -> CertificatePageData:
    """One page of the filtered registry, newest first, by keyset on the primary key
    (constant time at any depth): older than `before_id`, or the page just newer
    than `after_id`; the first page without either."""
    qs = certificates_filtered(
        occupation=occupation,
        level=level,
        governorate=governorate,
        status=status,
        issued_from=issued_from,
        issued_to=issued_to,
        governorate_codes=governorate_codes,
    )
    return keyset_page(
        qs, before_id=before_id, after_id=after_id, size=min(size, MAX_PAGE_SIZE)
    )
