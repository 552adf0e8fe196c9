"""Exam API for the phone page: start, read (no keys), save answers, submit."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, status
from rest_framework.response import Response
from rest_framework.views import APIView

from assessments import selectors, services
from assessments.api.serializers import (
    AnswerSavedSerializer,
    AnswerSerializer,
    AttemptResultSerializer,
    AttemptSerializer,
)
from assessments.models import Attempt, AttemptStatus, ExamBlueprint
from lms.accounts.roles import Role, user_has_role


class IsTrainee(permissions.BasePermission):
    def has_permission(self, request, view) -> bool:
        return user_has_role(request.user, Role.TRAINEE)


def _refused(exc: ValidationError, code=status.HTTP_400_BAD_REQUEST) -> Response:
    return Response({"detail": " ".join(exc.messages)}, status=code)


def _attempt(request, attempt_id: int) -> Attempt:
    attempt = (
        Attempt.objects.select_related("blueprint")
        .filter(pk=attempt_id, user=request.user)
        .first()
    )
    if attempt is None:
        raise Http404
    if services.attempt_expire_if_due(attempt=attempt):
        attempt.refresh_from_db()
    return attempt


def _result(attempt: Attempt) -> dict:
    return {
        "id": attempt.pk,
        "status": attempt.status,
        "score": attempt.score,
        "max_score": attempt.max_score,
        "percent": attempt.percent,
        "passed": attempt.passed,
        "topics": [
            {"topic": t.topic, "score": t.score, "max_score": t.max_score}
            for t in selectors.attempt_scores_by_topic(attempt=attempt)
        ],
    }


class ExamStartView(APIView):
    permission_classes = [permissions.IsAuthenticated, IsTrainee]

    @extend_schema(request=None, responses={201: AttemptSerializer})
    def post(self, request, slug: str):
        blueprint = get_object_or_404(ExamBlueprint, slug=slug, is_active=True)
        try:
            attempt = services.attempt_start(user=request.user, blueprint=blueprint)
        except ValidationError as exc:
            return _refused(exc, status.HTTP_409_CONFLICT)
        public = selectors.attempt_public_get(attempt=attempt)
        return Response(AttemptSerializer(public.as_dict()).data, status=201)


class AttemptView(APIView):
    """The open attempt as the trainee sees it; after submission, the result."""

    permission_classes = [permissions.IsAuthenticated, IsTrainee]

    @extend_schema(responses={200: AttemptSerializer})
    def get(self, request, attempt_id: int):
        attempt = _attempt(request, attempt_id)
        if attempt.status != AttemptStatus.IN_PROGRESS:
            return Response(AttemptResultSerializer(_result(attempt)).data)
        public = selectors.attempt_public_get(attempt=attempt)
        return Response(AttemptSerializer(public.as_dict()).data)


class AnswerView(APIView):
    """Save one answer; retries and older `seq` values change nothing."""

    permission_classes = [permissions.IsAuthenticated, IsTrainee]

    @extend_schema(request=AnswerSerializer, responses={200: AnswerSavedSerializer})
    def put(self, request, attempt_id: int, position: int):
        serializer = AnswerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            saved = services.attempt_answer_save(
                attempt_id=attempt_id,
                user=request.user,
                position=position,
                response=serializer.validated_data["response"],
                seq=serializer.validated_data["seq"],
            )
        except ValidationError as exc:
            codes = {e.code for e in getattr(exc, "error_list", [])}
            if "not_found" in codes:
                raise Http404 from None
            if "closed" in codes:
                return _refused(exc, status.HTTP_409_CONFLICT)
            return _refused(exc)
        return Response(
            {"position": saved.position, "seq": saved.seq, "applied": saved.applied}
        )

    post = put


class SubmitView(APIView):
    permission_classes = [permissions.IsAuthenticated, IsTrainee]

    @extend_schema(request=None, responses={200: AttemptResultSerializer})
    def post(self, request, attempt_id: int):
        attempt = _attempt(request, attempt_id)
        attempt = services.attempt_submit(attempt_id=attempt.pk, user=request.user)
        return Response(AttemptResultSerializer(_result(attempt)).data)
