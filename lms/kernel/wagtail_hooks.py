"""The kernel's periodic job: notices left waiting are handed out again."""

from __future__ import annotations

from wagtail import hooks


@hooks.register("maharat_periodic")
def notifications_requeue_waiting() -> int:
    """Retries now due and notices a killed worker held are enqueued again."""
    from lms.kernel.notifications.delivery import notifications_requeue

    return notifications_requeue()


@hooks.register("on_serve_page")
def public_pages_are_kept(serve):  # type: ignore[no-untyped-def]
    """A page served to an anonymous GET is the same for every such visitor (a
    restricted page never gets here without a session): lms.kernel.page_cache."""
    from lms.kernel.page_cache import mark_public

    def inner(page, request, args, kwargs):  # type: ignore[no-untyped-def]
        response = serve(page, request, args, kwargs)
        user = getattr(request, "user", None)
        if request.method == "GET" and not (user and user.is_authenticated):
            mark_public(response)
        return response

    return inner
