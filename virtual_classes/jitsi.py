"""Jitsi Meet: room tokens (JWT), low-bandwidth settings and the room-size service.

Token claims follow lib-jitsi-meet's doc/tokens.md: every context value is a string.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
from urllib.parse import unquote, urlsplit

import jwt
import requests
from django.conf import settings
from django.utils import timezone

from virtual_classes.data import RoomStatus
from virtual_classes.models import LiveClass

logger = logging.getLogger(__name__)

TOKEN_GRACE_MIN = 15
SIGNATURE_HEADER = "X-Maharat-Signature"


def _text(value) -> str:
    return "" if value is None else str(value)


def token_claims(
    *, user, live_class: LiveClass, moderator: bool, now: dt.datetime | None = None
) -> dict:
    """Claims for Jitsi's token authentication, valid only around the class."""
    now = now or timezone.now()
    not_before = max(live_class.join_opens_at, now - dt.timedelta(minutes=1))
    expires = live_class.ends_at + dt.timedelta(minutes=TOKEN_GRACE_MIN)
    app_id = settings.JITSI_APP_ID or "jitsi"
    return {
        "aud": app_id,
        "iss": app_id,
        "sub": settings.JITSI_DOMAIN,
        "room": live_class.room_name,
        "iat": int(now.timestamp()),
        "nbf": int(not_before.timestamp()),
        "exp": int(expires.timestamp()),
        "context": {
            "user": {
                "id": _text(user.id),
                "name": _text(user.display_name),
                "email": _text(user.email),
                "avatar": "",
                "moderator": "true" if moderator else "false",
                "affiliation": "owner" if moderator else "member",
            }
        },
    }


def token_for(*, user, live_class: LiveClass, moderator: bool) -> str | None:
    """An HS256 token, or None in development when no app secret is configured."""
    if not settings.JITSI_APP_SECRET:
        return None
    claims = token_claims(user=user, live_class=live_class, moderator=moderator)
    return jwt.encode(claims, settings.JITSI_APP_SECRET, algorithm="HS256")


def low_bandwidth_config(*, live_class: LiveClass) -> dict:
    """configOverwrite for phones on 3G: audio first, 360p cap, few video streams."""
    return {
        "startAudioOnly": live_class.start_audio_only,
        "startWithVideoMuted": live_class.start_audio_only,
        "resolution": 360,
        "constraints": {"video": {"height": {"ideal": 360, "max": 360, "min": 180}}},
        "channelLastN": getattr(settings, "JITSI_LAST_N", 4),
        "enableLayerSuspension": True,
        "disableAudioLevels": True,
        "prejoinConfig": {"enabled": False},
        "p2p": {"enabled": False},
        "disableDeepLinking": True,
    }


def room_status(*, live_class: LiveClass) -> RoomStatus:
    """Ask Prosody's mod_muc_size how many are in the room; never raises.

    Unconfigured: assume video is available. 404: the room is not created yet.
    """
    url = settings.JITSI_ROOM_SIZE_URL
    if not url:
        return RoomStatus(available=True, participants=None)
    try:
        response = requests.get(
            url,
            params={"room": live_class.room_name, "domain": settings.JITSI_DOMAIN},
            timeout=settings.JITSI_TIMEOUT_S,
        )
    except requests.RequestException as error:
        logger.warning("Jitsi room-size unreachable: %s", type(error).__name__)
        return RoomStatus(available=False, participants=None)
    if response.status_code == 404:
        return RoomStatus(available=True, participants=0)
    if response.status_code != 200:
        logger.warning("Jitsi room-size answered %s", response.status_code)
        return RoomStatus(available=False, participants=None)
    try:
        participants = int(response.json()["participants"])
    except (ValueError, KeyError, TypeError):
        logger.warning("Jitsi room-size answered an unexpected body")
        return RoomStatus(available=False, participants=None)
    return RoomStatus(available=True, participants=participants)


def sign_body(body: bytes, secret: str | None = None) -> str:
    """The signature header value for a notification body (HMAC-SHA256)."""
    secret = secret if secret is not None else settings.JITSI_WEBHOOK_SECRET
    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def signature_valid(body: bytes, header: str | None) -> bool:
    if not settings.JITSI_WEBHOOK_SECRET or not header:
        return False
    return hmac.compare_digest(sign_body(body), header.strip())


def recording_url_allowed(url: str) -> bool:
    """Download recordings only over the configured Jitsi recordings origin, below
    its base path by whole segments: with a base of `/recordings` neither
    `/recordings-other/…` nor `/recordings/../admin` (raw or percent-encoded), a
    backslash or an empty segment gets through, nor credentials in the URL."""
    base = urlsplit(settings.JITSI_RECORDINGS_BASE_URL or "")
    try:
        target = urlsplit(url)
        port_ok = target.port == base.port
    except ValueError:  # a malformed port or address
        return False
    if not (base.scheme and base.netloc) or target.username or target.password:
        return False
    if target.scheme != base.scheme or not port_ok:
        return False
    if (target.hostname or "").lower() != (base.hostname or "").lower():
        return False
    segments = unquote(target.path).split("/")
    if "\\" in unquote(target.path) or any(s in (".", "..") for s in segments):
        return False
    prefix = [s for s in (base.path or "/").split("/") if s]
    wanted = segments[1:]  # the path starts with "/"
    if not target.path.startswith("/") or "" in wanted:  # `//`, or a folder
        return False
    return len(wanted) > len(prefix) and wanted[: len(prefix)] == prefix
