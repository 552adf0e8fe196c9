"""API token authentication: one query whose SQL is built once, the same Token and
User the ORM would give, and DRF's refusals (unknown or revoked key, inactive user)
through the authenticator and through the exam API."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.utils.translation import gettext
from rest_framework import exceptions
from rest_framework.authtoken.models import Token

from lms.accounts.authentication import TokenAuthentication
from lms.accounts.models import User
from lms.accounts.roles import Role, user_has_role

pytestmark = pytest.mark.django_db


def _authenticate(key: str):
    return TokenAuthentication().authenticate_credentials(key)


INVALID, INACTIVE = "Invalid token.", "User inactive or deleted."


def _refused(key: str) -> str:
    """The refusal's message, as DRF words it (the untranslated msgid)."""
    with pytest.raises(exceptions.AuthenticationFailed) as refused:
        _authenticate(key)
    detail = str(refused.value.detail)
    return next(msgid for msgid in (INVALID, INACTIVE) if gettext(msgid) == detail)


def test_the_user_is_the_whole_user_the_orm_would_load(make_user):
    made = make_user(
        "trainee",
        full_name_ar="سارة علي",
        job_title_en="Electrician",
        preferred_language="en",
    )
    token = Token.objects.create(user=made)
    user, auth = _authenticate(token.key)
    expected = User.objects.get(pk=made.pk)
    for field in User._meta.concrete_fields:
        assert getattr(user, field.attname) == getattr(expected, field.attname), field
    assert type(user) is User and user == expected
    assert not user._state.adding and user._state.db == "default"
    assert type(auth) is Token and auth == token
    assert auth.created == token.created and auth.user_id == made.pk


def test_the_token_knows_its_user_without_another_query(
    trainee, django_assert_num_queries
):
    token = Token.objects.create(user=trainee)
    with django_assert_num_queries(1):
        user, auth = _authenticate(token.key)
        assert auth.user is user


def test_the_loaded_user_saves_as_an_update(trainee):
    token = Token.objects.create(user=trainee)
    user, _auth = _authenticate(token.key)
    user.first_name = "Mona"
    user.save(update_fields=["first_name"])
    assert User.objects.get(pk=trainee.pk).first_name == "Mona"
    assert User.objects.count() == 1


def test_roles_are_read_with_the_token(make_user):
    user = make_user("instructor")
    user.groups.add(Group.objects.get(name="assessor"))
    token = Token.objects.create(user=user)
    loaded, _auth = _authenticate(token.key)
    assert loaded._role_names == {"instructor", "assessor"}
    assert user_has_role(loaded, Role.ASSESSOR)
    assert not user_has_role(loaded, Role.TRAINEE)
    nobody = make_user(None)
    loaded, _auth = _authenticate(Token.objects.create(user=nobody).key)
    assert loaded._role_names == set()


def test_a_superuser_token_passes_every_role_check(make_user):
    admin = make_user(None, is_superuser=True, is_staff=True)
    loaded, _auth = _authenticate(Token.objects.create(user=admin).key)
    assert loaded.is_superuser and user_has_role(loaded, Role.MINISTRY_STAFF)


def test_the_sql_is_built_once_not_per_request(trainee, request):
    token = Token.objects.create(user=trainee)
    _authenticate(token.key)  # the first request of the process builds it
    compiled = request.getfixturevalue("compiled_queries")
    _authenticate(token.key)
    assert compiled == []


def test_an_unknown_or_revoked_key_is_refused(trainee):
    assert _refused("0" * 40) == INVALID
    token = Token.objects.create(user=trainee)
    _authenticate(token.key)
    token.delete()  # revoked
    assert _refused(token.key) == INVALID


def test_an_inactive_user_is_refused_even_with_roles(make_user):
    user = make_user("trainee")
    token = Token.objects.create(user=user)
    _authenticate(token.key)
    User.objects.filter(pk=user.pk).update(is_active=False)  # deactivated since
    assert _refused(token.key) == INACTIVE


def test_a_key_is_matched_exactly_not_as_a_pattern(trainee):
    token = Token.objects.create(user=trainee)
    for near in (token.key[:-1] + "%", token.key.upper(), token.key + " ", "%"):
        if near != token.key:
            assert _refused(near) == INVALID


@pytest.mark.parametrize("case", ["unknown", "revoked", "inactive"])
def test_the_exam_api_refuses_such_a_token(case, make_user, client):
    user = make_user("trainee")
    token = Token.objects.create(user=user)
    key = "f" * 40 if case == "unknown" else token.key
    if case == "revoked":
        token.delete()
    if case == "inactive":
        User.objects.filter(pk=user.pk).update(is_active=False)
    response = client.put(
        "/api/v1/assessments/attempts/1/answers/1/",
        {"response": "x", "seq": 1},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {key}",
    )
    # 403, not 401: the session authenticator comes first and names no challenge
    assert response.status_code == 403
    body = response.json()
    assert body["code"] == "not_authenticated"  # the API's one code for both
    assert body["message"] == gettext(INACTIVE if case == "inactive" else INVALID)


def test_the_exam_api_refuses_a_token_without_the_trainee_role(make_user, client):
    user = make_user("instructor")
    token = Token.objects.create(user=user)
    response = client.put(
        "/api/v1/assessments/attempts/1/answers/1/",
        {"response": "x", "seq": 1},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {token.key}",
    )
    assert response.status_code == 403
