"""A Twilio-shaped SMS gateway on a local port, speaking the Messages API:

POST /2010-04-01/Accounts/{AccountSid}/Messages.json, form-encoded To, From and Body,
HTTP basic auth with the account SID and auth token. A good request answers 201 with
the message resource (`sid` "SM" + 32 hex, `status` "queued", `to`, `from`, `body`,
`account_sid`, `num_segments`, ...); errors answer Twilio's error body
`{"code", "message", "more_info", "status"}`: 401/20003 bad credentials, 404/20404
another account's URL, 400/21604 no To, 400/21602 no Body, 400/21211 a To that is not
E.164, 400/21212 an unknown From.

`gateway.fail_next` = [(http_status, twilio_code), ...] makes the next requests fail
that way (e.g. (429, 20429), (503, 20503)) before behaving again.
"""

from __future__ import annotations

import base64
import json
import re
import secrets
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

_E164 = re.compile(r"\+[1-9]\d{7,14}")


class FakeTwilio:
    account_sid = "AC" + "0123456789abcdef" * 2
    auth_token = "test-auth-token-0123456789"
    sender = "+15005550006"

    def __init__(self) -> None:
        self.messages: list[dict[str, str]] = []
        self.requests = 0
        self.fail_next: list[tuple[int, int]] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def __enter__(self) -> FakeTwilio:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()

    def answer(self, path: str, auth: str, form: dict[str, str]) -> tuple[int, dict]:
        with self._lock:
            self.requests += 1
            if self.fail_next:
                status, code = self.fail_next.pop(0)
                return status, _error(status, code, "Service unavailable, try again")
        expected = (
            "Basic "
            + base64.b64encode(
                f"{self.account_sid}:{self.auth_token}".encode()
            ).decode()
        )
        if auth != expected:
            return 401, _error(401, 20003, "Authenticate")
        if path != f"/2010-04-01/Accounts/{self.account_sid}/Messages.json":
            return 404, _error(404, 20404, "The requested resource was not found")
        to, sender, body = form.get("To", ""), form.get("From", ""), form.get("Body")
        if not to:
            return 400, _error(400, 21604, "A 'To' phone number is required.")
        if not body:
            return 400, _error(400, 21602, "Message body is required.")
        if not _E164.fullmatch(to):
            return 400, _error(
                400, 21211, f"Invalid 'To' Phone Number: {to}"
            )  # Twilio quotes the number
        if sender != self.sender:
            return 400, _error(400, 21212, f"Invalid From Number: {sender}")
        sid = "SM" + secrets.token_hex(16)
        message = {
            "sid": sid,
            "account_sid": self.account_sid,
            "to": to,
            "from": sender,
            "body": body,
            "status": "queued",
            "num_segments": "1",
            "direction": "outbound-api",
            "api_version": "2010-04-01",
            "error_code": None,
            "error_message": None,
            "uri": f"/2010-04-01/Accounts/{self.account_sid}/Messages/{sid}.json",
        }
        with self._lock:
            self.messages.append(message)
        return 201, message

    def _handler(self):
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's naming
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode()
                if not self.headers.get("Content-Type", "").startswith(
                    "application/x-www-form-urlencoded"
                ):
                    status, body = 400, _error(400, 20001, "Bad content type")
                else:
                    form = {k: v[0] for k, v in parse_qs(raw).items()}
                    status, body = gateway.answer(
                        self.path, self.headers.get("Authorization", ""), form
                    )
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        return Handler


def _error(status: int, code: int, message: str) -> dict:
    return {
        "code": code,
        "message": message,
        "more_info": f"https://www.twilio.com/docs/errors/{code}",
        "status": status,
    }
