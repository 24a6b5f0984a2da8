"""Reads of attachments, scoped to who may see them: the same answer as the page of the post
they hang on (knowledge.selectors.contribution_get_visible)."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from communities.models import Community
from communities.selectors import Viewer, user_can_manage
from knowledge.models import Comment, Contribution
from knowledge.selectors import contribution_get_visible

from .models import Attachment


def attachment_list_for_contribution(contribution: Contribution) -> list[Attachment]:
    """The attachments of a contribution the caller has already found visible: one query."""
    return list(Attachment.objects.filter(contribution=contribution))


def _comment_visible(user: Viewer, comment: Comment, contribution: Contribution) -> bool:
    """As knowledge.selectors.comment_threads_for: a deleted comment shows no files, a hidden
    or waiting one only to its author and those who moderate."""
    if comment.is_deleted:
        return False
    if comment.status == Contribution.Status.PUBLISHED:
        return True
    if user.is_authenticated and comment.author_id == user.pk:
        return True
    return user_can_manage(user, contribution.community)


def attachment_get_visible(user: Viewer, key) -> tuple[Attachment, Contribution]:
    """The attachment and the contribution it is on (or under), if `user` may see them; else
    Http404, never 403: a private community's files do not admit that they exist."""
    attachment = Attachment.objects.select_related("comment").filter(key=key).first()
    if attachment is None:
        raise Http404
    comment = attachment.comment
    contribution_id = comment.contribution_id if comment else attachment.contribution_id
    assert contribution_id is not None  # attachment_on_one_post
    contribution = contribution_get_visible(user, contribution_id)
    if comment is not None and not _comment_visible(user, comment, contribution):
        raise Http404
    return attachment, contribution


def attachment_is_public(attachment: Attachment, contribution: Contribution) -> bool:
    """Whether a visitor who is not signed in may see it too: only then may shared caches
    keep it. Asked of the same selector as for anybody else, so a subcommunity of a private
    community, a hidden post or a waiting comment count as private without a rule of their own.
    """
    comment = attachment.comment
    if comment is not None and (comment.is_deleted or comment.is_pending or comment.is_hidden):
        return False
    try:
        contribution_get_visible(AnonymousUser(), contribution.pk)
    except Http404:
        return False
    return True


def attachment_thumbnails_public(contribution_ids: list[int]) -> dict[int, tuple[str, str]]:
    """{contribution id: (thumbnail path, alt text)} of the first photo of each contribution
    in a community that is not private, in one query: for mails, whose images a mail program
    fetches without anybody signed in. A private community's photo never goes out this way."""
    if not contribution_ids:
        return {}
    rows = (
        Attachment.objects.filter(
            contribution_id__in=contribution_ids,
            kind=Attachment.Kind.IMAGE,
        )
        .exclude(contribution__community__visibility=Community.Visibility.PRIVATE)
        .order_by("contribution_id", "position", "pk")
        .distinct("contribution_id")
        .only("key", "contribution_id", "renditions", "alt_text")
    )
    return {
        row.contribution_id: (row.thumbnail_url, row.alt_text)
        for row in rows
        if row.contribution_id is not None
    }
