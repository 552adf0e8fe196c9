"""The content team's workplace: pages in review, outside the Wagtail admin."""

from __future__ import annotations

import pytest

from content.selectors import pages_submitted_by, pages_to_review, pages_to_review_count
from courses.models import LessonPage
from lms.kernel.navigation import nav_items_for
from tests.courses.conftest import text_block

pytestmark = pytest.mark.django_db

URL = "/content/review/"


@pytest.fixture
def module(tree):
    course = tree.course(modules=1, lessons=1)
    course.save_revision().publish()
    for page in course.get_descendants():
        page.specific.save_revision().publish()
    return course.get_children().first().specific


def _submitted(module, editor, title="قياس محيط الصدر", slug="chest") -> LessonPage:
    lesson = module.add_child(
        instance=LessonPage(
            title=title, slug=slug, live=False, body=[text_block("نص الدرس")]
        )
    )
    lesson.save_revision(user=editor)
    lesson.get_workflow().start(lesson, editor)
    return lesson


def test_a_reviewer_sees_the_pages_waiting_for_review_with_a_badge(
    client, module, content_editor, content_reviewer
):
    lesson = _submitted(module, content_editor)
    (item,) = pages_to_review(user_id=content_reviewer.pk)
    assert (item.page_id, item.title) == (lesson.pk, "قياس محيط الصدر")
    assert item.requested_by == content_editor.display_name
    assert item.edit_url == f"/cms/pages/{lesson.pk}/edit/"
    assert pages_to_review_count(user_id=content_reviewer.pk) == 1
    (entry,) = [i for i in nav_items_for(content_reviewer) if i.key == "content.review"]
    assert entry.count == 1
    client.force_login(content_reviewer)
    page = client.get(URL).content.decode()
    assert f'data-review="{lesson.pk}"' in page and "قياس محيط الصدر" in page


def test_an_editor_follows_their_own_pages_but_reviews_none(
    client, module, content_editor, content_reviewer, make_user
):
    lesson = _submitted(module, content_editor)
    other_editor = make_user("content_editor")
    _submitted(module, other_editor, title="درس آخر", slug="other")
    assert pages_to_review(user_id=content_editor.pk) == ()
    (mine,) = pages_submitted_by(user_id=content_editor.pk)
    assert mine.page_id == lesson.pk and mine.task_name
    client.force_login(content_editor)
    page = client.get(URL).content.decode()
    assert f'data-submitted="{lesson.pk}"' in page
    assert "درس آخر" not in page and "data-review=" not in page
    (entry,) = [i for i in nav_items_for(content_editor) if i.key == "content.review"]
    assert not entry.count


def test_an_approved_page_leaves_the_list(module, content_editor, content_reviewer):
    lesson = _submitted(module, content_editor)
    state = lesson.current_workflow_state.current_task_state
    state.task.specific.on_action(state, content_reviewer, "approve")
    assert pages_to_review(user_id=content_reviewer.pk) == ()
    assert pages_submitted_by(user_id=content_editor.pk) == ()


@pytest.mark.parametrize("role", ["trainee", "instructor", "assessor"])
def test_the_review_list_is_refused_to_other_roles(client, make_user, role):
    client.force_login(make_user(role))
    assert client.get(URL).status_code == 403


def test_the_review_list_needs_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
