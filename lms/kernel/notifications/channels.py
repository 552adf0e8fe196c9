"""The channels a notice can travel by, and which one a person gets.

A person chooses (`Preference`, stored on the account by lms.accounts): SMS to their
mobile, e-mail, or none (the site's list only) for what is not essential. Each channel
is a small class in `CHANNELS` with `address(user)` (None when the person has no
address on it) and `send(notice, user)` returning the provider's message id; a
refusal is a `gateways.GatewayError` (transient or not).
"""

from __future__ import annotations

from email.utils import make_msgid
from typing import Any, Protocol

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import models
from django.utils.translation import gettext_lazy as _

from lms.kernel.notifications.gateways import GatewayError, sms_gateway
from lms.kernel.notifications.personal import sms_safe

SMS_MAX_CHARS = 300  # about four Arabic SMS parts (67 characters each, UCS-2)


class Preference(models.TextChoices):
    SMS = "sms", _("SMS to my mobile")
    EMAIL = "email", _("E-mail")
    NONE = "none", _("Only on the site (essential notices still come by SMS or e-mail)")


class Outgoing(Protocol):
    """What a channel sends (a Notification row)."""

    pk: int
    subject: str
    text: str
    link: str


class Channel(Protocol):
    name: str

    def address(self, user: Any) -> str | None: ...

    def send(self, notice: Outgoing, user: Any) -> str: ...


def absolute(link: str) -> str:
    """A notice's link (a path on this site) as an address to open from a phone."""
    if not link:
        return ""
    return settings.SITE_URL.rstrip("/") + "/" + link.split("?", 1)[0].lstrip("/")


class EmailChannel:
    name = "email"

    def address(self, user: Any) -> str | None:
        return getattr(user, "email", "") or None

    def send(self, notice: Outgoing, user: Any) -> str:
        body = notice.text
        if notice.link:
            body += "\n\n" + absolute(notice.link)
        message_id = make_msgid(domain="maharat")
        message = EmailMessage(
            subject=notice.subject,
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[user.email],
            headers={"Message-ID": message_id},
        )
        try:
            message.send(fail_silently=False)
        except (OSError, ValueError) as exc:  # smtplib's errors are OSErrors
            raise GatewayError(
                "email", type(exc).__name__, transient=isinstance(exc, OSError)
            ) from None
        return message_id


class SmsChannel:
    name = "sms"

    def address(self, user: Any) -> str | None:
        if sms_gateway() is None:
            return None
        return getattr(user, "phone", "") or None

    def send(self, notice: Outgoing, user: Any) -> str:
        gateway = sms_gateway()
        if gateway is None:
            raise GatewayError("sms_off", "SMS_BACKEND is not set", transient=False)
        return gateway.send(to=user.phone, text=sms_text(notice, user))


def sms_text(notice: Outgoing, user: Any) -> str:
    """The SMS body: the notice's text with nothing personal in it, then its link."""
    names = [
        getattr(user, attr, "")
        for attr in ("full_name_ar", "full_name_en", "first_name", "last_name")
    ]
    text = sms_safe(notice.text, names=names)
    link = absolute(notice.link)
    room = SMS_MAX_CHARS - (len(link) + 1 if link else 0)
    if len(text) > room:
        text = text[: room - 1].rstrip() + "…"
    return f"{text}\n{link}" if link else text


CHANNELS: dict[str, Channel] = {"sms": SmsChannel(), "email": EmailChannel()}


def channel_for(user: Any, *, essential: bool) -> str:
    """The channel a notice to this person goes by: their choice when they have an
    address on it, else the other one; "" (the site only) when they chose none and
    the notice is not essential, or when they have no address at all."""
    chosen = getattr(user, "notification_channel", "") or Preference.SMS
    if chosen == Preference.NONE and not essential:
        return ""
    order = ["email", "sms"] if chosen == Preference.EMAIL else ["sms", "email"]
    for name in order:
        if CHANNELS[name].address(user):
            return name
    return ""
