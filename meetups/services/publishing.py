"""Planning meetups: create, edit, publish and cancel; proposals by members; edits in the
Wagtail admin.

Every change to an existing meetup first takes the meetup row lock (`locking._lock_meetup`), so
a change of capacity is checked against the RSVPs as they are, and more places promote from the
waitlist exactly once each.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from communities.models import Branch, Community, Membership, Theme, User
from communities.selectors import user_is_active_member, user_is_library_librarian
from communities.suspension import require_can_act
from kenniscloud.common.ratelimit import throttle

from ..models import Meetup, Rsvp, Session
from ..selectors import (
    meetup_can_create_in,
    meetup_can_manage,
    meetup_library_id,
    user_is_organiser,
)
from ..tasks import (
    meetup_changed_notify,
    meetup_proposal_approved_notify,
    meetup_proposal_declined_notify,
    meetup_proposal_notify_hosts,
)
from .locking import _lock_meetup, _promote_first_waiting

# What the meetup form edits; status, proposer and sequence only change through the services.
MEETUP_FIELDS = frozenset(
    {
        "kind",
        "title",
        "description",
        "community",
        "starts_at",
        "ends_at",
        "branch",
        "address",
        "online_url",
        "is_hybrid",
        "accessibility_info",
        "capacity",
    }
)
PROPOSAL_FIELDS = frozenset(
    {"title", "description", "starts_at", "ends_at", "branch", "address", "online_url"}
)


@dataclass(frozen=True)
class SessionData:
    """One row of a network day's programme as the form sent it; `pk` None for a new one."""

    title: str
    starts_at: datetime
    ends_at: datetime
    room: str = ""
    speaker: str = ""
    description: str = ""
    capacity: int | None = None
    pk: int | None = None
    delete: bool = False


@dataclass(frozen=True)
class _Before:
    """What a change is compared with: read from the locked row before it is written."""

    status: str
    capacity: int | None
    when_where: tuple

    @classmethod
    def of(cls, meetup: Meetup) -> _Before:
        return cls(meetup.status, meetup.capacity, _when_where(meetup))


def _when_where(meetup: Meetup) -> tuple:
    """A change in any of these moves the meetup in people's calendars."""
    return (meetup.starts_at, meetup.ends_at, meetup.branch_id, meetup.address, meetup.online_url)


def meetup_check_times(*, starts_at: datetime, ends_at: datetime) -> None:
    if ends_at <= starts_at:
        raise ValidationError(
            {"ends_at": _("Het einde moet na het begin liggen. Kies een latere eindtijd.")}
        )


def session_check_times(
    *, starts_at: datetime, ends_at: datetime, day_starts_at: datetime, day_ends_at: datetime
) -> None:
    """A programme item ends after it starts and lies within the meetup."""
    if ends_at <= starts_at:
        raise ValidationError(
            {"ends_at": _("Het einde moet na het begin liggen. Kies een latere eindtijd.")}
        )
    if starts_at < day_starts_at or ends_at > day_ends_at:
        field = "starts_at" if starts_at < day_starts_at else "ends_at"
        raise ValidationError(
            {
                field: _(
                    "Dit onderdeel valt buiten de bijeenkomst (van %(start)s tot %(end)s). "
                    "Kies een tijd binnen de dag."
                )
                % {
                    "start": date_format(timezone.localtime(day_starts_at), "j F Y H:i"),
                    "end": date_format(timezone.localtime(day_ends_at), "j F Y H:i"),
                }
            }
        )


def meetup_check_capacity(*, meetup_id: int | None, capacity: int | None) -> None:
    """The places may not drop below the number of people already going.

    Services call this under the meetup lock; forms call it too, to answer at the field early.
    """
    if meetup_id is None or capacity is None:
        return
    going = Rsvp.objects.filter(meetup_id=meetup_id, state=Rsvp.State.GOING).count()
    if capacity < going:
        raise ValidationError(
            {
                "capacity": ngettext(
                    "Er komt al %(count)d persoon. Kies minstens %(count)d plaats, "
                    "of laat het veld leeg voor onbeperkt.",
                    "Er komen al %(count)d mensen. Kies minstens %(count)d plaatsen, "
                    "of laat het veld leeg voor onbeperkt.",
                    going,
                )
                % {"count": going}
            }
        )


def meetup_check_organisers(
    *,
    by: User,
    community: Community | None,
    branch: Branch | None,
    organisers: Iterable[User],
    meetup_id: int | None = None,
) -> None:
    """Whom `by` may name as the meetup's organisers. They see access needs and email
    addresses, so a host names active members of the community (or keeps those already named);
    organisers and the librarians of the meetup's library name anyone."""
    if user_is_organiser(by) or user_is_library_librarian(by, meetup_library_id(community, branch)):
        return
    named = {u.pk: u for u in organisers}
    allowed: set[int] = set()
    if community is not None:
        allowed |= set(
            Membership.objects.filter(
                community=community, state=Membership.State.ACTIVE, user__in=list(named)
            ).values_list("user_id", flat=True)
        )
    if meetup_id is not None:
        allowed |= set(
            Meetup.organisers.through.objects.filter(meetup_id=meetup_id).values_list(
                "user_id", flat=True
            )
        )
    outside = sorted(
        (u for pk, u in named.items() if pk not in allowed), key=lambda u: u.handle or ""
    )
    if outside:
        raise ValidationError(
            {
                "organisers": _(
                    "Alleen leden van de gemeenschap kun je als organisator noemen. "
                    "Geen lid: %(names)s."
                )
                % {"names": ", ".join(f"@{u.handle}" for u in outside)}
            }
        )


def _check_sessions_within(meetup: Meetup) -> None:
    """After the programme is written: every item lies within the (possibly moved) meetup."""
    outside = (
        Session.objects.filter(meetup=meetup)
        .filter(Q(starts_at__lt=meetup.starts_at) | Q(ends_at__gt=meetup.ends_at))
        .first()
    )
    if outside is not None:
        raise ValidationError(
            _("Programmaonderdeel “%(title)s” valt buiten de tijd van de bijeenkomst.")
            % {"title": outside.title}
        )


def _lock_sessions(meetup: Meetup) -> dict[int, Session]:
    """The meetup's sessions, locked like session_signup locks them: a sign-up for a session
    waits until the new capacity is checked and written, or is checked against it."""
    return {s.pk: s for s in Session.objects.select_for_update().filter(meetup=meetup)}


def _check_session_capacities(meetup: Meetup) -> None:
    """Caller holds the session locks: no session may have fewer places than sign-ups."""
    full = (
        Session.objects.filter(meetup=meetup, capacity__isnull=False)
        .annotate(taken=Count("signups"))
        .filter(taken__gt=F("capacity"))
        .first()
    )
    if full is not None:
        raise ValidationError(_session_capacity_message(full.title, full.taken))


def _session_capacity_message(title: str, taken: int) -> str:
    return _("Voor “%(title)s” hebben al %(count)d mensen een plek. Kies minstens %(count)d.") % {
        "title": title,
        "count": taken,
    }


def _sync_sessions(meetup: Meetup, sessions: Iterable[SessionData]) -> None:
    existing = _lock_sessions(meetup)
    for data in sessions:
        values = {
            "title": data.title,
            "starts_at": data.starts_at,
            "ends_at": data.ends_at,
            "room": data.room,
            "speaker": data.speaker,
            "description": data.description,
            "capacity": data.capacity,
        }
        if data.pk is None:
            if not data.delete:
                Session.objects.create(meetup=meetup, **values)
            continue
        session = existing.get(data.pk)
        if session is None:
            continue  # Removed meanwhile, or of another meetup: never touch that.
        if data.delete:
            session.delete()
            continue
        taken = session.signups.count()
        if data.capacity is not None and data.capacity < taken:
            raise ValidationError(_session_capacity_message(data.title, taken))
        for name, value in values.items():
            setattr(session, name, value)
        session.save()


def _after_change(meetup: Meetup, before: _Before) -> None:
    """Caller holds the lock and wrote `meetup`: calendars, notices and the waitlist follow."""
    moved = _when_where(meetup) != before.when_where
    published_before = before.status == Meetup.Status.PUBLISHED
    change = None
    if published_before and meetup.status == Meetup.Status.CANCELLED:
        change = "cancelled"
    elif published_before and meetup.status == Meetup.Status.PUBLISHED and moved:
        change = "changed"
    if change:
        # A higher SEQUENCE makes calendars replace (or strike out) the copy they imported.
        meetup.sequence += 1
        meetup.save(update_fields=["sequence", "updated_at"])
        meetup_changed_notify.delay_on_commit(meetup.pk, change)
    grew = meetup.capacity is None or (
        before.capacity is not None and meetup.capacity > before.capacity
    )
    if meetup.status == Meetup.Status.PUBLISHED and grew:
        # Each round promotes the first waiting member while there is room: once each, in order.
        while _promote_first_waiting(meetup) is not None:
            pass
    if before.status == Meetup.Status.PROPOSED and meetup.status in (
        Meetup.Status.DRAFT,
        Meetup.Status.PUBLISHED,
    ):
        meetup_proposal_approved_notify.delay_on_commit(meetup.pk)


def _set_fields(meetup: Meetup, fields: Mapping[str, Any], allowed: frozenset[str]) -> None:
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"not editable here: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(meetup, name, value)


def _check_not_past(meetup: Meetup) -> None:
    if meetup.starts_at <= timezone.now():
        raise ValidationError(
            {"starts_at": _("Dit moment is al voorbij. Kies een begin in de toekomst.")}
        )


@transaction.atomic
def meetup_create(
    *,
    by: User,
    fields: Mapping[str, Any],
    themes: Iterable[Theme] = (),
    organisers: Iterable[User] = (),
    sessions: Iterable[SessionData] = (),
    publish: bool = False,
) -> Meetup:
    """A new meetup as a draft, or published at once. Organisers create anywhere, hosts in
    their own community (meetup_can_create_in)."""
    require_can_act(by)
    if not meetup_can_create_in(by, fields.get("community"), fields.get("branch")):
        raise PermissionDenied(_("Je kunt hier geen bijeenkomst plannen. Stel er een voor."))
    organisers = list(organisers)
    meetup_check_organisers(
        by=by, community=fields.get("community"), branch=fields.get("branch"), organisers=organisers
    )
    meetup = Meetup(
        status=Meetup.Status.PUBLISHED if publish else Meetup.Status.DRAFT,
    )
    _set_fields(meetup, fields, MEETUP_FIELDS)
    meetup_check_times(starts_at=meetup.starts_at, ends_at=meetup.ends_at)
    _check_not_past(meetup)
    meetup.save()
    meetup.themes.set(themes)
    meetup.organisers.set(organisers)
    _sync_sessions(meetup, sessions)
    _check_sessions_within(meetup)
    return meetup


@transaction.atomic
def meetup_update(
    *,
    by: User,
    meetup_id: int,
    fields: Mapping[str, Any],
    themes: Iterable[Theme],
    organisers: Iterable[User],
    sessions: Iterable[SessionData] = (),
    publish: bool = False,
) -> Meetup:
    """Change a meetup (and with `publish`, put a draft in the agenda in the same go). Moving a
    published one in time or place raises its `sequence` and tells everyone going or waiting;
    more places promote from the waitlist, in order."""
    meetup = _lock_meetup(meetup_id)
    if not meetup_can_manage(by, meetup):
        raise PermissionDenied
    community = fields.get("community", meetup.community)
    branch = fields.get("branch", meetup.branch)
    if community != meetup.community and not meetup_can_create_in(by, community, branch):
        raise PermissionDenied(_("Je kunt de bijeenkomst niet naar die gemeenschap verplaatsen."))
    organisers = list(organisers)
    meetup_check_organisers(
        by=by, community=community, branch=branch, organisers=organisers, meetup_id=meetup.pk
    )
    before = _Before.of(meetup)
    _set_fields(meetup, fields, MEETUP_FIELDS)
    meetup_check_times(starts_at=meetup.starts_at, ends_at=meetup.ends_at)
    if meetup.starts_at != before.when_where[0]:
        _check_not_past(meetup)
    # Under the lock: an RSVP that landed between the form and this save counts too.
    meetup_check_capacity(meetup_id=meetup.pk, capacity=meetup.capacity)
    meetup.save()
    meetup.themes.set(themes)
    meetup.organisers.set(organisers)
    _sync_sessions(meetup, sessions)
    _check_sessions_within(meetup)
    _after_change(meetup, before)
    if publish and meetup.status == Meetup.Status.DRAFT:
        _check_not_past(meetup)
        meetup.status = Meetup.Status.PUBLISHED
        meetup.save(update_fields=["status", "updated_at"])
    return meetup


@transaction.atomic
def meetup_admin_save(*, meetup: Meetup, save: Callable[[], Meetup]) -> Meetup:
    """An edit in the Wagtail admin: `meetup` is the form's instance with the new values and
    `save` is Wagtail's own write of it (row, programme, audit log).

    Around it the rules of meetup_update: the capacities of the meetup and of its sessions are
    checked under their locks, the programme must lie within the meetup, and notices, calendar
    sequence and waitlist follow.
    A ValidationError rolls everything back.
    """
    locked = _lock_meetup(meetup.pk)
    _lock_sessions(locked)
    before = _Before.of(locked)
    # Wagtail writes every column: carry over what only services change, as it is now.
    meetup.sequence = locked.sequence
    meetup = save()
    meetup_check_capacity(meetup_id=meetup.pk, capacity=meetup.capacity)
    _check_session_capacities(meetup)
    _check_sessions_within(meetup)
    _after_change(meetup, before)
    return meetup


@transaction.atomic
def meetup_publish(*, by: User, meetup_id: int) -> Meetup:
    """Put a draft in the agenda. Publishing twice changes nothing."""
    meetup = _lock_meetup(meetup_id)
    if not meetup_can_manage(by, meetup):
        raise PermissionDenied
    if meetup.status == Meetup.Status.PUBLISHED:
        return meetup
    if meetup.status != Meetup.Status.DRAFT:
        raise ValidationError(_("Alleen een concept kun je publiceren."))
    _check_not_past(meetup)
    meetup.status = Meetup.Status.PUBLISHED
    meetup.save(update_fields=["status", "updated_at"])
    return meetup


@transaction.atomic
def meetup_cancel(*, by: User, meetup_id: int, note: str) -> Meetup:
    """Cancel a published meetup: everyone going or waiting gets a notice with `note`.

    Cancelling twice changes nothing and sends nothing.
    """
    meetup = _lock_meetup(meetup_id)
    if not meetup_can_manage(by, meetup):
        raise PermissionDenied
    if meetup.status == Meetup.Status.CANCELLED:
        return meetup
    if meetup.status != Meetup.Status.PUBLISHED:
        raise ValidationError(_("Alleen een gepubliceerde bijeenkomst kun je afgelasten."))
    if meetup.ends_at <= timezone.now():
        raise ValidationError(_("Deze bijeenkomst is al voorbij."))
    before = _Before.of(meetup)
    meetup.status = Meetup.Status.CANCELLED
    meetup.cancellation_note = note.strip()
    meetup.save(update_fields=["status", "cancellation_note", "updated_at"])
    _after_change(meetup, before)
    return meetup


@transaction.atomic
def meetup_propose(
    *,
    by: User,
    community: Community,
    fields: Mapping[str, Any],
    themes: Iterable[Theme] = (),
) -> Meetup:
    """Any active member proposes a meetup in their community; hosts and organisers decide."""
    require_can_act(by)
    if not user_is_active_member(by, community) and not meetup_can_create_in(by, community):
        raise PermissionDenied(_("Word eerst lid van de gemeenschap om iets voor te stellen."))
    meetup = Meetup(status=Meetup.Status.PROPOSED, proposed_by=by, community=community)
    _set_fields(meetup, fields, PROPOSAL_FIELDS)
    meetup_check_times(starts_at=meetup.starts_at, ends_at=meetup.ends_at)
    _check_not_past(meetup)
    # Last, so that a proposal refused for its times does not use up the member's budget.
    throttle(by, "meetup_proposal")
    meetup.save()
    meetup.themes.set(themes)
    meetup_proposal_notify_hosts.delay_on_commit(meetup.pk)
    return meetup


def _lock_proposal(by: User, meetup_id: int) -> Meetup:
    meetup = _lock_meetup(meetup_id)
    if not meetup_can_manage(by, meetup):
        raise PermissionDenied
    if meetup.status != Meetup.Status.PROPOSED:
        raise ValidationError(_("Over dit voorstel is al besloten."))
    return meetup


@transaction.atomic
def meetup_approve_proposal(*, by: User, meetup_id: int, publish: bool) -> Meetup:
    """Accept a member's proposal: published at once, or a draft to complete first.

    The proposer hears back by mail. They stay `proposed_by` and do not become an organiser:
    organisers see access needs and email addresses, which is for whoever approves to hand out.
    """
    meetup = _lock_proposal(by, meetup_id)
    before = _Before.of(meetup)
    if publish:
        _check_not_past(meetup)
    meetup.status = Meetup.Status.PUBLISHED if publish else Meetup.Status.DRAFT
    meetup.save(update_fields=["status", "updated_at"])
    _after_change(meetup, before)
    return meetup


@transaction.atomic
def meetup_decline_proposal(*, by: User, meetup_id: int, reason: str) -> None:
    """Decline a proposal with a short reason for the proposer. The proposal is deleted: it was
    never public, and keeping a declined plan serves no one."""
    meetup = _lock_proposal(by, meetup_id)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Schrijf kort waarom, voor wie het voorstelde.")})
    if meetup.proposed_by_id is not None:
        meetup_proposal_declined_notify.delay_on_commit(
            meetup.proposed_by_id, meetup.title, meetup.community_id, reason
        )
    meetup.delete()
