"""Editing a question never changes an attempt already drawn or taken."""

from assessments import services
from assessments.models import AttemptItem


def test_editing_a_question_creates_a_new_version(make_question):
    question = make_question("short_answer")
    version = services.question_edit(
        question=question,
        stem="ما اسم الضاغط بالإنجليزية؟",
        data={"answers": [{"text": "compressor", "fraction": 1}]},
    )
    question.refresh_from_db()
    assert version.number == 2
    assert question.current_version == version
    assert question.versions.get(number=1).data["answers"][0]["text"] == "الضاغط"


def test_an_attempt_keeps_the_snapshot_it_was_given(blueprint, eligible_trainee):
    attempt = services.attempt_start(user=eligible_trainee, blueprint=blueprint)
    item = attempt.items.get(question__kind="short_answer")
    services.question_edit(
        question=item.question,
        stem="سؤال معدّل",
        data={"answers": [{"text": "المكثف", "fraction": 1}]},
    )
    services.attempt_answer_save(
        attempt_id=attempt.pk,
        user=eligible_trainee,
        position=item.position,
        response="الضاغط",
        seq=1,
    )
    services.attempt_submit(attempt_id=attempt.pk, user=eligible_trainee)
    item = AttemptItem.objects.get(pk=item.pk)
    assert item.snapshot["stem"] != "سؤال معدّل"
    assert item.fraction == 1.0
