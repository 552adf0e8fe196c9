"""Rate limit (scope "verify") shared by the verification page and JSON API."""

from __future__ import annotations

from rest_framework.throttling import SimpleRateThrottle


class VerifyThrottle(SimpleRateThrottle):
    scope = "verify"

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {
            "scope": self.scope,
            "ident": self.get_ident(request),
        }
