"""Recurring series: created in one form, each occurrence a class of its own, edited
or cancelled alone or with the rest of the series."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from lms.kernel.errors import Invalid
from lms.kernel.notifications.selectors import notifications_for
from virtual_classes import services
from virtual_classes.models import ClassSeries, LiveClass

CAIRO = ZoneInfo("Africa/Cairo")
SAT, SUN, MON, TUE = 5, 6, 0, 1


def next_weekday(weekday: int, hour: int = 18) -> dt.datetime:
    """The next such weekday (at least 2 days ahead) at `hour` Cairo time."""
    day = timezone.localtime().date() + dt.timedelta(days=2)
    while day.weekday() != weekday:
        day += dt.timedelta(days=1)
    return dt.datetime.combine(day, dt.time(hour, 0), tzinfo=CAIRO)


def make_series(user, course, **kwargs):
    values = {
        "user": user,
        "course_id": course.id,
        "title": "حصص الورشة",
        "starts_at": next_weekday(SAT),
        "weekdays": [SAT, TUE],
        "weeks": 3,
    }
    values.update(kwargs)
    return services.live_class_series_create(**values)


def cairo(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(CAIRO)


def test_a_weekly_series_on_two_weekdays_for_three_weeks(instructor, course):
    created = make_series(instructor, course)
    assert len(created) == 6
    assert [cairo(c.starts_at).weekday() for c in created] == [SAT, TUE] * 3
    assert {cairo(c.starts_at).time() for c in created} == {dt.time(18, 0)}
    assert len({c.series_id for c in created}) == 1
    assert LiveClass.objects.filter(series__isnull=False).count() == 6
    assert len({c.room_name for c in LiveClass.objects.all()}) == 6


def test_a_series_until_a_date_includes_that_date(instructor, course):
    first = next_weekday(MON)
    until = (first + dt.timedelta(days=14)).date()  # a Monday, two weeks on
    created = make_series(
        instructor, course, starts_at=first, weekdays=[MON], weeks=None, until=until
    )
    assert [cairo(c.starts_at).date() for c in created] == [
        first.date(),
        first.date() + dt.timedelta(days=7),
        until,
    ]


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"weekdays": []}, "no_weekdays"),
        ({"weekdays": [7]}, "no_weekdays"),
        ({"weeks": None}, "series_end"),
        ({"until": dt.date(2099, 1, 1)}, "series_end"),  # both weeks and until
        ({"weeks": 53}, "series_too_long"),
        ({"weeks": 0}, "series_too_long"),
        ({"weeks": None, "until": dt.date(2000, 1, 1)}, "series_end"),
    ],
)
def test_a_series_that_makes_no_sense_is_refused(instructor, course, changes, code):
    with pytest.raises(Invalid) as refused:
        make_series(instructor, course, **changes)
    assert refused.value.code == code and refused.value.fields
    assert not LiveClass.objects.exists() and not ClassSeries.objects.exists()


def test_a_series_starting_in_the_past_is_refused(instructor, course):
    with pytest.raises(Invalid) as refused:
        make_series(
            instructor,
            course,
            starts_at=timezone.now() - dt.timedelta(days=1),
            weekdays=list(range(7)),
        )
    assert refused.value.code == "starts_in_past"
    assert not LiveClass.objects.exists()


def test_a_series_for_a_course_i_do_not_teach_is_refused(make_user, course):
    from lms.kernel.errors import Forbidden

    with pytest.raises(Forbidden):
        make_series(make_user("instructor"), course)
    assert not LiveClass.objects.exists()


def test_moving_the_rest_of_a_series_keeps_the_earlier_classes(
    instructor, student, course
):
    created = make_series(instructor, course)
    third = LiveClass.objects.get(pk=created[2].id)
    new_start = cairo(third.starts_at).replace(hour=19, minute=30)
    moved = services.live_class_update(
        user=instructor,
        live_class_id=third.pk,
        title=third.title,
        starts_at=new_start,
        duration_min=90,
        capacity=third.capacity,
        join_early_min=third.join_early_min,
        scope="following",
    )
    assert [m.id for m in moved] == [c.id for c in created[2:]]
    for before, after in zip(created[2:], moved, strict=True):
        assert cairo(after.starts_at).date() == cairo(before.starts_at).date()
        assert cairo(after.starts_at).time() == dt.time(19, 30)
        assert after.duration_min == 90
    for earlier in created[:2]:
        row = LiveClass.objects.get(pk=earlier.id)
        assert row.starts_at == earlier.starts_at and row.duration_min == 60
    # one notice for the whole change, not one per class
    (notice,) = notifications_for(user_id=student.pk, kind="class_rescheduled")
    assert "والحصص التالية" in notice.text


def test_editing_one_occurrence_changes_only_that_one(instructor, course):
    created = make_series(instructor, course)
    second = LiveClass.objects.get(pk=created[1].id)
    services.live_class_update(
        user=instructor,
        live_class_id=second.pk,
        title="حصة مختلفة",
        starts_at=second.starts_at,
        duration_min=second.duration_min,
        capacity=second.capacity,
        join_early_min=second.join_early_min,
    )
    titles = list(
        LiveClass.objects.order_by("starts_at").values_list("title", flat=True)
    )
    assert titles.count("حصة مختلفة") == 1 and titles[1] == "حصة مختلفة"


def test_cancelling_the_rest_of_a_series(instructor, student, course):
    created = make_series(instructor, course)
    cancelled = services.live_class_cancel(
        user=instructor,
        live_class_id=created[3].id,
        reason="انتهاء الفصل",
        scope="following",
    )
    assert [c.id for c in cancelled] == [c.id for c in created[3:]]
    states = list(
        LiveClass.objects.order_by("starts_at").values_list("cancelled_at", flat=True)
    )
    assert [s is not None for s in states] == [False, False, False, True, True, True]
    (notice,) = notifications_for(user_id=student.pk, kind="class_cancelled")
    assert "والحصص التالية" in notice.text


def test_cancelling_one_occurrence_leaves_the_others(instructor, course):
    created = make_series(instructor, course)
    services.live_class_cancel(user=instructor, live_class_id=created[0].id, reason="x")
    assert LiveClass.objects.filter(cancelled_at__isnull=False).count() == 1


def test_an_unknown_scope_is_refused(instructor, course):
    created = make_series(instructor, course)
    with pytest.raises(Invalid) as refused:
        services.live_class_cancel(
            user=instructor, live_class_id=created[0].id, reason="x", scope="all"
        )
    assert refused.value.code == "invalid_scope"


def test_the_series_form_schedules_every_class(client, instructor, course):
    client.force_login(instructor)
    first = next_weekday(SUN)
    response = client.post(
        "/classes/series/new/",
        {
            "course": str(course.id),
            "title": "حصص الأحد",
            "starts_at": first.strftime("%Y-%m-%dT%H:%M"),
            "weekdays": [str(SUN)],
            "weeks": "٤",  # Eastern-Arabic digits
            "duration_min": "60",
            "capacity": "100",
            "join_early_min": "15",
        },
    )
    assert response.status_code == 302, response.content.decode()
    assert LiveClass.objects.filter(title="حصص الأحد").count() == 4


def test_the_series_form_keeps_what_was_typed_when_refused(client, instructor, course):
    client.force_login(instructor)
    response = client.post(
        "/classes/series/new/",
        {
            "course": str(course.id),
            "title": "حصص بلا أيام",
            "starts_at": next_weekday(SUN).strftime("%Y-%m-%dT%H:%M"),
            "weeks": "2",
            "duration_min": "60",
            "capacity": "100",
            "join_early_min": "15",
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="حصص بلا أيام"' in html
    assert not LiveClass.objects.exists()


def test_the_series_form_is_refused_to_a_trainee(client, trainee):
    client.force_login(trainee)
    assert client.get("/classes/series/new/").status_code == 403
