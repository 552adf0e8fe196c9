"""Test centres: the ministry's reference data of where skill tests are sat.

A centre (a vocational training centre of one governorate) has workshops; a workshop
has a number of seats and the occupations it is equipped to test. The trades a centre
tests are those of its active workshops. Loaded from reference/test_centres.csv and
reference/workshops.csv (migration 0002, `load_test_centres`), edited in the admin.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

# Egypt's bounding box (with a margin): a coordinate outside it is a typing error.
LATITUDE_RANGE = (21.5, 32.0)
LONGITUDE_RANGE = (24.5, 37.2)
MAX_WORKSHOP_SEATS = 200


def _english() -> bool:
    return (get_language() or "ar").startswith("en")


class TestCentre(models.Model):
    code = models.SlugField(
        _("code"),
        max_length=20,
        unique=True,
        help_text=_("The ministry's code of the centre, e.g. 13-zagazig."),
    )
    name_ar = models.CharField(_("name (Arabic)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    governorate_code = models.CharField(_("governorate"), max_length=2, db_index=True)
    address_ar = models.CharField(_("address (Arabic)"), max_length=300)
    address_en = models.CharField(_("address (English)"), max_length=300)
    latitude = models.DecimalField(
        _("latitude"),
        max_digits=8,
        decimal_places=5,
        validators=[
            MinValueValidator(LATITUDE_RANGE[0]),
            MaxValueValidator(LATITUDE_RANGE[1]),
        ],
    )
    longitude = models.DecimalField(
        _("longitude"),
        max_digits=8,
        decimal_places=5,
        validators=[
            MinValueValidator(LONGITUDE_RANGE[0]),
            MaxValueValidator(LONGITUDE_RANGE[1]),
        ],
    )
    phone = models.CharField(_("telephone"), max_length=20, blank=True)
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Inactive centres are not listed and get no new sessions."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    # Not a test class, whatever pytest thinks of the name.
    __test__ = False

    class Meta:
        ordering = ["governorate_code", "code"]
        verbose_name = _("test centre")
        verbose_name_plural = _("test centres")
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__gte=LATITUDE_RANGE[0])
                & Q(latitude__lte=LATITUDE_RANGE[1])
                & Q(longitude__gte=LONGITUDE_RANGE[0])
                & Q(longitude__lte=LONGITUDE_RANGE[1]),
                name="test_centre_inside_egypt",
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if _english() else self.name_ar

    @property
    def address(self) -> str:
        return self.address_en if _english() else self.address_ar


class Workshop(models.Model):
    centre = models.ForeignKey(
        TestCentre, on_delete=models.CASCADE, related_name="workshops"
    )
    code = models.SlugField(_("code"), max_length=30)
    name_ar = models.CharField(_("name (Arabic)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200)
    seats = models.PositiveSmallIntegerField(
        _("seats"),
        validators=[MinValueValidator(1), MaxValueValidator(MAX_WORKSHOP_SEATS)],
        help_text=_("Candidates the workshop takes at once."),
    )
    occupations = models.ManyToManyField(
        "registry.Occupation",
        verbose_name=_("occupations tested"),
        related_name="+",
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["centre", "code"]
        verbose_name = _("workshop")
        verbose_name_plural = _("workshops")
        constraints = [
            models.UniqueConstraint(
                fields=["centre", "code"], name="workshop_code_per_centre"
            ),
            models.CheckConstraint(
                condition=Q(seats__gte=1) & Q(seats__lte=MAX_WORKSHOP_SEATS),
                name="workshop_seats_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.centre.name} — {self.name}"

    @property
    def name(self) -> str:
        return self.name_en if _english() else self.name_ar
