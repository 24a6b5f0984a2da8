"""Writes to the search index: `search_index(obj)`, `search_unindex(obj)`, `search_rebuild()`;
and the log of searches that found nothing: `search_miss_record()`, `search_miss_purge()`.

Each searchable model has a builder that says what its row holds, or None when nobody may find
it now (a hidden contribution, a draft meetup, an unpublished page): then the row goes. The
callers are the receivers (search/receivers.py), inside the writer's transaction, so a hidden
contribution leaves the index in the same commit that hides it.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Prefetch
from django.utils import timezone, translation
from django.utils.html import strip_tags
from wagtail.models import Page

from communities.models import Community, Region, Theme, User
from knowledge.models import ArticlePage, Comment, ContentPage, Contribution, ThemeDossier
from knowledge.parts import PART_HEADING_RE as _PART_HEADING
from meetups.models import Meetup

from . import engine
from .models import SearchEntry, SearchMiss

# A tsvector holds at most 1 MB; Discourse cuts posts at 600k characters for the same reason.
MAX_BODY_CHARS = 200_000


@dataclass
class EntryData:
    kind: str
    object_id: int
    title: str
    url: str
    date: datetime
    community: Community | None = None
    region: Region | None = None
    keywords: str = ""
    summary: str = ""
    body: str = ""
    themes: list[Theme] = field(default_factory=list)


def plain_text(markup: str) -> str:
    """HTML to the text a reader sees: tags out, entities decoded, whitespace collapsed."""
    return " ".join(html.unescape(strip_tags(markup.replace("<", " <"))).split())


def _url(obj) -> str:
    # Dutch lives at the root; the results page translates the URL for /en/ visitors.
    with translation.override(settings.LANGUAGE_CODE):
        return obj.get_absolute_url()


def _streamfield_text(obj, *names: str) -> str:
    parts: list[str] = []
    for name in names:
        stream_field = obj._meta.get_field(name)
        parts += stream_field.get_searchable_content(getattr(obj, name))
    return plain_text(" ".join(str(part) for part in parts))


def _theme_names(themes: Iterable[Theme]) -> str:
    return " ".join(theme.title for theme in themes)


def _indexed_comments():
    return Comment.objects.filter(
        status=Contribution.Status.PUBLISHED, deleted_at__isnull=True
    ).order_by("created_at")


def _parts_text(contribution: Contribution) -> list[str]:
    """The text of an experience's parts (situation, approach, result, lessons, sources), as
    the page shows it but without the parts' own headings ("Aanpak", "Resultaat"): those would
    make every experience a hit for those words. From `parts_html`, rendered when saved: no
    Markdown (nor a lookup of @mentions) per contribution in a rebuild."""
    if not contribution.parts_html:
        return []
    return [plain_text(_PART_HEADING.sub(" ", contribution.parts_html))]


def _contribution(contribution: Contribution) -> EntryData | None:
    if contribution.status != Contribution.Status.PUBLISHED:
        return None
    themes = list(contribution.themes.all())
    # search_rebuild prefetches them (_INDEXED_COMMENTS); one contribution asks for its own.
    comments = getattr(contribution, "indexed_comments", None)
    if comments is None:
        comments = _indexed_comments().filter(contribution=contribution)
    # The parts weigh as the body does (weight D in every engine).
    body = " ".join(
        [plain_text(contribution.body_html), *_parts_text(contribution)]
        + [plain_text(c.body_html) for c in comments]
    )
    return EntryData(
        kind=SearchEntry.Kind.CONTRIBUTION,
        object_id=contribution.pk,
        title=contribution.title,
        url=_url(contribution),
        date=contribution.created_at,
        community=contribution.community,
        region=contribution.community.region,
        # tags.all(), not tags.names(): the latter queries again even when prefetched.
        keywords=" ".join([*(tag.name for tag in contribution.tags.all()), _theme_names(themes)]),
        body=body,
        themes=themes,
    )


def _community(community: Community) -> EntryData:
    themes = list(community.themes.all())
    return EntryData(
        kind=SearchEntry.Kind.COMMUNITY,
        object_id=community.pk,
        title=community.title,
        url=_url(community),
        date=community.created_at,
        community=community,
        region=community.region,
        keywords=_theme_names(themes),
        summary=community.description,
        themes=themes,
    )


def _meetup(meetup: Meetup) -> EntryData | None:
    # The rule of meetups.selectors.visibility._visible: published and cancelled meetups.
    if meetup.status not in (Meetup.Status.PUBLISHED, Meetup.Status.CANCELLED):
        return None
    themes = list(meetup.themes.all())
    community = meetup.community
    region = community.region if community else (meetup.branch.region if meetup.branch else None)
    return EntryData(
        kind=SearchEntry.Kind.MEETUP,
        object_id=meetup.pk,
        title=meetup.title,
        url=_url(meetup),
        date=meetup.starts_at,
        community=community,
        region=region,
        keywords=_theme_names(themes),
        summary=meetup.description,
        body=meetup.accessibility_info,
        themes=themes,
    )


def _theme(theme: Theme) -> EntryData:
    return EntryData(
        kind=SearchEntry.Kind.THEME,
        object_id=theme.pk,
        title=theme.title,
        url=_url(theme),
        date=timezone.now(),
        summary=theme.intro,
        themes=[theme],
    )


def _dossier(dossier: ThemeDossier) -> EntryData | None:
    # Only the published version, and only while it has a theme (its page is the theme's).
    theme = dossier.theme if dossier.theme_id is not None else None
    if not dossier.live or theme is None:
        return None
    return EntryData(
        kind=SearchEntry.Kind.DOSSIER,
        object_id=dossier.pk,
        title=str(dossier),
        url=_url(dossier),
        date=dossier.last_published_at or timezone.now(),
        keywords=theme.title,
        summary=_streamfield_text(dossier, "introduction"),
        body=_streamfield_text(dossier, "sections", "further_reading"),
        themes=[theme],
    )


def _page_is_findable(page: Page) -> bool:
    # The rule of knowledge.selectors.article_list_live: live and without view restrictions.
    return type(page).objects.filter(pk=page.pk).live().public().exists()


def _article(page: ArticlePage) -> EntryData | None:
    if not _page_is_findable(page):
        return None
    themes = list(page.themes.all())
    return EntryData(
        kind=SearchEntry.Kind.ARTICLE,
        object_id=page.pk,
        title=page.title,
        url=page.get_url() or "",
        date=page.first_published_at or timezone.now(),
        keywords=_theme_names(themes),
        summary=page.summary,
        body=" ".join([page.author, _streamfield_text(page, "body")]),
        themes=themes,
    )


def _content_page(page: ContentPage) -> EntryData | None:
    if not _page_is_findable(page):
        return None
    return EntryData(
        kind=SearchEntry.Kind.PAGE,
        object_id=page.pk,
        title=page.title,
        url=page.get_url() or "",
        date=page.last_published_at or timezone.now(),
        summary=page.intro,
        body=_streamfield_text(page, "body"),
    )


def _member(member: User) -> EntryData | None:
    """Only who opted in, while active; for everyone (they chose it). What the opt-in promises
    ("met je naam, regio en kennis"): name, expertise and region, never the bio, contact details
    or the communities they belong to (a private one must not show)."""
    if not (member.is_active and member.findable) or member.profile_hidden:
        return None  # a profile hidden by a moderator is found by nobody
    region = member.region
    return EntryData(
        kind=SearchEntry.Kind.MEMBER,
        object_id=member.pk,
        title=member.display_name,
        url=_url(member),
        date=member.date_joined,
        region=region,
        keywords=" ".join(sorted(member.expertise.names())),
        summary=region.name if region else "",
    )


BUILDERS: dict[type, tuple[str, Callable]] = {
    Contribution: (SearchEntry.Kind.CONTRIBUTION, _contribution),
    Community: (SearchEntry.Kind.COMMUNITY, _community),
    Meetup: (SearchEntry.Kind.MEETUP, _meetup),
    Theme: (SearchEntry.Kind.THEME, _theme),
    ThemeDossier: (SearchEntry.Kind.DOSSIER, _dossier),
    ArticlePage: (SearchEntry.Kind.ARTICLE, _article),
    ContentPage: (SearchEntry.Kind.PAGE, _content_page),
    User: (SearchEntry.Kind.MEMBER, _member),
}


def is_searchable(obj) -> bool:
    return type(obj) in BUILDERS


@transaction.atomic
def search_index(obj) -> SearchEntry | None:
    """Write the row of `obj` as it is now, or delete it when nobody may find `obj`."""
    kind, build = BUILDERS[type(obj)]
    data = build(obj)
    if data is None:
        search_unindex(obj)
        return None
    entry, _created = SearchEntry.objects.update_or_create(
        kind=kind,
        object_id=obj.pk,
        defaults={
            "title": data.title[:300],
            "url": data.url[:500],
            "date": data.date,
            "community": data.community,
            "region": data.region,
            "keywords": data.keywords,
            "summary": data.summary,
            "body": data.body[:MAX_BODY_CHARS],
        },
    )
    entry.themes.set(data.themes)
    engine.index_entries([entry.pk])
    return entry


def search_unindex(obj) -> None:
    kind, _build = BUILDERS[type(obj)]
    rows = SearchEntry.objects.filter(kind=kind, object_id=obj.pk)
    engine.unindex_entries(list(rows.values_list("pk", flat=True)))
    rows.delete()


def search_index_region_of(community: Community) -> None:
    """A community's region is that of its contributions and meetups in the index too."""
    rows = SearchEntry.objects.filter(community=community)
    rows.update(region=community.region)
    engine.index_entries(list(rows.values_list("pk", flat=True)))


def search_index_members_of(region: Region) -> None:
    """A renamed region: its name is in the rows of the findable members who live there, and
    its slug in what Wagtail's search backend holds of every row in it."""
    members = User.objects.filter(region=region, is_active=True, findable=True)
    for member in members.select_related("region").iterator(chunk_size=500):
        search_index(member)
    if engine.uses_wagtail():
        rows = SearchEntry.objects.filter(region=region).values_list("pk", flat=True)
        engine.index_entries(list(rows))


def search_index_theme_carriers(theme_id: int) -> int:
    """Index again what carries the theme `theme_id` (its name is in their keywords)."""
    carriers = (
        Contribution.objects.filter(themes=theme_id),
        Community.objects.filter(themes=theme_id),
        Meetup.objects.filter(themes=theme_id),
        ArticlePage.objects.filter(themes=theme_id),
    )
    count = 0
    for qs in carriers:
        for obj in qs.iterator(chunk_size=500):
            search_index(obj)
            count += 1
    return count


# search_rebuild writes this many rows a statement, and reads the objects in chunks this size.
REBUILD_BATCH = 1000


def _all_objects() -> Iterable:
    contributions = Contribution.objects.select_related("community__region").prefetch_related(
        "themes",
        "tags",  # type: ignore[misc]  # a taggit manager
        Prefetch("comments", queryset=_indexed_comments(), to_attr="indexed_comments"),
    )
    yield from contributions.order_by("pk").iterator(chunk_size=REBUILD_BATCH)
    yield from Community.objects.select_related("region").prefetch_related("themes")
    yield from Meetup.objects.select_related("community__region", "branch__region")
    yield from Theme.objects.all()
    yield from ThemeDossier.objects.select_related("theme")
    yield from ArticlePage.objects.all()
    yield from ContentPage.objects.all()
    yield from User.objects.filter(is_active=True, findable=True).select_related("region")


_ENTRY_FIELDS = ["title", "url", "date", "community", "region", "keywords", "summary", "body"]


def _write_batch(batch: list[EntryData]) -> None:
    """Rows of `batch`, inserted or updated in one statement, their themes set in two more:
    no query per row and no signals (search_rebuild's bulk path; `search_index` is the other)."""
    entries = SearchEntry.objects.bulk_create(
        [
            SearchEntry(
                kind=data.kind,
                object_id=data.object_id,
                title=data.title[:300],
                url=data.url[:500],
                date=data.date,
                community=data.community,
                region=data.region,
                keywords=data.keywords,
                summary=data.summary,
                body=data.body[:MAX_BODY_CHARS],
            )
            for data in batch
        ],
        update_conflicts=True,
        unique_fields=["kind", "object_id"],
        update_fields=_ENTRY_FIELDS,
    )
    through = SearchEntry.themes.through
    through.objects.filter(searchentry_id__in=[entry.pk for entry in entries]).delete()
    through.objects.bulk_create(
        through(searchentry_id=entry.pk, theme_id=theme.pk)
        for entry, data in zip(entries, batch, strict=True)
        for theme in data.themes
    )
    engine.index_entries([entry.pk for entry in entries])


@transaction.atomic
def search_rebuild() -> int:
    """Index everything again and drop rows whose object is gone. Safe to run at any time:
    the result depends only on the content, not on what the index held before.

    In bulk: objects read in chunks (comments, tags and themes prefetched), rows written
    REBUILD_BATCH at a time (`_write_batch`), so a large index costs a few queries per thousand
    rows, not several per row."""
    seen: set[tuple[str, int]] = set()
    batch: list[EntryData] = []
    for obj in _all_objects():
        kind, build = BUILDERS[type(obj)]
        data = build(obj)
        if data is None:
            continue  # its row, if any, is stale and goes below
        seen.add((kind, obj.pk))
        batch.append(data)
        if len(batch) >= REBUILD_BATCH:
            _write_batch(batch)
            batch = []
    if batch:
        _write_batch(batch)
    stale = [
        pk
        for pk, kind, object_id in SearchEntry.objects.values_list("pk", "kind", "object_id")
        if (kind, object_id) not in seen
    ]
    SearchEntry.objects.filter(pk__in=stale).delete()
    engine.unindex_entries(stale)
    return len(seen)


# --- Searches that found nothing ----------------------------------------------------------------

MISS_MIN_CHARS = 3
MISS_MAX_CHARS = 100  # SearchMiss.query.max_length
MISS_RETENTION = timedelta(days=365)


def search_miss_normalise(query: str) -> str:
    """Lowercased, whitespace collapsed, capped: "Zonne  Panelen" and "zonne panelen" are one."""
    return " ".join(query.lower().split())[:MISS_MAX_CHARS].strip()


def search_miss_record(*, query: str, now: datetime | None = None) -> bool:
    """Count a search for `query` that found nothing; False when it is too short to count.

    One statement, settled by the database: the unique query and INSERT … ON CONFLICT DO UPDATE
    (PostgreSQL and SQLite both speak it) count every concurrent request exactly once. The ORM
    cannot say "insert, or add one" in one statement (bulk_create's update_conflicts only
    overwrites). Nothing about who asked is passed in, so nothing about them can be stored.
    """
    normalised = search_miss_normalise(query)
    if len(normalised) < MISS_MIN_CHARS:
        return False
    seen = connection.ops.adapt_datetimefield_value(now or timezone.now())
    table = connection.ops.quote_name(SearchMiss._meta.db_table)
    count = connection.ops.quote_name("count")
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (query, {count}, first_seen, last_seen) "
            "VALUES (%s, 1, %s, %s) "
            f"ON CONFLICT (query) DO UPDATE SET {count} = {table}.{count} + 1, "
            "last_seen = excluded.last_seen",
            [normalised, seen, seen],
        )
    return True


def search_miss_purge(*, now: datetime | None = None) -> int:
    """Delete the queries nobody searched for within MISS_RETENTION (the privacy statement's
    promise); what is searched for again stays, with its count."""
    cutoff = (now or timezone.now()) - MISS_RETENTION
    deleted, _by_model = SearchMiss.objects.filter(last_seen__lt=cutoff).delete()
    return deleted
