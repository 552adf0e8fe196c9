"""Sign-up in two steps when mobile numbers are verified: the form, then the code sent
by SMS to the number typed; the account exists only once the code is right.

Nothing tells a stranger who is registered. A number that already has an account
gets, in place of the code, an SMS telling its owner how to recover the account (the
page asks for the code as always, and no code typed can match). A national ID another
account claimed is not refused: both claims are contested for staff to resolve, and
the other accounts are told (services.user_register_trainee).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext as _

from lms.accounts.models import CodeMessage, CodePurpose, User
from lms.accounts.national_id import account_age_check, age_years  # noqa: F401 (re-exported)
from lms.accounts.phone_codes import OutgoingSms, code_issue, code_resend, code_verify
from lms.kernel.errors import Invalid

# The session keys that carry a sign-up between its two steps, and what was typed
# back to the form once when the code step sends the person to start again.
SESSION_KEY = "accounts_signup"
RETRY_KEY = "accounts_signup_retry"


def phone_verification_on() -> bool:
    """Whether sign-up proves the number and passwords are reset by SMS (settings)."""
    return bool(settings.ACCOUNTS_PHONE_VERIFICATION)


@dataclass(frozen=True)
class SignupDetails:
    """What the sign-up form gave (checked), kept in the session until the code is
    right: the password only as its hash."""

    national_id: str
    full_name_ar: str
    phone: str
    password_hash: str
    full_name_en: str = ""
    email: str = ""
    has_disability: bool = False

    def as_session(self) -> dict:
        return asdict(self)

    @classmethod
    def from_session(cls, value: object) -> SignupDetails | None:
        if not isinstance(value, dict):
            return None
        try:
            return cls(**value)
        except TypeError:
            return None


def _owner(phone: str) -> User | None:
    return User.objects.filter(Q(phone=phone) | Q(username=phone)).first()


def signup_start(*, phone: str) -> tuple[int, OutgoingSms | None]:
    """The code step of a sign-up with this (normalised) number: the code's id and
    the SMS to send after the answer (the code, or the owner's recovery notice).
    RateLimited when the number has had its SMS for now."""
    owner = _owner(phone)
    row, sms = code_issue(
        purpose=CodePurpose.SIGNUP,
        phone=phone,
        message=CodeMessage.ACCOUNT_EXISTS if owner else CodeMessage.CODE,
        user=owner,
    )
    return row.pk, sms


def signup_code_resend(*, code_id: int) -> OutgoingSms | None:
    """Send the sign-up's SMS again (code_resend's refusals)."""
    return code_resend(code_id=code_id, purpose=CodePurpose.SIGNUP)


def signup_complete(*, code_id: int, typed_code: str, details: SignupDetails) -> User:
    """Create the account once the code sent to its number is typed right.
    Refusals: code_verify's (Invalid), then user_register_trainee's."""
    from lms.accounts.services import user_register_trainee

    row = code_verify(code_id=code_id, purpose=CodePurpose.SIGNUP, typed=typed_code)
    if row.phone != details.phone:
        raise Invalid(
            _("This code can no longer be used. Please start again."),
            code="code_gone",
        )
    return user_register_trainee(
        national_id=details.national_id,
        full_name_ar=details.full_name_ar,
        full_name_en=details.full_name_en,
        phone=details.phone,
        email=details.email,
        password_hash=details.password_hash,
        has_disability=details.has_disability,
    )
