"""Offline lessons in a real browser, against the real courses endpoints.

A trainee enrolled in a demo course saves a lesson (its page, the offline MP4 of its
video, the poster and captions, from courses' offline manifest), loses the connection,
opens the lesson from the phone, watches the video and answers the knowledge check;
when the connection is back the outbox (lms/static/lms/offline.js) sends that progress
to courses' batch endpoint and the server applies it.
"""

from __future__ import annotations

import json
import re
import subprocess

import pytest

from tests.e2e.harness import manage_on
from tests.e2e.journeys import sign_up, wait_for_service_worker
from tests.e2e.pages import LESSON_PATH, MODULE_PATH, enrol

pytestmark = pytest.mark.e2e

OTHER_LESSON_PATH = MODULE_PATH + "refrigerant-safety/"
SYNC_URL = "/api/v1/progress/events/"
CAPTIONS = "WEBVTT\n\n00:00.000 --> 00:05.000\nافصل الكهرباء قبل فتح الجهاز.\n"

# Runs inside the e2e server's environment (manage.py shell): give the demo lesson a
# processed video (unless seed_demo already did) and say what the test needs to know.
SETUP_LESSON = """
import json, uuid
from courses.models import LessonPage
from media_pipeline.selectors import video_asset_get
from media_pipeline.services import caption_set, video_asset_ingest

lesson = LessonPage.objects.get(url_path__endswith="{lesson_path}")
ready = [
    a for a in lesson.video_asset_ids()
    if (d := video_asset_get(asset_id=a)) and d.offline_mp4_url
]
if not ready:
    data = video_asset_ingest(file_path="{clip}", title="فيديو الدرس", run_now=True)
    caption_set(asset_id=data.id, language="ar", label="العربية",
                file_name="ar.vtt", data={captions!r}.encode())
    body = list(lesson.body.raw_data)
    body.insert(1, {{"type": "video", "id": str(uuid.uuid4()),
                     "value": {{"video": data.id, "caption": ""}}}})
    lesson.body = body
    lesson.save_revision().publish()
    ready = [data.id]
lesson = LessonPage.objects.get(pk=lesson.pk)
checks = {{}}
for block in lesson.body:
    if block.block_type == "knowledge_check":
        checks[block.id] = [
            [c["text"] for c in q["choices"] if c["correct"]]
            for q in block.value["questions"]
        ]
print(json.dumps({{"lesson_id": lesson.pk, "asset_id": ready[0], "checks": checks}}))
"""

PROGRESS_OF = """
import json
from django.contrib.auth import get_user_model
from courses.models import CheckResult, LessonProgress, ProgressEvent, VideoProgress
user = get_user_model().objects.get(phone="{phone}")
opened = LessonProgress.objects.filter(user=user, lesson_id={lesson_id}).first()
print(json.dumps({{
    "watched_s": [v.watched_s for v in VideoProgress.objects.filter(user=user)],
    "check_scores": [c.best_score_pct for c in CheckResult.objects.filter(user=user)],
    "events": sorted(
        (e.kind, e.accepted) for e in ProgressEvent.objects.filter(user=user)
    ),
    "last_opened_after_first": bool(
        opened and opened.last_opened_at > opened.opened_at
    ),
    "lesson_completed": bool(opened and opened.completed_at),
}}))
"""


@pytest.fixture(scope="package")
def video_lesson(server_url, tmp_path_factory) -> dict:
    """The demo lesson with a small processed video and an Arabic caption track."""
    clip = tmp_path_factory.mktemp("clip") / "electrical-safety.mp4"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-f", "lavfi", "-i",
         "testsrc=size=320x240:rate=15:duration=6", "-f", "lavfi", "-i",
         "sine=frequency=440:duration=6", "-c:v", "libx264", "-pix_fmt", "yuv420p",
         "-c:a", "aac", "-shortest", str(clip)],
        check=True,
    )  # fmt: skip
    code = SETUP_LESSON.format(lesson_path=LESSON_PATH, clip=clip, captions=CAPTIONS)
    output = manage_on(server_url, "shell", "-c", code)
    return json.loads(output.strip().splitlines()[-1])


def pending(page) -> int:
    return page.evaluate("async () => (await maharatOffline.pending()).length")


def test_saved_lesson_plays_offline_and_its_progress_reaches_the_server(
    page, context, server_url, video_lesson, shot
):
    trainee = sign_up(page)
    enrol(page)
    page.goto(LESSON_PATH)
    wait_for_service_worker(page)
    shot(page, "lesson-online")

    assert page.locator("[data-offline-confirm]").is_hidden()
    page.click("[data-offline-save]")
    status = page.locator("[data-offline-status]")
    status.filter(has_text=re.compile(r"[\d٠-٩]")).wait_for()  # the size, before saving
    shot(page, "size-before-saving")
    page.click("[data-offline-confirm]")
    page.wait_for_selector("[data-offline-remove]:not([hidden])", timeout=30_000)
    shot(page, "saved")

    context.set_offline(True)
    page.goto(LESSON_PATH)  # from the phone's copy: the network is gone
    assert page.locator("#offline-status").is_visible()
    assert page.locator("article#lesson h1").is_visible()
    page.wait_for_function("() => document.querySelector('video').dataset.mode")
    assert page.eval_on_selector("video", "v => v.dataset.mode") == "mp4"
    shot(page, "lesson-offline")

    page.eval_on_selector("video", "v => { v.muted = true; return v.play(); }")
    page.wait_for_function(
        "() => document.querySelector('video').currentTime > 2", timeout=20_000
    )
    page.wait_for_function(
        "() => document.querySelector('video track').readyState === 2"
    )  # the caption track loaded from the saved copy
    shot(page, "video-playing-offline")
    page.wait_for_function(
        "() => document.querySelector('video').ended", timeout=20_000
    )

    (block_id, answers), *_ = video_lesson["checks"].items()
    form = page.locator(f"form.kc[data-check='{block_id}']")
    for question, texts in enumerate(answers):  # by text: each try has its order
        for text in texts:
            form.locator(f"fieldset[data-q='{question}'] label").filter(
                has=page.get_by_text(text, exact=True)
            ).locator("input").check()
    form.locator("button[type=submit]").click()
    form.locator(".score").filter(has_text=re.compile(".+")).wait_for()
    queued_text = form.locator(".score").inner_text()
    page.wait_for_function(
        "async () => (await maharatOffline.pending()).length >= 3"
    )  # opened offline, watched, answered
    shot(page, "progress-queued-offline")

    context.set_offline(False)
    page.wait_for_function(
        "async () => (await maharatOffline.pending()).length === 0", timeout=20_000
    )
    # the answer's result on the same page as soon as it is scored, without a reload
    synced = form.locator(".score[data-synced='1']")
    synced.wait_for(timeout=10_000)
    assert synced.inner_text().strip() not in ("", queued_text)  # "100" or "passed"
    shot(page, "answer-scored-after-sync")
    progress = json.loads(
        manage_on(
            server_url,
            "shell",
            "-c",
            PROGRESS_OF.format(
                phone=trainee.phone, lesson_id=video_lesson["lesson_id"]
            ),
        )
        .strip()
        .splitlines()[-1]
    )
    events = {tuple(event) for event in progress["events"]}
    assert {("open", True), ("heartbeat", True), ("answer", True)} <= events
    assert progress["last_opened_after_first"]
    assert progress["watched_s"] and progress["watched_s"][0] >= 5
    assert progress["check_scores"] == [100]
    assert progress["lesson_completed"]
    page.reload()
    assert page.locator("article#lesson h1 .done").is_visible()
    shot(page, "synced-online")

    page.goto("/dashboard/")
    saved = page.locator("[data-offline-saved-list] li")
    assert saved.count() == 1
    saved.locator("button").click()
    page.wait_for_selector("[data-offline-saved-empty]", state="visible")
    assert page.evaluate("() => maharatOffline.list().length") == 0
    assert not page.evaluate(
        "async (path) => Boolean(await caches.match(new URL(path, location.href)))",
        LESSON_PATH,
    )
    shot(page, "removed-from-dashboard")


def test_saved_module_opens_each_lesson_offline(page, context, shot):
    trainee = sign_up(page)
    enrol(page)
    page.goto(MODULE_PATH)
    wait_for_service_worker(page)
    page.click("[data-offline-save]")
    page.click("[data-offline-confirm]")
    page.wait_for_selector("[data-offline-remove]:not([hidden])", timeout=30_000)
    shot(page, "module-saved")
    context.set_offline(True)
    page.goto(OTHER_LESSON_PATH)  # never opened online: saved with its module
    assert page.locator("article#lesson h1").is_visible()
    shot(page, "other-lesson-offline")
    page.goto("/offline/")
    assert page.locator("[data-offline-saved-list] li").count() == 1
    # the offline page (the worker's copy, the same for everyone) says who is signed in
    signed_in = page.locator("[data-offline-who-in]")
    signed_in.wait_for()
    assert trainee.full_name_ar in signed_in.inner_text()
    assert page.locator("[data-offline-who-out]").is_hidden()
    shot(page, "offline-page-signed-in")


def test_trainee_not_enrolled_sees_no_save_button(page):
    sign_up(page)
    page.goto(LESSON_PATH)
    assert page.locator("[data-offline-manifest]").count() == 0
    status = page.evaluate(
        "async (url) => (await fetch(url)).status",
        "/api/v1/lessons/0/offline-manifest/",
    )
    assert status == 404


def test_progress_stays_queued_while_the_server_refuses_it(page):
    page.route("**" + SYNC_URL, lambda route: route.fulfill(status=503))
    sign_up(page)
    page.evaluate(
        "([url]) => maharatOffline.queueProgress({kind: 'open', lesson_id: 7}, url)",
        [SYNC_URL],
    )
    page.evaluate("() => maharatOffline.flush()")
    assert pending(page) == 1


def test_a_captive_portal_page_answering_200_keeps_the_progress(page):
    page.route(
        "**" + SYNC_URL,
        lambda route: route.fulfill(status=200, body="<html>Wi-Fi login</html>"),
    )
    sign_up(page)
    page.evaluate(
        "([url]) => maharatOffline.queueProgress({kind: 'open', lesson_id: 7}, url)",
        [SYNC_URL],
    )
    page.evaluate("() => maharatOffline.flush()")
    assert pending(page) == 1


def test_events_of_one_trainee_are_never_sent_in_another_trainees_session(page):
    batches = []
    page.route("**" + SYNC_URL, lambda route: batches.append(1) or route.abort())
    sign_up(page)
    page.context.set_offline(True)
    page.evaluate(
        "([url]) => maharatOffline.queueProgress({kind: 'open', lesson_id: 7}, url)",
        [SYNC_URL],
    )
    page.context.set_offline(False)
    page.evaluate("() => maharatOffline.flush()")  # the link drops again: kept
    page.context.clear_cookies()
    batches.clear()
    sign_up(page)  # a second trainee on the same phone
    page.evaluate("() => maharatOffline.flush()")
    assert batches == []
    assert pending(page) == 1


def test_signing_out_forgets_the_lessons_this_trainee_saved(page, shot):
    """A shared phone: the saved pages carry the trainee's name and progress."""
    sign_up(page)
    enrol(page)
    page.goto(LESSON_PATH)
    wait_for_service_worker(page)
    page.click("[data-offline-save]")
    page.click("[data-offline-confirm]")
    page.wait_for_selector("[data-offline-remove]:not([hidden])", timeout=30_000)
    assert page.evaluate("() => maharatOffline.list().length") == 1
    with page.expect_navigation():
        _log_out(page)
    assert "/dashboard/" not in page.url
    assert page.evaluate("() => maharatOffline.list().length") == 0
    assert not page.evaluate(
        "async (path) => Boolean(await caches.match(new URL(path, location.href)))",
        LESSON_PATH,
    )
    shot(page, "signed-out-nothing-saved")
    page.goto("/offline/")
    page.locator("[data-offline-who-out]").wait_for()  # signed out: nobody named
    sign_up(page)  # the next trainee on the phone finds nothing of the first
    page.goto("/offline/")
    assert page.locator("[data-offline-saved-list] li").count() == 0


RETITLE = """
from courses.models import LessonPage
lesson = LessonPage.objects.get(url_path__endswith="{path}")
lesson.title = "{title}"
lesson.save_revision().publish()
"""
SAVED_COPY = """async (path) => {
    const saved = await caches.match(new URL(path, location.href));
    if (!saved) return null;
    const html = await saved.text();
    return {user: /data-user="(\\d*)"/.exec(html)[1],
            title: new DOMParser().parseFromString(html, "text/html")
                     .querySelector("article#lesson h1").textContent.trim()};
}"""
VIEWER = "() => document.querySelector('script[data-user]').dataset.user"


def test_a_saved_lesson_opened_online_is_kept_fresh_for_its_trainee_only(
    page, server_url, shot
):
    """The phone's copy follows the page as its trainee last saw it online; another
    trainee's visit never replaces it with their page."""

    def retitle(title: str) -> None:
        code = RETITLE.format(path=OTHER_LESSON_PATH, title=title)
        manage_on(server_url, "shell", "-c", code)

    sign_up(page)
    enrol(page)
    page.goto(OTHER_LESSON_PATH)
    original = page.locator("article#lesson h1").inner_text().strip()
    owner = page.evaluate(VIEWER)
    wait_for_service_worker(page)
    page.click("[data-offline-save]")
    page.click("[data-offline-confirm]")
    page.wait_for_selector("[data-offline-remove]:not([hidden])", timeout=30_000)
    try:
        retitle("عنوان محدث")
        page.goto(OTHER_LESSON_PATH)  # online: the worker stores this copy
        page.wait_for_function(
            f"async (path) => ((await ({SAVED_COPY})(path)) || {{}}).title"
            " === 'عنوان محدث'",
            arg=OTHER_LESSON_PATH,
        )
        retitle("عنوان ثالث")
        page.context.clear_cookies()
        sign_up(page)  # another trainee on the phone opens the same lesson online
        enrol(page)
        page.goto(OTHER_LESSON_PATH)
        assert page.evaluate(VIEWER) != owner
        page.wait_for_timeout(1500)  # time enough for a wrong refresh to land
        copy = page.evaluate(SAVED_COPY, OTHER_LESSON_PATH)
        assert copy == {"user": owner, "title": "عنوان محدث"}
        page.context.set_offline(True)
        page.goto(OTHER_LESSON_PATH)
        assert page.locator("article#lesson h1").inner_text().strip() == "عنوان محدث"
        shot(page, "fresh-saved-copy-offline")
    finally:
        page.context.set_offline(False)
        retitle(original)


def _log_out(page) -> None:
    """Log out as a person does at any width: the phone's menu holds the button."""
    button = page.locator("details.menu form[action$='/logout/'] button")
    if not button.is_visible():
        page.click("details.menu > summary")
    button.click()
