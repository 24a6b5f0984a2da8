"""Every write to contributions, comments and appreciations."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Site

from attachments.services import NewAttachment, attachments_add, attachments_delete_all
from attachments.services import attachments_remove as attachments_remove_keys
from communities.models import Community, Theme, User
from communities.selectors import user_can_manage, user_is_active_member
from communities.suspension import require_can_act
from kenniscloud.common.ratelimit import throttle

from .markdown import render_markdown
from .models import Appreciation, Comment, CommentRevision, Contribution, ContributionRevision
from .parts import PART_FIELDS, has_parts, parts_from, parts_render
from .posting import posting_checks, refuse_too_many_links
from .premoderation import new_post_status

MEMBER_KINDS = {
    Contribution.Kind.QUESTION,
    Contribution.Kind.EXPERIENCE,
    Contribution.Kind.IDEA,
    Contribution.Kind.SOURCE,
}


def _require_member(user: User, community: Community) -> None:
    if not user_is_active_member(user, community):
        raise PermissionDenied(_("Alleen leden van deze gemeenschap kunnen hier iets plaatsen."))


def _all_text(body: str, parts: dict[str, str]) -> str:
    """The body and the parts as one text: the link limit counts them together."""
    return "\n\n".join([body, *parts.values()])


def contribution_set_text(contribution: Contribution, *, body: str, parts: dict[str, str]) -> None:
    """Set the body and the parts with their HTML (knowledge.parts), and validate the
    contribution (`full_clean`). Not saved. Every door that writes the text goes through here:
    the site's form and the Wagtail admin.

    The body may be empty only when a part is filled: an experience written in parts needs no
    text above them. The model's `body` is not blank=True (one schema for all kinds), so it is
    left out of `full_clean` exactly then.
    """
    parts = parts_from(parts)
    if not body.strip() and not has_parts(parts):
        raise ValidationError(
            {"body": _("Schrijf eerst iets: in de tekst, of in een of meer van de delen.")}
        )
    contribution.body = body
    contribution.body_html, _mentioned = render_markdown(body)
    for field in PART_FIELDS:
        setattr(contribution, field, parts[field])
    contribution.parts_html = parts_render(parts)
    contribution.full_clean(exclude=None if body.strip() else ["body"])


@transaction.atomic
def contribution_create(
    *,
    author: User,
    community: Community,
    kind: str,
    title: str,
    body: str,
    tags: list[str] | None = None,
    themes: list[Theme] | None = None,
    source_url: str = "",
    parts: dict[str, str] | None = None,
    attachments: list[NewAttachment] | None = None,
) -> Contribution:
    """`attachments`: checked files (attachments.forms / attachments.validation), stored with
    the contribution or not at all."""
    require_can_act(author)
    _require_member(author, community)
    if kind not in MEMBER_KINDS:
        raise ValidationError({"kind": _("Kies een soort bijdrage.")})
    parts = parts_from(parts or {})
    refuse_too_many_links(author=author, body=_all_text(body, parts))
    contribution = Contribution(
        community=community,
        author=author,
        kind=kind,
        title=title.strip(),
        source_url=source_url,
        language=author.language,
        # Pre-moderation: maybe waiting for a host's approval (knowledge.premoderation).
        status=new_post_status(author, community),
    )
    contribution_set_text(contribution, body=body, parts=parts)
    # Last: a duplicate or a rate limit refuses it here (knowledge.posting).
    # (An experience only in parts is compared by its parts: an empty body is no duplicate.)
    posting_checks(Contribution, "contribution", author=author, body=body or _all_text(body, parts))
    contribution.save()
    contribution.tags.set(tags or [])
    contribution.themes.set(themes if themes is not None else community.themes.all())
    attachments_add(post=contribution, by=author, items=attachments or [])
    return contribution


def contribution_text_of(contribution: Contribution) -> dict:
    """The words of a contribution as an edit may change them: title, body and parts."""
    return {
        "title": contribution.title,
        "body": contribution.body,
        "parts": {field: value for field, value in parts_from(vars(contribution)).items() if value},
    }


def contribution_revision_keep(
    *, contribution: Contribution, before: dict, by: User | None
) -> ContributionRevision | None:
    """After the new text is set and before it is saved (caller in a transaction): when the
    words changed, keep `before` (contribution_text_of) as an earlier version and mark the
    contribution edited now. Nothing when only the kind, tags or status changed. Every door
    that edits the text calls this: the site's form and the Wagtail admin."""
    if contribution.pk is None or contribution_text_of(contribution) == before:
        return None
    contribution.edited_at = timezone.now()
    return ContributionRevision.objects.create(
        contribution=contribution,
        title=before["title"],
        body=before["body"],
        parts=before["parts"],
        edited_by=by,
    )


@transaction.atomic
def contribution_update(
    *,
    by: User,
    contribution: Contribution,
    kind: str,
    title: str,
    body: str,
    tags: list[str] | None = None,
    themes: list[Theme] | None = None,
    source_url: str = "",
    parts: dict[str, str] | None = None,
    attachments: list[NewAttachment] | None = None,
    attachments_remove: list[str] | None = None,
) -> Contribution:
    """`parts` None keeps the parts as they are (a caller that does not edit them).
    `attachments_remove`: keys of its attachments to remove, before `attachments` are added."""
    require_can_act(by)
    if contribution.author_id != by.pk:
        raise PermissionDenied(_("Je kunt alleen je eigen bijdragen bewerken."))
    if kind not in MEMBER_KINDS and kind != contribution.kind:
        raise ValidationError({"kind": _("Kies een soort bijdrage.")})
    parts = parts_from(parts if parts is not None else vars(contribution))
    refuse_too_many_links(author=by, body=_all_text(body, parts))
    before = contribution_text_of(contribution)
    contribution.kind = kind
    contribution.title = title.strip()
    contribution.source_url = source_url
    contribution_set_text(contribution, body=body, parts=parts)
    contribution_revision_keep(contribution=contribution, before=before, by=by)
    contribution.save()
    contribution.tags.set(tags or [])
    if themes is not None:
        contribution.themes.set(themes)
    attachments_remove_keys(post=contribution, by=by, keys=attachments_remove or [])
    attachments_add(post=contribution, by=by, items=attachments or [])
    return contribution


def _refuse_publishing_pending(post: Contribution | Comment, status: str) -> None:
    """A waiting post goes online only through approval (moderation.premoderation.post_approve),
    which logs it and sends what a new post sends; hiding it is fine."""
    if post.status == Contribution.Status.PENDING and status == Contribution.Status.PUBLISHED:
        raise ValidationError(
            _("Keur een wachtende bijdrage of reactie goed in de goedkeuringslijst.")
        )


@transaction.atomic
def contribution_set_status(*, by: User, contribution: Contribution, status: str) -> Contribution:
    """Hosts hide a contribution in their own community, and restore it."""
    if not user_can_manage(by, contribution.community):
        raise PermissionDenied
    if status not in Contribution.Status.values:
        raise ValidationError(_("Onbekende status."))
    _refuse_publishing_pending(contribution, status)
    contribution.status = status
    # save(), not update(): the post_save signal keeps the anonymous page cache current.
    contribution.save(update_fields=["status", "updated_at"])
    return contribution


@transaction.atomic
def comment_create(
    *, author: User, contribution: Contribution, body: str, parent: Comment | None = None
) -> Comment:
    require_can_act(author)
    _require_member(author, contribution.community)
    # A hidden or waiting contribution is seen by its author and moderators only; a reply there
    # would be a conversation nobody else can follow, and would outlive a rejection.
    if contribution.status != Contribution.Status.PUBLISHED:
        raise ValidationError(
            _("Reageren kan pas als de bijdrage weer voor iedereen zichtbaar is."),
            code="not_published",
        )
    if not body.strip():
        raise ValidationError({"body": _("Schrijf eerst een reactie.")})
    if parent is not None:
        if parent.contribution_id != contribution.pk:
            raise ValidationError(_("Deze reactie hoort bij een andere bijdrage."))
        # One level of replies: a reply to a reply joins the same thread.
        if parent.parent_id is not None:
            parent = parent.parent
    refuse_too_many_links(author=author, body=body)
    body_html, _mentioned = render_markdown(body)
    posting_checks(Comment, "comment", author=author, body=body)
    return Comment.objects.create(
        contribution=contribution,
        author=author,
        parent=parent,
        body=body,
        body_html=body_html,
        language=author.language,
        status=new_post_status(author, contribution.community),
    )


@transaction.atomic
def comment_update(*, by: User, comment: Comment, body: str) -> Comment:
    require_can_act(by)
    if comment.author_id != by.pk or comment.is_deleted:
        raise PermissionDenied(_("Je kunt alleen je eigen reacties bewerken."))
    if not body.strip():
        raise ValidationError({"body": _("Een reactie mag niet leeg zijn.")})
    refuse_too_many_links(author=by, body=body)
    before = comment.body
    comment.body = body
    comment.body_html, _mentioned = render_markdown(body)
    comment_revision_keep(comment=comment, before=before, by=by)
    comment.save(update_fields=["body", "body_html", "edited_at", "updated_at"])
    return comment


def comment_revision_keep(*, comment: Comment, before: str, by: User | None) -> bool:
    """As contribution_revision_keep, for a comment: keep the body it had and mark it edited,
    when the words changed. Caller in a transaction, saves `edited_at`."""
    if comment.pk is None or comment.body == before:
        return False
    comment.edited_at = timezone.now()
    CommentRevision.objects.create(comment=comment, body=before, edited_by=by)
    return True


@transaction.atomic
def post_revision_keep_after_admin_edit(
    *, post: Contribution | Comment, before: dict | str, by: User | None
) -> None:
    """The Wagtail admin saved a contribution (`before`: contribution_text_of) or a comment
    (`before`: its body) through its own form: keep the earlier text as the site's form does
    (knowledge.wagtail_hooks calls this right after the save)."""
    if isinstance(post, Contribution) and isinstance(before, dict):
        kept = contribution_revision_keep(contribution=post, before=before, by=by) is not None
    elif isinstance(post, Comment) and isinstance(before, str):
        kept = comment_revision_keep(comment=post, before=before, by=by)
    else:
        raise TypeError(f"no earlier text of {post!r} from {type(before).__name__}")
    if kept:
        post.save(update_fields=["edited_at"])


@transaction.atomic
def comment_delete(*, by: User, comment: Comment) -> Comment:
    """Soft delete: the thread keeps its shape, the words are gone."""
    if comment.author_id != by.pk:
        raise PermissionDenied(_("Je kunt alleen je eigen reacties verwijderen."))
    comment.deleted_at = timezone.now()
    comment.body = ""
    comment.body_html = ""
    # Its earlier versions go with the words: nothing of a deleted comment stays readable.
    comment.revisions.all().delete()
    comment.save(update_fields=["deleted_at", "body", "body_html", "updated_at"])
    attachments_delete_all(post=comment)  # the files go with the words
    answers_drop_unfit(contribution_id=comment.contribution_id)
    return comment


@transaction.atomic
def comment_set_status(*, by: User, comment: Comment, status: str) -> Comment:
    if not user_can_manage(by, comment.contribution.community):
        raise PermissionDenied
    if status not in Contribution.Status.values:
        raise ValidationError(_("Onbekende status."))
    _refuse_publishing_pending(comment, status)
    comment.status = status
    comment.save(update_fields=["status", "updated_at"])
    answers_drop_unfit(contribution_id=comment.contribution_id)
    return comment


def appreciation_toggle(
    *, user: User, contribution: Contribution | None = None, comment: Comment | None = None
) -> bool:
    """Appreciate, or withdraw an earlier appreciation. Returns whether it now stands.

    The partial unique constraints settle a double click: the second insert fails and is
    read as a withdrawal of the first only when the row is really there.
    """
    if (contribution is None) == (comment is None):
        raise ValueError("appreciate exactly one target")
    require_can_act(user)
    target = {"contribution": contribution} if contribution else {"comment": comment}
    with transaction.atomic():
        deleted, _count = Appreciation.objects.filter(user=user, **target).delete()
        if deleted:
            return False
        # Withdrawing is free; each new appreciation counts (RateLimited, a daily cap).
        throttle(user, "appreciation")
        try:
            with transaction.atomic():
                Appreciation.objects.create(user=user, **target)
        except IntegrityError:
            return True  # A concurrent click already stored it.
    return True


# --- Questions with answers (issue 14) ----------------------------------------------------------
# The author of a question, or a host or moderator of its community, marks one or more comments
# as the answer. `Contribution.answered_at` says whether a question is answered: set at the
# first mark, cleared when the last one goes. It is only ever written here, under the
# question's row lock, so it cannot disagree with the marks.
#
# Lock order, everywhere: the comment first (hiding and deleting write it before they get
# here), then the question. Two marks on one question wait for each other on the question.


def user_may_mark_answers(user, contribution: Contribution) -> bool:
    """The question's author, and those who moderate its community (hosts, moderators, the
    library's librarians)."""
    if not user.is_authenticated or contribution.kind != Contribution.Kind.QUESTION:
        return False
    return contribution.author_id == user.pk or user_can_manage(user, contribution.community)


def _lock_question(contribution_id: int) -> Contribution:
    return (
        Contribution.objects.select_for_update(of=("self",))
        .select_related("community")
        .get(pk=contribution_id)
    )


def _answered_at_sync(question: Contribution) -> None:
    """Make `answered_at` agree with the marks. Caller holds the question's row lock."""
    first_mark = (
        Comment.objects.filter(contribution=question, answer_marked_at__isnull=False)
        .order_by("answer_marked_at")
        .values_list("answer_marked_at", flat=True)
        .first()
    )
    # The earliest mark that stands: when the first answer is withdrawn and another stays,
    # the question counts as answered since that other one.
    if question.answered_at == first_mark:
        return
    question.answered_at = first_mark
    # save(), not update(): the page cache and the search index follow the signal.
    question.save(update_fields=["answered_at", "updated_at"])


def _locked_comment_and_question(comment: Comment) -> tuple[Comment, Contribution]:
    locked = Comment.objects.select_for_update().get(pk=comment.pk)
    return locked, _lock_question(locked.contribution_id)


@transaction.atomic
def answer_mark(*, by: User, comment: Comment) -> Comment:
    """Mark `comment` as (one of) the answer(s) to its question. Marking it again changes
    nothing (a double click, a second tab)."""
    require_can_act(by)
    comment, question = _locked_comment_and_question(comment)
    if question.kind != Contribution.Kind.QUESTION:
        raise ValidationError(_("Alleen bij een vraag kun je een reactie als antwoord markeren."))
    if not user_may_mark_answers(by, question):
        raise PermissionDenied(
            _("Alleen wie de vraag stelde en de beheerders kunnen een antwoord markeren.")
        )
    if question.status != Contribution.Status.PUBLISHED:
        raise ValidationError(
            _("Een antwoord markeren kan pas als de vraag weer voor iedereen zichtbaar is.")
        )
    if comment.is_deleted or comment.status != Contribution.Status.PUBLISHED:
        raise ValidationError(_("Deze reactie is verwijderd, verborgen of wacht op goedkeuring."))
    if comment.answer_marked_at is None:
        comment.answer_marked_at = timezone.now()
        comment.answer_marked_by = by
        # Not an edit of the words: `updated_at` and `edited_at` stay (and the notifications
        # app, which reads only those saves, stays quiet).
        comment.save(update_fields=["answer_marked_at", "answer_marked_by"])
        _answered_at_sync(question)
    return comment


@transaction.atomic
def answer_unmark(*, by: User, comment: Comment) -> Comment:
    """Withdraw the mark; the question is open again when it was its last answer."""
    require_can_act(by)
    comment, question = _locked_comment_and_question(comment)
    if not user_may_mark_answers(by, question):
        raise PermissionDenied(
            _("Alleen wie de vraag stelde en de beheerders kunnen een antwoord markeren.")
        )
    if comment.answer_marked_at is not None:
        _answer_mark_clear(comment)
        _answered_at_sync(question)
    return comment


def _answer_mark_clear(comment: Comment) -> None:
    comment.answer_marked_at = None
    comment.answer_marked_by = None
    comment.save(update_fields=["answer_marked_at", "answer_marked_by"])


@transaction.atomic
def answers_drop_unfit(*, contribution_id: int, removed: bool = False) -> None:
    """After a comment was hidden, deleted (or removed outright) by any door: an answer nobody
    can read any more is no answer. Its mark goes, and the question is open again when it was
    the last one. Restoring the comment does not bring the mark back: whoever marked it
    decides again. Safe to call for any contribution, and more than once.

    The caller has written the comment (hidden or deleted it) in this transaction, so it holds
    that comment's row lock: a mark being set on it waits, then reads it hidden and refuses.
    `removed`: a comment was deleted outright (the admin), so `answered_at` is checked even
    when no mark is left to withdraw.
    """
    unfit = Comment.objects.filter(
        contribution_id=contribution_id, answer_marked_at__isnull=False
    ).filter(Q(deleted_at__isnull=False) | ~Q(status=Contribution.Status.PUBLISHED))
    # The comments first, then the question: the lock order of answer_mark.
    comments = list(unfit.select_for_update().order_by("pk"))
    if not comments and not removed:
        return
    question = (
        Contribution.objects.select_for_update(of=("self",)).filter(pk=contribution_id).first()
    )
    if question is None:
        return  # the contribution itself is gone, with its comments
    for comment in comments:
        _answer_mark_clear(comment)
    _answered_at_sync(question)


# --- The Wagtail site ---------------------------------------------------------------------------


def site_sync_with_site_url() -> Site | None:
    """Give the default Wagtail site the host and port of `SITE_URL`.

    Wagtail builds absolute page links (`page.full_url`, as in its workflow mails) from the
    site's host and port, while our own mails use `SITE_URL`; the migration that creates the
    site cannot know the address. Runs after every `migrate` (the image and `make run` migrate
    on start), so `KENNISCLOUD_SITE_URL` is the one place the address is set. The default site
    answers every host name either way.
    """
    site = Site.objects.filter(is_default_site=True).first()
    parts = urlsplit(settings.SITE_URL)
    if site is None or not parts.hostname:
        return site
    port = parts.port or (443 if parts.scheme == "https" else 80)
    if (site.hostname, site.port) != (parts.hostname, port):
        site.hostname, site.port = parts.hostname, port
        site.save(update_fields=["hostname", "port"])
    return site
