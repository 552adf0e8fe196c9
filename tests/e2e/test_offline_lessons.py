"""The offline-lessons module (lms/static/lms/offline.js) in a real browser.

No lesson page exists yet (courses builds it), so the widget is placed on a shell page
the way the lesson template will place it, with a manifest naming real URLs. The
courses batch endpoint does not exist yet either: the browser's POSTs to it are
answered by Playwright, with the documented response shape.
"""

import json
import re
from urllib.parse import quote

import pytest

from tests.e2e.journeys import sign_up, wait_for_service_worker

pytestmark = pytest.mark.e2e

SYNC_URL = "/api/v1/e2e-progress-batch/"


def place_widget(page, manifest: dict) -> None:
    """Insert the save widget as templates/pwa/save_offline.html renders it."""
    url = "data:application/json," + quote(json.dumps(manifest))
    page.evaluate(
        """([url, key]) => {
          const box = document.createElement('div');
          box.className = 'offline-save';
          box.dataset.offlineManifest = url;
          box.dataset.offlineKey = key;
          box.dataset.msgSize = 'size {size}';
          box.dataset.msgSaved = 'saved {size}';
          box.dataset.msgSaving = 'saving';
          box.dataset.msgRemoved = 'removed';
          box.dataset.msgFailed = 'failed';
          box.innerHTML = '<button type=button data-offline-save>save</button>' +
            '<button type=button data-offline-confirm hidden>confirm</button>' +
            '<button type=button data-offline-remove hidden>remove</button>' +
            '<p data-offline-status role=status></p>';
          document.querySelector('main').prepend(box);
          maharatOffline.initWidget(box);
        }""",
        [url, manifest["key"]],
    )


def test_saved_lesson_opens_offline_and_removing_it_frees_it(page, context, shot):
    page.goto("/accounts/login/")
    wait_for_service_worker(page)
    manifest = {
        "key": "lesson:e2e",
        "title": "درس الخياطة الأول",
        "page_url": "/accounts/password-reset/",
        "urls": ["/static/pwa/icon-512.png", "/manifest.webmanifest"],
        "size_bytes": 2_500_000,
    }
    place_widget(page, manifest)
    page.click("[data-offline-save]")
    status = page.locator("[data-offline-status]")
    assert re.search(r"(2\.5|٢٫٥)", status.inner_text())  # the size, before saving
    shot(page, "size-before-saving")
    page.click("[data-offline-confirm]")
    page.wait_for_selector("[data-offline-remove]:not([hidden])")
    shot(page, "saved")

    context.set_offline(True)
    page.goto("/accounts/password-reset/")
    assert page.locator("#id_email").is_visible()  # the saved page, not the fallback
    ranged = page.evaluate(
        """async () => {
          const r = await fetch('/manifest.webmanifest',
                                {headers: {Range: 'bytes=2-11'}});
          return [r.status, (await r.arrayBuffer()).byteLength,
                  r.headers.get('Content-Range')];
        }"""
    )
    assert ranged[:2] == [206, 10]  # how a saved video is played back offline
    assert ranged[2].startswith("bytes 2-11/")
    page.goto("/offline/")
    saved = page.locator("[data-offline-saved-list] a")
    assert saved.inner_text() == manifest["title"]
    shot(page, "offline-list")

    page.click("[data-offline-saved-list] button")
    page.wait_for_selector("[data-offline-saved-empty]", state="visible")
    assert page.evaluate("() => maharatOffline.list().length") == 0
    page.goto("/accounts/password-reset/")
    assert page.locator("h1").inner_text() == "أنت غير متصل بالإنترنت"
    shot(page, "removed")


def test_progress_made_offline_is_sent_in_one_batch_when_back_online(page, context):
    batches = []

    def answer(route):
        body = json.loads(route.request.post_data)
        batches.append((body, route.request.headers))
        ids = [event["id"] for event in body["events"]]
        route.fulfill(json={"accepted": ids, "duplicates": [], "rejected": []})

    page.route("**" + SYNC_URL, answer)
    sign_up(page)
    wait_for_service_worker(page)
    context.set_offline(True)
    for position in (10, 20, 30):
        page.evaluate(
            "([url, s]) => maharatOffline.queueProgress("
            "{kind: 'video_progress', lesson_id: 7, watched_s: s}, url)",
            [SYNC_URL, position],
        )
    assert page.evaluate("async () => (await maharatOffline.pending()).length") == 3
    assert batches == []

    with page.expect_event("console", lambda m: "synced" in m.text) as _:
        page.evaluate(
            "() => document.addEventListener('maharat:outbox-synced', "
            "e => e.detail.sent && console.log('synced', e.detail.sent))"
        )
        context.set_offline(False)
    body, headers = batches[0]
    assert [e["watched_s"] for e in body["events"]] == [10, 20, 30]
    assert len({e["id"] for e in body["events"]}) == 3
    assert all(e["occurred_at"].endswith("Z") for e in body["events"])
    assert headers["x-csrftoken"]
    assert page.evaluate("async () => (await maharatOffline.pending()).length") == 0


def test_progress_stays_queued_while_the_server_refuses_it(page, context):
    page.route("**" + SYNC_URL, lambda route: route.fulfill(status=503))
    sign_up(page)
    page.evaluate(
        "([url]) => maharatOffline.queueProgress("
        "{kind: 'lesson_opened', lesson_id: 7}, url)",
        [SYNC_URL],
    )
    page.evaluate("() => maharatOffline.flush()")
    assert page.evaluate("async () => (await maharatOffline.pending()).length") == 1


def test_events_of_one_trainee_are_never_sent_in_another_trainees_session(page):
    batches = []
    page.route("**" + SYNC_URL, lambda route: batches.append(1) or route.abort())
    sign_up(page)
    page.context.set_offline(True)
    page.evaluate(
        "([url]) => maharatOffline.queueProgress("
        "{kind: 'lesson_opened', lesson_id: 7}, url)",
        [SYNC_URL],
    )
    page.context.set_offline(False)
    page.evaluate("() => maharatOffline.flush()")  # the link drops again: kept
    page.context.clear_cookies()
    batches.clear()
    sign_up(page)  # a second trainee on the same phone
    page.evaluate("() => maharatOffline.flush()")
    assert batches == []
    assert page.evaluate("async () => (await maharatOffline.pending()).length") == 1
