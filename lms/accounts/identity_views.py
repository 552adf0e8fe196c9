"""Identity pages: a trainee's national-ID claim (and the identity provider's
round trip), and the ministry staff's screen to verify or reject claims.

The national ID never travels in a URL: staff search by a POSTed form, the provider's
callback carries only `code` and `state`.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lms.accounts import oidc, selectors, services
from lms.accounts.forms import ClaimSearchForm
from lms.accounts.roles import Role, user_has_role
from lms.kernel.errors import Forbidden, ServiceError

_SESSION_KEY = "oidc_request"


@login_required
@require_GET
def identity(request: HttpRequest) -> HttpResponse:
    """The account's claim: verified, or how to verify it (claimed and contested
    read the same to their owner)."""
    claim = selectors.national_id_claim_get(user_id=request.user.pk)
    return render(
        request,
        "accounts/identity.html",
        {"claim": claim, "provider_enabled": oidc.enabled()},
    )


def _callback_uri(request: HttpRequest) -> str:
    """One redirect URI to register with the provider, whatever the page language
    (providers compare it exactly)."""
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse("accounts:identity_provider_callback")
    return request.build_absolute_uri(path)


@login_required
@require_POST
def identity_provider_start(request: HttpRequest) -> HttpResponse:
    """Send the browser to the identity provider (state, nonce, PKCE kept in the
    session for the callback)."""
    if not oidc.enabled():
        raise Http404
    try:
        auth = oidc.authorization_request(redirect_uri=_callback_uri(request))
    except ServiceError as exc:
        messages.error(request, exc.message)
        return redirect("accounts:identity")
    request.session[_SESSION_KEY] = {
        "state": auth.state,
        "nonce": auth.nonce,
        "code_verifier": auth.code_verifier,
    }
    return redirect(auth.url)


@login_required
@require_GET
def identity_provider_callback(request: HttpRequest) -> HttpResponse:
    """The provider's answer: the code is exchanged, the ID token verified and its
    national ID compared with the account's claim."""
    if not oidc.enabled():
        raise Http404
    pending = request.session.pop(_SESSION_KEY, None) or {}
    if not oidc.state_matches(pending.get("state"), request.GET.get("state")):
        messages.error(request, _("This answer was not for this session. Try again."))
        return redirect("accounts:identity")
    if request.GET.get("error") or not request.GET.get("code"):
        messages.error(request, _("The identity provider did not confirm you."))
        return redirect("accounts:identity")
    try:
        token = oidc.code_exchange(
            code=request.GET["code"],
            redirect_uri=_callback_uri(request),
            code_verifier=pending["code_verifier"],
        )
        claims = oidc.id_token_verify(token=token, nonce=pending["nonce"])
        services.national_id_claim_verify_by_provider(
            user_id=request.user.pk,
            national_id=oidc.national_id_of(claims),
            subject=str(claims["sub"]),
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Your national ID is verified."))
    return redirect("accounts:identity")


def _staff_only(request: HttpRequest) -> None:
    if not user_has_role(request.user, Role.MINISTRY_STAFF):
        raise PermissionDenied


@login_required
def claims(request: HttpRequest) -> HttpResponse:
    """Ministry staff: the claims waiting in their directorate; POST searches by
    mobile number / username or by national ID (never in the URL)."""
    _staff_only(request)
    form = ClaimSearchForm(request.POST or None)
    searched = request.method == "POST" and form.is_valid()
    try:
        if searched:
            found = selectors.national_id_claims_for_staff(
                staff_id=request.user.pk,
                national_id=form.cleaned_data["national_id"],
                username=form.cleaned_data["username"],
            )
        else:
            found = selectors.national_id_claims_for_staff(staff_id=request.user.pk)
    except Forbidden as exc:
        return render(
            request, "accounts/claims.html", {"refusal": exc.message}, status=403
        )
    return render(
        request,
        "accounts/claims.html",
        {"form": form, "claims": found, "searched": searched},
        status=400 if form.errors else 200,
    )


def _decide(request: HttpRequest, pk: int, decide, done: str) -> HttpResponse:
    _staff_only(request)
    try:
        decide(claim_id=pk, staff_id=request.user.pk)
    except ServiceError as exc:
        if exc.status == 403:
            raise PermissionDenied(exc.message) from None
        if exc.status == 404:
            raise Http404 from None
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("accounts:claims")


@login_required
@require_POST
def claim_verify(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff saw the ID card: the claim is verified (other claims rejected)."""
    return _decide(
        request, pk, services.national_id_claim_verify, _("The claim is verified.")
    )


@login_required
@require_POST
def claim_reject(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(
        request, pk, services.national_id_claim_reject, _("The claim is rejected.")
    )
