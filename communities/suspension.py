"""Whether a member may act: the check every write service a member uses calls first.

A librarian may suspend an account site-wide, for a period or for good (issue 11; the services
that suspend and lift live in `moderation.suspension`, which writes the moderation log). A
suspended member can still read, leave, cancel, change preferences and export or delete their
data, but cannot post, comment, appreciate, propose, RSVP, sign up, join or report.

This lives in `communities`, the base app, so that `knowledge`, `meetups` and `moderation` can
call it without `communities` importing any of them. It reads only the fields on the member's
own row: the request's user is already loaded, so the check costs no query.

Time is compared with `timezone.now()` at every call: when the period is over, everything works
again without anyone acting.
"""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _


class AccountSuspended(PermissionDenied):
    """Raised by `require_can_act` for a suspended member. A `PermissionDenied`, so a view that
    does not catch it answers 403 (the 403 page explains the suspension), never 500."""

    def __init__(self, user):
        self.user = user
        super().__init__(suspension_message(user))


def is_suspended(user, moment: datetime | None = None) -> bool:
    """Whether `user` is suspended now (or at `moment`). Anonymous visitors never are."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return user.is_suspended_at(moment or timezone.now())


def suspension_until_text(user) -> str:
    """ "tot 3 maart 2027 om 14:00" or "voor onbepaalde tijd", in the active language and the
    site's time zone."""
    if user.suspended_until is None:
        return _("voor onbepaalde tijd")
    until = timezone.localtime(user.suspended_until)
    return _("tot %(date)s om %(time)s") % {
        "date": date_format(until, "j F Y"),
        "time": date_format(until, "H:i"),
    }


def suspension_message(user) -> str:
    """What a suspended member reads, wherever a write is refused: until when and why."""
    message = _("Je account is geschorst %(until)s.") % {"until": suspension_until_text(user)}
    if reason := user.suspension_reason.strip():
        # One sentence among others: end it, unless the librarian did.
        if reason[-1] not in ".!?":
            reason += "."
        message += " " + _("Reden: %(reason)s") % {"reason": reason}
    return message + " " + _("Je kunt nog wel lezen.")


def require_can_act(user, moment: datetime | None = None) -> None:
    """Refuse a member's write while their account is suspended.

    Call it at the start of every write service a member uses (posting, commenting,
    appreciating, proposing a meetup, RSVPing, signing up, joining, reporting, editing the
    profile). Not for reading, leaving, cancelling an RSVP, preferences or their own data.
    Raises `AccountSuspended` (a `PermissionDenied`) with a translated message.
    """
    if is_suspended(user, moment):
        raise AccountSuspended(user)
