"""A logging filter that keeps national IDs out of every log line."""

from __future__ import annotations

import logging

from lms.accounts.national_id import mask_national_ids_in_text


class MaskNationalIdFilter(logging.Filter):
    """Render the message once and mask anything shaped like a national ID."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a broken format string must not drop the line
            return True
        masked = mask_national_ids_in_text(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True
