"""Lost writes: every write the server acknowledged during the surge, looked up in the
database afterwards.

The load test logs each acknowledgement (bench/surge/locustfile.py, SURGE_ACKS):
- `open`: a lesson page answered 200 to an enrolled trainee → a LessonProgress row;
- `heartbeat`: an event the batch endpoint answered `accepted` → its ProgressEvent
  row (accepted) and the video's VideoProgress.watched_s at least as far;
- `check`: a knowledge-check try answered 200 with `tries` → CheckResult.tries at
  least that many;
- `answer`: an exam answer saved (PUT answered 200; "Save and next" redirected
  onwards) → the item's response_seq at least that seq (or the newer one the server
  said it kept), and, for the newest save of each item, the response saved.
Anything acknowledged and missing (or older) is a lost write.

`state_from_database(acks)` reads what the database holds (Django set up, the
servers' settings); `count_lost(acks, state)` compares (pure: tests/bench call it).
Run: `python -m bench.surge.verify ACKS.jsonl [--json OUT]` (exit 1 when a write is
lost).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

KINDS = ("open", "heartbeat", "check", "answer")


@dataclass
class Tally:
    acknowledged: int = 0
    lost: int = 0
    examples: list[str] = field(default_factory=list)

    def miss(self, what: str) -> None:
        self.lost += 1
        if len(self.examples) < 5:
            self.examples.append(what)


@dataclass(frozen=True)
class State:
    """What the database holds for the acknowledged writes' keys."""

    opened: frozenset[tuple[int, int]]  # (user, lesson)
    accepted_events: frozenset[tuple[int, str]]  # (user, client event id)
    watched: dict[tuple[int, int, int], int]  # (user, lesson, asset) → watched_s
    tries: dict[tuple[int, int, str], int]  # (user, lesson, block) → tries
    # (attempt, position) → (response_seq, stored response)
    answers: dict[tuple[int, int], tuple[int, Any]]
    # (attempt, position, seq) → the response that save would store (cleaned)
    expected: dict[tuple[int, int, int], Any] = field(default_factory=dict)


def read_acks(path: Path) -> list[dict]:
    with open(path) as lines:
        return [json.loads(line) for line in lines if line.strip()]


def count_lost(acks: Iterable[dict], state: State) -> dict[str, Tally]:
    tallies = {kind: Tally() for kind in KINDS}
    newest_sent: dict[tuple[int, int], int] = {}
    for row in acks:
        kind = row["kind"]
        tally = tallies[kind]
        tally.acknowledged += 1
        if kind == "open":
            if (row["user_id"], row["lesson_id"]) not in state.opened:
                tally.miss(f"lesson {row['lesson_id']} of user {row['user_id']}")
        elif kind == "heartbeat":
            user = row["user_id"]
            key = (user, row["lesson_id"], row["asset_id"])
            if (user, row["event_id"]) not in state.accepted_events:
                tally.miss(f"event {row['event_id']} of user {user}")
            elif state.watched.get(key, -1) < row["watched_s"]:
                tally.miss(
                    f"user {user} lesson {row['lesson_id']}: {row['watched_s']} s "
                    f"acknowledged, {state.watched.get(key)} stored"
                )
        elif kind == "check":
            key = (row["user_id"], row["lesson_id"], row["block_id"])
            if state.tries.get(key, 0) < row["tries"]:
                tally.miss(f"check {key}: {row['tries']} tries, {state.tries.get(key)}")
        else:
            key = (row["attempt_id"], row["position"])
            kept = max(row["seq"] if row["applied"] else 0, row["stored_seq"])
            stored_seq, _response = state.answers.get(key, (0, None))
            if stored_seq < kept:
                tally.miss(
                    f"attempt {key[0]} q{key[1]}: seq {kept}, stored {stored_seq}"
                )
            if row["applied"] and row["seq"] >= newest_sent.get(key, 0):
                newest_sent[key] = row["seq"]
    answers = tallies["answer"]
    for key, seq in newest_sent.items():
        stored_seq, response = state.answers.get(key, (0, None))
        expected = state.expected.get((*key, seq))
        if stored_seq == seq and response != expected:
            answers.miss(f"attempt {key[0]} q{key[1]}: {response!r} != {expected!r}")
    return tallies


def state_from_database(acks: list[dict]) -> State:
    """The rows behind the acknowledged writes (one query per kind)."""
    from assessments.models import AttemptItem
    from assessments.question_types import get_kind
    from courses.models import CheckResult, LessonProgress, ProgressEvent, VideoProgress

    users = {row["user_id"] for row in acks if "user_id" in row}
    attempts = {row["attempt_id"] for row in acks if row["kind"] == "answer"}
    opened = frozenset(
        LessonProgress.objects.filter(user_id__in=users).values_list(
            "user_id", "lesson_id"
        )
    )
    events = frozenset(
        ProgressEvent.objects.filter(user_id__in=users, accepted=True).values_list(
            "user_id", "client_event_id"
        )
    )
    watched = {
        (u, lesson, asset): s
        for u, lesson, asset, s in VideoProgress.objects.filter(
            user_id__in=users
        ).values_list("user_id", "lesson_id", "asset_id", "watched_s")
    }
    tries = {
        (u, lesson, block): n
        for u, lesson, block, n in CheckResult.objects.filter(
            user_id__in=users
        ).values_list("user_id", "lesson_id", "block_id", "tries")
    }
    items = {
        (item.attempt_id, item.position): item
        for item in AttemptItem.objects.filter(attempt_id__in=attempts)
    }
    expected = {}
    for row in acks:
        item = items.get((row.get("attempt_id"), row.get("position")))
        if row["kind"] != "answer" or item is None:
            continue
        kind = get_kind(item.snapshot["kind"])
        expected[(item.attempt_id, item.position, row["seq"])] = kind.clean_response(
            item.snapshot["data"], item.public, row["response"]
        )
    return State(
        opened=opened,
        accepted_events=events,
        watched=watched,
        tries=tries,
        answers={k: (i.response_seq, i.response) for k, i in items.items()},
        expected=expected,
    )


def report(tallies: dict[str, Tally]) -> str:
    lines = []
    for kind, tally in tallies.items():
        line = f"  {kind:<10} {tally.acknowledged:>7} acknowledged {tally.lost:>5} lost"
        lines.append(line + "".join(f"\n      e.g. {e}" for e in tally.examples))
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description="Count the surge's lost writes.")
    parser.add_argument("acks", type=Path)
    parser.add_argument("--json", type=Path, help="also write the tallies here")
    args = parser.parse_args()
    root = Path(__file__).resolve().parents[2]
    sys.path.insert(0, str(root))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings")
    import django

    django.setup()
    acks = read_acks(args.acks)
    tallies = count_lost(acks, state_from_database(acks))
    print(report(tallies))
    if args.json:
        args.json.write_text(json.dumps({k: asdict(t) for k, t in tallies.items()}))
    return 1 if sum(t.lost for t in tallies.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
