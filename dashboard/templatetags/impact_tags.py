from django import template

from ..impact import shown

register = template.Library()


@register.filter
def suppressed(value: int) -> str:
    """A count as reports print it: 1 to 4 as "<5" (dashboard/impact.py)."""
    return shown(value)
