"""What an SVG illustration may hold: drawing only.

An SVG is a document: opened from its media URL it can run scripts in the site's
origin. Lessons show illustrations through `<img>` (no scripts run there), but an
upload is still refused when it carries scripts, event handlers, embedded documents
or references outside itself, so no stored file can do more than draw.
"""

from __future__ import annotations

import re

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException
from django.utils.translation import gettext as _

FORBIDDEN_ELEMENTS = frozenset(
    {"script", "foreignobject", "iframe", "embed", "object", "audio", "video"}
    | {"handler", "listener"}
)
# Links inside the file (#id) and small embedded rasters only.
_SAFE_HREF = re.compile(
    r"^(#[\w.-]+|data:image/(png|jpeg|webp);base64,[A-Za-z0-9+/=\s]+)$"
)
_CSS_OUTSIDE = re.compile(r"@import|url\(\s*['\"]?(?!#)", re.IGNORECASE)


def _local(name: str) -> str:
    return name.rsplit("}", 1)[-1].lower()


def svg_problems(data: bytes) -> list[str]:
    """The reasons this SVG is refused (empty when it only draws)."""
    try:
        root = ElementTree.fromstring(data)
    except (ElementTree.ParseError, DefusedXmlException, ValueError):
        return [_("not a well-formed SVG file (or one with entity declarations)")]
    if _local(root.tag) != "svg":
        return [_("a root element other than <svg>")]
    problems: list[str] = []
    for element in root.iter():
        tag = _local(element.tag) if isinstance(element.tag, str) else ""
        if tag in FORBIDDEN_ELEMENTS:
            problems.append(_("a <%(tag)s> element") % {"tag": tag})
        if tag == "style" and _CSS_OUTSIDE.search(element.text or ""):
            problems.append(_("a style that loads something from outside"))
        for name, value in element.attrib.items():
            attribute = _local(name)
            if attribute.startswith("on"):
                problems.append(_("an event handler (%(name)s)") % {"name": attribute})
            elif attribute == "href" and not _SAFE_HREF.match(value.strip()):
                problems.append(
                    _("a link outside the file (%(href)s)") % {"href": value[:40]}
                )
            elif attribute == "style" and _CSS_OUTSIDE.search(value):
                problems.append(_("a style that loads something from outside"))
    return sorted(set(problems))
