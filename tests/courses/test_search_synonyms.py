"""Search knows the trades' words: each trade's synonym groups (reference data the
content team edits as a Wagtail snippet) widen every query word to its synonyms."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from content.models import TradeSynonyms
from content.selectors import search_synonym_groups
from courses.search import expand_query
from tests.courses.conftest import text_block

pytestmark = pytest.mark.django_db


def publish(course):
    course.save_revision().publish()
    for page in course.get_descendants():
        page.specific.save_revision().publish()
    return course


@pytest.fixture
def courses(tree):
    return {
        "mobile": publish(
            tree.course(
                title="صيانة الهاتف المحمول",
                modules=1,
                lessons=1,
                body=lambda: [text_block("تغيير شاشة اللمس والبطارية")],
            )
        ),
        "ac": publish(
            tree.course(
                title="تركيب المكيفات المنزلية",
                modules=1,
                lessons=1,
                body=lambda: [text_block("شحن الفريون في وحدة السبليت")],
            )
        ),
        "sewing": publish(tree.course(title="أساسيات الحياكة", modules=1, lessons=1)),
        "pattern": publish(
            tree.course(title="رسم النموذج الورقي للفستان", modules=1, lessons=1)
        ),
    }


def found(client, q) -> str:
    response = client.get(reverse("courses:search"), {"q": q})
    assert response.status_code == 200
    return response.content.decode()


def test_mobile_the_word_egyptians_use_finds_the_mobile_phone_course(client, courses):
    page = found(client, "موبايل")
    assert "صيانة الهاتف المحمول" in page
    assert "تركيب المكيفات المنزلية" not in page


@pytest.mark.parametrize(
    ("query", "title"),
    [
        ("جوال", "صيانة الهاتف المحمول"),
        ("تكييف", "تركيب المكيفات المنزلية"),
        ("تكييف هواء", "تركيب المكيفات المنزلية"),
        ("الخياطة", "أساسيات الحياكة"),
        ("تفصيل", "أساسيات الحياكة"),
        ("باترون", "رسم النموذج الورقي للفستان"),  # a phrase among the terms
    ],
)
def test_each_trade_s_synonyms_find_its_courses(client, courses, query, title):
    assert title in found(client, query)


def test_synonyms_reach_lesson_bodies_and_every_word_must_still_match(client, courses):
    assert "الدرس 1.1" in found(client, "تاتش")
    assert "الدرس 1.1" in found(client, "غاز تبريد اسبليت")
    assert "الدرس 1.1" not in found(client, "تاتش فريون")


def test_the_reference_data_is_loaded_for_the_three_trades():
    trades = dict(TradeSynonyms.objects.values_list("trade", "groups"))
    assert {"tailoring", "mobile_repair", "refrigeration_ac"} <= set(trades)
    assert "موبايل" in trades["mobile_repair"] and "جوال" in trades["mobile_repair"]
    assert "تبريد" in trades["refrigeration_ac"]
    assert "حياكة" in trades["tailoring"]


def test_what_the_content_team_changes_is_what_search_uses(client, courses):
    row = TradeSynonyms.objects.get(trade="mobile_repair")
    row.groups = "\n".join(
        line for line in row.groups.splitlines() if "موبايل" not in line
    )
    row.save()
    assert "صيانة الهاتف المحمول" not in found(client, "موبايل")
    row.groups += "\nموبايل، محمول"
    row.save()
    assert "صيانة الهاتف المحمول" in found(client, "موبايل")


def test_a_group_needs_two_different_terms():
    row = TradeSynonyms(trade="welding", groups="لحام، لحّام\nكهرباء، كهربا")
    with pytest.raises(ValidationError) as refused:
        row.full_clean()
    (message,) = refused.value.message_dict["groups"]
    assert "السطر 1 " in message  # لحام and لحّام fold to one term


def test_the_longest_term_wins_and_shared_terms_bring_every_group():
    groups = (("تكييف", "تبريد"), ("تكييف هواء", "مكيف"), ("ثلاجه", "تبريد"))
    assert expand_query("تكييف هواء جديد", groups) == [
        ("تكييف هواء", "مكيف"),
        ("جديد",),
    ]
    assert expand_query("تبريد", groups) == [("تكييف", "تبريد", "ثلاجه")]
    assert expand_query("كهرباء", groups) == [("كهرباء",)]


def test_terms_are_folded_as_the_search_folds_them():
    groups = search_synonym_groups()
    assert any("ثلاجه" in group and "تلاجه" in group for group in groups)
    assert all(not term.startswith("ال") or term == "ال" for g in groups for term in g)


def test_content_editors_edit_the_synonyms_in_the_admin(client, make_user):
    editor = make_user(role="content_editor")
    client.force_login(editor)
    row = TradeSynonyms.objects.get(trade="mobile_repair")
    listing = client.get("/cms/snippets/content/tradesynonyms/")
    assert listing.status_code == 200
    edit = f"/cms/snippets/content/tradesynonyms/edit/{row.pk}/"
    assert client.get(edit).status_code == 200
    response = client.post(
        edit, {"trade": "mobile_repair", "groups": "موبايل، محمول\nشاشة"}
    )
    assert response.status_code == 200  # the form again, with the error
    assert "السطر 2 " in response.content.decode()
    response = client.post(edit, {"trade": "mobile_repair", "groups": "موبايل، نقال"})
    assert response.status_code == 302
    assert TradeSynonyms.objects.get(pk=row.pk).groups == "موبايل، نقال"


def test_trainees_cannot_open_the_synonyms(client, make_user):
    client.force_login(make_user(role="trainee"))
    response = client.get("/cms/snippets/content/tradesynonyms/")
    assert response.status_code in (302, 403)
