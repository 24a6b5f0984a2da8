"""Upcoming meetups on other apps' pages (home, theme, community) without Python imports
between the apps."""

from django import template

from meetups.jsonld import meetup_jsonld_script
from meetups.selectors import (
    meetup_list_upcoming_visible_to,
    meetup_next_per_community,
    meetup_places_left,
    meetup_planning_for,
    report_list_visible_to,
)
from meetups.selectors import session_places_left as _session_places_left

register = template.Library()


@register.inclusion_tag("meetups/includes/upcoming_section.html", takes_context=True)
def upcoming_meetups_section(context, community=None, theme=None, limit=3):
    """The "Binnenkort" section: the next meetups of a community, a theme, or all."""
    request = context["request"]
    meetups = meetup_list_upcoming_visible_to(request.user, community=community, theme=theme)
    return {
        "meetups": list(meetups[:limit]),
        "request": request,
        "community": community,
        "planning": meetup_planning_for(request.user, community) if community else None,
    }


@register.simple_tag(takes_context=True)
def next_meetups_by_community(context, communities):
    """{community id: its next meetup the viewer may see} for a list of community cards, in
    one query: `{% next_meetups_by_community communities as next_meetups %}`."""
    ids = [community.pk for community in communities]
    return meetup_next_per_community(context["request"].user, ids)


@register.filter
def places_left(meetup):
    """Free places of an annotated meetup (see meetup_places_left); None when unlimited."""
    return meetup_places_left(meetup)


@register.filter
def session_places_left(session):
    """Free places in a session with a capacity of its own; None when it has none."""
    return _session_places_left(session)


@register.simple_tag(takes_context=True)
def meetup_jsonld(context, meetup):
    """The schema.org Event of `meetup` as a <script type="application/ld+json"> element."""
    request = context["request"]
    url = request.build_absolute_uri(meetup.get_absolute_url())
    # The site's Content-Security-Policy allows no <script> without the request's nonce.
    nonce = getattr(request, "csp_nonce", None)
    return meetup_jsonld_script(
        meetup,
        url=url,
        places_left=meetup_places_left(meetup),
        nonce=str(nonce) if nonce is not None else None,
    )


@register.inclusion_tag("meetups/includes/report_section.html", takes_context=True)
def community_reports(context, community, limit=3):
    """Reports of the community's meetups, the latest first; nothing when there are none."""
    request = context["request"]
    reports = report_list_visible_to(request.user, community=community)
    return {"reports": list(reports[:limit]), "request": request}


@register.inclusion_tag("meetups/includes/report_section.html", takes_context=True)
def theme_reports(context, theme, limit=3):
    """Reports of meetups about the theme (or of communities about it), the latest first."""
    request = context["request"]
    reports = report_list_visible_to(request.user, theme=theme)
    return {"reports": list(reports[:limit]), "request": request}
