"""Polls: one open at a time in a class, one vote per person."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.kernel.errors import Conflict, Invalid
from virtual_classes.data import PollData
from virtual_classes.models import Poll, PollVote
from virtual_classes.selectors.classroom import poll_data

QUESTION_MAX_CHARS = 300
POLL_MAX_OPTIONS = 10
POLL_OPTION_MAX_CHARS = 100


@transaction.atomic
def poll_open(*, live_class_id: int, question: object, options: object) -> PollData:
    """Open a poll. Refusals: Invalid (question or options), Conflict
    (``poll_open``: close the current poll first)."""
    if not isinstance(question, str) or not question.strip():
        raise Invalid(_("Write the poll question."))
    if len(question) > QUESTION_MAX_CHARS:
        raise Invalid(_("The question can be at most 300 characters."))
    if (
        not isinstance(options, list)
        or not 2 <= len(options) <= POLL_MAX_OPTIONS
        or not all(isinstance(o, str) and o.strip() for o in options)
    ):
        raise Invalid(
            _("A poll needs between 2 and %(max)s non-empty options.")
            % {"max": POLL_MAX_OPTIONS}
        )
    if any(len(o) > POLL_OPTION_MAX_CHARS for o in options):
        raise Invalid(
            _("An option can be at most %(max)s characters.")
            % {"max": POLL_OPTION_MAX_CHARS}
        )
    if Poll.objects.filter(
        live_class_id=live_class_id, closed_at__isnull=True
    ).exists():
        raise Conflict(
            _("Close the current poll before opening another."), code="poll_open"
        )
    try:
        with transaction.atomic():
            poll = Poll.objects.create(
                live_class_id=live_class_id,
                question=question.strip(),
                options=[o.strip() for o in options],
            )
    except IntegrityError:  # another tab opened one at the same moment
        raise Conflict(
            _("Close the current poll before opening another."), code="poll_open"
        ) from None
    return poll_data(poll)


def _open_poll(*, live_class_id: int, poll_id: int) -> Poll:
    poll = Poll.objects.filter(pk=poll_id, live_class_id=live_class_id).first()
    if poll is None:
        raise Invalid(_("There is no such poll in this class."))
    if poll.closed_at:
        raise Conflict(_("This poll is closed."), code="poll_closed")
    return poll


def poll_vote(
    *, live_class_id: int, poll_id: int, user_id: int, option: int
) -> PollData:
    """Record the user's single vote and return the new tallies. Refusals: Invalid
    (no such poll or option), Conflict (``poll_closed``, ``already_voted``)."""
    poll = _open_poll(live_class_id=live_class_id, poll_id=poll_id)
    if not 0 <= option < len(poll.options):
        raise Invalid(_("There is no such option."))
    try:
        with transaction.atomic():
            PollVote.objects.create(poll=poll, user_id=user_id, option=option)
    except IntegrityError:
        raise Conflict(
            _("You have already voted in this poll."), code="already_voted"
        ) from None
    return poll_data(poll)


@transaction.atomic
def poll_close(*, live_class_id: int, poll_id: int) -> PollData:
    poll = _open_poll(live_class_id=live_class_id, poll_id=poll_id)
    poll.closed_at = timezone.now()
    poll.save(update_fields=["closed_at"])
    return poll_data(poll)
