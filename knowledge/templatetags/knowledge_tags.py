"""Lists of contributions for pages of other apps (community, profile): `communities` may not
import `knowledge`, so its templates ask for them through these tags."""

from __future__ import annotations

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode

from communities.selectors import user_can_manage

from ..selectors import (
    contribution_counts_by_author,
    contribution_list_visible_to,
    question_list_open,
)

register = template.Library()

LIST_TEMPLATE = "knowledge/includes/contribution_list.html"
DEFAULT_LIMIT = 30


@register.inclusion_tag(LIST_TEMPLATE, takes_context=True)
def community_contributions(context, community, limit: int = DEFAULT_LIMIT) -> dict:
    """The newest contributions in a community, the featured ones first; hosts also see the
    hidden and waiting ones, an author their own that wait for approval."""
    request = context["request"]
    can_manage = context.get("can_manage")
    if can_manage is None:
        can_manage = user_can_manage(request.user, community)
    contributions = list(
        contribution_list_visible_to(
            request.user,
            community=community,
            include_hidden=can_manage,
            pending_of=request.user if request.user.is_authenticated else None,
            featured_first=True,
        )[: limit + 1]
    )
    return {
        "request": request,
        "contributions": contributions[:limit],
        "truncated": len(contributions) > limit,
        "limit": limit,
        "hide_community": True,
        "empty_text_kind": "community",
    }


@register.inclusion_tag(LIST_TEMPLATE, takes_context=True)
def member_contributions(context, member, limit: int = DEFAULT_LIMIT) -> dict:
    """A member's newest contributions, as far as the viewer may see them."""
    request = context["request"]
    contributions = list(contribution_list_visible_to(request.user, author=member)[: limit + 1])
    return {
        "request": request,
        "contributions": contributions[:limit],
        "truncated": len(contributions) > limit,
        "limit": limit,
        "hide_author": True,
        "empty_text_kind": "member",
    }


@register.inclusion_tag("knowledge/includes/open_questions_link.html", takes_context=True)
def open_questions_link(context, community=None, theme=None) -> dict:
    """The link "3 open vragen" to the open questions of a community or a theme; nothing when
    there are none. One count query (the partial index `contribution_open_questions`)."""
    request = context["request"]
    count = question_list_open(request.user, community=community, theme=theme).count()
    if community is not None:
        url = reverse("knowledge:open_questions_community", kwargs={"slug": community.slug})
    else:
        url = reverse("knowledge:open_questions_theme", kwargs={"slug": theme.slug})
    return {"count": count, "url": url}


@register.filter
def tag_url(tag) -> str:
    """The tag's page /tags/<slug>/ ("Alles over …"), or "" for a tag whose name gave no slug
    (then it is shown without a link rather than breaking the page)."""
    try:
        return reverse("knowledge:tag_detail", kwargs={"slug": tag.slug})
    except NoReverseMatch:
        return ""


@register.simple_tag
def question_url(member, community_slug: str = "") -> str:
    """The new-contribution form with a question to `member` filled in: kind question and the
    body starting with their @handle (a mention notifies them). Without a community the form
    first asks where to post, keeping the question."""
    query = {"kind": "question", "body": f"@{member.handle} "}
    if community_slug:
        query = {"gemeenschap": community_slug, **query}
    return f"{reverse('knowledge:contribution_create')}?{urlencode(query)}"


@register.simple_tag(takes_context=True)
def count_member_contributions(context, members) -> str:
    """Set `contribution_count` on each member of a list (Wie weet wat, tag pages): their
    published contributions the viewer may see. One query; renders nothing."""
    members = list(members)
    counts = contribution_counts_by_author(context["request"].user, [m.pk for m in members])
    for member in members:
        member.contribution_count = counts.get(member.pk, 0)
    return ""


@register.filter
def widget_described_also_by(field, element_id: str):
    """The field's widget with `element_id` added to its aria-describedby, after the help
    text and errors Django points it at (the posting form's "Opmaak" help)."""
    ids = " ".join(filter(None, [field.aria_describedby, element_id]))
    return field.as_widget(attrs={"aria-describedby": ids})
