"""Signed-in requests read the user and their roles in one query (session or token)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from rest_framework import exceptions
from rest_framework.authtoken.models import Token

from lms.accounts.authentication import TokenAuthentication
from lms.accounts.backends import ModelBackend
from lms.accounts.roles import Role, user_has_role

pytestmark = pytest.mark.django_db


def test_the_session_backend_loads_the_roles_with_the_user(
    trainee, django_assert_num_queries
):
    with django_assert_num_queries(1):
        user = ModelBackend().get_user(trainee.pk)
        assert user == trainee
        assert user_has_role(user, Role.TRAINEE)
        assert not user_has_role(user, Role.INSTRUCTOR)


def test_a_user_in_two_roles_is_loaded_once_with_both(
    make_user, django_assert_num_queries
):
    user = make_user("instructor")
    user.groups.add(Group.objects.get(name="assessor"))
    with django_assert_num_queries(1):
        loaded = ModelBackend().get_user(user.pk)
        assert user_has_role(loaded, Role.INSTRUCTOR)
        assert user_has_role(loaded, Role.ASSESSOR)
        assert not user_has_role(loaded, Role.TRAINEE)


def test_a_user_without_a_role_has_none_and_costs_no_second_query(
    make_user, django_assert_num_queries
):
    user = make_user(None)
    with django_assert_num_queries(1):
        loaded = ModelBackend().get_user(user.pk)
        assert not user_has_role(loaded, Role.TRAINEE)


def test_the_session_backend_refuses_an_inactive_or_missing_user(make_user):
    inactive = make_user("trainee", is_active=False)
    assert ModelBackend().get_user(inactive.pk) is None
    assert ModelBackend().get_user(10**9) is None


def test_a_signed_in_page_knows_the_roles_from_the_session(client, trainee):
    client.force_login(trainee)
    assert client.get("/exams/").status_code == 200


def test_the_token_authentication_loads_the_roles_with_the_user(
    trainee, django_assert_num_queries
):
    token = Token.objects.create(user=trainee)
    with django_assert_num_queries(1):
        user, auth = TokenAuthentication().authenticate_credentials(token.key)
        assert user == trainee and auth == token
        assert user_has_role(user, Role.TRAINEE)
        assert not user_has_role(user, Role.MINISTRY_STAFF)


def test_the_token_authentication_refuses_unknown_and_inactive(make_user):
    with pytest.raises(exceptions.AuthenticationFailed):
        TokenAuthentication().authenticate_credentials("0" * 40)
    inactive = make_user("trainee", is_active=False)
    token = Token.objects.create(user=inactive)
    with pytest.raises(exceptions.AuthenticationFailed):
        TokenAuthentication().authenticate_credentials(token.key)


def test_the_session_backend_loads_the_whole_user_the_orm_would(make_user):
    from lms.accounts.models import User

    made = make_user("trainee", full_name_ar="سارة علي", preferred_language="en")
    user = ModelBackend().get_user(str(made.pk))  # as the session keeps it
    expected = User.objects.get(pk=made.pk)
    for field in User._meta.concrete_fields:
        assert getattr(user, field.attname) == getattr(expected, field.attname), field
    assert type(user) is User and not user._state.adding
    assert user.has_own_permissions is False


def test_own_permissions_are_still_read_for_who_has_them(make_user):
    from django.contrib.auth.models import Permission

    user = make_user("trainee")
    user.user_permissions.add(Permission.objects.get(codename="view_user"))
    loaded = ModelBackend().get_user(user.pk)
    assert loaded.has_own_permissions is True
    assert loaded.has_perm("accounts.view_user")
    plain = ModelBackend().get_user(make_user("trainee").pk)
    assert not plain.has_perm("accounts.view_user")


@pytest.mark.parametrize("key", ["not-a-number", "", None, "1 OR 1=1", "12.5"])
def test_a_session_key_that_names_no_user_finds_none(key):
    assert ModelBackend().get_user(key) is None


def test_the_session_backend_builds_its_sql_once_not_per_request(trainee, request):
    ModelBackend().get_user(trainee.pk)  # the process's first request builds it
    compiled = request.getfixturevalue("compiled_queries")
    assert ModelBackend().get_user(trainee.pk) == trainee
    assert compiled == []
