"""Signals other apps may listen to, so that `communities` never has to import them."""

from django.dispatch import Signal

# Sent by `services.membership_approve` and `services.membership_decline`, inside their
# transaction, with user_id, community (the request's), approved (bool) and by (the host).
# Receivers queue their work on commit; the decision never depends on them.
membership_decided = Signal()

# Sent by `services.membership_leave` and `services.membership_remove`, inside their
# transaction, after the membership row is gone, with user_id and community. Receivers may write
# in the same transaction (meetups cancels the RSVPs of someone who can no longer see a private
# community's meetups), so the membership and what hangs on it end together.
membership_ended = Signal()
