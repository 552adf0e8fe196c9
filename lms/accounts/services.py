"""Account use cases: registering trainees, granting roles, placing staff in their
directorate, and resolving national-ID claims (lms/accounts/claims.py)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from lms.accounts.claims import (
    national_id_claim_open,
    national_id_claim_reject,
    national_id_claim_verify,
    national_id_claim_verify_by_provider,
)
from lms.accounts.data import DirectorateData
from lms.accounts.models import ClaimState, Directorate, NationalIdClaim, User
from lms.accounts.national_id import account_age_check, parse_national_id
from lms.accounts.phone import normalize_phone
from lms.accounts.roles import Role, user_has_role
from lms.kernel.errors import Invalid, NotFound
from lms.kernel.notifications.channels import Preference
from lms.kernel.notifications.data import Notice
from lms.kernel.notifications.services import notify


@transaction.atomic
def user_register_trainee(
    *,
    national_id: str,
    full_name_ar: str,
    phone: str,
    password: str = "",
    password_hash: str = "",
    email: str = "",
    full_name_en: str = "",
    has_disability: bool = False,
) -> User:
    """Create a trainee account; raises ValidationError and saves nothing if invalid.
    The password is given as typed, or as its hash (`password_hash`: a sign-up kept
    in the session until its code was typed, lms/accounts/signup.py).

    Nobody younger than MINIMUM_AGE_YEARS by the ID's birth date. The national ID
    becomes a *claim* (national_id_claim_open): an ID another account already claimed
    is not refused, the claims are contested for staff to resolve, the other accounts
    are told how to act, and the answer is the same. An e-mail address already in use
    is not taken over: the account is created without it and the address's owner is
    told (same answer)."""
    nid = parse_national_id(national_id)
    account_age_check(birth_date=nid.birth_date)
    phone = normalize_phone(phone)
    if not (password or password_hash):
        raise ValueError("user_register_trainee needs password or password_hash")
    if (
        User.objects.filter(phone=phone).exists()
        or User.objects.filter(username=phone).exists()
    ):
        raise ValidationError(
            {
                "phone": [
                    _(
                        "We could not create an account with these details. If you "
                        "already have one, log in or reset your password."
                    )
                ]
            }
        )
    if email and User.objects.filter(email__iexact=email).exists():
        _email_in_use_notice(email)
        email = ""
    user = User(
        username=phone,
        phone=phone,
        email=email,
        national_id=nid.value,
        full_name_ar=full_name_ar.strip(),
        full_name_en=full_name_en.strip(),
        first_name=full_name_ar.strip().split(" ")[0][:150],
        has_disability=has_disability,
    )
    if password_hash:
        user.password = password_hash
    else:
        user.set_password(password)
    user.save()
    role_grant(user=user, role=Role.TRAINEE)
    national_id_claim_open(user=user)
    _national_id_holders_notice(user)
    return user


def _national_id_holders_notice(user: User) -> None:
    """Tell the other accounts claiming the new account's national ID (essential:
    their claim is now contested) how to recover theirs, or have staff decide."""
    others = list(
        NationalIdClaim.objects.filter(national_id=user.national_id)
        .exclude(user=user)
        .exclude(state=ClaimState.REJECTED)
        .values_list("user_id", flat=True)
    )
    if not others:
        return

    def compose() -> Notice:
        return Notice(
            subject=_("A new account gave the national ID of yours"),
            text=_(
                "A new Maharat account was created with the national ID on your "
                "account. If it was you, you already have an account: log in with "
                "your mobile number, or reset your password. If it was not you, "
                "take your ID card to your labour directorate: staff will confirm "
                "which account it belongs to."
            ),
            link=reverse("accounts:identity"),
        )

    notify(
        user_ids=others,
        kind="national_id_claimed_again",
        compose=compose,
        essential=True,
    )


def _email_in_use_notice(email: str) -> None:
    """Tell the address's owner, after the commit, that someone signed up with it."""
    from django.core.mail import send_mail

    subject = _("Someone tried to sign up with your e-mail address")
    body = _(
        "A new Maharat account was created with your e-mail address, which already "
        "belongs to your account; the new account does not use it. If this was you, "
        "log in to your existing account or reset your password."
    )
    transaction.on_commit(
        lambda: send_mail(subject, body, None, [email], fail_silently=True)
    )


__all__ = [
    "national_id_claim_open",
    "national_id_claim_reject",
    "national_id_claim_verify",
    "national_id_claim_verify_by_provider",
    "role_grant",
    "staff_directorate_assign",
    "user_register_trainee",
]


def role_grant(*, user: User, role: Role | str) -> None:
    """Add the user to the role's group (created by migration)."""
    user.groups.add(Group.objects.get(name=str(role)))
    user.__dict__.pop("_role_names", None)


@transaction.atomic
def staff_directorate_assign(*, user_id: int, directorate_code: str) -> DirectorateData:
    """Place a ministry staff account in a directorate ("HQ": the head office, else
    a governorate's code); the account then sees that directorate's work only."""
    directorate = Directorate.objects.filter(code=directorate_code).first()
    if directorate is None:
        raise NotFound(
            _("There is no directorate with the code %(code)s.")
            % {"code": directorate_code},
            code="unknown_directorate",
        )
    user = User.objects.select_for_update().filter(pk=user_id).first()
    if user is None:
        raise NotFound(_("There is no such account."), code="unknown_user")
    if not user_has_role(user, Role.MINISTRY_STAFF):
        raise Invalid(
            _("Only ministry staff accounts belong to a directorate."),
            code="not_staff",
        )
    if user.directorate_id != directorate.pk:
        user.directorate = directorate
        user.save(update_fields=["directorate"])
    return directorate.as_data()


def notification_settings_set(*, user_id: int, channel: str, language: str) -> None:
    """Save how the person's notices reach them. Refusals (Invalid, by field): an
    unknown channel or language, SMS without a mobile number, e-mail without an
    address on the account."""
    user = User.objects.get(pk=user_id)
    errors: dict[str, list[str]] = {}
    if channel not in Preference.values:
        errors["channel"] = [_("Choose how notices reach you.")]
    elif channel == Preference.SMS and not user.phone:
        errors["channel"] = [_("Your account has no mobile number: choose e-mail.")]
    elif channel == Preference.EMAIL and not user.email:
        errors["channel"] = [_("Your account has no e-mail address: choose SMS.")]
    if language and language not in dict(settings.LANGUAGES):
        errors["language"] = [_("Choose a language of the site.")]
    if errors:
        raise Invalid(
            next(iter(errors.values()))[0], code="notification_settings", fields=errors
        )
    User.objects.filter(pk=user_id).update(
        notification_channel=channel, preferred_language=language
    )


def preferred_language_set(*, user_id: int, language: str) -> None:
    """Remember the language the person last chose on the site: their notices are
    written in it."""
    if language in dict(settings.LANGUAGES):
        User.objects.filter(pk=user_id).exclude(preferred_language=language).update(
            preferred_language=language
        )
