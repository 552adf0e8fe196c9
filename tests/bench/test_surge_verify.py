"""The surge's lost-writes count (bench/surge/verify.py): an acknowledged write that
the database does not hold is counted, one that it holds is not."""

from bench.surge.verify import State, count_lost

ANSWER = {"kind": "answer", "attempt_id": 7, "position": 1, "response": "a"}


def state(**changes) -> State:
    held = {
        "opened": frozenset({(1, 10)}),
        "accepted_events": frozenset({(1, "e1"), (1, "e2")}),
        "watched": {(1, 10, 5): 20},
        "tries": {(1, 10, "b"): 2},
        "answers": {(7, 1): (300, "A")},
        "expected": {(7, 1, 200): "B", (7, 1, 300): "A"},
    }
    held.update(changes)
    return State(**held)


def acks() -> list[dict]:
    return [
        {"kind": "open", "user_id": 1, "lesson_id": 10},
        {"kind": "heartbeat", "user_id": 1, "event_id": "e1", "lesson_id": 10,
         "asset_id": 5, "watched_s": 10},
        {"kind": "heartbeat", "user_id": 1, "event_id": "e2", "lesson_id": 10,
         "asset_id": 5, "watched_s": 20},
        {"kind": "check", "user_id": 1, "lesson_id": 10, "block_id": "b", "tries": 1},
        {"kind": "check", "user_id": 1, "lesson_id": 10, "block_id": "b", "tries": 2},
        {**ANSWER, "seq": 200, "stored_seq": 200, "applied": True},
        {**ANSWER, "seq": 300, "stored_seq": 300, "applied": True},
    ]  # fmt: skip


def lost(tallies) -> dict[str, int]:
    return {kind: t.lost for kind, t in tallies.items()}


def test_every_acknowledged_write_held_means_nothing_lost():
    tallies = count_lost(acks(), state())
    assert lost(tallies) == {"open": 0, "heartbeat": 0, "check": 0, "answer": 0}
    assert [t.acknowledged for t in tallies.values()] == [1, 2, 2, 2]


def test_a_lesson_opened_but_not_recorded_is_lost():
    assert lost(count_lost(acks(), state(opened=frozenset())))["open"] == 1


def test_a_heartbeat_event_missing_is_lost():
    held = state(accepted_events=frozenset({(1, "e1")}))
    assert lost(count_lost(acks(), held))["heartbeat"] == 1


def test_seconds_watched_behind_the_acknowledged_ones_are_lost():
    tallies = count_lost(acks(), state(watched={(1, 10, 5): 10}))
    assert tallies["heartbeat"].lost == 1
    assert "20 s acknowledged, 10 stored" in tallies["heartbeat"].examples[0]


def test_fewer_check_tries_than_acknowledged_are_lost():
    assert lost(count_lost(acks(), state(tries={(1, 10, "b"): 1})))["check"] == 1


def test_an_exam_answer_older_than_acknowledged_is_lost():
    tallies = count_lost(acks(), state(answers={(7, 1): (200, "B")}))
    assert tallies["answer"].lost == 1


def test_the_newest_answer_stored_with_another_response_is_lost():
    tallies = count_lost(acks(), state(answers={(7, 1): (300, "C")}))
    assert tallies["answer"].lost == 1


def test_a_save_the_server_kept_a_newer_answer_for_counts_that_newer_seq():
    refused = [{**ANSWER, "seq": 250, "stored_seq": 400, "applied": False}]
    assert count_lost(refused, state(answers={(7, 1): (400, "D")}))["answer"].lost == 0
    assert count_lost(refused, state())["answer"].lost == 1
