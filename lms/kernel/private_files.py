"""Private storage for personal files, and the one way to hand one out.

Personal files (import files with full national IDs, practical-test evidence photos,
originals of videos and recordings) never live in the public media store: they go to
the storage named ``private`` (``STORAGES["private"]``), which has no public URL. A
view that has checked who is asking answers with :func:`private_file_response`:

- ``PRIVATE_FILES_SERVE = "accel"`` (behind the documented nginx): an empty answer
  with ``X-Accel-Redirect`` to the proxy's ``internal`` location, so nginx streams the
  file (with ``Range``) and Django never reads it;
- ``"s3"``: a redirect to a pre-signed URL that expires in ``PRIVATE_FILES_URL_TTL_S``;
- ``"django"`` (laptop default): Django streams the file itself.

Every answer is ``Cache-Control: private, no-store`` (phones are shared).
"""

from __future__ import annotations

import mimetypes
import uuid
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.utils.deconstruct import deconstructible
from django.utils.functional import cached_property

NO_STORE = "private, no-store"


class PrivateFileSystemStorage(FileSystemStorage):
    """A folder outside MEDIA_ROOT (``PRIVATE_MEDIA_ROOT``), with no URL."""

    @cached_property
    def base_location(self) -> str:
        location = self._location  # type: ignore[attr-defined]
        return self._value_or_setting(location, settings.PRIVATE_MEDIA_ROOT)

    def _clear_cached_properties(self, setting: Any, **kwargs: Any) -> None:
        super()._clear_cached_properties(setting, **kwargs)
        if setting == "PRIVATE_MEDIA_ROOT":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)

    def url(self, name: str | None) -> str:
        """No public address: forms and admin widgets that ask get an empty link;
        the file itself goes out only through private_file_response()."""
        return ""


def private_storage() -> Storage:
    """The private store (callable, so FileField(storage=...) stays lazy)."""
    return storages["private"]


@deconstructible
class UnguessableName:
    """``upload_to`` that keeps the extension and replaces the name by a UUID.

    Personal files must not be found by guessing (``evidence/2026/12/photo1.jpg``).
    """

    def __init__(self, folder: str) -> None:
        self.folder = folder.strip("/")

    def __call__(self, instance: object, filename: str) -> str:
        suffix = PurePosixPath(filename).suffix.lower()[:10]
        return f"{self.folder}/{uuid.uuid4().hex}{suffix}"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, UnguessableName) and other.folder == self.folder


def private_file_response(
    name: str,
    *,
    download_name: str | None = None,
    as_attachment: bool = False,
    content_type: str | None = None,
) -> HttpResponseBase:
    """Answer with the private file ``name``; call it only after checking who asks."""
    storage = private_storage()
    if not name or not storage.exists(name):
        raise Http404
    content_type = content_type or mimetypes.guess_type(name)[0]
    content_type = content_type or "application/octet-stream"
    mode = settings.PRIVATE_FILES_SERVE
    if mode == "s3":
        response: HttpResponseBase = HttpResponseRedirect(
            storage.url(name, expire=settings.PRIVATE_FILES_URL_TTL_S)  # type: ignore[call-arg]
        )
    elif mode == "accel":
        response = HttpResponse(content_type=content_type)
        prefix = settings.PRIVATE_FILES_ACCEL_PREFIX.rstrip("/")
        response["X-Accel-Redirect"] = f"{prefix}/{quote(name)}"
        _set_disposition(response, download_name, as_attachment)
    else:
        response = FileResponse(
            storage.open(name, "rb"),
            content_type=content_type,
            as_attachment=as_attachment,
            filename=download_name or PurePosixPath(name).name,
        )
    response["Cache-Control"] = NO_STORE
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _set_disposition(
    response: HttpResponse, download_name: str | None, as_attachment: bool
) -> None:
    kind = "attachment" if as_attachment else "inline"
    if download_name:
        encoded = quote(download_name)
        response["Content-Disposition"] = f"{kind}; filename*=UTF-8''{encoded}"
    elif as_attachment:
        response["Content-Disposition"] = kind
