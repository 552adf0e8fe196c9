"""lms.kernel.kept_sql: an ORM query's SQL built once, run again with other values,
giving what the ORM's values() gives."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.db.models import Count, OuterRef, Subquery

from lms.accounts.models import User
from lms.kernel.kept_sql import KeptQuery
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _people(*, user_id: int, name: str):
    first_group = Group.objects.filter(user=OuterRef("pk")).order_by("name")
    return (
        User.objects.filter(pk__gte=user_id, username=name)
        .exclude(is_active=False)
        .annotate(
            roles=Count("groups"),  # a column the ORM converts
            first_role=Subquery(first_group.values("name")[:1]),
        )
        .values("pk", "username", "roles", "first_role")
        .order_by("pk")
    )


def test_rows_are_what_the_orm_gives_for_each_set_of_values():
    kept = KeptQuery(_people, user_id=int, name=str)
    one = UserFactory(username="mona")
    one.groups.add(*Group.objects.filter(name__in=["trainee", "assessor"]))
    UserFactory(username="salma", is_active=False)
    for values in (
        {"user_id": one.pk, "name": "mona"},
        {"user_id": one.pk + 1, "name": "mona"},  # none
        {"user_id": 0, "name": "salma"},  # inactive: none
        {"user_id": 0, "name": "mona'; DROP TABLE x; --"},
    ):
        assert kept.rows(**values) == list(_people(**values)), values
    assert kept.rows(user_id=0, name="mona")[0]["roles"] == 2


def test_the_sql_is_compiled_once(request):
    kept = KeptQuery(_people, user_id=int, name=str)
    kept.rows(user_id=0, name="x")
    compiled = request.getfixturevalue("compiled_queries")
    kept.rows(user_id=0, name="y")
    assert compiled == []


def test_a_value_the_orm_rewrites_is_refused_when_built():
    """`username__contains` wraps the value in %...%: it is not one parameter the
    kept SQL could swap, so the query is refused rather than run with the wrong one."""
    kept = KeptQuery(
        lambda *, name: User.objects.filter(username__contains=name).values("pk"),
        name=str,
    )
    with pytest.raises(ValueError, match="not a parameter"):
        kept.rows(name="mo")


def test_the_values_must_be_the_ones_declared():
    kept = KeptQuery(_people, user_id=int, name=str)
    with pytest.raises(TypeError):
        kept.rows(user_id=1)
    with pytest.raises(TypeError):
        KeptQuery(_people, user_id=float).rows(user_id=1.0)
