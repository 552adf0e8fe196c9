"""Exam API for the phone page: start, read (no keys), save answers, submit.

Refusals are the services' coded errors, answered by the one handler
(`lms.kernel.api.errors`: `{"code", "message", "fields"}`): 404 `not_found` /
`exam_not_found` / `question_not_found`, 409 `attempt_submitted`, `answers_closed`
and the eligibility codes (`course_not_completed`, `attempts_used` ...), 400
`invalid_answer`.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import (
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
)
from rest_framework import permissions, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from assessments import selectors, services
from assessments.api.serializers import (
    AnswerSavedSerializer,
    AnswerSerializer,
    AttemptResultSerializer,
    AttemptSerializer,
)
from assessments.selectors.people import TRAINEES, has_any_role
from lms.kernel.api.schema import ERROR_RESPONSE


class IsTrainee(permissions.BasePermission):
    def has_permission(self, request: Any, view: Any) -> bool:
        return has_any_role(request.user, TRAINEES)


def _me(request: Request) -> int:
    """The signed-in trainee's id (IsAuthenticated lets nobody else through)."""
    user_id = request.user.pk
    assert user_id is not None, "behind IsAuthenticated"
    return int(user_id)


def _attempt_answer(*, attempt_id: int, user_id: int) -> Response:
    """The open attempt as the trainee sees it; once submitted, its result."""
    attempt = services.attempt_refresh(attempt_id=attempt_id, user_id=user_id)
    if not attempt.is_open:
        result = selectors.attempt_result_get(attempt_id=attempt_id, user_id=user_id)
        return Response(AttemptResultSerializer(result).data)
    public = selectors.attempt_public_get(attempt_id=attempt_id, user_id=user_id)
    return Response(AttemptSerializer(public).data)


class ExamStartView(APIView):
    """Start the exam, or resume the attempt in progress (200 instead of 201)."""

    permission_classes = [permissions.IsAuthenticated, IsTrainee]

    @extend_schema(
        request=None,
        responses={201: AttemptSerializer, 200: AttemptSerializer, 409: ERROR_RESPONSE},
    )
    def post(self, request: Request, slug: str) -> Response:
        exam = selectors.exam_get(slug=slug)
        attempt, created = services.attempt_start(
            user_id=_me(request), blueprint_id=exam.id
        )
        public = selectors.attempt_public_get(
            attempt_id=attempt.id, user_id=_me(request)
        )
        return Response(
            AttemptSerializer(public).data,
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )


class AttemptView(APIView):
    """The open attempt as the trainee sees it; after submission, the result."""

    permission_classes = [permissions.IsAuthenticated, IsTrainee]

    @extend_schema(
        responses={
            200: OpenApiResponse(
                PolymorphicProxySerializer(
                    component_name="AttemptOrResult",
                    serializers=[AttemptSerializer, AttemptResultSerializer],
                    resource_type_field_name=None,
                ),
                description="An open attempt (`Attempt`); once submitted or "
                "overdue, its result (`AttemptResult`).",
            )
        }
    )
    def get(self, request: Request, attempt_id: int) -> Response:
        return _attempt_answer(attempt_id=attempt_id, user_id=_me(request))


class AnswerView(APIView):
    """Save one answer; retries and older `seq` values change nothing."""

    permission_classes = [permissions.IsAuthenticated, IsTrainee]

    @extend_schema(
        request=AnswerSerializer,
        responses={200: AnswerSavedSerializer, 409: ERROR_RESPONSE},
    )
    def put(self, request: Request, attempt_id: int, position: int) -> Response:
        serializer = AnswerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        saved = services.attempt_answer_save(
            attempt_id=attempt_id,
            user_id=_me(request),
            position=position,
            response=serializer.validated_data["response"],
            seq=serializer.validated_data["seq"],
        )
        # the hot path: built by hand, a serializer costs more CPU than the save
        return Response(
            {"position": saved.position, "seq": saved.seq, "applied": saved.applied}
        )

    post = put


class SubmitView(APIView):
    permission_classes = [permissions.IsAuthenticated, IsTrainee]

    @extend_schema(
        request=None, responses={200: AttemptResultSerializer, 409: ERROR_RESPONSE}
    )
    def post(self, request: Request, attempt_id: int) -> Response:
        services.attempt_submit(attempt_id=attempt_id, user_id=_me(request))
        result = selectors.attempt_result_get(
            attempt_id=attempt_id, user_id=_me(request)
        )
        return Response(AttemptResultSerializer(result).data)
