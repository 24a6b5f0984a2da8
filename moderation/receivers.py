"""What the header's moderation link of a member depends on (moderation/queue.py,
`queue_link_kept`): a change to any of it makes every kept answer stale.

Signals, as the writers are many: reports and decisions (cases), joining, leaving and roles
(memberships), a community moved under another (its parent's hosts moderate it), and the
librarian's two halves, the group and a place among a library's librarians, set in the admin.
"""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db.models.signals import m2m_changed, post_delete, post_save

from communities.models import Community, Library, Membership, User

from .models import Case
from .queue import queue_link_changed


def _changed(sender, raw=False, **kwargs) -> None:
    if not raw:
        queue_link_changed()


def connect() -> None:
    for model in (Case, Membership, Community, Group):
        uid = f"queue-link-{model._meta.label_lower}"
        post_save.connect(_changed, sender=model, dispatch_uid=uid)
        post_delete.connect(_changed, sender=model, dispatch_uid=uid)
    for through in (Library.librarians.through, User.groups.through):
        m2m_changed.connect(
            _changed, sender=through, dispatch_uid=f"queue-link-{through._meta.label_lower}"
        )
