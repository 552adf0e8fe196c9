"""Fixtures for live classes: a course, enrolment, a class open now, sockets, a fake
Jitsi HTTP service (the only thing mocked: it cannot run here)."""

from __future__ import annotations

import datetime as dt
import json
import os
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from channels.testing import WebsocketCommunicator
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.utils import timezone

from virtual_classes.models import LiveClass

TIMEOUT = 3


# --- course side (through the courses app) -----------------------------------------


def _page_root():
    """Transactional tests flush the page tree the migrations made: plant a root."""
    from django.conf import settings
    from wagtail.models import Locale, Page

    locale, _created = Locale.objects.get_or_create(
        language_code=settings.LANGUAGE_CODE
    )
    return Page.add_root(instance=Page(title="Root", slug="root", locale=locale))


@pytest.fixture
def make_course(db):
    """A published CoursePage (real Wagtail page) taught by the given instructors."""
    from wagtail.models import Page

    from courses.models import CoursePage
    from registry.models import Occupation, SkillLevel

    def make(*, instructors=(), title="تفصيل وخياطة"):
        # transactional tests flush the reference data the migrations seeded
        occupation, _created = Occupation.objects.get_or_create(
            code="7531",
            defaults={"title_ar": "خياط", "title_en": "Tailor", "trade": "tailoring"},
        )
        level = SkillLevel.objects.order_by(
            "rank"
        ).first() or SkillLevel.objects.create(
            code="assistant", rank=1, name_ar="عامل مساعد", name_en="Assistant"
        )
        parent = Page.objects.filter(depth=2).first() or _page_root()
        course = parent.add_child(
            instance=CoursePage(
                title=title,
                slug=f"c-{uuid.uuid4().hex[:8]}",
                occupation=occupation,
                skill_level=level,
            )
        )
        course.instructors.add(*instructors)
        course.save_revision().publish()
        return course

    return make


@pytest.fixture
def enrol(db):
    """Enrol through the courses app's own service."""
    from courses.services import enrollment_create

    def enrol(user, course):
        enrollment_create(user=user, course_id=course.id)

    return enrol


@pytest.fixture
def course(make_course, instructor):
    return make_course(instructors=[instructor])


@pytest.fixture
def make_class(course, instructor):
    def make(**kwargs):
        values = {
            "course": course,
            "instructor": instructor,
            "title": "لقاء مباشر",
            "starts_at": timezone.now() + dt.timedelta(minutes=5),
            "duration_min": 60,
        }
        values.update(kwargs)
        return LiveClass.objects.create(**values)

    return make


@pytest.fixture
def live_class(make_class):
    return make_class()


@pytest.fixture
def student(trainee, course, enrol):
    enrol(trainee, course)
    return trainee


@pytest.fixture
def other_student(make_user, course, enrol):
    user = make_user("trainee")
    enrol(user, course)
    return user


# --- channel layers: in memory and real Redis --------------------------------------


@pytest.fixture(params=["memory", "redis", "redis-pubsub"])
def layer(request, settings):
    """Run each consumer test on every layer; Redis ones only where REDIS_URL is set."""
    if request.param == "memory":
        settings.CHANNEL_LAYERS = {
            "default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}
        }
    elif request.param == "redis-pubsub":
        url = os.environ.get("REDIS_URL")
        if not url:
            pytest.skip("needs Redis: set REDIS_URL (CI always does)")
        settings.CHANNEL_LAYERS = {
            "default": {
                "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
                "CONFIG": {"hosts": [url], "prefix": f"test-{uuid.uuid4().hex[:8]}"},
            }
        }
    else:
        url = os.environ.get("REDIS_URL")
        if not url:
            pytest.skip("needs Redis: set REDIS_URL (CI always does)")
        settings.CHANNEL_LAYERS = {
            "default": {
                "BACKEND": "channels_redis.core.RedisChannelLayer",
                "CONFIG": {
                    "hosts": [url],
                    "prefix": f"test-{uuid.uuid4().hex[:8]}",
                    "capacity": 1500,
                    "expiry": 60,
                },
            }
        }
    yield request.param


def _session_cookie(user) -> str:
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "lms.accounts.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.save()
    return store.session_key


@pytest.fixture
async def open_socket(layer):
    """Connect through the real ASGI stack (origin check, session auth, router)."""
    from lms.asgi import application

    opened: list[WebsocketCommunicator] = []

    async def open_(user, live_class_id: int, query: str = ""):
        headers = [(b"origin", b"http://testserver")]
        if user is not None:
            key = await database_sync_to_async(_session_cookie)(user)
            headers.append((b"cookie", f"sessionid={key}".encode()))
        path = f"/ws/classes/{live_class_id}/" + (f"?{query}" if query else "")
        communicator = WebsocketCommunicator(application, path, headers=headers)
        connected, _sub = await communicator.connect(timeout=TIMEOUT)
        assert connected
        opened.append(communicator)
        return communicator

    yield open_
    for communicator in opened:
        await communicator.disconnect()
    channel_layer = get_channel_layer()
    if layer.startswith("redis"):
        await channel_layer.flush()


async def receive(communicator, timeout: float = TIMEOUT) -> dict:
    return await communicator.receive_json_from(timeout=timeout)


async def receive_until(communicator, frame_type: str, limit: int = 20) -> dict:
    """Skip presence and other broadcasts until a frame of the wanted type."""
    for _ in range(limit):
        frame = await receive(communicator)
        if frame["type"] == frame_type:
            return frame
    raise AssertionError(f"no {frame_type} frame")


async def closed_with(communicator) -> int:
    """Drain frames until the server closes; return the close code."""
    for _ in range(30):
        output = await communicator.receive_output(timeout=TIMEOUT)
        if output["type"] == "websocket.close":
            return output.get("code")
    raise AssertionError("the connection was not closed")


# --- a fake Jitsi service ------------------------------------------------------------


class FakeJitsi:
    """A tiny HTTP server answering like Prosody's mod_muc_size and a file host."""

    def __init__(self) -> None:
        self.routes: dict[str, tuple[int, bytes, str]] = {}
        self.requests: list[str] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server API)
                fake.requests.append(self.path)
                path = self.path.split("?", 1)[0]
                status, body, ctype = fake.routes.get(path, (404, b"", "text/plain"))
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base_url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def json(self, path: str, data, status: int = 200) -> None:
        self.routes[path] = (status, json.dumps(data).encode(), "application/json")

    def file(self, path: str, body: bytes) -> None:
        self.routes[path] = (200, body, "video/mp4")

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def fake_jitsi():
    server = FakeJitsi()
    yield server
    server.close()


@pytest.fixture(autouse=True)
def _role_groups(django_db_blocker):
    """Transactional tests flush the groups the accounts migration made: remake them."""
    from django.contrib.auth.models import Group

    from lms.accounts.roles import Role

    with django_db_blocker.unblock():
        for role in Role:
            Group.objects.get_or_create(name=role.value)
