"""The phone's "account" place (issue 20): the trainee's own pages, the language and
signing out; nobody else's."""

from __future__ import annotations

import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_a_visitor_is_sent_to_log_in(client):
    response = client.get(reverse("home:account"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_a_trainee_sees_their_own_pages_and_can_log_out(client, make_user):
    trainee = make_user("trainee")
    client.force_login(trainee)
    response = client.get(reverse("home:account"))
    assert response.status_code == 200
    html = response.content.decode()
    assert trainee.display_name in html
    for name in ("registry:holder_certificates", "accounts:identity"):
        assert f'href="{reverse(name)}"' in html
    assert f'action="{reverse("accounts:logout")}"' in html


def test_the_trainee_bottom_bar_leads_to_the_four_places(client, make_user):
    client.force_login(make_user("trainee"))
    html = client.get(reverse("home:dashboard")).content.decode()
    bar = html[html.index('<nav class="tabbar"') :]
    bar = bar[: bar.index("</nav>")]
    for url in (
        reverse("courses:catalog"),
        reverse("home:dashboard"),
        reverse("assessments:exam_list"),
        reverse("home:account"),
    ):
        assert f'href="{url}"' in bar
    assert 'aria-current="page"' in bar.split(reverse("home:dashboard"))[1][:40]


def test_staff_get_no_trainee_bottom_bar(client, make_user):
    client.force_login(make_user("ministry_staff", is_staff=True))
    html = client.get(reverse("home:dashboard")).content.decode()
    assert 'class="tabbar"' not in html
