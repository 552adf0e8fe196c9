"""Progress reads: a course's outline with one trainee's progress, the dashboard's
"my courses", one lesson's checks and video positions, the instructor's cohort."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from courses.data import (
    CohortRowData,
    CourseOutline,
    LessonOutline,
    LessonProgressData,
    ModuleOutline,
    MyCourseData,
)
from courses.models import (
    CheckResult,
    CourseCompletion,
    CoursePage,
    Enrollment,
    LessonPage,
    LessonProgress,
    LiveAttendance,
    VideoProgress,
)
from courses.selectors.courses import enrollment_exists
from courses.selectors.structure import course_structure_get
from lms.kernel.errors import NotFound


def course_outline_get(*, course_id: int, user: Any = None) -> CourseOutline:
    """Modules and live lessons in tree order with the user's progress: the tree is
    kept data (`selectors.structure`), the progress one query (and one for the live
    minutes when the course asks for any).

    Raises NotFound for an unknown course.
    """
    structure = course_structure_get(course_id=course_id)
    if structure is None:
        raise NotFound(_("This course does not exist."), code="course_not_found")
    done: dict[int, bool] = {}
    live_minutes = 0
    if user is not None and user.is_authenticated:
        done = {
            lesson_id: completed_at is not None
            for lesson_id, completed_at in LessonProgress.objects.filter(
                user=user, course_id=course_id
            ).values_list("lesson_id", "completed_at")
        }
        if structure.min_live_minutes:
            live_minutes = live_minutes_total(user_id=user.pk, course_id=course_id)
    outline_modules = tuple(
        ModuleOutline(
            id=module.id,
            title=module.title,
            lessons=tuple(
                LessonOutline(
                    id=node.id,
                    title=node.title,
                    url=node.url,
                    required=node.required,
                    estimated_minutes=node.estimated_minutes,
                    completed=done.get(node.id, False),
                    opened=node.id in done,
                )
                for node in module.lessons
            ),
        )
        for module in structure.modules
    )
    flat = [lesson for m in outline_modules for lesson in m.lessons]
    required = [lesson for lesson in flat if lesson.required]
    return CourseOutline(
        course_id=course_id,
        modules=outline_modules,
        lessons_total=len(flat),
        lessons_done=sum(1 for lesson in flat if lesson.completed),
        required_total=len(required),
        required_done=sum(1 for lesson in required if lesson.completed),
        live_minutes=live_minutes,
    )


def course_progress_get(*, user: Any, course_id: int) -> CourseOutline:
    """The user's progress in a published course they are enrolled in (offline
    clients sync from it). Raises NotFound otherwise: a course one is not enrolled
    in has no progress to show."""
    published = CoursePage.objects.live().filter(pk=course_id).exists()
    if not published or not enrollment_exists(user=user, course_id=course_id):
        raise NotFound(_("You are not enrolled in this course."), code="not_enrolled")
    return course_outline_get(course_id=course_id, user=user)


def live_minutes_total(*, user_id: int, course_id: int) -> int:
    total = LiveAttendance.objects.filter(
        user_id=user_id, course_id=course_id
    ).aggregate(total=Sum("minutes"))["total"]
    return total or 0


def lesson_progress_get(*, user: Any, lesson_id: int) -> LessonProgressData:
    """The checks the user passed in a lesson and where each of its videos stopped."""
    if not getattr(user, "is_authenticated", False):
        return LessonProgressData(passed_check_ids=frozenset(), video_positions={})
    passed = CheckResult.objects.filter(
        user=user, lesson_id=lesson_id, passed_at__isnull=False
    ).values_list("block_id", flat=True)
    positions = VideoProgress.objects.filter(
        user=user, lesson_id=lesson_id
    ).values_list("asset_id", "position_s")
    return LessonProgressData(
        passed_check_ids=frozenset(passed), video_positions=dict(positions)
    )


def my_courses(*, user: Any) -> list[MyCourseData]:
    """The dashboard's "my courses": each enrolment with its percent and next step
    (two small queries whatever the number of courses: titles, addresses and trees
    are the courses' kept structures, not pages read and compiled per request)."""
    enrollments = list(
        Enrollment.objects.filter(user=user)
        .exclude(status=Enrollment.Status.LEFT)
        .order_by("-enrolled_at")
        .values_list("course_id", "last_lesson_id", "status")
    )
    completed = set(
        LessonProgress.objects.filter(
            user=user,
            course_id__in=[course_id for course_id, _last, _status in enrollments],
            completed_at__isnull=False,
        ).values_list("lesson_id", flat=True)
    )
    rows = []
    for course_id, last_lesson_id, status in enrollments:
        structure = course_structure_get(course_id=course_id)
        if structure is None:
            continue
        required = structure.required_ids()
        # the lesson to go on with, while it is published (else the course page)
        last = next(
            (
                lesson
                for module in structure.modules
                for lesson in module.lessons
                if lesson.id == last_lesson_id
            ),
            None,
        )
        rows.append(
            MyCourseData(
                course_id=course_id,
                title=structure.title,
                url=structure.url,
                status=status,
                percent=round(100 * len(required & completed) / len(required))
                if required
                else 0,
                continue_url=last.url if last else structure.url,
            )
        )
    return rows


def cohort_progress(*, course_id: int) -> list[CohortRowData]:
    """One row per enrolled trainee: lessons done, percent, live minutes, completion.

    Who may read it is `cohort_course_get`'s rule.
    """
    course = CoursePage.objects.filter(pk=course_id).first()
    if course is None:
        raise NotFound(_("This course does not exist."), code="course_not_found")
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
        CohortRowData(
            user_id=e.user_id,
            display_name=e.user.display_name,
            phone=e.user.phone or "",
            enrolled_at=e.enrolled_at,
            lessons_done=done.get(e.user_id, 0),
            lessons_total=total,
            percent=round(100 * done.get(e.user_id, 0) / total) if total else 0,
            live_minutes=minutes.get(e.user_id, 0) or 0,
            completed_at=completions.get(e.user_id),
        )
        for e in enrollments
    ]
