"""Where private files live: PRIVATE_MEDIA_ROOT, never under MEDIA_ROOT.

nginx serves MEDIA_ROOT at /media/ to anyone who knows a name; these files may only reach
their owner, through a Django view that checks who asks (privacy.views.data_export_download).
The location is read from the settings at every use, so tests can point it at a temporary
directory. For object storage (S3) this is the one class to swap.
"""

from __future__ import annotations

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    def __init__(self) -> None:
        # Owner-only files and directories: the worker writes, the web process reads (same user).
        super().__init__(file_permissions_mode=0o600, directory_permissions_mode=0o700)

    @property  # type: ignore[override]
    def base_location(self) -> str:
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property  # type: ignore[override]
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def url(self, name: str | None) -> str:
        raise ValueError("Private files have no public address; stream them through a view.")


def private_storage() -> PrivateStorage:
    return PrivateStorage()
