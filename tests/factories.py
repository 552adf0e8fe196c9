"""factory_boy factories shared by every app's tests."""

from __future__ import annotations

import datetime as dt
import random

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

GOVERNORATE_CODES = ["01", "02", "12", "13", "21", "24", "26", "29", "88"]


def make_national_id(
    *,
    birth_date: dt.date | None = None,
    governorate: str | None = None,
    gender: str | None = None,
    rng: random.Random | None = None,
) -> str:
    """A valid national ID for tests (unique enough per call)."""
    rng = rng or random
    birth_date = birth_date or dt.date(1970, 1, 1) + dt.timedelta(
        days=rng.randrange(0, 12000)
    )
    century = "2" if birth_date.year < 2000 else "3"
    gov = governorate or rng.choice(GOVERNORATE_CODES)
    serial = f"{rng.randrange(0, 1000):03d}"
    g = rng.choice(
        [1, 3, 5, 7, 9]
        if gender == "male"
        else [0, 2, 4, 6, 8]
        if gender == "female"
        else range(10)
    )
    return f"{century}{birth_date:%y%m%d}{gov}{serial}{g}{rng.randrange(10)}"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"010{n:08d}")
    phone = factory.LazyAttribute(
        lambda o: o.username if o.username.isdigit() else None
    )
    full_name_ar = factory.Sequence(lambda n: f"متدرب رقم {n}")
    full_name_en = factory.Sequence(lambda n: f"Trainee {n}")
    email = factory.Sequence(lambda n: f"user{n}@example.com")
    national_id = factory.LazyFunction(make_national_id)
    password = factory.django.Password("pass-Word-123")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        """`UserFactory(role="assessor")` puts the user in that role's group."""
        if create and extracted:
            self.groups.add(Group.objects.get(name=extracted))


def fact_cells(metric: str, rows) -> dict[tuple, int]:
    """A source's rows of one metric as {(month, governorate, gender, disability,
    occupation, level, course_id): value}: what report-fact tests compare."""
    return {
        (
            r["month"],
            r["governorate_code"],
            r["gender"],
            r["has_disability"],
            r["occupation_code"],
            r["level_code"],
            r["course_id"],
        ): r["value"]
        for r in rows
        if r["metric"] == metric
    }
