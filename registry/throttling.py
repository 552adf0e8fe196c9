"""Rate limit (scope "verify") shared by the verification page and JSON API."""

from __future__ import annotations

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle


class VerifyThrottle(SimpleRateThrottle):
    scope = "verify"

    def get_ident(self, request) -> str:
        # Without a configured proxy count DRF would trust the whole X-Forwarded-For
        # header, which a client can vary to dodge the limit: use the peer address.
        if api_settings.NUM_PROXIES is None:
            return request.META.get("REMOTE_ADDR", "")
        return super().get_ident(request)

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {
            "scope": self.scope,
            "ident": self.get_ident(request),
        }
