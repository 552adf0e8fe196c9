"""A surge of trainees on Maharat: what each simulated trainee does, and how often.

Environment: SURGE_ACCOUNTS (the JSON `bench.surge.setup` wrote), SURGE_ACKS (where
every write the server acknowledged is logged, one JSON line each, for
`bench.surge.verify`), SURGE_STATS (the final statistics per request type, JSON),
SURGE_PACE, SURGE_SEED. Host: the proxy, `https://127.0.0.1:PORT` (TLS,
self-signed: FastHttpUser does not verify it; loopback only).

Who arrives (the accounts decide, `bench.surge.setup`):
- 80 % learners, 20 % examinees: the surge is a morning when a cohort studies and
  one test session sits the online theory exam (a test centre's session is a fifth
  of a course's cohort at most).
- 10 % sign in, 90 % hold a session cookie: a session lasts two weeks, and a trainee
  who studies a few times a week signs in about once a fortnight (7 %), more with a
  new phone or a cleared browser. Signing in is reported apart from the goal: the
  password hasher (Argon2, 100 MiB, deliberately slow: a stolen hash must be costly
  to guess) spends a few hundred milliseconds of CPU by design, so its latency is
  the hasher's, not the platform's. Each types the number and password on the form
  for 8–20 s, as on a phone, so the sign-ins of one surge spread over ~20 s.

A learner (think times as on a phone, in seconds):
- dashboard on arrival; 30 % then browse catalogue → trade → course (3–8 s on
  each), the others go straight to the course page ("continue" on the dashboard);
- a lesson page (this records the lesson as opened, a write), read 5–15 s;
- the lesson's video, watched for 1–4 minutes of its ten: the player reports every
  10 s of playing (media_pipeline/player.js), each report one heartbeat event
  POSTed to progress/events/ as the page's outbox does (lesson.js, offline.js);
- its knowledge check after 20–60 s of thought, retried once in two if not passed
  (after 10–30 s, in the next try's order);
- 2–5 s, then the next lesson (or the course page after the last one).
So a learner sends ~15 heartbeats per page view: heartbeats are most of the traffic,
as in production, where video is the bulk of study time.

An examinee, per question: the question page, 15–45 s of thought, the answer saved
as exam.js saves it (PUT with a clock-based seq); one time in four the answer is
changed after 5–15 s (another PUT); essays are saved three times as they grow; then
"Save and next" (the form POST, another save, and a redirect); after the last
question the review page, then back to question 1 to revise.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import time
import uuid
from collections import deque
from pathlib import Path
from urllib.parse import urlencode

from gevent import ssl
from gevent.lock import Semaphore
from locust import FastHttpUser, between, events, task
from locust.exception import StopUser

from bench.surge import pages

ACCOUNTS = json.loads(Path(os.environ["SURGE_ACCOUNTS"]).read_text())
ACK_PATH = os.environ.get("SURGE_ACKS")
STATS_PATH = os.environ.get("SURGE_STATS")
RNG = random.Random(int(os.environ.get("SURGE_SEED", "19")))
# 1 = a person's pace. CI's short run compresses time (0.2: every think time and the
# player's 10 s between heartbeats a fifth as long, the seconds watched too) so that
# 100 trainees make every kind of write within a minute; that checks correctness,
# never speed.
PACE = float(os.environ.get("SURGE_PACE", "1"))
POOLS = {
    persona: deque(a for a in ACCOUNTS if a["persona"] == persona)
    for persona in ("learner", "examinee")
}
ACKS: list[dict] = []
_ack_lock = Semaphore()
HEARTBEAT_EVERY_S = 10
BROWSE_SHARE = 0.3
RETRY_SHARE = 0.5
CHANGE_SHARE = 0.25


def ack(kind: str, **fields) -> None:
    with _ack_lock:
        ACKS.append({"kind": kind, **fields})


_environment = []


@events.init.add_listener
def _keep_environment(environment, **_kwargs) -> None:
    _environment.append(environment)


@events.quit.add_listener
def _write_results(**_kwargs) -> None:
    """Once every user has stopped: the acknowledgements and the final statistics
    (the --csv files are written every second, so they may miss the last one)."""
    if ACK_PATH:
        with _ack_lock, open(ACK_PATH, "w") as out:
            for row in ACKS:
                out.write(json.dumps(row, ensure_ascii=False) + "\n")
    if STATS_PATH and _environment:
        runner = _environment[0].runner
        entries = [*runner.stats.entries.values(), runner.stats.total]
        crashes = [
            {"error": e["msg"], "count": e["count"]} for e in runner.exceptions.values()
        ]
        Path(STATS_PATH).write_text(
            json.dumps({"entries": [_summary(e) for e in entries], "crashes": crashes})
        )


def _summary(entry) -> dict:
    return {
        "method": entry.method or "",
        "name": entry.name,
        "count": entry.num_requests,
        "failures": entry.num_failures,
        "p50": entry.get_response_time_percentile(0.5) or 0,
        "p95": entry.get_response_time_percentile(0.95) or 0,
        "p99": entry.get_response_time_percentile(0.99) or 0,
        "rps": entry.total_rps,
    }


# One TLS client context for every simulated trainee. FastHttpUser's default factory
# makes one per trainee and then loads the CA bundle into it (geventhttpclient calls
# load_verify_locations when the factory takes no cafile): ~35 ms of the generator's
# CPU per trainee, so 1,000 arriving at 100/s kept its one core busy for the first
# ~35 s, and the time the requests waited in the generator was reported as the
# server's latency. The site is on loopback with a self-signed certificate: nothing
# is verified, as with the default.
_TLS = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
_TLS.check_hostname = False
_TLS.verify_mode = ssl.CERT_NONE


def shared_tls_context(cafile: str | None = None) -> ssl.SSLContext:
    return _TLS


def think(low: float, high: float) -> None:
    time.sleep(RNG.uniform(low, high) * PACE)  # gevent patches time.sleep


class Trainee(FastHttpUser):
    abstract = True
    persona = ""
    ssl_context_factory = staticmethod(shared_tls_context)
    wait_time = between(2, 5)

    def on_start(self) -> None:
        if not POOLS[self.persona]:
            raise StopUser()  # more users than accounts: never share one
        self.account = POOLS[self.persona].popleft()
        self.rng = random.Random(RNG.random())
        self.csrf = ""
        if self.account["session"]:
            self.client.cookiejar.set_cookie(
                _cookie("sessionid", self.account["session"], self.host)
            )
        else:
            self.sign_in()
        self.page("dashboard", "/dashboard/")

    # -- HTTP helpers ---------------------------------------------------------------
    def page(self, name: str, path: str) -> str | None:
        """GET a page; a redirect (to the sign-in form, say) is a failure too."""
        with self.client.get(
            path, name=name, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"{response.status_code} {_location(response)}")
                return None
            self._remember_csrf()
            return response.text

    def form(self, name: str, path: str, fields: list[tuple[str, str]]):
        """POST a form as the browser does (no redirect followed: it is checked)."""
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": self.host,
            "Referer": self.host + path,
        }
        return self.client.post(
            path, name=name, data=urlencode(fields), headers=headers,
            allow_redirects=False, catch_response=True,
        )  # fmt: skip

    def _remember_csrf(self) -> None:
        for cookie in self.client.cookiejar:
            if cookie.name == "csrftoken":
                self.csrf = cookie.value

    def api(self, method: str, name: str, path: str, body: dict, referer: str):
        headers = {
            "Content-Type": "application/json",
            "Accept": "application/json",
            "X-CSRFToken": self.csrf,
            "Origin": self.host,
            "Referer": self.host + referer,
        }
        return self.client.request(
            method, path, name=name, data=json.dumps(body), headers=headers,
            catch_response=True,
        )  # fmt: skip

    def sign_in(self) -> None:
        form = self.page("sign-in form", "/accounts/login/")
        if form is None:
            raise StopUser()
        think(8, 20)  # typing the number and the password on a phone
        token = pages.csrf_token(form)
        fields = [
            ("csrfmiddlewaretoken", token),
            ("username", self.account["username"]),
            ("password", self.account["password"]),
        ]
        with self.form("sign-in", "/accounts/login/", fields) as response:
            location = _location(response)
            if response.status_code != 302 or "/accounts/login" in location:
                response.failure(f"{response.status_code} {location}")
                raise StopUser()


def _cookie(name: str, value: str, host: str):
    from http.cookiejar import Cookie
    from urllib.parse import urlsplit

    domain = urlsplit(host).hostname or ""
    return Cookie(
        0, name, value, None, False, domain, False, False, "/", True, True, None,
        False, None, None, {"HttpOnly": None},
    )  # fmt: skip


class Learner(Trainee):
    persona = "learner"
    weight = max(1, len(POOLS["learner"]))

    def on_start(self) -> None:
        super().on_start()
        self.course_url = self.account["course_url"]
        self.lessons: list[str] = []
        self.lesson_url: str | None = None
        self.watched: dict[tuple[int, int], int] = {}

    @task
    def study(self) -> None:
        if self.lesson_url is None:
            self.to_course()
            if not self.lessons:
                return
            self.lesson_url = self.rng.choice(self.lessons)
        think(2, 5)
        self.lesson_url = self.lesson(self.lesson_url)

    def to_course(self) -> None:
        if self.rng.random() < BROWSE_SHARE:
            self.page("catalogue", "/courses/")
            think(3, 8)
            trade = self.course_url.rstrip("/").rsplit("/", 1)[0] + "/"
            self.page("trade page", trade)
            think(3, 8)
        text = self.page("course page", self.course_url)
        if text:
            self.lessons = pages.lesson_links(text, self.course_url)

    def lesson(self, url: str) -> str | None:
        text = self.page("lesson page", url)
        if text is None:
            return None
        lesson = pages.parse_lesson(text)
        ack("open", user_id=self.account["user_id"], lesson_id=lesson.lesson_id)
        think(5, 15)
        if lesson.video:
            self.watch(lesson, url, minutes=self.rng.uniform(1, 4))
        for check in lesson.checks:
            self.answer_check(lesson, url, check)
        return lesson.next_url

    def watch(self, lesson: pages.Lesson, url: str, *, minutes: float) -> None:
        asset_id, duration = lesson.video
        key = (lesson.lesson_id, asset_id)
        step = max(1, round(HEARTBEAT_EVERY_S * PACE))
        for _ in range(int(minutes * 60 // HEARTBEAT_EVERY_S)):
            if self.watched.get(key, 0) >= duration:
                return
            time.sleep(step)
            watched = min(duration, self.watched.get(key, 0) + step)
            event = {
                "id": str(uuid.uuid4()),
                "kind": "heartbeat",
                "at": _now_iso(),
                "user_id": self.account["user_id"],
                "lesson_id": lesson.lesson_id,
                "asset_id": asset_id,
                "watched_s": watched,
                "position_s": watched,
                "duration_s": duration,
            }
            with self.api(
                "POST",
                "heartbeat",
                "/api/v1/progress/events/",
                {"events": [event]},
                url,
            ) as response:
                result = _first_result(response)
                if result is None:
                    response.failure(f"{response.status_code}")
                    continue
                if not result.get("accepted"):
                    response.failure(f"refused: {result.get('code')}")
                    continue
                self.watched[key] = watched
                ack(
                    "heartbeat", user_id=self.account["user_id"], event_id=event["id"],
                    lesson_id=lesson.lesson_id, asset_id=asset_id, watched_s=watched,
                )  # fmt: skip

    def answer_check(self, lesson: pages.Lesson, url: str, check: pages.Check) -> None:
        think(20, 60)
        for _try in range(2):
            body: dict = {"answers": pages.check_answers(check, self.rng)}
            if check.attempt is not None:
                body["attempt"] = check.attempt
            path = f"{lesson.check_base}{check.block_id}/"
            with self.api("POST", "knowledge check", path, body, url) as response:
                if response.status_code != 200:
                    response.failure(f"{response.status_code} {response.text[:80]}")
                    return
                answer = response.json()
            ack(
                "check", user_id=self.account["user_id"], lesson_id=lesson.lesson_id,
                block_id=check.block_id, tries=answer["tries"],
            )  # fmt: skip
            if answer["passed"] or not answer.get("next"):
                return
            if self.rng.random() >= RETRY_SHARE:
                return
            check = pages.next_try(check, answer["next"])
            think(10, 30)


class Examinee(Trainee):
    persona = "examinee"
    weight = max(1, len(POOLS["examinee"]))

    def on_start(self) -> None:
        super().on_start()
        self.attempt = self.account["attempt_id"]
        self.position = 1
        self.seq = 0

    def next_seq(self) -> int:
        """exam.js's counter: the clock in ms, always growing."""
        self.seq = max(int(time.time() * 1000), self.seq + 1)
        return self.seq

    @task
    def question(self) -> None:
        url = f"/exams/attempts/{self.attempt}/q/{self.position}/"
        text = self.page("exam question page", url)
        if text is None:
            think(5, 10)
            return
        question = pages.parse_question(text)
        think(15, 45)
        answer = pages.exam_answer(question, self.rng)
        self.save(question, answer, url)
        if question.kind == "essay":
            for _ in range(2):
                think(10, 20)
                answer = f"{answer} {pages.exam_answer(question, self.rng)}"
                self.save(question, answer, url)
        elif self.rng.random() < CHANGE_SHARE:
            think(5, 15)
            answer = pages.exam_answer(question, self.rng)
            self.save(question, answer, url)
        think(2, 5)
        self.save_and_next(question, answer, url)

    def save(self, question: pages.Question, answer: object, url: str) -> None:
        seq = self.next_seq()
        body = {"response": answer, "seq": seq}
        with self.api("PUT", "exam answer save", question.save_url, body, url) as r:
            if r.status_code != 200:
                r.failure(f"{r.status_code} {r.text[:80]}")
                return
            saved = r.json()
        ack(
            "answer", attempt_id=self.attempt, position=self.position, seq=seq,
            stored_seq=saved["seq"], applied=saved["applied"], response=answer,
        )  # fmt: skip

    def save_and_next(self, question: pages.Question, answer: object, url: str) -> None:
        seq = self.next_seq()
        data = [
            ("csrfmiddlewaretoken", question.csrf),
            ("seq", str(seq)),
            ("go", str(question.go_next)),
            *pages.exam_form(question, answer),
        ]
        with self.form("exam save and next", url, data) as response:
            location = _location(response)
            moved = location.rstrip("/").endswith(
                f"/q/{question.go_next}" if question.go_next else "/review"
            )
            if response.status_code != 302 or not moved:
                response.failure(f"{response.status_code} {location}")
                return
        ack(
            "answer", attempt_id=self.attempt, position=self.position, seq=seq,
            stored_seq=seq, applied=True, response=answer,
        )  # fmt: skip
        if question.go_next:
            self.position = question.go_next
            return
        think(2, 5)
        self.page("exam review page", f"/exams/attempts/{self.attempt}/review/")
        self.position = 1  # revise from the first question


def _location(response) -> str:
    """Where a redirect goes ("" without one, or without an answer at all)."""
    return (response.headers or {}).get("Location", "")


def _first_result(response) -> dict | None:
    if response.status_code != 200:
        return None
    try:
        results = response.json()["results"]
    except (ValueError, KeyError, TypeError):
        return None
    return results[0] if results else None


def _now_iso() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")
