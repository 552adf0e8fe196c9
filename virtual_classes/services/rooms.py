"""Rooms and tokens: what a participant needs to open the class's Jitsi room."""

from __future__ import annotations

from django.conf import settings

from virtual_classes import jitsi
from virtual_classes.data import JoinData, ParticipantRole, Viewer
from virtual_classes.selectors.permissions import entry_check, live_class_row


def class_join(*, user: Viewer, live_class_id: int) -> JoinData:
    """Domain, room, a signed token (moderator rights for the instructor), the
    low-bandwidth settings and whether video is reachable now.

    The same rule as the classroom's door (``selectors.permissions.entry_check``):
    NotFound, or Forbidden with ``forbidden``, ``removed``, ``ended`` or
    ``outside_window``. Jitsi being down is not a refusal: ``video.available`` says it.
    """
    live_class = live_class_row(live_class_id=live_class_id)
    role = entry_check(user=user, live_class=live_class)
    moderator = role == ParticipantRole.INSTRUCTOR
    return JoinData(
        domain=settings.JITSI_DOMAIN,
        room=live_class.room_name,
        jwt=jitsi.token_for(user=user, live_class=live_class, moderator=moderator),
        moderator=moderator,
        config_overwrite=jitsi.low_bandwidth_config(live_class=live_class),
        interface_config_overwrite={"DISABLE_VIDEO_BACKGROUND": True},
        video=jitsi.room_status(live_class=live_class),
        websocket_path=f"/ws/classes/{live_class.pk}/",
    )
