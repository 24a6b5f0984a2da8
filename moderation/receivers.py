"""What the header's moderation link of a member depends on (moderation/queue.py,
`queue_link_kept`): a change to any of it makes every kept answer stale.

Signals, as the writers are many: reports and decisions (cases), joining, leaving and roles
(memberships), a community moved under another (its parent's hosts moderate it), the
librarian's two halves (the group and a place among a library's librarians, set in the admin),
a user saved (a superuser moderates everything), and Redis answering again after an outage.
"""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.db.models.signals import m2m_changed, post_delete, post_save

from communities.models import Community, Library, Membership, User
from kenniscloud.common.redis_cache import cache_reachable_again

from .models import Case
from .queue import queue_link_changed


def _changed(sender, raw=False, **kwargs) -> None:
    if not raw:
        queue_link_changed()


def _user_changed(sender, instance, raw=False, update_fields=None, **kwargs) -> None:
    # A superuser moderates everything; a login only stamps last_login.
    if not raw and not (update_fields and set(update_fields) <= {"last_login"}):
        queue_link_changed()


def _cache_back(**kwargs) -> None:
    """Changes made while Redis was away could not bump the generation."""
    queue_link_changed()


def connect() -> None:
    post_save.connect(_user_changed, sender=User, dispatch_uid="queue-link-user")
    cache_reachable_again.connect(_cache_back, dispatch_uid="queue-link-after-outage")
    for model in (Case, Membership, Community, Group):
        uid = f"queue-link-{model._meta.label_lower}"
        post_save.connect(_changed, sender=model, dispatch_uid=uid)
        post_delete.connect(_changed, sender=model, dispatch_uid=uid)
    for through in (Library.librarians.through, User.groups.through):
        m2m_changed.connect(
            _changed, sender=through, dispatch_uid=f"queue-link-{through._meta.label_lower}"
        )
