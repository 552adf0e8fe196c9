"""Steps other journeys reuse: a new trainee, the service worker in control."""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass

from tests.factories import make_national_id

EASTERN = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
_phones = itertools.count(random.randrange(10_000_000, 80_000_000))


@dataclass(frozen=True)
class NewTrainee:
    full_name_ar: str
    national_id: str
    phone: str
    password: str


def new_trainee() -> NewTrainee:
    return NewTrainee(
        full_name_ar="سارة محمود",
        national_id=make_national_id(),
        phone=f"010{next(_phones):08d}",
        password="Khayata-2026-sewing",
    )


def sign_up(page, trainee: NewTrainee | None = None, shot=None) -> NewTrainee:
    """Sign up through the form, typing the numbers in Eastern-Arabic digits."""
    trainee = trainee or new_trainee()
    page.goto("/accounts/signup/")
    page.fill("#id_full_name_ar", trainee.full_name_ar)
    page.fill("#id_national_id", trainee.national_id.translate(EASTERN))
    page.fill("#id_phone", trainee.phone.translate(EASTERN))
    page.fill("#id_password1", trainee.password)
    page.fill("#id_password2", trainee.password)
    if shot:
        shot(page, "sign-up-filled")
    page.click("main button[type=submit]")
    page.wait_for_url("**/dashboard/")
    return trainee


def log_in(page, username: str, password: str | None = None) -> None:
    """Log in through the form (demo users from `seed_demo` by default)."""
    from lms.home.seeding import DEMO_PASSWORD

    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password or DEMO_PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def wait_for_service_worker(page) -> None:
    """Until the page is controlled by the worker (shell precached)."""
    page.wait_for_function(
        "() => navigator.serviceWorker && navigator.serviceWorker.controller !== null"
    )
