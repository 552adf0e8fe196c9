"""Requests that touch Redis on the side (sessions, log-in, task queues, sockets)
still answer when it is unreachable."""

from __future__ import annotations

import logging
import socket
from contextlib import closing

import pytest
import redis.exceptions
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django_tasks.base import Task

from lms.kernel.redis_outage import reset_breakers
from lms.kernel.tasks import enqueue
from lms.kernel.websocket_outage import TRY_AGAIN_LATER, ChannelLayerOutageGuard
from registry.models import ImportJob
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _fresh_breakers():
    reset_breakers()
    yield
    reset_breakers()


@pytest.fixture
def redis_down(settings):
    with closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.CACHES = {
        "default": {
            "BACKEND": "lms.kernel.cache.SharedRedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
        }
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"


@pytest.fixture
def queue_down(monkeypatch):
    def refused(self, *args, **kwargs):
        raise redis.exceptions.ConnectionError("Error 111 connecting. Refused.")

    monkeypatch.setattr(Task, "enqueue", refused)


@pytest.mark.django_db
def test_log_in_and_signed_in_pages_work_with_redis_down(client, redis_down):
    UserFactory(username="01012345678", phone="01012345678", password="pass-Word-123")
    response = client.post(
        reverse("accounts:login"),
        {"username": "01012345678", "password": "pass-Word-123"},
    )
    assert response.status_code == 302
    assert client.get(reverse("home:dashboard")).status_code == 200
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_failed_log_ins_still_lock_out_with_redis_down(client, redis_down, settings):
    UserFactory(username="01012345678", phone="01012345678", password="pass-Word-123")
    url = reverse("accounts:login")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert (
            client.post(url, {"username": "01012345678", "password": "no"}).status_code
            == 200
        )
    assert (
        client.post(url, {"username": "01012345678", "password": "no"}).status_code
        == 429
    )


@pytest.mark.django_db
def test_an_import_upload_with_the_queue_down_answers_and_stays_queued(
    client, ministry_staff, queue_down, caplog, django_capture_on_commit_callbacks
):
    from lms.accounts.services import staff_directorate_assign

    # imports are scoped by directorate: this one uploads for the head office
    staff_directorate_assign(user_id=ministry_staff.pk, directorate_code="HQ")
    upload = SimpleUploadedFile("paper.csv", b"national_id\n", "text/csv")
    client.force_login(ministry_staff)
    with (
        caplog.at_level(logging.WARNING, logger="lms.tasks"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client.post(reverse("registry:import_upload"), {"file": upload})
    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert job.status == "queued"
    assert "not enqueued" in caplog.text and "import_job_run" in caplog.text


def test_enqueue_skips_the_queue_while_it_is_known_down(queue_down, monkeypatch):
    from registry.tasks import import_job_run

    calls = []
    monkeypatch.setattr(
        Task,
        "enqueue",
        lambda self, *a, **k: (
            calls.append(1)
            or (_ for _ in ()).throw(redis.exceptions.ConnectionError("refused"))
        ),
    )
    assert enqueue(import_job_run, job_id=1) is None
    assert enqueue(import_job_run, job_id=2) is None
    assert calls == [1]  # the second one did not wait on Redis


def test_enqueue_hands_back_the_result_when_the_queue_is_up(db):
    from registry.tasks import import_job_run

    result = enqueue(import_job_run, job_id=10**9)  # the immediate test backend
    assert result is not None and result.status == "SUCCESSFUL"


class _Socket:
    """The ASGI side of one WebSocket: what the server was sent."""

    def __init__(self):
        self.sent = []

    async def receive(self):
        return {"type": "websocket.connect"}

    async def send(self, message):
        self.sent.append(message)


def _layer_down_after(accept: bool):
    async def app(scope, receive, send):
        if accept:
            await send({"type": "websocket.accept"})
        raise redis.exceptions.ConnectionError("Error 111 connecting. Refused.")

    return app


@pytest.mark.parametrize("accepted", [False, True])
async def test_a_socket_is_closed_with_try_again_later_when_the_layer_is_down(
    accepted, caplog
):
    ws = _Socket()
    guard = ChannelLayerOutageGuard(_layer_down_after(accepted))
    with caplog.at_level(logging.WARNING, logger="lms.redis"):
        await guard({"type": "websocket"}, ws.receive, ws.send)
    assert ws.sent[-1] == {"type": "websocket.close", "code": TRY_AGAIN_LATER}
    assert "Traceback" not in caplog.text


async def test_other_socket_errors_are_not_hidden():
    async def broken(scope, receive, send):
        raise ValueError("a bug")

    ws = _Socket()
    with pytest.raises(ValueError):
        await ChannelLayerOutageGuard(broken)(
            {"type": "websocket"}, ws.receive, ws.send
        )


def test_the_layer_subscriber_logs_an_outage_without_a_traceback(caplog):
    ChannelLayerOutageGuard(_layer_down_after(False))
    with caplog.at_level(logging.WARNING):
        try:
            raise redis.exceptions.ConnectionError("Error 111 connecting. Refused.")
        except redis.exceptions.ConnectionError:
            logging.getLogger("channels_redis.pubsub").exception("Unexpected exception")
    assert "Traceback" not in caplog.text
    assert "channel layer unreachable" in caplog.text
