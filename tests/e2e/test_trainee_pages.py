"""The seven pages trainees use most, in Arabic and English: no serious or critical
accessibility violation (axe-core), each page in the language asked for."""

import pytest

from tests.e2e.conftest import assert_accessible
from tests.e2e.pages import MODULE_PATH, trainee_pages

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("prefix", ["", "/en"], ids=["ar", "en"])
def test_trainee_pages_have_no_serious_accessibility_violations(
    page, server_url, shot, prefix
):
    _trainee, paths = trainee_pages(page, server_url)
    paths["module"] = MODULE_PATH  # where a whole module is saved for offline
    for name, path in paths.items():
        response = page.goto(prefix + path)
        assert response.status == 200, name
        assert page.get_attribute("html", "lang") == ("en" if prefix else "ar")
        if name in ("lesson", "module"):  # the save widget, shown once JS is in
            page.wait_for_selector("[data-offline-save]", state="visible")
        shot(page, name.replace(" ", "-"))
        assert_accessible(page)
