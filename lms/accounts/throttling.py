"""Rate limits of the account forms: fixed-window counters in the cache. Sign-up per
client address and per national ID typed; password-reset requests per client address;
SMS of ours per mobile number (codes and notices: no flooding someone's phone through
the forms). IDs and numbers appear in keys only as an HMAC. One INCR each.
"""

from __future__ import annotations

import hashlib
import hmac
import time

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _

from lms.kernel.errors import RateLimited

_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def now() -> float:
    """The clock the windows follow (tests pin it)."""
    return time.time()


def parse_rate(rate: str) -> tuple[int, int]:
    """ "20/h" → (20, 3600); the period may be spelt out ("hour")."""
    count, _sep, period = rate.partition("/")
    return int(count), _PERIODS[period.strip()[:1].lower()]


def client_address(request) -> str:
    """The peer address; with REST_FRAMEWORK's NUM_PROXIES, the address that many
    hops from the end of X-Forwarded-For (a client cannot vary it to dodge)."""
    proxies = settings.REST_FRAMEWORK.get("NUM_PROXIES")
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR")
    if not proxies or not forwarded:
        return request.META.get("REMOTE_ADDR", "")
    addrs = forwarded.split(",")
    return addrs[-min(proxies, len(addrs))].strip()


def _hit(kind: str, ident: str, rate: str) -> int | None:
    """Count one attempt; the seconds to wait when over the limit, else None."""
    limit, period = parse_rate(rate)
    moment = now()
    window = int(moment // period)
    key = f"throttle:{kind}:{window}:{ident}"
    cache.add(key, 0, period + 1)
    try:
        used = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, period + 1)
        used = 1
    if used <= limit:
        return None
    return max(1, int((window + 1) * period - moment))


def _digest(value: str) -> str:
    return hmac.new(
        settings.SECRET_KEY.encode(), value.encode(), hashlib.sha256
    ).hexdigest()[:32]


def signup_attempt_check(*, address: str, national_id: str = "") -> None:
    """Count a sign-up attempt; RateLimited (429, with retry_after) over the limit
    of the address or of the national ID."""
    wait = _hit("signup:ip", address, settings.ACCOUNTS_SIGNUP_RATE_IP)
    if wait is None and national_id:
        wait = _hit(
            "signup:nid",
            _digest(national_id),
            settings.ACCOUNTS_SIGNUP_RATE_NATIONAL_ID,
        )
    if wait is not None:
        raise RateLimited(
            _("Too many sign-up attempts. Please wait and try again later."),
            code="signup_rate_limited",
            retry_after=wait,
        )


def reset_attempt_check(*, address: str) -> None:
    """Count a password-reset request; RateLimited over the address's limit."""
    wait = _hit("reset:ip", address, settings.ACCOUNTS_RESET_RATE_IP)
    if wait is not None:
        raise RateLimited(
            _("Too many password reset requests. Please wait and try again later."),
            code="reset_rate_limited",
            retry_after=wait,
        )


def phone_sms_check(*, phone: str) -> None:
    """Count one SMS of ours to this number (a code, or a notice in its place);
    RateLimited over ACCOUNTS_SMS_RATE_PHONE. Counted whether or not the number has
    an account, and whatever the message, so the limit tells nothing either."""
    wait = _hit("sms:phone", _digest(phone), settings.ACCOUNTS_SMS_RATE_PHONE)
    if wait is not None:
        raise RateLimited(
            _(
                "Too many codes were sent to this number. Please wait and try "
                "again later."
            ),
            code="sms_rate_limited",
            retry_after=wait,
        )
