"""SMS gateways: `send(to=, text=)` hands one message over and returns its id.

`SMS_BACKEND` picks one: `twilio` (Twilio's Messages API, or any gateway speaking it
at `SMS_GATEWAY_URL`), `file` (the laptop: one file per message under `SMS_FILE_PATH`),
`memory` (tests: a list in this process). A refusal is a `GatewayError` saying whether
trying again later may help (`transient`). Neither the number nor the text is logged.
"""

from __future__ import annotations

import logging
import uuid
from pathlib import Path
from typing import Protocol

import requests
from django.conf import settings
from django.utils import timezone

logger = logging.getLogger("lms.notifications")

# Twilio answers 429 when sending too fast and 5xx when it is in trouble.
_TRANSIENT_STATUSES = {408, 425, 429, 500, 502, 503, 504}


class GatewayError(Exception):
    """The gateway did not take the message: `code` (the provider's, or ours) and a
    message that names no recipient; `transient` when a later try may succeed."""

    def __init__(self, code: str, message: str, *, transient: bool) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.transient = transient


class SmsGateway(Protocol):
    def send(self, *, to: str, text: str) -> str: ...


def international(phone: str) -> str:
    """An Egyptian mobile (`01012345678`) in E.164 (`+201012345678`)."""
    if phone.startswith("+"):
        return phone
    if phone.startswith("0"):
        return "+20" + phone[1:]
    return "+" + phone


class TwilioGateway:
    """Twilio's Messages API: POST /2010-04-01/Accounts/{sid}/Messages.json with the
    form fields To, From and Body, HTTP basic auth (account SID, auth token); 201 with
    the message's JSON (`sid`, `status`), or an error JSON (`code`, `message`)."""

    def __init__(
        self,
        *,
        base_url: str,
        account_sid: str,
        auth_token: str,
        sender: str,
        timeout_s: float,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.sender = sender
        self.timeout_s = timeout_s

    def send(self, *, to: str, text: str) -> str:
        url = f"{self.base_url}/2010-04-01/Accounts/{self.account_sid}/Messages.json"
        try:
            response = requests.post(
                url,
                data={"To": international(to), "From": self.sender, "Body": text},
                auth=(self.account_sid, self.auth_token),
                timeout=self.timeout_s,
            )
        except requests.RequestException as exc:
            raise GatewayError(
                "unreachable", type(exc).__name__, transient=True
            ) from None
        body = _json(response)
        if response.status_code in (200, 201) and body.get("sid"):
            if body.get("status") in ("failed", "undelivered"):
                raise GatewayError(
                    str(body.get("error_code") or "failed"),
                    "the provider did not accept the message",
                    transient=False,
                )
            return str(body["sid"])
        raise GatewayError(
            str(body.get("code") or f"http_{response.status_code}"),
            # The provider's message can quote the number: only its code is kept,
            # with the HTTP status (its documentation explains each code).
            f"HTTP {response.status_code}",
            transient=response.status_code in _TRANSIENT_STATUSES,
        )


def _json(response: requests.Response) -> dict:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


class FileGateway:
    """The laptop's gateway: each message is a file (read them in `var/sms/`)."""

    def __init__(self, *, directory: str | Path) -> None:
        self.directory = Path(directory)

    def send(self, *, to: str, text: str) -> str:
        self.directory.mkdir(parents=True, exist_ok=True)
        ref = f"file-{uuid.uuid4().hex}"
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
        path = self.directory / f"{stamp}-{ref}.txt"
        path.write_text(f"To: {international(to)}\n\n{text}\n", encoding="utf-8")
        logger.info("SMS %s written to %s", ref, path)
        return ref


class MemoryGateway:
    """Tests' gateway: messages kept in `MemoryGateway.outbox` (like mail.outbox)."""

    outbox: list[tuple[str, str]] = []

    def send(self, *, to: str, text: str) -> str:
        MemoryGateway.outbox.append((international(to), text))
        return f"memory-{len(MemoryGateway.outbox)}"


def sms_gateway() -> SmsGateway | None:
    """The configured gateway, or None when SMS is off (`SMS_BACKEND` empty)."""
    backend = getattr(settings, "SMS_BACKEND", "")
    if backend == "twilio":
        return TwilioGateway(
            base_url=settings.SMS_GATEWAY_URL,
            account_sid=settings.SMS_ACCOUNT_SID,
            auth_token=settings.SMS_AUTH_TOKEN,
            sender=settings.SMS_FROM,
            timeout_s=settings.SMS_TIMEOUT_S,
        )
    if backend == "file":
        return FileGateway(directory=settings.SMS_FILE_PATH)
    if backend == "memory":
        return MemoryGateway()
    return None
