"""Courses' models: the page tree (`pages`) and each trainee's progress (`progress`).

`rendering` is where the pages find the code that builds their context, registered
from above (`courses.page_views`), so that nothing here imports the app's selectors,
services or views.
"""

from courses.models.pages import (
    Audience,
    CatalogPage,
    CoursePage,
    LessonPage,
    ModulePage,
    TradePage,
)
from courses.models.progress import (
    CheckResult,
    CourseCompletion,
    Enrollment,
    LessonProgress,
    LiveAttendance,
    ProgressEvent,
    VideoProgress,
)

__all__ = [
    "Audience",
    "CatalogPage",
    "CheckResult",
    "CourseCompletion",
    "CoursePage",
    "Enrollment",
    "LessonPage",
    "LessonProgress",
    "LiveAttendance",
    "ModulePage",
    "ProgressEvent",
    "TradePage",
    "VideoProgress",
]
