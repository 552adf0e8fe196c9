"""The surge's trainees read the real pages (bench/surge/pages.py): what they find
in a lesson page and an exam question page, and the answers they build from it,
are accepted by the platform; the lost-writes count then finds every write."""

from __future__ import annotations

import json
import random
from urllib.parse import urlencode

import pytest
from django.utils import timezone

from bench.surge import pages
from bench.surge.verify import count_lost, state_from_database
from courses import services as course_services
from courses.models import Enrollment, VideoProgress
from media_pipeline.models import VideoAsset
from tests.assessments.conftest import start
from tests.courses.conftest import check_block, lessons_of, video_block


@pytest.fixture
def lecture(db):
    return VideoAsset.objects.create(
        title="محاضرة",
        original="videos/a.mp4",
        status=VideoAsset.Status.READY,
        duration_s=600,
        output_prefix="videos/assets/1/tok",
        renditions=[],
    )


@pytest.fixture
def lesson_url(tree, trainee, lecture, client):
    course = tree.course(
        lessons=2, body=lambda: [video_block(lecture.pk), check_block()]
    )
    course_services.enrollment_create(user=trainee, course_id=course.pk)
    client.force_login(trainee)
    return course, lessons_of(course)


def post_json(client, path, body):
    return client.post(path, json.dumps(body), content_type="application/json")


def test_a_learner_finds_the_lesson_video_check_and_next_lesson(lesson_url, client):
    course, lessons = lesson_url
    links = pages.lesson_links(client.get(course.url).content.decode(), course.url)
    assert links == [lesson.url for lesson in lessons]
    lesson = pages.parse_lesson(client.get(lessons[0].url).content.decode())
    assert lesson.lesson_id == lessons[0].pk
    assert lesson.video == (VideoAsset.objects.get().pk, 600)
    assert lesson.next_url == lessons[1].url
    [check] = lesson.checks
    assert check.attempt == 0
    assert check.questions[1][0] is True  # the second question takes several choices
    assert lesson.check_base == f"/api/v1/lessons/{lessons[0].pk}/checks/"


def test_a_learners_writes_are_accepted_and_found_afterwards(
    lesson_url, client, trainee
):
    _course, lessons = lesson_url
    lesson = pages.parse_lesson(client.get(lessons[0].url).content.decode())
    acks = [{"kind": "open", "user_id": trainee.pk, "lesson_id": lesson.lesson_id}]
    asset_id, duration = lesson.video
    event = {
        "id": "surge-e1", "kind": "heartbeat", "at": timezone.now().isoformat(),
        "user_id": trainee.pk, "lesson_id": lesson.lesson_id, "asset_id": asset_id,
        "watched_s": 3, "position_s": 3, "duration_s": duration,
    }  # fmt: skip
    answer = post_json(client, "/api/v1/progress/events/", {"events": [event]})
    assert answer.json()["results"][0]["accepted"] is True
    acks.append(
        {"kind": "heartbeat", "user_id": trainee.pk, "event_id": "surge-e1",
         "lesson_id": lesson.lesson_id, "asset_id": asset_id, "watched_s": 3}
    )  # fmt: skip
    check = lesson.checks[0]
    rng = random.Random(1)
    for _try in range(2):
        body = {"answers": pages.check_answers(check, rng), "attempt": check.attempt}
        answer = post_json(client, f"{lesson.check_base}{check.block_id}/", body)
        assert answer.status_code == 200, answer.content
        acks.append(
            {"kind": "check", "user_id": trainee.pk, "lesson_id": lesson.lesson_id,
             "block_id": check.block_id, "tries": answer.json()["tries"]}
        )  # fmt: skip
        if answer.json()["next"] is None:
            break
        check = pages.next_try(check, answer.json()["next"])
    assert {t.lost for t in count_lost(acks, state_from_database(acks)).values()} == {0}
    VideoProgress.objects.update(watched_s=1)
    assert count_lost(acks, state_from_database(acks))["heartbeat"].lost == 1


def test_an_examinee_answers_every_kind_of_question_from_its_page(
    exam_blueprint, eligible_trainee, client
):
    attempt = start(eligible_trainee, exam_blueprint)
    client.force_login(eligible_trainee)
    total = attempt.items.count()
    rng = random.Random(2)
    acks, seq = [], 1_000
    for position in range(1, total + 1):
        url = f"/exams/attempts/{attempt.pk}/q/{position}/"
        question = pages.parse_question(client.get(url).content.decode())
        assert question.go_next == (position + 1 if position < total else 0)
        response = pages.exam_answer(question, rng)
        seq += 1
        put = client.put(
            question.save_url,
            json.dumps({"response": response, "seq": seq}),
            content_type="application/json",
        )
        assert put.status_code == 200, (question.kind, put.content)
        acks.append(
            {"kind": "answer", "attempt_id": attempt.pk, "position": position,
             "seq": seq, "stored_seq": put.json()["seq"], "applied": True,
             "response": response}
        )  # fmt: skip
        seq += 1
        fields = [("seq", str(seq)), ("go", str(question.go_next))]
        posted = client.post(
            url,
            urlencode([*fields, *pages.exam_form(question, response)]),
            content_type="application/x-www-form-urlencoded",
        )
        assert posted.status_code == 302
        assert (
            posted["Location"]
            .rstrip("/")
            .endswith(f"/q/{question.go_next}" if question.go_next else "/review")
        ), question.kind
        acks.append({**acks[-1], "seq": seq, "stored_seq": seq})
    tallies = count_lost(acks, state_from_database(acks))
    assert tallies["answer"].acknowledged == 2 * total
    assert tallies["answer"].lost == 0, tallies["answer"].examples


def test_enrolment_makes_the_lesson_page_record_the_visit(lesson_url, client, trainee):
    _course, lessons = lesson_url
    client.get(lessons[1].url)
    enrollment = Enrollment.objects.get(user=trainee)
    assert enrollment.last_lesson_id == lessons[1].pk
