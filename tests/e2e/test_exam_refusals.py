"""The exam page reads the API's error body (`{"code", "message", "fields"}`): an
answer the phone kept while offline reaches the server after the attempt was
submitted elsewhere; it is refused with the code `attempt_submitted`, and the page
goes to the result instead of retrying it for ever."""

import re

import pytest

from tests.e2e.pages import trainee_pages

pytestmark = pytest.mark.e2e

# What exam.js keeps in localStorage for an answer the server has not acknowledged.
KEEP_OFFLINE_ANSWER = """url => {
  localStorage.setItem("maharat-exam-pending",
    JSON.stringify({[url]: {response: null, seq: Date.now()}}));
}"""


def test_an_answer_arriving_after_the_exam_was_submitted_goes_to_the_result(
    page, server_url, shot
):
    _trainee, paths = trainee_pages(page, server_url)
    attempt_id = re.search(r"/attempts/(\d+)/", paths["exam question"]).group(1)
    save_url = page.get_attribute("form.question", "data-save-url")
    token = page.locator("[name=csrfmiddlewaretoken]").first.get_attribute("value")
    page.evaluate(KEEP_OFFLINE_ANSWER, save_url)
    submitted = page.request.post(
        f"/api/v1/assessments/attempts/{attempt_id}/submit/",
        headers={"X-CSRFToken": token, "Referer": page.url},
    )
    assert submitted.ok, submitted.text()

    with page.expect_response(
        lambda r: r.url.endswith(save_url), timeout=30_000
    ) as sent:
        page.evaluate("window.dispatchEvent(new Event('online'))")
    assert sent.value.status == 409  # its body leaves with the page, as it should
    page.wait_for_url(re.compile(rf"/exams/attempts/{attempt_id}/result/$"))
    assert page.evaluate("localStorage.getItem('maharat-exam-pending')") == "{}"
    shot(page, "result-after-refused-save")

    again = page.request.put(
        save_url,
        data={"response": None, "seq": 1},
        headers={"X-CSRFToken": token, "Referer": page.url},
    )
    assert again.status == 409
    assert again.json()["code"] == "attempt_submitted"
