"""Reads for the review queues and the moderation log: who may decide a case, the open cases
a moderator sees, and the log rows a librarian may read.

Who decides a case (`case_can_decide`): active hosts and moderators of its community, the
librarians of its library (the group and a place in `Library.librarians`), and superusers. A
case without a community (a member's profile, a meetup of a branch) is for librarians alone.
The queues list exactly the cases their viewer may decide (`case_scope_filter`), so a case in
the list is always one the buttons next to it may act on.

Reporters stay out of everything here: the queue shows how many reported and why (reasons
counted, notes), never who.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from communities.models import Library, User
from communities.selectors import (
    LIBRARIAN_GROUP,
    Viewer,
    community_ids_hosted_by,
    user_is_library_librarian,
    user_library_ids,
    user_manages_all_communities,
)
from kenniscloud.common.cache import generation_changed, generation_current
from knowledge.models import Comment, Contribution

from . import targets
from .models import Case, ModerationAction, Report


def _managed_community_ids(user: Viewer) -> QuerySet:
    # The hosts and moderators of a community moderate its subcommunities too (issue 14).
    return community_ids_hosted_by(user)


def case_scope_filter(user: Viewer) -> Q:
    """A filter on Case: the cases `user` may decide. Never empty for a non-superuser (so `|`
    cannot widen it to everything)."""
    if user_manages_all_communities(user):
        return Q()
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    scope = Q(community_id__in=_managed_community_ids(user))
    if library_ids := user_library_ids(user):
        scope |= Q(library_id__in=sorted(library_ids))
    return scope


def case_can_decide(user: Viewer, case: Case) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    if user_is_library_librarian(user, case.library_id):
        return True
    return (
        case.community_id is not None
        and _managed_community_ids(user).filter(pk=case.community_id).exists()
    )


def user_moderates_anything(user: Viewer) -> bool:
    """Whether the queue is for `user` at all: a host or moderator somewhere, a librarian with
    a library, or a superuser."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user_manages_all_communities(user) or user_library_ids(user):
        return True
    return _managed_community_ids(user).exists()


def case_open_count(user: Viewer) -> int:
    """The number on the queue's link: open cases `user` may decide. One query."""
    if not user_moderates_anything(user):
        return 0
    return Case.objects.filter(case_scope_filter(user), state=Case.State.OPEN).count()


@dataclass(frozen=True)
class QueueAction:
    """A button of a case: `value` is the decision posted, `subject` what a screen reader hears
    after the label, `tone` how the queue styles it (primary, secondary or danger)."""

    value: str
    label: str
    subject: str
    tone: str


@dataclass
class QueueItem:
    """One case as a queue shows it: the object in context, the reports counted by reason and
    their notes. Never who reported."""

    case: Case
    obj: object | None  # None: gone since (deleted by its author, or with its community)
    info: targets.TargetInfo | None
    reasons: list[tuple[str, int]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    last_reported_at: datetime | None = None

    @property
    def report_total(self) -> int:
        """Reports of the current round (since the last decision)."""
        return sum(n for _label, n in self.reasons)

    @property
    def kind(self) -> str:
        return self.info.kind if self.info else ""

    @property
    def is_hidden(self) -> bool:
        return bool(self.info and self.info.is_hidden)

    @property
    def can_delete(self) -> bool:
        return self.obj is not None and targets.target_can_delete(self.obj)

    @property
    def actions(self) -> list[QueueAction]:
        """What a moderator may decide on this case, in the order both queues offer it (the
        site's and the Wagtail admin's): one rule, two looks."""
        title = self.info.title if self.info else ""
        actions = []
        if self.info and self.is_hidden:
            actions.append(QueueAction("restore", str(_("Terugzetten")), title, "primary"))
        if self.info and (not self.is_hidden or self.case.auto_hidden):
            label = _("Verborgen houden") if self.is_hidden else _("Verbergen")
            actions.append(QueueAction("hide", str(label), title, "secondary"))
        actions.append(QueueAction("dismiss", str(_("Geen actie nodig")), title, "secondary"))
        if self.case.author:
            actions.append(
                QueueAction(
                    "warn",
                    str(_("Auteur waarschuwen")),
                    self.case.author.display_name,
                    "secondary",
                )
            )
        if self.can_delete or not self.info:
            actions.append(QueueAction("delete", str(_("Verwijderen")), title, "danger"))
        return actions


def case_list_for(user: Viewer, *, state: str = Case.State.OPEN) -> QuerySet[Case]:
    """The cases `user` may decide, in `state`: most reported first, then oldest first (what
    waits longest). Community and library come along for the labels."""
    return (
        Case.objects.filter(case_scope_filter(user), state=state)
        .select_related("community", "library", "author", "content_type")
        .order_by("-report_count", "opened_at", "pk")
    )


def case_get_for(user: Viewer, pk: int) -> Case:
    """A case `user` may decide; 404 for any other, so nobody learns what is reported
    elsewhere."""
    case = (
        Case.objects.filter(case_scope_filter(user), pk=pk)
        .select_related("community", "library", "author", "content_type")
        .first()
    )
    if case is None:
        raise Http404
    return case


def queue_items(cases: list[Case]) -> list[QueueItem]:
    """The objects, reasons and notes of one page of cases: a constant number of queries
    (the reports, then one per kind of object) however many cases there are.

    Only the reports of the current round count: those since the case's last decision."""
    objects = targets.target_load_many((c.content_type_id, c.object_id) for c in cases)
    reports = (
        Report.objects.filter(case__in=[c.pk for c in cases])
        .order_by("case_id", "created_at", "pk")
        .values("case_id", "reason", "note", "created_at")
    )
    by_case: dict[int, list[Any]] = {}
    decided = {c.pk: c.decided_at for c in cases}
    for row in reports:
        since = decided[row["case_id"]]
        if since is not None and row["created_at"] <= since:
            continue
        by_case.setdefault(row["case_id"], []).append(row)
    labels = dict(Report.Reason.choices)
    items = []
    for case in cases:
        obj = objects.get((case.content_type_id, case.object_id))
        rows = by_case.get(case.pk, [])
        counts = Counter(row["reason"] for row in rows)
        items.append(
            QueueItem(
                case=case,
                obj=obj,
                info=targets.target_info(obj) if obj is not None else None,
                reasons=[
                    (str(labels.get(reason, reason)), n) for reason, n in counts.most_common()
                ],
                notes=[row["note"] for row in rows if row["note"]],
                last_reported_at=rows[-1]["created_at"] if rows else None,
            )
        )
    return items


@dataclass(frozen=True)
class HiddenNote:
    """Why an object is hidden, as its author may read it: never who reported it."""

    by_moderator: bool  # a moderator decided to hide it; `reason` is theirs
    reason: str
    pending_review: bool  # the rules hid it after reports; a moderator will look


NO_NOTE = HiddenNote(by_moderator=False, reason="", pending_review=False)


def _note(case: Case | None) -> HiddenNote:
    if case is None:
        return NO_NOTE
    if case.decision == Case.Decision.HIDDEN:
        return HiddenNote(by_moderator=True, reason=case.reason, pending_review=False)
    return HiddenNote(by_moderator=False, reason="", pending_review=case.auto_hidden)


def case_hidden_note_for(obj) -> HiddenNote:
    """For the page of a hidden object, shown to its author. Neither flag set when no case
    explains it (a host hid it with the buttons on the page). One query."""
    case = (
        Case.objects.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)
        .only("decision", "reason", "auto_hidden")
        .first()
    )
    return _note(case)


def case_hidden_notes_for_comments(contribution_id: int) -> dict[int, HiddenNote]:
    """The notes of every hidden comment on one contribution, by comment id: one query for a
    whole thread, however many are hidden."""
    hidden = Comment.objects.filter(
        contribution_id=contribution_id, status=Contribution.Status.HIDDEN
    ).values("pk")
    cases = Case.objects.filter(
        content_type=ContentType.objects.get_for_model(Comment), object_id__in=hidden
    ).only("object_id", "decision", "reason", "auto_hidden")
    return {case.object_id: _note(case) for case in cases}


# --- The moderation log ------------------------------------------------------------------------


def log_scope_filter(user: Viewer) -> Q:
    """A filter on ModerationAction: the rows of the librarian's libraries, all for a
    superuser, none for anyone else (hosts read what they did in the queue, not the log)."""
    if user_manages_all_communities(user):
        return Q()
    return Q(library_id__in=sorted(user_library_ids(user)))


def log_list_for(
    user: Viewer,
    *,
    action: str = "",
    library_id: int | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> QuerySet[ModerationAction]:
    """The log rows `user` may read, newest first, filtered. Reporters are never on a row:
    `member` is whom the action was about, `actor` the moderator (None: the rules)."""
    qs = ModerationAction.objects.filter(log_scope_filter(user))
    if action:
        qs = qs.filter(action=action)
    if library_id is not None:
        qs = qs.filter(library_id=library_id)
    if since is not None:
        qs = qs.filter(created_at__gte=since)
    if until is not None:
        qs = qs.filter(created_at__lt=until)
    return qs.select_related("actor", "member", "community", "library", "content_type").order_by(
        "-created_at", "-pk"
    )


def queue_link_for(user: Viewer) -> tuple[bool, int]:
    """For the header on every page: whether `user` moderates anything (a host or moderator
    somewhere, a librarian with a library, a superuser), and how many cases wait for them.
    One query, whoever asks; nothing for anonymous visitors, whose pages are cached whole."""
    if not user.is_authenticated or not user.is_active:
        return False, 0
    open_cases = Case.objects.filter(state=Case.State.OPEN)
    if user_manages_all_communities(user):
        return True, open_cases.count()
    managed = community_ids_hosted_by(user)
    # The two halves of a librarian (the group, a library), as `user_library_ids`, in SQL.
    is_librarian = Exists(Group.objects.filter(name=LIBRARIAN_GROUP, user=user.pk))
    libraries = Library.librarians.through.objects.filter(user_id=user.pk).values("library_id")
    scope = Q(community_id__in=managed) | Q(is_librarian, library_id__in=libraries)
    count = (
        open_cases.filter(scope)
        .order_by()
        .annotate(one=Value(1))
        .values("one")
        .annotate(n=Count("pk"))
        .values("n")
    )
    row = (
        User.objects.filter(pk=user.pk)
        .annotate(
            manages=ExpressionWrapper(
                Exists(managed) | (is_librarian & Exists(libraries)), output_field=BooleanField()
            ),
            open=Coalesce(Subquery(count), 0),
        )
        .values("manages", "open")
        .first()
    )
    if row is None:
        return False, 0
    return bool(row["manages"]), int(row["open"])


# --- The header's link, kept per member ----------------------------------------------------------
#
# `queue_link_for` is one small query, but Django takes ~4 ms of CPU to build it, on every page a
# member reads (`bench/profile.py`). Its answer changes only when a case opens or closes, a
# membership (a host's role) or a community's parent changes, or someone becomes a librarian; each
# of those bumps the generation (moderation/receivers.py), and a kept answer counts only
# under the generation it was computed in. Redis away: computed every time, as before.

QUEUE_LINK_KEY_PREFIX = "moderation:queue-link:"
QUEUE_LINK_SECONDS = 600


def _generation_key() -> str:
    return QUEUE_LINK_KEY_PREFIX + "generation"


def queue_link_changed() -> None:
    """Something a member's queue link depends on has changed: no kept answer counts any more
    (now and on commit, as the page cache's generation)."""
    generation_changed(_generation_key())


def queue_link_kept(user: Viewer) -> tuple[bool, int]:
    """`queue_link_for`, kept per member until anything it depends on changes."""
    if not user.is_authenticated or not user.is_active:
        return False, 0
    key = f"{QUEUE_LINK_KEY_PREFIX}{user.pk}"
    try:
        found = cache.get_many([_generation_key(), key])
    except Exception:
        return queue_link_for(user)
    generation = found.get(_generation_key())
    kept = found.get(key)
    if generation is not None and kept is not None and kept[0] == generation:
        return kept[1], kept[2]
    if generation is None:
        generation = generation_current(_generation_key())  # started; None: Redis is away
    show, count = queue_link_for(user)
    if generation is not None:
        cache.set(key, (generation, show, count), timeout=QUEUE_LINK_SECONDS)
    return show, count
