"""Pre-moderation: the posts that wait for a host's approval, and the decisions on them.

Which posts wait is knowledge's rule (`knowledge.premoderation.post_needs_approval`); a waiting
post has status `pending` and reaches nobody but its author and its community's managers.
Here the hosts, moderators and librarians of the community decide:

- `post_approve` publishes it as a new post: its date becomes the moment it went online, so
  lists, "Voor jou" and the next digest show it as new, and only now do followers, mentioned
  members and the authors it answers hear about it. The search index and the anonymous page
  cache follow the save through their receivers.
- `post_reject` hides it for good, with a reason that its author reads in their notification.

Both lock the post's row, so of two hosts deciding at once one wins and the other is told that
it was decided already; both write the moderation log in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from communities.models import Community, User
from communities.selectors import Viewer, user_can_manage
from communities.suspension import require_can_act
from knowledge.models import Comment, Contribution
from notifications import tasks as notification_tasks

from .log import record
from .models import ModerationAction

PENDING = Contribution.Status.PENDING
REASON_MAX_CHARS = 2000

Post = Contribution | Comment


# --- Reads -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PendingPosts:
    contributions: list[Contribution]
    comments: list[Comment]

    def __len__(self) -> int:
        return len(self.contributions) + len(self.comments)


def pending_contributions(community: Community) -> QuerySet[Contribution]:
    return (
        Contribution.objects.filter(community=community, status=PENDING)
        .select_related("author")
        .order_by("created_at", "pk")
    )


def pending_comments(community: Community) -> QuerySet[Comment]:
    return (
        Comment.objects.filter(
            contribution__community=community, status=PENDING, deleted_at__isnull=True
        )
        .select_related("author", "contribution")
        .order_by("created_at", "pk")
    )


def pending_posts_for(user: Viewer, community: Community) -> PendingPosts:
    """What waits for approval in `community`, oldest first: two queries, however many.
    Only for those who may approve (hosts, moderators, the library's librarians)."""
    if not user_can_manage(user, community):
        raise PermissionDenied
    return PendingPosts(
        contributions=list(pending_contributions(community)),
        comments=list(pending_comments(community)),
    )


def pending_post_count(community: Community) -> int:
    return pending_contributions(community).count() + pending_comments(community).count()


def pending_post_get(community: Community, kind: str, pk: int) -> Post:
    """The contribution ("bijdrage") or comment ("reactie") `pk` of `community`, in any status
    (a decided one is reported as such by the services). ValueError for an unknown kind."""
    if kind == "bijdrage":
        post: Post | None = Contribution.objects.filter(community=community, pk=pk).first()
    elif kind == "reactie":
        post = Comment.objects.filter(contribution__community=community, pk=pk).first()
    else:
        raise ValueError(kind)
    if post is None:
        raise Comment.DoesNotExist if kind == "reactie" else Contribution.DoesNotExist
    return post


# --- Decisions -------------------------------------------------------------------------------


def _lock(post: Post) -> tuple[Post, Community]:
    """The post's row, locked until the end of the transaction, and its community."""
    locked = type(post).objects.select_for_update().get(pk=post.pk)
    if isinstance(locked, Comment):
        community_id = Contribution.objects.values_list("community_id", flat=True).get(
            pk=locked.contribution_id
        )
    else:
        community_id = locked.community_id
    community = Community.objects.select_related("library").get(pk=community_id)
    return locked, community


def _decide(by: User, post: Post) -> tuple[Post, Community]:
    require_can_act(by)  # a suspended host moderates nothing, as in the queue
    locked, community = _lock(post)
    if not user_can_manage(by, community):
        raise PermissionDenied
    if locked.status != PENDING:
        raise ValidationError(_("Hierover is al besloten."))
    return locked, community


def _ids(post: Post) -> tuple[int, int | None]:
    if isinstance(post, Comment):
        return post.contribution_id, post.pk
    return post.pk, None


@transaction.atomic
def post_approve(*, by: User, obj: Post) -> Post:
    """Publish a waiting contribution or comment, as new."""
    post, community = _decide(by, obj)
    post.status = Contribution.Status.PUBLISHED
    # It goes online now: lists, "Voor jou" and digests read new posts by this date.
    post.created_at = timezone.now()
    # save(), not update(): the search index and the anonymous page cache follow the signal.
    post.save(update_fields=["status", "created_at", "updated_at"])
    record(
        ModerationAction.Action.APPROVE,
        actor=by,
        obj=post,
        member=post.author,
        community=community,
        library=community.library,
    )
    contribution_id, comment_id = _ids(post)
    notification_tasks.post_decided_notify.delay_on_commit(
        contribution_id, comment_id, True, by.pk, ""
    )
    return post


@transaction.atomic
def post_reject(*, by: User, obj: Post, reason: str) -> Post:
    """Hide a waiting contribution or comment for good; its author reads `reason`."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Schrijf op waarom, zodat de schrijver het begrijpt.")})
    if len(reason) > REASON_MAX_CHARS:
        raise ValidationError(
            {"reason": _("Houd de reden korter dan %(max)s tekens.") % {"max": REASON_MAX_CHARS}}
        )
    post, community = _decide(by, obj)
    post.status = Contribution.Status.HIDDEN
    post.save(update_fields=["status", "updated_at"])
    record(
        ModerationAction.Action.REJECT,
        actor=by,
        obj=post,
        member=post.author,
        community=community,
        library=community.library,
        reason=reason,
    )
    contribution_id, comment_id = _ids(post)
    notification_tasks.post_decided_notify.delay_on_commit(
        contribution_id, comment_id, False, by.pk, reason
    )
    return post
