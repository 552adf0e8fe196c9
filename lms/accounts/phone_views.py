"""The pages of the codes sent by SMS: the sign-up's code step and the password reset
by mobile number (request, code, new password). Thin: the rules are in signup.py,
phone_reset.py and phone_codes.py; each SMS leaves after the answer."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from lms.accounts import phone_reset, signup
from lms.accounts.forms import NewPasswordForm, PasswordResetPhoneForm, PhoneCodeForm
from lms.accounts.models import CodePurpose, User
from lms.accounts.phone_codes import OutgoingSms, code_status
from lms.accounts.throttling import client_address, reset_attempt_check
from lms.kernel.after_response import after_response
from lms.kernel.errors import Invalid, RateLimited

# Refusals the person can answer on the same page; any other means "start again".
_RETRY_HERE = {"code_wrong", "code_expired"}


@dataclass(frozen=True)
class _Flow:
    """A code flow's session key, resend service and pages (this one, its start)."""

    session_key: str
    resend: Callable[..., OutgoingSms | None]
    here: str
    start: str


SIGNUP = _Flow(
    signup.SESSION_KEY,
    signup.signup_code_resend,
    "accounts:signup_code",
    "accounts:signup",
)
RESET = _Flow(
    phone_reset.SESSION_KEY,
    phone_reset.password_reset_resend,
    "accounts:password_reset_code",
    "accounts:password_reset",
)


def rate_limited(request: HttpRequest, exc: RateLimited) -> HttpResponse:
    response = render(
        request, "accounts/rate_limited.html", {"message": exc.message}, status=429
    )
    response["Retry-After"] = str(exc.retry_after or 60)
    return response


def send_after(response: HttpResponse, sms: OutgoingSms | None) -> HttpResponse:
    if sms is not None:
        after_response(response, sms.send)
    return response


def _start_again(request: HttpRequest, key: str, message: str, to: str):
    pending = request.session.pop(key, None) or {}
    if key == signup.SESSION_KEY and pending.get("details"):
        request.session[signup.RETRY_KEY] = pending["details"]
    messages.error(request, message)
    return redirect(to)


def _resend(request: HttpRequest, flow: _Flow, code_id: int) -> HttpResponse:
    try:
        sms = flow.resend(code_id=code_id)
    except RateLimited as exc:
        if exc.code == "code_sends":
            return _start_again(request, flow.session_key, exc.message, flow.start)
        messages.error(request, exc.message)
        return redirect(flow.here)
    except Invalid as exc:
        return _start_again(request, flow.session_key, exc.message, flow.start)
    messages.success(request, _("We sent a new code. The earlier one no longer works."))
    return send_after(redirect(flow.here), sms)


def _code_page(request, template: str, form, status, **context) -> HttpResponse:
    return render(
        request,
        template,
        {
            "form": form,
            "code": status,
            "code_minutes": max(1, settings.ACCOUNTS_CODE_TTL_S // 60),
            **context,
        },
        status=400 if form.errors else 200,
    )


@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def signup_code(request: HttpRequest) -> HttpResponse:
    """Step 2 of sign-up: the code sent to the number; the account is made here."""
    pending = request.session.get(signup.SESSION_KEY) or {}
    details = signup.SignupDetails.from_session(pending.get("details"))
    code_id = pending.get("code_id")
    if details is None or not code_id:
        return redirect("accounts:signup")
    if request.method == "POST" and "resend" in request.POST:
        return _resend(request, SIGNUP, code_id)
    try:
        status = code_status(code_id=code_id, purpose=CodePurpose.SIGNUP)
    except Invalid as exc:
        return _start_again(request, signup.SESSION_KEY, exc.message, "accounts:signup")
    form = PhoneCodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            user = signup.signup_complete(
                code_id=code_id, typed_code=form.cleaned_data["code"], details=details
            )
        except Invalid as exc:
            if exc.code not in _RETRY_HERE:
                return _start_again(
                    request, signup.SESSION_KEY, exc.message, "accounts:signup"
                )
            form.add_error("code", exc.message)
            status = code_status(code_id=code_id, purpose=CodePurpose.SIGNUP)
        except ValidationError as exc:
            return _start_again(
                request, signup.SESSION_KEY, " ".join(exc.messages), "accounts:signup"
            )
        else:
            request.session.pop(signup.SESSION_KEY, None)
            login(request, user, backend="lms.accounts.backends.ModelBackend")
            messages.success(request, _("Welcome to Maharat! Your account is ready."))
            return redirect("home:dashboard")
    return _code_page(request, "accounts/signup_code.html", form, status)


@require_http_methods(["GET", "POST"])
def password_reset(request: HttpRequest) -> HttpResponse:
    """Ask for a reset code by mobile number (the same answer for any number)."""
    if not signup.phone_verification_on():
        return redirect("accounts:password_reset_email")
    form = PasswordResetPhoneForm(request.POST or None)
    if request.method == "POST":
        try:
            reset_attempt_check(address=client_address(request))
        except RateLimited as exc:
            return rate_limited(request, exc)
    if request.method == "POST" and form.is_valid():
        try:
            code_id, sms = phone_reset.password_reset_start(
                phone=form.cleaned_data["phone"]
            )
        except RateLimited as exc:
            return rate_limited(request, exc)
        request.session[phone_reset.SESSION_KEY] = {"code_id": code_id}
        return send_after(redirect("accounts:password_reset_code"), sms)
    return render(
        request,
        "accounts/password_reset.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def password_reset_code(request: HttpRequest) -> HttpResponse:
    """The reset code; right, it lets the person choose a new password."""
    pending = request.session.get(phone_reset.SESSION_KEY) or {}
    code_id = pending.get("code_id")
    if not code_id:
        return redirect("accounts:password_reset")
    if request.method == "POST" and "resend" in request.POST:
        return _resend(request, RESET, code_id)
    try:
        status = code_status(code_id=code_id, purpose=CodePurpose.PASSWORD_RESET)
    except Invalid as exc:
        return _start_again(
            request, phone_reset.SESSION_KEY, exc.message, "accounts:password_reset"
        )
    form = PhoneCodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            user_id = phone_reset.password_reset_verify(
                code_id=code_id, typed_code=form.cleaned_data["code"]
            )
        except Invalid as exc:
            if exc.code not in _RETRY_HERE:
                return _start_again(
                    request,
                    phone_reset.SESSION_KEY,
                    exc.message,
                    "accounts:password_reset",
                )
            form.add_error("code", exc.message)
            status = code_status(code_id=code_id, purpose=CodePurpose.PASSWORD_RESET)
        else:
            request.session[phone_reset.SESSION_KEY] = {
                "user_id": user_id,
                "verified_at": time.time(),
            }
            return redirect("accounts:password_reset_new")
    return _code_page(request, "accounts/password_reset_code.html", form, status)


@sensitive_post_parameters("password1", "password2")
@require_http_methods(["GET", "POST"])
def password_reset_new(request: HttpRequest) -> HttpResponse:
    """The new password, within the code's lifetime after the code was typed."""
    pending = request.session.get(phone_reset.SESSION_KEY) or {}
    verified_at = float(pending.get("verified_at") or 0)
    user = User.objects.filter(pk=pending.get("user_id"), is_active=True).first()
    if user is None or time.time() - verified_at > settings.ACCOUNTS_CODE_TTL_S:
        return _start_again(
            request,
            phone_reset.SESSION_KEY,
            _("This code can no longer be used. Please start again."),
            "accounts:password_reset",
        )
    form = NewPasswordForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        phone_reset.password_reset_complete(
            user_id=user.pk, password=form.cleaned_data["password1"]
        )
        request.session.pop(phone_reset.SESSION_KEY, None)
        return redirect("accounts:password_reset_complete")
    return render(
        request,
        "accounts/password_reset_new.html",
        {"form": form},
        status=400 if form.errors else 200,
    )
