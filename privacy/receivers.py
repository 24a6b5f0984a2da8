"""A deleted export row takes its zip with it, also when the row goes because its member's
account is deleted (a cascade the privacy app does not see otherwise). A login withdraws the
warning of the inactive-accounts job (privacy/retention.py)."""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from .models import DataExport


@receiver(post_delete, sender=DataExport, dispatch_uid="privacy_data_export_file_delete")
def data_export_file_delete(sender, instance: DataExport, **kwargs) -> None:
    if instance.file:
        name, storage = instance.file.name, instance.file.storage
        # After commit: a deletion that rolls back keeps its file.
        transaction.on_commit(lambda: storage.delete(name))


@receiver(user_logged_in, dispatch_uid="privacy_inactivity_warning_clear")
def inactivity_warning_clear(sender, request, user, **kwargs) -> None:
    """Logging in keeps the account: a warning of the inactive-accounts job is withdrawn."""
    from .retention import inactivity_warning_clear as clear

    clear(user=user)
