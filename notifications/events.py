"""Who hears about what happened: every write of in-site notifications.

Each function takes the event (a comment, a contribution, a meetup change, a membership
decision), works out the recipients in one query, and writes all their notifications in one
`bulk_create`, so a community with 1000 followers costs two queries, not 1000. The unique
constraints on `Notification` make every function safe to run again for the same event: a
retried task or an edit that runs it twice notifies nobody twice.

Recipients are always members who are active and may see the target; the author of an event
never hears about their own doing.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import translation
from django.utils.html import strip_tags
from django.utils.text import Truncator

from communities.models import Community, Membership, User
from communities.selectors import LIBRARIAN_GROUP, community_manager_ids
from knowledge.markdown import render_markdown
from knowledge.models import Comment, Contribution
from meetups.models import Meetup

from .models import CommunityFollow, Notification
from .selectors import mail_recipients

logger = logging.getLogger(__name__)

Kind = Notification.Kind
EXCERPT_CHARS = 160
# What goes when a post is hidden or deleted: the notices that carry or point at its words.
# What moderation told its author (rejected, hidden, …) stays: that is the author's to read.
WITHDRAWN_KINDS = (
    Kind.COMMENT,
    Kind.REPLY,
    Kind.MENTION,
    Kind.NEW_CONTRIBUTION,
    Kind.AWAITING_APPROVAL,
)


def _path(obj) -> str:
    # Stored without language prefix; the notification view adds the reader's.
    with translation.override(settings.LANGUAGE_CODE):
        return obj.get_absolute_url()


def _excerpt(html: str) -> str:
    return Truncator(" ".join(strip_tags(html).split())).chars(EXCERPT_CHARS)


def may_see_contribution(contribution: Contribution):
    """A filter on User: who may read `contribution` (as `knowledge.selectors` decides)."""
    community = contribution.community
    if community.visibility != Community.Visibility.PRIVATE:
        return Q()
    member = Membership.objects.filter(
        user=OuterRef("pk"), community_id=community.pk, state=Membership.State.ACTIVE
    )
    librarian = User.objects.filter(
        pk=OuterRef("pk"), groups__name=LIBRARIAN_GROUP, libraries=community.library_id
    )
    return Exists(member) | Q(is_superuser=True) | Exists(librarian)


def _mentioned_ids(text: str) -> list[int]:
    """Members whose @handle becomes a link in `text`: those who exist and are active. The
    same resolution as the rendered page, so a mention that links nowhere notifies nobody."""
    _html, members = render_markdown(text)
    return [member.pk for member in members]


def _write(notifications: list[Notification], *, community_id: int | None, mail_kinds: bool) -> int:
    """Insert, mark which ones go out by mail, and queue those mails after commit."""
    if not notifications:
        return 0
    if mail_kinds:
        wanting = set(
            reply_mail_wanted([n.recipient_id for n in notifications], community_id=community_id)
        )
        for notification in notifications:
            if (
                notification.kind in Notification.MAIL_KINDS
                and notification.recipient_id in wanting
            ):
                notification.mail = Notification.Mail.PENDING
    Notification.objects.bulk_create(notifications, ignore_conflicts=True)
    if mail_kinds:
        from .tasks import reply_mail_send

        for user_id in sorted({n.recipient_id for n in notifications if n.mail == "pending"}):
            reply_mail_send.delay_on_commit(user_id)
    return len(notifications)


def reply_mail_wanted(user_ids: Iterable[int], *, community_id: int | None) -> list[int]:
    """Of `user_ids`, who get reply and mention mail: mailable, `reply_mail` on (the default),
    and the community not muted."""
    muted = CommunityFollow.objects.filter(
        user_id=OuterRef("pk"), community_id=community_id, level=CommunityFollow.Level.MUTED
    )
    return list(
        mail_recipients()
        .filter(pk__in=list(user_ids))
        .exclude(notification_preferences__reply_mail=False)
        .exclude(Exists(muted))
        .values_list("pk", flat=True)
    )


@transaction.atomic
def comment_posted_notify(*, comment_id: int) -> int:
    """A new comment: its contribution's author, the author of the comment it answers, and the
    members it mentions. One notification per member: answering you beats mentioning you."""
    comment = (
        Comment.objects.select_related("contribution__community", "parent")
        .filter(pk=comment_id)
        .first()
    )
    # Only what everyone may read: not deleted, hidden or waiting for approval (approving it
    # runs this again, see post_decided_notify).
    if comment is None or comment.is_deleted or comment.status != Contribution.Status.PUBLISHED:
        return 0
    contribution = comment.contribution
    if contribution.status != Contribution.Status.PUBLISHED:
        return 0
    kinds: dict[int, str] = {}
    if comment.parent is not None and comment.parent.author_id:
        kinds[comment.parent.author_id] = Kind.REPLY
    if contribution.author_id:
        kinds.setdefault(contribution.author_id, Kind.COMMENT)
    for user_id in _mentioned_ids(comment.body):
        kinds.setdefault(user_id, Kind.MENTION)
    kinds.pop(comment.author_id, None)
    recipients = _visible_recipients(kinds, contribution)
    url = f"{_path(contribution)}#reactie-{comment.pk}"
    notifications = [
        Notification(
            recipient_id=user_id,
            kind=kinds[user_id],
            actor_id=comment.author_id,
            community_id=contribution.community_id,
            contribution=contribution,
            comment=comment,
            title=contribution.title,
            excerpt=_excerpt(comment.body_html),
            url=url,
        )
        for user_id in recipients
    ]
    return _write(notifications, community_id=contribution.community_id, mail_kinds=True)


def _visible_recipients(user_ids: Iterable[int], contribution: Contribution) -> list[int]:
    ids = list(user_ids)
    if not ids:
        return []
    return list(
        User.objects.filter(pk__in=ids, is_active=True)
        .filter(may_see_contribution(contribution))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


@transaction.atomic
def contribution_saved_notify(*, contribution_id: int, created: bool) -> int:
    """A contribution was posted or edited: the members it mentions and, when new, those who
    follow its community at "all activity" (not muted, not the author)."""
    contribution = (
        Contribution.objects.select_related("community").filter(pk=contribution_id).first()
    )
    if contribution is None or contribution.status != Contribution.Status.PUBLISHED:
        return 0  # hidden, or waiting for approval: approving it runs this again
    mentioned = set(_visible_recipients(_mentioned_ids(contribution.body), contribution))
    mentioned.discard(contribution.author_id)
    followers: list[int] = []
    if created:
        followers = list(
            CommunityFollow.objects.filter(
                community_id=contribution.community_id,
                level=CommunityFollow.Level.ALL,
                user__is_active=True,
                user__memberships__community_id=contribution.community_id,
                user__memberships__state=Membership.State.ACTIVE,
            )
            .exclude(user_id=contribution.author_id)
            .exclude(user_id__in=mentioned)
            .order_by("user_id")
            .values_list("user_id", flat=True)
        )
    url = _path(contribution)
    common = {
        "actor_id": contribution.author_id,
        "community_id": contribution.community_id,
        "contribution": contribution,
        "title": contribution.title,
        "url": url,
    }
    notifications = [
        Notification(recipient_id=user_id, kind=Kind.MENTION, **common)
        for user_id in sorted(mentioned)
    ] + [
        Notification(recipient_id=user_id, kind=Kind.NEW_CONTRIBUTION, **common)
        for user_id in followers
    ]
    return _write(notifications, community_id=contribution.community_id, mail_kinds=bool(mentioned))


@transaction.atomic
def meetup_changed_notify(*, meetup: Meetup, change: str, user_ids: Iterable[int]) -> int:
    """A meetup moved or was cancelled: everyone going or on the waitlist (the meetups app
    says who). One notice per member per version of the meetup."""
    kind = Kind.MEETUP_CANCELLED if change == "cancelled" else Kind.MEETUP_CHANGED
    recipients = User.objects.filter(pk__in=list(user_ids), is_active=True).values_list(
        "pk", flat=True
    )
    url = _path(meetup)
    notifications = [
        Notification(
            recipient_id=user_id,
            kind=kind,
            community_id=meetup.community_id,
            meetup=meetup,
            meetup_sequence=meetup.sequence,
            title=meetup.title,
            url=url,
        )
        for user_id in recipients
    ]
    return _write(notifications, community_id=None, mail_kinds=False)


@transaction.atomic
def membership_decided_notify(
    *, user_id: int, community_id: int, approved: bool, by_id: int | None
) -> int:
    """A host approved or declined a member's request to join."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    community = Community.objects.filter(pk=community_id).first()
    if user is None or community is None:
        return 0
    notification = Notification(
        recipient=user,
        kind=Kind.MEMBERSHIP_APPROVED if approved else Kind.MEMBERSHIP_DECLINED,
        actor_id=by_id,
        community=community,
        title=community.title,
        url=_path(community),
    )
    return _write([notification], community_id=community_id, mail_kinds=False)


@transaction.atomic
def comment_withdrawn_notify(*, comment_id: int) -> int:
    """A comment was deleted or hidden by a moderator: its notifications go too, so its words
    do not linger in anyone's list or unsent mail. Returns how many were removed."""
    comment = Comment.objects.filter(pk=comment_id).only("deleted_at", "status").first()
    if comment is not None and not (comment.is_deleted or comment.is_hidden):
        return 0  # restored in the meantime
    deleted, _by_model = Notification.objects.filter(
        comment_id=comment_id, kind__in=WITHDRAWN_KINDS
    ).delete()
    return deleted


@transaction.atomic
def contribution_withdrawn_notify(*, contribution_id: int) -> int:
    """A host hid a contribution: the notifications about it and its comments go."""
    contribution = Contribution.objects.filter(pk=contribution_id).only("status").first()
    if contribution is not None and not contribution.is_hidden:
        return 0
    deleted, _by_model = Notification.objects.filter(
        contribution_id=contribution_id, kind__in=WITHDRAWN_KINDS
    ).delete()
    return deleted


@transaction.atomic
def contribution_restored_notify(*, contribution_id: int) -> int:
    """A hidden contribution is published again: what hiding withdrew comes back, as it was
    first sent (its followers and mentions, and the notices of its visible comments). Those
    who still have a notice keep it: the unique constraints make this a no-op for them."""
    published = Contribution.objects.filter(
        pk=contribution_id, status=Contribution.Status.PUBLISHED
    ).exists()
    if not published:
        return 0
    written = contribution_saved_notify(contribution_id=contribution_id, created=True)
    comment_ids = Comment.objects.filter(
        contribution_id=contribution_id,
        status=Contribution.Status.PUBLISHED,
        deleted_at__isnull=True,
    ).values_list("pk", flat=True)
    for comment_id in comment_ids.order_by("pk").iterator():
        written += comment_posted_notify(comment_id=comment_id)
    return written


# --- Pre-moderation ------------------------------------------------------------------------------


def _pending_post(contribution_id: int, comment_id: int | None):
    """The contribution and (for a comment) the comment, or (None, None) when gone."""
    contribution = (
        Contribution.objects.select_related("community").filter(pk=contribution_id).first()
    )
    comment = None
    if comment_id is not None:
        comment = Comment.objects.filter(pk=comment_id, contribution_id=contribution_id).first()
        if comment is None:
            return None, None
    return contribution, comment


def _approval_list_path(community: Community) -> str:
    from django.urls import reverse

    with translation.override(settings.LANGUAGE_CODE):
        return reverse("premoderation:pending_list", kwargs={"slug": community.slug})


@transaction.atomic
def post_awaiting_approval_notify(*, contribution_id: int, comment_id: int | None = None) -> int:
    """A new post waits for approval: the hosts and moderators of its community hear about it,
    in-site only, once (the unique constraints), and not when it was decided in the meantime.
    The author never hears about their own post, even when they moderate elsewhere."""
    contribution, comment = _pending_post(contribution_id, comment_id)
    post = comment if comment is not None else contribution
    if post is None or post.status != Contribution.Status.PENDING:
        return 0
    community = contribution.community
    # A subcommunity's posts wait for its parent's hosts and moderators too (issue 14).
    managers = (
        User.objects.filter(pk__in=community_manager_ids(community.pk), is_active=True)
        .exclude(pk=post.author_id)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    notifications = [
        Notification(
            recipient_id=user_id,
            kind=Kind.AWAITING_APPROVAL,
            actor_id=post.author_id,
            community=community,
            contribution=contribution,
            comment=comment,
            title=contribution.title,
            excerpt=_excerpt(post.body_html),
            url=_approval_list_path(community),
        )
        for user_id in managers
    ]
    return _write(notifications, community_id=community.pk, mail_kinds=False)


@transaction.atomic
def post_decided_notify(
    *,
    contribution_id: int,
    comment_id: int | None = None,
    approved: bool,
    by_id: int | None = None,
    reason: str = "",
) -> int:
    """A host approved or rejected a waiting post (moderation.premoderation).

    The managers' "waiting for your approval" notices go: the work is done (and a comment's
    notices are one per member, so the reply notice to a host could not be written otherwise).
    The author hears the decision, with the reason of a rejection. An approved post then
    notifies as a new one does: followers, mentioned members, the authors it answers.
    """
    contribution, comment = _pending_post(contribution_id, comment_id)
    if contribution is None:
        return 0
    post = comment if comment is not None else contribution
    waiting = Notification.objects.filter(kind=Kind.AWAITING_APPROVAL)
    if comment is not None:
        waiting.filter(comment=comment).delete()
    else:
        waiting.filter(contribution=contribution, comment__isnull=True).delete()
    expected = Contribution.Status.PUBLISHED if approved else Contribution.Status.HIDDEN
    if post.status != expected:
        return 0  # decided otherwise since
    written = 0
    if User.objects.filter(pk=post.author_id, is_active=True).exists():
        # A rejected contribution is out of the lists: point at its community, where they post.
        if comment is not None:
            url = _path(contribution) + (f"#reactie-{comment.pk}" if approved else "")
        else:
            url = _path(contribution) if approved else _path(contribution.community)
        written += _write(
            [
                Notification(
                    recipient_id=post.author_id,
                    kind=Kind.APPROVED if approved else Kind.REJECTED,
                    actor_id=by_id,
                    community=contribution.community,
                    contribution=contribution,
                    comment=comment,
                    title=contribution.title,
                    # A rejection says why; the author no longer sees the post itself.
                    excerpt=Truncator(reason).chars(EXCERPT_CHARS) if not approved else "",
                    url=url,
                )
            ],
            community_id=contribution.community_id,
            mail_kinds=False,
        )
    if approved and comment is not None:
        written += comment_posted_notify(comment_id=comment.pk)
    elif approved:
        written += contribution_saved_notify(contribution_id=contribution.pk, created=True)
    return written
