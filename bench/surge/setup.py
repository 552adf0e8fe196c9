"""Accounts for the surge, made in bulk in the database the servers use.

Run with the servers' settings (DEBUG=0, their DATABASE_URL and REDIS_URL) after
`seed_demo`: `python -m bench.surge.setup --users 1000 --out var/surge/accounts.json`.

What it makes, in a few bulk statements rather than 1,000 HTTP sign-ups:
- N trainees (mobile numbers 0155xxxxxxx, valid national IDs, half of them women),
  one Argon2 hash computed once for the shared password (the hasher is the
  production one: signing in costs what it costs in production);
- each enrolled in one demo course (men never in the women-only one);
- the examinees (EXAMINEE_SHARE of them) have also completed their course and have
  the skill test's attempt open, started by the real service (`attempt_start`: the
  blueprint's draw, the deadline job);
- a session for every trainee but the SIGNIN_SHARE who sign in during the surge
  (a session lasts SESSION_COOKIE_AGE, two weeks: a trainee who came back this
  fortnight still holds one), written as Django's login() writes it (the database,
  and the cache with the production engine, cached_db);
- one ten-minute lecture video in every demo lesson (the demo has one 6-second clip,
  so heartbeats would stop after the first): a copy of the demo clip's asset, its
  files shared, published as a new revision of each lesson.
Running it again first deletes the accounts (and their progress and attempts) of the
previous run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PHONE_PREFIX = "0155"
PASSWORD = "Surge-Trainee-2026"
LECTURE_TITLE = "Surge lecture (10 min)"
LECTURE_S = 600
VIDEO_WAIT_S = int(os.environ.get("SURGE_VIDEO_WAIT_S", "600"))
EXAMINEE_SHARE = 0.2
SIGNIN_SHARE = 0.1


def _national_id(i: int, *, female: bool) -> str:
    """Century 2, a birth date in the 1990s, Cairo (01), a serial whose last digit
    gives the gender, a check digit (not validated by the platform)."""
    year, month, day = 90 + i % 10, 1 + i % 12, 1 + i % 28
    serial = f"{(i // 5) % 1000:03d}{(i % 5) * 2 + (0 if female else 1)}"
    return f"2{year:02d}{month:02d}{day:02d}01{serial}{i % 10}"


def _forget_previous_run() -> None:
    from axes.models import AccessAttempt, AccessLog

    from assessments.models import Attempt
    from lms.accounts.models import User

    # attempts protect their trainee (a result is never deleted with an account)
    Attempt.objects.filter(user__username__startswith=PHONE_PREFIX).delete()
    User.objects.filter(username__startswith=PHONE_PREFIX).delete()
    AccessAttempt.objects.filter(username__startswith=PHONE_PREFIX).delete()
    AccessLog.objects.filter(username__startswith=PHONE_PREFIX).delete()


def _a_ready_demo_video():
    """A video `seed_demo` made (the demo clip, or a trade's narrated video: the
    DEMO_VIDEOS setting), once the topology's media worker has done every demo
    video: on a fresh database they are still being transcoded when the setup
    starts, and a transcode beside the load would be measured as the platform's."""
    from media_pipeline.models import VideoAsset

    pending = (VideoAsset.Status.UPLOADED, *VideoAsset.RUNNING)
    deadline = time.monotonic() + VIDEO_WAIT_S
    while True:
        demos = VideoAsset.objects.exclude(title=LECTURE_TITLE).order_by("pk")
        ready = demos.filter(status=VideoAsset.Status.READY).first()
        if ready is not None and not demos.filter(status__in=pending).exists():
            return ready
        if time.monotonic() > deadline:
            raise SystemExit(
                f"the demo videos were not ready within {VIDEO_WAIT_S} s "
                "(`manage.py seed_demo` and a running media worker make them)"
            )
        time.sleep(2)


def _lecture_in_every_lesson() -> int:
    """A ten-minute video (the demo clip's files) in each live demo lesson; returns
    the asset id. Idempotent: lessons that have it already are left alone."""
    from courses.models import LessonPage
    from media_pipeline.models import VideoAsset

    lecture = VideoAsset.objects.filter(title=LECTURE_TITLE).first()
    if lecture is None:
        demo = _a_ready_demo_video()
        demo.pk = None
        demo.id = None
        demo.title = LECTURE_TITLE
        demo.duration_s = LECTURE_S
        # bulk_create: no save() side effects (the clone shares the demo's files)
        [lecture] = VideoAsset.objects.bulk_create([demo])
    for lesson in LessonPage.objects.live():
        if lecture.pk in lesson.video_asset_ids():
            continue
        body = list(lesson.body.raw_data)
        body.insert(
            1,
            {
                "type": "video",
                "id": f"surge-lecture-{lesson.pk}",
                "value": {"video": lecture.pk, "caption": LECTURE_TITLE},
            },
        )
        lesson.body = body
        lesson.save_revision().publish()
    return lecture.pk


def _sessions(users: list) -> dict[int, str]:
    """A session per user, the data django.contrib.auth.login() stores."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    store = SessionStore()
    expires = timezone.now() + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    backend = "lms.accounts.backends.ModelBackend"
    rows, keys, datas = [], {}, []
    for user in users:
        key = get_random_string(32, "abcdefghijklmnopqrstuvwxyz0123456789")
        data = {
            SESSION_KEY: str(user.pk),
            BACKEND_SESSION_KEY: backend,
            HASH_SESSION_KEY: user.get_session_auth_hash(),
        }
        rows.append(
            Session(
                session_key=key, session_data=store.encode(data), expire_date=expires
            )
        )
        keys[user.pk] = key
        datas.append(data)
    Session.objects.bulk_create(rows, batch_size=500)
    _sessions_in_cache(rows, datas, settings.SESSION_COOKIE_AGE)
    return keys


def _sessions_in_cache(rows: list, datas: list[dict], age: int) -> None:
    """With the cached_db engine (production), a session saved by login() is in the
    cache as well as in the database, and a trainee who came back this fortnight is
    read from the cache: so are these (in bulk, as the engine's save writes each)."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.sessions.backends.cached_db import SessionStore as CachedDb
    from django.core.cache import caches

    engine = import_module(settings.SESSION_ENGINE).SessionStore
    if not issubclass(engine, CachedDb):
        return
    prefix = engine.cache_key_prefix
    pairs = zip(rows, datas, strict=True)
    entries = {prefix + row.session_key: data for row, data in pairs}
    caches[settings.SESSION_CACHE_ALIAS].set_many(entries, age)


def _courses() -> tuple[list, dict]:
    """The demo courses, and the skill test of each course's occupation and level."""
    from assessments.models import ExamBlueprint
    from courses.models import Audience, CoursePage

    courses = list(
        CoursePage.objects.live().select_related("occupation", "skill_level")
    )
    if not courses:
        raise SystemExit("no demo courses: run `manage.py seed_demo` first")
    exams = {}
    for course in courses:
        blueprint = ExamBlueprint.objects.filter(
            occupation=course.occupation, skill_level=course.skill_level, is_active=True
        ).first()
        if blueprint is not None:
            exams[course.pk] = blueprint
    women_only = [c.audience == Audience.WOMEN for c in courses]
    return list(zip(courses, women_only, strict=True)), exams


def prepare(
    *,
    users: int,
    examinee_share: float = EXAMINEE_SHARE,
    signin_share: float = SIGNIN_SHARE,
    seed: int = 19,
) -> list[dict]:
    """Make the accounts; returns one plain record per trainee for the load test."""
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group
    from django.db import transaction
    from django.utils import timezone

    from assessments import services as exam_services
    from courses.models import CourseCompletion, Enrollment
    from lms.accounts.models import User
    from lms.accounts.national_id import parse_national_id

    rng = random.Random(seed)
    _forget_previous_run()
    _lecture_in_every_lesson()
    courses, exams = _courses()
    password = make_password(PASSWORD)
    now = timezone.now()
    accounts: list[User] = []
    for i in range(users):
        nid = parse_national_id(_national_id(i, female=i % 2 == 0))
        accounts.append(
            User(
                username=f"{PHONE_PREFIX}{i:07d}",
                phone=f"{PHONE_PREFIX}{i:07d}",
                password=password,
                national_id=nid.value,
                birth_date=nid.birth_date,
                gender=nid.gender,
                governorate_code=nid.governorate.code,
                full_name_ar=f"متدرب {i}",
                first_name="متدرب",
                date_joined=now,
            )
        )
    with transaction.atomic():
        User.objects.bulk_create(accounts, batch_size=500)
        accounts = list(
            User.objects.filter(username__startswith=PHONE_PREFIX).order_by("username")
        )
        trainee = Group.objects.get(name="trainee")
        User.groups.through.objects.bulk_create(
            [User.groups.through(user_id=u.pk, group_id=trainee.pk) for u in accounts],
            batch_size=1000,
        )
    n_exam = round(users * examinee_share)
    n_signin = round(users * signin_share)
    examinee_ids = {u.pk for u in rng.sample(accounts, n_exam)}
    signin_ids = {u.pk for u in rng.sample(accounts, n_signin)}
    course_of = {}
    for i, user in enumerate(accounts):
        allowed = [c for c, women in courses if user.gender == "female" or not women]
        if user.pk in examinee_ids:
            allowed = [c for c in allowed if c.pk in exams] or allowed
        course_of[user.pk] = allowed[i % len(allowed)]
    with transaction.atomic():
        Enrollment.objects.bulk_create(
            [
                Enrollment(
                    user=u,
                    course=course_of[u.pk],
                    status=Enrollment.Status.COMPLETED
                    if u.pk in examinee_ids
                    else Enrollment.Status.ACTIVE,
                )
                for u in accounts
            ],
            batch_size=1000,
        )
        CourseCompletion.objects.bulk_create(
            [
                CourseCompletion(user=u, course=course_of[u.pk], completed_at=now)
                for u in accounts
                if u.pk in examinee_ids
            ],
            batch_size=1000,
        )
    attempts = {}
    for user in accounts:
        if user.pk in examinee_ids:
            blueprint = exams[course_of[user.pk].pk]
            attempt, _created = exam_services.attempt_start(
                user_id=user.pk, blueprint_id=blueprint.pk
            )
            attempts[user.pk] = attempt.id
    sessions = _sessions([u for u in accounts if u.pk not in signin_ids])
    return [
        {
            "username": u.username,
            "password": PASSWORD,
            "user_id": u.pk,
            "persona": "examinee" if u.pk in examinee_ids else "learner",
            "session": sessions.get(u.pk),
            "course_url": course_of[u.pk].url,
            "attempt_id": attempts.get(u.pk),
        }
        for u in accounts
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument("--examinee-share", type=float, default=EXAMINEE_SHARE)
    parser.add_argument("--signin-share", type=float, default=SIGNIN_SHARE)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings")
    import django

    django.setup()
    started = time.monotonic()
    records = prepare(
        users=args.users,
        examinee_share=args.examinee_share,
        signin_share=args.signin_share,
    )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(records))
    examinees = sum(r["persona"] == "examinee" for r in records)
    signins = sum(r["session"] is None for r in records)
    print(
        f"surge setup: {len(records)} trainees ({examinees} with an exam attempt open, "
        f"{signins} to sign in) in {time.monotonic() - started:.1f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
