"""The suspended member's banner and 403 page: read from the user row already loaded for the
request, so showing them costs no query. Only logged-in pages show them; the anonymous page
cache never holds a page for a member."""

from django import template

from ..suspension import is_suspended, suspension_message, suspension_until_text

register = template.Library()


@register.filter
def suspended(user) -> bool:
    """Whether the member is suspended now: `{% if user|suspended %}`."""
    return is_suspended(user)


@register.inclusion_tag("includes/suspension_banner.html")
def suspension_banner(user):
    """A site-wide banner for a suspended member: until when, why, and that reading goes on."""
    if not is_suspended(user):
        return {"suspended": False}
    return {
        "suspended": True,
        "until": suspension_until_text(user),
        "reason": user.suspension_reason,
    }


@register.simple_tag
def suspension_text(user) -> str:
    """The sentence a refused write shows, for templates that explain instead of offering."""
    return suspension_message(user) if is_suspended(user) else ""
