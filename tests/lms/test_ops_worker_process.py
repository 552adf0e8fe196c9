"""The real task worker (`manage.py task_worker`, RQ with its scheduler) killed with
SIGKILL, as a lost machine or the OOM killer does: its scheduler lock outlives it (RQ
gives it 61 s, and another worker tried again only every 10 minutes), yet deferred
tasks run again within seconds; a transcode it was running is run again by the sweep
of the worker that replaces it.

Each test has its own redis-server; the workers use the test database."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
import redis
from django.core.files import File

from media_pipeline.models import VideoAsset
from tests.conftest import requires_postgres, requires_redis

ROOT = Path(__file__).resolve().parents[2]
LOCK = "rq:scheduler-lock:{}"

pytestmark = [
    pytest.mark.redis,
    requires_redis,
    requires_postgres,
    pytest.mark.skipif(not shutil.which("redis-server"), reason="needs redis-server"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _free_port() -> int:
    with closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _session_pids(sid: int) -> list[int]:
    """Every process of a session: RQ's work horse has a process group of its own."""
    pids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[3]) == sid:
            pids.append(int(stat.parent.name))
    return pids


def _wait(what: str, probe: Callable[[], object], timeout_s: float, log=None):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = probe()
        if value:
            return value
        time.sleep(0.2)
    tail = log.read_text()[-4000:] if log is not None and log.exists() else ""
    raise AssertionError(
        f"timed out after {timeout_s:.0f} s waiting for {what}\n{tail}"
    )


class Stack:
    """A redis-server of the test's own and task workers started against it."""

    def __init__(self, folder: Path, **env: str) -> None:
        from django.conf import settings

        self.folder = folder
        self.port = _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.redis_process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--dir", str(folder),
             "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        self.redis = redis.Redis.from_url(self.url)
        _wait("redis-server", self._pings, 10)
        database = urlsplit(os.environ["DATABASE_URL"])
        name = settings.DATABASES["default"]["NAME"]
        self.env = {
            **os.environ,
            "DATABASE_URL": urlunsplit(database._replace(path=f"/{name}")),
            "REDIS_URL": self.url,
            "DEBUG": "1",
            "PYTHONUNBUFFERED": "1",
            "TASKS_SWEEP_EVERY_S": "1",
            "MEDIA_ROOT": str(settings.MEDIA_ROOT),
            "PRIVATE_MEDIA_ROOT": str(settings.PRIVATE_MEDIA_ROOT),
            **env,
        }
        self.env.pop("DJANGO_SETTINGS_MODULE", None)
        self.workers: list[subprocess.Popen] = []

    def _pings(self) -> bool:
        try:
            return bool(self.redis.ping())
        except redis.ConnectionError:
            return False

    def worker(self, name: str, queues: str = "default", **env: str):
        log = self.folder / f"worker-{name}.log"
        process = subprocess.Popen(
            [sys.executable, "manage.py", "task_worker", "--queues", queues],
            cwd=ROOT,
            env={**self.env, **env},
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        process.log = log
        self.workers.append(process)
        return process

    def kill(self, process: subprocess.Popen) -> None:
        """SIGKILL to every process of the worker: itself, its scheduler, its work
        horse and what the horse runs (ffmpeg)."""
        for pid in _session_pids(process.pid):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        process.wait(timeout=10)
        _wait(
            "the killed worker's processes to go",
            lambda: not _session_pids(process.pid),
            10,
        )

    def shell(self, code: str) -> dict:
        """Python in `manage.py shell` against this stack; it prints one JSON line."""
        done = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", code],
            cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr[-3000:]
        return json.loads(done.stdout.strip().splitlines()[-1])

    def lock_holder(self, queue: str = "default") -> dict | None:
        """The scheduler holding `queue`'s lock, once it has registered (pid)."""
        name = self.redis.get(LOCK.format(queue))
        if name is None:
            return None
        info = self.redis.hgetall(b"rq:scheduler:" + name)
        if b"pid" not in info:
            return None
        return {"name": name.decode(), "pid": int(info[b"pid"])}

    def job_status(self, job_id: str) -> str:
        status = self.redis.hget(f"rq:job:{job_id}", "status")
        return status.decode() if status else ""

    def close(self) -> None:
        for process in self.workers:
            for pid in _session_pids(process.pid):
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            if process.poll() is None:
                process.wait(timeout=10)
        self.redis_process.kill()
        self.redis_process.wait(timeout=10)


@pytest.fixture
def stack(tmp_path):
    made = []

    def make(**env: str) -> Stack:
        made.append(Stack(tmp_path, **env))
        return made[-1]

    yield make
    for one in made:
        one.close()


DEFERRED = (
    "import json, datetime as dt\n"
    "from django.utils import timezone\n"
    "from assessments.tasks import attempts_expire_overdue_task as t\n"
    "r = t.using(run_after=timezone.now() + dt.timedelta(seconds={s})).enqueue()\n"
    "print(json.dumps({{'id': r.id}}))"
)


def test_a_worker_restarted_after_a_kill_runs_deferred_tasks_at_once(stack):
    s = stack()
    first = s.worker("first")
    dead = _wait("the first worker's scheduler", s.lock_holder, 60, first.log)
    s.kill(first)
    assert s.redis.get(LOCK.format("default")).decode() == dead["name"]
    assert s.redis.ttl(LOCK.format("default")) > 30  # RQ alone: a minute, then 10

    second = s.worker("second")  # restarted at once, as a supervisor does
    job = s.shell(DEFERRED.format(s=2))["id"]
    restarted = time.monotonic()
    _wait(
        "the deferred task",
        lambda: s.job_status(job) == "finished",
        45,
        second.log,
    )
    assert time.monotonic() - restarted < 45
    holder = s.lock_holder()
    assert holder["name"] != dead["name"] and holder["pid"] in _session_pids(second.pid)
    assert "scheduler lock of queue default released" in second.log.read_text()


def test_a_running_worker_takes_over_the_scheduler_of_one_killed_beside_it(stack):
    s = stack()
    first = s.worker("first")
    dead = _wait("the first worker's scheduler", s.lock_holder, 60, first.log)
    second = s.worker("second", TASKS_RQ_MAINTENANCE_S="2")
    _wait("the second worker", lambda: s.redis.scard("rq:workers") == 2, 60, second.log)
    assert s.lock_holder()["name"] == dead["name"]  # it waits: the lock is taken
    s.kill(first)
    killed = time.monotonic()
    job = s.shell(DEFERRED.format(s=1))["id"]
    _wait("the deferred task", lambda: s.job_status(job) == "finished", 45, second.log)
    assert time.monotonic() - killed < 45  # RQ alone: its maintenance, 10 min
    assert s.lock_holder()["pid"] in _session_pids(second.pid)


def test_a_transcode_killed_with_its_worker_is_run_again_by_the_next_ones_sweep(
    stack, tmp_path
):
    clip = tmp_path / "lesson.mp4"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-y", "-nostdin",
         "-f", "lavfi", "-i", "testsrc2=size=480x360:rate=25:duration=20",
         "-f", "lavfi", "-i", "sine=frequency=440:duration=20",
         "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
         "-c:a", "aac", "-shortest", str(clip)],
        check=True, timeout=120,
    )  # fmt: skip
    work = tmp_path / "scratch"
    work.mkdir()
    s = stack(
        MEDIA_WORK_DIR=str(work),
        MEDIA_STALE_AFTER_S="5",
        MEDIA_PROGRESS_SAVE_EVERY_S="0.5",
        MEDIA_X264_PRESET="ultrafast",
        MEDIA_HLS_SEGMENT_S="1",
    )
    asset = VideoAsset(title="Lesson")
    with clip.open("rb") as fh:
        asset.original.save(clip.name, File(fh), save=True)
    first = s.worker("first", "default,media")
    _wait("the first worker's scheduler", s.lock_holder, 60, first.log)
    s.shell(
        "import json\n"
        "from media_pipeline.services import video_asset_enqueue\n"
        f"print(json.dumps({{'token': video_asset_enqueue(asset_id={asset.pk})}}))"
    )

    def transcoding():
        row = VideoAsset.objects.get(pk=asset.pk)
        return row if row.status == "transcoding" and row.progress_percent > 0 else None

    running = _wait("the transcode to progress", transcoding, 90, first.log)
    s.kill(first)
    killed_at = VideoAsset.objects.get(pk=asset.pk)
    assert killed_at.status == "transcoding" and killed_at.attempts == 1
    time.sleep(1.5)
    assert VideoAsset.objects.get(pk=asset.pk).heartbeat_at == killed_at.heartbeat_at

    second = s.worker("second", "default,media")
    _wait(
        "the transcode to be run again and finish",
        lambda: VideoAsset.objects.get(pk=asset.pk).status == "ready",
        180,
        second.log,
    )
    done = VideoAsset.objects.get(pk=asset.pk)
    assert done.attempts == 2 and done.job_token != running.job_token
    assert done.progress_percent == 100 and done.output_prefix
    assert not list(work.iterdir())  # the killed run's scratch went with the rerun
