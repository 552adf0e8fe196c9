"""The page editor's form for every page model of the site: slugs short and Latin."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm

LATIN_SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
MAX_SLUG_LENGTH = 30


class LatinSlugPageForm(WagtailAdminPageForm):
    """The page editor's form with a short Latin slug required.

    WAGTAIL_ALLOW_UNICODE_SLUGS=False makes the editor transliterate an Arabic title,
    but Wagtail still saves an Arabic slug typed by hand, and each Arabic letter is
    six characters in an address. Every page model of the site sets it as
    `base_form_class` (tests/courses/test_latin_slugs.py checks none is left out).
    """

    def clean_slug(self) -> str:
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
