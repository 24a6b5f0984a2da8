"""What the API answers with. Only public fields: members appear by name and profile link,
never with an email address or other contact details."""

from datetime import datetime
from typing import Any, Literal

from django.utils.html import strip_tags
from ninja import Field, Schema

from meetups.selectors import meetup_places_left


def _absolute(context: Any, path: str) -> str:
    return context["request"].build_absolute_uri(path)


class ErrorOut(Schema):
    detail: str


class ValidationErrorOut(Schema):
    detail: list[dict[str, Any]]


class AuthorOut(Schema):
    """A member as the site shows them: their name, and their profile page while it is public
    (null for a profile hidden by moderation and for a deleted account, "Verwijderd lid")."""

    name: str
    profile_url: str | None

    @staticmethod
    def resolve_name(obj) -> str:
        return obj.public_name

    @staticmethod
    def resolve_profile_url(obj, context) -> str | None:
        if not obj.is_active or obj.profile_hidden:
            return None
        return _absolute(context, obj.get_absolute_url())


class ThemeRef(Schema):
    slug: str
    title: str


class RegionOut(Schema):
    slug: str
    name: str


class LibraryOut(Schema):
    slug: str
    name: str


class CommunityRef(Schema):
    slug: str
    title: str
    url: str

    @staticmethod
    def resolve_url(obj, context) -> str:
        return _absolute(context, obj.get_absolute_url())


class ThemeOut(Schema):
    slug: str
    title: str
    intro: str
    featured: bool
    url: str
    community_count: int = Field(description="Openbare gemeenschappen over dit thema.")
    contribution_count: int = Field(description="Openbare bijdragen over dit thema.")

    @staticmethod
    def resolve_url(obj, context) -> str:
        return _absolute(context, obj.get_absolute_url())


class CommunityOut(Schema):
    id: int
    slug: str
    title: str
    description: str
    visibility: Literal["open", "on_request"] = Field(
        description="open: iedereen kan lid worden; on_request: een beheerder keurt goed."
    )
    region: RegionOut | None
    library: LibraryOut
    parent: CommunityRef | None = Field(
        description="De hoofdgemeenschap, bij een subgemeenschap; anders null."
    )
    themes: list[ThemeRef]
    member_count: int
    created_at: datetime
    url: str

    @staticmethod
    def resolve_themes(obj) -> list:
        return list(obj.themes.all())

    @staticmethod
    def resolve_url(obj, context) -> str:
        return _absolute(context, obj.get_absolute_url())


class ContributionOut(Schema):
    id: int
    title: str
    kind: Literal["question", "experience", "idea", "source", "report"]
    featured: bool
    community: CommunityRef
    author: AuthorOut | None = Field(description="null: een oud-lid.")
    tags: list[str]
    themes: list[ThemeRef]
    comment_count: int
    appreciation_count: int
    answered_at: datetime | None = Field(
        description=(
            "Bij een vraag: wanneer een reactie als antwoord is gemarkeerd; null bij een open "
            "vraag en bij elke andere soort bijdrage."
        )
    )
    created_at: datetime
    updated_at: datetime
    url: str

    @staticmethod
    def resolve_answered_at(obj) -> datetime | None:
        # A question that became something else keeps its marks, but answers nothing.
        return obj.answered_at if obj.kind == "question" else None

    @staticmethod
    def resolve_tags(obj) -> list[str]:
        tags = getattr(obj, "tag_list", None)
        return [tag.name for tag in (tags if tags is not None else obj.tags.all())]

    @staticmethod
    def resolve_themes(obj) -> list:
        return list(obj.themes.all())

    @staticmethod
    def resolve_url(obj, context) -> str:
        return _absolute(context, obj.get_absolute_url())


class CommentOut(Schema):
    id: int
    reply_to: int | None = Field(
        description="De reactie waarop dit een antwoord is; null bij een reactie op de bijdrage."
    )
    author: AuthorOut | None = Field(description="null: een oud-lid.")
    body_html: str
    is_answer: bool = Field(
        description="Door wie de vraag stelde of een beheerder gemarkeerd als antwoord."
    )
    created_at: datetime

    @staticmethod
    def resolve_reply_to(obj) -> int | None:
        return obj.shown_parent_id

    @staticmethod
    def resolve_is_answer(obj) -> bool:
        return obj.answer_marked_at is not None


class ContributionDetailOut(ContributionOut):
    body_html: str = Field(description="De tekst als opgeschoonde HTML, zoals op de site.")
    parts_html: str = Field(
        description=(
            "De delen van een ervaring (situatie, aanpak, resultaat, lessen, bronnen), elk onder "
            "een eigen kop (h2), als opgeschoonde HTML; leeg als de bijdrage geen delen heeft."
        )
    )
    source_url: str
    comments: list[CommentOut]

    @staticmethod
    def resolve_comments(obj) -> list:
        return obj.comments_shown  # set by the view: selectors.comment_list_public


class PlaceOut(Schema):
    name: str
    address: str


class MeetupOut(Schema):
    id: int
    title: str
    kind: Literal["meetup", "network_day"]
    status: Literal["published", "cancelled"]
    starts_at: datetime
    ends_at: datetime
    community: CommunityRef | None
    place: PlaceOut | None = Field(description="De vestiging van de bibliotheek, als die er is.")
    address: str = Field(
        description="Een ander adres, als de bijeenkomst niet in een vestiging is."
    )
    is_online: bool
    is_hybrid: bool
    capacity: int | None = Field(description="null: geen maximum.")
    places_left: int | None = Field(description="null: geen maximum.")
    url: str

    @staticmethod
    def resolve_place(obj):
        return obj.branch

    @staticmethod
    def resolve_is_online(obj) -> bool:
        return bool(obj.online_url)

    @staticmethod
    def resolve_places_left(obj) -> int | None:
        return meetup_places_left(obj)

    @staticmethod
    def resolve_url(obj, context) -> str:
        return _absolute(context, obj.get_absolute_url())


class MeetupDetailOut(MeetupOut):
    description: str
    online_url: str
    accessibility_info: str
    cancellation_note: str
    themes: list[ThemeRef]

    @staticmethod
    def resolve_themes(obj) -> list:
        return list(obj.themes.all())


class ArticleOut(Schema):
    id: int
    title: str
    summary: str
    author: str = Field(description="De naam zoals die boven het artikel staat.")
    themes: list[ThemeRef]
    first_published_at: datetime
    last_published_at: datetime
    url: str

    @staticmethod
    def resolve_themes(obj) -> list:
        return list(obj.themes.all())

    @staticmethod
    def resolve_url(obj, context) -> str:
        return _absolute(context, obj.get_url(request=context["request"]) or "/")


# The blocks whose text an article's `text` carries; images, videos and the blocks that show
# a contribution or community are left out (those have their own endpoints, scoped there).
def _block_text(block) -> str:
    value = block.value
    if block.block_type == "paragraph":
        return strip_tags(value.source)
    if block.block_type == "heading":
        return value["text"]
    if block.block_type == "quote":
        return value["quote"]
    if block.block_type == "call_to_action":
        return f"{value['title']}\n{value['text']}"
    return ""


class ArticleDetailOut(ArticleOut):
    reading_time: int = Field(description="Leestijd in minuten.")
    text: str = Field(description="De tekst van het artikel, zonder opmaak.")

    @staticmethod
    def resolve_text(obj) -> str:
        return "\n\n".join(text for block in obj.body if (text := _block_text(block).strip()))
