"""Admin forms of what the content team edits: the image form
(WAGTAILIMAGES_IMAGE_FORM_BASE: Wagtail's own, plus the check that an uploaded SVG
only draws, content.svg_check).
The page form that keeps slugs short and Latin is lms.kernel.page_forms."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.images.forms import BaseImageForm

from content.svg_check import svg_problems


class LessonImageForm(BaseImageForm):
    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not upload or not str(getattr(upload, "name", "")).lower().endswith(".svg"):
            return upload
        upload.seek(0)
        problems = svg_problems(upload.read())
        upload.seek(0)
        if problems:
            raise ValidationError(
                _("This SVG cannot be used: it holds %(problems)s.")
                % {"problems": "; ".join(problems)},
                code="unsafe_svg",
            )
        return upload
