"""Fair knowledge checks: per-try shuffled choices, a reveal policy the server
enforces, tries counted on the server, hints between tries, author feedback."""

from __future__ import annotations

import re
import uuid

import pytest

from courses import services
from courses.models import CheckResult
from tests.courses.conftest import lessons_of

COLOURS = ["أحمر", "أزرق", "أخضر", "أصفر", "أسود"]


def fair_block(block_id="kc1", **policy) -> dict:
    """Two questions: a five-choice one (the right answer last) and a pinned one."""
    return {
        "type": "knowledge_check",
        "id": block_id,
        "value": {
            "title": "",
            **policy,
            "questions": [
                {
                    "prompt": "ما لون سلك الأرضي؟",
                    "kind": "single",
                    "choices": [
                        {
                            "text": text,
                            "correct": text == "أسود",
                            "feedback": "صحيح: هذا سلك الأرضي"
                            if text == "أسود"
                            else f"ليس {text}",
                        }
                        for text in COLOURS
                    ],
                    "explanation": "شرح السؤال الأول",
                    "hints": ["تلميح أول", "تلميح ثان"],
                },
                {
                    "prompt": "هل نفصل الكهرباء قبل العمل؟",
                    "kind": "single",
                    "shuffle": False,
                    "choices": [
                        {"text": "نعم دائماً", "correct": True},
                        {"text": "لا", "correct": False},
                        {"text": "أحياناً", "correct": False},
                    ],
                    "explanation": "",
                    "hints": [],
                },
            ],
        },
    }


@pytest.fixture
def make_lesson(tree, trainee):
    def make(**policy):
        course = tree.course(
            slug=f"c-{uuid.uuid4().hex[:6]}",
            modules=1,
            lessons=1,
            body=lambda: [fair_block(**policy)],
            check_pass_pct=100,
        )
        course.save_revision().publish()
        services.enrollment_create(user=trainee, course_id=course.pk)
        return lessons_of(course)[0]

    return make


def url(lesson, block_id="kc1"):
    return f"/api/v1/lessons/{lesson.pk}/checks/{block_id}/"


def shown_order(html: str, texts: list[str]) -> list[str]:
    """The order in which the page shows the choices of a question."""
    form = html[html.index('class="kc"') :]
    return sorted(texts, key=lambda t: form.index(f">{t}<"))


def wrong(api, lesson, **extra):
    """A wrong answer to both questions, in the author's order (no attempt)."""
    return api.post(
        url(lesson), {"answers": {"0": [0], "1": [1]}, **extra}, format="json"
    )


# --- the reveal policy ---
def test_default_check_does_not_say_which_answers_were_right_on_the_first_try(
    api, make_lesson
):
    lesson = make_lesson()  # stored without a policy: the safe default applies
    body = wrong(api, lesson).json()
    assert body["passed"] is False and body["revealed"] is False
    assert body["score_pct"] is None
    assert all(r["correct"] is None for r in body["results"])
    assert all(r["feedback"] == [] for r in body["results"])
    assert body["results"][0]["explanation"] == "شرح السؤال الأول"


def test_correctness_is_revealed_from_the_configured_try(api, make_lesson):
    lesson = make_lesson(reveal="tries", reveal_after_tries=3)
    first, second, third = (
        api.post(url(lesson), {"answers": {"0": [n], "1": [1]}}, format="json").json()
        for n in range(3)
    )
    assert not first["revealed"] and not second["revealed"]
    assert [first["tries"], second["tries"], third["tries"]] == [1, 2, 3]
    assert third["revealed"] and third["score_pct"] == 0
    assert [r["correct"] for r in third["results"]] == [False, False]
    assert third["results"][0]["feedback"] == ["ليس أخضر"]  # the choice's feedback


def test_a_never_revealing_check_cannot_be_brute_forced(api, make_lesson):
    """The issue's brute force: 20 requests never learn which question is right."""
    lesson = make_lesson(reveal="never")
    seen = []
    for n in range(20):
        body = api.post(
            url(lesson), {"answers": {"0": [n % 5], "1": [n % 3]}}, format="json"
        ).json()
        seen.append(body)
    assert all(b["score_pct"] is None for b in seen)
    assert all(r["correct"] is None for b in seen for r in b["results"])
    assert all(r["feedback"] == [] for b in seen for r in b["results"])
    assert CheckResult.objects.get().tries == 20  # counted on the server


def test_tries_are_counted_by_the_server_not_the_page(
    api, make_lesson, client, trainee
):
    """The no-JS form and the API share one count: two API tries plus one form
    try reach the policy's third try."""
    lesson = make_lesson(reveal="tries", reveal_after_tries=3)
    for colour in COLOURS[:2]:  # two different wrong answers, in the author's order
        api.post(
            url(lesson), {"answers": {"0": [COLOURS.index(colour)]}}, format="json"
        )
    client.force_login(trainee)
    html = client.get(lesson.url).content.decode()
    assert 'name="attempt" value="2"' in html
    position = shown_order(html, COLOURS).index(COLOURS[2])
    page = client.post(
        lesson.url, {"check": "kc1", "attempt": "٢", "q0": str(position)}
    )
    assert page.status_code == 200
    assert CheckResult.objects.get().tries == 3
    assert "✘" in page.content.decode()  # the third try says which were wrong


def test_a_replayed_answer_is_not_another_try(api, make_lesson):
    lesson = make_lesson()
    wrong(api, lesson)
    wrong(api, lesson)  # a double click, or a resent request
    assert CheckResult.objects.get().tries == 1


def test_an_answer_for_a_try_not_yet_shown_is_refused(api, make_lesson):
    lesson = make_lesson()
    response = wrong(api, lesson, attempt=5)
    assert response.status_code == 400
    assert response.json()["code"] == "unknown_try"
    assert not CheckResult.objects.filter(tries__gt=0).exists()


def test_the_no_js_page_hides_correctness_when_the_policy_does(
    client, trainee, make_lesson
):
    lesson = make_lesson(reveal="never")
    client.force_login(trainee)
    html = client.post(lesson.url, {"check": "kc1", "q0": "0", "q1": "0"})
    html = html.content.decode()
    assert "✔" not in html and "✘" not in html
    assert "شرح السؤال الأول" in html  # the explanation is still shown
    assert "صحيح: هذا سلك الأرضي" not in html


# --- shuffled choices ---
def test_choices_are_shuffled_per_try_and_stable_within_it(
    client, api, trainee, make_lesson
):
    lesson = make_lesson(reveal="never")
    client.force_login(trainee)
    orders = []
    for _try in range(6):
        first = shown_order(client.get(lesson.url).content.decode(), COLOURS)
        again = shown_order(client.get(lesson.url).content.decode(), COLOURS)
        assert first == again  # reloading shows the same order
        orders.append(first)
        view = api.get(url(lesson)).json()
        assert [c["text"] for c in view["questions"][0]["choices"]] == first
        api.post(
            url(lesson),
            {"answers": {"0": [_try % 5]}, "attempt": view["attempt"]},
            format="json",
        )
    assert len({tuple(o) for o in orders}) > 1  # each try gets its own order
    assert any(o != COLOURS for o in orders)


def test_the_author_can_pin_the_order(client, trainee, make_lesson, api):
    lesson = make_lesson()
    client.force_login(trainee)
    pinned = ["نعم دائماً", "لا", "أحياناً"]
    for _try in range(4):
        assert shown_order(client.get(lesson.url).content.decode(), pinned) == pinned
        wrong(api, lesson, attempt=_try)


def test_answers_are_positions_in_the_order_of_their_try(api, make_lesson):
    """The page posts positions; the server maps them through that try's order."""
    lesson = make_lesson(reveal="tries", reveal_after_tries=1)
    view = api.get(url(lesson)).json()
    texts = [c["text"] for c in view["questions"][0]["choices"]]
    right = texts.index("أسود")
    body = api.post(
        url(lesson),
        {"answers": {"0": [right], "1": [0]}, "attempt": view["attempt"]},
        format="json",
    ).json()
    assert body["passed"] and body["score_pct"] == 100
    assert body["results"][0]["feedback"] == ["صحيح: هذا سلك الأرضي"]


def test_the_page_never_carries_the_authors_order_in_its_values(
    client, trainee, make_lesson
):
    """Values are positions 0..n-1 in the shown order, whatever the author's order."""
    lesson = make_lesson()
    client.force_login(trainee)
    html = client.get(lesson.url).content.decode()
    values = re.findall(r'name="q0" value="(\d+)"', html)
    assert values == ["0", "1", "2", "3", "4"]


# --- hints between tries ---
def wrong_colour(api, lesson, *, avoid: str = "") -> tuple[dict, str]:
    """A wrong answer on the current try's order, naming another colour than
    `avoid` (the same answers sent again are the same try, not a new one)."""
    view = api.get(url(lesson)).json()
    texts = [c["text"] for c in view["questions"][0]["choices"]]
    position = next(i for i, t in enumerate(texts) if t not in ("أسود", avoid))
    body = api.post(
        url(lesson),
        {"answers": {"0": [position], "1": [1]}, "attempt": view["attempt"]},
        format="json",
    ).json()
    return body, texts[position]


def test_one_more_hint_after_each_wrong_try(api, make_lesson, client, trainee):
    lesson = make_lesson(reveal="never")
    assert api.get(url(lesson)).json()["questions"][0]["hints"] == []
    first, colour = wrong_colour(api, lesson)
    assert first["results"][0]["hints"] == ["تلميح أول"]
    assert first["next"]["questions"][0]["hints"] == ["تلميح أول"]
    second, colour = wrong_colour(api, lesson, avoid=colour)
    assert second["results"][0]["hints"] == ["تلميح أول", "تلميح ثان"]
    third, _colour = wrong_colour(api, lesson, avoid=colour)
    assert third["results"][0]["hints"] == ["تلميح أول", "تلميح ثان"]  # no more
    client.force_login(trainee)
    html = client.get(lesson.url).content.decode()
    assert "تلميح أول" in html and "تلميح ثان" in html  # kept on reload


def test_no_hints_before_a_wrong_try_and_none_in_the_page(client, trainee, make_lesson):
    lesson = make_lesson()
    client.force_login(trainee)
    assert "تلميح أول" not in client.get(lesson.url).content.decode()


# --- refusals ---
def test_a_position_outside_the_try_is_refused(api, make_lesson):
    lesson = make_lesson()
    response = api.post(
        url(lesson), {"answers": {"0": [7]}, "attempt": 0}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "unknown_choice"


def test_the_check_view_needs_an_enrolment(make_lesson, make_user):
    from rest_framework.test import APIClient

    lesson = make_lesson()
    other = APIClient()
    other.force_authenticate(make_user("trainee"))
    response = other.get(url(lesson))
    assert response.status_code == 409
    assert response.json()["code"] == "not_enrolled"


def test_the_check_view_of_an_unknown_check_is_not_found(api, make_lesson):
    lesson = make_lesson()
    response = api.get(url(lesson, "nope"))
    assert response.status_code == 404
    assert response.json()["code"] == "check_not_found"


# --- the offline batch and the Arabic page ---
def test_an_offline_answer_is_read_in_the_order_of_its_try(api, make_lesson):
    """Answers queued from a saved page carry its try: both read in that order,
    and the batch's detail hides the score while the policy does."""
    from django.utils import timezone

    lesson = make_lesson(reveal="never")
    view = api.get(url(lesson)).json()
    texts = [c["text"] for c in view["questions"][0]["choices"]]
    events = [
        {
            "id": str(uuid.uuid4()),
            "kind": "answer",
            "lesson_id": lesson.pk,
            "at": timezone.now().isoformat(),
            "block_id": "kc1",
            "answers": {"0": [texts.index(colour)], "1": [0]},
            "attempt": 0,  # both answered on the page of the first try
        }
        for colour in ("أحمر", "أسود")
    ]
    response = api.post("/api/v1/progress/events/", {"events": events}, format="json")
    details = [r["detail"] for r in response.json()["results"]]
    assert details == ["not passed", "passed"]
    result = CheckResult.objects.get()
    assert result.tries == 2 and result.passed_at is not None


def test_the_check_speaks_arabic(client, trainee, make_lesson, api):
    from django.utils import translation

    lesson = make_lesson(reveal="never")
    wrong(api, lesson)
    client.force_login(trainee)
    with translation.override("ar"):
        html = client.get(lesson.url, HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert "تلميح" in html and "تلميح أول" in html
    assert "يبيّن هذا الاختبار هل نجحت، لا أي الإجابات كانت صحيحة." in html


def test_the_block_accepts_its_policy_fields():
    from content.blocks import KnowledgeCheckBlock

    block = KnowledgeCheckBlock()
    value = block.to_python(fair_block(reveal="never")["value"])
    cleaned = block.clean(value)
    assert cleaned["reveal"] == "never"
    assert cleaned["questions"][1]["shuffle"] is False
    assert list(cleaned["questions"][0]["hints"]) == ["تلميح أول", "تلميح ثان"]
