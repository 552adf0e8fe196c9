"""User content in its own direction (issue 20): `{% load bidi %}{{ html|runs_auto }}`.

An English paragraph inside an Arabic lesson (or the reverse) took the page's
direction, and its punctuation landed at the wrong end (".Find the capital cities in
Europe"). Each block of what an author wrote gets `dir="auto"`: the browser (and the
PDF and e-mail renderers that read it) lays out each paragraph by its own first
strong letter. Plain strings are isolated in templates with `<bdi>` or `dir="auto"`.
"""

from __future__ import annotations

import re

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

_BLOCK_OPEN = re.compile(
    r"<(p|li|h[1-6]|blockquote|td|th|dt|dd|figcaption|caption)(\s[^>]*)?>",
    re.IGNORECASE,
)


def _with_dir(match: re.Match[str]) -> str:
    tag, attrs = match.group(1), match.group(2) or ""
    if re.search(r"\sdir\s*=", attrs, re.IGNORECASE):
        return match.group(0)
    return f'<{tag} dir="auto"{attrs}>'


@register.filter(is_safe=True)
def runs_auto(html: str) -> SafeString:
    """Rendered rich text (already safe) with `dir="auto"` on every block."""
    return mark_safe(_BLOCK_OPEN.sub(_with_dir, str(html)))  # noqa: S308 (tags only)


@register.filter(is_safe=True)
def isolated(value: object) -> SafeString:
    """A person's words inside a translated sentence, isolated: `{% blocktranslate
    with name=c.instructor_name|isolated %}with {{ name }}{% endblocktranslate %}`
    (the sentence keeps its msgid; the value is escaped here)."""
    return format_html("<bdi>{}</bdi>", value)
