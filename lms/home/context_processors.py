from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from lms.home.workplace import workplace_for


def workplace(request: HttpRequest) -> dict[str, object]:
    """The header's menu, computed only when a template reads it (not for the API,
    the admin's own pages or a plain redirect)."""
    return {"workplace": SimpleLazyObject(lambda: workplace_for(request))}
