"""The SMS a test's client was sent (the memory gateway of lms.settings_test), and
sign-up through both of its steps: the form, then the code from the SMS."""

from __future__ import annotations

import re

from django.urls import reverse

from lms.kernel.notifications.gateways import MemoryGateway, international

_CODE = re.compile(r"(?<!\d)(\d{6})(?!\d)")


def texts_to(phone: str) -> list[str]:
    """Every SMS sent to the number (any spelling of it), oldest first."""
    to = international(phone)
    return [text for number, text in MemoryGateway.outbox if number == to]


def code_sent_to(phone: str) -> str:
    """The code in the last SMS to the number (fails when it holds none)."""
    texts = texts_to(phone)
    assert texts, f"no SMS was sent to {phone}"
    found = _CODE.search(texts[-1])
    assert found, f"the last SMS to {phone} holds no code: {texts[-1]!r}"
    return found.group(1)


def sign_up(
    client, form: dict, *, follow: bool = False, code: str | None = None, **extra
):
    """Send the form; when it goes on to the code step, type the code sent to the
    form's number (or `code`). The last answer (followed when `follow`); `extra`
    goes with both requests (REMOTE_ADDR=...)."""
    first = client.post(reverse("accounts:signup"), form, **extra)
    if first.status_code != 302 or first["Location"] != reverse("accounts:signup_code"):
        return first
    phone = form["phone"].translate(str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789"))
    typed = code if code is not None else code_sent_to(phone)
    return client.post(
        reverse("accounts:signup_code"), {"code": typed}, follow=follow, **extra
    )
