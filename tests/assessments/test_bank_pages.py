"""The bank pages for the content team: the list, a bank's questions and categories,
the editor for every kind with its live preview, and who is refused."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation

from assessments.models import BlueprintRule, ExamBlueprint, Question, Topic
from assessments.question_types import kind_choices
from tests.assessments.conftest import start

OTHERS = ["trainee", "assessor", "instructor", "ministry_staff"]


@pytest.fixture
def topic(bank):
    return Topic.objects.create(bank=bank, name="Electrics/Safety")


def choice_post(topic, **extra):
    post = {
        "kind": "single_choice",
        "stem": "ما أول خطوة قبل فتح جهاز التكييف؟ (AC unit)",
        "topic": str(topic.pk),
        "difficulty": "hard",
        "points": "٢٫٥",
        "explanation": "السلامة أولاً",
        "row-0-text": "فصل التيار (power off)",
        "row-0-fraction": "١٠٠",
        "row-0-feedback": "صحيح",
        "row-1-text": "تشغيل المروحة",
        "row-1-fraction": "0",
        "row-1-feedback": "لا",
        "row-2-text": "",
        "row-2-fraction": "",
        "feedback_correct": "أحسنت",
        "feedback_partial": "",
        "feedback_incorrect": "راجع الدرس",
        "hint": ["فكر في الكهرباء", ""],
        "action": "save",
    }
    post.update(extra)
    return post


def new_url(bank, kind="single_choice"):
    return reverse("assessments:question_new", args=[bank.slug]) + f"?kind={kind}"


# --- who may open what --------------------------------------------------------------
@pytest.mark.parametrize("role", OTHERS)
def test_others_are_refused_the_bank_page_editor_and_preview(
    client, make_user, role, bank, topic
):
    client.force_login(make_user(role))
    pages = [
        reverse("assessments:bank_detail", args=[bank.slug]),
        new_url(bank),
    ]
    for url in pages:
        assert client.get(url).status_code == 403, url
    preview = reverse("assessments:question_preview", args=[bank.slug])
    assert client.post(preview, choice_post(topic)).status_code == 403
    assert client.post(new_url(bank), choice_post(topic)).status_code == 403
    category = reverse("assessments:bank_category", args=[bank.slug])
    assert client.post(category, {"action": "create", "name": "x"}).status_code == 403
    assert not Question.objects.exists()
    assert not Topic.objects.filter(name="x").exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, bank):
    response = client.get(reverse("assessments:bank_detail", args=[bank.slug]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_the_bank_list_links_the_content_team_to_the_bank_page(
    client, content_editor, ministry_staff, bank
):
    page = f'href="{reverse("assessments:bank_detail", args=[bank.slug])}"'
    client.force_login(content_editor)
    assert page in client.get(reverse("assessments:bank_list")).content.decode()
    client.force_login(ministry_staff)  # item analysis only
    response = client.get(reverse("assessments:bank_list"))
    assert response.status_code == 200 and page not in response.content.decode()


def test_the_bank_page_shows_the_tree_filters_and_counts(
    client, content_reviewer, bank, make_question
):
    make_question("true_false", topic="Electrics/Safety", stem="القاطع")
    make_question("numeric", topic="Electrics/Tools", stem="Mains voltage")
    make_question("essay", topic="Other", stem="اشرح")
    client.force_login(content_reviewer)
    url = reverse("assessments:bank_detail", args=[bank.slug])
    html = client.get(url, {"category": "Electrics"}).content.decode()
    assert "2 questions" in html
    assert "القاطع" in html and "Mains voltage" in html and "اشرح" not in html
    tree = html[html.index('class="cat-tree"') :]
    assert tree.index("Electrics") < tree.index("Safety") < tree.index("Other")
    assert "In use: <bdi>3</bdi>" in html
    html = client.get(url, {"q": "voltage", "kind": "numeric"}).content.decode()
    assert "1 question" in html and "القاطع" not in html


def test_categories_are_created_renamed_and_moved_on_the_bank_page(
    client, content_editor, bank, topic
):
    client.force_login(content_editor)
    url = reverse("assessments:bank_category", args=[bank.slug])
    client.post(url, {"action": "create", "name": "Gloves", "parent": topic.name})
    assert Topic.objects.filter(name="Electrics/Safety/Gloves").exists()
    client.post(url, {"action": "rename", "path": "Electrics", "name": "كهرباء"})
    assert set(Topic.objects.values_list("name", flat=True)) == {
        "كهرباء/Safety",
        "كهرباء/Safety/Gloves",
    }
    client.post(url, {"action": "move", "path": "كهرباء/Safety/Gloves", "parent": ""})
    assert Topic.objects.filter(name="Gloves").exists()
    response = client.post(
        url, {"action": "create", "name": "Gloves", "parent": ""}, follow=True
    )
    assert "exists already" in response.content.decode()


# --- the editor ---------------------------------------------------------------------
@pytest.mark.parametrize("kind", [code for code, _label in kind_choices()])
def test_the_editor_opens_for_every_kind(client, content_editor, bank, topic, kind):
    client.force_login(content_editor)
    response = client.get(new_url(bank, kind))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="stem"' in html and 'name="explanation"' in html
    if kind != "essay":
        assert 'name="hint"' in html


def test_an_editor_saves_a_draft_with_eastern_arabic_digits(
    client, content_editor, bank, topic
):
    client.force_login(content_editor)
    response = client.post(new_url(bank), choice_post(topic))
    assert response.status_code == 302
    question = Question.objects.get()
    version = question.versions.get()
    assert version.is_draft and question.current_version is None
    assert str(version.points) == "2.50"
    options = version.data["options"]
    assert [o["fraction"] for o in options] == [1.0, 0.0]
    assert options[0]["feedback"] == "صحيح"
    assert version.data["feedback"]["incorrect"] == "راجع الدرس"
    assert version.data["hints"] == ["فكر في الكهرباء"]
    assert version.data["shuffle"] is False  # the box was not ticked: order pinned
    assert version.explanation == "السلامة أولاً"
    page = client.get(response["Location"]).content.decode()
    assert "Draft version 1 is waiting" in page


def test_the_kinds_refusal_is_shown_with_what_was_typed(
    client, content_editor, bank, topic
):
    client.force_login(content_editor)
    post = choice_post(topic, **{"row-0-fraction": "50"})  # nothing fully correct
    response = client.post(new_url(bank), post)
    assert response.status_code == 400
    html = response.content.decode()
    assert "One option must be fully correct (100%)." in html
    assert "فصل التيار (power off)" in html and 'value="50"' in html
    assert not Question.objects.exists()


def test_a_grade_that_is_not_a_number_is_marked_on_its_field(
    client, content_editor, bank, topic
):
    client.force_login(content_editor)
    response = client.post(new_url(bank), choice_post(topic, **{"row-1-fraction": "x"}))
    assert response.status_code == 400
    html = response.content.decode()
    field = html[html.index('id="row-1-fraction"') :][:300]
    assert 'value="x"' in field and "Type a number" in field


def test_an_editor_cannot_publish_from_the_editor(client, content_editor, bank, topic):
    client.force_login(content_editor)
    html = client.get(new_url(bank)).content.decode()
    assert 'value="publish"' not in html
    response = client.post(new_url(bank), choice_post(topic, action="publish"))
    assert response.status_code == 400
    assert "ask for a review" in response.content.decode()
    assert not Question.objects.exists()  # all or nothing: no draft either


def test_review_then_publish_then_withdraw(
    client, content_editor, content_reviewer, bank, topic
):
    client.force_login(content_editor)
    client.post(new_url(bank), choice_post(topic, action="review"))
    question = Question.objects.get()
    assert question.versions.get().review_requested_at is not None
    status = reverse("assessments:question_status", args=[bank.slug, question.pk])
    client.post(status, {"action": "publish"})
    question.refresh_from_db()
    assert question.current_version is None  # editors cannot
    client.force_login(content_reviewer)
    listing = reverse("assessments:bank_detail", args=[bank.slug])
    assert (
        "Waiting for review"
        in client.get(listing, {"state": "review"}).content.decode()
    )
    client.post(status, {"action": "publish"})
    question.refresh_from_db()
    assert question.current_version is not None and question.is_active
    assert question.difficulty == "hard"
    client.post(status, {"action": "withdraw"})
    question.refresh_from_db()
    assert not question.is_active


def test_editing_writes_a_new_version_and_shows_the_history(
    client, content_reviewer, bank, make_question
):
    question = make_question("numeric")
    client.force_login(content_reviewer)
    url = reverse("assessments:question_edit", args=[bank.slug, question.pk])
    html = client.get(url).content.decode()
    assert 'value="68"' in html and 'name="unit-1-name" value="bar"' in html
    post = {
        "stem": "ما ضغط الشحن؟",
        "topic": str(question.topic_id),
        "difficulty": "medium",
        "points": "1",
        "row-0-value": "٧٠",
        "row-0-tolerance": "١",
        "row-0-fraction": "100",
        "row-0-feedback": "صحيح",
        "unit-0-name": "psi",
        "unit-0-multiplier": "1",
        "action": "publish",
    }
    assert client.post(url, post).status_code == 302
    question.refresh_from_db()
    current = question.current_version
    assert current.number == 2
    assert current.data["answers"][0] == {
        "value": 70.0,
        "tolerance": 1.0,
        "fraction": 1.0,
        "feedback": "صحيح",
    }
    assert question.versions.get(number=1).data["answers"][0]["value"] == 68
    html = client.get(url).content.decode()
    assert "Drawn by exams" in html and "Replaced" in html


# --- the preview --------------------------------------------------------------------
def test_the_preview_renders_the_trainee_partial_and_saves_nothing(
    client, content_editor, bank, topic
):
    client.force_login(content_editor)
    url = reverse("assessments:question_preview", args=[bank.slug])
    response = client.post(url, choice_post(topic))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'dir="rtl"' in html and 'lang="ar"' in html
    assert '<legend class="stem" dir="auto">' in html
    assert "<bdi>فصل التيار (power off)</bdi>" in html
    assert 'type="radio" name="response"' in html
    assert "fraction" not in html and "صحيح" not in html  # no key, no feedback
    assert not Question.objects.exists()
    assert client.get(url).status_code == 405


def test_the_preview_says_why_an_incomplete_question_cannot_show(
    client, content_editor, bank, topic
):
    client.force_login(content_editor)
    url = reverse("assessments:question_preview", args=[bank.slug])
    html = client.post(
        url, choice_post(topic, **{"row-1-text": "", "row-1-feedback": ""})
    ).content.decode()
    with translation.override("ar"):
        expected = translation.gettext("The question needs at least %(n)d options.")
    assert expected % {"n": 2} in html


def test_the_preview_is_the_exam_page_s_own_rendering(
    client, content_editor, bank, make_question, eligible_trainee, occupation, level
):
    question = make_question(
        "single_choice",
        topic="Electrics",
        stem="Which step is first? ما الخطوة الأولى؟",
        data={
            "options": [
                {"text": "Power off فصل التيار", "fraction": 1},
                {"text": "Open the case", "fraction": 0},
                {"text": "فتح الغطاء", "fraction": 0},
            ],
            "shuffle": False,
        },
    )
    blueprint = ExamBlueprint.objects.create(
        slug="one",
        title="واحد",
        bank=bank,
        occupation=occupation,
        skill_level=level,
        time_limit_s=600,
        pass_mark_percent=50,
        shuffle_options=False,
    )
    BlueprintRule.objects.create(blueprint=blueprint, topic=question.topic, count=1)
    attempt = start(eligible_trainee, blueprint)
    options = question.current_version.data["options"]
    post = {"question": str(question.pk), "stem": question.current_version.stem}
    for i, option in enumerate(options):
        post |= {
            f"row-{i}-id": option["id"],
            f"row-{i}-text": option["text"],
            f"row-{i}-fraction": str(option["fraction"] * 100),
        }
    fieldset = re.compile(r"<fieldset>.*?</fieldset>", re.S)
    with translation.override("ar"):
        client.force_login(eligible_trainee)
        exam = client.get(
            reverse("assessments:attempt_question", args=[attempt.pk, 1])
        ).content.decode()
        client.force_login(content_editor)
        preview = client.post(
            reverse("assessments:question_preview", args=[bank.slug]), post
        ).content.decode()
    assert fieldset.search(exam).group(0) == fieldset.search(preview).group(0)


KIND_POSTS = {
    "multiple_response": (
        {
            "row-0-text": "نظارة",
            "row-0-fraction": "٥٠",
            "row-1-text": "قفازات",
            "row-1-fraction": "50",
            "row-2-text": "صندل",
            "row-2-fraction": "-100",
            "shuffle": "1",
        },
        lambda d: (
            [o["fraction"] for o in d["options"]] == [0.5, 0.5, -1.0]
            and d["shuffle"] is True
        ),
    ),
    "true_false": (
        {"answer": "false", "feedback_false": "نعم، خطأ"},
        lambda d: d["answer"] is False and d["feedback_false"] == "نعم، خطأ",
    ),
    "matching": (
        {
            "row-0-prompt": "المكثف",
            "row-0-answer": "يطرد الحرارة",
            "row-1-prompt": "المبخر",
            "row-1-answer": "يمتص الحرارة",
            "distractors": "يشحن البطارية\n\n",
            "feedback_partial": "قريب",
        },
        lambda d: (
            len(d["pairs"]) == 2
            and d["distractors"] == ["يشحن البطارية"]
            and d["feedback"]["partial"] == "قريب"
            and d["shuffle"] is False
        ),
    ),
    "ordering": (
        {"row-0-text": "فصل", "row-1-text": "فتح", "row-2-text": "تشغيل"},
        lambda d: [i["text"] for i in d["items"]] == ["فصل", "فتح", "تشغيل"],
    ),
    "numeric": (
        {
            "row-0-value": "٦٨",
            "row-0-tolerance": "٢",
            "row-0-feedback": "صحيح",
            "unit-0-name": "psi",
            "unit-0-multiplier": "١",
            "unit_required": "1",
        },
        lambda d: (
            d["answers"][0]["value"] == 68
            and d["answers"][0]["fraction"] == 1.0  # a blank grade: fully correct
            and d["units"] == [{"name": "psi", "multiplier": 1.0}]
            and d["unit_required"] is True
        ),
    ),
    "short_answer": (
        {"row-0-text": "الضاغط*", "row-0-feedback": "نعم", "case_sensitive": "1"},
        lambda d: (
            d["answers"][0] == {"text": "الضاغط*", "fraction": 1.0, "feedback": "نعم"}
            and d["case_sensitive"] is True
        ),
    ),
    "essay": (
        {"grader_info": "امنح الدرجة كاملة لذكر الخطوات الثلاث"},
        lambda d: d["grader_info"].startswith("امنح"),
    ),
}


@pytest.mark.parametrize("kind", sorted(KIND_POSTS))
def test_every_kind_is_written_in_the_editor_and_opens_again(
    client, content_editor, bank, topic, kind
):
    fields, check = KIND_POSTS[kind]
    post = {
        "kind": kind,
        "stem": f"سؤال {kind}",
        "topic": str(topic.pk),
        "difficulty": "easy",
        "points": "1",
        "hint": ["تلميح", ""],
        "action": "save",
        **fields,
    }
    client.force_login(content_editor)
    response = client.post(new_url(bank, kind), post)
    assert response.status_code == 302, response.content.decode()[:2000]
    version = Question.objects.get().versions.get()
    assert check(version.data)
    assert version.data.get("hints", []) == ([] if kind == "essay" else ["تلميح"])
    html = client.get(response["Location"]).content.decode()
    assert f"سؤال {kind}" in html and (kind == "essay" or "تلميح" in html)
    rows = version.data.get("options") or version.data.get("pairs") or []
    ids = {
        f"row-{i}-id": row["id"]
        for i, row in enumerate(rows + version.data.get("items", []))
    }
    # the same again (with the ids the page keeps): no new version
    again = client.post(response["Location"], post | ids)
    assert again.status_code == 302
    assert Question.objects.get().versions.count() == 1
