"""What the content team edits besides pages: each trade's words that mean the same
thing to a search (Wagtail snippet "Search synonyms"; the reference data of
content/reference/search_synonyms.csv is loaded by migration 0002)."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel

from lms.kernel.text import normalise_query

# Terms of one group are separated by Arabic or Latin commas, semicolons or slashes.
_TERM_SEPARATORS = re.compile(r"[,،؛;/]")


def parse_groups(text: str) -> list[list[str]]:
    """One group per non-empty line, its terms as typed (stripped)."""
    groups = []
    for line in (text or "").splitlines():
        terms = [term.strip() for term in _TERM_SEPARATORS.split(line)]
        terms = [term for term in terms if term]
        if terms:
            groups.append(terms)
    return groups


class TradeSynonyms(models.Model):
    """A trade's synonym groups: a search for any term of a group also finds pages
    with the others ("موبايل" finds "الهاتف المحمول"). Terms compare after the
    platform's Arabic folding (alef forms, ة/ه, ى/ي, the article)."""

    trade = models.SlugField(
        _("trade code"),
        max_length=50,
        unique=True,
        help_text=_("As on the trade's page, e.g. tailoring, mobile_repair."),
    )
    groups = models.TextField(
        _("synonym groups"),
        help_text=_(
            "One group per line: words or short phrases that mean the same thing, "
            "separated by commas. Example: موبايل، محمول، جوال"
        ),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    panels = [FieldPanel("trade"), FieldPanel("groups")]

    class Meta:
        ordering = ["trade"]
        verbose_name = _("search synonyms")
        verbose_name_plural = _("search synonyms")

    def __str__(self) -> str:
        return self.trade

    def clean(self) -> None:
        problems = []
        for number, terms in enumerate(parse_groups(self.groups), start=1):
            folded = {normalise_query(term) for term in terms} - {""}
            if len(folded) < 2:
                problems.append(
                    _(
                        "Line %(line)d has fewer than two different terms: a group "
                        "needs at least two words that mean the same."
                    )
                    % {"line": number}
                )
        if not parse_groups(self.groups):
            problems.append(_("Write at least one group of synonyms."))
        if problems:
            raise ValidationError({"groups": problems})

    def group_count(self) -> int:
        return len(parse_groups(self.groups))

    group_count.short_description = _("groups")  # type: ignore[attr-defined]
