"""A contribution was saved: after its commit, a task points its preview card at the right
page (sources.services.contribution_link_sync). `knowledge` never imports this app; it is
seen through `post_save`. Nothing runs in the writer's request but queueing the task."""

from __future__ import annotations

from django.conf import settings
from django.db.models.signals import post_save

from knowledge.models import Contribution

from . import tasks

# Saves that may change the link: the author's edits, not moderation or featuring.
_LINK_FIELDS = frozenset({"body", "source_url"})


def on_contribution_saved(sender, instance: Contribution, created: bool, raw=False, **kwargs):
    if raw or not settings.LINK_PREVIEW_FETCH:
        return
    update_fields = kwargs.get("update_fields")
    if created or update_fields is None or _LINK_FIELDS & set(update_fields):
        tasks.contribution_link_sync.delay_on_commit(instance.pk)


def connect() -> None:
    post_save.connect(
        on_contribution_saved, sender=Contribution, dispatch_uid="sources_contribution_saved"
    )
