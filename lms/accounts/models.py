"""The platform's user: identified by the Egyptian national ID, logs in by mobile."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from lms.accounts.data import DirectorateData
from lms.accounts.national_id import mask_national_id, parse_national_id


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class Directorate(models.Model):
    """Where a ministry staff account works: one governorate's labour directorate, or
    the ministry's head office (which sees every directorate's work).

    Rows come from the reference data (migration 0003: the head office and one
    directorate per governorate of lms/accounts/data/governorates.csv)."""

    HEAD_OFFICE_CODE = "HQ"

    code = models.CharField(_("code"), max_length=4, unique=True)
    governorate_code = models.CharField(
        _("governorate"),
        max_length=2,
        blank=True,
        help_text=_("Empty for the head office."),
    )
    is_head_office = models.BooleanField(_("head office"), default=False)
    name_ar = models.CharField(_("name (Arabic)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120)

    class Meta:
        verbose_name = _("directorate")
        verbose_name_plural = _("directorates")
        ordering = ["-is_head_office", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_head_office=True, governorate_code="")
                | (Q(is_head_office=False) & ~Q(governorate_code="")),
                name="directorate_head_office_or_governorate",
            ),
            models.UniqueConstraint(
                fields=["is_head_office"],
                condition=Q(is_head_office=True),
                name="directorate_one_head_office",
            ),
            models.UniqueConstraint(
                fields=["governorate_code"],
                condition=~Q(governorate_code=""),
                name="directorate_one_per_governorate",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """In the language of the page (Arabic unless English was chosen)."""
        if (get_language() or "ar").startswith("en"):
            return self.name_en or self.name_ar
        return self.name_ar

    def as_data(self) -> DirectorateData:
        return DirectorateData(
            code=self.code,
            governorate_code=self.governorate_code,
            is_head_office=self.is_head_office,
            name_ar=self.name_ar,
            name_en=self.name_en,
        )


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
    directorate = models.ForeignKey(
        Directorate,
        verbose_name=_("directorate"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="staff_accounts",
        help_text=_(
            "Ministry staff only: the directorate whose work the account sees "
            "(the head office sees every directorate)."
        ),
    )

    # Printed under the approver's name in a certificate's signature block.
    job_title_ar = models.CharField(_("job title (Arabic)"), max_length=120, blank=True)
    job_title_en = models.CharField(
        _("job title (English)"), max_length=120, blank=True
    )

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
