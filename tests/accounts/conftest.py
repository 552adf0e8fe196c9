from __future__ import annotations

import pytest
from django.conf import settings
from django.utils import translation

from lms.kernel.notifications.gateways import MemoryGateway


@pytest.fixture(autouse=True)
def _site_language_afterwards():
    """A request to an /en/ page leaves English active in this thread, and then
    reverse() names English pages in the next test."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _empty_sms_outbox():
    MemoryGateway.outbox.clear()
    yield
    MemoryGateway.outbox.clear()


@pytest.fixture
def fresh_limits(settings):
    """The throttles' counters start at nought (the cache may be a shared Redis)."""
    from django.core.cache import cache

    cache.clear()
    yield settings
    cache.clear()
