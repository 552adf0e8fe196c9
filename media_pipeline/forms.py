"""Admin form: notes whether the original was replaced, to re-run the pipeline."""

from __future__ import annotations

from wagtail.admin.forms import WagtailAdminModelForm


class VideoAssetForm(WagtailAdminModelForm):
    def save(self, commit: bool = True):
        self.instance._original_changed = "original" in self.changed_data
        return super().save(commit=commit)
