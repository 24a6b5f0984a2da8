"""Who may enter the admins, and how: one login for everyone, and a second factor for staff.

Both admins (Wagtail at /cms/, Django at /django-admin/) come with a login form of their own
that knows nothing of allauth: no email verification, no lockout, no rate limit. They are
closed (kenniscloud/urls.py sends them to allauth's login), so allauth's login is the only one.

Whoever may enter an admin (librarians, organisers, staff, superusers) needs two-factor
authentication there: `AdminAccessMiddleware` sends them to set up an authenticator app when
they have none, and asks for a code when this session has not given one yet. Residents never
meet it. allauth records every step of a login in the session (`get_authentication_records`);
a step with method "mfa" means a code was given in this session.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from allauth.account.authentication import get_authentication_records
from allauth.core.internal.httpkit import add_query_params
from allauth.mfa.models import Authenticator
from allauth.mfa.signals import authenticator_added
from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

from communities.selectors import LIBRARIAN_GROUP, ORGANISER_GROUP, Viewer

ADMIN_GROUPS = (LIBRARIAN_GROUP, ORGANISER_GROUP)


def user_may_enter_admin(user: Viewer) -> bool:
    """Librarians, organisers, staff and superusers, and anyone else given access to the
    Wagtail admin: everyone the second factor is required of."""
    if not user.is_authenticated or not user.is_active:
        return False
    return (
        user.is_staff
        or user.is_superuser
        or user.has_perm("wagtailadmin.access_admin")
        or user.groups.filter(name__in=ADMIN_GROUPS).exists()
    )


def session_passed_mfa(request: HttpRequest) -> bool:
    """Whether the person gave a code of their authenticator (or a recovery code) in this
    session: at login, when asked again, or when they set the authenticator up."""
    records = get_authentication_records(request, request.user)
    return any(record.get("method") == "mfa" for record in records)


@cache
def _admin_prefixes() -> tuple[str, ...]:
    return (reverse("wagtailadmin_home"), reverse("admin:index"))


@cache
def _open_paths() -> frozenset[str]:
    """Leaving must always be possible; the login pages only send people to allauth's."""
    return frozenset(
        {
            reverse("wagtailadmin_logout"),
            reverse("admin:logout"),
            reverse("wagtailadmin_login"),
            reverse("admin:login"),
        }
    )


def admin_gate(request: HttpRequest) -> HttpResponse | None:
    """None lets the request through; otherwise the answer to give instead."""
    path = request.path
    if not path.startswith(_admin_prefixes()) or path in _open_paths():
        return None
    user = request.user
    if not user.is_authenticated:
        return None  # Both admins send anonymous visitors to allauth's login.
    if not user_may_enter_admin(user):
        # Not the admins' own answer (a redirect to the login page): allauth's login sends
        # someone who is logged in straight back here.
        raise PermissionDenied
    if not is_mfa_enabled(user, [Authenticator.Type.TOTP]):
        messages.info(
            request,
            _(
                "Het beheer is beveiligd met tweestapsverificatie. Stel eerst een "
                "authenticator-app in; daarna kun je verder."
            ),
        )
        return HttpResponseRedirect(reverse("mfa_activate_totp"))
    if not session_passed_mfa(request):
        return HttpResponseRedirect(
            add_query_params(
                reverse("mfa_reauthenticate"), {REDIRECT_FIELD_NAME: request.get_full_path()}
            )
        )
    return None


class AdminAccessMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return admin_gate(request) or self.get_response(request)


def admin_login_redirect(request: HttpRequest) -> HttpResponseRedirect:
    """/cms/login/: allauth's login, then back to the admin (or wherever `next` pointed)."""
    next_url = request.GET.get(REDIRECT_FIELD_NAME) or reverse("wagtailadmin_home")
    return HttpResponseRedirect(
        add_query_params(reverse("account_login"), {REDIRECT_FIELD_NAME: next_url})
    )


def _record_mfa_on_activation(sender, request, user, authenticator, **kwargs) -> None:
    """Setting up the authenticator app takes a code from it, right after the password: that
    is the second factor, so the admin does not ask for another code at once (which the app
    shows only half a minute later). allauth itself records it only at login."""
    if request is None or authenticator.type != Authenticator.Type.TOTP:
        return
    if request.user.is_authenticated and request.user.pk == user.pk:
        # The one place allauth writes these records; there is no public API for it.
        from allauth.account.internal.flows.login import record_authentication

        record_authentication(
            request, user, "mfa", id=authenticator.pk, type=authenticator.type, activated=True
        )


def connect() -> None:
    authenticator_added.connect(_record_mfa_on_activation, dispatch_uid="kc_mfa_on_activation")
