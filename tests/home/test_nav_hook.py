"""The mechanism every app uses: a hook of NavEntry objects, resolved per person."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from lms.accounts.roles import Role, any_role
from lms.kernel.navigation import HOOK_NAME, NavEntry, nav_items_for

pytestmark = pytest.mark.django_db


def entry(**overrides) -> NavEntry:
    fields = {
        "key": "test.tool",
        "label": _("Statistics"),
        "url_name": "home:dashboard",
        "shown_to": any_role(Role.ASSESSOR),
        "section": "assessment",
    }
    fields.update(overrides)
    return NavEntry(**fields)


def test_an_app_s_entry_reaches_the_people_of_its_role_only(make_user, client):
    assessor, trainee = make_user("assessor"), make_user("trainee")
    with hooks.register_temporarily(HOOK_NAME, lambda: [entry()]):
        assert "test.tool" in {i.key for i in nav_items_for(assessor)}
        assert "test.tool" not in {i.key for i in nav_items_for(trainee)}
        assert nav_items_for(AnonymousUser()) == []
        client.force_login(assessor)
        html = client.get(reverse("home:dashboard")).content.decode()
    assert "الإحصاءات" in html  # its label, translated when shown


def test_counts_are_read_once_per_page_though_shown_twice(make_user, client):
    calls = []

    def count(user):
        calls.append(user.pk)
        return 7

    with hooks.register_temporarily(HOOK_NAME, lambda: entry(count=count)):
        client.force_login(make_user("assessor"))
        html = client.get(reverse("home:dashboard")).content.decode()
    assert len(calls) == 1
    # the menu button, the section's heading, the entry, the dashboard tile
    assert html.count('<span aria-hidden="true">7</span>') == 4


def test_nobody_s_count_is_computed_for_an_entry_they_do_not_see(make_user):
    def count(user):
        raise AssertionError("counted for someone who cannot open the page")

    with hooks.register_temporarily(HOOK_NAME, lambda: entry(count=count)):
        assert nav_items_for(make_user("trainee"))


def test_an_entry_must_name_a_known_section():
    with pytest.raises(ValueError, match="unknown section"):
        entry(section="elsewhere")


def test_two_apps_cannot_claim_the_same_entry(make_user):
    with (
        hooks.register_temporarily(HOOK_NAME, lambda: [entry()]),
        hooks.register_temporarily(HOOK_NAME, lambda: [entry()]),
        pytest.raises(ValueError, match="two navigation entries"),
    ):
        nav_items_for(make_user("assessor"))
