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
