"""Admin forms of what the content team edits: the image form
(WAGTAILIMAGES_IMAGE_FORM_BASE: Wagtail's own, plus the check that an uploaded SVG
only draws, content.svg_check) and a page form that keeps slugs short and Latin."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.images.forms import BaseImageForm

from content.svg_check import svg_problems

LATIN_SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
MAX_SLUG_LENGTH = 30


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


class LatinSlugPageForm(WagtailAdminPageForm):
    """The page editor's form with a short Latin slug required.

    WAGTAIL_ALLOW_UNICODE_SLUGS=False makes the editor transliterate an Arabic title,
    but Wagtail still saves an Arabic slug typed by hand, and each Arabic letter is
    six characters in an address. A page model opts in with `base_form_class`.
    """

    def clean_slug(self):
        slug = self.cleaned_data.get("slug", "")
        if slug and not LATIN_SLUG.fullmatch(slug):
            raise ValidationError(
                _("Use small Latin letters, digits and hyphens (e.g. measuring)."),
                code="slug_not_latin",
            )
        if len(slug) > MAX_SLUG_LENGTH:
            raise ValidationError(
                _("Keep the slug to %(limit)d characters: it is part of every address.")
                % {"limit": MAX_SLUG_LENGTH},
                code="slug_too_long",
            )
        return slug
