"""The question editor in Chromium on a 360 px phone: the preview follows what the
author types (the trainee's own rendering, RTL, under the enforced CSP); an editor
sends a change for review and a reviewer publishes it."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import assert_accessible
from tests.e2e.journeys import log_in

pytestmark = pytest.mark.e2e


def _first_question(page) -> str:
    page.goto("/question-banks/")
    page.get_by_role("link", name="الأسئلة والتصنيفات").first.click()
    page.locator("section .cat-tree").wait_for()
    assert_accessible(page)
    page.locator("ul.questions li a").first.click()
    page.wait_for_load_state()
    return page.url


def test_an_edit_previewed_live_sent_for_review_and_published(new_context, shot):
    editor = new_context().new_page()
    editor.set_viewport_size({"width": 360, "height": 740})
    log_in(editor, "editor")
    url = _first_question(editor)
    assert editor.get_attribute("html", "dir") == "rtl"
    stem = "نص معدّل للمعاينة (Preview check)"
    editor.fill("#stem", stem)
    legend = editor.locator("#preview legend.stem")
    legend.filter(has_text="Preview check").wait_for()  # re-rendered by the server
    assert editor.locator("#preview [dir=rtl] input[name=response]").count() >= 1
    assert not editor.locator("button[value=publish]").count()  # editors ask
    assert_accessible(editor)
    shot(editor, "editor-preview")
    with editor.expect_navigation():
        editor.click("button[value=review]")
    assert "أُرسلت للمراجعة" in editor.locator(".messages").inner_text()

    reviewer = new_context().new_page()
    reviewer.set_viewport_size({"width": 360, "height": 740})
    log_in(reviewer, "reviewer")
    reviewer.goto(url)
    assert reviewer.locator("#stem").input_value() == stem
    with reviewer.expect_navigation():
        reviewer.locator(".status-actions button[value=publish]").click()
    assert "نُشر" in reviewer.locator(".messages").inner_text()
    current = reviewer.locator("table tbody tr").first
    assert "تسحبه الاختبارات" in current.inner_text()
    shot(reviewer, "reviewer-published")
