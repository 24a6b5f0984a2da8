"""What can be reported, and how moderation reads and changes it: one adapter per kind.

Reportable are contributions, comments, meetups and member profiles. Everything else in this
app (reports, the queues, the decisions, the log) knows a reported object only through the
functions here, so a fifth kind is one more adapter.

Kinds are named by Dutch slugs, as in the site's URLs:

    "bijdrage"     knowledge.Contribution
    "reactie"      knowledge.Comment
    "bijeenkomst"  meetups.Meetup
    "lid"          communities.User (the member's public profile)

`target_get(kind, pk)` turns a slug and an id from a URL into the object (404 when the kind is
unknown or the row is gone); whether the viewer may *see* it is the caller's question.

Hiding and restoring write the same field, the same way (`save(update_fields=...)`), as the
services of the owning apps (`knowledge.services.contribution_set_status`, `comment_set_status`),
so that every door sees the same: the search index follows through `search.receivers`, the
anonymous page cache through `kenniscloud.common.receivers`, and every list, feed and digest
reads the status. They leave out those services' permission check on purpose: who may hide is
moderation's rule (hosts, moderators, librarians, or the rules themselves at auto-hide, when
there is no person at all), checked in `moderation.services` before these are called.

Callers hold the case's row lock; these functions take no locks of their own.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model
from django.http import Http404
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator

from communities.models import Community, Membership, User
from knowledge.models import Comment, Contribution
from knowledge.services import answers_drop_unfit
from meetups.models import Meetup

CONTRIBUTION = "bijdrage"
COMMENT = "reactie"
MEETUP = "bijeenkomst"
MEMBER = "lid"

EXCERPT_WORDS = 40


@dataclass(frozen=True)
class TargetInfo:
    """What a queue, a mail or the log shows of a reported object."""

    kind: str
    title: str
    excerpt: str
    url: str
    # Where it stands: for a comment its contribution, else the object itself.
    context_title: str
    context_url: str
    community: Community | None
    library_id: int | None
    author: User | None
    is_hidden: bool
    can_delete: bool


def _excerpt(html_or_text: str) -> str:
    return Truncator(strip_tags(html_or_text).strip()).words(EXCERPT_WORDS, truncate=" …")


class _Adapter:
    kind: str
    model: type[Model]
    # What `info` reads across relations, for loading many at once (the queues).
    select_related: tuple[str, ...] = ()
    can_delete = True

    def community(self, obj) -> Community | None:
        raise NotImplementedError

    def library_id(self, obj) -> int | None:
        community = self.community(obj)
        return community.library_id if community is not None else None

    def author(self, obj) -> User | None:
        return getattr(obj, "author", None)

    def info(self, obj) -> TargetInfo:
        raise NotImplementedError

    def is_hidden(self, obj) -> bool:
        raise NotImplementedError

    def hide(self, obj) -> str:
        raise NotImplementedError

    def restore(self, obj, status_before: str) -> None:
        raise NotImplementedError

    def delete(self, obj) -> None:
        raise NotImplementedError


class _StatusAdapter(_Adapter):
    """Hiding by the object's own `status` field (contributions, comments, meetups): saved with
    save(), so search, notifications and the page cache follow through their receivers."""

    hidden_status = "hidden"
    published_status = "published"

    def is_hidden(self, obj):
        return obj.status == self.hidden_status

    def hide(self, obj):
        before = obj.status
        if before != self.hidden_status:
            obj.status = self.hidden_status
            obj.save(update_fields=["status", "updated_at"])
        return before

    def restore(self, obj, status_before):
        # Back to what it was (pending stays pending, cancelled stays cancelled); never to
        # hidden, which is what we undo.
        status = status_before or self.published_status
        if status == self.hidden_status:
            status = self.published_status
        if obj.status != status:
            obj.status = status
            obj.save(update_fields=["status", "updated_at"])


class _ContributionAdapter(_StatusAdapter):
    kind = CONTRIBUTION
    model = Contribution
    hidden_status = Contribution.Status.HIDDEN
    published_status = Contribution.Status.PUBLISHED
    select_related = ("author", "community")

    def community(self, obj):
        return obj.community

    def info(self, obj):
        url = obj.get_absolute_url()
        return TargetInfo(
            kind=self.kind,
            title=obj.title,
            excerpt=_excerpt(obj.body_html or obj.body),
            url=url,
            context_title=obj.title,
            context_url=url,
            community=obj.community,
            library_id=obj.community.library_id,
            author=obj.author,
            is_hidden=self.is_hidden(obj),
            can_delete=True,
        )

    def delete(self, obj):
        # The row goes, with its comments; post_delete clears search and the page cache. The
        # case and the log keep the title (`object_repr`).
        obj.delete()


class _CommentAdapter(_ContributionAdapter):
    kind = COMMENT
    model = Comment
    select_related = ("author", "contribution", "contribution__community")

    def community(self, obj):
        return obj.contribution.community

    def info(self, obj):
        contribution = obj.contribution
        url = f"{contribution.get_absolute_url()}#reactie-{obj.pk}"
        return TargetInfo(
            kind=self.kind,
            title=Truncator(strip_tags(obj.body_html or obj.body)).words(8, truncate=" …"),
            excerpt=_excerpt(obj.body_html or obj.body),
            url=url,
            context_title=contribution.title,
            context_url=contribution.get_absolute_url(),
            community=contribution.community,
            library_id=contribution.community.library_id,
            author=obj.author,
            is_hidden=self.is_hidden(obj),
            can_delete=not obj.is_deleted,
        )

    def hide(self, obj):
        before = super().hide(obj)
        # A hidden answer is no answer: its question may be open again (issue 14).
        answers_drop_unfit(contribution_id=obj.contribution_id)
        return before

    def delete(self, obj):
        # As comment_delete: a soft delete keeps the thread's shape, the words are gone. Made
        # visible again as "Deze reactie is verwijderd.", so replies keep their place.
        obj.deleted_at = timezone.now()
        obj.body = ""
        obj.body_html = ""
        obj.status = Contribution.Status.PUBLISHED
        obj.save(update_fields=["deleted_at", "body", "body_html", "status", "updated_at"])
        answers_drop_unfit(contribution_id=obj.contribution_id)


class _MeetupAdapter(_StatusAdapter):
    # Only published and cancelled meetups are shown anywhere (meetups.selectors), so hidden
    # drops out of the agenda, calendars, search and feeds.
    kind = MEETUP
    model = Meetup
    hidden_status = Meetup.Status.HIDDEN
    published_status = Meetup.Status.PUBLISHED
    select_related = ("community", "branch", "proposed_by")

    def community(self, obj):
        return obj.community

    def library_id(self, obj):
        # As meetups.selectors.meetup_library_id: the community's library, else the branch's.
        if obj.community is not None:
            return obj.community.library_id
        return obj.branch.library_id if obj.branch is not None else None

    def author(self, obj):
        # A member's proposal has an author; a meetup made by the library's staff has none.
        return obj.proposed_by

    def info(self, obj):
        url = obj.get_absolute_url()
        return TargetInfo(
            kind=self.kind,
            title=obj.title,
            excerpt=_excerpt(obj.description),
            url=url,
            context_title=obj.title,
            context_url=url,
            community=obj.community,
            library_id=self.library_id(obj),
            author=obj.proposed_by,
            is_hidden=self.is_hidden(obj),
            can_delete=True,
        )

    def delete(self, obj):
        obj.delete()


class _MemberAdapter(_Adapter):
    kind = MEMBER
    model = User
    select_related = ()
    # An account is not moderation's to delete: hide the profile, or suspend the account.
    can_delete = False

    def community(self, obj):
        return None

    def library_id(self, obj):
        """A profile belongs to no community; its case goes to the librarians of the library
        of the member's oldest active membership (None: superusers only)."""
        return (
            Membership.objects.filter(user=obj, state=Membership.State.ACTIVE)
            .order_by("created_at", "pk")
            .values_list("community__library_id", flat=True)
            .first()
        )

    def author(self, obj):
        return obj

    def info(self, obj):
        url = obj.get_absolute_url()
        return TargetInfo(
            kind=self.kind,
            title=obj.display_name,
            excerpt=_excerpt(obj.bio),
            url=url,
            context_title=obj.display_name,
            context_url=url,
            community=None,
            library_id=None,  # not needed to show; the case carries it
            author=obj,
            is_hidden=obj.profile_hidden,
            can_delete=False,
        )

    def is_hidden(self, obj):
        return obj.profile_hidden

    def hide(self, obj):
        before = "hidden" if obj.profile_hidden else "visible"
        if not obj.profile_hidden:
            obj.profile_hidden = True
            obj.save(update_fields=["profile_hidden"])
        return before

    def restore(self, obj, status_before):
        if obj.profile_hidden:
            obj.profile_hidden = False
            obj.save(update_fields=["profile_hidden"])

    def delete(self, obj):
        raise ValueError("a member's account is not deleted by moderation")


_ADAPTERS: dict[str, _Adapter] = {
    a.kind: a
    for a in (_ContributionAdapter(), _CommentAdapter(), _MeetupAdapter(), _MemberAdapter())
}
_BY_MODEL: dict[type[Model], _Adapter] = {a.model: a for a in _ADAPTERS.values()}

KINDS = tuple(_ADAPTERS)


def _adapter(obj) -> _Adapter:
    try:
        return _BY_MODEL[type(obj)]
    except KeyError:
        raise TypeError(f"not reportable: {type(obj).__name__}") from None


def is_reportable(obj) -> bool:
    return type(obj) in _BY_MODEL


def target_kind(obj) -> str:
    """The slug of `obj`'s kind: "bijdrage", "reactie", "bijeenkomst" or "lid"."""
    return _adapter(obj).kind


def target_get(kind: str, pk) -> Model:
    """The object of `kind` (a slug of KINDS) with id `pk`; 404 when either is unknown.

    Only that it exists: whether the viewer may see it is the caller's check."""
    adapter = _ADAPTERS.get(kind)
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    if adapter is None:
        raise Http404
    obj = adapter.model._default_manager.select_related(*adapter.select_related).filter(pk=pk)
    found = obj.first()
    if found is None:
        raise Http404
    return found


def target_community(obj) -> Community | None:
    """The community `obj` belongs to (None for a member profile or a meetup without one)."""
    return _adapter(obj).community(obj)


def target_library_id(obj) -> int | None:
    """The library whose librarians moderate `obj`."""
    return _adapter(obj).library_id(obj)


def target_author(obj) -> User | None:
    """Whose it is: the author, a meetup's proposer, the member themself. None when gone."""
    return _adapter(obj).author(obj)


def target_info(obj) -> TargetInfo:
    """Title, excerpt, links and owners of `obj`, read from what is loaded (see
    `target_load_many` for a whole queue at once)."""
    return _adapter(obj).info(obj)


def target_is_hidden(obj) -> bool:
    return _adapter(obj).is_hidden(obj)


def target_can_delete(obj) -> bool:
    return _adapter(obj).can_delete and not getattr(obj, "is_deleted", False)


def target_hide(obj) -> str:
    """Hide `obj` from everyone but its moderators; returns the status it had before, to be
    kept on the case (`Case.status_before`) for `target_restore`. Hiding twice is harmless."""
    return _adapter(obj).hide(obj)


def target_restore(obj, status_before: str) -> None:
    """Undo `target_hide`: back to `status_before` (published when unknown)."""
    _adapter(obj).restore(obj, status_before)


def target_delete(obj) -> None:
    """Remove `obj` for good (a comment: soft delete). ValueError for a member profile."""
    _adapter(obj).delete(obj)


def target_load_many(pairs: Iterable[tuple[int, int]]) -> dict[tuple[int, int], Model]:
    """Objects by (content type id, object id), one query per kind, with what `target_info`
    reads. Pairs whose object is gone are missing from the answer."""
    wanted: dict[int, set[int]] = defaultdict(set)
    for ct_id, obj_id in pairs:
        wanted[ct_id].add(obj_id)
    found: dict[tuple[int, int], Model] = {}
    for ct_id, ids in wanted.items():
        model = ContentType.objects.get_for_id(ct_id).model_class()
        adapter = _BY_MODEL.get(model) if model is not None else None
        if adapter is None:
            continue
        qs = adapter.model._default_manager.select_related(*adapter.select_related)
        for obj in qs.filter(pk__in=ids):
            found[(ct_id, obj.pk)] = obj
    return found


def content_type_for_kind(kind: str) -> ContentType:
    adapter = _ADAPTERS.get(kind)
    if adapter is None:
        raise Http404
    return ContentType.objects.get_for_model(adapter.model)
