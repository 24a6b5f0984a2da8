"""A member edits their own proposal while it waits for a decision.

The edit takes the meetup row lock, as the decision does (`publishing._lock_proposal`): an edit
and an approval or a decline for one proposal run one after the other, so the hosts never
approve a proposal that changes under them, and an edit after the decision is refused.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from communities.models import User
from communities.suspension import require_can_act

from ..models import Meetup
from .publishing import PROPOSAL_FIELDS, _check_not_past, _set_fields, meetup_check_times


def _decided() -> str:
    return _(
        "Over je voorstel is al besloten, dus je kunt het niet meer wijzigen. "
        "Wil je nog iets veranderen? Neem contact op met de beheerders van de gemeenschap."
    )


def proposal_edit_closed_reason(meetup: Meetup) -> str | None:
    """Why the proposer can no longer change `meetup`; None while it waits for a decision."""
    return None if meetup.status == Meetup.Status.PROPOSED else _decided()


@transaction.atomic
def meetup_proposal_update(*, by: User, meetup_id: int, fields: Mapping[str, Any]) -> Meetup:
    """Change `by`'s own proposal while it is undecided. Only the proposer may, and only the
    fields of the proposal form (PROPOSAL_FIELDS)."""
    require_can_act(by)
    # The lock of the decision: a decline deletes the row, which then is not found here.
    meetup = Meetup.objects.select_for_update().filter(pk=meetup_id).first()
    if meetup is None:
        raise ValidationError(_decided())
    if meetup.proposed_by_id != by.pk:
        raise PermissionDenied
    reason = proposal_edit_closed_reason(meetup)
    if reason:
        raise ValidationError(reason)
    starts_before = meetup.starts_at
    _set_fields(meetup, fields, PROPOSAL_FIELDS)
    meetup_check_times(starts_at=meetup.starts_at, ends_at=meetup.ends_at)
    if meetup.starts_at != starts_before:
        _check_not_past(meetup)
    meetup.save()
    return meetup
