"""The platform's user: identified by the Egyptian national ID, logs in by mobile."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from lms.accounts.data import DirectorateData
from lms.accounts.national_id import (
    account_age_check,
    mask_national_id,
    parse_national_id,
)
from lms.kernel.notifications.channels import Preference


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
    # Not unique: the ID typed at sign-up is a claim (NationalIdClaim); two accounts
    # may claim one ID until staff resolve the contest. One *verified* claim per ID.
    national_id = models.CharField(
        _("national ID"), max_length=14, null=True, blank=True, db_index=True
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

    # Notices (lms.kernel.notifications): the channel the person chose, and the
    # language notices are written in (the one they last chose on the site).
    notification_channel = models.CharField(
        _("notices by"),
        max_length=10,
        choices=Preference.choices,
        default=Preference.SMS,
    )
    preferred_language = models.CharField(
        _("language of notices"),
        max_length=10,
        choices=settings.LANGUAGES,
        blank=True,
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

    def clean(self) -> None:
        """Every form that creates an account or gives it another national ID (the
        Django admin, Wagtail's users) refuses a malformed ID and someone under
        MINIMUM_AGE_YEARS, as sign-up does. Existing accounts are not re-judged on
        other edits."""
        super().clean()
        if not self.national_id:
            return
        if not self._state.adding:
            stored = (
                type(self)
                .objects.filter(pk=self.pk)
                .values_list("national_id", flat=True)
            )
            if stored.first() == self.national_id:
                return
        try:
            account_age_check(birth_date=parse_national_id(self.national_id).birth_date)
        except ValidationError as error:  # a malformed ID, or someone too young
            raise ValidationError({"national_id": error.messages}) from error

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


class ClaimState(models.TextChoices):
    CLAIMED = "claimed", _("Claimed, not verified")
    VERIFIED = "verified", _("Verified")
    CONTESTED = "contested", _("Contested")
    REJECTED = "rejected", _("Rejected")


class ClaimMethod(models.TextChoices):
    STAFF_CARD_CHECK = "staff_card_check", _("ID card seen by ministry staff")
    IDENTITY_PROVIDER = "identity_provider", _("Digital identity provider")


class NationalIdClaim(models.Model):
    """The national ID an account typed at sign-up: a claim until verified.

    Certificates recorded under the ID before the account existed (imports, other
    centres) are the account's only once the claim is verified, by staff who saw the
    ID card or by the identity provider. A second account claiming the same ID puts
    the open claims in `contested` until staff verify one and reject the other.
    """

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="national_id_claim"
    )
    national_id = models.CharField(_("national ID"), max_length=14, db_index=True)
    # From the ID's digits: the directorate that resolves the claim.
    governorate_code = models.CharField(_("governorate"), max_length=2)
    state = models.CharField(
        _("state"), max_length=10, choices=ClaimState.choices, default="claimed"
    )
    method = models.CharField(
        _("verified by"), max_length=20, choices=ClaimMethod.choices, blank=True
    )
    decided_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    provider_subject = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("national ID claim")
        verbose_name_plural = _("national ID claims")
        constraints = [
            models.UniqueConstraint(
                fields=["national_id"],
                condition=Q(state="verified"),
                name="accounts_claim_one_verified_per_id",
            ),
        ]
        indexes = [models.Index(fields=["state", "governorate_code"])]

    def __str__(self) -> str:
        return f"{mask_national_id(self.national_id)} ({self.state})"


class ClaimEvent(models.Model):
    """The claims' audit trail: who did what to which claim, and when (appended,
    never edited; the admin shows it read-only). Holds no national ID."""

    claim = models.ForeignKey(
        NationalIdClaim, on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(max_length=20)
    state = models.CharField(max_length=10, choices=ClaimState.choices)
    method = models.CharField(max_length=20, blank=True)
    actor = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("claim event")
        verbose_name_plural = _("claim events")


class CodePurpose(models.TextChoices):
    SIGNUP = "signup", _("Sign-up")
    PASSWORD_RESET = "password_reset", _("Password reset")


class CodeMessage(models.TextChoices):
    """What the number's SMS says: the code, or (a number that has an account, at
    sign-up) how to recover the account, or nothing (a reset for a number without an
    account). The page answers the same in every case."""

    CODE = "code", _("The code")
    ACCOUNT_EXISTS = "account_exists", _("How to recover the existing account")
    NONE = "none", _("Nothing")


class PhoneCode(models.Model):
    """A one-time code sent by SMS to prove a mobile number (phone_codes.py).

    Only an HMAC of the code is kept (keyed by SECRET_KEY, salted per row); it expires,
    takes a few wrong tries in all, is sent again at most a few times, and is used once.
    """

    purpose = models.CharField(max_length=20, choices=CodePurpose.choices)
    phone = models.CharField(_("mobile number"), max_length=11)
    # The account a reset is for (None: no account has the number).
    user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    message = models.CharField(max_length=20, choices=CodeMessage.choices)
    code_hash = models.CharField(max_length=64)
    salt = models.CharField(max_length=32)
    attempts = models.PositiveSmallIntegerField(default=0)
    sends = models.PositiveSmallIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("one-time code")
        verbose_name_plural = _("one-time codes")
        indexes = [models.Index(fields=["expires_at"], name="phone_code_expiry")]

    def __str__(self) -> str:
        return f"{self.purpose} code {self.pk}"
