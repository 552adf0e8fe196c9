"""Shared fixtures. Data comes from factories in tests/factories.py."""

from __future__ import annotations

import os

import pytest

from tests.factories import UserFactory


def pytest_report_header(config):
    return [
        f"database: {os.environ.get('DATABASE_URL', 'sqlite (default)')}",
        f"redis: {os.environ.get('REDIS_URL', 'not set: in-memory channel layer')}",
    ]


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Each test writes uploads (public and private) into its own folders."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def make_user(db):
    def make(role: str | None = "trainee", **kwargs):
        return UserFactory(role=role, **kwargs)

    return make


@pytest.fixture
def trainee(make_user):
    return make_user("trainee")


@pytest.fixture
def instructor(make_user):
    return make_user("instructor")


@pytest.fixture
def ministry_staff(make_user):
    return make_user("ministry_staff", is_staff=True)


@pytest.fixture
def assessor(make_user):
    return make_user("assessor")


@pytest.fixture
def content_editor(make_user):
    return make_user("content_editor", is_staff=True)


@pytest.fixture
def content_reviewer(make_user):
    return make_user("content_reviewer", is_staff=True)


requires_redis = pytest.mark.skipif(
    not os.environ.get("REDIS_URL"),
    reason="needs Redis: set REDIS_URL (CI always does)",
)
requires_postgres = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="needs PostgreSQL: set DATABASE_URL (CI always does)",
)
