from django import template

from ..selectors import suppress_small

register = template.Library()


@register.filter
def suppressed(value: int) -> str:
    """A count as reports print it: 1 to 4 as "<5" (dashboard.selectors.suppress_small)."""
    return suppress_small(value)
