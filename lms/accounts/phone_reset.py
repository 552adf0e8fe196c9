"""Password reset by SMS: the mobile number (the login name), a code sent to it, then
a new password.

The request answers the same whether or not an account has the number: a number
without one gets no SMS, but a code row all the same, checked like any other (no
code typed can match), and the SMS of a number with one leaves after the answer. A
request is limited per client address and per number (throttling); the code by
phone_codes' rules. Setting the password ends the account's other sessions (Django's
session hash) and lifts a log-in lock-out of the account (django-axes).
"""

from __future__ import annotations

from django.contrib.auth import password_validation
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from lms.accounts.models import CodeMessage, CodePurpose, User
from lms.accounts.phone_codes import OutgoingSms, code_issue, code_resend, code_verify
from lms.kernel.errors import Invalid

# The session key that carries a reset between its steps.
SESSION_KEY = "accounts_password_reset"


def password_reset_start(*, phone: str) -> tuple[int, OutgoingSms | None]:
    """A reset code for the (normalised) number: the code's id and the SMS to send
    after the answer (None when no active account has the number). RateLimited
    when the number has had its SMS for now."""
    user = (
        User.objects.filter(Q(phone=phone) | Q(username=phone), is_active=True)
        .order_by("pk")
        .first()
    )
    row, sms = code_issue(
        purpose=CodePurpose.PASSWORD_RESET,
        phone=phone,
        message=CodeMessage.CODE if user else CodeMessage.NONE,
        user=user,
    )
    return row.pk, sms


def password_reset_resend(*, code_id: int) -> OutgoingSms | None:
    """Send the reset code again (code_resend's refusals)."""
    return code_resend(code_id=code_id, purpose=CodePurpose.PASSWORD_RESET)


def password_reset_verify(*, code_id: int, typed_code: str) -> int:
    """The id of the account whose number the code proves (code_verify's refusals)."""
    row = code_verify(
        code_id=code_id, purpose=CodePurpose.PASSWORD_RESET, typed=typed_code
    )
    if row.user_id is None:  # a code never sent, guessed (one in a million a try)
        raise Invalid(
            _("This code can no longer be used. Please start again."),
            code="code_gone",
        )
    return row.user_id


@transaction.atomic
def password_reset_complete(*, user_id: int, password: str) -> User:
    """Set the new password (validated for the account) and lift a lock-out."""
    from axes.utils import reset as axes_reset

    user = User.objects.select_for_update().get(pk=user_id, is_active=True)
    password_validation.validate_password(password, user=user)
    user.set_password(password)
    user.save(update_fields=["password"])
    axes_reset(username=user.username)
    return user
