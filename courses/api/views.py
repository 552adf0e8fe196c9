"""Progress API: thin views that validate input and call courses' services and
selectors. Refusals are the services' coded errors, answered by the one API error
handler (`lms.kernel.api.errors`: `{"code", "message", "fields"}`)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from courses import selectors, services
from courses.api.serializers import (
    CheckAnswerResultSerializer,
    CheckAnswerSerializer,
    CourseProgressSerializer,
    EnrollmentAnswerSerializer,
    HeartbeatAnswerSerializer,
    HeartbeatSerializer,
    OfflineManifestSerializer,
    ProgressBatchAnswerSerializer,
    ProgressBatchSerializer,
    ProgressEventSerializer,
)
from courses.data import CheckView
from lms.kernel.api.schema import ERROR_RESPONSE
from lms.kernel.errors import Conflict

REFUSED = {409: ERROR_RESPONSE}


class EnrollmentView(APIView):
    """POST enrols the current user in a course (201, or 200 when already enrolled);
    DELETE leaves it."""

    @extend_schema(
        request=None,
        responses={
            200: OpenApiResponse(
                EnrollmentAnswerSerializer, description="Already enrolled."
            ),
            201: EnrollmentAnswerSerializer,
            **REFUSED,
        },
    )
    def post(self, request: Request, course_id: int) -> Response:
        enrollment, created = services.enrollment_create(
            user=request.user, course_id=course_id
        )
        return Response(
            {"course_id": course_id, "status": enrollment.status},
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    @extend_schema(request=None, responses={204: None, **REFUSED})
    def delete(self, request: Request, course_id: int) -> Response:
        services.enrollment_leave(user=request.user, course_id=course_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class HeartbeatView(APIView):
    """The player's heartbeat for one lesson video (idempotent, checked)."""

    @extend_schema(
        request=HeartbeatSerializer,
        responses={200: HeartbeatAnswerSerializer, **REFUSED},
    )
    def post(self, request: Request, lesson_id: int) -> Response:
        serializer = HeartbeatSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if data.get("event_id"):
            event = {**data, "id": data["event_id"], "kind": "heartbeat"}
            event.update(lesson_id=lesson_id, at=timezone.now())
            [outcome] = services.progress_events_apply(
                user=request.user, events=[event], client_dated=False
            )
            if not outcome.accepted:  # refused now or before: the stored reason
                raise Conflict(outcome.detail, code="progress_refused")
            return Response({"accepted": True, "detail": outcome.detail})
        result = services.video_heartbeat_record(
            user=request.user,
            lesson_id=lesson_id,
            asset_id=data["asset_id"],
            watched_s=data["watched_s"],
            position_s=data["position_s"],
            duration_s=data.get("duration_s"),
        )
        return Response({"accepted": True, "watched_s": result.watched_s})


def check_view_json(view: CheckView) -> dict[str, Any]:
    return {
        "block_id": view.block_id,
        "attempt": view.attempt,
        "tries": view.tries,
        "passed": view.passed,
        "reveal_after_tries": view.reveal_after_tries,
        "questions": [
            {
                "index": q.index,
                "prompt": q.prompt,
                "kind": q.kind,
                "choices": [
                    {"position": c.position, "text": c.text} for c in q.choices
                ],
                "hints": list(q.hints),
            }
            for q in view.questions
        ],
    }


class CheckAnswerView(APIView):
    """A knowledge check: GET the current try (its order and hints, never the key);
    POST one try, scored on the server under the check's reveal policy."""

    @extend_schema(responses={200: None, **REFUSED})
    def get(self, request: Request, lesson_id: int, block_id: str) -> Response:
        view = selectors.knowledge_check_view_get(
            user=request.user, lesson_id=lesson_id, block_id=block_id
        )
        return Response(check_view_json(view))

    @extend_schema(
        request=CheckAnswerSerializer,
        responses={200: CheckAnswerResultSerializer, **REFUSED},
    )
    def post(self, request: Request, lesson_id: int, block_id: str) -> Response:
        serializer = CheckAnswerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        submission = services.knowledge_check_submit(
            user=request.user,
            lesson_id=lesson_id,
            block_id=block_id,
            answers=serializer.validated_data["answers"],
            attempt=serializer.validated_data.get("attempt"),
        )
        return Response(
            {
                "score_pct": submission.score_pct,
                "passed": submission.passed,
                "revealed": submission.revealed,
                "tries": submission.tries,
                "results": [
                    {
                        "index": r.index,
                        "correct": r.correct,
                        "explanation": r.explanation,
                        "feedback": list(r.feedback),
                        "hints": list(r.hints),
                    }
                    for r in submission.results
                ],
                "next": check_view_json(submission.next) if submission.next else None,
            }
        )


class ProgressBatchView(APIView):
    """A batch of offline progress events; each is idempotent by its client id.

    Each event is answered in its own shape, `{id, accepted, code, detail,
    replayed}` (`code` says why a refused event was refused, "" when accepted): a
    refused event never fails the batch.
    """

    @extend_schema(
        request=ProgressBatchSerializer, responses={200: ProgressBatchAnswerSerializer}
    )
    def post(self, request: Request) -> Response:
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
                "code": "invalid",
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
                    "code": result.code,
                    "detail": result.detail,
                    "replayed": result.replayed,
                }
            )
        return Response({"results": response})


class LessonOfflineManifestView(APIView):
    """The offline manifest of a lesson, for its course's trainees and staff only."""

    @extend_schema(responses={200: OfflineManifestSerializer})
    def get(self, request: Request, page_id: int) -> Response:
        manifest = selectors.lesson_offline_manifest(
            user=request.user, lesson_id=page_id
        )
        response = Response(manifest.as_json())
        response["Cache-Control"] = "private, no-cache"
        return response


class ModuleOfflineManifestView(APIView):
    """The offline manifest of a module: its page and every live lesson in it."""

    @extend_schema(responses={200: OfflineManifestSerializer})
    def get(self, request: Request, page_id: int) -> Response:
        manifest = selectors.module_offline_manifest(
            user=request.user, module_id=page_id
        )
        response = Response(manifest.as_json())
        response["Cache-Control"] = "private, no-cache"
        return response


class CourseProgressView(APIView):
    """The current user's progress in one course (for offline clients to sync)."""

    @extend_schema(responses={200: CourseProgressSerializer})
    def get(self, request: Request, course_id: int) -> Response:
        outline = selectors.course_progress_get(user=request.user, course_id=course_id)
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
