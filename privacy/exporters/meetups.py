"""RSVPs with the access needs the member gave, session places, meetups they organised or
proposed, the reports (verslagen) they wrote and the messages they sent to attendees."""

from __future__ import annotations

from django.db.models import Q

from meetups.models import Meetup, Report, Rsvp, SentMessage, SessionSignup

from ..registry import ExportArchive, exclude, register
from .common import absolute, file_stem, markdown_file, when


@register("meetups.rsvps", covers=["meetups.Rsvp.user", "meetups.SessionSignup.user"])
def rsvps(member, archive: ExportArchive) -> None:
    rows = Rsvp.objects.filter(user=member).select_related("meetup").order_by("created_at", "pk")
    archive.write_csv(
        "meetups/rsvps.csv",
        [
            "meetup",
            "url",
            "starts_at",
            "state",
            "access_needs",
            "checked_in_at",
            "created_at",
            "updated_at",
        ],
        (
            [
                r.meetup.title,
                absolute(r.meetup.get_absolute_url()),
                r.meetup.starts_at,
                r.state,
                r.access_needs,
                r.checked_in_at,
                r.created_at,
                r.updated_at,
            ]
            for r in rows
        ),
    )
    signups = (
        SessionSignup.objects.filter(user=member)
        .select_related("session__meetup")
        .order_by("created_at", "pk")
    )
    archive.write_csv(
        "meetups/session_signups.csv",
        ["meetup", "session", "starts_at", "created_at"],
        (
            [s.session.meetup.title, s.session.title, s.session.starts_at, s.created_at]
            for s in signups
        ),
    )


@register("meetups.organised", covers=["meetups.Meetup.organisers", "meetups.Meetup.proposed_by"])
def organised(member, archive: ExportArchive) -> None:
    rows = (
        Meetup.objects.filter(Q(organisers=member) | Q(proposed_by=member))
        .distinct()
        .order_by("starts_at", "pk")
    )
    organiser_of = set(member.organised_meetups.values_list("pk", flat=True))
    archive.write_csv(
        "meetups/organised_or_proposed.csv",
        ["meetup", "url", "starts_at", "status", "organiser", "proposed_by_you", "description"],
        (
            [
                m.title,
                absolute(m.get_absolute_url()),
                m.starts_at,
                m.status,
                m.pk in organiser_of,
                m.proposed_by_id == member.pk,
                # The description is the member's own words only when they proposed it.
                m.description if m.proposed_by_id == member.pk else "",
            ]
            for m in rows
        ),
    )


@register("meetups.reports", covers=["meetups.Report.author"])
def reports(member, archive: ExportArchive) -> None:
    for report in Report.objects.filter(author=member).select_related("meetup").order_by("pk"):
        metadata = {
            "meetup": report.meetup.title,
            "url": absolute(report.meetup.get_absolute_url()),
            "created_at": when(report.created_at),
            "updated_at": when(report.updated_at),
        }
        stem = file_stem(report.pk, report.created_at, report.meetup.title)
        archive.write_text(f"meetups/reports/{stem}.md", markdown_file(metadata, report.body))


@register("meetups.messages_sent", covers=["meetups.SentMessage.sender"])
def messages_sent(member, archive: ExportArchive) -> None:
    """The copies kept of the messages the member sent to the attendees of a meetup."""
    rows = SentMessage.objects.filter(sender=member).select_related("meetup").order_by("pk")
    archive.write_csv(
        "meetups/messages_sent.csv",
        ["meetup", "url", "subject", "body", "include_waitlist", "recipient_count", "sent_at"],
        (
            [
                m.meetup.title,
                absolute(m.meetup.get_absolute_url()),
                m.subject,
                m.body,
                m.include_waitlist,
                m.recipient_count,
                m.sent_at,
            ]
            for m in rows
        ),
    )


exclude(
    "meetups.CalendarToken.user",
    "A secret key in the address of the member's calendar feed, not information about them; a "
    "zip that travels must not carry a working key. The member sees, renews and revokes it on "
    "Mijn aanmeldingen.",
)
