"""The other apps tell us what happened; we queue the notifications after their commit.

`knowledge`, `communities` and `meetups` never import this app: comments and contributions are
seen through `post_save`, membership decisions and meetup changes through the signals those
apps define (`communities.signals`, `meetups.signals`). Work is queued with `delay_on_commit`,
so a rolled-back write notifies nobody, and the receivers do nothing the writer waits on.
"""

from __future__ import annotations

from django.db.models.signals import post_save

from communities.models import Membership
from communities.signals import membership_decided
from knowledge.models import Comment, Contribution
from meetups.models import Meetup
from meetups.signals import meetup_changed

from . import events, tasks


def _content_changed(update_fields) -> bool:
    """Whether the save may have added a mention (not moderation, featuring, …)."""
    return update_fields is None or "body" in update_fields


def _restored(update_fields) -> bool:
    """A status change that left it published: restored after hiding (or approved). What hiding
    withdrew comes back; the unique constraints keep those who still have it from a second."""
    return update_fields is not None and "status" in update_fields


def on_comment_saved(sender, instance: Comment, created: bool, raw=False, **kwargs) -> None:
    if raw:
        return
    if not created and (instance.is_deleted or instance.is_hidden):
        # Deleted or hidden: its words must not linger in notifications and unsent mail.
        tasks.comment_withdrawn_notify.delay_on_commit(instance.pk)
    elif instance.is_pending:
        # Waiting for approval: only its community's hosts and moderators hear of it; approving
        # it notifies as a new comment does (moderation.premoderation).
        if created:
            tasks.post_awaiting_approval_notify.delay_on_commit(
                instance.contribution_id, instance.pk
            )
    elif (
        created
        or _content_changed(kwargs.get("update_fields"))
        or _restored(kwargs.get("update_fields"))
    ):
        # A new comment notifies; an edit may add a mention, which the same task handles (the
        # unique constraint keeps everyone else from hearing about it twice).
        tasks.comment_posted_notify.delay_on_commit(instance.pk)


def on_contribution_saved(
    sender, instance: Contribution, created: bool, raw=False, **kwargs
) -> None:
    if raw:
        return
    if not created and instance.is_hidden:
        tasks.contribution_withdrawn_notify.delay_on_commit(instance.pk)
    elif instance.is_pending:
        if created:  # see on_comment_saved
            tasks.post_awaiting_approval_notify.delay_on_commit(instance.pk)
    elif created:
        tasks.contribution_saved_notify.delay_on_commit(instance.pk, True)
    elif _restored(kwargs.get("update_fields")):
        tasks.contribution_restored_notify.delay_on_commit(instance.pk)
    elif _content_changed(kwargs.get("update_fields")):
        tasks.contribution_saved_notify.delay_on_commit(instance.pk, False)


def on_membership_decided(sender, *, user_id, community, approved, by=None, **kwargs) -> None:
    by_id = by.pk if by is not None and by.is_authenticated else None
    tasks.membership_decided_notify.delay_on_commit(user_id, community.pk, approved, by_id)


def on_meetup_changed(sender, *, meetup, change, user_ids, **kwargs) -> None:
    # Sent from a task, after the change was committed: write at once.
    events.meetup_changed_notify(meetup=meetup, change=change, user_ids=user_ids)


def connect() -> None:
    post_save.connect(on_comment_saved, sender=Comment, dispatch_uid="notifications.comment")
    post_save.connect(
        on_contribution_saved, sender=Contribution, dispatch_uid="notifications.contribution"
    )
    membership_decided.connect(
        on_membership_decided, sender=Membership, dispatch_uid="notifications.membership"
    )
    meetup_changed.connect(on_meetup_changed, sender=Meetup, dispatch_uid="notifications.meetup")
