"""What organisers see: who comes, the waitlist and what people need; and the reports written
afterwards, with the contributions a report may link."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Q, QuerySet

from communities.models import Community, Membership, User
from communities.selectors import Viewer, community_visibility_filter
from knowledge.models import Contribution
from knowledge.selectors import contribution_list_visible_to

from ..models import Meetup, Report, Rsvp, SentMessage, WalkIn
from .visibility import _visible

# A report links what came out of the meetup: contributions from a month before it on.
REPORT_CONTRIBUTIONS_SINCE = timedelta(days=30)
REPORT_CONTRIBUTIONS_MAX = 200


def meetup_attendees(meetup: Meetup) -> tuple[list[Rsvp], list[Rsvp]]:
    """Who is going (by name, for finding people at the door) and the waitlist in its order,
    each waiting RSVP with its `position` (1 = next to be promoted). One query."""
    rsvps = (
        Rsvp.objects.filter(meetup=meetup, state__in=[Rsvp.State.GOING, Rsvp.State.WAITLIST])
        .select_related("user")
        .order_by("created_at", "pk")
    )
    going: list[Rsvp] = []
    waitlist: list[Rsvp] = []
    for rsvp in rsvps:
        if rsvp.state == Rsvp.State.GOING:
            going.append(rsvp)
        else:
            rsvp.position = len(waitlist) + 1  # type: ignore[attr-defined]
            waitlist.append(rsvp)
    going.sort(key=lambda rsvp: (rsvp.user.display_name.casefold(), rsvp.pk))
    return going, waitlist


def attendee_name_matches(name: str, query: str) -> bool:
    """The check-in page's name filter: every word of `query` occurs in `name`, case and
    accents as typed (what a phone keyboard gives at the door)."""
    name = name.casefold()
    return all(word in name for word in query.casefold().split())


def meetup_walk_ins(meetup: Meetup) -> list[WalkIn]:
    """Who walked in without an account, in the order they came."""
    return list(WalkIn.objects.filter(meetup=meetup).order_by("checked_in_at", "pk"))


# At the door, at most this many members answer a name search.
WALK_IN_SEARCH_MAX = 10
WALK_IN_SEARCH_MIN_CHARS = 2


def walk_in_member_candidates(meetup: Meetup) -> QuerySet[User]:
    """Members an organiser may register at the door of `meetup`: active members of its
    community, members who answered it before (waiting or cancelled), and members who chose to
    be findable (`findable`, profile not hidden). Nobody else is found by name, so the door
    search does not become a look-up of every account."""
    scope = Q(findable=True, profile_hidden=False) | Q(
        pk__in=Rsvp.objects.filter(meetup=meetup).values("user_id")
    )
    if meetup.community_id is not None:
        scope |= Q(
            pk__in=Membership.objects.filter(
                community_id=meetup.community_id, state=Membership.State.ACTIVE
            ).values("user_id")
        )
    return User.objects.filter(scope, is_active=True)


def walk_in_member_search(meetup: Meetup, query: str) -> list[User]:
    """Members for the walk-in form, by name or @handle; nothing for a query under
    WALK_IN_SEARCH_MIN_CHARS characters."""
    query = " ".join(query.split()).lstrip("@")
    if len(query) < WALK_IN_SEARCH_MIN_CHARS:
        return []
    every_word = Q()
    for word in query.split():
        every_word &= Q(display_name__icontains=word)
    match = every_word | Q(handle__iexact=query)
    return list(
        walk_in_member_candidates(meetup)
        .filter(match)
        .order_by("display_name", "pk")[:WALK_IN_SEARCH_MAX]
    )


def sent_message_list(meetup: Meetup) -> QuerySet[SentMessage]:
    """The copies of the messages sent to the attendees of `meetup`, the latest first."""
    return (
        SentMessage.objects.filter(meetup=meetup)
        .select_related("sender")
        .order_by("-sent_at", "-pk")
    )


_NEED_SEPARATORS = re.compile(r"[,;\n]+")


@dataclass(frozen=True)
class AccessNeed:
    label: str
    count: int


def access_needs_summary(rsvps: list[Rsvp]) -> list[AccessNeed]:
    """How many people asked for each need, most asked first.

    Needs are free text; "Rolstoelplek, ringleiding" counts once for each of the two, and
    "ringleiding" and "Ringleiding." are the same need.
    """
    counts: Counter[str] = Counter()
    labels: dict[str, str] = {}
    for rsvp in rsvps:
        seen: set[str] = set()
        for part in _NEED_SEPARATORS.split(rsvp.access_needs):
            label = part.strip().rstrip(".").strip()
            key = " ".join(label.casefold().split())
            if not key or key in seen:
                continue
            seen.add(key)
            counts[key] += 1
            labels.setdefault(key, label[:1].upper() + label[1:])
    return [
        AccessNeed(label=labels[key], count=count)
        for key, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]


def report_for(user: Viewer, meetup: Meetup) -> Report | None:
    """The report of a meetup the viewer may see, with the contributions the viewer may see."""
    report = Report.objects.filter(meetup=meetup).select_related("author").first()
    if report is None:
        return None
    report.visible_contributions = list(  # type: ignore[attr-defined]
        contribution_list_visible_to(user).filter(meetup_reports=report)
    )
    return report


def report_list_visible_to(
    user: Viewer, *, community: Community | None = None, theme=None
) -> QuerySet[Report]:
    """Reports of meetups the viewer may see, of the latest meetups first."""
    qs = Report.objects.filter(meetup__in=_visible(user).values("pk"))
    if community is not None:
        qs = qs.filter(meetup__community=community)
    if theme is not None:
        with_theme = Meetup.objects.filter(Q(themes=theme) | Q(community__themes=theme)).values(
            "pk"
        )
        qs = qs.filter(meetup__in=with_theme)
    return qs.select_related("meetup", "meetup__community").order_by("-meetup__starts_at", "-pk")


def report_contribution_choices(meetup: Meetup, user: Viewer) -> QuerySet[Contribution]:
    """Contributions a report may link: published ones from the meetup's community or about its
    themes, posted from a month before the meetup on, that the organiser may see; plus those the
    report links already. The newest first, at most REPORT_CONTRIBUTIONS_MAX of them."""
    visible = Community.objects.filter(community_visibility_filter(user)).values("pk")
    related = Q(themes__in=meetup.themes.all())
    if meetup.community_id is not None:
        related |= Q(community_id=meetup.community_id)
    recent = (
        Contribution.objects.filter(
            related,
            community__in=visible,
            status=Contribution.Status.PUBLISHED,
            created_at__gte=meetup.starts_at - REPORT_CONTRIBUTIONS_SINCE,
        )
        .order_by("-created_at")
        .values("pk")[:REPORT_CONTRIBUTIONS_MAX]
    )
    return (
        Contribution.objects.filter(Q(pk__in=recent) | Q(meetup_reports__meetup=meetup))
        .distinct()
        .select_related("community")
        .order_by("-created_at")
    )
