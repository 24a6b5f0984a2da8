"""The approval page's link on a community's page, for those who approve."""

from __future__ import annotations

from django import template

from ..premoderation import pending_post_count

register = template.Library()


@register.inclusion_tag("moderation/premoderation/pending_link.html", takes_context=True)
def premoderation_link(context, community) -> dict:
    """Only rendered where the page already knows the viewer manages the community."""
    return {"community": community, "count": pending_post_count(community)}
