"""Every write to meetups: RSVPs and the waitlist, planning and proposals, the organiser tools
and calendar addresses.

A package with explicit re-exports: `from meetups import services; services.rsvp_respond(...)`
works as before. The meetup row lock and the waitlist promotion live in `locking` alone. To
patch a name in a test, patch it where it is looked up, e.g. `meetups.services.rsvp.<name>`.
"""

from .calendar import calendar_token_create, calendar_token_revoke
from .organiser import (
    OverCapacity,
    check_in_closed_reason,
    meetup_message_attendees,
    meetup_message_recipient_count,
    report_closed_reason,
    report_save,
    rsvp_check_in,
    rsvp_walk_in,
    walk_in_register_guest,
    walk_in_remove,
)
from .proposals import meetup_proposal_update, proposal_edit_closed_reason
from .publishing import (
    MEETUP_FIELDS,
    PROPOSAL_FIELDS,
    SessionData,
    meetup_admin_save,
    meetup_approve_proposal,
    meetup_cancel,
    meetup_check_capacity,
    meetup_check_organisers,
    meetup_check_times,
    meetup_create,
    meetup_decline_proposal,
    meetup_propose,
    meetup_publish,
    meetup_update,
    session_check_times,
)
from .rsvp import (
    rsvp_access_needs_update,
    rsvp_cancel,
    rsvp_cancel_where_unseen,
    rsvp_respond,
    session_signup,
    session_signup_cancel,
)

__all__ = [
    "MEETUP_FIELDS",
    "PROPOSAL_FIELDS",
    "OverCapacity",
    "SessionData",
    "calendar_token_create",
    "calendar_token_revoke",
    "check_in_closed_reason",
    "meetup_admin_save",
    "meetup_approve_proposal",
    "meetup_cancel",
    "meetup_check_capacity",
    "meetup_check_organisers",
    "meetup_check_times",
    "meetup_create",
    "meetup_decline_proposal",
    "meetup_message_attendees",
    "meetup_message_recipient_count",
    "meetup_proposal_update",
    "meetup_propose",
    "meetup_publish",
    "meetup_update",
    "proposal_edit_closed_reason",
    "report_closed_reason",
    "report_save",
    "rsvp_access_needs_update",
    "rsvp_cancel",
    "rsvp_cancel_where_unseen",
    "rsvp_check_in",
    "rsvp_respond",
    "rsvp_walk_in",
    "session_check_times",
    "session_signup",
    "session_signup_cancel",
    "walk_in_register_guest",
    "walk_in_remove",
]
