"""Admin form: notes whether the original was replaced, to re-run the pipeline, and
links the current original to its authorised download (it has no public URL)."""

from __future__ import annotations

from dataclasses import dataclass

from django import forms
from django.urls import reverse
from wagtail.admin.forms import WagtailAdminModelForm


@dataclass(frozen=True)
class _CurrentOriginal:
    """What the file widget shows for the stored original: its name and a URL."""

    name: str
    url: str

    def __str__(self) -> str:
        return self.name


class PrivateOriginalInput(forms.ClearableFileInput):
    """The file input, with "Currently" pointing at the checked download view."""

    download_url = ""

    def is_initial(self, value) -> bool:
        # Django asks for a URL; a private file has none, but it is there all the same.
        return bool(value and getattr(value, "name", None))

    def format_value(self, value):
        if not self.is_initial(value):
            return None
        return _CurrentOriginal(name=str(value), url=self.download_url)


class VideoAssetForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields.get("original")
        if field is not None:
            widget = PrivateOriginalInput(attrs=field.widget.attrs)
            if self.instance.pk:
                widget.download_url = reverse("media_original", args=[self.instance.pk])
            widget.is_required = field.widget.is_required
            field.widget = widget

    def save(self, commit: bool = True):
        self.instance._original_changed = "original" in self.changed_data
        return super().save(commit=commit)
