"""The one formatting layer: one digit system, the language's plurals (issue 20)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from lms.kernel import formatting


@pytest.mark.parametrize("language", ["ar", "en"])
def test_a_pass_mark_reads_60_percent_in_both_languages(language):
    with translation.override(language):
        assert formatting.percent(Decimal("60.00")) == "60%"
        assert formatting.percent("٧٥٫٥") == "75.5%"  # typed in Eastern digits
        shown = Template("{{ p }}").render(Context({"p": Decimal("60.00")}))
    assert shown == "60.00"  # Django's own localisation: "." (not "60,00")


@pytest.mark.parametrize(
    ("n", "arabic", "english"),
    [
        (0, "0 دقيقة", "0 minutes"),
        (1, "دقيقة واحدة", "1 minute"),
        (2, "دقيقتان", "2 minutes"),
        (10, "10 دقائق", "10 minutes"),
        (15, "15 دقيقة", "15 minutes"),
        (100, "100 دقيقة", "100 minutes"),
        (103, "103 دقائق", "103 minutes"),
    ],
)
def test_minutes_take_the_languages_plural_form(n, arabic, english):
    with translation.override("ar"):
        assert formatting.minutes(n) == arabic
    with translation.override("en"):
        assert formatting.minutes(n) == english


def test_sizes_are_written_one_way():
    with translation.override("ar"):
        assert formatting.file_size(1_250_000) == "1.3 ميجابايت"
        assert formatting.file_size(48_000) == "48 كيلوبايت"
    with translation.override("en"):
        assert formatting.file_size(1_250_000) == "1.3 MB"
        assert formatting.file_size(12_345_678_901) == "12,345.7 MB"
        assert formatting.file_size(None) == ""


def test_template_filters_are_the_same_functions():
    template = Template(
        "{% load formatting %}{{ p|percent }} · {{ m|minutes }} · {{ s|file_size }}"
        " · {{ h|hours }} · {{ n|number }}"
    )
    context = Context({"p": 80, "m": 3, "s": 2_000_000, "h": 2, "n": 1234567})
    with translation.override("ar"):
        assert (
            template.render(context)
            == "80% · 3 دقائق · 2 ميجابايت · ساعتان · 1,234,567"
        )


def test_a_day_and_time_uses_the_languages_comma():
    from datetime import datetime
    from zoneinfo import ZoneInfo

    at = datetime(2026, 12, 4, 16, 0, tzinfo=ZoneInfo("UTC"))  # 18:00 in Cairo
    with translation.override("en"):
        assert formatting.day_and_time(at) == "Friday 4 December, 18:00"
    with translation.override("ar"):
        assert formatting.day_and_time(at).endswith("، 18:00")
        assert formatting.joined(["أ", "ب"]) == "أ، ب"
