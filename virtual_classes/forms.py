from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from lms.kernel.digits import to_western_digits
from virtual_classes.models import LiveClass


class LiveClassForm(forms.ModelForm):
    course = forms.TypedChoiceField(label=_("course"), coerce=int)

    class Meta:
        model = LiveClass
        fields = [
            "title",
            "description",
            "starts_at",
            "duration_min",
            "capacity",
            "join_early_min",
            "cohort",
            "start_audio_only",
        ]
        widgets = {
            "starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"}),
        }

    NUMERIC = ("course", "starts_at", "duration_min", "capacity", "join_early_min")

    def __init__(self, *args, courses=(), **kwargs):
        data = kwargs.get("data", args[0] if args else None)
        if data is not None:
            data = data.copy()
            for name in self.NUMERIC:
                if isinstance(data.get(name), str):
                    data[name] = to_western_digits(data[name])
            if "data" in kwargs:
                kwargs["data"] = data
            else:
                args = (data, *args[1:])
        super().__init__(*args, **kwargs)
        self.fields["course"].choices = [(c.id, c.title) for c in courses]
        self.order_fields(["course"])


class LiveClassEditForm(LiveClassForm):
    """The same fields but the course; for a class in a series, which ones change."""

    scope = forms.ChoiceField(
        label=_("Apply to"),
        choices=[
            ("this", _("This class only")),
            ("following", _("This class and the following ones of its series")),
        ],
        initial="this",
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, in_series=False, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["course"]
        if not in_series:
            del self.fields["scope"]


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (shown to the trainees on the class page)"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    scope = forms.ChoiceField(
        label=_("Cancel"),
        choices=[
            ("this", _("This class only")),
            ("following", _("This class and the following ones of its series")),
        ],
        initial="this",
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, in_series=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not in_series:
            del self.fields["scope"]


WEEKDAYS = [
    (5, _("Saturday")),
    (6, _("Sunday")),
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
]


class SeriesForm(LiveClassForm):
    """A weekly series: the first class's date and time, the weekdays, and for how
    many weeks or until which date."""

    weekdays = forms.TypedMultipleChoiceField(
        label=_("On these weekdays"),
        choices=WEEKDAYS,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )
    weeks = forms.IntegerField(
        label=_("For how many weeks"), min_value=1, max_value=52, required=False
    )
    until = forms.DateField(
        label=_("Or until (date)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    NUMERIC = (*LiveClassForm.NUMERIC, "weeks", "until")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["starts_at"].label = _("First class (date and time)")
        self.fields["starts_at"].help_text = _(
            "Every class of the series starts at this time (Cairo time)."
        )
        self.order_fields(
            ["course", "title", "starts_at", "weekdays", "weeks", "until"]
        )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("weeks") and not cleaned.get("until"):
            self.add_error("weeks", _("Give either a number of weeks or an end date."))
        elif cleaned.get("weeks") and cleaned.get("until"):
            self.add_error("until", _("Give either a number of weeks or an end date."))
        return cleaned
