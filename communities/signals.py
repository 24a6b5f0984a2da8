"""Signals other apps may listen to, so that `communities` never has to import them."""

from django.dispatch import Signal

# Sent by `services.membership_approve` and `services.membership_decline`, inside their
# transaction, with user_id, community (the request's), approved (bool) and by (the host).
# Receivers queue their work on commit; the decision never depends on them.
membership_decided = Signal()
