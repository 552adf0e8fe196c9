"""Point the private storage, and every file field that uses it, at a test folder."""

from __future__ import annotations

from pathlib import Path

from django.apps import apps
from django.core.files.storage import storages
from django.db.models import FileField

from lms.kernel.private_files import private_storage


def use_private_root(settings, monkeypatch, root: Path) -> None:
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": root, "base_url": "/private-files-have-no-url/"},
        },
    }
    storage = storages["private"]
    for model in apps.get_models():
        for field in model._meta.fields:
            if (
                isinstance(field, FileField)
                and getattr(field, "_storage_callable", None) is private_storage
            ):
                monkeypatch.setattr(field, "storage", storage)
