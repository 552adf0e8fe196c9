"""The web import in two steps: the uploaded file is staged in the private store
(never re-uploaded) under the bank and the person who sent it, its plan is shown, and
the confirmation commits exactly that plan, or is refused as stale when the plan or
the bank changed since (then the fresh plan is shown)."""

from __future__ import annotations

import datetime as dt
import re
import uuid

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.data import ImportPreview, ImportReport
from assessments.models import QuestionBank
from assessments.selectors.people import has_any_role, person
from assessments.selectors.question_editor import PUBLISHERS
from assessments.services.question_import import (
    plan_fingerprint,
    plan_steps,
    steps_commit,
)
from lms.kernel.errors import Conflict, Invalid, NotFound
from lms.kernel.private_files import private_storage

FOLDER = "assessments/imports"
KEEP_FOR = dt.timedelta(days=1)
_TOKEN = re.compile(r"^[0-9a-f]{32}$")
_SUFFIX = {"moodle-xml": "xml", "gift": "gift"}


def _folder(bank_id: int, user_id: int) -> str:
    return f"{FOLDER}/{bank_id}/{user_id}"


def _parse(*, name: str, content: bytes, fmt: str | None = None) -> list:
    from assessments.importers import parse_file

    try:
        return parse_file(name=name, content=content, fmt=fmt)
    except ValidationError as exc:
        raise Invalid(" ".join(exc.messages), code="import_file_refused") from None


def _bank(bank_id: int, *, lock: bool = False) -> QuestionBank:
    banks = QuestionBank.objects.select_for_update() if lock else QuestionBank.objects
    bank = banks.filter(pk=bank_id).first()
    if bank is None:
        raise NotFound(_("No such question bank."))
    return bank


def _sweep(folder: str) -> None:
    """Remove staged files nobody confirmed within a day."""
    storage = private_storage()
    try:
        _dirs, files = storage.listdir(folder)
        for name in files:
            path = f"{folder}/{name}"
            if timezone.now() - storage.get_modified_time(path) > KEEP_FOR:
                storage.delete(path)
    except (FileNotFoundError, NotImplementedError, OSError):
        return


def _staged(bank_id: int, user_id: int, token: str) -> tuple[str, str]:
    """The staged file's storage name and format, or NotFound."""
    if _TOKEN.match(token or ""):
        storage = private_storage()
        for fmt, suffix in _SUFFIX.items():
            name = f"{_folder(bank_id, user_id)}/{token}.{suffix}"
            if storage.exists(name):
                return name, fmt
    raise NotFound(
        _("This import is no longer waiting for confirmation: upload the file again."),
        code="import_not_staged",
    )


def _preview(bank_id: int, token: str, file_name: str, parsed: list) -> ImportPreview:
    steps = plan_steps(bank_id=bank_id, parsed=parsed)
    return ImportPreview(
        token=token,
        bank_id=bank_id,
        file_name=file_name,
        fingerprint=plan_fingerprint(bank_id=bank_id, steps=steps),
        entries=tuple(step.entry for step in steps),
    )


def question_import_stage(
    *, bank_id: int, user_id: int, file_name: str, content: bytes
) -> ImportPreview:
    """Keep an uploaded file for its confirmation and say what importing it does.
    Invalid `import_file_refused` when the whole file is refused (unsafe, not XML,
    not UTF-8, too large)."""
    from assessments.importers import guess_format

    _bank(bank_id)
    parsed = _parse(name=file_name, content=content)
    token = uuid.uuid4().hex
    folder = _folder(bank_id, user_id)
    _sweep(folder)
    suffix = _SUFFIX[guess_format(file_name, content)]
    private_storage().save(f"{folder}/{token}.{suffix}", ContentFile(content))
    return _preview(bank_id, token, file_name, parsed)


def question_import_preview(
    *, bank_id: int, user_id: int, token: str, file_name: str = ""
) -> ImportPreview:
    """The plan of a staged file as the bank stands now."""
    _bank(bank_id)
    name, fmt = _staged(bank_id, user_id, token)
    with private_storage().open(name, "rb") as handle:
        parsed = _parse(name=name, content=handle.read(), fmt=fmt)
    return _preview(bank_id, token, file_name, parsed)


def question_import_commit(
    *, bank_id: int, user_id: int, token: str, fingerprint: str
) -> ImportReport:
    """Commit the plan that was previewed. Conflict `import_preview_stale` when the
    file's plan is no longer the one shown (the bank changed meanwhile); the staged
    file is kept, so the fresh plan can be shown and confirmed. What an editor
    imports waits for a reviewer (drafts sent for review), as what they write in the
    editor does: an import is no way around the review."""
    name, fmt = _staged(bank_id, user_id, token)
    with private_storage().open(name, "rb") as handle:
        parsed = _parse(name=name, content=handle.read(), fmt=fmt)
    with transaction.atomic():
        _bank(bank_id, lock=True)
        steps = plan_steps(bank_id=bank_id, parsed=parsed)
        if plan_fingerprint(bank_id=bank_id, steps=steps) != fingerprint:
            raise Conflict(
                _(
                    "The bank changed since this preview, so nothing was imported. "
                    "Check the new preview and confirm again."
                ),
                code="import_preview_stale",
            )
        report = steps_commit(
            bank_id=bank_id,
            steps=steps,
            created_by_id=user_id,
            as_drafts=not may_publish(user_id=user_id),
        )
    private_storage().delete(name)
    return report


def may_publish(*, user_id: int | None) -> bool:
    """Whether this person's imports come into use at once (a content reviewer)."""
    user = person(user_id)
    return user is not None and has_any_role(user, PUBLISHERS)
