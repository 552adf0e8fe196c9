"""A person chooses how notices reach them, and reads the notices sent to them."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model

from lms.kernel.notifications.data import Notice
from lms.kernel.notifications.services import notify
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SETTINGS = "/accounts/notices/settings/"
NOTICES = "/accounts/notices/"


def _reload(user):
    return get_user_model().objects.get(pk=user.pk)


def test_a_new_account_gets_its_notices_by_sms():
    assert UserFactory().notification_channel == "sms"


def test_a_trainee_chooses_email_and_english(client, trainee):
    client.force_login(trainee)
    response = client.post(SETTINGS, {"channel": "email", "language": "en"})
    assert response.status_code == 302 and response["Location"].endswith(NOTICES)
    saved = _reload(trainee)
    assert (saved.notification_channel, saved.preferred_language) == ("email", "en")


def test_the_settings_page_shows_the_current_choice(client, trainee):
    trainee.notification_channel = "none"
    trainee.save()
    client.force_login(trainee)
    page = client.get(SETTINGS).content.decode()
    assert re.search(r'value="none"[^>]*checked', page)
    assert not re.search(r'value="sms"[^>]*checked', page)


def test_email_is_refused_to_an_account_without_an_address(client, make_user):
    user = make_user("trainee", email="")
    client.force_login(user)
    response = client.post(SETTINGS, {"channel": "email", "language": ""})
    assert response.status_code == 400
    assert 'class="error"' in response.content.decode()
    assert _reload(user).notification_channel == "sms"


def test_sms_is_refused_to_an_account_without_a_mobile(client, make_user):
    user = make_user("instructor", username="teacher", phone=None)
    user.notification_channel = "email"
    user.save()
    client.force_login(user)
    response = client.post(SETTINGS, {"channel": "sms"})
    assert response.status_code == 400
    assert _reload(user).notification_channel == "email"


@pytest.mark.parametrize(
    "form", [{"channel": "pigeon"}, {"channel": "sms", "language": "fr"}, {}]
)
def test_an_unknown_channel_or_language_is_refused(client, trainee, form):
    client.force_login(trainee)
    assert client.post(SETTINGS, form).status_code == 400
    saved = _reload(trainee)
    assert (saved.notification_channel, saved.preferred_language) == ("sms", "")


def test_the_service_refuses_an_unknown_channel_with_a_field_error(trainee):
    from lms.accounts.services import notification_settings_set
    from lms.kernel.errors import Invalid

    with pytest.raises(Invalid) as refused:
        notification_settings_set(user_id=trainee.pk, channel="fax", language="")
    assert "channel" in refused.value.fields


@pytest.mark.parametrize("url", [SETTINGS, NOTICES])
def test_the_pages_are_for_signed_in_people(client, url):
    response = client.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_notices_page_lists_only_ones_own_notices(client, trainee, make_user):
    other = make_user("trainee")
    notify(
        user_ids=[trainee.pk],
        kind="class_reminder",
        compose=lambda: Notice(subject="تذكير بالحصة", text="تبدأ بعد ساعة", link="/"),
    )
    notify(
        user_ids=[other.pk],
        kind="class_reminder",
        compose=lambda: Notice(subject="Someone else's", text="x"),
    )
    client.force_login(trainee)
    page = client.get(NOTICES).content.decode()
    assert "تذكير بالحصة" in page and "تبدأ بعد ساعة" in page
    assert "Someone else" not in page


def test_a_notice_link_must_be_a_path_on_the_site(trainee):
    with pytest.raises(ValueError):
        notify(
            user_ids=[trainee.pk],
            kind="k",
            compose=lambda: Notice(subject="s", text="t", link="https://evil.example"),
        )


def test_the_notices_entry_is_in_every_signed_in_persons_menu(client, make_user):
    for role in ("trainee", "content_editor", "assessor"):
        client.force_login(make_user(role))
        assert f'href="{NOTICES}"' in client.get("/dashboard/").content.decode()


def test_the_language_one_chooses_on_the_site_is_remembered_for_notices(
    client, trainee
):
    client.force_login(trainee)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert _reload(trainee).preferred_language == "en"
