"""Reads about courses, enrolment and progress (the contract other apps use)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import F

from courses.models import (
    CheckResult,
    CourseCompletion,
    CoursePage,
    Enrollment,
    LessonPage,
    LessonProgress,
    LiveAttendance,
    ModulePage,
    VideoProgress,
)
from lms.kernel.report_rows import fact_rows


@dataclass(frozen=True)
class CourseData:
    id: int
    title: str
    url: str
    occupation_code: str
    level_code: str
    instructor_ids: tuple[int, ...]


def _course_data(course: CoursePage) -> CourseData:
    return CourseData(
        id=course.pk,
        title=course.title,
        url=course.get_url() or "",
        occupation_code=course.occupation.code,
        level_code=course.skill_level.code,
        instructor_ids=tuple(sorted(u.pk for u in course.instructors.all())),
    )


def _courses():
    return CoursePage.objects.select_related(
        "occupation", "skill_level"
    ).prefetch_related("instructors")


def course_get(*, course_id: int) -> CourseData:
    """Raises CoursePage.DoesNotExist for an unknown id."""
    return _course_data(_courses().get(pk=course_id))


def course_list_for_instructor(*, user) -> list[CourseData]:
    if not getattr(user, "is_authenticated", False):
        return []
    courses = _courses().filter(instructors=user).order_by("title")
    return [_course_data(c) for c in courses]


def enrollment_exists(*, user, course_id: int) -> bool:
    """True while the user is enrolled (active or completed, not left)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return (
        Enrollment.objects.filter(user=user, course_id=course_id)
        .exclude(status=Enrollment.Status.LEFT)
        .exists()
    )


def enrolled_user_ids(*, course_id: int) -> list[int]:
    return list(
        Enrollment.objects.filter(course_id=course_id)
        .exclude(status=Enrollment.Status.LEFT)
        .order_by("user_id")
        .values_list("user_id", flat=True)
    )


def course_completed(*, user, occupation_code: str, level_code: str) -> bool:
    """True if the user completed a course for that occupation and skill level."""
    return (
        completed_course_id(
            user=user, occupation_code=occupation_code, level_code=level_code
        )
        is not None
    )


def completed_course_id(*, user, occupation_code: str, level_code: str) -> int | None:
    """The course for that occupation and skill level the user completed last (the
    one that prepared them for its test), or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        CourseCompletion.objects.filter(
            user=user,
            course__occupation__code=occupation_code,
            course__skill_level__code=level_code,
        )
        .order_by("-completed_at", "-pk")
        .values_list("course_id", flat=True)
        .first()
    )


# --- Reads for courses' own pages -------------------------------------------------


@dataclass(frozen=True)
class LessonOutline:
    id: int
    title: str
    url: str
    required: bool
    estimated_minutes: int
    completed: bool
    opened: bool


@dataclass(frozen=True)
class ModuleOutline:
    id: int
    title: str
    lessons: tuple[LessonOutline, ...]


@dataclass(frozen=True)
class CourseOutline:
    modules: tuple[ModuleOutline, ...]
    lessons_total: int
    lessons_done: int
    required_total: int
    required_done: int
    live_minutes: int

    @property
    def percent(self) -> int:
        if not self.required_total:
            return 0
        return round(100 * self.required_done / self.required_total)

    def flat(self) -> list[LessonOutline]:
        return [lesson for module in self.modules for lesson in module.lessons]


def course_outline_get(*, course: CoursePage, user=None, request=None) -> CourseOutline:
    """Modules and live lessons in tree order with the user's progress: 3–4 queries."""
    modules = list(ModulePage.objects.child_of(course).live().public().order_by("path"))
    lessons = list(
        LessonPage.objects.descendant_of(course)
        .live()
        .public()
        .order_by("path")
        .only("id", "title", "path", "url_path", "required", "estimated_minutes")
    )
    done: dict[int, bool] = {}
    live_minutes = 0
    if user is not None and user.is_authenticated:
        done = dict(
            LessonProgress.objects.filter(user=user, course=course).values_list(
                "lesson_id", "completed_at"
            )
        )
        live_minutes = live_minutes_total(user_id=user.pk, course_id=course.pk)
    course_url = course.get_url(request) or ""
    base = course.url_path
    by_module: dict[str, list[LessonOutline]] = {m.path: [] for m in modules}
    for lesson in lessons:
        parent_path = lesson.path[: -LessonPage.steplen]
        if parent_path not in by_module:
            continue
        by_module[parent_path].append(
            LessonOutline(
                id=lesson.pk,
                title=lesson.title,
                url=course_url + lesson.url_path[len(base) :],
                required=lesson.required,
                estimated_minutes=lesson.estimated_minutes,
                completed=bool(done.get(lesson.pk)),
                opened=lesson.pk in done,
            )
        )
    outline_modules = tuple(
        ModuleOutline(id=m.pk, title=m.title, lessons=tuple(by_module[m.path]))
        for m in modules
    )
    flat = [lesson for m in outline_modules for lesson in m.lessons]
    required = [lesson for lesson in flat if lesson.required]
    return CourseOutline(
        modules=outline_modules,
        lessons_total=len(flat),
        lessons_done=sum(1 for lesson in flat if lesson.completed),
        required_total=len(required),
        required_done=sum(1 for lesson in required if lesson.completed),
        live_minutes=live_minutes,
    )


def live_minutes_total(*, user_id: int, course_id: int) -> int:
    from django.db.models import Sum

    total = LiveAttendance.objects.filter(
        user_id=user_id, course_id=course_id
    ).aggregate(total=Sum("minutes"))["total"]
    return total or 0


def enrollment_get(*, user, course_id: int) -> Enrollment | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Enrollment.objects.filter(user=user, course_id=course_id).first()


def enrollments_for_user(*, user):
    """The user's current enrolments with their course, newest first."""
    return (
        Enrollment.objects.filter(user=user)
        .exclude(status=Enrollment.Status.LEFT)
        .select_related("course", "last_lesson")
        .order_by("-enrolled_at")
    )


def video_progress_for(*, user, lesson_id: int) -> dict[int, VideoProgress]:
    return {
        v.asset_id: v
        for v in VideoProgress.objects.filter(user=user, lesson_id=lesson_id)
    }


def check_results_for(*, user, lesson_id: int) -> dict[str, CheckResult]:
    return {
        c.block_id: c
        for c in CheckResult.objects.filter(user=user, lesson_id=lesson_id)
    }


# --- Page state (catalog, course, lesson) ---------------------------------------------


def _locale_pages(qs):
    """Pages in the active language, falling back to the default (Arabic) source."""
    from wagtail.models import Locale

    active = Locale.get_active()
    localised = qs.filter(locale=active)
    if active.language_code != Locale.get_default().language_code and (
        not localised.exists()
    ):
        return qs.filter(locale=Locale.get_default())
    return localised


def catalog_filter(*, params) -> dict:
    """Live courses filtered by trade, level and audience (unknown values ignored)."""
    from courses.models import Audience, TradePage
    from registry.selectors import skill_level_list

    trades = list(_locale_pages(TradePage.objects.live().public()).order_by("path"))
    levels = skill_level_list()
    courses = _locale_pages(CoursePage.objects.live().public()).select_related(
        "skill_level", "occupation"
    )
    selected = {
        "trade": params.get("trade", ""),
        "level": params.get("level", ""),
        "audience": params.get("audience", ""),
    }
    trade = next((t for t in trades if t.trade == selected["trade"]), None)
    if trade is not None:
        courses = courses.descendant_of(trade)
    else:
        selected["trade"] = ""
    if selected["level"] in {level.code for level in levels}:
        courses = courses.filter(skill_level__code=selected["level"])
    else:
        selected["level"] = ""
    if selected["audience"] in Audience.values:
        courses = courses.filter(audience=selected["audience"])
    else:
        selected["audience"] = ""
    return {
        "courses": list(courses.order_by("path")),
        "trades": trades,
        "levels": levels,
        "audiences": Audience.choices,
        "selected": selected,
    }


def course_page_state(*, course: CoursePage, request) -> dict:
    user = request.user
    outline = course_outline_get(course=course, user=user, request=request)
    enrollment = enrollment_get(user=user, course_id=course.pk)
    if enrollment is not None and enrollment.status == Enrollment.Status.LEFT:
        enrollment = None
    completion = (
        CourseCompletion.objects.filter(user=user, course=course).first()
        if enrollment
        else None
    )
    flat = outline.flat()
    continue_url = ""
    if enrollment is not None:
        last = next((x for x in flat if x.id == enrollment.last_lesson_id), None)
        todo = next((x for x in flat if not x.completed), None)
        target = last if last and not last.completed else todo or last
        continue_url = target.url if target else ""
    return {
        "outline": outline,
        "enrollment": enrollment,
        "completion": completion,
        "continue_url": continue_url,
        "instructors": list(course.instructors.all()),
    }


def lesson_page_state(*, lesson: LessonPage, request, course=None) -> dict:
    """Everything the lesson page shows, in a fixed number of queries."""
    user = request.user
    course = course or CoursePage.objects.ancestor_of(lesson).first()
    outline = course_outline_get(course=course, user=user, request=request)
    flat = outline.flat()
    index = next((i for i, x in enumerate(flat) if x.id == lesson.pk), None)
    previous = flat[index - 1] if index else None
    following = flat[index + 1] if index is not None and index + 1 < len(flat) else None
    enrolled = enrollment_exists(user=user, course_id=course.pk)
    passed, positions, done = set(), {}, False
    if enrolled:
        passed = {
            block_id
            for block_id, result in check_results_for(
                user=user, lesson_id=lesson.pk
            ).items()
            if result.passed_at
        }
        positions = {
            asset_id: v.position_s
            for asset_id, v in video_progress_for(
                user=user, lesson_id=lesson.pk
            ).items()
        }
        done = any(x.completed for x in flat if x.id == lesson.pk)
    return {
        "course": course,
        "outline": outline,
        "previous_lesson": previous,
        "next_lesson": following,
        "lesson_number": (index or 0) + 1,
        "enrolled": enrolled,
        "passed_checks": passed,
        "video_positions": positions,
        "lesson_done": done,
    }


def cohort_progress(*, course: CoursePage) -> list[dict]:
    """One row per enrolled trainee: lessons done, percent, live minutes, completion."""
    from django.db.models import Count, Q, Sum

    required_ids = list(
        LessonPage.objects.live()
        .descendant_of(course)
        .filter(required=True)
        .values_list("pk", flat=True)
    )
    enrollments = list(
        Enrollment.objects.filter(course=course)
        .exclude(status=Enrollment.Status.LEFT)
        .select_related("user")
        .order_by("user__full_name_ar", "user__username")
    )
    user_ids = [e.user_id for e in enrollments]
    done = dict(
        LessonProgress.objects.filter(course=course, user_id__in=user_ids)
        .values("user_id")
        .annotate(
            n=Count(
                "id",
                filter=Q(lesson_id__in=required_ids, completed_at__isnull=False),
            )
        )
        .values_list("user_id", "n")
    )
    minutes = dict(
        LiveAttendance.objects.filter(course=course, user_id__in=user_ids)
        .values("user_id")
        .annotate(total=Sum("minutes"))
        .values_list("user_id", "total")
    )
    completions = dict(
        CourseCompletion.objects.filter(
            course=course, user_id__in=user_ids
        ).values_list("user_id", "completed_at")
    )
    total = len(required_ids)
    return [
        {
            "user": e.user,
            "enrolled_at": e.enrolled_at,
            "lessons_done": done.get(e.user_id, 0),
            "lessons_total": total,
            "percent": round(100 * done.get(e.user_id, 0) / total) if total else 0,
            "live_minutes": minutes.get(e.user_id, 0) or 0,
            "completed_at": completions.get(e.user_id),
        }
        for e in enrollments
    ]


def my_courses(*, user) -> list[dict]:
    """The dashboard's "my courses": each enrolment with its percent and next step."""
    from django.db.models import Count, Q

    enrollments = list(enrollments_for_user(user=user))
    rows = []
    for enrollment in enrollments:
        course = enrollment.course
        counts = (
            LessonPage.objects.live()
            .descendant_of(course)
            .filter(required=True)
            .aggregate(
                total=Count("id"),
                done=Count(
                    "progress",
                    filter=Q(progress__user=user, progress__completed_at__isnull=False),
                ),
            )
        )
        total = counts["total"] or 0
        rows.append(
            {
                "course": course,
                "status": enrollment.status,
                "percent": round(100 * counts["done"] / total) if total else 0,
                "continue_url": enrollment.last_lesson.url
                if enrollment.last_lesson
                else course.url,
            }
        )
    return rows


# --- Report facts (lms.reports contract, see lms/reports/README.md) -----------------


def _facts_for(qs, *, metric: str, when: str, value):
    """Rows of one metric grouped in the database by month and attributes."""
    from django.db.models import DateField, Value
    from django.db.models.functions import TruncMonth

    return fact_rows(
        qs.annotate(
            metric=Value(metric),
            month=TruncMonth(when, output_field=DateField()),
            governorate_code=F("user__governorate_code"),
            occupation_code=F("course__occupation__code"),
            level_code=F("course__skill_level__code"),
            gender=F("user__gender"),
            has_disability=F("user__has_disability"),
        ),
        value=value,
    )


def _active_trainee_facts(since):
    """Distinct trainees who opened or completed a lesson, per month.

    Yields per-course rows and an "all courses" rollup (course_id None, occupation
    and level "") so a trainee in two courses counts once overall.
    """
    from django.db import connection
    from django.db.models import DateField
    from django.db.models.functions import TruncMonth

    branches = []
    for when in ("opened_at", "last_opened_at", "completed_at"):
        qs = LessonProgress.objects.filter(**{f"{when}__isnull": False})
        if since:
            qs = qs.filter(**{f"{when}__date__gte": since})
        branches.append(
            qs.annotate(
                m=TruncMonth(when, output_field=DateField()),
                gov=F("user__governorate_code"),
                occ=F("course__occupation__code"),
                lvl=F("course__skill_level__code"),
                sex=F("user__gender"),
                dis=F("user__has_disability"),
            )
            .values("user_id", "course_id", "m", "gov", "occ", "lvl", "sex", "dis")
            .order_by()
        )
    union = branches[0].union(*branches[1:])
    sql, params = union.query.sql_with_params()
    per_course = (
        "SELECT m, gov, occ, lvl, sex, dis, course_id, COUNT(DISTINCT user_id) "
        f"FROM ({sql}) t GROUP BY m, gov, occ, lvl, sex, dis, course_id"
    )
    overall = (
        "SELECT m, gov, '', '', sex, dis, NULL, COUNT(DISTINCT user_id) "
        f"FROM ({sql}) t GROUP BY m, gov, sex, dis"
    )
    for query in (per_course, overall):
        with connection.cursor() as cursor:
            cursor.execute(query, params)
            for m, gov, occ, lvl, sex, dis, course_id, value in cursor.fetchall():
                yield {
                    "metric": "active_trainees",
                    "month": _as_month(m),
                    "governorate_code": gov,
                    "occupation_code": occ,
                    "level_code": lvl,
                    "gender": sex,
                    "has_disability": bool(dis),
                    "course_id": course_id,
                    "value": value,
                }


def _as_month(value) -> date:
    """A month from a raw cursor: a string (SQLite), datetime or date (PostgreSQL)."""
    if isinstance(value, str):
        return date.fromisoformat(value[:10])
    if isinstance(value, datetime):
        return value.date()
    return value


def report_facts(*, since: date | None = None):
    """Courses' figures for lms.reports, each counted by one GROUP BY query.

    enrolments (by enrolment month), active_trainees (distinct people per month),
    lesson_completions, course_completions and live_attendance (trainees present at
    a live class, by the month its attendance was last reported).
    """
    from django.db.models import Count

    def recent(qs, when):
        return qs.filter(**{f"{when}__date__gte": since}) if since else qs

    yield from _facts_for(
        recent(Enrollment.objects.all(), "enrolled_at"),
        metric="enrolments",
        when="enrolled_at",
        value=Count("id"),
    )
    yield from _active_trainee_facts(since)
    yield from _facts_for(
        recent(
            LessonProgress.objects.filter(completed_at__isnull=False), "completed_at"
        ),
        metric="lesson_completions",
        when="completed_at",
        value=Count("id"),
    )
    yield from _facts_for(
        recent(CourseCompletion.objects.all(), "completed_at"),
        metric="course_completions",
        when="completed_at",
        value=Count("id"),
    )
    yield from _facts_for(
        recent(LiveAttendance.objects.filter(minutes__gt=0), "updated_at"),
        metric="live_attendance",
        when="updated_at",
        value=Count("id"),
    )
