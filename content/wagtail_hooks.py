"""Content in the workplace: the pages in review (with a badge for those waiting) and
the trades' search synonyms (a snippet in the admin's menu)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from content.models import TradeSynonyms
from lms.accounts.roles import Role, any_role, user_has_role
from lms.kernel.navigation import NavEntry


def _waiting(user: Any) -> int:
    """Pages waiting for this person's review (reviewers; an editor's count is 0)."""
    if not user_has_role(user, Role.CONTENT_REVIEWER):
        return 0
    from content.selectors import pages_to_review_count

    return pages_to_review_count(user_id=user.pk)


@hooks.register("maharat_nav_entries")
def content_nav_entries() -> list[NavEntry]:
    return [
        NavEntry(
            key="content.review",
            label=_("Pages in review"),
            description=_(
                "Pages waiting for your review, and your own sent for review"
            ),
            url_name="content:review_list",
            shown_to=any_role(Role.CONTENT_EDITOR, Role.CONTENT_REVIEWER),
            section="content",
            count=_waiting,
            order=12,
        )
    ]


class TradeSynonymsViewSet(SnippetViewSet):
    """Search synonyms in the admin's menu, for the content team (migration 0002
    gives content_editor and content_reviewer the rights)."""

    model = TradeSynonyms
    icon = "search"
    menu_label = _("Search synonyms")
    add_to_admin_menu = True
    list_display = ["trade", "group_count", "updated_at"]
    search_fields = ["trade", "groups"]


register_snippet(TradeSynonymsViewSet)
