"""Keep national IDs out of every log line, the web server's included."""

from __future__ import annotations

import logging
import logging.config
from typing import Any
from urllib.parse import unquote_plus

from lms.accounts.national_id import mask_national_ids_in_text

# Loggers the ASGI server set up before Django started. uvicorn's access log prints
# every request line with its query string (`/verify/?serial=…`, `?q=…`: what a
# person typed, which can be a national ID).
SERVER_LOGGERS = ("uvicorn", "uvicorn.error", "uvicorn.access", "uvicorn.asgi")


def _mask(text: str) -> str:
    """Mask IDs in `text`, also one that is percent-encoded in a URL (an ID typed
    in Eastern-Arabic digits reaches the access log as `%D9%A2…`)."""
    masked = mask_national_ids_in_text(text)
    if "%" in masked or "+" in masked:
        decoded = unquote_plus(masked)
        if mask_national_ids_in_text(decoded) != decoded:
            return mask_national_ids_in_text(decoded)
    return masked


class MaskNationalIdFilter(logging.Filter):
    """Mask anything shaped like a national ID in a record's message.

    String arguments are masked in place, so a formatter that reads `record.args`
    itself (uvicorn's access formatter unpacks them) keeps working; anything else
    that still renders an ID gets the rendered, masked message instead."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken format string must not drop the line
            return True
        if _mask(message) == message:
            return True
        if isinstance(record.args, tuple):
            record.args = tuple(
                _mask(a) if isinstance(a, str) else a for a in record.args
            )
        if isinstance(record.msg, str):
            record.msg = _mask(record.msg)
        try:
            rendered = record.getMessage()
        except Exception:  # noqa: BLE001 - masking changed an argument a format needed
            rendered = message
        if _mask(rendered) != rendered:
            record.msg, record.args = _mask(rendered), None
        return True


def configure_logging(config: dict[str, Any]) -> None:
    """Django's LOGGING_CONFIG: apply LOGGING, then put the mask on the server's own
    loggers. Django's LOGGING leaves those as uvicorn configured them (its format,
    `--log-level`, `--no-access-log`); the filter sits on each logger, which is
    where uvicorn logs every request line."""
    logging.config.dictConfig(config)
    mask = MaskNationalIdFilter()
    for name in SERVER_LOGGERS:
        server_logger = logging.getLogger(name)
        if not any(isinstance(f, MaskNationalIdFilter) for f in server_logger.filters):
            server_logger.addFilter(mask)
