"""Content-Security-Policy: django-csp's middleware, with a second policy for the
admin sites.

The site's own pages run only our static scripts (no inline script, handler or
eval): ``CONTENT_SECURITY_POLICY`` in the settings. The Wagtail admin (/cms/) and
Django's admin still ship inline scripts and styles, so the paths in
``CONTENT_SECURITY_POLICY_ADMIN["URL_PREFIXES"]`` get that setting's ``DIRECTIVES``
instead: inline code allowed, still nothing from another host. A view may narrow or
widen its own page with django-csp's decorators (or
``lms.kernel.headers.allow_conference``); those apply on top of either policy.

An answer with neither a nonce nor a decorator's policy carries the same two header
values as every other answer on its side of the admin prefixes: they are built once
(django-csp builds both from the settings, deep copies included, on every answer:
a tenth of a kept page's cost, issue 19) and again when a CSP setting changes.
"""

from __future__ import annotations

import http.client
from typing import Any, cast

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware, PolicyParts
from csp.utils import build_policy, default_config
from django.conf import settings
from django.core.signals import setting_changed
from django.http import HttpRequest, HttpResponseBase

# what a decorator (csp_update, csp_replace, csp_exempt, allow_conference ...) or a
# view leaves on an answer to have a policy of its own
_OWN_POLICY = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
    "_csp_exempt",
    "_csp_exempt_ro",
)
_DEBUG_EXEMPT = (http.client.INTERNAL_SERVER_ERROR, http.client.NOT_FOUND)
# (admin side?) -> (enforced header, report-only header), "" when there is none
_built: dict[bool, tuple[str, str]] = {}


def admin_path(path: str) -> bool:
    """True for a path under one of the admin sites."""
    policy = getattr(settings, "CONTENT_SECURITY_POLICY_ADMIN", None) or {}
    return path.startswith(tuple(policy.get("URL_PREFIXES", ())))


def _forget_built(*, setting: str, **_kwargs: Any) -> None:
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _built.clear()


setting_changed.connect(_forget_built, dispatch_uid="lms.kernel.csp.forget_built")


def _excluded(setting: str, path: str) -> bool:
    policy = getattr(settings, setting, None) or {}
    return path.startswith(tuple(policy.get("EXCLUDE_URL_PREFIXES", None) or ()))


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

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        nonce_used = getattr(request, "_csp_nonce", None) is not None
        if nonce_used or any(hasattr(response, name) for name in _OWN_POLICY):
            return super().process_response(request, response)
        if response.status_code in _DEBUG_EXEMPT and settings.DEBUG:
            return response
        path = request.path_info
        side = admin_path(path)
        built = _built.get(side)
        if built is None:
            built = _built[side] = (
                build_policy(config=self.get_policy_parts(request, response).config),
                build_policy(report_only=True),
            )
        enforced, report_only = built
        if enforced and HEADER not in response:
            if not _excluded("CONTENT_SECURITY_POLICY", path):
                response[HEADER] = enforced
        if report_only and HEADER_REPORT_ONLY not in response:
            if not _excluded("CONTENT_SECURITY_POLICY_REPORT_ONLY", path):
                response[HEADER_REPORT_ONLY] = report_only
        # as django-csp does: a nonce asked for after the header is written is an error
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)  # type: ignore[attr-defined]
        return response
