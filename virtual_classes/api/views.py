"""REST endpoints of live classes (mounted under /api/v1/)."""

from __future__ import annotations

import json
from dataclasses import asdict

from django.conf import settings
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from lms.accounts.roles import Role, user_has_role
from virtual_classes import jitsi, selectors, services
from virtual_classes.api.serializers import (
    AttendanceRowSerializer,
    JoinSerializer,
    LiveClassCreateSerializer,
    LiveClassSerializer,
)
from virtual_classes.models import LiveClass
from virtual_classes.services import ParticipantRole
from virtual_classes.views import can_see_attendance


def _error(message: str, code: str, http_status: int) -> Response:
    return Response({"detail": message, "code": code}, status=http_status)


class LiveClassListView(APIView):
    """GET: my upcoming classes. POST: schedule one (instructors of the course)."""

    @extend_schema(responses=LiveClassSerializer(many=True))
    def get(self, request):
        data = selectors.upcoming_classes_for_user(user=request.user, limit=50)
        return Response(LiveClassSerializer([asdict(d) for d in data], many=True).data)

    @extend_schema(request=LiveClassCreateSerializer, responses=LiveClassSerializer)
    def post(self, request):
        if not (
            user_has_role(request.user, Role.INSTRUCTOR)
            or user_has_role(request.user, Role.MINISTRY_STAFF)
        ):
            raise PermissionDenied(_("Only instructors can schedule live classes."))
        serializer = LiveClassCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            live_class = services.live_class_create(
                instructor=request.user, **serializer.validated_data
            )
        except ValidationError as error:
            return Response(
                {"detail": error.messages}, status=status.HTTP_400_BAD_REQUEST
            )
        data = selectors.classes_for_course(course_id=live_class.course_id)
        created = next(d for d in data if d.id == live_class.id)
        return Response(
            LiveClassSerializer(asdict(created)).data, status=status.HTTP_201_CREATED
        )


class JoinView(APIView):
    """Everything the page needs to open the Jitsi room: domain, room, a JWT."""

    @extend_schema(responses=JoinSerializer)
    def get(self, request, pk: int):
        live_class = get_object_or_404(LiveClass, pk=pk)
        role = services.participant_role(user=request.user, live_class=live_class)
        if role is None:
            return _error(
                _("Only trainees enrolled in the course can join."), "forbidden", 403
            )
        if live_class.ended_at:
            return _error(_("This class has ended."), "ended", 403)
        if not live_class.is_open_at(timezone.now()):
            return _error(
                _(
                    "The class is not open now: you can join from %(minutes)s minutes "
                    "before it starts until it ends."
                )
                % {"minutes": live_class.join_early_min},
                "outside_window",
                403,
            )
        moderator = role == ParticipantRole.INSTRUCTOR
        room = jitsi.room_status(live_class=live_class)
        payload = {
            "domain": settings.JITSI_DOMAIN,
            "room": live_class.room_name,
            "jwt": jitsi.token_for(
                user=request.user, live_class=live_class, moderator=moderator
            ),
            "moderator": moderator,
            "config_overwrite": jitsi.low_bandwidth_config(live_class=live_class),
            "interface_config_overwrite": {"DISABLE_VIDEO_BACKGROUND": True},
            "video": asdict(room),
            "websocket_path": f"/ws/classes/{live_class.id}/",
        }
        return Response(JoinSerializer(payload).data)


class AttendanceView(APIView):
    @extend_schema(responses=AttendanceRowSerializer(many=True))
    def get(self, request, pk: int):
        live_class = get_object_or_404(LiveClass, pk=pk)
        if not can_see_attendance(request.user, live_class):
            raise PermissionDenied(
                _("Only the instructor and ministry staff see this.")
            )
        rows = selectors.attendance_rows(live_class=live_class)
        return Response(AttendanceRowSerializer(rows, many=True).data)


class JitsiEventsView(APIView):
    """Notifications from Jitsi's recorder/webhooks, signed with JITSI_WEBHOOK_SECRET.

    Header ``X-Maharat-Signature: sha256=<hex HMAC-SHA256 of the raw body>``.
    """

    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]

    @extend_schema(request=None, responses=None)
    def post(self, request):
        body = request.body
        if not jitsi.signature_valid(body, request.headers.get(jitsi.SIGNATURE_HEADER)):
            return _error(_("Invalid signature."), "bad_signature", 403)
        try:
            payload = json.loads(body)
            event, created = services.jitsi_event_receive(payload=payload)
        except ValueError:
            return _error(_("The body is not valid JSON."), "invalid", 400)
        except ValidationError as error:
            return _error(" ".join(error.messages), "invalid", 400)
        return Response(
            {"id": event.id, "status": event.status, "duplicate": not created},
            status=status.HTTP_202_ACCEPTED if created else status.HTTP_200_OK,
        )
