"""What meetups do when something happens in `communities`, which never imports this app."""

from __future__ import annotations

from communities.models import Membership
from communities.signals import membership_ended

from . import services


def on_membership_ended(sender, *, user_id: int, community, **kwargs) -> None:
    """Someone left a community, or was removed: whoever may no longer see its meetups (a
    private community) loses their places there, and the waitlist moves up."""
    services.rsvp_cancel_where_unseen(user_id=user_id, community_id=community.pk)


def connect() -> None:
    membership_ended.connect(
        on_membership_ended, sender=Membership, dispatch_uid="meetups.membership_ended"
    )
