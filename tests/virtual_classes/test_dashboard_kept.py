"""The kept trainee dashboard (issue 19) and live classes: a class scheduled,
moved, cancelled or ended shows at once, a listed class is gone once it is over,
and one coming within the 30 days' window appears on time, without a change to
hear of (the panel's valid_until)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import dateformat, timezone

from tests.home.kept_pages import Clock, dashboard, fresh, kept, signed_in
from virtual_classes import services


@pytest.fixture(autouse=True)
def _kept(settings):
    settings.PERSONAL_PAGE_CACHE_SECONDS = 300


def shown_time(moment: dt.datetime) -> str:
    return f'datetime="{dateformat.format(timezone.localtime(moment), "c")}"'


def in_two_days() -> dt.datetime:
    return (timezone.now() + dt.timedelta(days=2)).replace(second=0, microsecond=0)


def test_a_class_scheduled_for_the_course_shows_at_once(student, instructor, course):
    client = signed_in(student)
    assert "مراجعة قبل الاختبار" not in kept(client)
    services.live_class_create(
        user=instructor,
        course_id=course.pk,
        title="مراجعة قبل الاختبار",
        starts_at=in_two_days(),
    )
    assert "مراجعة قبل الاختبار" in fresh(client)
    assert "مراجعة قبل الاختبار" in kept(client)


def test_a_class_moved_shows_its_new_time(student, instructor, make_class):
    first = in_two_days()
    live_class = make_class(starts_at=first)
    client = signed_in(student)
    assert shown_time(first) in kept(client)
    moved = first + dt.timedelta(hours=3)
    services.live_class_update(
        user=instructor,
        live_class_id=live_class.pk,
        title=live_class.title,
        starts_at=moved,
        duration_min=60,
        capacity=500,
        join_early_min=15,
    )
    page = fresh(client)
    assert shown_time(moved) in page and shown_time(first) not in page


def test_a_class_cancelled_shows_so(student, instructor, make_class):
    live_class = make_class(starts_at=in_two_days())
    ics = reverse("virtual_classes:ics", args=[live_class.pk])
    client = signed_in(student)
    assert ics in kept(client)
    services.live_class_cancel(
        user=instructor, live_class_id=live_class.pk, reason="المدرب مريض"
    )
    page = fresh(client)
    assert live_class.title in page and ics not in page


def test_a_class_ended_leaves_the_list(student, live_class):
    client = signed_in(student)
    assert live_class.title in kept(client)
    services.live_class_end(live_class_id=live_class.pk)
    assert live_class.title not in fresh(client)


def test_a_class_over_is_not_shown_past_its_end(student, make_class, monkeypatch):
    clock = Clock(monkeypatch)
    live_class = make_class(
        starts_at=timezone.now() - dt.timedelta(minutes=58), duration_min=60
    )
    client = signed_in(student)
    assert live_class.title in kept(client)  # for 2 minutes, not the 5 of any page
    clock.advance(minutes=1)
    page, queries = dashboard(client)
    assert queries == 0 and live_class.title in page
    clock.advance(seconds=90)
    assert live_class.title not in fresh(client)


def test_a_class_coming_within_the_window_appears_on_time(
    student, make_class, monkeypatch
):
    clock = Clock(monkeypatch)
    live_class = make_class(starts_at=timezone.now() + dt.timedelta(days=30, minutes=2))
    client = signed_in(student)
    assert live_class.title not in kept(client)
    clock.advance(minutes=1)
    page, queries = dashboard(client)
    assert queries == 0 and live_class.title not in page
    clock.advance(seconds=90)
    assert live_class.title in fresh(client)


def test_the_selector_gives_the_soonest_end(student, make_class):
    from virtual_classes.selectors import upcoming_classes_until

    now = timezone.now()
    soon = make_class(starts_at=now - dt.timedelta(minutes=10), duration_min=30)
    make_class(starts_at=now + dt.timedelta(days=1), duration_min=60)
    classes, until = upcoming_classes_until(user=student, now=now)
    assert [c.id for c in classes][0] == soon.pk and len(classes) == 2
    assert until == soon.ends_at
    # nothing listed: exact for the hour past the window at most
    assert upcoming_classes_until(user=None, now=now)[1] == now + dt.timedelta(hours=1)
