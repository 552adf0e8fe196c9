"""The formatting layer's template filters (lms.kernel.formatting)."""

from django import template

from lms.kernel import formatting

register = template.Library()

register.filter("number", formatting.number)
register.filter("percent", formatting.percent)
register.filter("file_size", formatting.file_size)
register.filter("minutes", formatting.minutes)
register.filter("hours", formatting.hours)
register.filter("joined", formatting.joined)
register.filter("day_and_time", formatting.day_and_time)
