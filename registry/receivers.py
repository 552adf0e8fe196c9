"""What the registry tells the personal pages (lms.kernel.personal_pages).

A trainee's dashboard lists their certificates that are not pending: those issued
to the account and those recorded under the national ID its verified claim proves.
A certificate saved in any other state than pending (issued, revoked) or deleted
abandons the kept pages of both; an occupation or skill level renamed shows on
everyone's (their titles are on every certificate and result). A batch issued in
one statement (services.batches) sends no signal: it says so itself.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save

from lms.accounts.selectors import national_id_verified_holder
from lms.kernel.personal_pages import personal_pages_all_changed, user_state_changed
from registry.models import Certificate, CertificateStatus, Occupation, SkillLevel


def _certificate_saved(sender: Any, instance: Certificate, **kwargs: Any) -> None:
    if instance.status != CertificateStatus.PENDING:  # a pending one shows nowhere
        _holders_changed(instance)


def _certificate_deleted(sender: Any, instance: Certificate, **kwargs: Any) -> None:
    _holders_changed(instance)


def _holders_changed(certificate: Certificate) -> None:
    user_state_changed(certificate.holder_id)
    claimant = national_id_verified_holder(national_id=certificate.national_id)
    if claimant != certificate.holder_id:
        user_state_changed(claimant)


def _reference_changed(sender: Any, **kwargs: Any) -> None:
    personal_pages_all_changed()


def connect() -> None:
    post_save.connect(
        _certificate_saved, sender=Certificate, dispatch_uid="personal_pages_cert"
    )
    post_delete.connect(
        _certificate_deleted, sender=Certificate, dispatch_uid="personal_pages_cert_del"
    )
    for model in (Occupation, SkillLevel):
        for signal, uid in ((post_save, "saved"), (post_delete, "deleted")):
            signal.connect(
                _reference_changed,
                sender=model,
                dispatch_uid=f"personal_pages_{model.__name__}_{uid}",
            )
