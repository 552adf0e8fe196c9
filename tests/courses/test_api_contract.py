"""The progress API answers what its OpenAPI schema says: every answer was
documented without a body (`responses={200: None}`); now each has its type."""

from __future__ import annotations

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token

from media_pipeline.models import VideoAsset
from tests.api_contract import call, conforms
from tests.api_contract import one_connection as one_connection
from tests.courses.conftest import check_block, lessons_of, video_block

pytestmark = pytest.mark.usefixtures("one_connection")


@pytest.fixture
def asset(db):
    return VideoAsset.objects.create(title="فيديو", original="videos/a.mp4")


@pytest.fixture
def course(tree, asset):
    course = tree.course(
        modules=1, lessons=1, body=lambda: [video_block(asset.pk), check_block("kc1")]
    )
    course.save_revision().publish()
    return course


@pytest.fixture
def token(trainee):
    return Token.objects.create(user=trainee).key


def test_every_progress_answer_is_the_documented_one(course, asset, token):
    enrol = "/api/v1/courses/{course_id}/enrollment/"
    url = f"/api/v1/courses/{course.pk}/enrollment/"
    for expected in (201, 200):
        response = call("POST", url, token=token)
        assert response.status_code == expected
        conforms(response, enrol, "post")
    lesson = lessons_of(course)[0]
    answers = [
        (
            call(
                "POST",
                "/api/v1/progress/events/",
                token=token,
                json={
                    "events": [
                        {
                            "id": "e1",  # opens the lesson: heartbeats may follow
                            "kind": "open",
                            "lesson_id": lesson.pk,
                            "at": timezone.now().isoformat(),
                        },
                        {"id": 7, "kind": "open"},  # invalid: echoed as sent
                        "not an event",
                    ]
                },
            ),
            "/api/v1/progress/events/",
            "post",
        ),
        (
            call(
                "POST",
                f"/api/v1/lessons/{lesson.pk}/heartbeat/",
                token=token,
                json={"asset_id": asset.pk, "watched_s": 5},
            ),
            "/api/v1/lessons/{lesson_id}/heartbeat/",
            "post",
        ),
        (
            call(
                "POST",
                f"/api/v1/lessons/{lesson.pk}/checks/kc1/",
                token=token,
                json={"answers": {"0": [0], "1": [0, 1]}},
            ),
            "/api/v1/lessons/{lesson_id}/checks/{block_id}/",
            "post",
        ),
        (
            call("GET", f"/api/v1/courses/{course.pk}/progress/", token=token),
            "/api/v1/courses/{course_id}/progress/",
            "get",
        ),
        (
            call("GET", f"/api/v1/lessons/{lesson.pk}/offline-manifest/", token=token),
            "/api/v1/lessons/{page_id}/offline-manifest/",
            "get",
        ),
        (
            call(
                "GET",
                f"/api/v1/modules/{lesson.get_parent().pk}/offline-manifest/",
                token=token,
            ),
            "/api/v1/modules/{page_id}/offline-manifest/",
            "get",
        ),
    ]
    for response, path, method in answers:
        assert response.status_code == 200, (path, response.get_json())
        conforms(response, path, method)
    left = call("DELETE", url, token=token)
    assert left.status_code == 204
    conforms(left, enrol, "delete")
    again = call("DELETE", url, token=token)
    assert again.status_code == 409
    conforms(again, enrol, "delete")
