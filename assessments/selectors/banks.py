"""Reads about question banks: the list and one bank (their item analysis:
`selectors.analysis`)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from assessments.data import BankData
from assessments.models import QuestionBank
from assessments.selectors.build import bank_data
from lms.kernel.errors import NotFound


def banks_list() -> tuple[BankData, ...]:
    rows = QuestionBank.objects.select_related("occupation", "skill_level")
    return tuple(bank_data(b) for b in rows)


def bank_get(*, slug: str) -> BankData:
    bank = (
        QuestionBank.objects.select_related("occupation", "skill_level")
        .filter(slug=slug)
        .first()
    )
    if bank is None:
        raise NotFound(_("No such question bank."))
    return bank_data(bank)
