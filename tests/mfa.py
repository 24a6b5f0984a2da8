"""Staff in the admins, in tests: an authenticator app and a session that gave its code.

The admins ask everyone who may enter them for a second factor
(kenniscloud/common/admin_access.py). `client.force_login(user)` gives a session as after the
password only; `admin_login(client, user)` gives one as after allauth's login with a code.
"""

from __future__ import annotations

import time

from allauth.account.internal.flows.login import record_authentication
from allauth.mfa import app_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.test import RequestFactory

# A fixed base32 secret, as an authenticator app would hold it.
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def totp_add(user, secret: str = TOTP_SECRET) -> Authenticator:
    """The authenticator app, as if the user had set it up."""
    existing = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    return existing or TOTP.activate(user, secret).instance


def totp_wait_for_fresh_code(margin: float = 5) -> None:
    """A code is valid for one 30-second window only (no tolerance, as in production). When
    fewer than `margin` seconds are left, wait for the next window, so that a code computed
    now is still valid when the server checks it."""
    period = app_settings.TOTP_PERIOD
    left = period - time.time() % period
    if left < margin:
        time.sleep(left + 0.05)


def totp_code(secret: str = TOTP_SECRET, at: float | None = None) -> str:
    """The code the app shows at `at`; by default now, with enough of its window left."""
    if at is None:
        totp_wait_for_fresh_code()
        at = time.time()
    counter = int(at) // app_settings.TOTP_PERIOD
    return format_hotp_value(hotp_value(secret, counter))


def mfa_passed(client, user, authenticator: Authenticator) -> None:
    """Record in the client's session that `user` gave a code of `authenticator`, as allauth
    does at login."""
    request = RequestFactory().get("/")
    request.user = user
    request.session = client.session
    record_authentication(request, user, "mfa", id=authenticator.pk, type=authenticator.type)
    request.session.save()


def admin_login(client, user) -> None:
    """Log `user` in as after allauth's login with an authenticator code."""
    client.force_login(user)
    mfa_passed(client, user, totp_add(user))
