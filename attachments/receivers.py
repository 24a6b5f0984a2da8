"""Files leave storage with their row.

A receiver rather than a service, because an attachment row goes by many doors: its own
service, a cascade when a contribution, comment or community is deleted (by a member, in the
Wagtail admin, by the account deletion), the Django admin. Django sends post_delete for each
cascaded row, so one receiver covers them all. The files go only when the deletion is
committed: a rolled-back deletion keeps the files its rows still point at.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from .models import Attachment

logger = logging.getLogger(__name__)


def _delete_files(storage, names: list[str]) -> None:
    for name in names:
        try:
            storage.delete(name)
        except OSError:  # already gone, or the disk refuses: log, never break the deletion
            logger.warning("could not delete attachment file %s", name)


@receiver(post_delete, sender=Attachment, dispatch_uid="attachment_files_delete")
def attachment_files_delete(sender, instance: Attachment, **kwargs) -> None:
    names = [name for name in instance.file_names() if name]
    storage = instance.file.storage
    transaction.on_commit(lambda: _delete_files(storage, names))
