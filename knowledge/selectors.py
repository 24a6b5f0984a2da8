"""Reads of contributions, comments, dossiers and articles, scoped to what the viewer may see."""

from __future__ import annotations

import unicodedata
from collections.abc import Collection
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import (
    Case,
    Count,
    Exists,
    Expression,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.lookups import GreaterThanOrEqual
from django.http import Http404
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.text import slugify
from taggit.models import Tag, TaggedItem

from communities.models import Community, Membership, Theme, User
from communities.selectors import (
    Viewer,
    community_list_visible_to,
    community_visibility_filter,
    member_list_findable,
    member_question_places,
    theme_list,
    user_can_manage,
)

from .markdown import render_markdown
from .models import (
    Appreciation,
    ArticlePage,
    Comment,
    CommentRevision,
    Contribution,
    ContributionRevision,
    DossierContribution,
    ThemeDossier,
)
from .parts import parts_render


def _visible_communities(user: Viewer) -> QuerySet:
    return Community.objects.filter(community_visibility_filter(user)).values("pk")


class _Count(Subquery):
    """The number of rows of a queryset correlated with the outer row (`OuterRef`).

    Counted only for the rows the outer query returns, after its LIMIT. A `Count()` over joins
    aggregates every row of the outer table before sorting and limiting (and, with two joins,
    their product), which grows with the whole site rather than with the page.
    """

    template = "(SELECT COUNT(*) FROM (%(subquery)s) _counted)"
    output_field = IntegerField()

    def __init__(self, queryset: QuerySet, **extra):
        super().__init__(queryset.order_by(), **extra)  # a model's default ordering is no use


def _comment_count() -> _Count:
    return _Count(
        Comment.objects.filter(
            contribution=OuterRef("pk"),
            deleted_at__isnull=True,
            status=Contribution.Status.PUBLISHED,
        ).values("pk")
    )


def _appreciation_count() -> _Count:
    return _Count(Appreciation.objects.filter(contribution=OuterRef("pk")).values("pk"))


def contribution_list_visible_to(
    user: Viewer,
    *,
    community: Community | None = None,
    theme: Theme | None = None,
    author=None,
    include_hidden: bool = False,
    pending_of: User | None = None,
    featured_first: bool = False,
) -> QuerySet[Contribution]:
    """Published contributions in communities the viewer may see, newest first.

    `include_hidden` (for those who moderate) adds the hidden and waiting ones; `pending_of`
    adds that member's own contributions that wait for approval (only ever the viewer);
    `featured_first` puts the ones the library marked "uitgelicht" on top.

    The cost is constant whatever the length: authors, communities and tags come in with a
    fixed number of queries, and counts are annotations.
    """
    qs = Contribution.objects.filter(community__in=_visible_communities(user))
    if not include_hidden:
        shown = Q(status=Contribution.Status.PUBLISHED)
        if pending_of is not None:
            shown |= Q(status=Contribution.Status.PENDING, author=pending_of)
        qs = qs.filter(shown)
    if community is not None:
        qs = qs.filter(community=community)
    if theme is not None:
        qs = qs.filter(themes=theme)
    if author is not None:
        qs = qs.filter(author=author)
    return (
        qs.select_related("author", "community")
        # Into a plain list (`tag_list`, what the cards read): through `contribution.tags.all`
        # taggit builds a filtered queryset per contribution, about 0.15 ms CPU each.
        .prefetch_related(Prefetch("tags", to_attr="tag_list"))
        .annotate(comment_count=_comment_count(), appreciation_count=_appreciation_count())
        .order_by(*(["-featured"] if featured_first else []), "-created_at")
    )


def contribution_get_visible(user: Viewer, pk: int) -> Contribution:
    """A contribution the viewer may see; hidden ones only for those who moderate them and
    for their author."""
    contribution = (
        Contribution.objects.filter(pk=pk, community__in=_visible_communities(user))
        .select_related("author", "community", "community__library")
        .prefetch_related("tags", "themes")  # type: ignore[misc]  # a taggit manager
        .annotate(appreciation_count=_appreciation_count())
        .first()
    )
    if contribution is None:
        raise Http404
    # Hidden by moderation: its moderators, and its author, who reads why.
    if contribution.is_hidden and not (
        (user.is_authenticated and contribution.author_id == user.pk)
        or user_can_manage(user, contribution.community)
    ):
        raise Http404
    # Waiting for approval: its author and those who approve it, nobody else.
    if contribution.is_pending and not (
        (user.is_authenticated and contribution.author_id == user.pk)
        or user_can_manage(user, contribution.community)
    ):
        raise Http404
    return contribution


# --- Related contributions ("Ook interessant") -------------------------------------------------
# Scored in SQL: a shared tag weighs more than a shared theme, since tags are chosen per
# contribution and themes are few and broad (a contribution without themes gets its
# community's). Title similarity only settles near ties: it is below 1, one theme's weight.
RELATED_TAG_WEIGHT = 3
RELATED_THEME_WEIGHT = 1
# Only the newest candidates per shared tags and per shared themes are scored, so a very
# common theme costs the same as a rare one.
RELATED_CANDIDATES = 100
RELATED_TITLE_SIMILAR = 0.3  # pg_trgm.similarity_threshold's default


@cache
def _has_trigram_extension(alias: str, database: str) -> bool:
    """Whether pg_trgm is installed in this database; asked once per process and database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        return cursor.fetchone() is not None


def _title_similarity(title: str) -> Expression:
    """The text seam of the related score: trigram similarity of the titles (0..1) on
    PostgreSQL with pg_trgm, 0 elsewhere. Full-text similarity would go here.

    Below pg_trgm's own threshold for "similar" it counts as 0: such noise would otherwise
    decide ties that should go to the newest.
    """
    none = Value(0.0, output_field=FloatField())
    if connection.vendor != "postgresql" or not _has_trigram_extension(
        connection.alias, connection.settings_dict["NAME"]
    ):
        return none
    from django.contrib.postgres.search import TrigramSimilarity  # needs psycopg

    similarity = TrigramSimilarity("title", title)
    return Case(
        When(GreaterThanOrEqual(similarity, RELATED_TITLE_SIMILAR), then=similarity),
        default=none,
        output_field=FloatField(),
    )


def contribution_list_related(
    user: Viewer, contribution: Contribution, *, limit: int = 5
) -> list[Contribution]:
    """Up to `limit` published contributions the viewer may see that share tags or themes
    with `contribution` (never itself), best first, ties newest first.

    Two queries whatever the number of candidates (the contributions, their tags). Reads the
    contribution's tags and themes from its prefetch (`contribution_get_visible`).
    """
    tag_ids = [tag.pk for tag in contribution.tags.all()]
    theme_ids = [theme.pk for theme in contribution.themes.all()]
    if not tag_ids and not theme_ids:
        return []
    # (link rows, their contribution column, weight) for each kind of sharing
    shares: list[tuple[QuerySet, str, int]] = []
    if tag_ids:
        content_type = ContentType.objects.get_for_model(Contribution)  # cached after once
        tagged = TaggedItem.objects.filter(content_type=content_type, tag_id__in=tag_ids)
        shares.append((tagged, "object_id", RELATED_TAG_WEIGHT))
    if theme_ids:
        themed = Contribution.themes.through.objects.filter(theme_id__in=theme_ids)
        shares.append((themed, "contribution_id", RELATED_THEME_WEIGHT))
    parts = []
    score: Any = _title_similarity(contribution.title)
    for links, column, weight in shares:
        # The newest link rows, by contribution id (ids grow with creation): read from the
        # link table's own indexes, whether the tag or theme is rare or on every contribution.
        # Visibility is checked on these candidates by the outer query.
        newest = links.exclude(**{column: contribution.pk}).order_by(f"-{column}")
        parts.append(newest.values(column)[:RELATED_CANDIDATES])
        score = score + _Count(links.filter(**{column: OuterRef("pk")}).values("pk")) * weight
    if len(parts) > 1 and connection.features.supports_slicing_ordering_in_compound:
        # One IN over a UNION: PostgreSQL joins the few candidates by primary key. An OR of
        # two INs makes it test every contribution against both lists.
        candidates = Q(pk__in=parts[0].union(parts[1]))
    else:  # SQLite cannot LIMIT inside a UNION
        candidates = Q()
        for part in parts:
            candidates |= Q(pk__in=part)
    related = (
        contribution_list_visible_to(user)
        .filter(candidates)
        .annotate(related_score=score)
        .order_by("-related_score", "-created_at", "-pk")
    )
    return list(related[:limit])


def comment_threads_for(contribution: Contribution, user: Viewer, *, can_manage: bool) -> list:
    """Top-level comments with their replies, each with its appreciation count and whether
    the viewer appreciated it: three queries, however long the thread."""
    # The comments' attachments (photos, PDFs) in one more query, for their galleries.
    qs = (
        Comment.objects.filter(contribution=contribution)
        .select_related("author")
        .prefetch_related("attachments")
    )
    if not can_manage:
        # A comment hidden by moderation or waiting for approval shows to its author only (and
        # to those who moderate): the author reads why it is hidden.
        own = Q(author=user) if user.is_authenticated else Q(pk__in=[])
        qs = qs.exclude(
            Q(status__in=[Contribution.Status.HIDDEN, Contribution.Status.PENDING]) & ~own
        )
    qs = qs.annotate(appreciation_count=Count("appreciations"))
    if user.is_authenticated:
        qs = qs.annotate(
            appreciated=Exists(Appreciation.objects.filter(comment=OuterRef("pk"), user=user))
        )
    comments = list(qs.order_by("created_at"))
    by_parent: dict[int, list[Comment]] = {}
    for comment in comments:
        if comment.parent_id:
            by_parent.setdefault(comment.parent_id, []).append(comment)
    threads = [c for c in comments if c.parent_id is None]
    for comment in threads:
        comment.reply_list = by_parent.get(comment.pk, [])  # type: ignore[attr-defined]
    return threads


def answers_first(threads: list[Comment]) -> tuple[list[Comment], list[Comment]]:
    """The comments marked as the answer (to show on top, oldest mark first) and the other
    threads, from `comment_threads_for`'s threads; no queries.

    A marked top-level comment moves up with its replies. A marked reply moves up on its own;
    its thread keeps it as `answer_elsewhere` (a pointer, so the thread still reads in order).
    Marks on comments the viewer may not read are no answers to them (the services withdraw
    such marks; this is the second line).
    """

    def shown_answer(comment: Comment) -> bool:
        return (
            comment.answer_marked_at is not None
            and not comment.is_deleted
            and comment.status == Contribution.Status.PUBLISHED
        )

    answers: list[Comment] = []
    others: list[Comment] = []
    for thread in threads:
        moves_up = shown_answer(thread)
        (answers if moves_up else others).append(thread)
        for reply in thread.reply_list:  # type: ignore[attr-defined]
            reply.answer_elsewhere = not moves_up and shown_answer(reply)
            if reply.answer_elsewhere:
                answers.append(reply)
    # (Every answer here has its mark; `or` only tells the type checker.)
    answers.sort(key=lambda comment: comment.answer_marked_at or comment.created_at)
    return answers, others


def question_list_open(
    user: Viewer, *, community: Community | None = None, theme: Theme | None = None
) -> QuerySet[Contribution]:
    """Open questions: published questions without a marked answer, in communities the viewer
    may see (private ones for their members only), the one waiting longest first.

    The partial index `contribution_open_questions` covers a community's list. A fixed number
    of queries for a page, as every contribution list.
    """
    return (
        contribution_list_visible_to(user, community=community, theme=theme)
        .filter(kind=Contribution.Kind.QUESTION, answered_at__isnull=True)
        .order_by("created_at", "pk")
    )


def comment_get(contribution: Contribution, pk: int) -> Comment:
    comment = Comment.objects.filter(contribution=contribution, pk=pk).first()
    if comment is None:
        raise Http404
    return comment


def user_appreciated(user: Viewer, contribution: Contribution) -> bool:
    if not user.is_authenticated:
        return False
    return Appreciation.objects.filter(user=user, contribution=contribution).exists()


def theme_list_with_counts(user: Viewer) -> QuerySet[Theme]:
    """Themes with the number of communities and contributions the viewer can see."""
    visible = _visible_communities(user)
    return theme_list().annotate(
        community_count=_Count(
            Community.themes.through.objects.filter(
                theme=OuterRef("pk"), community__in=visible
            ).values("pk")
        ),
        contribution_count=_Count(
            Contribution.themes.through.objects.filter(
                theme=OuterRef("pk"),
                contribution__community__in=visible,
                contribution__status=Contribution.Status.PUBLISHED,
            ).values("pk")
        ),
    )


def home_lists(user: Viewer, *, limit: int = 6) -> dict:
    """The live lists on the home page.

    Themes and communities are read only when the template shows them: a home page with
    blocks shows the blocks' lists instead (building the queries alone costs ~1 ms CPU).
    """
    # Lazy too: for members both lists are a shared fragment (home_page.html), kept for all who
    # may see the same communities, and then not read at all.
    lists = SimpleLazyObject(lambda: contribution_lists_for_home(user, limit=limit))
    return {
        "themes": SimpleLazyObject(lambda: list(theme_list_with_counts(user))),
        "communities": SimpleLazyObject(lambda: list(community_list_visible_to(user)[:limit])),
        "featured_contributions": SimpleLazyObject(lambda: lists[0]),
        "latest_contributions": SimpleLazyObject(lambda: lists[1]),
    }


HOME_FEATURED_LIMIT = 3


def contribution_lists_for_home(
    user: Viewer, *, limit: int = 6, featured_limit: int = HOME_FEATURED_LIMIT
) -> tuple[list[Contribution], list[Contribution]]:
    """The home's "Uitgelicht" (the newest featured contributions the viewer may see) and
    "Nieuwste bijdragen" (the newest others), in the one query the home had for the latter.

    Both come out of one ordered list: the featured ones picked are the newest featured, so
    any other featured row in it is older than them and belongs with the newest others.
    """
    visible = contribution_list_visible_to(user)
    featured_ids = visible.filter(featured=True).values("pk")[:featured_limit]
    newest_ids = visible.exclude(pk__in=featured_ids).values("pk")[:limit]
    rows = list(visible.filter(Q(pk__in=featured_ids) | Q(pk__in=newest_ids)))
    featured = [row for row in rows if row.featured][:featured_limit]
    return featured, [row for row in rows if row not in featured]


# --- A member's own home ("Voor jou") ------------------------------------------------------------


def _active_community_ids(user: User) -> QuerySet:
    return Membership.objects.filter(user=user, state=Membership.State.ACTIVE).values(
        "community_id"
    )


def contribution_list_new_for(
    user: User,
    *,
    since: datetime,
    theme_ids: Collection[int] = (),
    region_ids: Collection[int] = (),
    skip_community_ids: Collection[int] = (),
) -> QuerySet[Contribution]:
    """What is new for a member since `since`, newest first, never their own: contributions in
    the communities they belong to (but those in `skip_community_ids`, the ones they muted), on
    the themes in `theme_ids` and in communities of the regions in `region_ids`, as far as they
    may see them.

    Each row says why it is there for the cards: `in_my_community` (annotation),
    `followed_theme_list` (the followed themes among its own, prefetched) and
    `community.region` (select_related). A fixed number of queries, whatever the length.
    """
    mine = _active_community_ids(user).exclude(community_id__in=list(skip_community_ids))
    where = Q(community__in=mine)
    if theme_ids:
        on_theme = Contribution.themes.through.objects.filter(theme_id__in=list(theme_ids))
        where |= Q(pk__in=on_theme.values("contribution_id"))
    if region_ids:
        where |= Q(community__region_id__in=list(region_ids))
    followed_themes = Theme.objects.filter(pk__in=list(theme_ids)).order_by("sort_order", "title")
    return (
        contribution_list_visible_to(user)
        .filter(where, created_at__gte=since)
        .exclude(author=user)
        .select_related("community__region")
        .prefetch_related(
            Prefetch("themes", queryset=followed_themes, to_attr="followed_theme_list")
        )
        .annotate(in_my_community=Exists(mine.filter(community_id=OuterRef("community_id"))))
    )


def contribution_list_open_questions_for(
    user: User, *, skip_community_ids: Collection[int] = ()
) -> QuerySet[Contribution]:
    """Questions in the member's communities (but those in `skip_community_ids`) that nobody
    has answered yet (no visible comment), newest first, not their own."""
    mine = _active_community_ids(user).exclude(community_id__in=list(skip_community_ids))
    answered = Comment.objects.filter(
        contribution=OuterRef("pk"),
        deleted_at__isnull=True,
        status=Contribution.Status.PUBLISHED,
    )
    return (
        contribution_list_visible_to(user)
        .filter(
            ~Exists(answered),
            community__in=mine,
            kind=Contribution.Kind.QUESTION,
        )
        .exclude(author=user)
    )


# --- Curated content: dossiers and articles ----------------------------------------------------
# Only live (published) versions are read here: drafts and versions waiting for a second
# librarian live in revisions and never reach these queries.


def theme_list_featured(user: Viewer, chosen: list[int]) -> list[Theme]:
    """The themes a librarian chose for a home page block, in their order; without a choice,
    the featured themes."""
    themes = theme_list_with_counts(user)
    if not chosen:
        return list(themes.filter(featured=True))
    by_pk = {theme.pk: theme for theme in themes.filter(pk__in=chosen)}
    return [by_pk[pk] for pk in chosen if pk in by_pk]


def community_list_featured(user: Viewer, chosen: list[int], *, limit: int = 6) -> list[Community]:
    """The communities a librarian chose, in their order, as far as the viewer may see them;
    without a choice, the newest ones."""
    communities = community_list_visible_to(user)
    if not chosen:
        return list(communities[:limit])
    by_pk = {community.pk: community for community in communities.filter(pk__in=chosen)}
    return [by_pk[pk] for pk in chosen if pk in by_pk]


def article_list_live(*, theme: Theme | None = None) -> QuerySet[ArticlePage]:
    """Published, public articles, newest first, with their themes."""
    qs = ArticlePage.objects.live().public()
    if theme is not None:
        qs = qs.filter(themes=theme)
    return qs.prefetch_related(
        Prefetch("themes", queryset=Theme.objects.order_by("sort_order", "title"))
    ).order_by("-first_published_at", "-pk")


def article_related(article: ArticlePage, *, limit: int = 3) -> list[ArticlePage]:
    """What to read next: the articles the librarian picked, then others on the same themes."""
    picked_ids = [link.article_id for link in article.related_links.all()]
    live = article_list_live().exclude(pk=article.pk)
    by_pk = {page.pk: page for page in live.filter(pk__in=picked_ids)}
    related = [by_pk[pk] for pk in picked_ids if pk in by_pk][:limit]
    if len(related) < limit:
        theme_ids = [theme.pk for theme in article.themes.all()]
        related += list(
            live.filter(themes__in=theme_ids)
            .exclude(pk__in=[page.pk for page in related])
            .distinct()[: limit - len(related)]
        )
    return related


def dossier_get_live(theme: Theme) -> ThemeDossier | None:
    """The published dossier of a theme, if there is one."""
    return ThemeDossier.objects.filter(theme=theme, live=True).select_related("reviewed_by").first()


def theme_get_with_live_dossier(slug: str) -> tuple[Theme, ThemeDossier | None]:
    """The theme at `slug` (404 when there is none) and its published dossier, in one query."""
    theme = theme_list().select_related("dossier__reviewed_by").filter(slug=slug).first()
    if theme is None:
        raise Http404
    dossier = getattr(theme, "dossier", None)  # None when the theme has no dossier row
    return theme, dossier if dossier is not None and dossier.live else None


def dossier_picks_visible_to(user: Viewer, dossier: ThemeDossier) -> list[Contribution]:
    """The contributions the library checked, in the librarian's order, each with its `note`.

    A pick the viewer may not see (hidden since, or in a private community) is left out. Reads
    the picks through the dossier, so a preview shows the picks of the unsaved draft.
    """
    notes = {pick.contribution_id: pick.note for pick in dossier.picks.all()}
    if not notes:
        return []
    by_pk = {c.pk: c for c in contribution_list_visible_to(user).filter(pk__in=list(notes))}
    picks = []
    for pk, note in notes.items():
        if pk in by_pk:
            by_pk[pk].library_note = note  # type: ignore[attr-defined]
            picks.append(by_pk[pk])
    return picks


def theme_page_context(user: Viewer, theme: Theme | None, *, dossier: ThemeDossier | None) -> dict:
    """Everything /themas/<slug>/ shows: the dossier and the live lists around it.

    A fixed number of queries, whatever the number of contributions, communities or articles.
    `theme` is None only in the preview of a dossier whose theme was deleted.
    The lists are lazy: the page's content is a shared fragment (theme_detail.html), kept for
    everyone who may see the same communities, and then they are not read at all.
    """
    context: dict[str, Any] = {
        "theme": theme,
        "dossier": dossier,
        "picks": SimpleLazyObject(
            lambda: dossier_picks_visible_to(user, dossier) if dossier is not None else []
        ),
        "communities": [],
        "contributions": [],
        "articles": [],
    }
    if theme is not None:
        context["communities"] = SimpleLazyObject(
            lambda: list(community_list_visible_to(user, theme=theme))
        )
        context["contributions"] = SimpleLazyObject(
            lambda: list(contribution_list_visible_to(user, theme=theme)[:20])
        )
        context["articles"] = SimpleLazyObject(lambda: list(article_list_live(theme=theme)[:4]))
    return context


def dossier_list_needing_review(*, now: datetime | None = None) -> QuerySet[ThemeDossier]:
    """Published dossiers on a theme not reviewed within DOSSIER_REVIEW_DAYS, oldest first.

    A dossier never reviewed comes first. Drafts and dossiers without a theme are left out:
    they are on no page. Used by the admin listing and the activity dashboard.
    """
    cutoff = (now or timezone.now()) - timedelta(days=settings.DOSSIER_REVIEW_DAYS)
    return (
        ThemeDossier.objects.filter(live=True, theme__isnull=False)
        .filter(Q(reviewed_at__isnull=True) | Q(reviewed_at__lt=cutoff))
        .select_related("theme", "reviewed_by")
        .order_by(F("reviewed_at").asc(nulls_first=True), "theme__title")
    )


def dossier_picks_of_contribution(contribution: Contribution) -> list[ThemeDossier]:
    """The published dossiers that feature this contribution: the 'checked' badge."""
    return [
        pick.dossier
        for pick in DossierContribution.objects.filter(
            contribution=contribution, dossier__live=True, dossier__theme__isnull=False
        ).select_related("dossier__theme")
    ]


def contribution_counts_by_author(user: Viewer, author_ids: list[int]) -> dict[int, int]:
    """How many published contributions each author has where the viewer may see them: the
    "with their contributions" of Wie weet wat. One query for a whole page of members."""
    if not author_ids:
        return {}
    rows = (
        Contribution.objects.filter(
            author_id__in=author_ids,
            status=Contribution.Status.PUBLISHED,
            community__in=_visible_communities(user),
        )
        .order_by()
        .values("author_id")
        .annotate(count=Count("pk"))
        .values_list("author_id", "count")
    )
    return dict(rows)


# --- Tag pages: /tags/<slug>/ ("Alles over …") -------------------------------------------------


def _ascii_folded(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


# Tags whose slug has letters outside ASCII are compared one by one when an address leaves
# out the diacritics; there are few, and only a miss on the slug pays for it.
_UNICODE_SLUG_SCAN = 2000


def tag_resolve(value: str) -> Tag | None:
    """The tag an address /tags/<value>/ means: by its slug (taggit keeps diacritics in it:
    "coöperatie"); else by its name or a spelling that slugifies to its slug ("Zonne energie",
    "cooperatie"). The caller sends the visitor on to the slug's address."""
    tag = Tag.objects.filter(slug=value).first()
    if tag is not None:
        return tag
    slug = slugify(value, allow_unicode=True)
    tag = Tag.objects.filter(Q(slug=slug) | Q(name__iexact=value.strip())).order_by("pk").first()
    if tag is not None or not slug:
        return tag
    folded = _ascii_folded(slug)
    unicode_slugs = Tag.objects.filter(slug__regex=r"[^-_a-z0-9]").order_by("pk")
    for pk, candidate in unicode_slugs.values_list("pk", "slug")[:_UNICODE_SLUG_SCAN]:
        if _ascii_folded(candidate) == folded:
            return Tag.objects.get(pk=pk)
    return None


def tag_page_context(user: Viewer, tag: Tag, *, page: str | None, members_shown: int = 12):
    """Everything with `tag` that the viewer may see: contributions in the communities they
    may see (paginated), and members who opted in to being found with it as expertise.

    None when there is nothing to show: a tag used only in private communities does not
    reveal itself to outsiders. A fixed number of queries, whatever the numbers.
    """
    contributions = contribution_list_visible_to(user).filter(tags=tag)
    contribution_page = Paginator(contributions, 20).get_page(page)
    members = member_list_findable(user, expertise=tag)
    member_page = Paginator(members, members_shown).get_page(1)
    if not contribution_page.paginator.count and not member_page.paginator.count:
        return None
    members_on_page = list(member_page.object_list)
    return {
        "tag": tag,
        "page": contribution_page,
        "contributions": list(contribution_page.object_list),
        "members": members_on_page,
        "member_count": member_page.paginator.count,
        "viewer_has_community": member_question_places(user, members_on_page),
    }


# --- Earlier versions (issue 14) ---------------------------------------------------------------


def user_may_see_revisions(
    user: Viewer, post: Contribution | Comment, community: Community
) -> bool:
    """Earlier versions are for the post's author and for those who moderate its community
    (hosts and moderators, of it or its parent, and its librarians); nobody else."""
    if not user.is_authenticated:
        return False
    return post.author_id == user.pk or user_can_manage(user, community)


def _with_html(revision: ContributionRevision | CommentRevision) -> Any:
    """The revision's text rendered the way the post's own text is (sanitised Markdown)."""
    revision.body_html, _mentioned = render_markdown(revision.body)  # type: ignore[union-attr]
    if isinstance(revision, ContributionRevision):
        revision.parts_html = parts_render(revision.parts)  # type: ignore[attr-defined]
    return revision


def contribution_revisions_visible(
    user: Viewer, pk: int
) -> tuple[Contribution, list[ContributionRevision]]:
    """A contribution with its earlier versions, newest first; 404 when the viewer may not
    see the contribution (a private community's rules hold) or its versions."""
    contribution = contribution_get_visible(user, pk)
    if not user_may_see_revisions(user, contribution, contribution.community):
        raise Http404
    revisions = contribution.revisions.select_related("edited_by").order_by("-saved_at", "-pk")
    return contribution, [_with_html(revision) for revision in revisions]


def comment_revisions_visible(
    user: Viewer, pk: int, comment_id: int
) -> tuple[Contribution, Comment, list[CommentRevision]]:
    """As contribution_revisions_visible, for a comment on contribution `pk`."""
    contribution = contribution_get_visible(user, pk)
    comment = (
        Comment.objects.filter(contribution=contribution, pk=comment_id, deleted_at__isnull=True)
        .select_related("author")
        .first()
    )
    if comment is None or not user_may_see_revisions(user, comment, contribution.community):
        raise Http404
    revisions = comment.revisions.select_related("edited_by").order_by("-saved_at", "-pk")
    return contribution, comment, [_with_html(revision) for revision in revisions]
