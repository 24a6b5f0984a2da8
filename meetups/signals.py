"""Signals other apps may listen to, so that `meetups` never has to import them."""

from django.dispatch import Signal

# Sent by `tasks.meetup_changed_notify` (after the change was committed) with meetup, change
# ("changed" | "cancelled") and user_ids: the active members going or on the waitlist who may
# still see the meetup (selectors.rsvp_list_mailable).
# Sent robustly: a failing receiver is logged and never stops the mails.
meetup_changed = Signal()
