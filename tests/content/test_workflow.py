"""The content team's workflow: editors write, reviewers approve, trainees see it."""

from __future__ import annotations

import pytest
from wagtail.models import Page

from courses.models import LessonPage
from tests.courses.conftest import lessons_of, text_block


@pytest.fixture
def module(tree):
    course = tree.course(modules=1, lessons=1)
    course.save_revision().publish()
    for page in course.get_descendants():
        page.specific.save_revision().publish()
    return course.get_children().first().specific


def _draft_lesson(module, editor) -> LessonPage:
    lesson = module.add_child(
        instance=LessonPage(
            title="قياس محيط الصدر",
            slug="chest",
            live=False,
            body=[text_block("لف شريط القياس حول أعرض جزء من الصدر.")],
        )
    )
    lesson.save_revision(user=editor)
    return lesson


def test_editor_cannot_publish_directly(module, content_editor):
    lesson = _draft_lesson(module, content_editor)
    perms = lesson.permissions_for_user(content_editor)
    assert perms.can_edit()
    assert not perms.can_publish()


def test_reviewer_can_publish(module, content_reviewer):
    assert module.permissions_for_user(content_reviewer).can_publish_subpage()


def test_content_roles_can_use_the_admin(content_editor, content_reviewer, trainee):
    assert content_editor.has_perm("wagtailadmin.access_admin")
    assert content_reviewer.has_perm("wagtailadmin.access_admin")
    assert not trainee.has_perm("wagtailadmin.access_admin")


def test_lessons_go_through_the_review_workflow(module):
    lesson = LessonPage.objects.child_of(module).first()
    workflow = lesson.get_workflow()
    assert workflow is not None
    assert (
        workflow.name == "مراجعة المحتوى"
    )  # the Arabic admin's name, no English gloss
    task = workflow.tasks.first().specific
    assert task.name == "موافقة المراجع"
    assert [g.name for g in task.groups.all()] == ["content_reviewer"]


def test_editors_lesson_is_published_after_review(
    client, module, content_editor, content_reviewer, trainee
):
    lesson = _draft_lesson(module, content_editor)
    client.force_login(trainee)
    assert client.get(lesson.url).status_code == 404

    state = lesson.get_workflow().start(lesson, content_editor)
    task_state = state.current_task_state
    task = task_state.task.specific
    assert not task.user_can_access_editor(lesson, trainee)
    assert task.get_actions(lesson, content_editor) == []
    assert "approve" in [a[0] for a in task.get_actions(lesson, content_reviewer)]

    task.on_action(task_state, content_reviewer, "approve")
    lesson.refresh_from_db()
    assert lesson.live
    assert client.get(lesson.url).status_code == 200


def test_rejected_lesson_stays_unpublished(module, content_editor, content_reviewer):
    lesson = _draft_lesson(module, content_editor)
    state = lesson.get_workflow().start(lesson, content_editor)
    task_state = state.current_task_state
    task_state.task.specific.on_action(task_state, content_reviewer, "reject")
    lesson.refresh_from_db()
    assert not lesson.live
    assert lessons_of(module.get_parent().specific)[-1].pk == lesson.pk


def test_editor_opens_the_lesson_editor_in_the_admin(client, module, content_editor):
    client.force_login(content_editor)
    url = f"/cms/pages/add/courses/lessonpage/{module.pk}/"
    response = client.get(url)
    assert response.status_code == 200
    assert "knowledge_check" in response.content.decode()


def test_trainee_cannot_open_the_admin(client, module, trainee):
    client.force_login(trainee)
    response = client.get(f"/cms/pages/add/courses/lessonpage/{module.pk}/")
    assert response.status_code in (302, 403)


def test_editor_publish_attempt_through_the_admin_is_refused(
    client, module, content_editor
):
    lesson = LessonPage.objects.child_of(module).first()
    lesson.unpublish()
    client.force_login(content_editor)
    url = f"/cms/pages/{lesson.pk}/edit/"
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="action-publish"' not in page.content.decode()


@pytest.mark.django_db
def test_the_cms_root_page_is_named_in_arabic():
    assert Page.objects.get(depth=1).title == "جذر الموقع"  # not "Root"
