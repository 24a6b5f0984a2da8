"""A member's secret address for their personal calendar feed."""

from __future__ import annotations

import secrets

from django.db import transaction

from communities.models import User

from ..models import CalendarToken


@transaction.atomic
def calendar_token_create(*, user: User) -> CalendarToken:
    """Give `user` a new secret address for their personal calendar feed.

    Any earlier address stops working at once. The member's row is locked so that two clicks at
    the same time leave exactly one token.
    """
    User.objects.select_for_update().filter(pk=user.pk).first()
    CalendarToken.objects.filter(user=user).delete()
    return CalendarToken.objects.create(user=user, key=secrets.token_urlsafe(32))


@transaction.atomic
def calendar_token_revoke(*, user: User) -> bool:
    """Delete `user`'s feed address, so it answers 404. False when there was none."""
    deleted, _rows = CalendarToken.objects.filter(user=user).delete()
    return deleted > 0
