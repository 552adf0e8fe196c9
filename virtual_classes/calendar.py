"""iCalendar (RFC 5545) for one class: trainees add it to their phone's calendar."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

from virtual_classes.data import LiveClassData


def _escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def _fold(line: str) -> str:
    """Fold at 75 octets without splitting a UTF-8 character (Arabic is 2 bytes)."""
    out, current = [], ""
    for char in line:
        limit = 75 if not out else 74
        if len((current + char).encode()) > limit:
            out.append(current)
            current = char
        else:
            current += char
    out.append(current)
    return "\r\n ".join(out)


def _stamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def live_class_ics(*, live_class: LiveClassData, url: str) -> str:
    host = settings.SITE_URL.split("//", 1)[-1].split("/", 1)[0] or "maharat"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Maharat//Live classes//AR",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:live-class-{live_class.id}@{host}",
        f"DTSTAMP:{_stamp(timezone.now())}",
        f"DTSTART:{_stamp(live_class.starts_at)}",
        f"DTEND:{_stamp(live_class.ends_at)}",
        f"SUMMARY:{_escape(live_class.title)}",
        f"DESCRIPTION:{_escape(live_class.description or live_class.title)}",
        f"URL:{url}",
        f"LOCATION:{_escape(url)}",
        # a calendar that imports the file again marks the event cancelled
        "STATUS:CANCELLED" if live_class.is_cancelled else "STATUS:CONFIRMED",
        "BEGIN:VALARM",
        "ACTION:DISPLAY",
        f"DESCRIPTION:{_escape(live_class.title)}",
        "TRIGGER:-PT15M",
        "END:VALARM",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
