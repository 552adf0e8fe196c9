"""Issue 9's main journey, in real Chromium against the demo data (`seed_demo`).

A new trainee signs up with her national ID, enrols in the tailoring course, watches
the lesson video (HLS through hls.js), passes the knowledge checks, chats with the
instructor in a live class, takes the skill test and resumes it after a reload; the
assessor scores her practical test (a slip: a fail, confirmed from its summary), a
second assessor corrects it with a reason, a ministry staff member approves the
certificate, and the verification link the product gives her says it is valid.

One test, in the order the story needs; each step is a function below. What the test
must know that the page never shows (the right answers) comes from the demo content
itself: courses' seed data and the question bank file assessments seeds from.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.utils import translation

from tests.e2e.conftest import assert_accessible
from tests.e2e.journeys import EASTERN, NewTrainee, log_in, new_trainee, sign_up
from tests.factories import make_national_id

pytestmark = pytest.mark.e2e

TRADE_SLUG = "tailoring"
EXAM_SLUG = "tailoring-skilled"
ESSAY_TEXT = "أفك الإبرة وأنظف المكوك ثم أضبط توقيته مع الإبرة وأجرب على قطعة قماش."


def ar(message: str) -> str:
    """The Arabic the product shows for one of its English source strings."""
    with translation.override("ar"):
        return translation.gettext(message)


def course_curriculum():
    from courses.seed_data import CURRICULA

    return next(c for c in CURRICULA if c.trade_slug == TRADE_SLUG)


def check_answers_by_lesson_title() -> dict[str, list[tuple[list[str], list[str]]]]:
    """Lesson title → each knowledge-check question's (right, wrong) choice texts
    (the page shows the choices in each try's own order: they are found by text)."""
    return {
        lesson.title: [(list(q.right), list(q.wrong)) for q in lesson.questions]
        for module in course_curriculum().modules
        for lesson in module.lessons
    }


def choose(form, index: int, text: str) -> None:
    """Tick the choice of question `index` that reads `text`."""
    label = form.locator(f"fieldset[data-q='{index}'] label").filter(
        has=form.page.get_by_text(text, exact=True)
    )
    label.locator("input").check()


def exam_key() -> dict[str, tuple[str, dict]]:
    """Question stem → (kind, definition) from the bank file the demo exam uses."""
    from assessments.importers import ParsedQuestion, parse_file
    from assessments.seeding import DATA, DEMO

    demo = next(d for d in DEMO if d["slug"] == EXAM_SLUG)
    path = DATA / demo["file"]
    return {
        q.stem.strip(): (q.kind, q.data)
        for q in parse_file(name=path.name, content=path.read_bytes())
        if isinstance(q, ParsedQuestion)
    }


# --- the trainee learns ---------------------------------------------------------------
def enrol(page, shot) -> str:
    info = course_curriculum().course
    page.goto("/catalog/")
    page.get_by_role("link", name=info.title).first.click()
    page.wait_for_selector("form[action*='enrol'] button")
    page.click("form[action*='enrol'] button")
    page.wait_for_selector("form[action*='leave']")
    shot(page, "enrolled")
    assert_accessible(page)
    return page.url


def watch_the_video(page, shot) -> None:
    """HLS plays through hls.js (MSE): currentTime advances to the end, captions on."""
    video = page.locator("[data-mp-player] video")
    video.wait_for()
    assert video.locator("track[kind=captions][srclang=ar]").count() == 1
    shot(page, "lesson")
    assert_accessible(page)
    video.scroll_into_view_if_needed()
    with page.expect_response(
        lambda r: (
            "/progress/events/" in r.url
            and r.request.method == "POST"
            and '"heartbeat"' in (r.request.post_data or "")
        ),
        timeout=40_000,  # the whole clip plays inside this block
    ) as beat:
        # hls.js is fetched only now, on the play button, from the keyboard
        assert not page.evaluate("() => Boolean(window.Hls)")
        page.get_by_role("button", name="تشغيل الفيديو").focus()
        page.keyboard.press("Enter")
        page.wait_for_function(
            "() => document.querySelector('[data-mp-player] video').currentTime > 1"
        )
        assert page.evaluate(
            "() => [document.querySelector('[data-mp-player] video').dataset.mode,"
            " Boolean(window.Hls && window.Hls.isSupported())]"
        ) == ["hls", True]
        shot(page, "video-playing")
        page.wait_for_function(
            "() => document.querySelector('[data-mp-player] video').ended",
            timeout=30_000,
        )
    assert beat.value.ok, beat.value.text()
    assert all(r["accepted"] for r in beat.value.json()["results"]), beat.value.text()


def pass_the_check(
    page, answers: list[tuple[list[str], list[str]]], *, first_wrong=False
) -> None:
    """Answer on the page; the server scores it and the outcome appears in place.
    A first wrong try is answered with "not passed" only (the demo checks say which
    answers were right from the third try), and the form then shows the next try."""
    form = page.locator("form.kc")
    url = page.url
    if first_wrong:
        choose(form, 0, answers[0][1][0])
        with page.expect_response(lambda r: "/checks/" in r.url) as tried:
            form.locator("button[type=submit]").click()
        body = tried.value.json()
        assert body["passed"] is False and body["score_pct"] is None
        assert all(r["correct"] is None for r in body["results"])
        form.locator(".score").filter(
            has_text=ar("Not passed yet: try again.")
        ).wait_for()
        assert form.locator(".fb.no").count() == 0  # no verdict per question
        assert form.get_attribute("data-attempt") == "1"  # the next try's order
    for index, (right, _wrong) in enumerate(answers):
        for text in right:
            choose(form, index, text)
    with page.expect_response(lambda r: "/checks/" in r.url) as checked:
        form.locator("button[type=submit]").click()
    assert checked.value.json()["passed"] is True
    form.locator(".score").filter(has_text=ar("passed")).wait_for()
    assert form.locator(".fb.no").count() == 0
    assert page.url == url  # instant feedback, no page load


def finish_the_course(page, shot) -> None:
    """The remaining lessons: open each one and pass its check (the exam needs it)."""
    answers = check_answers_by_lesson_title()
    while page.locator("a[rel=next]").count():
        page.click("a[rel=next]")
        page.wait_for_selector("form.kc")
        title = page.locator("h1").inner_text().replace("✔", "").strip()
        pass_the_check(page, answers[title])
    page.click("nav.crumbs a")
    bar = page.locator("progress.progress")
    bar.wait_for()
    assert bar.get_attribute("value") == "100"
    shot(page, "course-complete")


# --- the live class -----------------------------------------------------------------
def schedule_a_class(page, course_title: str) -> str:
    """The instructor schedules a class starting in 10 minutes: the join window
    (15 minutes before the start) is open at once."""
    log_in(page, "instructor")
    page.goto("/classes/new/")
    starts = dt.datetime.now(ZoneInfo(settings.TIME_ZONE)) + dt.timedelta(minutes=10)
    page.select_option("#id_course", label=course_title)
    page.fill("#id_title", "مراجعة الغرز قبل الاختبار")
    page.fill("#id_starts_at", starts.strftime("%Y-%m-%dT%H:%M"))
    page.click("main button[type=submit]")
    page.wait_for_selector("#classroom")
    return page.url


def wait_connected(page) -> None:
    page.wait_for_function(
        "() => document.querySelector('[data-status]').textContent === "
        "JSON.parse(document.getElementById('classroom-strings').textContent)"
        ".connected"
    )


def say(page, text: str) -> None:
    page.fill("#chat-text", text)
    page.press("#chat-text", "Enter")


def chat_in_the_live_class(page, teacher, class_url: str, shot) -> None:
    page.goto("/dashboard/")
    page.click(f"ul.classes a[href$='{urlsplit(class_url).path}']")
    page.wait_for_selector("#classroom")
    wait_connected(page)
    wait_connected(teacher)
    question = "السلام عليكم، هل نراجع غرزة الزجزاج اليوم؟"
    say(page, question)
    teacher.locator("[data-chat] li", has_text=question).wait_for()
    answer = "وعليكم السلام، نعم بعد خمس دقائق."
    say(teacher, answer)
    page.locator("[data-chat] li", has_text=answer).wait_for()
    assert page.locator("[data-chat] li", has_text=question).count() == 1
    # each line says when it was sent, in Cairo time (HH:MM)
    sent = page.locator("[data-chat] li", has_text=question).locator("time")
    assert re.fullmatch(r"\d\d:\d\d", sent.inner_text())
    assert sent.get_attribute("datetime")
    shot(page, "live-class-chat")
    shot(teacher, "live-class-chat-instructor")


# --- the skill test -----------------------------------------------------------------
def answer(page, key: dict) -> str:
    """Answer the question on the page correctly; returns its kind."""
    form = page.locator("form.question")
    stem = form.locator("legend.stem").inner_text().strip()
    kind, data = key[stem]
    assert form.get_attribute("data-kind") == kind
    if kind in ("single_choice", "multiple_response"):
        for option in data["options"]:
            if option["fraction"] > 0:
                form.locator("label.opt", has_text=option["text"]).locator(
                    "input"
                ).check()
    elif kind == "true_false":
        form.locator(f"input[value='{str(data['answer']).lower()}']").check()
    elif kind == "numeric":
        value = f"{data['answers'][0]['value']:g}".replace(".", "٫")
        form.locator("#resp").fill(value.translate(EASTERN))
    elif kind == "matching":
        for pair in data["pairs"]:
            form.get_by_label(pair["prompt"], exact=True).select_option(pair["answer"])
    elif kind == "short_answer":
        form.locator("#resp").fill(data["answers"][0]["text"])
    elif kind == "essay":
        form.locator("#resp").fill(ESSAY_TEXT)
    else:
        raise AssertionError(f"the journey cannot answer a {kind} question yet")
    return kind


def attempt_state(page, attempt_id: str) -> dict:
    response = page.request.get(f"/api/v1/assessments/attempts/{attempt_id}/")
    assert response.ok, response.text()
    return response.json()


def take_the_exam(page, shot) -> tuple[str, bool]:
    """Start, answer, reload mid-way (answers and deadline kept), submit.
    Returns the attempt id and whether an essay waits for an assessor."""
    key = exam_key()
    page.goto("/exams/")
    page.click(f"a[href$='/exams/{EXAM_SLUG}/']")
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/exams/attempts/\d+/q/1/$"))
    attempt_id = re.search(r"/attempts/(\d+)/", page.url).group(1)
    assert_accessible(page)

    with page.expect_response(lambda r: "/answers/1/" in r.url) as saved:
        kinds = [answer(page, key)]
        if kinds[0] in ("numeric", "short_answer", "essay"):
            page.locator("#resp").blur()
    assert saved.value.ok, saved.value.text()
    before = attempt_state(page, attempt_id)
    remaining_before = int(page.locator(".timer").get_attribute("data-remaining"))
    shot(page, "exam-answered-before-reload")

    page.reload()
    after = attempt_state(page, attempt_id)
    assert after["deadline_at"] == before["deadline_at"]
    assert after["items"][0]["response"] == before["items"][0]["response"]
    assert after["items"][0]["response"] not in (None, "", [], {})
    assert int(page.locator(".timer").get_attribute("data-remaining")) <= (
        remaining_before
    )
    shot(page, "exam-after-reload")

    total = len(after["items"])
    for position in range(1, total + 1):
        if position > 1:
            kinds.append(answer(page, key))
        page.click("form.question button.primary")
        following = rf"/q/{position + 1}/$" if position < total else r"/review/$"
        page.wait_for_url(re.compile(following))
    assert ar("You answered every question.") in page.locator("main").inner_text()
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/result/$"))
    shot(page, "exam-submitted")
    return attempt_id, "essay" in kinds


def see_the_review(page, key: dict) -> None:
    """Once submitted, the result page reviews each answer with what the author
    wrote for it (the demo bank's tail-01 and tail-02 carry feedback, and the exam
    draws at least one of them: three of the four questions of their category)."""
    page.locator("section.review").first.wait_for()
    text = page.locator("main").inner_text()
    drawn = [stem for stem in key if stem in text]
    assert drawn, "the review names the questions answered"
    shown_feedback = page.locator("section.review .feedback").all_inner_texts()
    assert shown_feedback, "the author's feedback for the answers given"
    for stem in drawn:
        kind, data = key[stem]
        for option in data.get("options", []):
            if option["fraction"] > 0 and option.get("feedback"):
                assert option["feedback"] in text, option


# --- the assessor and the ministry ----------------------------------------------------
def grade_the_essay(page) -> None:
    log_in(page, "assessor")
    page.goto("/grading/")
    card = page.locator("form.card", has_text=ESSAY_TEXT)
    card.locator("input[name=percent]").fill("١٠٠")
    card.locator("button[type=submit]").click()
    page.locator("form.card", has_text=ESSAY_TEXT).wait_for(state="detached")


def attach_a_photo(page) -> None:
    """The tablet's photo goes to the private store; the page shows it through the
    checked view (a broken image would mean the assessor cannot see her own photo)."""
    import io
    import tempfile

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "#a33").save(buffer, "JPEG")
    with tempfile.NamedTemporaryFile(suffix=".jpg") as photo:
        photo.write(buffer.getvalue())
        photo.flush()
        page.set_input_files("#id_image", photo.name)
        page.fill("#id_caption", "الخياطة بعد الكي")
        page.click("button[name=upload]")
    image = page.locator("figure img[alt='الخياطة بعد الكي']")
    image.wait_for(state="attached")
    src = image.get_attribute("src")
    assert "/practical/evidence/" in src
    answer = page.request.get(src)  # with the assessor's session
    assert answer.status == 200 and answer.headers["content-type"] == "image/jpeg"
    assert "no-store" in answer.headers["cache-control"]
    image.scroll_into_view_if_needed()  # loading="lazy"
    assert image.evaluate("(img) => img.decode().then(() => img.naturalWidth)") == 64


def score_the_practical(page, trainee: NewTrainee, shot) -> str:
    if "/accounts/login/" in page.url or page.url == "about:blank":
        log_in(page, "assessor")
    page.goto("/practical/")
    page.fill("#id_trainee", trainee.phone.translate(EASTERN))
    rubric = page.locator("#id_rubric option", has_text="الخياط").first
    page.select_option("#id_rubric", value=rubric.get_attribute("value"))
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r"/practical/\d+/$"))
    attach_a_photo(page)
    # A slip: the lowest level everywhere (a fail). It stays a draft until the
    # assessor confirms its summary, and once confirmed only another can correct it.
    for fieldset in page.locator("form.rubric fieldset").all():
        fieldset.locator("label.opt").last.locator("input").check()
    page.click("form.rubric button[name=submit]")
    page.wait_for_url(re.compile(r"/practical/\d+/summary/$"))
    shot(page, "practical-summary")
    page.click("button[name=confirm]")
    page.wait_for_url(re.compile(r"/practical/\d+/result/$"))
    assert page.locator("form.rubric").count() == 0  # not theirs to correct
    shot(page, "practical-scored")
    return page.url


def correct_the_practical(page, result_url: str, shot) -> None:
    """A second assessor corrects the score, with a reason kept on the test's page."""
    log_in(page, "assessor2")
    page.goto(result_url)
    form = page.locator("form.rubric")
    for fieldset in form.locator("fieldset").all():
        fieldset.locator("label.opt").first.locator("input").check()
    reason = "الدرجات أدخلت في الخانة الخطأ؛ راجعت الصور مع المقيم الأول."
    form.locator("textarea[name=reason]").fill(reason)
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/practical/\d+/result/$"))
    history = page.locator("ol.history").inner_text()
    assert reason in history and "ليلى مراد" in history
    shot(page, "practical-corrected")


def approve_the_certificate(page, trainee: NewTrainee, shot) -> None:
    log_in(page, "staff")
    page.goto("/registry/pending/")
    row = page.locator("tbody tr", has_text=trainee.full_name_ar)
    assert trainee.national_id in row.inner_text()  # staff check who it is for
    shot(page, "pending-certificate")
    row.get_by_role("link", name=ar("Review and approve")).click()
    # the evidence the approver weighs, then a confirmation before it is issued
    page.wait_for_url(re.compile(r"/registry/certificates/.+/approve/$"))
    assert ar("Practical test scores") in page.locator("main").inner_text()
    shot(page, "approval-evidence")
    page.get_by_label(ar("I have read the evidence and confirm the approval.")).check()
    page.get_by_role("button", name=ar("Approve and issue")).click()
    page.wait_for_url(re.compile(r"/registry/pending/$"))
    assert page.locator("tbody tr", has_text=trainee.full_name_ar).count() == 0
    shot(page, "approved")


def qr_link_of_the_downloaded_pdf(page) -> str:
    """Download the certificate PDF as the holder does and read its QR code as a phone
    camera would: the page rendered to an image, the code decoded from the pixels."""
    import pypdfium2
    import zxingcpp

    with page.expect_download() as download:
        page.get_by_role("link", name=ar("Download the certificate (PDF)")).click()
    pdf = pypdfium2.PdfDocument(Path(download.value.path()).read_bytes())
    codes = zxingcpp.read_barcodes(pdf[0].render(scale=2).to_pil())
    assert len(codes) == 1, codes
    return codes[0].text


def verify_the_certificate(page, shot) -> None:
    page.goto("/certificates/")
    link = page.locator("input[id^='link-']").input_value()
    shot(page, "my-certificate")
    url = qr_link_of_the_downloaded_pdf(page)
    # the QR carries the shareable link plus the signed token for offline checks
    assert url.startswith(link + "?t=")
    page.goto(url)
    result = page.locator("#result")
    assert result.inner_text() == ar("Valid certificate")
    assert "ok" in result.get_attribute("class")
    assert_accessible(page)
    shot(page, "verified")


def test_trainee_learns_passes_and_holds_a_certificate_anyone_can_verify(
    page, new_context, shot
):
    course = course_curriculum()
    trainee = new_trainee()
    trainee = NewTrainee(
        full_name_ar="ليلى حسن الشامي",
        national_id=make_national_id(gender="female"),  # a women-only course
        phone=trainee.phone,
        password=trainee.password,
    )

    sign_up(page, trainee, shot)
    course_url = enrol(page, shot)
    first_lesson = course.modules[0].lessons[0].title
    page.get_by_role("link", name=first_lesson).first.click()
    watch_the_video(page, shot)
    pass_the_check(
        page, check_answers_by_lesson_title()[first_lesson], first_wrong=True
    )
    shot(page, "check-passed")
    page.reload()
    assert page.locator("h1 .done").count() == 1  # video watched + check passed

    teacher = new_context().new_page()
    class_url = schedule_a_class(teacher, course.course.title)
    chat_in_the_live_class(page, teacher, class_url, shot)

    page.goto(course_url)
    page.get_by_role("link", name=first_lesson).first.click()
    finish_the_course(page, shot)

    attempt_id, essay = take_the_exam(page, shot)
    assessor = new_context().new_page()
    if essay:
        grade_the_essay(assessor)
    page.goto(f"/exams/attempts/{attempt_id}/result/")
    assert ar("Passed") in page.locator("main .card strong").inner_text()
    see_the_review(page, exam_key())
    shot(page, "exam-passed")
    result_url = score_the_practical(assessor, trainee, shot)
    correct_the_practical(new_context().new_page(), result_url, shot)

    approve_the_certificate(new_context().new_page(), trainee, shot)
    verify_the_certificate(page, shot)
