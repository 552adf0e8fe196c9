"""Saving one answer: idempotent by `seq`, two statements, never acknowledged and then
lost to a submission (see the README, "Idempotent answers")."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, NoReturn, cast

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Field
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.data import AnswerSaved
from assessments.models import Attempt, AttemptItem, AttemptStatus, deadline_grace
from assessments.question_types import get_kind
from lms.kernel.errors import Conflict, Invalid, NotFound

# The two statements of a save are written out: the ORM's query building cost more
# CPU than the rest of the save (bench/profile_answer_save.py), and the write's row
# lock inside an UPDATE cannot be expressed with the ORM.
_ANSWER_READ_SQL = """
SELECT item.snapshot, item.public, item.response_seq, attempt.status,
       attempt.deadline_at >= %s
  FROM assessments_attemptitem item
  JOIN assessments_attempt attempt ON attempt.id = item.attempt_id
 WHERE item.attempt_id = %s AND item.position = %s AND attempt.user_id = %s
"""

_ANSWER_STORE_SQL = """
UPDATE assessments_attemptitem
   SET response = %s, response_seq = %s, answered_at = %s
 WHERE attempt_id = %s AND position = %s AND response_seq < %s
   AND EXISTS (SELECT 1 FROM assessments_attempt
                WHERE id = %s AND status = %s AND deadline_at >= %s {lock})
"""


def _field(name: str) -> Field:
    return cast(Field, AttemptItem._meta.get_field(name))


def _json(name: str, value: Any) -> Any:
    """A JSON column as the ORM would read it (the read bypasses the ORM)."""
    field: Any = _field(name)
    return field.from_db_value(value, None, connection)


@dataclass(frozen=True)
class _AnswerRow:
    snapshot: dict
    public: dict
    seq: int
    status: str
    in_time: bool  # not later than deadline + grace


def _answer_read(
    *, attempt_id: int, user_id: int, position: int, now: dt.datetime
) -> _AnswerRow:
    """The item (snapshot and public view), its stored seq and the attempt's state,
    if the attempt belongs to `user_id`; NotFound otherwise."""
    cutoff = _field("answered_at").get_db_prep_value(now - deadline_grace(), connection)
    with connection.cursor() as cursor:
        cursor.execute(_ANSWER_READ_SQL, [cutoff, attempt_id, position, user_id])
        row = cursor.fetchone()
    if row is None:
        _refuse_missing(attempt_id=attempt_id, user_id=user_id, position=position)
    snapshot, public, seq, status, in_time = row
    return _AnswerRow(
        snapshot=_json("snapshot", snapshot),
        public=_json("public", public),
        seq=seq,
        status=status,
        in_time=bool(in_time),
    )


def _refuse_missing(*, attempt_id: int, user_id: int, position: int) -> NoReturn:
    if not Attempt.objects.filter(pk=attempt_id, user_id=user_id).exists():
        raise NotFound(_("No such attempt."))
    raise NotFound(
        _("This exam has no question %(n)d.") % {"n": position},
        code="question_not_found",
    )


def _check_open(row: _AnswerRow) -> None:
    if row.status != AttemptStatus.IN_PROGRESS:
        raise Conflict(
            _("This attempt has been submitted; answers are closed."),
            code="attempt_submitted",
        )
    if not row.in_time:
        raise Conflict(
            _("Time is up: answers after the deadline are refused."),
            code="answers_closed",
        )


def answer_store(
    *, attempt_id: int, position: int, response: Any, seq: int, now: dt.datetime
) -> bool:
    """Write the answer if the attempt is open and `seq` is newer than the stored one.

    One statement (its own transaction unless the caller holds one). On PostgreSQL
    it first takes the attempt's row lock (`FOR NO KEY UPDATE`; submission takes
    `FOR UPDATE`), so saves of one attempt queue behind each other and behind its
    submission, and the status and deadline are checked again once the lock is
    held: a save is either graded or refused, never silently dropped. SQLite
    serialises writers anyway.
    """
    lock = ""
    if connection.features.has_select_for_update:
        lock = connection.ops.for_update_sql(no_key=True)
    answered_at = _field("answered_at")
    params = [
        _field("response").get_db_prep_save(response, connection),
        seq,
        answered_at.get_db_prep_save(now, connection),
        attempt_id,
        position,
        seq,
        attempt_id,
        AttemptStatus.IN_PROGRESS.value,
        answered_at.get_db_prep_save(now - deadline_grace(), connection),
    ]
    with connection.cursor() as cursor:
        cursor.execute(_ANSWER_STORE_SQL.format(lock=lock), params)
        return cursor.rowcount == 1


def attempt_answer_save(
    *,
    attempt_id: int,
    user_id: int,
    position: int,
    response: Any,
    seq: int | str,
    now: dt.datetime | None = None,
) -> AnswerSaved:
    """Save one answer. Idempotent: a retry or an older `seq` changes nothing.

    `seq` grows with every change the trainee makes (the page uses a clock-based
    counter, so a second device continues where the first stopped). Refusals:
    NotFound (no such attempt of this trainee, or `question_not_found`), Conflict
    `attempt_submitted` or `answers_closed` (past the deadline), Invalid
    `invalid_answer` (the response does not fit the question) or `invalid`.
    """
    now = now or timezone.now()
    try:
        seq = int(seq)
        position = int(position)
    except (TypeError, ValueError):
        raise Invalid(_("The answer is missing its number.")) from None
    if seq < 1:
        raise Invalid(_("The answer is missing its number."))
    row = _answer_read(
        attempt_id=attempt_id, user_id=user_id, position=position, now=now
    )
    _check_open(row)
    kind = get_kind(row.snapshot["kind"])
    try:
        cleaned = kind.clean_response(row.snapshot["data"], row.public, response)
    except ValidationError as exc:
        raise Invalid.from_validation_error(exc, code="invalid_answer") from None
    if seq <= row.seq:
        return AnswerSaved(position=position, seq=row.seq, applied=False)
    if answer_store(
        attempt_id=attempt_id, position=position, response=cleaned, seq=seq, now=now
    ):
        return AnswerSaved(position=position, seq=seq, applied=True)
    # Refused by the write: the attempt closed, or a newer save won, meanwhile.
    row = _answer_read(
        attempt_id=attempt_id, user_id=user_id, position=position, now=now
    )
    _check_open(row)
    return AnswerSaved(position=position, seq=row.seq, applied=False)
