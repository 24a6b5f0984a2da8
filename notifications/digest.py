"""What is new for a member in a digest period, and why they get it. Reads only.

A `DigestBuilder` serves one period. It loads what is new per community, region and theme once,
the first time a member needs it, and keeps it for the next members; the members themselves are
read per chunk with a fixed number of queries. So building digests for 100 000 members costs
queries per chunk of members and per community, region and theme, never per member.

Items carry paths without a language prefix; the templates put the member's language prefix and
`SITE_URL` in front, so one item serves members of every language.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import Count, F, OuterRef, Q, Subquery, Value, Window
from django.db.models.functions import Coalesce, RowNumber
from django.urls import reverse
from django.utils import translation

from attachments.selectors import attachment_thumbnails_public
from communities.models import Community, Membership, Region, Theme, User
from knowledge.models import Comment, Contribution
from meetups.models import Meetup

from .models import CommunityFollow, RegionFollow, ThemeFollow
from .periods import Period

NEW_PER_COMMUNITY = 5
LIVELY_PER_COMMUNITY = 3
LIVELY_MIN_COMMENTS = 2
MEETUPS_AHEAD = dt.timedelta(days=14)
MEETUPS_MAX = 8
ARTICLES_MAX = 5
# Room to drop the member's own contributions and still show NEW_PER_COMMUNITY.
_FETCH_SLACK = 3


@dataclass(frozen=True)
class Recipient:
    pk: int
    email: str
    display_name: str
    language: str
    region_id: int | None


@dataclass(frozen=True)
class CommunityInfo:
    pk: int
    title: str
    path: str
    theme_ids: tuple[int, ...]


@dataclass(frozen=True)
class ContributionItem:
    pk: int
    community_id: int
    author_id: int | None
    author_name: str
    title: str
    kind: str
    comment_count: int
    path: str
    # Its first photo, small (attachments), only from a community that is not private.
    thumbnail: str = ""
    thumbnail_alt: str = ""


@dataclass(frozen=True)
class DiscussionItem:
    pk: int
    community_id: int
    author_id: int | None
    title: str
    new_comments: int
    path: str


@dataclass(frozen=True)
class MeetupItem:
    pk: int
    title: str
    starts_at: dt.datetime
    community_id: int | None
    region_id: int | None
    place: str
    online: bool
    is_new: bool
    path: str


@dataclass(frozen=True)
class ArticleItem:
    pk: int
    title: str
    theme_ids: tuple[int, ...]
    path: str


@dataclass
class CommunitySection:
    community: CommunityInfo
    contributions: list[ContributionItem]
    discussions: list[DiscussionItem]


@dataclass
class Reasoned:
    """An item and why this member gets it: `reason` is a code the templates put in words."""

    item: MeetupItem | ArticleItem
    reason: str  # community | region | followed_region | theme | community_theme
    reason_name: str


@dataclass
class Digest:
    recipient: Recipient
    period: Period
    communities: list[CommunitySection] = field(default_factory=list)
    articles: list[Reasoned] = field(default_factory=list)
    meetups: list[Reasoned] = field(default_factory=list)

    @property
    def has_news(self) -> bool:
        """Upcoming meetups alone are no news: only new contributions, discussions, articles or
        meetups announced in the period make a digest worth sending."""
        return bool(
            self.communities or self.articles or any(entry.item.is_new for entry in self.meetups)
        )

    @property
    def contribution_count(self) -> int:
        return sum(len(s.contributions) for s in self.communities)


def _user_filter(user_ids: set[int], field: str = "user_id") -> Q:
    """`field IN (...)`, or a range when the ids are dense (a chunk of members in id order):
    a range is one index scan, and Django prepares thousands of IN parameters slowly. Rows in
    the range that are not asked for are dropped by the caller."""
    low, high = min(user_ids), max(user_ids)
    if high - low < 4 * len(user_ids):
        return Q(**{f"{field}__gte": low, f"{field}__lte": high})
    return Q(**{f"{field}__in": sorted(user_ids)})


def article_model():
    """`knowledge.ArticlePage` with its `themes`, or None while it does not exist yet."""
    try:
        model = apps.get_model("knowledge", "ArticlePage")
    except LookupError:
        return None
    if not any(f.name == "themes" for f in model._meta.get_fields()):
        return None
    return model


@dataclass
class _Member:
    recipient: Recipient
    community_ids: list[int] = field(default_factory=list)
    muted: set[int] = field(default_factory=set)
    followed_themes: set[int] = field(default_factory=set)
    theme_ids: set[int] = field(default_factory=set)
    region_ids: set[int] = field(default_factory=set)


class DigestBuilder:
    """Digests of one period. Not thread-safe; one per run (or per batch task)."""

    def __init__(self, period: Period):
        self.period = period
        self.start, self.end = period.start, period.end
        self._communities: dict[int, CommunityInfo] = {}
        self._new: dict[int, list[ContributionItem]] = {}
        self._lively: dict[int, list[DiscussionItem]] = {}
        self._meetups_by_community: dict[int, list[MeetupItem]] = {}
        self._meetups_by_region: dict[int, list[MeetupItem]] = {}
        self._articles_by_theme: dict[int, list[ArticleItem]] = {}
        self._region_names: dict[int, str] | None = None
        self._theme_titles: dict[int, str] | None = None

    # --- members -----------------------------------------------------------------------------

    def build(self, user_ids: Iterable[int]) -> dict[int, Digest]:
        """Digests by member id, for those of `user_ids` that exist; empty ones included.

        Eligibility (verified, active, opted in) is the caller's business: the planner and the
        sender filter, the librarians' preview does not.
        """
        members = self._load_members(list(user_ids))
        if not members:
            return {}
        with translation.override("nl"):  # paths without a language prefix
            self._load_communities({c for m in members.values() for c in m.community_ids})
            self._load_regions({r for m in members.values() for r in m.region_ids})
            self._load_articles({t for m in members.values() for t in m.theme_ids})
        self._load_names()
        return {pk: self._assemble(member) for pk, member in members.items()}

    def _load_members(self, user_ids: list[int]) -> dict[int, _Member]:
        if not user_ids:
            return {}
        wanted = set(user_ids)
        by_user = _user_filter(wanted)
        members = {
            row["pk"]: _Member(Recipient(**row))
            for row in User.objects.filter(_user_filter(wanted, "pk"))
            .order_by()
            .values("pk", "email", "display_name", "language", "region_id")
            if row["pk"] in wanted
        }
        if not members:
            return {}
        for user_id, community_id in Membership.objects.filter(
            by_user, state=Membership.State.ACTIVE
        ).values_list("user_id", "community_id"):
            if user_id in members:
                members[user_id].community_ids.append(community_id)
        for user_id, community_id in CommunityFollow.objects.filter(
            by_user, level=CommunityFollow.Level.MUTED
        ).values_list("user_id", "community_id"):
            if user_id in members:
                members[user_id].muted.add(community_id)
        for user_id, theme_id in ThemeFollow.objects.filter(by_user).values_list(
            "user_id", "theme_id"
        ):
            if user_id in members:
                members[user_id].followed_themes.add(theme_id)
        for user_id, region_id in RegionFollow.objects.filter(by_user).values_list(
            "user_id", "region_id"
        ):
            if user_id in members:
                members[user_id].region_ids.add(region_id)
        for member in members.values():
            member.community_ids = [c for c in member.community_ids if c not in member.muted]
            if member.recipient.region_id:
                member.region_ids.add(member.recipient.region_id)
        # The themes of a member's communities count as theirs too; needs the communities.
        self._load_community_info({c for m in members.values() for c in m.community_ids})
        for member in members.values():
            member.theme_ids = set(member.followed_themes)
            for community_id in member.community_ids:
                member.theme_ids.update(self._communities[community_id].theme_ids)
        return members

    # --- content, loaded once per community, region and theme -------------------------------

    def _load_community_info(self, community_ids: set[int]) -> None:
        missing = community_ids - self._communities.keys()
        if not missing:
            return
        themes = defaultdict(list)
        for community_id, theme_id in Community.themes.through.objects.filter(
            community_id__in=missing
        ).values_list("community_id", "theme_id"):
            themes[community_id].append(theme_id)
        with translation.override("nl"):
            for pk, title, slug in Community.objects.filter(pk__in=missing).values_list(
                "pk", "title", "slug"
            ):
                self._communities[pk] = CommunityInfo(
                    pk,
                    title,
                    reverse("communities:community_detail", kwargs={"slug": slug}),
                    tuple(themes[pk]),
                )

    def _load_communities(self, community_ids: set[int]) -> None:
        missing = community_ids - self._new.keys()
        if not missing:
            return
        for community_id in missing:
            self._new[community_id] = []
            self._lively[community_id] = []
            self._meetups_by_community[community_id] = []
        for item in self._query_new(missing):
            self._new[item.community_id].append(item)
        for item in self._query_lively(missing):
            self._lively[item.community_id].append(item)
        for item in self._query_meetups(Q(community_id__in=missing)):
            self._meetups_by_community[item.community_id].append(item)

    def _query_new(self, community_ids: set[int]) -> list[ContributionItem]:
        comment_count = (
            Comment.objects.filter(
                contribution=OuterRef("pk"),
                deleted_at__isnull=True,
                status=Contribution.Status.PUBLISHED,
            )
            .order_by()
            .values("contribution")
            .annotate(n=Count("pk"))
            .values("n")
        )
        rows = (
            Contribution.objects.filter(
                community_id__in=community_ids,
                status=Contribution.Status.PUBLISHED,
                created_at__gte=self.start,
                created_at__lt=self.end,
            )
            .annotate(
                rank=Window(
                    RowNumber(), partition_by=F("community_id"), order_by=F("created_at").desc()
                ),
                comment_count=Coalesce(Subquery(comment_count), Value(0)),
            )
            .filter(rank__lte=NEW_PER_COMMUNITY + _FETCH_SLACK)
            .order_by("community_id", "rank")
            .values_list(
                "pk",
                "community_id",
                "author_id",
                "author__display_name",
                "author__is_active",
                "author__email",
                "title",
                "kind",
                "comment_count",
            )
        )
        rows = list(rows)
        thumbnails = attachment_thumbnails_public([row[0] for row in rows])
        return [
            ContributionItem(
                pk,
                community_id,
                author_id,
                # A deleted member's name is translated when each recipient's mail is rendered.
                User.public_name_of(author_name, is_active=is_active, email=email),
                title,
                kind,
                comments,
                reverse("knowledge:contribution_detail", kwargs={"pk": pk}),
                *thumbnails.get(pk, ("", "")),
            )
            for (
                pk,
                community_id,
                author_id,
                author_name,
                is_active,
                email,
                title,
                kind,
                comments,
            ) in rows
        ]

    def _query_lively(self, community_ids: set[int]) -> list[DiscussionItem]:
        """The contributions with the most new comments in the period, per community."""
        rows = (
            Comment.objects.filter(
                contribution__community_id__in=community_ids,
                contribution__status=Contribution.Status.PUBLISHED,
                status=Contribution.Status.PUBLISHED,
                deleted_at__isnull=True,
                created_at__gte=self.start,
                created_at__lt=self.end,
            )
            .order_by()
            .values(
                "contribution_id",
                "contribution__community_id",
                "contribution__author_id",
                "contribution__title",
            )
            .annotate(new_comments=Count("pk"))
            .filter(new_comments__gte=LIVELY_MIN_COMMENTS)
            .annotate(
                rank=Window(
                    RowNumber(),
                    partition_by=F("contribution__community_id"),
                    order_by=[F("new_comments").desc(), F("contribution_id").desc()],
                )
            )
            .filter(rank__lte=LIVELY_PER_COMMUNITY + NEW_PER_COMMUNITY + _FETCH_SLACK)
            .values_list(
                "contribution_id",
                "contribution__community_id",
                "contribution__author_id",
                "contribution__title",
                "new_comments",
            )
        )
        items = [
            DiscussionItem(
                pk,
                community_id,
                author_id,
                title,
                count,
                reverse("knowledge:contribution_detail", kwargs={"pk": pk}),
            )
            for pk, community_id, author_id, title, count in rows
        ]
        items.sort(key=lambda i: (-i.new_comments, -i.pk))
        return items

    def _query_meetups(self, where: Q) -> list[MeetupItem]:
        rows = (
            Meetup.objects.filter(
                where,
                status=Meetup.Status.PUBLISHED,
                starts_at__gte=self.end,
                starts_at__lt=self.end + MEETUPS_AHEAD,
            )
            .order_by("starts_at", "pk")
            .values_list(
                "pk",
                "title",
                "starts_at",
                "community_id",
                "branch__region_id",
                "community__region_id",
                "branch__name",
                "branch__city",
                "address",
                "online_url",
                "created_at",
            )
        )
        items = []
        for (
            pk,
            title,
            starts_at,
            community_id,
            branch_region,
            community_region,
            branch,
            city,
            address,
            online_url,
            created_at,
        ) in rows:
            place = f"{branch}, {city}" if branch else address
            items.append(
                MeetupItem(
                    pk,
                    title,
                    starts_at,
                    community_id,
                    branch_region or community_region,
                    place,
                    bool(online_url),
                    self.start <= created_at < self.end,
                    reverse("meetups:meetup_detail", kwargs={"pk": pk}),
                )
            )
        return items

    def _load_regions(self, region_ids: set[int]) -> None:
        missing = region_ids - self._meetups_by_region.keys()
        if not missing:
            return
        for region_id in missing:
            self._meetups_by_region[region_id] = []
        # Open to anyone in the region: meetups of no community or of a community that is not
        # private. Members of a private community get its meetups through the community.
        where = (Q(branch__region_id__in=missing) | Q(community__region_id__in=missing)) & (
            Q(community__isnull=True) | ~Q(community__visibility=Community.Visibility.PRIVATE)
        )
        for item in self._query_meetups(where):
            if item.region_id in missing:
                self._meetups_by_region[item.region_id].append(item)

    def _load_articles(self, theme_ids: set[int]) -> None:
        missing = theme_ids - self._articles_by_theme.keys()
        if not missing:
            return
        for theme_id in missing:
            self._articles_by_theme[theme_id] = []
        model = article_model()
        if model is None:
            return
        # Public only: a page behind a password or a login is not news for everyone.
        pages = (
            model.objects.live()
            .public()
            .filter(
                first_published_at__gte=self.start,
                first_published_at__lt=self.end,
                themes__in=missing,
            )
            .distinct()
            .prefetch_related("themes")
            .order_by("-first_published_at")
        )
        for page in pages:
            theme_ids_of_page = tuple(t.pk for t in page.themes.all())
            item = ArticleItem(page.pk, page.title, theme_ids_of_page, page.get_url() or "")
            for theme_id in theme_ids_of_page:
                if theme_id in missing:
                    self._articles_by_theme[theme_id].append(item)

    def _load_names(self) -> None:
        if self._region_names is None:
            self._region_names = dict(Region.objects.values_list("pk", "name"))
        if self._theme_titles is None:
            self._theme_titles = dict(Theme.objects.values_list("pk", "title"))

    # --- one member ------------------------------------------------------------------------

    def _assemble(self, member: _Member) -> Digest:
        me = member.recipient.pk
        digest = Digest(member.recipient, self.period)
        for community_id in member.community_ids:
            new = [i for i in self._new[community_id] if i.author_id != me][:NEW_PER_COMMUNITY]
            shown = {i.pk for i in new}
            lively = [
                d for d in self._lively[community_id] if d.author_id != me and d.pk not in shown
            ][:LIVELY_PER_COMMUNITY]
            if new or lively:
                digest.communities.append(
                    CommunitySection(self._communities[community_id], new, lively)
                )
        digest.communities.sort(key=lambda s: s.community.title.lower())
        digest.meetups = self._meetups_for(member)
        digest.articles = self._articles_for(member)
        return digest

    def _meetups_for(self, member: _Member) -> list[Reasoned]:
        entries: dict[int, Reasoned] = {}
        for community_id in member.community_ids:
            title = self._communities[community_id].title
            for item in self._meetups_by_community[community_id]:
                entries.setdefault(item.pk, Reasoned(item, "community", title))
        own_region = member.recipient.region_id
        for region_id in sorted(member.region_ids, key=lambda r: r != own_region):
            reason = "region" if region_id == own_region else "followed_region"
            name = self._region_names.get(region_id, "")
            for item in self._meetups_by_region[region_id]:
                if item.community_id in member.muted:
                    continue
                entries.setdefault(item.pk, Reasoned(item, reason, name))
        ordered = sorted(entries.values(), key=lambda e: (e.item.starts_at, e.item.pk))
        return ordered[:MEETUPS_MAX]

    def _articles_for(self, member: _Member) -> list[Reasoned]:
        followed = member.followed_themes
        entries: dict[int, Reasoned] = {}
        for theme_id in sorted(member.theme_ids, key=lambda t: t not in followed):
            reason = "theme" if theme_id in followed else "community_theme"
            title = self._theme_titles.get(theme_id, "")
            for item in self._articles_by_theme.get(theme_id, ()):
                entries.setdefault(item.pk, Reasoned(item, reason, title))
        return list(entries.values())[:ARTICLES_MAX]
