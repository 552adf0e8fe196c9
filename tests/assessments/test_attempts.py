"""Blueprint drawing, eligibility, one active attempt, server-side deadline,
auto-submit, resume after reconnect and idempotent answers."""

import datetime as dt

import pytest
from django.utils import timezone

from assessments import services, tasks
from assessments.models import Attempt, AttemptStatus, BlueprintRule
from lms.kernel.errors import Conflict, Forbidden, Invalid, NotFound
from tests.assessments.conftest import answer_all_correctly, later, start


def test_start_draws_the_blueprint_counts_per_topic(blueprint, eligible_trainee):
    attempt = start(eligible_trainee, blueprint)
    by_topic = {}
    for item in attempt.items.all():
        by_topic[item.topic_name] = by_topic.get(item.topic_name, 0) + 1
    expected = {r.topic.name: r.count for r in blueprint.rules.all()}
    assert by_topic == expected
    assert attempt.deadline_at - attempt.started_at == dt.timedelta(seconds=600)
    assert attempt.max_score == sum(i.points for i in attempt.items.all())


def test_draw_respects_difficulty_and_never_repeats_a_question(
    bank, make_question, occupation, level, eligible_trainee
):
    from assessments.models import ExamBlueprint

    for n in range(4):
        make_question("true_false", topic="السلامة", difficulty="hard", stem=f"صعب {n}")
        make_question("true_false", topic="السلامة", difficulty="easy", stem=f"سهل {n}")
    topic = bank.topics.get(name="السلامة")
    bp = ExamBlueprint.objects.create(
        slug="mix", title="مزيج", bank=bank, occupation=occupation, skill_level=level
    )
    BlueprintRule.objects.create(blueprint=bp, topic=topic, difficulty="hard", count=3)
    BlueprintRule.objects.create(blueprint=bp, topic=topic, count=5)
    attempt = start(eligible_trainee, bp)
    questions = [i.question for i in attempt.items.all()]
    assert len(questions) == len({q.pk for q in questions}) == 8
    assert sum(q.difficulty == "hard" for q in questions) >= 3


def test_a_blueprint_the_bank_cannot_fill_is_refused_clearly(
    blueprint, eligible_trainee
):
    rule = blueprint.rules.first()
    rule.count = 50
    rule.save()
    with pytest.raises(Conflict, match="the blueprint needs 50") as refused:
        start(eligible_trainee, blueprint)
    assert refused.value.code == "exam_not_ready"
    assert not Attempt.objects.exists()


def test_start_requires_the_completed_course(blueprint, trainee):
    with pytest.raises(Conflict, match="Complete the course") as refused:
        start(trainee, blueprint)
    assert refused.value.code == "course_not_completed"


def test_eligibility_follows_the_course_completion(blueprint, trainee, complete_course):
    from assessments.selectors import exam_eligibility_problems

    ask = {"user_id": trainee.pk, "blueprint_id": blueprint.pk}
    assert [p.code for p in exam_eligibility_problems(**ask)] == [
        "course_not_completed"
    ]
    complete_course(trainee)
    assert exam_eligibility_problems(**ask) == ()


def test_start_says_whether_it_created_the_attempt_or_resumed_it(
    blueprint, eligible_trainee
):
    ask = {"user_id": eligible_trainee.pk, "blueprint_id": blueprint.pk}
    first, created = services.attempt_start(**ask)
    again, created_again = services.attempt_start(**ask)
    assert created is True and created_again is False
    assert again == first and first.is_open and first.exam_slug == blueprint.slug


def test_starting_an_exam_that_does_not_exist_is_not_found(eligible_trainee):
    with pytest.raises(NotFound) as refused:
        services.attempt_start(user_id=eligible_trainee.pk, blueprint_id=999999)
    assert refused.value.code == "exam_not_found"


def test_starting_twice_resumes_the_one_active_attempt(blueprint, eligible_trainee):
    first = start(eligible_trainee, blueprint)
    second = start(eligible_trainee, blueprint)
    assert first.pk == second.pk
    assert Attempt.objects.filter(status=AttemptStatus.IN_PROGRESS).count() == 1


def test_waiting_time_between_attempts(blueprint, eligible_trainee):
    attempt = start(eligible_trainee, blueprint)
    services.attempt_submit(attempt_id=attempt.pk, user_id=eligible_trainee.pk)
    with pytest.raises(Conflict, match="try again after"):
        start(eligible_trainee, blueprint)
    in_two_hours = timezone.now() + dt.timedelta(hours=2)
    again = start(eligible_trainee, blueprint, now=in_two_hours)
    assert again.number == 2


def test_attempts_allowed_is_enforced(blueprint, eligible_trainee):
    now = timezone.now()
    for n in range(blueprint.attempts_allowed):
        at = now + dt.timedelta(hours=2 * n)
        attempt = start(eligible_trainee, blueprint, now=at)
        services.attempt_submit(
            attempt_id=attempt.pk, user_id=eligible_trainee.pk, now=at
        )
    with pytest.raises(Conflict, match="all the attempts"):
        start(eligible_trainee, blueprint, now=now + dt.timedelta(days=3))


def test_a_passed_exam_cannot_be_retaken(blueprint, eligible_trainee):
    attempt = start(eligible_trainee, blueprint)
    answer_all_correctly(attempt, eligible_trainee)
    services.attempt_submit(attempt_id=attempt.pk, user_id=eligible_trainee.pk)
    with pytest.raises(Conflict, match="already passed"):
        start(
            eligible_trainee,
            blueprint,
            now=timezone.now() + dt.timedelta(days=2),
        )


def test_answers_after_the_deadline_are_refused(blueprint, eligible_trainee):
    attempt = start(eligible_trainee, blueprint)
    with pytest.raises(Conflict, match="Time is up") as refused:
        services.attempt_answer_save(
            attempt_id=attempt.pk,
            user_id=eligible_trainee.pk,
            position=1,
            response=None,
            seq=1,
            now=later(attempt, 30),
        )
    assert refused.value.code == "answers_closed"


def test_the_task_submits_the_attempt_at_the_deadline(blueprint, eligible_trainee):
    attempt = start(eligible_trainee, blueprint)
    answer_all_correctly(attempt, eligible_trainee)
    assert tasks.attempt_auto_submit.call(attempt.pk) is False  # too early: no-op
    Attempt.objects.filter(pk=attempt.pk).update(
        deadline_at=timezone.now() - dt.timedelta(seconds=30)
    )
    assert tasks.attempt_auto_submit.call(attempt.pk) is True
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.GRADED
    assert attempt.auto_submitted and attempt.passed
    assert tasks.attempt_auto_submit.call(attempt.pk) is False  # repeat: no-op


def test_starting_an_attempt_schedules_the_auto_submit_on_a_deferring_backend(
    blueprint, eligible_trainee, settings, django_capture_on_commit_callbacks
):
    from asgiref.local import Local
    from django_tasks import task_backends
    from django_tasks_db.models import DBTaskResult

    def reset():
        task_backends._settings = None
        task_backends._connections = Local(task_backends.thread_critical)

    original = settings.TASKS
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks_db.DatabaseBackend",
            "QUEUES": ["default", "media"],
        }
    }
    reset()
    try:
        with django_capture_on_commit_callbacks(execute=True):
            attempt = start(eligible_trainee, blueprint)
        job = DBTaskResult.objects.get()
        assert job.args_kwargs["args"] == [attempt.pk]
        assert job.run_after > attempt.deadline_at
    finally:
        settings.TASKS = original
        reset()


def test_the_overdue_sweep_submits_forgotten_attempts(blueprint, eligible_trainee):
    attempt = start(eligible_trainee, blueprint)
    Attempt.objects.filter(pk=attempt.pk).update(
        deadline_at=timezone.now() - dt.timedelta(minutes=5)
    )
    assert tasks.attempts_expire_overdue_task.call() == 1
    attempt.refresh_from_db()
    assert attempt.status != AttemptStatus.IN_PROGRESS and attempt.auto_submitted


def test_idempotent_answers_a_retry_changes_nothing(blueprint, eligible_trainee):
    attempt = start(eligible_trainee, blueprint)
    item = attempt.items.get(question__kind="short_answer")
    save = {
        "attempt_id": attempt.pk,
        "user_id": eligible_trainee.pk,
        "position": item.position,
    }
    first = services.attempt_answer_save(**save, response="الضاغط", seq=10)
    retry = services.attempt_answer_save(**save, response="الضاغط", seq=10)
    late_old = services.attempt_answer_save(**save, response="المكثف", seq=5)
    item.refresh_from_db()
    assert first.applied and not retry.applied and not late_old.applied
    assert item.response == "الضاغط" and item.response_seq == 10


def test_a_newer_answer_replaces_the_older(blueprint, eligible_trainee):
    attempt = start(eligible_trainee, blueprint)
    item = attempt.items.get(question__kind="short_answer")
    save = {
        "attempt_id": attempt.pk,
        "user_id": eligible_trainee.pk,
        "position": item.position,
    }
    services.attempt_answer_save(**save, response="المكثف", seq=1)
    services.attempt_answer_save(**save, response="الضاغط", seq=2)
    item.refresh_from_db()
    assert item.response == "الضاغط"


def test_an_invalid_answer_is_refused_and_loses_nothing(blueprint, eligible_trainee):
    attempt = start(eligible_trainee, blueprint)
    item = attempt.items.get(question__kind="numeric")
    save = {
        "attempt_id": attempt.pk,
        "user_id": eligible_trainee.pk,
        "position": item.position,
    }
    services.attempt_answer_save(**save, response="68", seq=1)
    with pytest.raises(Invalid) as refused:
        services.attempt_answer_save(**save, response="كثير", seq=2)
    assert refused.value.code == "invalid_answer"
    item.refresh_from_db()
    assert item.response == "68"


def test_another_trainee_cannot_answer_my_attempt(
    blueprint, eligible_trainee, make_user
):
    attempt = start(eligible_trainee, blueprint)
    with pytest.raises(NotFound, match="No such attempt"):
        services.attempt_answer_save(
            attempt_id=attempt.pk,
            user_id=make_user("trainee").pk,
            position=1,
            response=None,
            seq=1,
        )


def test_submitting_grades_and_scores_by_topic(blueprint, eligible_trainee):
    from assessments.selectors import attempt_scores_by_topic

    attempt = start(eligible_trainee, blueprint)
    answer_all_correctly(attempt, eligible_trainee)
    safety = [i for i in attempt.items.all() if i.topic_name == "السلامة"]
    services.attempt_answer_save(
        attempt_id=attempt.pk,
        user_id=eligible_trainee.pk,
        position=next(i.position for i in safety if i.snapshot["kind"] == "true_false"),
        response=True,
        seq=2,
    )
    attempt = services.attempt_submit(
        attempt_id=attempt.pk, user_id=eligible_trainee.pk
    )
    topics = {t.topic: t for t in attempt_scores_by_topic(attempt_id=attempt.id)}
    assert topics["السلامة"].score == topics["السلامة"].max_score - 1
    assert topics["دورة التبريد"].score == topics["دورة التبريد"].max_score
    assert attempt.status == AttemptStatus.GRADED


def test_submitting_twice_changes_nothing(blueprint, eligible_trainee):
    attempt = start(eligible_trainee, blueprint)
    first = services.attempt_submit(attempt_id=attempt.pk, user_id=eligible_trainee.pk)
    second = services.attempt_submit(attempt_id=attempt.pk, user_id=eligible_trainee.pk)
    assert first.submitted_at == second.submitted_at


def test_essays_wait_for_an_assessor_then_finalise(
    bank, make_question, occupation, level, eligible_trainee, assessor
):
    from assessments.models import ExamBlueprint

    make_question("essay", topic="كتابة")
    make_question("true_false", topic="كتابة")
    bp = ExamBlueprint.objects.create(
        slug="essay", title="مقالي", bank=bank, occupation=occupation, skill_level=level
    )
    BlueprintRule.objects.create(
        blueprint=bp, topic=bank.topics.get(name="كتابة"), count=2
    )
    attempt = start(eligible_trainee, bp)
    answer_all_correctly(attempt, eligible_trainee)
    essay = attempt.items.get(question__kind="essay")
    services.attempt_answer_save(
        attempt_id=attempt.pk,
        user_id=eligible_trainee.pk,
        position=essay.position,
        response="شرح",
        seq=5,
    )
    submitted = services.attempt_submit(
        attempt_id=attempt.pk, user_id=eligible_trainee.pk
    )
    assert submitted.status == AttemptStatus.AWAITING_GRADING
    graded = services.attempt_item_grade(
        item_id=essay.pk, grader_id=assessor.pk, fraction=0.5
    )
    assert graded.status == AttemptStatus.GRADED and graded.percent == 75
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.GRADED and attempt.percent == 75


def test_a_trainee_cannot_grade_an_essay(blueprint, eligible_trainee, make_user):
    attempt = start(eligible_trainee, blueprint)
    with pytest.raises(Forbidden, match="Only assessors"):
        services.attempt_item_grade(
            item_id=attempt.items.first().pk,
            grader_id=make_user("trainee").pk,
            fraction=1,
        )


def test_an_assessor_cannot_grade_their_own_exam(bank, make_question, assessor):
    from assessments.models import ExamBlueprint

    make_question("essay", topic="كتابة")
    bp = ExamBlueprint.objects.create(
        slug="own",
        title="مقالي",
        bank=bank,
        occupation=bank.occupation,
        skill_level=bank.skill_level,
        requires_course_completion=False,
    )
    BlueprintRule.objects.create(
        blueprint=bp, topic=bank.topics.get(name="كتابة"), count=1
    )
    attempt = start(assessor, bp)
    services.attempt_submit(attempt_id=attempt.pk, user_id=assessor.pk)
    with pytest.raises(Forbidden) as refused:
        services.attempt_item_grade(
            item_id=attempt.items.get().pk, grader_id=assessor.pk, fraction=1
        )
    assert refused.value.code == "own_exam"


def test_a_graded_attempt_takes_no_second_grade(blueprint, eligible_trainee, assessor):
    attempt = start(eligible_trainee, blueprint)
    services.attempt_submit(attempt_id=attempt.pk, user_id=eligible_trainee.pk)
    with pytest.raises(Conflict) as refused:
        services.attempt_item_grade(
            item_id=attempt.items.first().pk, grader_id=assessor.pk, fraction=1
        )
    assert refused.value.code == "not_awaiting_grading"
