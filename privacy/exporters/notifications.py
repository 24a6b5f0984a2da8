"""Notification preferences and what the member follows."""

from __future__ import annotations

from notifications.models import CommunityFollow, RegionFollow, ThemeFollow
from notifications.selectors import preferences_for

from ..registry import ExportArchive, exclude, register
from .common import when


@register(
    "notifications.preferences",
    covers=[
        "notifications.NotificationPreferences.user",
        "notifications.CommunityFollow.user",
        "notifications.ThemeFollow.user",
        "notifications.RegionFollow.user",
    ],
)
def preferences(member, archive: ExportArchive) -> None:
    current = preferences_for(member)  # the defaults when they never changed any
    data = {
        "digest_frequency": current.digest_frequency,
        "reply_mail": current.reply_mail,
        "updated_at": when(current.updated_at),
        "communities": [
            {"community": f.community.title, "level": f.level, "updated_at": when(f.updated_at)}
            for f in CommunityFollow.objects.filter(user=member)
            .select_related("community")
            .order_by("community__title")
        ],
        "themes_followed": [
            {"theme": f.theme.title, "since": when(f.created_at)}
            for f in ThemeFollow.objects.filter(user=member)
            .select_related("theme")
            .order_by("theme__title")
        ],
        "regions_followed": [
            {"region": f.region.name, "since": when(f.created_at)}
            for f in RegionFollow.objects.filter(user=member)
            .select_related("region")
            .order_by("region__name")
        ],
    }
    archive.write_json("notifications/preferences.json", data)


exclude(
    "notifications.Notification.recipient",
    "In-site notices about what others did (their names and excerpts of their words); the "
    "member reads them at /meldingen/ and read ones are removed after a year.",
)
exclude(
    "notifications.Notification.actor",
    "Notices to other members about what this member did; the acts themselves (contributions, "
    "comments, appreciations) are exported.",
)
exclude(
    "notifications.DigestDelivery.user",
    "Delivery bookkeeping of the digest mails (period and state, no content); removed after use.",
)
exclude(
    "notifications.ReplyMailState.user",
    "The hourly limit of reply mails: two timestamps of bookkeeping, no content.",
)
