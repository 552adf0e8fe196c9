"""Reads of applications: the applicant's own, a directorate's lists (keyset pages,
scoped by `staff_scope`), one application for the staff who decide on it, and the
documents each may open."""

from __future__ import annotations

import datetime as dt

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from lms.accounts.data import StaffScope
from lms.accounts.selectors import staff_scope
from lms.kernel.errors import Forbidden, NotFound
from skilltests.data import ApplicationData, ApplicationPage, DocumentFile
from skilltests.models import (
    ACTIVE_BOOKING,
    Application,
    ApplicationDocument,
    ApplicationState,
    Booking,
)
from skilltests.selectors.build import application_data, application_row

PAGE_SIZE = 50


def _not_found() -> NotFound:
    return NotFound(_("There is no such application."), code="application_not_found")


def _with_relations(qs: QuerySet[Application]) -> QuerySet[Application]:
    return qs.select_related("applicant", "occupation", "skill_level")


def _active_booking(application: Application) -> Booking | None:
    return (
        Booking.objects.select_related(
            "session__centre",
            "session__workshop",
            "session__occupation",
            "session__skill_level",
        )
        .filter(application=application, status__in=ACTIVE_BOOKING)
        .first()
    )


def _full(application: Application) -> ApplicationData:
    return application_data(
        application,
        documents=application.documents.all(),
        events=application.events.select_related("actor"),
        booking=_active_booking(application),
    )


def application_get_for_applicant(
    *, reference: str, applicant_id: int
) -> ApplicationData:
    """The applicant's own application with its documents, history and booking;
    NotFound for anyone else's (as if it did not exist)."""
    application = (
        _with_relations(Application.objects.all())
        .filter(reference=reference.upper(), applicant_id=applicant_id)
        .first()
    )
    if application is None:
        raise _not_found()
    return _full(application)


def applications_for_applicant(*, applicant_id: int) -> list[ApplicationData]:
    """Every application of the person, newest first, each with its booking."""
    qs = _with_relations(Application.objects.all()).filter(applicant_id=applicant_id)
    return [
        application_data(a, booking=_active_booking(a))
        for a in qs.order_by("-submitted_at", "-pk")
    ]


def scope_check(scope: StaffScope, governorate_code: str) -> None:
    """Forbidden (`other_directorate`) unless the scope covers the governorate."""
    if not scope.covers(governorate_code):
        raise Forbidden(
            _(
                "This belongs to another governorate's directorate: only its staff "
                "(or the head office) may act on it."
            ),
            code="other_directorate",
        )


def application_get_for_staff(*, reference: str, staff_id: int) -> ApplicationData:
    """One application for the staff of its governorate's directorate (head office:
    all); Forbidden `other_directorate` for another directorate's staff."""
    scope = staff_scope(user_id=staff_id)
    application = (
        _with_relations(Application.objects.all())
        .filter(reference=reference.upper())
        .first()
    )
    if application is None:
        raise _not_found()
    scope_check(scope, application.governorate_code)
    return _full(application)


def _scoped(scope: StaffScope) -> QuerySet[Application]:
    qs = Application.objects.all()
    if not scope.head_office:
        qs = qs.filter(governorate_code__in=scope.governorate_codes)
    return qs


def _cursor(application: Application) -> str:
    stamp = int(application.submitted_at.timestamp() * 1_000_000)
    return f"{stamp}-{application.pk}"


def _parse_cursor(text: str) -> tuple[dt.datetime, int] | None:
    stamp, _sep, pk = (text or "").partition("-")
    if not (stamp.isdigit() and pk.isdigit()):
        return None
    moment = dt.datetime.fromtimestamp(int(stamp) / 1_000_000, tz=dt.UTC)
    return moment, int(pk)


def applications_page_for_staff(
    *,
    staff_id: int,
    state: str = ApplicationState.SUBMITTED,
    occupation_code: str = "",
    level_code: str = "",
    governorate_code: str = "",
    reference: str = "",
    after: str = "",
    before: str = "",
    size: int = PAGE_SIZE,
) -> ApplicationPage:
    """A page of the directorate's applications, oldest submitted first (the queue's
    order), by keyset on (submitted_at, id); `state` "" means every state. Counts by
    state cover the whole scope. A governorate outside the scope is Forbidden."""
    scope = staff_scope(user_id=staff_id)
    base = _scoped(scope)
    if governorate_code:
        scope_check(scope, governorate_code)
        base = base.filter(governorate_code=governorate_code)
    counts = dict(base.values_list("state").annotate(n=Count("id")).order_by())
    qs = base
    if reference:
        qs = qs.filter(reference=reference.strip().upper())
    elif state:
        qs = qs.filter(state=state)
    if occupation_code:
        qs = qs.filter(occupation__code=occupation_code)
    if level_code:
        qs = qs.filter(skill_level__code=level_code)
    qs = _with_relations(qs)
    backwards = False
    # (submitted_at, id) past the mark; the plain range first lets the index's
    # range scan start at the mark instead of filtering every row before it.
    if (mark := _parse_cursor(after)) is not None:
        qs = qs.filter(
            Q(submitted_at__gte=mark[0])
            & (Q(submitted_at__gt=mark[0]) | Q(pk__gt=mark[1]))
        )
    elif (mark := _parse_cursor(before)) is not None:
        backwards = True
        qs = qs.filter(
            Q(submitted_at__lte=mark[0])
            & (Q(submitted_at__lt=mark[0]) | Q(pk__lt=mark[1]))
        )
    order = ("-submitted_at", "-pk") if backwards else ("submitted_at", "pk")
    rows = list(qs.order_by(*order)[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    if backwards:
        rows.reverse()
    has_next = more if not backwards else bool(rows)
    has_previous = (more if backwards else bool(after)) and bool(rows)
    return ApplicationPage(
        rows=tuple(application_row(a) for a in rows),
        counts={str(k): v for k, v in counts.items()},
        next_cursor=_cursor(rows[-1]) if rows and has_next else "",
        previous_cursor=_cursor(rows[0]) if has_previous else "",
    )


WAITING_TTL_S = 60


def _waiting_key(codes: str) -> str:
    return f"skilltests:waiting:{codes}"


def applications_waiting_count(*, staff_id: int) -> int:
    """Submitted applications waiting in the staff member's directorate (the
    workplace badge, on every staff page); 0 for anyone outside the scope rules.
    Counted once per directorate, then cached until an application of its
    governorate changes (`waiting_count_forget`), at most WAITING_TTL_S."""
    try:
        scope = staff_scope(user_id=staff_id)
    except Forbidden:
        return 0
    key = _waiting_key(
        "all" if scope.head_office else ",".join(sorted(scope.governorate_codes))
    )
    cached = cache.get(key)
    if isinstance(cached, int):
        return cached
    count = _scoped(scope).filter(state=ApplicationState.SUBMITTED).count()
    cache.set(key, count, WAITING_TTL_S)
    return count


def waiting_count_forget(governorate_code: str) -> None:
    """After a change commits, the badges of its directorate and the head office
    count again."""
    keys = [_waiting_key(governorate_code), _waiting_key("all")]
    transaction.on_commit(lambda: cache.delete_many(keys))


def document_for_viewer(*, document_id: int, viewer_id: int) -> DocumentFile:
    """A document, for its applicant or the staff of the application's directorate;
    NotFound for anyone else (as if it did not exist)."""
    document = (
        ApplicationDocument.objects.select_related("application")
        .filter(pk=document_id)
        .first()
    )
    if document is None:
        raise NotFound(_("There is no such document."), code="document_not_found")
    found = DocumentFile(
        storage_name=document.file.name,
        content_type=document.content_type,
        original_name=document.original_name,
    )
    if document.application.applicant_id == viewer_id:
        return found
    try:
        scope = staff_scope(user_id=viewer_id)
    except Forbidden:
        raise NotFound(
            _("There is no such document."), code="document_not_found"
        ) from None
    if not scope.covers(document.application.governorate_code):
        raise NotFound(_("There is no such document."), code="document_not_found")
    return found
