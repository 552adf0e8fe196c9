"""Forms of the skill-test pages: they parse and check what was typed (Eastern-Arabic
digits accepted), the services decide."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lms.accounts.national_id import governorates
from lms.kernel.digits import to_western_digits
from registry.selectors import skill_level_list
from skilltests.data import DocumentData
from skilltests.models import MAX_EXPERIENCE_YEARS, DocumentKind
from skilltests.selectors import occupations_tested
from skilltests.selectors.build import governorate_name
from skilltests.services import Upload

FILE_TYPES = "application/pdf,image/jpeg,image/png"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (photos of one's work)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": FILE_TYPES}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


def governorate_choices() -> list[tuple[str, str]]:
    return [
        (code, governorate_name(code))
        for code in sorted(governorates())
        if code != "88"
    ]


class DigitsField(forms.IntegerField):
    """An integer typed in any digits (٠–٩ as on a phone's Arabic keyboard)."""

    widget = forms.TextInput(attrs={"inputmode": "numeric", "dir": "ltr"})

    def to_python(self, value: Any) -> int | None:
        return super().to_python(to_western_digits(str(value)) if value else value)


def _file(label: Any) -> forms.FileField:
    return forms.FileField(
        label=label,
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": FILE_TYPES}),
    )


class DocumentsMixin(forms.Form):
    """The document slots, each of one kind; PDF, JPEG or PNG."""

    experience_letter = _file(_("Letter from an employer"))
    training_certificate = _file(_("Training certificate"))
    work_photos = MultipleFileField(
        label=_("Photos of your work"),
        required=False,
        help_text=_("Up to three photos of things you made or repaired."),
    )
    other_document = _file(_("Another document"))

    def uploads(self) -> list[Upload]:
        data = self.cleaned_data
        found = [
            (DocumentKind.EXPERIENCE_LETTER, data.get("experience_letter")),
            (DocumentKind.TRAINING_CERTIFICATE, data.get("training_certificate")),
            *((DocumentKind.WORK_PHOTO, f) for f in data.get("work_photos") or []),
            (DocumentKind.OTHER, data.get("other_document")),
        ]
        return [Upload(kind=str(kind), file=f) for kind, f in found if f]

    def clean_work_photos(self) -> list[Any]:
        photos = self.cleaned_data.get("work_photos") or []
        if len(photos) > 3:
            raise forms.ValidationError(_("Attach at most three photos."))
        return photos


class ExperienceMixin(forms.Form):
    governorate_code = forms.ChoiceField(
        label=_("Governorate where you want to sit the test"), choices=()
    )
    experience_years = DigitsField(
        label=_("Years of experience in the trade"),
        min_value=0,
        max_value=MAX_EXPERIENCE_YEARS,
    )
    experience_summary = forms.CharField(
        label=_("Your experience"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Where you learnt and practised the trade, for whom, and what you do."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["governorate_code"].choices = governorate_choices()


class ApplicationForm(ExperienceMixin, DocumentsMixin):
    occupation_code = forms.ChoiceField(label=_("Occupation"), choices=())
    level_code = forms.ChoiceField(label=_("Skill level"), choices=())

    field_order = [
        "occupation_code",
        "level_code",
        "governorate_code",
        "experience_years",
        "experience_summary",
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["occupation_code"].choices = [
            (t.code, f"{t.code} — {t.title}") for t in occupations_tested()
        ]
        self.fields["level_code"].choices = [
            (level.code, level.name) for level in skill_level_list()
        ]


class ResubmitForm(ExperienceMixin, DocumentsMixin):
    remove_documents = forms.MultipleChoiceField(
        label=_("Documents to remove"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=(),
    )

    def __init__(
        self, *args: Any, documents: tuple[DocumentData, ...] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["remove_documents"].choices = [
            (str(d.id), f"{d.kind_label}: {d.original_name}") for d in documents
        ]

    def removed_ids(self) -> list[int]:
        return [int(v) for v in self.cleaned_data.get("remove_documents") or []]


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("What the applicant must change"),
        min_length=10,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The applicant reads this: say exactly what to add or correct."),
    )


class CancelSessionForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the session is cancelled"),
        min_length=10,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Everyone booked is told this, and may book another session."),
    )


class SessionForm(forms.Form):
    workshop = forms.ChoiceField(label=_("Centre and workshop"), choices=())
    occupation_code = forms.ChoiceField(label=_("Occupation"), choices=())
    level_code = forms.ChoiceField(label=_("Skill level"), choices=())
    day = forms.CharField(
        label=_("Day"), widget=forms.DateInput(attrs={"type": "date", "dir": "ltr"})
    )
    start = forms.CharField(
        label=_("Starts at (Cairo time)"),
        widget=forms.TimeInput(attrs={"type": "time", "dir": "ltr"}),
    )
    duration_min = DigitsField(
        label=_("Duration (minutes)"), min_value=30, max_value=600, initial=240
    )
    seats = DigitsField(label=_("Seats"), min_value=1, max_value=200)
    assessors = forms.MultipleChoiceField(
        label=_("Assessors"), widget=forms.CheckboxSelectMultiple, choices=()
    )

    def __init__(
        self,
        *args: Any,
        centres: list = (),  # type: ignore[assignment]
        assessors: list[tuple[int, str]] = (),  # type: ignore[assignment]
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["workshop"].choices = [
            (
                f"{c.code}/{w.code}",
                _("%(centre)s — %(workshop)s (%(seats)s seats)")
                % {"centre": c.name, "workshop": w.name, "seats": w.seats},
            )
            for c in centres
            for w in c.workshops
        ]
        self.fields["occupation_code"].choices = [
            (t.code, f"{t.code} — {t.title}") for t in occupations_tested()
        ]
        self.fields["level_code"].choices = [
            (level.code, level.name) for level in skill_level_list()
        ]
        self.fields["assessors"].choices = [(str(pk), name) for pk, name in assessors]

    def clean_day(self) -> dt.date:
        text = to_western_digits(self.cleaned_data["day"]).strip()
        try:
            return dt.date.fromisoformat(text)
        except ValueError:
            raise forms.ValidationError(_("Enter the day as YYYY-MM-DD.")) from None

    def clean_start(self) -> dt.time:
        text = to_western_digits(self.cleaned_data["start"]).strip()
        try:
            return dt.time.fromisoformat(text)
        except ValueError:
            raise forms.ValidationError(_("Enter the time as HH:MM.")) from None

    def starts_at(self) -> dt.datetime:
        naive = dt.datetime.combine(
            self.cleaned_data["day"], self.cleaned_data["start"]
        )
        return timezone.make_aware(naive, timezone.get_default_timezone())

    def centre_and_workshop(self) -> tuple[str, str]:
        centre, _sep, workshop = self.cleaned_data["workshop"].partition("/")
        return centre, workshop

    def assessor_ids(self) -> list[int]:
        return [int(v) for v in self.cleaned_data["assessors"]]


class CourseRouteForm(forms.Form):
    """The course route: the completed course's occupation and level (hidden, the
    service checks the course) and where to sit the test."""

    occupation_code = forms.CharField(widget=forms.HiddenInput, max_length=20)
    level_code = forms.CharField(widget=forms.HiddenInput, max_length=20)
    governorate_code = forms.ChoiceField(
        label=_("Governorate where you want to sit the test"), choices=()
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["governorate_code"].choices = governorate_choices()
