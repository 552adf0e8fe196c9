"""What live classes tell the personal pages (lms.kernel.personal_pages): a class
scheduled, moved, cancelled, ended or deleted shows on the dashboards of everyone
enrolled in its course (who they are is not read here: all kept pages are
abandoned after commit). The time a listed class ends, or the next comes within
the dashboard's window, is the panel's own `valid_until`."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save

from lms.kernel.personal_pages import personal_pages_all_changed
from virtual_classes.models import LiveClass


def _class_changed(sender: Any, **kwargs: Any) -> None:
    personal_pages_all_changed()


def connect() -> None:
    for signal, uid in ((post_save, "saved"), (post_delete, "deleted")):
        signal.connect(
            _class_changed, sender=LiveClass, dispatch_uid=f"personal_pages_class_{uid}"
        )
