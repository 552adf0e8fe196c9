"""Notifications from Jitsi (recorder, webhooks): verified, stored once, acted on."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.kernel.errors import Forbidden, Invalid
from virtual_classes import jitsi
from virtual_classes.data import AttendanceSource, JitsiEventData
from virtual_classes.models import JitsiEvent, LiveClass
from virtual_classes.selectors.permissions import participant_role
from virtual_classes.services.attendance import attendance_join, attendance_leave
from virtual_classes.signals import recording_announced

RECORDING_UPLOADED = "RECORDING_UPLOADED"
PRESENCE_EVENTS = {"PARTICIPANT_JOINED", "PARTICIPANT_LEFT"}


def _event_data(event: JitsiEvent) -> JitsiEventData:
    return JitsiEventData(
        id=event.pk,
        event_type=event.event_type,
        status=event.status,
        live_class_id=event.live_class_id,
    )


def jitsi_notification_receive(
    *, body: bytes, signature: str | None
) -> tuple[JitsiEventData, bool]:
    """A raw notification as it arrived: the signature header (HMAC-SHA256 of the
    body with ``JITSI_WEBHOOK_SECRET``) is checked first; no secret configured
    refuses everything. Forbidden (``bad_signature``), Invalid (not JSON or not the
    expected shape), else as ``jitsi_event_receive``."""
    if not jitsi.signature_valid(body, signature):
        raise Forbidden(_("Invalid signature."), code="bad_signature")
    try:
        payload = json.loads(body)
    except ValueError:
        raise Invalid(_("The body is not valid JSON."), code="malformed_json") from None
    return jitsi_event_receive(payload=payload)


def _room_from(payload: dict[str, Any]) -> str:
    fqn = payload.get("fqn")
    if isinstance(fqn, str) and fqn:
        return fqn.rsplit("/", 1)[-1].lower()
    room = (payload.get("data") or {}).get("room")
    return room.lower() if isinstance(room, str) else ""


def jitsi_event_receive(*, payload: object) -> tuple[JitsiEventData, bool]:
    """Store a verified notification once (by idempotencyKey) and act on it:
    a recording is queued for download after the commit, a participant event
    becomes a Jitsi attendance interval, anything else is kept as ignored.

    Returns (event, created); a repeated key changes nothing.
    """
    if not isinstance(payload, dict):
        raise Invalid(_("The notification must be a JSON object."))
    key = payload.get("idempotencyKey")
    event_type = payload.get("eventType")
    data = payload.get("data")
    if not isinstance(key, str) or not key or len(key) > 200:
        raise Invalid(_("idempotencyKey is missing or too long."))
    if not isinstance(event_type, str) or not isinstance(data, dict):
        raise Invalid(_("eventType and data are required."))
    existing = JitsiEvent.objects.filter(idempotency_key=key).first()
    if existing:
        return _event_data(existing), False
    live_class = LiveClass.objects.filter(room_name=_room_from(payload)).first()
    if event_type == RECORDING_UPLOADED:
        link = data.get("preAuthenticatedLink")
        if not isinstance(link, str) or not jitsi.recording_url_allowed(link):
            raise Invalid(_("The recording link is not on the configured Jitsi host."))
        if live_class is None:
            raise Invalid(_("No live class uses this room."))
    try:
        with transaction.atomic():
            event = JitsiEvent.objects.create(
                idempotency_key=key,
                event_type=event_type[:60],
                live_class=live_class,
                payload=payload,
            )
            if event_type == RECORDING_UPLOADED:
                recording_announced.send(sender=JitsiEvent, event_id=event.pk)
            elif event_type in PRESENCE_EVENTS and live_class is not None:
                _jitsi_presence(event=event, live_class=live_class, payload=payload)
            else:
                event.status = JitsiEvent.Status.IGNORED
                event.save(update_fields=["status"])
    except IntegrityError:
        return _event_data(JitsiEvent.objects.get(idempotency_key=key)), False
    return _event_data(event), True


def _jitsi_presence(
    *, event: JitsiEvent, live_class: LiveClass, payload: dict[str, Any]
) -> None:
    """A participant joined or left the video: a jitsi attendance interval."""
    data = payload["data"]
    user_id = _int_or_none(data.get("id"))
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    if user is None or participant_role(user=user, live_class=live_class) is None:
        event.status = JitsiEvent.Status.IGNORED
        event.save(update_fields=["status"])
        return
    timestamp = payload.get("timestamp")
    at = timezone.now()
    if isinstance(timestamp, int | float) and not isinstance(timestamp, bool):
        at = dt.datetime.fromtimestamp(timestamp / 1000, tz=dt.UTC)
    connection = str(
        data.get("participantId") or data.get("participantJid") or f"user:{user.pk}"
    )[:200]
    move = (
        attendance_join
        if payload["eventType"] == "PARTICIPANT_JOINED"
        else (attendance_leave)
    )
    move(
        live_class_id=live_class.pk,
        user_id=user.pk,
        source=AttendanceSource.JITSI,
        connection_key=connection,
        at=at,
    )
    event.status = JitsiEvent.Status.DONE
    event.save(update_fields=["status"])


def _int_or_none(value: object) -> int | None:
    try:
        return int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return None
