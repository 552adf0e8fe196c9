"""The platform's user: identified by the Egyptian national ID, logs in by mobile."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from lms.accounts.national_id import mask_national_id, parse_national_id


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class User(AbstractUser):
    """`username` is the login name: the normalised mobile number for trainees.

    The national ID is personal data: stored in Western digits, shown masked to
    everyone but ministry staff, never logged or put in a URL.
    """

    full_name_ar = models.CharField(_("full name (Arabic)"), max_length=150, blank=True)
    full_name_en = models.CharField(
        _("full name (English)"), max_length=150, blank=True
    )
    national_id = models.CharField(
        _("national ID"), max_length=14, unique=True, null=True, blank=True
    )
    phone = models.CharField(
        _("mobile number"), max_length=11, unique=True, null=True, blank=True
    )
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    gender = models.CharField(
        _("gender"), max_length=6, choices=Gender.choices, blank=True
    )
    governorate_code = models.CharField(_("governorate"), max_length=2, blank=True)
    has_disability = models.BooleanField(_("has a disability"), default=False)

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        indexes = [models.Index(fields=["governorate_code", "gender"])]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        return (
            self.full_name_ar
            or self.full_name_en
            or self.get_full_name()
            or self.username
        )

    @property
    def national_id_masked(self) -> str:
        return mask_national_id(self.national_id)

    def save(self, *args, **kwargs) -> None:
        if self.national_id:
            data = parse_national_id(self.national_id)
            self.national_id = data.value
            self.birth_date = data.birth_date
            self.gender = data.gender
            self.governorate_code = data.governorate.code
        else:
            self.national_id = None
        if not self.phone:
            self.phone = None
        super().save(*args, **kwargs)
