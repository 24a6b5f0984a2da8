"""The queue's link in the header, for those who moderate something: one query per page."""

from django import template

from knowledge.models import Comment
from moderation.models import Case

from ..queue import NO_NOTE, case_hidden_note_for, case_hidden_notes_for_comments, queue_link_kept

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
        show, count = queue_link_kept(user)
        cached = {"show": show, "count": count}
        if request is not None:
            request._moderation_queue_link = cached
    return cached


@register.simple_tag(takes_context=True)
def moderation_hidden_note(context, obj):
    """Why `obj` (a hidden contribution or comment) is hidden, for its author and moderators:
    a HiddenNote. Ask only for hidden objects. The comments of one contribution are read
    together, once per page, so a thread costs one query however many are hidden."""
    if not isinstance(obj, Comment):
        return case_hidden_note_for(obj)
    request = context.get("request")
    cache = getattr(request, "_moderation_hidden_notes", None)
    if cache is None:
        cache = {}
        if request is not None:
            request._moderation_hidden_notes = cache
    if obj.contribution_id not in cache:
        cache[obj.contribution_id] = case_hidden_notes_for_comments(obj.contribution_id)
    return cache[obj.contribution_id].get(obj.pk, NO_NOTE)


@register.inclusion_tag("moderation/queue/community_link.html")
def moderation_queue_community_link(community) -> dict:
    """The queue's link on a community's page, with what is open there. Only rendered where the
    page already knows the viewer manages the community. One query."""
    return {"count": Case.objects.filter(community=community, state=Case.State.OPEN).count()}
