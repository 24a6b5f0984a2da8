"""The profile (with the account's addresses and second factors) and memberships."""

from __future__ import annotations

import logging
import posixpath

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from wagtail.users.models import UserProfile

from communities.models import Membership

from ..registry import ExportArchive, register
from .common import absolute, when

logger = logging.getLogger(__name__)


@register(
    "communities.profile",
    covers=[
        "communities.Library.librarians",
        "account.EmailAddress.user",
        "mfa.Authenticator.user",
        "wagtailusers.UserProfile.user",
    ],
)
def profile(member, archive: ExportArchive) -> None:
    data = {
        "email": member.email,
        "display_name": member.display_name,
        "handle": member.handle,
        "profile_url": absolute(member.get_absolute_url()),
        "bio": member.bio,
        "region": member.region.name if member.region_id else None,
        "expertise": sorted(tag.name for tag in member.expertise.all()),
        "website": member.website,
        "phone": member.phone,
        "contact_visibility": member.contact_visibility,
        "language": member.language,
        "findable": member.findable,
        "date_joined": when(member.date_joined),
        "last_login": when(member.last_login),
        "roles": sorted(group.name for group in member.groups.all()),
        "librarian_of": sorted(library.name for library in member.libraries.all()),
        "suspended_at": when(member.suspended_at),
        "suspended_until": when(member.suspended_until),
        "suspension_reason": member.suspension_reason,
        "profile_hidden": member.profile_hidden,
        "avatar": _avatar(member, archive),
        "email_addresses": [
            {"email": a.email, "verified": a.verified, "primary": a.primary}
            for a in EmailAddress.objects.filter(user=member).order_by("pk")
        ],
        # What kind of second factor and when it was used; never its secret.
        "two_factor": [
            {"type": a.type, "created_at": when(a.created_at), "last_used_at": when(a.last_used_at)}
            for a in Authenticator.objects.filter(user=member).order_by("pk")
        ],
        "cms_preferences": _cms_preferences(member, archive),
    }
    archive.write_json("profile.json", data)


def _copy_upload(field_file, archive: ExportArchive, stem: str) -> str | None:
    """Copy an uploaded file into uploads/; a file missing from storage is left out."""
    extension = posixpath.splitext(field_file.name)[1].lower()
    path = f"uploads/{stem}{extension}"
    try:
        with field_file.storage.open(field_file.name, "rb") as source:
            archive.write_file(path, source)
    except OSError:
        logger.warning("upload %s is missing from storage; left out of the export", field_file)
        return None
    return path


def _avatar(member, archive: ExportArchive) -> str | None:
    return _copy_upload(member.avatar, archive, "profielfoto") if member.avatar else None


def _cms_preferences(member, archive: ExportArchive) -> dict | None:
    """Wagtail's admin preferences: only librarians and organisers have them."""
    profile = UserProfile.objects.filter(user=member).first()
    if profile is None:
        return None
    return {
        "preferred_language": profile.preferred_language,
        "current_time_zone": profile.current_time_zone,
        "submitted_notifications": profile.submitted_notifications,
        "approved_notifications": profile.approved_notifications,
        "rejected_notifications": profile.rejected_notifications,
        "updated_comments_notifications": profile.updated_comments_notifications,
        "avatar": (
            _copy_upload(profile.avatar, archive, "profielfoto-beheer") if profile.avatar else None
        ),
    }


@register("communities.memberships", covers=["communities.Membership.user"])
def memberships(member, archive: ExportArchive) -> None:
    rows = (
        Membership.objects.filter(user=member)
        .select_related("community")
        .order_by("created_at", "pk")
    )
    archive.write_csv(
        "memberships.csv",
        ["community", "url", "role", "state", "requested_at", "active_since"],
        (
            [
                m.community.title,
                absolute(m.community.get_absolute_url()),
                m.role,
                m.state,
                m.created_at,
                m.activated_at,
            ]
            for m in rows
        ),
    )
