"""Account use cases: registering trainees, granting roles, placing staff in their
directorate."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lms.accounts.data import DirectorateData
from lms.accounts.models import Directorate, User
from lms.accounts.national_id import parse_national_id
from lms.accounts.phone import normalize_phone
from lms.accounts.roles import Role, user_has_role
from lms.kernel.errors import Invalid, NotFound


@transaction.atomic
def user_register_trainee(
    *,
    national_id: str,
    full_name_ar: str,
    phone: str,
    password: str,
    email: str = "",
    full_name_en: str = "",
    has_disability: bool = False,
) -> User:
    """Create a trainee account; raises ValidationError and saves nothing if invalid."""
    nid = parse_national_id(national_id)
    phone = normalize_phone(phone)
    errors: dict[str, list[str]] = {}
    if User.objects.filter(national_id=nid.value).exists():
        errors["national_id"] = [_("An account with this national ID already exists.")]
    if (
        User.objects.filter(phone=phone).exists()
        or User.objects.filter(username=phone).exists()
    ):
        errors["phone"] = [_("An account with this mobile number already exists.")]
    if email and User.objects.filter(email__iexact=email).exists():
        errors["email"] = [_("An account with this e-mail address already exists.")]
    if errors:
        raise ValidationError(errors)
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
    user.set_password(password)
    user.save()
    role_grant(user=user, role=Role.TRAINEE)
    return user


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
