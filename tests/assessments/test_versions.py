"""Editing a question never changes an attempt already drawn or taken."""

from assessments import services
from assessments.models import AttemptItem
from tests.assessments.conftest import start


def test_editing_a_question_creates_a_new_version(make_question):
    question = make_question("short_answer")
    version = services.question_edit(
        question_id=question.pk,
        stem="ما اسم الضاغط بالإنجليزية؟",
        data={"answers": [{"text": "compressor", "fraction": 1}]},
    )
    question.refresh_from_db()
    assert version.version_number == 2
    assert question.current_version_id == version.version_id
    assert question.versions.get(number=1).data["answers"][0]["text"] == "الضاغط"


def test_an_attempt_keeps_the_snapshot_it_was_given(blueprint, eligible_trainee):
    attempt = start(eligible_trainee, blueprint)
    item = attempt.items.get(question__kind="short_answer")
    services.question_edit(
        question_id=item.question_id,
        stem="سؤال معدّل",
        data={"answers": [{"text": "المكثف", "fraction": 1}]},
    )
    services.attempt_answer_save(
        attempt_id=attempt.pk,
        user_id=eligible_trainee.pk,
        position=item.position,
        response="الضاغط",
        seq=1,
    )
    services.attempt_submit(attempt_id=attempt.pk, user_id=eligible_trainee.pk)
    item = AttemptItem.objects.get(pk=item.pk)
    assert item.snapshot["stem"] != "سؤال معدّل"
    assert item.fraction == 1.0
