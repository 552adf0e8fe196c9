"""What a notice says, and a sent notice as other apps read it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Notice:
    """A notice in its recipient's language: a subject (the e-mail's), a text short
    enough for one SMS, and a link (a path on this site) where the rest is."""

    subject: str
    text: str
    link: str = ""


@dataclass(frozen=True)
class NotificationData:
    id: int
    kind: str
    subject: str
    text: str
    link: str
    channel: str
    status: str
    created_at: dt.datetime
    sent_at: dt.datetime | None
    status_label: str = ""
