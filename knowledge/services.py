"""Every write to contributions, comments and appreciations."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Site

from communities.models import Community, Theme, User
from communities.selectors import user_can_manage, user_is_active_member
from communities.suspension import require_can_act
from kenniscloud.common.ratelimit import throttle

from .markdown import render_markdown
from .models import Appreciation, Comment, Contribution
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
) -> Contribution:
    require_can_act(author)
    _require_member(author, community)
    if kind not in MEMBER_KINDS:
        raise ValidationError({"kind": _("Kies een soort bijdrage.")})
    refuse_too_many_links(author=author, body=body)
    body_html, _mentioned = render_markdown(body)
    contribution = Contribution(
        community=community,
        author=author,
        kind=kind,
        title=title.strip(),
        body=body,
        body_html=body_html,
        source_url=source_url,
        # Pre-moderation: maybe waiting for a host's approval (knowledge.premoderation).
        status=new_post_status(author, community),
    )
    contribution.full_clean()
    # Last: a duplicate or a rate limit refuses it here (knowledge.posting).
    posting_checks(Contribution, "contribution", author=author, body=body)
    contribution.save()
    contribution.tags.set(tags or [])
    contribution.themes.set(themes if themes is not None else community.themes.all())
    return contribution


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
) -> Contribution:
    require_can_act(by)
    if contribution.author_id != by.pk:
        raise PermissionDenied(_("Je kunt alleen je eigen bijdragen bewerken."))
    if kind not in MEMBER_KINDS and kind != contribution.kind:
        raise ValidationError({"kind": _("Kies een soort bijdrage.")})
    refuse_too_many_links(author=by, body=body)
    contribution.kind = kind
    contribution.title = title.strip()
    contribution.body = body
    contribution.body_html, _mentioned = render_markdown(body)
    contribution.source_url = source_url
    contribution.full_clean()
    contribution.save()
    contribution.tags.set(tags or [])
    if themes is not None:
        contribution.themes.set(themes)
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
    comment.body = body
    comment.body_html, _mentioned = render_markdown(body)
    comment.save(update_fields=["body", "body_html", "updated_at"])
    return comment


@transaction.atomic
def comment_delete(*, by: User, comment: Comment) -> Comment:
    """Soft delete: the thread keeps its shape, the words are gone."""
    if comment.author_id != by.pk:
        raise PermissionDenied(_("Je kunt alleen je eigen reacties verwijderen."))
    comment.deleted_at = timezone.now()
    comment.body = ""
    comment.body_html = ""
    comment.save(update_fields=["deleted_at", "body", "body_html", "updated_at"])
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
