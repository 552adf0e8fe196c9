"""Steps other journeys reuse: a new trainee, the service worker in control."""

from __future__ import annotations

import itertools
import random
import re
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from tests.e2e.harness import sms_text_to
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
    """Sign up through the form, typing the numbers in Eastern-Arabic digits, then
    the code the SMS brought (read from the server's SMS files)."""
    trainee = trainee or new_trainee()
    page.goto("/accounts/signup/")
    page.fill("#id_full_name_ar", trainee.full_name_ar)
    page.fill("#id_national_id", trainee.national_id.translate(EASTERN))
    page.fill("#id_phone", trainee.phone.translate(EASTERN))
    page.fill("#id_password1", trainee.password)
    page.fill("#id_password2", trainee.password)
    if shot:
        shot(page, "sign-up-filled")
    sent_after = time.time() - 1
    page.click("main button[type=submit]")
    type_sms_code(page, trainee.phone, after=sent_after, shot=shot)
    return trainee


def sms_code_to(page, phone: str, *, after: float) -> str:
    """The six-digit code of the SMS the server sent to the number."""
    text = sms_text_to(_base(page.url), phone, after=after)
    found = re.search(r"(?<!\d)(\d{6})(?!\d)", text)
    assert found, f"the SMS holds no code: {text!r}"
    return found.group(1)


def type_sms_code(page, phone: str, *, after: float, shot=None) -> None:
    """On the code step: type the code (Eastern-Arabic digits) and go on."""
    page.wait_for_url(lambda url: "/accounts/signup/code/" in url)
    page.fill("#id_code", sms_code_to(page, phone, after=after).translate(EASTERN))
    if shot:
        shot(page, "sign-up-code")
    page.click("main form button.primary")
    page.wait_for_url("**/dashboard/")


def _base(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


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
