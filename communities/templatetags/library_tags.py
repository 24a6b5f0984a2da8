"""The site's library (name, logo, address, contact) for the footer and the "about" page."""

from __future__ import annotations

from django import template

from ..site_library import SiteLibrary
from ..site_library import site_library as _site_library

register = template.Library()


@register.simple_tag
def site_library() -> SiteLibrary | None:
    """`{% site_library as library %}`: from the cache on most pages, so no query."""
    return _site_library()
