"""Delete my account (issue 12): the member is anonymised in place, in one transaction.

Why in place and not `user.delete()`: contributions and comments stay under "Verwijderd lid"
(their author keeps pointing at the anonymous row), and moderation history keeps its shape. Every
personal field is overwritten and every personal row is deleted, so nothing is left that a
librarian could undo the deletion with.

The stored name is the marker `DELETED_MEMBER_NAME` ("Verwijderd lid", the site's default
language): every door (cards, comments, mails, feeds, the Wagtail admin) shows it through
`User.public_name`, which translates it at display time ("Deleted member" in English); the row
is inactive and its profile hidden, so no page links to it.
"""

from __future__ import annotations

import contextlib
import logging
import uuid

from django import forms
from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from .models import Community, Membership, User

logger = logging.getLogger(__name__)

DELETED_MEMBER_NAME = "Verwijderd lid"
DELETED_EMAIL_DOMAIN = "anonymized.invalid"


def communities_needing_another_host(user: User) -> list[Community]:
    """The communities where `user` is the only active host: they must hand over first."""
    hosted = Membership.objects.filter(
        user=user, role=Membership.Role.HOST, state=Membership.State.ACTIVE
    ).values_list("community_id", flat=True)
    result = []
    for community in Community.objects.filter(pk__in=list(hosted)).order_by("title"):
        hosts = Membership.objects.filter(
            community=community, role=Membership.Role.HOST, state=Membership.State.ACTIVE
        ).count()
        if hosts <= 1:
            result.append(community)
    return result


def _refuse_last_host(user: User) -> None:
    # Lock every host row of the communities they host, so that the other host cannot step
    # down at the same moment (the same rule as membership_leave's _require_another_host).
    hosted = list(
        Membership.objects.filter(
            user=user, role=Membership.Role.HOST, state=Membership.State.ACTIVE
        ).values_list("community_id", flat=True)
    )
    if not hosted:
        return
    list(
        Membership.objects.select_for_update()
        .filter(community_id__in=hosted, role=Membership.Role.HOST, state=Membership.State.ACTIVE)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    last = communities_needing_another_host(user)
    if last:
        names = ", ".join(c.title for c in last)
        raise ValidationError(
            _(
                "Je bent de enige beheerder van: %(names)s. Maak daar eerst iemand anders "
                "beheerder; daarna kun je je account verwijderen."
            )
            % {"names": names}
        )


def _end_sessions(user: User) -> int:
    """Delete every stored session of the member.

    With the database session engine the rows are searched; with any engine the unusable password
    changes the session hash and `is_active=False` makes the auth backends refuse the member, so a
    session that is not found here is ended at its next request anyway.
    """
    if settings.SESSION_ENGINE not in (
        "django.contrib.sessions.backends.db",
        "django.contrib.sessions.backends.cached_db",
    ):
        return 0
    ended = []
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            ended.append(session.session_key)
    if settings.SESSION_ENGINE.endswith("cached_db"):
        from importlib import import_module

        store = import_module(settings.SESSION_ENGINE).SessionStore
        for key in ended:
            store(session_key=key).delete()
    Session.objects.filter(session_key__in=ended).delete()
    return len(ended)


def _cancel_rsvps(user: User) -> None:
    """Upcoming places go through rsvp_cancel, so the first on the waitlist moves up and gets
    a mail; then every RSVP row (with its access needs) is deleted."""
    from meetups.models import Meetup, Rsvp, SessionSignup
    from meetups.services.rsvp import rsvp_cancel

    upcoming = (
        Rsvp.objects.filter(
            user=user,
            meetup__status=Meetup.Status.PUBLISHED,
            meetup__starts_at__gt=timezone.now(),
            state__in=[Rsvp.State.GOING, Rsvp.State.WAITLIST],
        )
        .order_by("meetup_id")  # One lock order: no deadlock with a leave of the same member.
        .values_list("meetup_id", flat=True)
    )
    for meetup_id in list(upcoming):
        # Begun meanwhile: nobody moves up any more; the row goes below.
        with contextlib.suppress(ValidationError):
            rsvp_cancel(user=user, meetup_id=meetup_id)
    SessionSignup.objects.filter(user=user).delete()
    Rsvp.objects.filter(user=user).delete()


def _delete_content(user: User) -> None:
    """The tick "Ook mijn bijdragen en reacties verwijderen": comments are soft deleted through
    comment_delete (the thread keeps its shape, the words are gone); contributions are deleted,
    and the search receivers remove them from the index."""
    from knowledge.models import Comment, Contribution
    from knowledge.services import comment_delete
    from meetups.models import Report as MeetupReport

    for comment in Comment.objects.filter(author=user, deleted_at__isnull=True):
        comment_delete(by=user, comment=comment)
    for contribution in Contribution.objects.filter(author=user):
        contribution.delete()
    # Meetup reports (verslagen) they wrote are their words too.
    MeetupReport.objects.filter(author=user).delete()


def _delete_exports(user: User) -> None:
    from privacy.models import DataExport

    # The privacy app's post_delete receiver deletes each zip once the transaction commits.
    DataExport.objects.filter(member=user).delete()


@transaction.atomic
def account_delete(*, user: User, delete_content: bool) -> User:
    """Anonymise `user` in place and delete everything personal; see the module docstring.

    Refused (ValidationError, nothing changed) while they are the last host of a community.
    """
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator

    from knowledge.models import Appreciation
    from meetups.models import CalendarToken, Meetup
    from moderation.models import Report
    from notifications.models import (
        CommunityFollow,
        DigestDelivery,
        MailAddressStatus,
        Notification,
        NotificationPreferences,
        RegionFollow,
        ReplyMailState,
        ThemeFollow,
    )

    user = User.objects.select_for_update().get(pk=user.pk)
    if not user.is_active and user.email.endswith("@" + DELETED_EMAIL_DOMAIN):
        return user  # Already deleted: twice is once.
    _refuse_last_host(user)

    if delete_content:
        _delete_content(user)
    _cancel_rsvps(user)

    old_emails = {user.email.lower()} | {
        e.lower() for e in EmailAddress.objects.filter(user=user).values_list("email", flat=True)
    }
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    # Leaving is not announced: membership_ended would start mails to and about the member.
    Membership.objects.filter(user=user).delete()
    CommunityFollow.objects.filter(user=user).delete()
    ThemeFollow.objects.filter(user=user).delete()
    RegionFollow.objects.filter(user=user).delete()
    NotificationPreferences.objects.filter(user=user).delete()
    Notification.objects.filter(recipient=user).delete()
    DigestDelivery.objects.filter(user=user).delete()
    ReplyMailState.objects.filter(user=user).delete()
    # Delivery failures belong to the address; the next owner of it starts afresh.
    MailAddressStatus.objects.filter(email__in=old_emails).delete()
    CalendarToken.objects.filter(user=user).delete()
    # Organising is a role, not content: the meetup keeps its other organisers.
    Meetup.organisers.through.objects.filter(user=user).delete()
    Meetup.objects.filter(proposed_by=user).update(proposed_by=None)
    Report.objects.filter(reporter=user).delete()
    Appreciation.objects.filter(user=user).delete()
    _delete_exports(user)
    user.libraries.clear()
    user.groups.clear()
    user.user_permissions.clear()
    user.expertise.clear()

    avatar_name, avatar_storage = user.avatar.name, user.avatar.storage
    if avatar_name:
        transaction.on_commit(lambda: avatar_storage.delete(avatar_name))

    user.email = f"deleted-{uuid.uuid4().hex}@{DELETED_EMAIL_DOMAIN}"
    user.handle = f"verwijderd-{get_random_string(12).lower()}"
    user.display_name = DELETED_MEMBER_NAME
    user.first_name = ""
    user.last_name = ""
    user.bio = ""
    user.avatar = ""
    user.website = ""
    user.phone = ""
    user.region = None
    user.contact_visibility = User.ContactVisibility.NOBODY
    user.findable = False
    user.profile_hidden = True
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.suspension_reason = ""
    user.set_unusable_password()
    # A full save: the search receivers see findable/is_active and remove the member's row.
    user.save()
    _end_sessions(user)
    # No personal data in the log: the id is enough to see that it happened.
    logger.info("account %s deleted (content deleted: %s)", user.pk, delete_content)
    return user


# --- The pages: /instellingen/account-verwijderen/ and the goodbye page ---------------------


class AccountDeleteForm(forms.Form):
    delete_content = forms.BooleanField(
        label=gettext_lazy("Ook mijn bijdragen en reacties verwijderen"),
        required=False,
        help_text=gettext_lazy(
            'Zonder vinkje blijven je bijdragen en reacties staan onder "Verwijderd lid".'
        ),
    )
    password = forms.CharField(
        label=gettext_lazy("Je wachtwoord"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=gettext_lazy("Zo weten we zeker dat jij het bent."),
    )
    confirm = forms.BooleanField(
        label=gettext_lazy("Ik begrijp dat dit niet ongedaan kan worden gemaakt"),
        required=True,
        error_messages={"required": gettext_lazy("Vink aan dat je dit begrijpt.")},
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("Dit wachtwoord klopt niet."), code="wrong_password")
        return password


@login_required
@require_http_methods(["GET", "POST"])
def account_delete_view(request):
    last_host = communities_needing_another_host(request.user)
    form = AccountDeleteForm(request.POST or None, user=request.user)
    if request.method == "POST" and not last_host and form.is_valid():
        try:
            account_delete(user=request.user, delete_content=form.cleaned_data["delete_content"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            logout(request)
            return redirect("communities:account_deleted")
    return render(
        request, "communities/account_delete.html", {"form": form, "last_host": last_host}
    )


def account_deleted_view(request):
    return render(request, "communities/account_deleted.html")
