"""Demo data for `seed_demo` (idempotent): two workers who never took a course, both
of Sharqia, whose directorate is the demo's `staff2`; sessions in Sharqia's centres.
Hassan's application is accepted and booked (his slip is there to print), Souad's
waits for staff2's decision."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from lms.accounts.roles import Role
from lms.accounts.selectors import national_id_claim_get, user_id_by_username
from lms.accounts.services import (
    national_id_claim_open,
    national_id_claim_verify,
    role_grant,
)
from skilltests import services
from skilltests.models import Application, SessionStatus, TestSession
from skilltests.services import Upload

STAFF = "staff2"  # Sharqia's directorate (lms.home.seeding)
ASSESSORS = ("assessor", "assessor2")


@dataclass(frozen=True)
class DemoWorker:
    phone: str
    national_id: str
    full_name_ar: str
    full_name_en: str
    occupation: str
    level: str
    experience_years: int
    experience: str
    book: bool


WORKERS = (
    DemoWorker(
        "01000000003",
        "28803151301236",
        "حسن عبد الرحمن سالم",
        "Hassan Abdel Rahman Salem",
        "7531",
        "skilled",
        12,
        "ترزي رجالي في ورشة بالزقازيق منذ 2013، تفصيل البدل والجلاليب.",
        True,
    ),
    DemoWorker(
        "01000000004",
        "29207221302345",
        "سعاد محمود إبراهيم",
        "Souad Mahmoud Ibrahim",
        "7533",
        "assistant",
        4,
        "خياطة وتطريز في المنزل لمحلات منيا القمح.",
        False,
    ),
)

# (centre, workshop, occupation, level, days from today, hour, seats)
SESSIONS = (
    ("13-zagazig", "tailoring", "7531", "skilled", 7, 9, 12),
    ("13-zagazig", "tailoring", "7533", "assistant", 9, 9, 12),
    ("13-tenth-ramadan", "refrigeration", "7127", "skilled", 10, 10, 8),
)


def _photo() -> ContentFile:
    """A small picture standing for a photo of the worker's work."""
    from PIL import Image, ImageDraw

    picture = Image.new("RGB", (480, 320), "#f4efe1")
    draw = ImageDraw.Draw(picture)
    draw.rectangle((120, 40, 360, 290), outline="#0b5d4b", width=6)
    draw.line((240, 40, 240, 290), fill="#0b5d4b", width=3)
    out = io.BytesIO()
    picture.save(out, "PNG")
    return ContentFile(out.getvalue(), name="work.png")


def _worker(demo: DemoWorker, password_hash: str, staff_id: int) -> int:
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=demo.phone,
        defaults={
            "phone": demo.phone,
            "national_id": demo.national_id,
            "full_name_ar": demo.full_name_ar,
            "full_name_en": demo.full_name_en,
            "first_name": demo.full_name_en.split(" ")[0],
            "password": password_hash,
        },
    )
    if created:
        role_grant(user=user, role=Role.TRAINEE)
        national_id_claim_open(user=user)
    claim = national_id_claim_get(user_id=user.pk)
    if claim is not None and not claim.is_verified:
        national_id_claim_verify(claim_id=claim.id, staff_id=staff_id)
    return int(user.pk)


def _sessions(staff_id: int, assessor_ids: list[int]) -> dict[str, int]:
    """The demo sessions (created once): occupation code → session id."""
    found = {}
    today = timezone.localdate()
    for centre, workshop, occupation, level, days, hour, seats in SESSIONS:
        existing = TestSession.objects.filter(
            centre__code=centre,
            occupation__code=occupation,
            status=SessionStatus.PUBLISHED,
            starts_at__gt=timezone.now(),
        ).first()
        if existing is None:
            starts = timezone.make_aware(
                dt.datetime.combine(today + dt.timedelta(days=days), dt.time(hour))
            )
            existing_id = services.session_publish(
                staff_id=staff_id,
                centre_code=centre,
                workshop_code=workshop,
                occupation_code=occupation,
                level_code=level,
                starts_at=starts,
                duration_min=240,
                seats=seats,
                assessor_ids=assessor_ids,
            ).id
        else:
            existing_id = existing.pk
        found.setdefault(occupation, existing_id)
    return found


@transaction.atomic
def seed_skilltests(stdout: Any) -> None:
    staff_id = user_id_by_username(username=STAFF)
    assessor_ids = [user_id_by_username(username=u) for u in ASSESSORS]
    if staff_id is None or None in assessor_ids:
        stdout.write("skilltests: no demo staff or assessors; nothing seeded.")
        return
    template = get_user_model().objects.get(username=ASSESSORS[0])
    sessions = _sessions(staff_id, [i for i in assessor_ids if i is not None])
    for demo in WORKERS:
        user_id = _worker(demo, template.password, staff_id)
        if Application.objects.filter(applicant_id=user_id).exists():
            continue
        application = services.application_submit(
            applicant_id=user_id,
            occupation_code=demo.occupation,
            level_code=demo.level,
            governorate_code="13",
            experience_years=demo.experience_years,
            experience_summary=demo.experience,
            documents=[Upload(kind="work_photo", file=_photo())],
        )
        if demo.book:
            services.application_accept(
                reference=application.reference, staff_id=staff_id
            )
            services.booking_create(
                reference=application.reference,
                applicant_id=user_id,
                session_id=sessions[demo.occupation],
            )
    stdout.write(
        "skilltests: workers who never took a course — "
        + ", ".join(f"{w.phone} ({w.full_name_en})" for w in WORKERS)
        + f" with the demo password; {STAFF} decides on their applications."
    )
