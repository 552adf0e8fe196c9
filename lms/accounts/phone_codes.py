"""One-time codes by SMS that prove a mobile number: at sign-up, for a password reset.

A code is six random digits. The table keeps an HMAC of it (SECRET_KEY, a salt per row),
never the digits; they exist in this process only until the SMS is handed to the
gateway (straight to `lms.kernel.notifications.gateways`, not through the outbox, which
keeps each text), and only the development gateways (file, memory) keep the text. A
code expires after ACCOUNTS_CODE_TTL_S, takes ACCOUNTS_CODE_MAX_ATTEMPTS wrong tries in
all (resending does not give more), is sent again at most ACCOUNTS_CODE_MAX_SENDS times,
ACCOUNTS_CODE_RESEND_AFTER_S apart, and is used once. Every SMS to a number counts
against its limit (throttling.phone_sms_check).

A row's `message` says what its SMS says; every kind is checked and resent alike, so
the pages answer the same whether or not the number has an account. The SMS itself is
sent after the answer has gone out (`lms.kernel.after_response`), so neither does the
time the answer takes.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lms.accounts.models import CodeMessage, CodePurpose, PhoneCode, User
from lms.accounts.throttling import phone_sms_check
from lms.kernel.digits import to_western_digits
from lms.kernel.errors import Invalid, RateLimited
from lms.kernel.notifications.channels import absolute
from lms.kernel.notifications.gateways import GatewayError, sms_gateway

logger = logging.getLogger(__name__)

CODE_DIGITS = 6


@dataclass(frozen=True)
class OutgoingSms:
    """One SMS to send (its text may hold a code: kept in memory only)."""

    phone: str
    text: str

    def send(self) -> None:
        """Hand it to the gateway; a refusal is logged by its code (no number, no
        text): the person asks for the code again."""
        gateway = sms_gateway()
        if gateway is None:
            logger.error("a one-time code could not be sent: SMS is off")
            return
        try:
            gateway.send(to=self.phone, text=self.text)
        except GatewayError as exc:
            logger.warning("a one-time code SMS was refused: %s", exc.code)


@dataclass(frozen=True)
class CodeStatus:
    """What the code page says: where the code went, and what may be done now."""

    phone: str
    resend_in_s: int
    sends_left: int
    tries_left: int
    expired: bool


def _ttl() -> dt.timedelta:
    return dt.timedelta(seconds=settings.ACCOUNTS_CODE_TTL_S)


def _digest(salt: str, code: str) -> str:
    return salted_hmac(
        "lms.accounts.phone_code", f"{salt}:{code}", algorithm="sha256"
    ).hexdigest()


def _new_code(row: PhoneCode) -> str:
    """A fresh code for the row (its HMAC and salt set, not saved)."""
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    row.salt = secrets.token_hex(16)
    row.code_hash = _digest(row.salt, code)
    return code


def _minutes() -> int:
    return max(1, settings.ACCOUNTS_CODE_TTL_S // 60)


def _text(row: PhoneCode, code: str) -> str | None:
    """The SMS of the row's kind, in the language of the page (the recovery notice
    in its owner's), or None when the number gets nothing."""
    minutes = _minutes()
    if row.message == CodeMessage.NONE:
        return None
    if row.message == CodeMessage.ACCOUNT_EXISTS:
        language = (row.user.preferred_language if row.user else "") or None
        with translation.override(language or translation.get_language()):
            return _(
                "Maharat: someone is creating a new account with this number, "
                "which already has one. If it was you, log in or reset your "
                "password: %(url)s If it was not you, ignore this message."
            ) % {"url": absolute(reverse("accounts:password_reset"))}
    if row.purpose == CodePurpose.PASSWORD_RESET:
        return ngettext(
            "Maharat: your password reset code is %(code)s. It expires in "
            "%(minutes)d minute. If you did not ask for it, ignore this message.",
            "Maharat: your password reset code is %(code)s. It expires in "
            "%(minutes)d minutes. If you did not ask for it, ignore this message.",
            minutes,
        ) % {"code": code, "minutes": minutes}
    return ngettext(
        "Maharat: your code is %(code)s. It expires in %(minutes)d minute. "
        "Never give it to anyone.",
        "Maharat: your code is %(code)s. It expires in %(minutes)d minutes. "
        "Never give it to anyone.",
        minutes,
    ) % {"code": code, "minutes": minutes}


def _outgoing(row: PhoneCode, code: str) -> OutgoingSms | None:
    text = _text(row, code)
    return OutgoingSms(phone=row.phone, text=text) if text else None


def code_issue(
    *, purpose: str, phone: str, message: str, user: User | None = None
) -> tuple[PhoneCode, OutgoingSms | None]:
    """A new code for the number, and the SMS to send (None: nothing goes out).
    RateLimited when the number has had its SMS for now."""
    phone_sms_check(phone=phone)
    now = timezone.now()
    row = PhoneCode(
        purpose=purpose,
        phone=phone,
        message=message,
        user=user,
        sent_at=now,
        expires_at=now + _ttl(),
    )
    code = _new_code(row)
    row.save()
    return row, _outgoing(row, code)


def _gone() -> Invalid:
    return Invalid(
        _("This code can no longer be used. Please start again."), code="code_gone"
    )


def _exhausted() -> Invalid:
    return Invalid(
        _("Too many wrong codes. Please start again to get a new one."),
        code="code_attempts",
    )


def _row(code_id: int | None, purpose: str, *, lock: bool = False) -> PhoneCode:
    rows = PhoneCode.objects.select_related("user")
    if lock:
        rows = rows.select_for_update(of=("self",))
    row = rows.filter(pk=code_id, purpose=purpose).first() if code_id else None
    if row is None or row.used_at is not None:
        raise _gone()
    return row


def code_status(*, code_id: int, purpose: str) -> CodeStatus:
    """Where the code went and what may be done now (Invalid: start again)."""
    row = _row(code_id, purpose)
    now = timezone.now()
    wait = row.sent_at + dt.timedelta(seconds=settings.ACCOUNTS_CODE_RESEND_AFTER_S)
    return CodeStatus(
        phone=row.phone,
        resend_in_s=max(0, int((wait - now).total_seconds() + 0.999)),
        sends_left=max(0, settings.ACCOUNTS_CODE_MAX_SENDS - row.sends),
        tries_left=max(0, settings.ACCOUNTS_CODE_MAX_ATTEMPTS - row.attempts),
        expired=now >= row.expires_at,
    )


@transaction.atomic
def code_resend(*, code_id: int, purpose: str) -> OutgoingSms | None:
    """A new code in place of the old one (which then stops working), with a fresh
    lifetime and the tries already used. Refusals: Invalid (start again),
    RateLimited (too soon, too many sends, the number's limit)."""
    row = _row(code_id, purpose, lock=True)
    if row.attempts >= settings.ACCOUNTS_CODE_MAX_ATTEMPTS:
        raise _exhausted()
    if row.sends >= settings.ACCOUNTS_CODE_MAX_SENDS:
        raise RateLimited(
            _("No more codes can be sent for this request. Please start again."),
            code="code_sends",
        )
    now = timezone.now()
    wait = row.sent_at + dt.timedelta(seconds=settings.ACCOUNTS_CODE_RESEND_AFTER_S)
    if now < wait:
        seconds = int((wait - now).total_seconds() + 0.999)
        raise RateLimited(
            ngettext(
                "You can ask for a new code in %(seconds)d second.",
                "You can ask for a new code in %(seconds)d seconds.",
                seconds,
            )
            % {"seconds": seconds},
            code="code_resend_too_soon",
            retry_after=seconds,
        )
    phone_sms_check(phone=row.phone)
    code = _new_code(row)
    row.sends += 1
    row.sent_at = now
    row.expires_at = now + _ttl()
    row.save(update_fields=["salt", "code_hash", "sends", "sent_at", "expires_at"])
    return _outgoing(row, code)


def normalize_code(value: object) -> str:
    """What was typed, in Western digits without spaces or dashes."""
    text = to_western_digits(str(value or ""))
    return "".join(ch for ch in text if ch not in " -\u200e\u200f\u00a0")


def code_verify(*, code_id: int, purpose: str, typed: str) -> PhoneCode:
    """Use the code: the row, marked used, when `typed` is its code. Refusals
    (Invalid): wrong (tries left said), expired, too many wrong tries, used or
    unknown. A wrong try is counted even though the refusal is raised."""
    with transaction.atomic():
        row = _row(code_id, purpose, lock=True)
        if row.attempts >= settings.ACCOUNTS_CODE_MAX_ATTEMPTS:
            raise _exhausted()
        if timezone.now() >= row.expires_at:
            raise Invalid(
                _("This code has expired. Ask for a new one."), code="code_expired"
            )
        if constant_time_compare(
            _digest(row.salt, normalize_code(typed)), row.code_hash
        ):
            row.used_at = timezone.now()
            row.save(update_fields=["used_at"])
            return row
        row.attempts += 1
        row.save(update_fields=["attempts"])
        left = settings.ACCOUNTS_CODE_MAX_ATTEMPTS - row.attempts
    if left <= 0:
        raise _exhausted()
    raise Invalid(
        ngettext(
            "That is not the code we sent. %(left)d try left.",
            "That is not the code we sent. %(left)d tries left.",
            left,
        )
        % {"left": left},
        code="code_wrong",
    )


def phone_codes_prune(*, older_than: dt.timedelta = dt.timedelta(days=1)) -> int:
    """Delete codes that expired more than `older_than` ago; how many."""
    cutoff = timezone.now() - older_than
    deleted, _rows = PhoneCode.objects.filter(expires_at__lt=cutoff).delete()
    return deleted
