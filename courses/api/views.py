"""Progress API: thin views that validate input and call courses.services."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from courses import offline, selectors, services
from courses.api.serializers import (
    CheckAnswerSerializer,
    HeartbeatSerializer,
    ProgressBatchSerializer,
    ProgressEventSerializer,
)
from courses.models import CoursePage, LessonPage, ModulePage


def _refusal(exc: ValidationError) -> Response:
    return Response({"detail": " ".join(exc.messages)}, status=status.HTTP_409_CONFLICT)


class EnrollmentView(APIView):
    """POST enrols the current user in a course; DELETE leaves it."""

    @extend_schema(request=None, responses={201: None, 409: None})
    def post(self, request, course_id: int):
        try:
            enrollment = services.enrollment_create(
                user=request.user, course_id=course_id
            )
        except ValidationError as exc:
            return _refusal(exc)
        return Response(
            {"course_id": course_id, "status": enrollment.status},
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(request=None, responses={204: None, 409: None})
    def delete(self, request, course_id: int):
        try:
            services.enrollment_leave(user=request.user, course_id=course_id)
        except ValidationError as exc:
            return _refusal(exc)
        return Response(status=status.HTTP_204_NO_CONTENT)


class HeartbeatView(APIView):
    """The player's heartbeat for one lesson video (idempotent, checked)."""

    @extend_schema(request=HeartbeatSerializer, responses={200: None, 409: None})
    def post(self, request, lesson_id: int):
        serializer = HeartbeatSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if data.get("event_id"):
            event = {**data, "id": data["event_id"], "kind": "heartbeat"}
            event.update(lesson_id=lesson_id, at=timezone.now())
            result = services.progress_events_apply(user=request.user, events=[event])[
                0
            ]
            if not result.accepted:
                return Response(
                    {"detail": result.detail}, status=status.HTTP_409_CONFLICT
                )
            return Response({"accepted": True, "detail": result.detail})
        try:
            result = services.video_heartbeat_record(
                user=request.user,
                lesson_id=lesson_id,
                asset_id=data["asset_id"],
                watched_s=data["watched_s"],
                position_s=data["position_s"],
                duration_s=data.get("duration_s"),
            )
        except ValidationError as exc:
            return _refusal(exc)
        return Response({"accepted": True, "watched_s": result.watched_s})


class CheckAnswerView(APIView):
    """Score a knowledge check on the server; answers never reach the page."""

    @extend_schema(request=CheckAnswerSerializer, responses={200: None, 409: None})
    def post(self, request, lesson_id: int, block_id: str):
        serializer = CheckAnswerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            submission = services.knowledge_check_submit(
                user=request.user,
                lesson_id=lesson_id,
                block_id=block_id,
                answers=serializer.validated_data["answers"],
            )
        except ValidationError as exc:
            return _refusal(exc)
        return Response(
            {
                "score_pct": submission.score_pct,
                "passed": submission.passed,
                "results": [
                    {
                        "index": r.index,
                        "correct": r.correct,
                        "explanation": r.explanation,
                    }
                    for r in submission.results
                ],
            }
        )


class ProgressBatchView(APIView):
    """A batch of offline progress events; each is idempotent by its client id."""

    @extend_schema(request=ProgressBatchSerializer, responses={200: None})
    def post(self, request):
        batch = ProgressBatchSerializer(data=request.data)
        batch.is_valid(raise_exception=True)
        valid, outcome = [], {}
        for position, raw in enumerate(batch.validated_data["events"]):
            event = ProgressEventSerializer(data=raw)
            if event.is_valid():
                valid.append(event.validated_data)
                continue
            key = raw.get("id") if isinstance(raw, dict) else None
            outcome[position] = {
                "id": key,
                "accepted": False,
                "detail": _("Invalid event: %(errors)s") % {"errors": event.errors},
            }
        results = iter(services.progress_events_apply(user=request.user, events=valid))
        response = []
        for position in range(len(batch.validated_data["events"])):
            if position in outcome:
                response.append(outcome[position])
                continue
            result = next(results)
            response.append(
                {
                    "id": result.id,
                    "accepted": result.accepted,
                    "detail": result.detail,
                    "replayed": result.replayed,
                }
            )
        return Response({"results": response})


class _OfflineManifestView(APIView):
    """The offline manifest of a page, for its course's trainees and staff only."""

    model = None

    def manifest(self, page, request):
        raise NotImplementedError

    @extend_schema(responses={200: None, 403: None, 404: None})
    def get(self, request, page_id: int):
        page = self.model.objects.live().public().filter(pk=page_id).first()
        course = CoursePage.objects.ancestor_of(page).first() if page else None
        if course is None:
            return Response(status=status.HTTP_404_NOT_FOUND)
        if not offline.offline_save_allowed(user=request.user, course=course):
            return Response(
                {"detail": _("Enrol in the course to save its lessons for offline.")},
                status=status.HTTP_403_FORBIDDEN,
            )
        response = Response(self.manifest(page, request).as_json())
        response["Cache-Control"] = "private, no-cache"
        return response


class LessonOfflineManifestView(_OfflineManifestView):
    model = LessonPage

    def manifest(self, page, request):
        return offline.lesson_offline_manifest(lesson=page, request=request)


class ModuleOfflineManifestView(_OfflineManifestView):
    model = ModulePage

    def manifest(self, page, request):
        return offline.module_offline_manifest(module=page, request=request)


class CourseProgressView(APIView):
    """The current user's progress in one course (for offline clients to sync)."""

    @extend_schema(responses={200: None, 404: None})
    def get(self, request, course_id: int):
        course = CoursePage.objects.live().filter(pk=course_id).first()
        if course is None or not selectors.enrollment_exists(
            user=request.user, course_id=course_id
        ):
            return Response(status=status.HTTP_404_NOT_FOUND)
        outline = selectors.course_outline_get(course=course, user=request.user)
        return Response(
            {
                "course_id": course_id,
                "percent": outline.percent,
                "live_minutes": outline.live_minutes,
                "lessons": [
                    {
                        "id": lesson.id,
                        "completed": lesson.completed,
                        "opened": lesson.opened,
                    }
                    for lesson in outline.flat()
                ],
            }
        )
