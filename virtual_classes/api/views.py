"""REST endpoints of live classes (mounted under /api/v1/).

Thin: every rule and refusal is the services' and selectors'; their coded errors
reach the one API error handler (``lms.kernel.api.errors``), which answers
``{"code", "message", "fields"}``.
"""

from __future__ import annotations

from dataclasses import asdict

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from lms.kernel.api.schema import ERROR_RESPONSE
from virtual_classes import jitsi, selectors, services
from virtual_classes.api.serializers import (
    AttendanceRowSerializer,
    JitsiEventReceiptSerializer,
    JoinSerializer,
    LiveClassCreateSerializer,
    LiveClassSerializer,
)


class LiveClassListView(APIView):
    """GET: my upcoming classes. POST: schedule one (instructors of the course)."""

    @extend_schema(responses=LiveClassSerializer(many=True))
    def get(self, request: Request) -> Response:
        data = selectors.upcoming_classes_for_user(user=request.user, limit=50)
        return Response(LiveClassSerializer([asdict(d) for d in data], many=True).data)

    @extend_schema(
        request=LiveClassCreateSerializer, responses={201: LiveClassSerializer}
    )
    def post(self, request: Request) -> Response:
        if not selectors.may_schedule(user=request.user):
            raise PermissionDenied(_("Only instructors can schedule live classes."))
        serializer = LiveClassCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        created = services.live_class_create(
            user=request.user, **serializer.validated_data
        )
        return Response(
            LiveClassSerializer(asdict(created)).data, status=status.HTTP_201_CREATED
        )


class JoinView(APIView):
    """Everything the page needs to open the Jitsi room: domain, room, a JWT.

    403 ``forbidden`` (may not take part), ``removed``, ``ended`` or
    ``outside_window`` (before the join window or after the class).
    """

    @extend_schema(responses=JoinSerializer)
    def get(self, request: Request, pk: int) -> Response:
        join = services.class_join(user=request.user, live_class_id=pk)
        return Response(JoinSerializer(asdict(join)).data)


class AttendanceView(APIView):
    """Who attended and for how long (the class's instructor, ministry staff)."""

    @extend_schema(responses=AttendanceRowSerializer(many=True))
    def get(self, request: Request, pk: int) -> Response:
        rows = selectors.attendance_rows(live_class_id=pk, user=request.user)
        return Response(
            AttendanceRowSerializer([asdict(r) for r in rows], many=True).data
        )


class JitsiEventsView(APIView):
    """Notifications from Jitsi's recorder/webhooks, signed with JITSI_WEBHOOK_SECRET.

    Header ``X-Maharat-Signature: sha256=<hex HMAC-SHA256 of the raw body>``; 403
    ``bad_signature`` without a valid one. 202 the first time, 200 with
    ``duplicate: true`` for a repeated ``idempotencyKey``.
    """

    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        request=None,
        responses={
            202: JitsiEventReceiptSerializer,
            200: OpenApiResponse(
                JitsiEventReceiptSerializer, description="a repeated notification"
            ),
            403: ERROR_RESPONSE,  # bad or missing signature
        },
    )
    def post(self, request: Request) -> Response:
        event, created = services.jitsi_notification_receive(
            body=request.body, signature=request.headers.get(jitsi.SIGNATURE_HEADER)
        )
        receipt = {"id": event.id, "status": event.status, "duplicate": not created}
        return Response(
            JitsiEventReceiptSerializer(receipt).data,
            status=status.HTTP_202_ACCEPTED if created else status.HTTP_200_OK,
        )
