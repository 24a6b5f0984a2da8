"""The member's own part of the home page ("Voor jou"), so that knowledge, whose HomePage
renders it, needs no Python import of notifications (which builds on knowledge and meetups)."""

from django import template

from ..selectors import personal_home_for

register = template.Library()


@register.inclusion_tag("notifications/includes/personal_home.html", takes_context=True)
def personal_home(context):
    """Only for logged-in members: anonymous pages are cached whole and shared."""
    request = context["request"]
    return {"home": personal_home_for(request.user), "request": request}
