"""Seats never overbook under concurrent bookings (PostgreSQL, real threads with
their own connections): fifty people for the last three seats, exactly three get
one; moves in opposite directions do not deadlock; one applicant clicking many times
gets one seat."""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter
from collections.abc import Callable

import pytest
from django.db import connection
from django.utils import timezone

from lms.kernel.errors import ServiceError
from skilltests import services
from skilltests.models import Application, Booking, TestSession
from skilltests.selectors import session_seats_held
from tests.conftest import requires_postgres

pytestmark = requires_postgres


@pytest.fixture
def db(committed_db):
    """The bookings run in threads with their own connections: what the tests
    write is committed; the module cleans up once at its end (tests/conftest.py).
    Each test counts only its own sessions' rows."""


def race(calls: list[Callable[[], object]]) -> Counter:
    """Run every call in its own thread, all released at once; count outcomes
    ("ok" or the refusal's code)."""
    start = threading.Barrier(len(calls))
    outcomes: Counter = Counter()
    lock = threading.Lock()

    def run(call: Callable[[], object]) -> None:
        try:
            start.wait()
            call()
            outcome = "ok"
        except ServiceError as exc:
            outcome = exc.code
        except BaseException as exc:  # noqa: BLE001 - counted, the test fails on it
            outcome = f"{type(exc).__name__}: {exc}"
        finally:
            connection.close()
        with lock:
            outcomes[outcome] += 1

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def book(application, user, session_id: int) -> Callable[[], object]:
    return lambda: services.booking_create(
        reference=application.reference, applicant_id=user.pk, session_id=session_id
    )


def test_fifty_concurrent_bookings_for_the_last_three_seats(worker, accepted, publish):
    session = publish(seats=3)
    people = [worker() for _ in range(50)]
    applications = [accepted(person) for person in people]
    outcomes = race(
        [book(a, p, session.id) for a, p in zip(applications, people, strict=True)]
    )
    assert outcomes == Counter({"ok": 3, "session_full": 47})
    assert TestSession.objects.get(pk=session.id).seats_taken == 3
    assert session_seats_held(session_id=session.id) == 3
    references = [a.reference for a in applications]
    states = Counter(
        Application.objects.filter(reference__in=references).values_list(
            "state", flat=True
        )
    )
    assert states == Counter({"booked": 3, "accepted": 47})


def test_one_applicant_clicking_many_times_gets_one_seat(applicant, accepted, publish):
    sessions = [
        publish(starts_at=timezone.now() + dt.timedelta(days=20 + i)) for i in range(5)
    ]
    application = accepted(applicant)
    outcomes = race([book(application, applicant, s.id) for s in sessions * 2])
    assert outcomes == Counter({"ok": 1, "already_booked": 9})
    assert (
        Booking.objects.filter(application__reference=application.reference).count()
        == 1
    )
    assert sum(TestSession.objects.get(pk=s.id).seats_taken for s in sessions) == 1


def test_moves_in_opposite_directions_at_once_do_not_deadlock(worker, booked, publish):
    first = publish(starts_at=timezone.now() + dt.timedelta(days=30), seats=10)
    second = publish(starts_at=timezone.now() + dt.timedelta(days=31), seats=10)
    pairs = []
    for index in range(6):
        person = worker()
        start, target = (first, second) if index % 2 else (second, first)
        application, _ = booked(person, session=start)
        pairs.append((application, person, target))
    outcomes = race(
        [
            lambda a=a, p=p, t=t: services.booking_reschedule(
                reference=a.reference, applicant_id=p.pk, session_id=t.id
            )
            for a, p, t in pairs
        ]
    )
    assert outcomes == Counter({"ok": 6})
    for session in (first, second):
        assert TestSession.objects.get(pk=session.id).seats_taken == 3
        assert session_seats_held(session_id=session.id) == 3
