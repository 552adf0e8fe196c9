"""What assessments tell the personal pages (lms.kernel.personal_pages).

A trainee's dashboard shows their exam attempts in progress (with the exam's title)
and their skill results: any save or delete of an attempt, a result or a practical
test abandons that trainee's kept pages after commit; an exam saved or deleted
(its title, its occupation and level) shows on everyone's.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save

from assessments.models import Attempt, ExamBlueprint, PracticalAssessment, SkillResult
from lms.kernel.personal_pages import personal_pages_all_changed, user_state_changed


def _user_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    user_state_changed(instance.user_id)


def _trainee_changed(sender: Any, instance: PracticalAssessment, **kwargs: Any) -> None:
    user_state_changed(instance.trainee_id)


def _exam_changed(sender: Any, **kwargs: Any) -> None:
    personal_pages_all_changed()


def connect() -> None:
    for model, receiver in (
        (Attempt, _user_changed),
        (SkillResult, _user_changed),
        (PracticalAssessment, _trainee_changed),
        (ExamBlueprint, _exam_changed),
    ):
        for signal, uid in ((post_save, "saved"), (post_delete, "deleted")):
            signal.connect(
                receiver,
                sender=model,
                dispatch_uid=f"personal_pages_{model.__name__}_{uid}",
            )
