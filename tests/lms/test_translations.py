"""Every Arabic catalogue in the project is complete, plurals included."""

from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.utils import translation

SKIP = {".venv", "node_modules", "var", ".git"}


def _catalogues() -> list[Path]:
    root = Path(settings.BASE_DIR)
    return [
        path
        for path in sorted(root.rglob("locale/ar/LC_MESSAGES/django.po"))
        if not SKIP.intersection(path.relative_to(root).parts)
    ]


def test_every_app_has_an_arabic_catalogue():
    apps = {p.relative_to(settings.BASE_DIR).parts[0] for p in _catalogues()}
    assert {
        "lms",
        "courses",
        "assessments",
        "registry",
        "virtual_classes",
        "skilltests",
    } <= apps


@pytest.mark.parametrize(
    "path", _catalogues(), ids=lambda p: str(p.relative_to(settings.BASE_DIR))
)
def test_catalogue_is_translated_with_every_arabic_plural_form(path):
    with path.open("rb") as fh:
        catalog = read_po(fh)
    assert str(catalog.locale) == "ar"  # the header makemessages may leave empty
    assert catalog.num_plurals == 6  # Arabic: zero, one, two, few, many, other
    untranslated, short = [], []
    for message in catalog:
        if not message.id:
            continue
        if message.pluralizable:
            forms = [f for f in message.string if f]
            if len(forms) != catalog.num_plurals:
                short.append(message.id[0])
        elif not message.string or message.fuzzy:
            untranslated.append(message.id)
    assert untranslated == []
    assert short == []


@pytest.mark.parametrize(
    ("hours", "expected"),
    [(1, "ساعة واحدة"), (2, "ساعتان"), (10, "10 ساعات"), (12, "12 ساعة")],
)
def test_course_hours_use_the_arabic_plural(hours, expected):
    with translation.override("ar"):
        text = translation.ngettext("%(hours)s hour", "%(hours)s hours", hours)
    assert text % {"hours": hours} == expected


@pytest.mark.parametrize(
    "path", _catalogues(), ids=lambda p: str(p.relative_to(settings.BASE_DIR))
)
def test_translations_write_the_digits_the_readme_chose(path):
    """Western digits in Arabic too (README, "Languages and numbers"): a translation
    with ١٤ beside a number the formatting layer wrote as 14 mixes two systems."""
    import re

    eastern = re.compile("[\u0660-\u0669]")
    with path.open("rb") as fh:
        catalog = read_po(fh)
    mixed = []
    for message in catalog:
        strings = (
            message.string if isinstance(message.string, tuple) else (message.string,)
        )
        mixed += [s for s in strings if s and eastern.search(s)]
    assert mixed == []
