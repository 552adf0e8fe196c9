"""A person's notices: the list of what was sent to them, and how notices reach
them (SMS, e-mail or the site only; the language they are written in)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from lms.accounts import selectors, services
from lms.accounts.forms import NotificationSettingsForm
from lms.kernel.errors import Invalid
from lms.kernel.notifications.selectors import notifications_for

NOTICES_SHOWN = 50


@login_required
@require_GET
def notices(request: HttpRequest) -> HttpResponse:
    """The person's latest notices, newest first, whatever channel carried them."""
    return render(
        request,
        "accounts/notices.html",
        {
            "notices": notifications_for(user_id=request.user.pk, limit=NOTICES_SHOWN),
            "settings": selectors.notification_settings_get(user_id=request.user.pk),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def notice_settings(request: HttpRequest) -> HttpResponse:
    current = selectors.notification_settings_get(user_id=request.user.pk)
    form = NotificationSettingsForm(
        request.POST if request.method == "POST" else None,
        initial={"channel": current.channel, "language": current.language},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.notification_settings_set(
                user_id=request.user.pk,
                channel=form.cleaned_data["channel"],
                language=form.cleaned_data["language"],
            )
        except Invalid as exc:
            for field, errors in exc.fields.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("Your notice settings are saved."))
            return redirect("accounts:notices")
    return render(
        request,
        "accounts/notice_settings.html",
        {"form": form, "settings": current},
        status=400 if form.errors else 200,
    )
