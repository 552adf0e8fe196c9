"""Content-Security-Policy: django-csp's middleware, with a second policy for the
admin sites.

The site's own pages run only our static scripts (no inline script, handler or
eval): ``CONTENT_SECURITY_POLICY`` in the settings. The Wagtail admin (/cms/) and
Django's admin still ship inline scripts and styles, so the paths in
``CONTENT_SECURITY_POLICY_ADMIN["URL_PREFIXES"]`` get that setting's ``DIRECTIVES``
instead: inline code allowed, still nothing from another host. A view may narrow or
widen its own page with django-csp's decorators (or
``lms.kernel.headers.allow_conference``); those apply on top of either policy.
"""

from __future__ import annotations

from typing import Any, cast

from csp.middleware import CSPMiddleware, PolicyParts
from csp.utils import default_config
from django.conf import settings
from django.http import HttpRequest, HttpResponseBase


def admin_path(path: str) -> bool:
    """True for a path under one of the admin sites."""
    policy = getattr(settings, "CONTENT_SECURITY_POLICY_ADMIN", None) or {}
    return path.startswith(tuple(policy.get("URL_PREFIXES", ())))


class SiteCSPMiddleware(CSPMiddleware):
    """The site policy everywhere, the admin policy under the admin prefixes."""

    def get_policy_parts(
        self,
        request: HttpRequest,
        response: HttpResponseBase,
        report_only: bool = False,
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and parts.config is None and admin_path(request.path_info):
            directives = settings.CONTENT_SECURITY_POLICY_ADMIN["DIRECTIVES"]
            parts.config = default_config(cast(dict[str, Any], directives))
        return parts
