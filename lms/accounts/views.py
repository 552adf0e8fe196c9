from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from lms.accounts import services
from lms.accounts.forms import LoginForm, SignUpForm
from lms.accounts.national_id import normalize_national_id
from lms.accounts.phone_views import rate_limited, send_after
from lms.accounts.signup import (
    RETRY_KEY,
    SESSION_KEY,
    SignupDetails,
    phone_verification_on,
    signup_start,
)
from lms.accounts.throttling import client_address, signup_attempt_check
from lms.kernel.errors import RateLimited


def _throttled(request, exc: RateLimited):
    response = render(request, "accounts/signup_throttled.html", status=429)
    response["Retry-After"] = str(exc.retry_after or 60)
    return response


@sensitive_post_parameters("password1", "password2", "national_id")
@require_http_methods(["GET", "POST"])
def signup(request):
    if request.user.is_authenticated:
        return redirect("home:dashboard")
    form = SignUpForm(request.POST or None, initial=_pending_initial(request))
    if request.method == "POST":
        typed = normalize_national_id(request.POST.get("national_id", ""))
        try:
            signup_attempt_check(
                address=client_address(request),
                national_id=typed if len(typed) == 14 else "",
            )
        except RateLimited as exc:
            return _throttled(request, exc)
    if request.method == "POST" and form.is_valid() and phone_verification_on():
        return _signup_code_step(request, form.cleaned_data)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.user_register_trainee(
                national_id=data["national_id"],
                full_name_ar=data["full_name_ar"],
                full_name_en=data["full_name_en"],
                phone=data["phone"],
                email=data["email"],
                password=data["password1"],
                has_disability=data["has_disability"],
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            login(request, user, backend="lms.accounts.backends.ModelBackend")
            # The same words whether or not the ID was claimed before (no oracle).
            messages.success(request, _("Welcome to Maharat! Your account is ready."))
            return redirect("home:dashboard")
    return render(
        request,
        "accounts/signup.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


def _pending_initial(request) -> dict:
    """A sign-up sent back from its code step (too many tries, expired) opens once
    with what was typed, but the passwords (then forgotten: a phone may be shared)."""
    details = SignupDetails.from_session(request.session.pop(RETRY_KEY, None))
    if details is None or request.method != "GET":
        return {}
    initial = details.as_session()
    initial.pop("password_hash")
    return initial


def _signup_code_step(request, data: dict):
    """Keep the checked form in the session and send the code (or, to a number that
    has an account, its owner's recovery notice) after the answer: the same page
    follows either way."""
    details = SignupDetails(
        national_id=data["national_id"],
        full_name_ar=data["full_name_ar"],
        full_name_en=data["full_name_en"],
        phone=data["phone"],
        email=data["email"],
        has_disability=data["has_disability"],
        password_hash=make_password(data["password1"]),
    )
    try:
        code_id, sms = signup_start(phone=details.phone)
    except RateLimited as exc:
        return rate_limited(request, exc)
    request.session[SESSION_KEY] = {
        "code_id": code_id,
        "details": details.as_session(),
    }
    return send_after(redirect("accounts:signup_code"), sms)


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class PasswordResetEmailView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset_email.html"
    email_template_name = "accounts/password_reset_email.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


def locked_out(request, original_response=None, credentials=None):
    """django-axes lock-out page: says why and for how long, in the user's language."""
    from django.conf import settings

    minutes = max(1, round(float(settings.AXES_COOLOFF_TIME) * 60))
    return render(request, "accounts/locked_out.html", {"minutes": minutes}, status=429)
