"""Upcoming meetups on other apps' pages (home, theme, community) without Python imports
between the apps."""

from django import template

from meetups.selectors import meetup_list_upcoming_visible_to, meetup_places_left

register = template.Library()


@register.inclusion_tag("meetups/includes/upcoming_section.html", takes_context=True)
def upcoming_meetups_section(context, community=None, theme=None, limit=3):
    """The "Binnenkort" section: the next meetups of a community, a theme, or all."""
    request = context["request"]
    meetups = meetup_list_upcoming_visible_to(request.user, community=community, theme=theme)
    return {"meetups": list(meetups[:limit]), "request": request}


@register.filter
def places_left(meetup):
    """Free places of an annotated meetup (see meetup_places_left); None when unlimited."""
    return meetup_places_left(meetup)
