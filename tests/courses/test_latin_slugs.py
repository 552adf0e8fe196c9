"""New pages get short Latin slugs: the page editor transliterates an Arabic title
(WAGTAIL_ALLOW_UNICODE_SLUGS off; Wagtail's urlify has an Arabic map), and
content's page form refuses an Arabic or long slug typed by hand (each Arabic letter
is ~6 characters in a URL)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from wagtail.admin.panels import FieldPanel, ObjectList

from courses.models import LessonPage
from lms.kernel.page_forms import LatinSlugPageForm


@pytest.mark.django_db
def test_the_page_editor_slugifies_to_latin(tree, make_user):
    course = tree.course(modules=1, lessons=1)
    module = course.get_children().first()
    admin = make_user(role=None, is_superuser=True, is_staff=True)
    client = Client()
    client.force_login(admin)
    html = client.get(
        f"/cms/pages/add/courses/lessonpage/{module.pk}/"
    ).content.decode()
    slug_input = re.search(r'<input[^>]*name="slug"[^>]*>', html).group(0)
    assert 'data-controller="w-slug"' in slug_input
    # a false value is left out, and the controller's default is then ASCII (urlify
    # with its Arabic map); with unicode slugs allowed the attribute would be there
    assert "allow-unicode" not in slug_input


@pytest.mark.parametrize(
    ("slug", "refused"),
    [
        ("أدوات-القياس", "slug_not_latin"),
        ("%D8%A3%D8%AF", "invalid"),  # not even a slug
        ("Measuring", "slug_not_latin"),
        ("measuring-tools-and-how-to-record-them", "slug_too_long"),
        ("measuring", None),
        ("upper-body", None),
    ],
)
@pytest.mark.django_db
def test_the_page_form_takes_only_short_latin_slugs(tree, slug, refused):
    form_class = (
        ObjectList(
            [FieldPanel("title"), FieldPanel("slug")], base_form_class=LatinSlugPageForm
        )
        .bind_to_model(LessonPage)
        .get_form_class()
    )
    course = tree.course(modules=1, lessons=1)
    module = course.get_children().first()
    form = form_class(
        data={"title": "أدوات القياس", "slug": slug},
        instance=LessonPage(),
        parent_page=module,
    )
    form.is_valid()
    codes = [error.code for error in form.errors.as_data().get("slug", [])]
    assert codes == ([refused] if refused else [])


def test_every_page_model_of_the_site_uses_the_latin_slug_form():
    from wagtail.models import Page, get_page_models

    ours = [
        m
        for m in get_page_models()
        if m is not Page and m._meta.app_label != "wagtailcore"
    ]
    assert ours, "no page models found"
    missing = [
        m.__name__
        for m in ours
        if not issubclass(m.get_edit_handler().get_form_class(), LatinSlugPageForm)
    ]
    assert missing == []


@pytest.mark.django_db
def test_the_real_editor_refuses_an_arabic_slug_typed_by_hand(tree, make_user):
    course = tree.course(modules=1, lessons=1)
    lesson = course.get_children().first().specific  # a module: no StreamField
    admin = make_user(role=None, is_superuser=True, is_staff=True)
    client = Client()
    client.force_login(admin)
    url = f"/cms/pages/{lesson.pk}/edit/"
    form = client.get(url).context["form"]
    data = {
        name: form[name].value()
        for name in form.fields
        if form[name].value() is not None
    }
    data = {k: v for k, v in data.items() if not isinstance(v, (list, dict))}
    data.update({"slug": "أدوات-القياس", "title": lesson.title})
    response = client.post(url, data)
    lesson.refresh_from_db()
    assert lesson.slug != "أدوات-القياس"
    assert response.status_code == 200
    assert "slug" in response.context["form"].errors
