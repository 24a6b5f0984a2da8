"""Pre-moderation (issue 11): which new posts wait for a host's approval.

A community chooses (`Community.premoderation`): off, all posts, or the first posts of new
members. "New" is counted in posts, not in days: a member's contributions and comments in the
community wait until PREMODERATION_FIRST_POSTS of them there are published (approved, or posted
before the community switched pre-moderation on). Posts that wait, were rejected or hidden do
not count, so a member who posts two at once waits for both. Hosts, moderators and the
librarians of the community's library are never pre-moderated: they are the ones who approve.

A waiting post (status `pending`) reaches nobody but its author and the community's managers:
every list, search, digest and notification reads only published posts. Approving it
(`moderation.premoderation.post_approve`) publishes it as new.
"""

from __future__ import annotations

from django.conf import settings

from communities.models import Community, User
from communities.selectors import user_can_manage

from .models import Comment, Contribution


def published_post_count(author: User, community: Community, *, limit: int) -> int:
    """How many of `author`'s posts in `community` are published, counted up to `limit`."""
    contributions = Contribution.objects.filter(
        author=author, community=community, status=Contribution.Status.PUBLISHED
    ).values("pk")[:limit]
    found = len(contributions)
    if found >= limit:
        return found
    comments = Comment.objects.filter(
        author=author,
        contribution__community=community,
        status=Contribution.Status.PUBLISHED,
    ).values("pk")[: limit - found]
    return found + len(comments)


def post_needs_approval(author: User, community: Community) -> bool:
    """Whether a new contribution or comment by `author` in `community` waits for approval."""
    mode = community.premoderation
    if mode == Community.Premoderation.OFF or user_can_manage(author, community):
        return False
    if mode == Community.Premoderation.ALL:
        return True
    first_posts = settings.PREMODERATION_FIRST_POSTS
    return published_post_count(author, community, limit=first_posts) < first_posts


def new_post_status(author: User, community: Community) -> str:
    if post_needs_approval(author, community):
        return Contribution.Status.PENDING
    return Contribution.Status.PUBLISHED
