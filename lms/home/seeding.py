"""`seed_demo` plumbing: apps register a Wagtail hook ``maharat_seed_demo``.

A hook is a callable ``(stdout) -> None`` with an ``order`` attribute (lower runs
first); it must be idempotent. The home app seeds the users; courses, assessments,
classes ... seed their own data through the hook, so nothing here imports them.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction
from wagtail import hooks

HOOK_NAME = "maharat_seed_demo"
DEMO_PASSWORD = "Maharat-Demo-2026"


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str
    full_name_ar: str
    full_name_en: str
    national_id: str | None = None
    phone: str | None = None
    is_staff: bool = False
    is_superuser: bool = False
    directorate: str = ""  # ministry staff: "HQ" (head office) or a governorate code


DEMO_USERS = [
    DemoUser(
        "admin",
        "ministry_staff",
        "مدير المنصة",
        "Platform admin",
        is_staff=True,
        is_superuser=True,
        directorate="HQ",
    ),
    DemoUser(
        "01000000001",
        "trainee",
        "منى أحمد السيد",
        "Mona Ahmed El-Sayed",
        national_id="30001012101248",
        phone="01000000001",
    ),
    DemoUser(
        "01000000002",
        "trainee",
        "كريم محمود علي",
        "Karim Mahmoud Ali",
        national_id="29905151301233",
        phone="01000000002",
    ),
    DemoUser(
        "instructor", "instructor", "م. هالة فؤاد", "Eng. Hala Fouad", is_staff=False
    ),
    DemoUser(
        "editor", "content_editor", "سارة عبد الله", "Sara Abdallah", is_staff=True
    ),
    DemoUser(
        "reviewer", "content_reviewer", "يوسف إبراهيم", "Youssef Ibrahim", is_staff=True
    ),
    DemoUser("assessor", "assessor", "عادل حسن", "Adel Hassan"),
    # a second assessor: a submitted practical score is corrected by another one
    DemoUser("assessor2", "assessor", "ليلى مراد", "Laila Mourad"),
    DemoUser(
        "staff",
        "ministry_staff",
        "نادية كمال",
        "Nadia Kamal",
        national_id="28507070101286",
        is_staff=True,
        directorate="HQ",
    ),
    # Sharqia: the governorate of Karim's demo certificate, which staff2 approves
    DemoUser(
        "staff2",
        "ministry_staff",
        "طارق سليم",
        "Tarek Selim",
        is_staff=True,
        directorate="13",
    ),
]


@transaction.atomic
def seed_users(stdout) -> None:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group

    from lms.accounts.services import staff_directorate_assign

    User = get_user_model()
    # Hashed once for all: the demo users share one password, and each hash costs
    # the hasher's full work factor (about a second apiece on a small machine).
    password_hash = make_password(DEMO_PASSWORD)
    for demo in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=demo.username,
            defaults={
                "full_name_ar": demo.full_name_ar,
                "full_name_en": demo.full_name_en,
                "first_name": demo.full_name_en.split(" ")[0],
                "national_id": demo.national_id,
                "phone": demo.phone,
                "is_staff": demo.is_staff,
                "is_superuser": demo.is_superuser,
            },
        )
        if created:
            user.password = password_hash
            user.save(update_fields=["password"])
        user.groups.add(Group.objects.get(name=demo.role))
        if demo.directorate:
            staff_directorate_assign(user_id=user.pk, directorate_code=demo.directorate)


def run_seed_hooks(stdout) -> None:
    seeders = sorted(hooks.get_hooks(HOOK_NAME), key=lambda f: getattr(f, "order", 100))
    for seeder in seeders:
        seeder(stdout)
