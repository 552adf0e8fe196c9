"""Offline manifests: what "save for offline" stores for a lesson or a whole module.

A manifest (the shape lms/static/lms/offline.js expects, see lms/pwa/README.md) lists
every URL the page needs without a connection: the page itself, the lesson page's own
CSS and JS, the WebP renditions its images use (every width of their `srcset`, since
the phone picks one at display time; an SVG illustration is one file), the documents
it offers for download, and for each video the small offline MP4, its poster and
caption tracks (from content's selectors: the video block is where lessons meet media
assets), with their total size.
"""

from __future__ import annotations

import os
from typing import Any

from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.utils.translation import gettext as _
from wagtail.models import Page

from content.selectors import video_offline_files
from courses.data import OfflineManifest
from courses.models import CoursePage, LessonPage, ModulePage
from courses.selectors.courses import enrollment_exists
from lms.accounts.roles import Role, user_has_role
from lms.kernel.errors import Forbidden, NotFound

# The lesson page's own files; base.html's shell files are precached by the worker.
LESSON_STATIC_FILES = ("courses/lesson.css", "courses/lesson.js")
# The HTML of a page is not rendered to build its manifest; this is its size as
# counted in "size before saving" (a lesson page weighs 10-30 KB uncompressed).
PAGE_HTML_ESTIMATE_BYTES = 30_000
# The widths content/templates/content/blocks/{image,procedure}.html ask for.
IMAGE_WIDTHS = {"image": (360, 720, 1080), "procedure": (360, 720)}


def offline_save_allowed(*, user: Any, course_id: int) -> bool:
    """Who may save a course's lessons: its enrolled trainees, its instructors,
    the content team (Django staff) and ministry staff."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_staff or user_has_role(user, Role.MINISTRY_STAFF):
        return True
    if CoursePage.objects.filter(pk=course_id, instructors=user).exists():
        return True
    return enrollment_exists(user=user, course_id=course_id)


def _saveable(model: type[Page], page_id: int, user: Any) -> Any:
    """The live page, once the user may save its course's lessons."""
    page = model.objects.live().public().filter(pk=page_id).first()
    course = CoursePage.objects.ancestor_of(page).first() if page else None
    if page is None or course is None:
        raise NotFound(_("This page does not exist or is not published."))
    if not offline_save_allowed(user=user, course_id=course.pk):
        raise Forbidden(
            _("Enrol in the course to save its lessons for offline."),
            code="not_enrolled",
        )
    return page


def _static_size(name: str) -> int:
    path = finders.find(name)
    return os.path.getsize(path) if path else 0


def _image_files(lesson: LessonPage) -> dict[str, int]:
    files: dict[str, int] = {}
    images = []
    for block in lesson.body:
        if block.block_type == "image" and block.value.get("image"):
            images.append((block.value["image"], IMAGE_WIDTHS["image"]))
        elif block.block_type == "procedure":
            images.extend(
                (step["image"], IMAGE_WIDTHS["procedure"])
                for step in block.value["steps"]
                if step.get("image")
            )
    for image, widths in images:
        # as content's image templates ask: an SVG as itself, a photo in WebP widths
        specs = (
            ["original"]
            if image.is_svg()
            else [f"width-{width}|format-webp" for width in widths]
        )
        for rendition in image.get_renditions(*specs).values():
            files[rendition.url] = _file_size(rendition.file)
    return files


def _document_files(lesson: LessonPage) -> dict[str, int]:
    """The lesson's downloadable documents (a worksheet, a wiring diagram): a
    trainee offline taps their link too."""
    files: dict[str, int] = {}
    for block in lesson.body:
        document = (
            block.value.get("document") if block.block_type == "document" else None
        )
        if document is not None:
            files[document.url] = document.file_size or _file_size(document.file)
    return files


def _file_size(field_file: Any) -> int:
    try:
        return field_file.size
    except (OSError, ValueError):
        return 0


def _lesson_files(lesson: LessonPage) -> dict[str, int]:
    files = {lesson.get_url() or "": PAGE_HTML_ESTIMATE_BYTES}
    files.update({static(name): _static_size(name) for name in LESSON_STATIC_FILES})
    files.update(_image_files(lesson))
    files.update(_document_files(lesson))
    for asset_id in lesson.video_asset_ids():
        files.update(
            {f.url: f.size_bytes for f in video_offline_files(asset_id=asset_id)}
        )
    return files


def lesson_offline_manifest(*, user: Any, lesson_id: int) -> OfflineManifest:
    """What saving one lesson stores. Raises NotFound unless the lesson is live,
    Forbidden unless the user may save its course (`offline_save_allowed`)."""
    lesson = _saveable(LessonPage, lesson_id, user)
    return OfflineManifest(
        key=f"lesson:{lesson.pk}",
        title=lesson.title,
        page_url=lesson.get_url() or "",
        files=_lesson_files(lesson),
    )


def module_offline_manifest(*, user: Any, module_id: int) -> OfflineManifest:
    """The module page and every live lesson in it (same refusals as a lesson's)."""
    module = _saveable(ModulePage, module_id, user)
    files = {module.get_url() or "": PAGE_HTML_ESTIMATE_BYTES}
    lessons = LessonPage.objects.child_of(module).live().public().order_by("path")
    for lesson in lessons:
        files.update(_lesson_files(lesson))
    return OfflineManifest(
        key=f"module:{module.pk}",
        title=module.title,
        page_url=module.get_url() or "",
        files=files,
    )
