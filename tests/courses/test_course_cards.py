"""The trainee's view of trades and courses (issue 20): pictures on the cards, the
home page's three trades, no ISCO code, and what changed since a completion."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from courses import services
from courses.models import CourseCompletion, LessonPage, TradePage
from registry.models import Occupation
from tests.courses.conftest import lessons_of, text_block


def body():
    return [text_block("افصل التيار قبل فتح الوحدة")]


@pytest.fixture
def course(tree):
    course = tree.course(modules=1, lessons=2, body=body, slug="basics")
    course.save_revision().publish()
    return course


def _images(html: str) -> list[str]:
    return re.findall(r'<img[^>]+src="([^"]+)"', html)


def test_the_home_page_shows_each_trade_with_its_picture(client, tree, course):
    tailoring = tree.catalog.add_child(
        instance=TradePage(
            title="الخياطة",
            slug="tailoring",
            trade="tailoring",
            occupation=Occupation.objects.get(code="7531"),
        )
    )
    tailoring.save_revision().publish()
    html = client.get("/").content.decode()
    trades = re.findall(r'<li class="card tile">.*?<h3><a href="([^"]+)">', html)
    assert trades == [tree.trade.url, tailoring.url]  # not the catalog page itself
    pictures = _images(html)
    assert any(p.endswith("/illustrations/refrigeration_ac.svg") for p in pictures)
    assert any(p.endswith("/illustrations/tailoring.svg") for p in pictures)


def test_catalog_and_trade_cards_show_the_course_s_picture(client, tree, course):
    other = tree.course(slug="advanced", title="تكييف متقدم")
    other.save_revision().publish()
    for url in (reverse("courses:catalog"), tree.trade.url):
        pictures = _images(client.get(url).content.decode())
        # drawn for the demo course; a course nobody drew for gets its trade's
        assert any(p.endswith("/refrigeration_ac-basics.svg") for p in pictures)
        assert any(p.endswith("/illustrations/refrigeration_ac.svg") for p in pictures)


def test_a_trade_nobody_drew_a_picture_for_gets_the_generic_one(client, tree):
    new = tree.catalog.add_child(
        instance=TradePage(
            title="النجارة",
            slug="carpentry",
            trade="carpentry",
            occupation=tree.occupation,
        )
    )
    new.save_revision().publish()
    assert new.illustration == "courses/illustrations/trade.svg"
    assert any(
        p.endswith("/illustrations/trade.svg")
        for p in _images(client.get("/").content.decode())
    )


def test_the_course_page_names_the_occupation_without_its_isco_code(
    client, trainee, course
):
    client.force_login(trainee)
    html = client.get(course.url).content.decode()
    occupation = course.occupation
    assert occupation.title_ar in html
    assert occupation.code not in re.sub(r"<[^>]+>", " ", html)
    html = client.get(course.get_parent().url).content.decode()
    assert str(occupation) not in html


def test_a_completed_course_says_which_required_lesson_was_published_since(
    client, trainee, course
):
    services.enrollment_create(user=trainee, course_id=course.pk)
    client.force_login(trainee)
    for lesson in lessons_of(course):
        client.get(lesson.url)  # a lesson with text only completes when opened
    assert CourseCompletion.objects.filter(user=trainee, course=course).exists()
    html = client.get(course.url).content.decode()
    assert "أتممت هذه الدورة" in html or "You completed" in html
    assert "تغيّرت الدورة" not in html

    module = course.get_children().first()
    added = module.add_child(
        instance=LessonPage(title="درس الفحص الجديد", slug="new-check", body=body())
    )
    added.save_revision().publish()
    html = client.get(course.url).content.decode()
    notice = re.search(r'<div class="alert ok" role="status">(.*?)</div>', html, re.S)
    assert notice, "no completion notice"
    assert "تغيّرت الدورة منذ ذلك الحين" in notice.group(1)
    assert "درس الفحص الجديد" in notice.group(1)
    assert 'class="chip">جديد<' in notice.group(1)

    dashboard = client.get(reverse("home:dashboard")).content.decode()
    assert "دروس مطلوبة جديدة منذ ذلك الحين" in dashboard
