"""The library this site belongs to, as the footer and the "about" page show it: its name,
logo, address and how to reach it.

Which library: the one whose slug is in the setting KENNISCLOUD_LIBRARY, else the only one (or,
with several and no setting, the first by name). A site shared by several libraries sets it per
deployment.

The footer is on every page, so what it shows is read once and kept in the cache (a plain
dataclass: no model instance, no lazy query left in it; the logo's rendition is resolved here
too). Any save or delete of a library, a branch or an image forgets it at once and again after
the commit (`site_library_changed`), so an edit in the Wagtail admin shows on the next page.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

logger = logging.getLogger(__name__)

# Raise the version when SiteLibrary changes shape: entries pickled before are not read then.
KEY_PREFIX = "site-library:v1"
# The logo as the footer shows it: at most this size, never stretched.
LOGO_FILTER = "max-360x120"
_NO_LIBRARY = "none"


@dataclass(frozen=True)
class SiteLibrary:
    name: str
    contact_email: str = ""
    website: str = ""
    phone: str = ""
    branch_name: str = ""
    street: str = ""
    postcode: str = ""
    city: str = ""
    opening_hours: tuple[str, ...] = field(default_factory=tuple)
    logo_url: str = ""
    logo_width: int = 0
    logo_height: int = 0

    @property
    def phone_href(self) -> str:
        """tel: link, digits and a leading + only (spaces and dashes are for reading)."""
        return "tel:" + re.sub(r"[^\d+]", "", self.phone) if self.phone else ""

    @property
    def has_address(self) -> bool:
        return bool(self.street and self.city)

    @property
    def website_label(self) -> str:
        """The website as people read it: without https:// and a trailing slash."""
        return re.sub(r"^https?://(www\.)?", "", self.website).rstrip("/")


def _cache_key() -> str:
    return f"{KEY_PREFIX}:{settings.KENNISCLOUD_LIBRARY or '-'}"


def site_library() -> SiteLibrary | None:
    """The site's library, from the cache when it is there: no query on most pages."""
    key = _cache_key()
    try:
        found = cache.get(key)
    except Exception:
        logger.warning("site library cache unavailable", exc_info=True)
        found = None
    if found is not None:
        return None if found == _NO_LIBRARY else found
    library = site_library_load()
    try:
        cache.set(key, library or _NO_LIBRARY, timeout=None)
    except Exception:
        logger.warning("could not keep the site library in the cache", exc_info=True)
    return library


def site_library_load() -> SiteLibrary | None:
    """Read from the database, uncached."""
    from .models import Library

    libraries = Library.objects.select_related("main_branch", "logo").order_by("name")
    library = None
    if settings.KENNISCLOUD_LIBRARY:
        library = libraries.filter(slug=settings.KENNISCLOUD_LIBRARY).first()
        if library is None:
            logger.warning(
                "KENNISCLOUD_LIBRARY=%s names no library; showing the first",
                settings.KENNISCLOUD_LIBRARY,
            )
    if library is None:
        library = libraries.first()
    if library is None:
        return None
    branch = library.main_branch
    if branch is None:
        # No main branch chosen: the first branch still tells people where to go.
        branch = library.branches.order_by("name").first()
    return SiteLibrary(
        name=library.name,
        contact_email=library.contact_email,
        website=library.website,
        phone=library.phone,
        branch_name=branch.name if branch else "",
        street=branch.street if branch else "",
        postcode=branch.postcode if branch else "",
        city=branch.city if branch else "",
        opening_hours=tuple(
            line.strip() for line in library.opening_hours.splitlines() if line.strip()
        ),
        **_logo(library),
    )


def _logo(library) -> dict:
    if library.logo is None:
        return {}
    try:
        rendition = library.logo.get_rendition(LOGO_FILTER)
    except Exception:
        # A missing or broken file must not take every page down with it.
        logger.warning("could not render the logo of %s", library.slug, exc_info=True)
        return {}
    return {
        "logo_url": rendition.url,
        "logo_width": rendition.width,
        "logo_height": rendition.height,
    }


def site_library_changed(**kwargs) -> None:
    """A library, branch or image changed: read the library again on the next page. Forgotten
    now and again after the commit, so a page rendered meanwhile from the old rows is not kept."""
    _forget()
    transaction.on_commit(_forget)


def _forget() -> None:
    try:
        cache.delete(_cache_key())
    except Exception:
        logger.error("could not forget the cached site library", exc_info=True)


def connect() -> None:
    """Called from CommunitiesConfig.ready()."""
    from django.db.models.signals import post_delete, post_save
    from wagtail.images import get_image_model

    from .models import Branch, Library

    for model in (Library, Branch, get_image_model()):
        uid = f"site-library:{model._meta.label_lower}"
        post_save.connect(site_library_changed, sender=model, dispatch_uid=uid)
        post_delete.connect(site_library_changed, sender=model, dispatch_uid=uid)
