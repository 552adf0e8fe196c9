"""Joining the video: who may, when, the JWT Jitsi receives, and Jitsi being down."""

from __future__ import annotations

import datetime as dt
import socket

import jwt
import pytest
from django.utils import timezone

from virtual_classes import jitsi

SECRET = "test-jitsi-secret-0123456789abcdef"


@pytest.fixture(autouse=True)
def jitsi_settings(settings):
    settings.JITSI_DOMAIN = "meet.example.org"
    settings.JITSI_APP_ID = "maharat"
    settings.JITSI_APP_SECRET = SECRET
    settings.JITSI_ROOM_SIZE_URL = ""
    settings.JITSI_TIMEOUT_S = 0.5


def join_url(live_class) -> str:
    return f"/api/v1/classes/{live_class.id}/join/"


def decode(token: str) -> dict:
    return jwt.decode(token, SECRET, algorithms=["HS256"], audience="maharat")


def test_enrolled_trainee_gets_a_room_token_without_moderator_rights(
    client, live_class, student
):
    client.force_login(student)
    response = client.get(join_url(live_class))
    assert response.status_code == 200
    body = response.json()
    assert body["domain"] == "meet.example.org"
    assert body["room"] == live_class.room_name == live_class.room_name.lower()
    claims = decode(body["jwt"])
    assert claims["iss"] == "maharat" and claims["aud"] == "maharat"
    assert claims["sub"] == "meet.example.org"
    assert claims["room"] == live_class.room_name
    user = claims["context"]["user"]
    assert user["id"] == str(student.id)
    assert user["name"] == student.display_name
    assert user["moderator"] == "false" and user["affiliation"] == "member"
    assert all(isinstance(v, str) for v in user.values())
    assert body["moderator"] is False


def test_instructor_token_carries_moderator_rights(client, live_class, instructor):
    client.force_login(instructor)
    claims = decode(client.get(join_url(live_class)).json()["jwt"])
    assert claims["context"]["user"]["moderator"] == "true"
    assert claims["context"]["user"]["affiliation"] == "owner"


def test_token_is_bounded_to_the_class(live_class, student):
    claims = jitsi.token_claims(user=student, live_class=live_class, moderator=False)
    assert claims["exp"] == int(
        (live_class.ends_at + dt.timedelta(minutes=jitsi.TOKEN_GRACE_MIN)).timestamp()
    )
    assert claims["nbf"] >= int(live_class.join_opens_at.timestamp())
    assert claims["nbf"] <= int(timezone.now().timestamp())


def test_token_of_a_class_long_over_is_expired(make_class, student):
    past = make_class(starts_at=timezone.now() - dt.timedelta(hours=5))
    token = jitsi.token_for(user=student, live_class=past, moderator=False)
    with pytest.raises(jwt.ExpiredSignatureError):
        decode(token)


def test_token_signed_with_another_secret_is_rejected(live_class, student, settings):
    settings.JITSI_APP_SECRET = "another-secret-another-secret-000"
    token = jitsi.token_for(user=student, live_class=live_class, moderator=False)
    with pytest.raises(jwt.InvalidSignatureError):
        decode(token)


def test_join_gives_low_bandwidth_settings(client, live_class, student):
    client.force_login(student)
    config = client.get(join_url(live_class)).json()["config_overwrite"]
    assert config["startAudioOnly"] is True
    assert config["resolution"] == 360
    assert config["constraints"]["video"]["height"]["max"] == 360
    assert 1 <= config["channelLastN"] <= 5


def test_without_an_app_secret_join_works_without_a_token(
    client, live_class, student, settings
):
    settings.JITSI_APP_SECRET = ""
    client.force_login(student)
    response = client.get(join_url(live_class))
    assert response.status_code == 200 and response.json()["jwt"] is None


def test_trainee_not_enrolled_cannot_join(client, live_class, trainee):
    client.force_login(trainee)
    response = client.get(join_url(live_class))
    assert response.status_code == 403 and response.json()["code"] == "forbidden"


def test_unknown_class_answers_404_with_the_error_body(client, live_class, student):
    client.force_login(student)
    response = client.get(f"/api/v1/classes/{live_class.id + 999}/join/")
    assert response.status_code == 404
    assert response.json() == {
        "code": "not_found",
        "message": response.json()["message"],
        "fields": {},
    }
    assert response.json()["message"]


def test_someone_the_instructor_removed_gets_no_room_token(
    client, live_class, student, instructor
):
    from virtual_classes import services

    services.participant_remove(
        live_class_id=live_class.id, user_id=student.id, removed_by_id=instructor.id
    )
    client.force_login(student)
    response = client.get(join_url(live_class))
    assert response.status_code == 403
    assert response.json()["code"] == "removed" and "jwt" not in response.json()


def test_anonymous_visitor_cannot_join(client, live_class):
    assert client.get(join_url(live_class)).status_code in (401, 403)


def test_assessor_cannot_join(client, live_class, assessor):
    client.force_login(assessor)
    assert client.get(join_url(live_class)).status_code == 403


def test_ministry_staff_join_without_moderator_rights(
    client, live_class, ministry_staff
):
    client.force_login(ministry_staff)
    body = client.get(join_url(live_class)).json()
    assert decode(body["jwt"])["context"]["user"]["moderator"] == "false"


def test_join_before_the_window_opens_is_refused(client, make_class, student):
    later = make_class(
        starts_at=timezone.now() + dt.timedelta(minutes=20), join_early_min=15
    )
    client.force_login(student)
    response = client.get(join_url(later))
    assert response.status_code == 403
    body = response.json()
    assert body["code"] == "outside_window" and "15" in body["message"]


def test_join_inside_the_early_window_is_allowed(client, make_class, student):
    soon = make_class(
        starts_at=timezone.now() + dt.timedelta(minutes=10), join_early_min=15
    )
    client.force_login(student)
    assert client.get(join_url(soon)).status_code == 200


def test_join_after_the_class_is_over_is_refused(client, make_class, student):
    over = make_class(starts_at=timezone.now() - dt.timedelta(hours=2))
    client.force_login(student)
    assert client.get(join_url(over)).json()["code"] == "outside_window"


def test_join_after_the_instructor_ended_the_class_is_refused(
    client, live_class, student
):
    live_class.ended_at = timezone.now()
    live_class.save()
    client.force_login(student)
    assert client.get(join_url(live_class)).json()["code"] == "ended"


def test_room_size_from_jitsi_is_reported(
    client, live_class, student, settings, fake_jitsi
):
    fake_jitsi.json("/room-size", {"participants": 3})
    settings.JITSI_ROOM_SIZE_URL = fake_jitsi.base_url + "/room-size"
    client.force_login(student)
    video = client.get(join_url(live_class)).json()["video"]
    assert video == {"available": True, "participants": 3}
    assert f"room={live_class.room_name}" in fake_jitsi.requests[0]
    assert "domain=meet.example.org" in fake_jitsi.requests[0]


def test_room_not_created_yet_counts_as_empty(
    client, live_class, student, settings, fake_jitsi
):
    settings.JITSI_ROOM_SIZE_URL = fake_jitsi.base_url + "/room-size"  # 404
    client.force_login(student)
    video = client.get(join_url(live_class)).json()["video"]
    assert video == {"available": True, "participants": 0}


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_unreachable_jitsi_says_video_unavailable_but_join_still_answers(
    client, live_class, student, settings
):
    settings.JITSI_ROOM_SIZE_URL = f"http://127.0.0.1:{_closed_port()}/room-size"
    client.force_login(student)
    response = client.get(join_url(live_class))
    assert response.status_code == 200
    assert response.json()["video"] == {"available": False, "participants": None}
    assert response.json()["jwt"]


def test_jitsi_answering_garbage_says_video_unavailable(
    live_class, settings, fake_jitsi
):
    fake_jitsi.json("/room-size", {"unexpected": True})
    settings.JITSI_ROOM_SIZE_URL = fake_jitsi.base_url + "/room-size"
    assert jitsi.room_status(live_class=live_class).available is False


def test_class_page_embeds_jitsi_from_the_configured_domain_only(
    client, live_class, student
):
    client.force_login(student)
    page = client.get(f"/classes/{live_class.id}/").content.decode()
    assert 'data-jitsi-domain="meet.example.org"' in page
    assert "external_api.js" not in page  # loaded by the script only on demand
    assert "jit.si" not in page


def test_class_page_is_refused_to_a_trainee_not_enrolled(client, live_class, trainee):
    client.force_login(trainee)
    assert client.get(f"/classes/{live_class.id}/").status_code == 403
