from django import template
from django.conf import settings
from django.utils.html import format_html

from ..models import ContributionLink, Source

register = template.Library()


@register.inclusion_tag("sources/preview_card.html")
def link_preview(contribution) -> dict:
    """The preview card of the page a contribution links to, once it has been fetched. One
    query; the contribution page shows at most one card."""
    link = (
        ContributionLink.objects.filter(
            contribution_id=contribution.pk, source__state=Source.State.READY
        )
        .select_related("source")
        .first()
    )
    if link is None:
        return {"source": None}
    source = link.source
    player_html = ""
    if source.embed_url:
        # The player's address is ours (sources.oembed builds it from the video's id); the
        # title is the other site's text, escaped here and again in the data attribute.
        player_html = format_html(
            '<iframe src="{}" title="{}" width="560" height="315" allowfullscreen '
            'allow="fullscreen; picture-in-picture" '
            'referrerpolicy="strict-origin-when-cross-origin"></iframe>',
            source.embed_url,
            source.title,
        )
    return {"source": source, "player_html": player_html}


@register.inclusion_tag("sources/catalogue_link.html")
def catalogue_link(contribution, user) -> dict:
    """For members, when the library has a catalogue: a link to its titles. No query."""
    shown = bool(settings.CATALOGUE_PROVIDER) and user.is_authenticated
    return {"contribution": contribution, "shown": shown}
