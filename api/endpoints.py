"""The read-only endpoints of /api/v1/. Each one reads through api.selectors (the site's own
selectors as an anonymous visitor) and answers with a schema from api.schemas."""

import re
from datetime import UTC, datetime
from typing import Annotated, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import paginate
from pydantic import AwareDatetime, field_validator

from . import selectors
from .pagination import KeysetPagination
from .schemas import (
    ArticleDetailOut,
    ArticleOut,
    CommunityOut,
    ContributionDetailOut,
    ContributionOut,
    ErrorOut,
    MeetupDetailOut,
    MeetupOut,
    ThemeOut,
    ValidationErrorOut,
)

router = Router()

# Documented answers besides 200, so clients (and the schema tests) know every status code.
LIST_ERRORS = {400: ErrorOut, 422: ValidationErrorOut, 429: ErrorOut}
DETAIL_ERRORS = {404: ErrorOut, 422: ValidationErrorOut, 429: ErrorOut}

# Django slugs (SlugField): ASCII, which Python and the JSON Schema regex dialect read alike
# (`\w` would take letters such as "ý" here and refuse them in JSON Schema).
SLUG = r"^[-a-zA-Z0-9_]+$"
# Every value reaches the operation, which answers a malformed one with 422 in JSON: with
# Django's int or slug converters it would fall through to the site's HTML 404 page. Ids stay
# within what the database's bigint holds.
Id = Annotated[int, Path(ge=1, le=2**63 - 1)]
Slug = Annotated[str, Path(pattern=SLUG, max_length=150)]
_DATE_TIME = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt][0-9]{2}:[0-9]{2}")
_SINCE = "Alleen wat na dit moment is gemaakt of gewijzigd (ISO 8601 met tijdzone)."


class ThemeFilter(Schema):
    theme: str | None = Field(None, description="Slug van een thema.", pattern=SLUG)


class SinceFilter(Schema):
    since: AwareDatetime | None = Field(None, description=_SINCE)

    @field_validator("since", mode="before")
    @classmethod
    def since_is_a_date_time(cls, value: object) -> object:
        # As documented (RFC 3339 date-time): pydantic alone would also take a number of
        # seconds since 1970, or a bare date.
        if value is not None and not (isinstance(value, str) and _DATE_TIME.match(value)):
            raise ValueError(_("since moet een datum met tijd en tijdzone zijn (ISO 8601)."))
        return value

    @field_validator("since")
    @classmethod
    def since_in_utc(cls, value: datetime | None) -> datetime | None:
        # A moment near year 1 or 9999 with an offset has no UTC equivalent: say so here
        # (422) rather than fail in the database.
        if value is None:
            return None
        try:
            return value.astimezone(UTC)
        except OverflowError:
            raise ValueError(_("since valt buiten het bereik van datums.")) from None


class CommunityFilters(ThemeFilter, SinceFilter):
    region: str | None = Field(None, description="Slug van een regio.", pattern=SLUG)


class ContributionFilters(CommunityFilters):
    community: str | None = Field(None, description="Slug van een gemeenschap.", pattern=SLUG)
    tag: str | None = Field(None, description="Slug van een trefwoord.", max_length=100)


class MeetupFilters(CommunityFilters):
    community: str | None = Field(None, description="Slug van een gemeenschap.", pattern=SLUG)
    when: Literal["upcoming", "past"] = Field(
        "upcoming",
        description="upcoming: wat nog komt, eerstvolgende eerst; past: wat voorbij is, "
        "laatste eerst.",
    )


class ArticleFilters(ThemeFilter, SinceFilter):
    pass


def _filters(params: Schema) -> selectors.Filters:
    data = params.dict()
    return selectors.Filters(
        theme=data.get("theme"),
        community=data.get("community"),
        region=data.get("region"),
        tag=data.get("tag"),
        since=data.get("since"),
    )


def _meetups_ascending(request: HttpRequest) -> bool:
    return request.GET.get("when", selectors.UPCOMING) != selectors.PAST


@router.get(
    "/themes/",
    response={200: list[ThemeOut], 429: ErrorOut},
    summary="Thema's",
    tags=["thema's"],
)
def theme_list(request: HttpRequest):
    """Alle thema's, in de volgorde van de site (een korte, door de bibliotheek beheerde lijst:
    niet gepagineerd)."""
    return selectors.theme_list_public()


@router.get("/themes/{path:slug}/", response={200: ThemeOut, **DETAIL_ERRORS}, tags=["thema's"])
def theme_detail(request: HttpRequest, slug: Slug):
    """Eén thema."""
    return selectors.theme_get_public(slug)


@router.get(
    "/communities/", response={200: list[CommunityOut], **LIST_ERRORS}, tags=["gemeenschappen"]
)
@paginate(KeysetPagination, moment_field="created_at")
def community_list(request: HttpRequest, filters: Query[CommunityFilters]):
    """Openbare gemeenschappen, nieuwste eerst. Besloten gemeenschappen staan er niet in."""
    return selectors.community_list_public(_filters(filters))


@router.get(
    "/communities/{path:slug}/",
    response={200: CommunityOut, **DETAIL_ERRORS},
    tags=["gemeenschappen"],
)
def community_detail(request: HttpRequest, slug: Slug):
    """Eén openbare gemeenschap; 404 voor een besloten gemeenschap."""
    return selectors.community_get_public(slug)


@router.get(
    "/contributions/", response={200: list[ContributionOut], **LIST_ERRORS}, tags=["bijdragen"]
)
@paginate(KeysetPagination, moment_field="created_at")
def contribution_list(request: HttpRequest, filters: Query[ContributionFilters]):
    """Gepubliceerde bijdragen in openbare gemeenschappen, nieuwste eerst."""
    return selectors.contribution_list_public(_filters(filters))


@router.get(
    "/contributions/{contribution_id}/",
    response={200: ContributionDetailOut, **DETAIL_ERRORS},
    tags=["bijdragen"],
)
def contribution_detail(request: HttpRequest, contribution_id: Id):
    """Eén bijdrage met haar reacties (zonder verwijderde en verborgen reacties)."""
    return selectors.contribution_get_public(contribution_id)


@router.get("/meetups/", response={200: list[MeetupOut], **LIST_ERRORS}, tags=["bijeenkomsten"])
@paginate(KeysetPagination, moment_field="starts_at", ascending=_meetups_ascending)
def meetup_list(request: HttpRequest, filters: Query[MeetupFilters]):
    """De agenda: komende bijeenkomsten (eerstvolgende eerst) of voorbije (laatste eerst)."""
    return selectors.meetup_list_public(_filters(filters), when=filters.when)


@router.get(
    "/meetups/{meetup_id}/",
    response={200: MeetupDetailOut, **DETAIL_ERRORS},
    tags=["bijeenkomsten"],
)
def meetup_detail(request: HttpRequest, meetup_id: Id):
    """Eén gepubliceerde of afgelaste bijeenkomst, met de vrije plaatsen."""
    return selectors.meetup_get_public(meetup_id)


@router.get("/articles/", response={200: list[ArticleOut], **LIST_ERRORS}, tags=["artikelen"])
@paginate(KeysetPagination, moment_field="first_published_at")
def article_list(request: HttpRequest, filters: Query[ArticleFilters]):
    """Gepubliceerde, openbare artikelen van de bibliotheek, nieuwste eerst."""
    return selectors.article_list_public(_filters(filters))


@router.get(
    "/articles/{article_id}/",
    response={200: ArticleDetailOut, **DETAIL_ERRORS},
    tags=["artikelen"],
)
def article_detail(request: HttpRequest, article_id: Id):
    """Eén gepubliceerd, openbaar artikel, met de tekst zonder opmaak."""
    return selectors.article_get_public(article_id)
