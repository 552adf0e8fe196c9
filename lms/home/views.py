from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from lms.home.panels import dashboard_panels_for


@login_required
def dashboard(request):
    """The trainee's own page: my courses, upcoming live classes, my certificates."""
    return render(
        request, "home/dashboard.html", {"panels": dashboard_panels_for(request)}
    )
