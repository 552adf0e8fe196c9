"""Account use cases: registering trainees, granting roles."""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lms.accounts.models import User
from lms.accounts.national_id import parse_national_id
from lms.accounts.phone import normalize_phone
from lms.accounts.roles import Role


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
