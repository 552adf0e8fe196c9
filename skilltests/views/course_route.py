"""The course route's page: a trainee who completed a course asks for its skill
test (an application of kind `course`, accepted at once)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from lms.kernel.errors import Forbidden, ServiceError
from skilltests import selectors, services
from skilltests.forms import CourseRouteForm
from skilltests.views.access import me, signed_in
from skilltests.views.applicant import form_refusal


@signed_in
def course_route(request: HttpRequest) -> HttpResponse:
    """GET: the tests the person's completed courses open; POST: open one."""
    user_id = me(request)
    offers = selectors.course_offers_for(applicant_id=user_id)
    form = CourseRouteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            application = services.application_from_course(
                applicant_id=user_id,
                occupation_code=data["occupation_code"],
                level_code=data["level_code"],
                governorate_code=data["governorate_code"],
            )
        except Forbidden:
            raise
        except ServiceError as exc:
            form_refusal(form, exc)
        else:
            messages.success(
                request,
                _("Application %(reference)s accepted: book a seat now.")
                % {"reference": application.reference},
            )
            return redirect("skilltests:application", application.reference)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "skilltests/course_route.html",
        {
            "offers": offers,
            "form": form,
            "governorates": form.fields["governorate_code"].choices,
        },
        status=status,
    )
