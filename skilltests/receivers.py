"""Signals from the apps below, connected in `SkillTestsConfig.ready()`: a skill
result assessments recorded, a certificate registry issued. One line each: the
service does the work, in the sender's transaction."""

from __future__ import annotations

from typing import Any

from assessments.services import skill_result_recorded
from registry.services import certificate_issued
from skilltests.services.day_results import certificate_record, result_record


def on_skill_result(sender: Any, **kwargs: Any) -> None:
    result_record(
        user_id=kwargs["user_id"],
        occupation_code=kwargs["occupation_code"],
        level_code=kwargs["level_code"],
        passed=kwargs["passed"],
        combined_percent=kwargs["combined_percent"],
        certificate_id=kwargs["certificate_id"],
    )


def on_certificate_issued(sender: Any, **kwargs: Any) -> None:
    certificate_record(certificate_id=kwargs["certificate_id"], serial=kwargs["serial"])


def connect() -> None:
    skill_result_recorded.connect(on_skill_result, dispatch_uid="skilltests_result")
    certificate_issued.connect(
        on_certificate_issued, dispatch_uid="skilltests_certificate"
    )
