"""Plain data the accounts app hands to other apps (no model, no database)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import get_language


@dataclass(frozen=True)
class DirectorateData:
    """A labour directorate (one governorate) or the ministry's head office."""

    code: str
    governorate_code: str
    is_head_office: bool
    name_ar: str
    name_en: str

    @property
    def name(self) -> str:
        """In the language of the page (Arabic unless English was chosen)."""
        if (get_language() or "ar").startswith("en"):
            return self.name_en or self.name_ar
        return self.name_ar


@dataclass(frozen=True)
class StaffScope:
    """What one ministry staff account may see and act on.

    The head office sees every governorate's work (``governorate_codes`` is then
    empty: filter nothing); a directorate sees only its ``governorate_codes``. A
    caller that forgets ``head_office`` and filters by the empty set shows nothing,
    never too much.
    """

    head_office: bool
    governorate_codes: frozenset[str]

    def covers(self, governorate_code: str | None) -> bool:
        """Whether a record of that governorate is within the scope (a record
        without a governorate belongs to the head office alone)."""
        return self.head_office or (governorate_code or "") in self.governorate_codes


@dataclass(frozen=True)
class NationalIdClaimData:
    """An account's claim to a national ID, as staff resolve it (the full ID: staff
    compare it with the card; never put it in a URL or a log)."""

    id: int
    user_id: int
    username: str
    full_name_ar: str
    national_id: str
    governorate_code: str
    state: str
    method: str
    decided_by_id: int | None
    decided_at: datetime | None
    created_at: datetime

    @property
    def is_verified(self) -> bool:
        return self.state == "verified"

    @property
    def is_open(self) -> bool:
        """Waiting for a decision (claimed or contested)."""
        return self.state in ("claimed", "contested")


@dataclass(frozen=True)
class AccountIdentityData:
    """What an account says about its holder, for the registry's conflict checks."""

    national_id: str
    full_name_ar: str
    birth_date: dt.date | None


@dataclass(frozen=True)
class SignatoryData:
    """Whom a certificate names as its approver: name and job title, both languages."""

    name_ar: str
    name_en: str
    title_ar: str
    title_en: str


@dataclass(frozen=True)
class NotificationSettingsData:
    """How a person's notices reach them: the channel chosen (lms.kernel.notifications
    Preference), the language notices are written in ("" = the site's), and which
    addresses the account has."""

    channel: str
    language: str
    has_phone: bool
    has_email: bool
