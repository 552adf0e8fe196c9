"""The classroom page reads the API's error body (`{"code", "message", "fields"}`):
when the join is refused, the page says why instead of "video unavailable"."""

from __future__ import annotations

import pytest

from tests.e2e.test_trainee_journey import (
    ar,
    course_curriculum,
    schedule_a_class,
    wait_connected,
)

pytestmark = pytest.mark.e2e

STATUS_IS = "(text) => document.querySelector('[data-status]').textContent === text"


def test_the_video_button_says_why_a_class_that_ended_cannot_be_joined(page, shot):
    schedule_a_class(page, course_curriculum().course.title)
    wait_connected(page)
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-action=end]")
    page.wait_for_function(STATUS_IS, arg=ar("You left the classroom."))

    join_url = page.locator("#classroom").get_attribute("data-join-url")
    refusal = page.request.get(join_url)
    assert refusal.status == 403
    assert refusal.json()["code"] == "ended"
    assert refusal.json()["message"] == ar("This class has ended.")

    page.click("[data-action=start-video]")
    page.wait_for_function(STATUS_IS, arg=ar("This class has ended."))
    assert page.locator("[data-action=start-video]").is_disabled()  # cannot help
    assert page.locator("[data-video-unavailable]").is_hidden()
    assert page.locator("[data-video-frame] iframe").count() == 0
    shot(page, "join-refused-class-ended")
