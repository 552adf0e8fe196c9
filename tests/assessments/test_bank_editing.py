"""The content team's bank services: categories as paths, drafts, review, publish."""

from __future__ import annotations

import pytest

from assessments.models import Question, QuestionVersion, Topic
from assessments.selectors.banks import bank_category_tree, bank_questions
from assessments.services import bank_categories, bank_editing
from lms.kernel.errors import Conflict, Forbidden, Invalid, NotFound

CHOICE = {
    "options": [
        {"text": "فصل التيار", "fraction": 1, "feedback": "صحيح: السلامة أولاً"},
        {"text": "Turn on the fan", "fraction": 0, "feedback": "لا"},
    ],
    "feedback": {"correct": "أحسنت", "partial": "", "incorrect": "راجع الدرس"},
    "hints": ["فكّر في الكهرباء", ""],
    "shuffle": False,
}


@pytest.fixture
def topic(bank):
    return Topic.objects.create(bank=bank, name="Electrics/Safety")


def draft(bank, user, topic, **kw):
    values = {
        "bank_id": bank.pk,
        "user_id": user.pk,
        "kind": "single_choice",
        "topic_id": topic.pk,
        "stem": "ما أول خطوة قبل فتح الجهاز؟",
        "data": CHOICE,
        "difficulty": "hard",
        "points": "2",
    }
    return bank_editing.question_draft_create(**(values | kw))


def test_a_new_question_is_a_draft_that_exams_do_not_draw(bank, content_editor, topic):
    saved = draft(bank, content_editor, topic)
    question = Question.objects.get(pk=saved.question_id)
    assert saved.is_draft and question.current_version is None
    assert question.is_active is False  # the draw only takes active questions
    version = question.versions.get()
    # what the kind keeps, plus the hints, the combined feedback and the pin
    assert version.data["hints"] == ["فكّر في الكهرباء"]
    assert version.data["feedback"]["incorrect"] == "راجع الدرس"
    assert version.data["shuffle"] is False
    assert version.data["options"][0]["feedback"] == "صحيح: السلامة أولاً"


def test_saving_writes_a_new_version_and_never_edits_one(
    bank, content_editor, content_reviewer, topic
):
    saved = draft(bank, content_editor, topic)
    bank_editing.question_publish(
        question_id=saved.question_id, user_id=content_reviewer.pk
    )
    first = QuestionVersion.objects.get(pk=saved.version_id)
    second = bank_editing.question_draft_save(
        question_id=saved.question_id,
        user_id=content_editor.pk,
        stem="نص جديد",
        data=CHOICE,
        explanation="",
        points=2,
        difficulty="easy",
        topic_id=topic.pk,
    )
    assert second.version_number == 2 and second.is_draft
    first.refresh_from_db()
    assert first.stem == "ما أول خطوة قبل فتح الجهاز؟"
    question = Question.objects.get(pk=saved.question_id)
    # exams still draw the published version, with its difficulty
    assert question.current_version_id == first.pk
    assert question.difficulty == "hard"


def test_saving_what_is_already_saved_writes_no_version(bank, content_editor, topic):
    saved = draft(bank, content_editor, topic)
    version = QuestionVersion.objects.get(pk=saved.version_id)
    again = bank_editing.question_draft_save(
        question_id=saved.question_id,
        user_id=content_editor.pk,
        stem=version.stem,
        data=version.data,
        explanation="",
        points="2",
        difficulty="hard",
        topic_id=topic.pk,
    )
    assert again.version_id == saved.version_id
    assert QuestionVersion.objects.filter(question_id=saved.question_id).count() == 1


def test_an_editor_cannot_publish_but_asks_for_review(bank, content_editor, topic):
    saved = draft(bank, content_editor, topic)
    with pytest.raises(Forbidden) as refused:
        bank_editing.question_publish(
            question_id=saved.question_id, user_id=content_editor.pk
        )
    assert refused.value.code == "publish_needs_review"
    bank_editing.question_review_request(
        question_id=saved.question_id, user_id=content_editor.pk
    )
    version = QuestionVersion.objects.get(pk=saved.version_id)
    assert version.review_requested_by == content_editor
    assert Question.objects.get(pk=saved.question_id).current_version is None


def test_a_reviewer_publishes_the_draft_and_its_settings(
    bank, content_editor, content_reviewer, topic
):
    saved = draft(bank, content_editor, topic)
    other = Topic.objects.create(bank=bank, name="Tools")
    newer = bank_editing.question_draft_save(
        question_id=saved.question_id,
        user_id=content_editor.pk,
        stem="نص",
        data=CHOICE,
        explanation="شرح",
        points=1,
        difficulty="easy",
        topic_id=other.pk,
        name="Q1",
    )
    bank_editing.question_publish(
        question_id=saved.question_id, user_id=content_reviewer.pk
    )
    question = Question.objects.get(pk=saved.question_id)
    assert question.current_version_id == newer.version_id
    assert (question.topic_id, question.difficulty, question.name) == (
        other.pk,
        "easy",
        "Q1",
    )
    assert question.is_active  # first publication puts it in use
    version = QuestionVersion.objects.get(pk=newer.version_id)
    assert not version.is_draft and version.published_by == content_reviewer
    with pytest.raises(Conflict) as again:
        bank_editing.question_publish(
            question_id=saved.question_id,
            user_id=content_reviewer.pk,
            version_id=newer.version_id,
        )
    assert again.value.code == "already_published"


@pytest.mark.parametrize(
    "role", ["trainee", "assessor", "instructor", "ministry_staff"]
)
def test_others_cannot_write_questions(bank, make_user, role, topic):
    with pytest.raises(Forbidden):
        draft(bank, make_user(role), topic)


def test_the_kinds_refusal_is_an_invalid_question(bank, content_editor, topic):
    with pytest.raises(Invalid) as refused:
        draft(bank, content_editor, topic, data={"options": [{"text": "a"}]})
    assert refused.value.code == "invalid_question"
    assert not Question.objects.exists()


def test_a_category_of_another_bank_is_refused(bank, content_editor, occupation, level):
    from assessments.models import QuestionBank

    other = QuestionBank.objects.create(
        slug="other", title="x", occupation=occupation, skill_level=level
    )
    foreign = Topic.objects.create(bank=other, name="Elsewhere")
    with pytest.raises(Invalid) as refused:
        draft(bank, content_editor, foreign)
    assert refused.value.code == "unknown_category"


def test_withdrawing_needs_a_reviewer_and_a_published_question(
    bank, content_editor, content_reviewer, topic
):
    saved = draft(bank, content_editor, topic)
    with pytest.raises(Conflict):
        bank_editing.question_active_set(
            question_id=saved.question_id, user_id=content_reviewer.pk, active=True
        )
    with pytest.raises(Forbidden):
        bank_editing.question_active_set(
            question_id=saved.question_id, user_id=content_editor.pk, active=False
        )


# --- categories ---------------------------------------------------------------------
def test_the_tree_nests_paths_and_counts_subtrees(bank, make_question):
    make_question("true_false", topic="Electrics/Safety")
    make_question("true_false", topic="Electrics/Safety")
    make_question("true_false", topic="Electrics/Tools//Meters")
    make_question("true_false", topic="General")
    tree = bank_category_tree(bank_id=bank.pk)
    electrics = next(n for n in tree if n.name == "Electrics")
    assert electrics.topic_id is None  # implied by its subcategories
    assert electrics.total_count == 3 and electrics.own_count == 0
    assert [c.name for c in electrics.children] == ["Safety", "Tools/Meters"]
    assert electrics.children[1].path == "Electrics/Tools//Meters"


def test_renaming_a_parent_renames_its_childrens_paths(bank, content_editor):
    for name in ("Electrics", "Electrics/Safety", "Electrics/Safety/Gloves", "Other"):
        Topic.objects.create(bank=bank, name=name)
    moved = bank_categories.category_rename(
        bank_id=bank.pk, user_id=content_editor.pk, path="Electrics", name="كهرباء"
    )
    assert moved == 3
    assert set(Topic.objects.values_list("name", flat=True)) == {
        "كهرباء",
        "كهرباء/Safety",
        "كهرباء/Safety/Gloves",
        "Other",
    }


def test_moving_a_category_keeps_its_questions_and_subtree(
    bank, content_editor, make_question
):
    question = make_question("true_false", topic="Electrics/Safety")
    Topic.objects.create(bank=bank, name="Electrics/Safety/Gloves")
    Topic.objects.create(bank=bank, name="Workshop")
    bank_categories.category_move(
        bank_id=bank.pk,
        user_id=content_editor.pk,
        path="Electrics/Safety",
        parent_path="Workshop",
    )
    question.refresh_from_db()
    assert question.topic.name == "Workshop/Safety"
    assert Topic.objects.filter(name="Workshop/Safety/Gloves").exists()


def test_moving_into_its_own_subtree_or_onto_a_name_is_refused(bank, content_editor):
    for name in ("A", "A/B", "C", "C/B"):
        Topic.objects.create(bank=bank, name=name)
    with pytest.raises(Invalid) as into:
        bank_categories.category_move(
            bank_id=bank.pk, user_id=content_editor.pk, path="A", parent_path="A/B"
        )
    assert into.value.code == "category_into_itself"
    with pytest.raises(Conflict) as taken:
        bank_categories.category_move(
            bank_id=bank.pk, user_id=content_editor.pk, path="A/B", parent_path="C"
        )
    assert taken.value.code == "category_exists"
    with pytest.raises(NotFound):
        bank_categories.category_move(
            bank_id=bank.pk, user_id=content_editor.pk, path="Z", parent_path=""
        )


def test_a_category_is_created_under_its_parent_once(bank, content_editor):
    made = bank_categories.category_create(
        bank_id=bank.pk, user_id=content_editor.pk, name="A/C units", parent_path="HVAC"
    )
    assert made.path == "HVAC/A//C units"
    with pytest.raises(Conflict):
        bank_categories.category_create(
            bank_id=bank.pk,
            user_id=content_editor.pk,
            name="A/C units",
            parent_path="HVAC",
        )
    with pytest.raises(Invalid):
        bank_categories.category_create(
            bank_id=bank.pk, user_id=content_editor.pk, name="  ", parent_path=""
        )


# --- the list -----------------------------------------------------------------------
def test_questions_filter_by_category_subtree_kind_state_and_text(
    bank, make_question, content_editor
):
    make_question("true_false", topic="Electrics/Safety", stem="القاطع الكهربائي")
    make_question("numeric", topic="Electrics", stem="Voltage of the mains")
    make_question("essay", topic="Other", difficulty="hard")
    assert bank_questions(bank_id=bank.pk, category="Electrics").total == 2
    assert bank_questions(bank_id=bank.pk, kind="numeric").total == 1
    assert bank_questions(bank_id=bank.pk, difficulty="hard").total == 1
    assert bank_questions(bank_id=bank.pk, text="القاطع").total == 1
    topic = Topic.objects.get(name="Other")
    draft(bank, content_editor, topic)
    page = bank_questions(bank_id=bank.pk, state="draft")
    assert page.total == 1 and page.rows[0].published_number is None
    assert {k: n for k, _label, n in page.counts} == {
        "active": 3,
        "inactive": 0,
        "draft": 1,
        "review": 0,
    }


def test_questions_are_paginated(bank, make_question):
    for n in range(7):
        make_question("true_false", stem=f"سؤال {n}")
    page = bank_questions(bank_id=bank.pk, page=2, page_size=3)
    assert (page.total, page.pages, page.page, len(page.rows)) == (7, 3, 2, 3)
    assert bank_questions(bank_id=bank.pk, page=99, page_size=3).page == 3


def test_an_imported_question_edited_keeps_its_published_version(
    bank, make_question, content_editor
):
    question = make_question("short_answer")
    published = question.current_version_id
    bank_editing.question_draft_save(
        question_id=question.pk,
        user_id=content_editor.pk,
        stem="نص آخر",
        data={"answers": [{"text": "الضاغط", "fraction": 1, "feedback": "نعم"}]},
        explanation="",
        points=1,
        difficulty="medium",
        topic_id=question.topic_id,
    )
    question.refresh_from_db()
    assert question.current_version_id == published


def test_exams_draw_the_published_version_never_a_draft(
    bank,
    content_editor,
    content_reviewer,
    make_question,
    eligible_trainee,
    occupation,
    level,
):
    from assessments.models import BlueprintRule, ExamBlueprint
    from tests.assessments.conftest import start

    published = make_question("true_false", topic="Safety", stem="منشور")
    topic = published.topic
    draft(bank, content_editor, topic, stem="مسودة فقط")  # never published
    bank_editing.question_draft_save(
        question_id=published.pk,
        user_id=content_editor.pk,
        stem="تعديل لم يُنشر",
        data={"answer": True},
        explanation="",
        points=1,
        difficulty="medium",
        topic_id=topic.pk,
    )
    blueprint = ExamBlueprint.objects.create(
        slug="draw",
        title="سحب",
        bank=bank,
        occupation=occupation,
        skill_level=level,
        time_limit_s=600,
        pass_mark_percent=50,
    )
    BlueprintRule.objects.create(blueprint=blueprint, topic=topic, count=1)
    attempt = start(eligible_trainee, blueprint)
    item = attempt.items.get()
    assert item.question_id == published.pk
    assert item.snapshot["stem"] == "منشور" and item.snapshot["data"]["answer"] is False


def test_reviewers_see_how_many_questions_wait_for_them(
    client, bank, content_editor, content_reviewer, topic
):
    from django.urls import reverse

    from assessments.selectors.banks import questions_awaiting_review

    saved = draft(bank, content_editor, topic)
    bank_editing.question_review_request(
        question_id=saved.question_id, user_id=content_editor.pk
    )
    assert questions_awaiting_review() == 1
    client.force_login(content_reviewer)
    html = client.get(reverse("assessments:bank_list")).content.decode()
    assert "1 waiting for review" in html
    from assessments.wagtail_hooks import assessments_nav_entries

    entry = next(e for e in assessments_nav_entries() if e.key == "assessments.banks")
    assert entry.count(content_reviewer) == 1
    assert entry.count(content_editor) == 0  # editors cannot publish: no badge
    bank_editing.question_publish(
        question_id=saved.question_id, user_id=content_reviewer.pk
    )
    assert questions_awaiting_review(bank_id=bank.pk) == 0
