"""Revocation the standard way: W3C Bitstring Status List v1.0.

Each certificate with a credential gets a stored slot (list number, index) drawn at
random in the open list (herd privacy: the index says nothing of issue order); the
list is a `BitstringStatusListCredential`, signed like the certificates, whose
`encodedList` is 'u' + base64url(GZIP(bits)), bit 0 the most significant of the
first byte, a set bit meaning revoked. Published at `/credentials/status/<n>/`;
re-signed after commit whenever a certificate is revoked, and by the periodic sweep
(a missed one, and a daily fresh `validFrom`).
"""

from __future__ import annotations

import base64
import datetime as dt
import gzip
import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from registry.credential_models import CredentialRecord, StatusList
from registry.data_integrity import proof_add
from registry.keyring import issuer_did, signing_key_current, verification_method_id
from registry.models import CertificateStatus
from registry.signing import private_key

LIST_BITS = 131_072  # the spec's minimum (16 KiB): herd privacy
LIST_FILL = LIST_BITS // 2  # a list takes new slots until half full
RESIGN_EVERY = dt.timedelta(days=1)
VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"


def now_iso(moment: dt.datetime | None = None) -> str:
    moment = moment or timezone.now()
    return (
        moment.astimezone(dt.UTC)
        .replace(microsecond=0)
        .isoformat()
        .replace("+00:00", "Z")
    )


def status_list_url(number: int) -> str:
    return f"{settings.SITE_URL.rstrip('/')}/credentials/status/{number}/"


def credential_record_for(certificate_id: int) -> CredentialRecord:
    """The certificate's stored slot and salt, drawn on first use."""
    record = CredentialRecord.objects.filter(certificate_id=certificate_id).first()
    if record is not None:
        return record
    for _attempt in range(20):
        newest = CredentialRecord.objects.order_by("-status_list").first()
        number = newest.status_list if newest else 1
        if CredentialRecord.objects.filter(status_list=number).count() >= LIST_FILL:
            number += 1
        try:
            with transaction.atomic():
                return CredentialRecord.objects.create(
                    certificate_id=certificate_id,
                    status_list=number,
                    status_index=secrets.randbelow(LIST_BITS),
                    identity_salt=secrets.token_hex(16),
                )
        except IntegrityError:
            # the slot was taken, or another request made this certificate's record
            record = CredentialRecord.objects.filter(
                certificate_id=certificate_id
            ).first()
            if record is not None:
                return record
    raise RuntimeError("no free status list slot after 20 draws")


def status_entry(record: CredentialRecord) -> dict[str, Any]:
    url = status_list_url(record.status_list)
    return {
        "id": f"{url}#{record.status_index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": "revocation",
        "statusListIndex": str(record.status_index),
        "statusListCredential": url,
    }


def _revoked_indexes(number: int) -> list[int]:
    return sorted(
        CredentialRecord.objects.filter(
            status_list=number, certificate__status=CertificateStatus.REVOKED
        ).values_list("status_index", flat=True)
    )


def encoded_list(indexes: list[int], *, bits: int = LIST_BITS) -> str:
    """'u' + base64url (no padding) of the GZIP of the bitstring."""
    raw = bytearray(bits // 8)
    for index in indexes:
        raw[index // 8] |= 0x80 >> (index % 8)
    packed = gzip.compress(bytes(raw), mtime=0)
    return "u" + base64.urlsafe_b64encode(packed).rstrip(b"=").decode("ascii")


def decoded_list(text: str) -> bytes:
    if not text.startswith("u"):
        raise ValueError("encodedList must be base64url multibase ('u')")
    body = text[1:]
    return gzip.decompress(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))


def bit_is_set(raw: bytes, index: int) -> bool:
    return bool(raw[index // 8] & (0x80 >> (index % 8)))


def _digest(indexes: list[int]) -> str:
    return hashlib.sha256(",".join(map(str, indexes)).encode()).hexdigest()


def _signed_list(number: int, indexes: list[int]) -> dict[str, Any]:
    url = status_list_url(number)
    document = {
        "@context": [VC_CONTEXT],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_did(),
        "validFrom": now_iso(),
        "credentialSubject": {
            "id": f"{url}#list",
            "type": "BitstringStatusList",
            "statusPurpose": "revocation",
            "encodedList": encoded_list(indexes),
        },
    }
    return proof_add(
        document,
        key=private_key(),
        verification_method=verification_method_id(signing_key_current()),
        created=now_iso(),
    )


def status_list_publish(number: int, *, force: bool = False) -> bool:
    """Sign list `number` again if its revoked set changed (or it is a day old).

    The list's row is locked before the revoked set is read, so of two revocations
    committing together the later signing sees both."""
    with transaction.atomic():
        current = StatusList.objects.select_for_update().filter(number=number).first()
        indexes = _revoked_indexes(number)
        digest = _digest(indexes)
        if current is not None and not force:
            fresh = timezone.now() - current.signed_at < RESIGN_EVERY
            if current.revoked_digest == digest and fresh:
                return False
        values = {
            "credential": _signed_list(number, indexes),
            "revoked_digest": digest,
            "signed_at": timezone.now(),
        }
        if current is None:
            try:
                with transaction.atomic():
                    StatusList.objects.create(number=number, **values)
                return True
            except IntegrityError:  # another request published it first: sign again
                current = StatusList.objects.select_for_update().get(number=number)
                indexes = _revoked_indexes(number)
                values["credential"] = _signed_list(number, indexes)
                values["revoked_digest"] = _digest(indexes)
        StatusList.objects.filter(pk=current.pk).update(**values)
        return True


def status_lists_refresh(*, force: bool = False) -> int:
    """Every list in use brought up to date; how many were signed again."""
    numbers = set(
        CredentialRecord.objects.values_list("status_list", flat=True).distinct()
    ) | set(StatusList.objects.values_list("number", flat=True))
    return sum(status_list_publish(n, force=force) for n in sorted(numbers))


def status_list_credential(number: int) -> dict[str, Any] | None:
    """The published list credential (signed on first request), None if unused."""
    current = StatusList.objects.filter(number=number).first()
    if current is None:
        if not CredentialRecord.objects.filter(status_list=number).exists():
            return None
        status_list_publish(number)
        current = StatusList.objects.get(number=number)
    return current.credential


def status_list_certificate_revoked(certificate_id: int) -> None:
    """Sign again the list holding this certificate's slot (none: no credential was
    ever made for it, so nothing points at a list)."""
    record = CredentialRecord.objects.filter(certificate_id=certificate_id).first()
    if record is not None:
        status_list_publish(record.status_list)
