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
    page.locator("section .cat-tree").first.wait_for()
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


GIFT = """$CATEGORY: $course$/top/السلامة/الكهرباء

::جهد المنزل:: كم فولت جهد الكهرباء في المنزل؟ {#220:10#صحيح ~#راجع لوحة العداد}

::القاطع:: القاطع الكهربى يحمى الأسلاك من زيادة التيار. {T#نعم، هذا عمله.}

::ناقص:: سؤال لم يُغلق {=أ ~ب
"""


def test_an_author_imports_a_gift_file_fixes_a_question_and_a_reviewer_publishes(
    new_context, shot, tmp_path
):
    """The import shows what it will do before anything is saved; what an editor
    imports waits for a reviewer, like the editor's own drafts."""
    upload = tmp_path / "السلامة.gift"
    upload.write_text(GIFT, encoding="utf-8")
    editor = new_context().new_page()
    editor.set_viewport_size({"width": 360, "height": 740})
    log_in(editor, "editor")
    editor.goto("/question-banks/")
    editor.get_by_role("link", name="الأسئلة والتصنيفات").first.click()
    editor.get_by_role("link", name="استيراد").first.click()
    editor.set_input_files("input[type=file]", str(upload))
    with editor.expect_navigation():
        editor.get_by_role("button", name="معاينة الاستيراد").click()
    preview = editor.locator("#preview-title").locator("xpath=..")
    rows = preview.locator("tbody tr")
    assert rows.count() == 3
    assert preview.locator("tr.import-create").count() == 2
    refused = preview.locator("tr.import-refused")
    assert refused.count() == 1 and "7" in refused.locator("td").first.inner_text()
    assert_accessible(editor)
    shot(editor, "import-preview")
    with editor.expect_navigation():
        editor.get_by_role("button", name="تأكيد الاستيراد").click()
    shot(editor, "import-done")

    # the author fixes the typo of one imported question ("الكهربى", "يحمى")
    bank_url = editor.url.split("/import/")[0] + "/"
    editor.goto(bank_url + "?q=" + "القاطع")
    editor.locator("ul.questions li a").first.click()
    editor.locator("#stem").wait_for()
    question_url = editor.url
    fixed = "القاطع الكهربائي يحمي الأسلاك من زيادة التيار."
    editor.fill("#stem", fixed)
    editor.locator("#preview legend.stem").filter(has_text="الكهربائي").wait_for()
    shot(editor, "import-fix-preview")
    with editor.expect_navigation():
        editor.click("button[value=review]")

    reviewer = new_context().new_page()
    reviewer.set_viewport_size({"width": 360, "height": 740})
    log_in(reviewer, "reviewer")
    reviewer.goto(question_url)
    assert reviewer.locator("#stem").input_value() == fixed
    with reviewer.expect_navigation():
        reviewer.locator(".status-actions button[value=publish]").click()
    assert "نُشر" in reviewer.locator(".messages").inner_text()
    shot(reviewer, "import-fix-published")
