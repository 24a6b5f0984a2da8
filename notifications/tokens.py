"""Signed one-click unsubscribe tokens (RFC 8058): the member id, signed with a salt and a time."""

from __future__ import annotations

import datetime as dt

from django.core import signing

SALT = "kenniscloud.notifications.digest-unsubscribe"
MAX_AGE = dt.timedelta(days=60)


def unsubscribe_token(user_id: int) -> str:
    return signing.TimestampSigner(salt=SALT).sign(str(user_id))


def unsubscribe_user_id(token: str) -> int | None:
    """The member id in `token`, or None when it is forged, mangled or older than MAX_AGE."""
    try:
        value = signing.TimestampSigner(salt=SALT).unsign(token, max_age=MAX_AGE)
    except signing.BadSignature:  # SignatureExpired is a BadSignature too
        return None
    return int(value) if value.isdigit() else None
