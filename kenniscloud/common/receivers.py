"""Invalidate the anonymous page cache whenever something a public page shows changes.

Signals rather than calls from the services, because the writers are many and should not know
that a page cache exists: members through the services of three apps, librarians through
Wagtail (pages, snippets such as theme dossiers, model viewsets for themes and communities),
organisers through the meetup admin, and the Django admin. The cache is the one place that
decides which writes matter, generously: any write to the project's own models counts, so a
model added tomorrow is covered without anyone remembering this module.

Writes that send no signal (`QuerySet.update()`, `bulk_create`) must call
`kenniscloud.common.cache.anonymous_pages_changed()` themselves, or use `save(update_fields=...)`.
"""

from __future__ import annotations

from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_save
from wagtail.models import Page
from wagtail.signals import (
    page_published,
    page_unpublished,
    post_page_move,
    published,
    unpublished,
)

from .cache import anonymous_pages_changed

# Every model of these apps can show on a public page (taggit: the tags on contributions;
# sources: the link previews and catalogue titles on a contribution's page, fetched later by a
# worker).
CONTENT_APPS = {"communities", "knowledge", "meetups", "taggit", "sources"}
# Models of other apps that public pages depend on.
# (attachments.attachment: the gallery and file list on a contribution's page.)
CONTENT_MODELS = {
    "wagtailcore.site",
    "wagtailcore.pageviewrestriction",
    "wagtailimages.image",
    "attachments.attachment",
}
# Models of the content apps that are private to their owner and never shown on a public page.
PRIVATE_MODELS = {"meetups.calendartoken"}
# A login stamps last_login on the user; no public page shows it.
_UNSHOWN_USER_FIELDS = {"last_login"}


def shows_on_public_pages(model) -> bool:
    label = model._meta.label_lower
    if label in PRIVATE_MODELS:
        return False
    return (
        model._meta.app_label in CONTENT_APPS or label in CONTENT_MODELS or issubclass(model, Page)
    )


def _on_save(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw:  # loaddata: the database is being filled, not edited
        return
    if update_fields and set(update_fields) <= _UNSHOWN_USER_FIELDS:
        return
    anonymous_pages_changed()


def _on_delete(sender, instance, **kwargs):
    anonymous_pages_changed()


def _on_m2m_changed(sender, instance, action, **kwargs):
    if action.startswith("post_"):
        anonymous_pages_changed()


def _on_publish(sender, **kwargs):
    """Pages and snippets (theme dossiers) published, unpublished or moved."""
    anonymous_pages_changed()


def connect() -> None:
    """Called from CommonConfig.ready(), once every model is known.

    Connected per model, not to every sender: a post_delete receiver on a model turns Django's
    fast bulk delete into a row-by-row one, which other tables (sessions, revisions) need not pay.
    """
    for model in apps.get_models(include_auto_created=True):
        if not shows_on_public_pages(model):
            continue
        uid = f"anonymous-page-cache:{model._meta.label_lower}"
        # Writes to a many-to-many table (tags too) arrive as m2m_changed, sent by the table.
        m2m_changed.connect(_on_m2m_changed, sender=model, dispatch_uid=uid)
        if model._meta.auto_created:
            continue
        post_save.connect(_on_save, sender=model, dispatch_uid=uid)
        post_delete.connect(_on_delete, sender=model, dispatch_uid=uid)
    for signal in (page_published, page_unpublished, post_page_move, published, unpublished):
        signal.connect(_on_publish, dispatch_uid="anonymous-page-cache")
