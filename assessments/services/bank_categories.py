"""A bank's categories in the web: a category is a topic whose name is its path
(Moodle's notation, `assessments.categories`); renaming or moving one renames its
subcategories' paths too. Topics keep their ids, so questions and blueprint rules
follow."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from assessments.categories import join_path, split_path
from assessments.data import CategoryData
from assessments.models import Topic
from assessments.services.bank_editing import author_check, bank_or_404
from lms.kernel.errors import Conflict, Invalid, NotFound


def _level_name(name: str) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise Invalid(_("Give the category a name."), code="category_name_missing")
    return name


def _path_or_refuse(levels: list[str]) -> str:
    path = join_path(levels)
    if len(path) > 255:
        raise Invalid(
            _("The category's path is too long (255 characters at most)."),
            code="category_path_too_long",
        )
    return path


@transaction.atomic
def category_create(
    *, bank_id: int, user_id: int | None, name: str, parent_path: str = ""
) -> CategoryData:
    """A new category under `parent_path` ("" for the top)."""
    author_check(user_id)
    bank = bank_or_404(bank_id)
    levels = [*split_path(parent_path), _level_name(name)]
    path = _path_or_refuse(levels)
    if Topic.objects.filter(bank=bank, name=path).exists():
        raise Conflict(
            _("The category “%(path)s” exists already.") % {"path": " / ".join(levels)},
            code="category_exists",
        )
    topic = Topic.objects.create(bank=bank, name=path)
    return CategoryData(id=topic.pk, path=path, label=" / ".join(levels))


def _repath(bank_id: int, old: list[str], new: list[str]) -> int:
    """Give the category `old` (and every subcategory) the path `new`."""
    topics = list(Topic.objects.select_for_update().filter(bank_id=bank_id))
    moving = []
    for topic in topics:
        levels = split_path(topic.name)
        if levels[: len(old)] == old:
            moving.append((topic, _path_or_refuse(new + levels[len(old) :])))
    if not moving:
        raise NotFound(_("No such category."))
    if new == old:
        return 0
    if new[: len(old)] == old:
        raise Invalid(
            _("A category cannot move into itself or its subcategories."),
            code="category_into_itself",
        )
    kept = {t.name for t in topics} - {t.name for t, _p in moving}
    if kept & {path for _t, path in moving}:
        raise Conflict(
            _("The category “%(path)s” exists already.") % {"path": " / ".join(new)},
            code="category_exists",
        )
    for topic, path in moving:
        topic.name = path
        topic.save(update_fields=["name"])
    return len(moving)


@transaction.atomic
def category_rename(*, bank_id: int, user_id: int | None, path: str, name: str) -> int:
    """Rename a category; its subcategories follow. The number of topics renamed."""
    author_check(user_id)
    bank_or_404(bank_id)
    old = split_path(path)
    if not old:
        raise NotFound(_("No such category."))
    return _repath(bank_id, old, [*old[:-1], _level_name(name)])


@transaction.atomic
def category_move(
    *, bank_id: int, user_id: int | None, path: str, parent_path: str
) -> int:
    """Move a category (with its subcategories) under `parent_path` ("" for the
    top). The number of topics moved."""
    author_check(user_id)
    bank_or_404(bank_id)
    old = split_path(path)
    parent = split_path(parent_path)
    if not old:
        raise NotFound(_("No such category."))
    if parent and not any(
        split_path(name)[: len(parent)] == parent
        for name in Topic.objects.filter(bank_id=bank_id).values_list("name", flat=True)
    ):
        raise NotFound(_("No such category."))
    return _repath(bank_id, old, [*parent, old[-1]])
