"""The queue's link in the header, for those who moderate something: one query per page."""

from django import template

from ..queue import queue_link_for

register = template.Library()


@register.simple_tag(takes_context=True)
def moderation_queue_link(context) -> dict:
    """{"show": bool, "count": open cases}. Never for anonymous visitors (their pages are
    cached whole): base.html asks only inside `user.is_authenticated`."""
    request = context.get("request")
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return {"show": False, "count": 0}
    cached = getattr(request, "_moderation_queue_link", None)
    if cached is None:
        show, count = queue_link_for(user)
        cached = {"show": show, "count": count}
        if request is not None:
            request._moderation_queue_link = cached
    return cached
