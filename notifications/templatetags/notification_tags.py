"""The bell in the header: the member's unread count, at most one COUNT query per page."""

from django import template

from ..selectors import UNREAD_CAP, notification_unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context) -> dict:
    """{"count": n, "more": bool}; n is capped at UNREAD_CAP. Never for anonymous visitors (their
    pages are cached whole): base.html asks only inside `user.is_authenticated`."""
    request = context.get("request")
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return {"count": 0, "more": False}
    cached = getattr(request, "_unread_notifications", None)
    if cached is None:
        count = notification_unread_count(user)
        cached = {"count": min(count, UNREAD_CAP), "more": count > UNREAD_CAP}
        if request is not None:
            request._unread_notifications = cached
    return cached
