"""Keep the search index in step with the content, inside the writer's transaction.

Signals, because the writers are many (the services of three apps, Wagtail's admin for pages,
dossiers, themes and communities, the Django admin) and none of them should know that a search
index exists; `communities`, `knowledge` and `meetups` never import this app. Writes that send
no signal (`QuerySet.update()`, `bulk_create`) are caught up by `manage.py search_rebuild`.
"""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save
from taggit.models import TaggedItem
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import (
    page_published,
    page_unpublished,
    post_page_move,
    published,
    unpublished,
)

from communities.models import Community, Region, Theme, User
from knowledge.models import ArticlePage, Comment, ContentPage, Contribution, ThemeDossier
from meetups.models import Meetup

from . import services, tasks

INDEXED = (Contribution, Community, Meetup, Theme, ThemeDossier, ArticlePage, ContentPage, User)
# What a member's row is made of (search.services._member). A save of other fields only, such
# as `last_login` at every log-in, leaves the row as it is.
MEMBER_FIELDS = {
    "display_name",
    "handle",
    "region",
    "region_id",
    "findable",
    "is_active",
    "date_joined",
    "profile_hidden",
}


def _on_save(sender, instance, raw=False, **kwargs) -> None:
    if raw:  # loaddata: `search_rebuild` indexes afterwards
        return
    update_fields = kwargs.get("update_fields")
    if sender is User and (
        (update_fields is not None and not MEMBER_FIELDS & set(update_fields))
        or (kwargs.get("created") and not instance.findable)  # nothing to index or remove
    ):
        return
    services.search_index(instance)
    if sender is Community:
        services.search_index_region_of(instance)
    elif sender is Theme:
        if hasattr(instance, "dossier"):
            services.search_index(instance.dossier)
        if not kwargs.get("created"):
            # Maybe renamed: many rows carry the name, so after the commit, in the worker.
            tasks.search_reindex_theme.delay_on_commit(instance.pk)


def _on_region_save(sender, instance, raw=False, created=False, **kwargs) -> None:
    if not (raw or created):
        services.search_index_members_of(instance)


def _on_delete(sender, instance, **kwargs) -> None:
    services.search_unindex(instance)


def _on_comment_change(sender, instance, raw=False, **kwargs) -> None:
    """A comment's text belongs to its contribution's row."""
    if raw:
        return
    contribution = Contribution.objects.filter(pk=instance.contribution_id).first()
    if contribution is not None:
        services.search_index(contribution)


def _on_themes_changed(sender, instance, action, reverse, **kwargs) -> None:
    if action not in ("post_add", "post_remove", "post_clear") or reverse:
        return
    if services.is_searchable(instance):
        services.search_index(instance)


def _on_tags_changed(sender, instance, action, **kwargs) -> None:
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    # A contribution's tags, or the expertise of a member in search (opting out removed the row).
    if isinstance(instance, Contribution) or (isinstance(instance, User) and instance.findable):
        services.search_index(instance)


def _on_publish_change(sender, instance, **kwargs) -> None:
    instance = getattr(instance, "specific", instance)
    if services.is_searchable(instance):
        services.search_index(instance)


def _reindex_subtree(page: Page) -> None:
    """A page and everything under it: a move or a view restriction changes the URL or who
    may find every page below, and Wagtail saves none of them."""
    for descendant in page.get_descendants(inclusive=True).specific():
        if services.is_searchable(descendant):
            services.search_index(descendant)


def _on_page_move(sender, instance, **kwargs) -> None:
    _reindex_subtree(instance)


def _on_restriction_change(sender, instance, raw=False, **kwargs) -> None:
    """A password, login or group restriction on a page hides it and its subtree from search;
    removing it brings them back."""
    if raw:
        return
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is not None:  # gone when the page itself was deleted
        _reindex_subtree(page)


def on_post_migrate(sender, using="default", **kwargs) -> None:
    """A fresh `migrate` (or the first with this app) fills an empty index: content made by
    data migrations sends no signals. Later runs leave the index alone (`search_rebuild`)."""
    from django.db import connections

    from .models import SearchEntry

    if SearchEntry._meta.db_table not in connections[using].introspection.table_names():
        return  # migrated only part of the way, or back
    if not SearchEntry.objects.using(using).exists():
        services.search_rebuild()


def connect() -> None:
    for model in INDEXED:
        uid = f"search.{model._meta.label_lower}"
        post_save.connect(_on_save, sender=model, dispatch_uid=f"{uid}.save")
        post_delete.connect(_on_delete, sender=model, dispatch_uid=f"{uid}.delete")
    post_save.connect(_on_comment_change, sender=Comment, dispatch_uid="search.comment.save")
    post_delete.connect(_on_comment_change, sender=Comment, dispatch_uid="search.comment.delete")
    for model in (Contribution, Community, Meetup):
        m2m_changed.connect(
            _on_themes_changed,
            sender=model.themes.through,
            dispatch_uid=f"search.{model._meta.label_lower}.themes",
        )
    m2m_changed.connect(_on_tags_changed, sender=TaggedItem, dispatch_uid="search.tags")
    post_save.connect(_on_region_save, sender=Region, dispatch_uid="search.region.save")
    # Pages: publishing saves the page too, but unpublishing a page (or its parent) may not;
    # the Wagtail signals catch both. `published`/`unpublished` are the snippets' (dossiers).
    page_published.connect(_on_publish_change, dispatch_uid="search.page_published")
    page_unpublished.connect(_on_publish_change, dispatch_uid="search.page_unpublished")
    post_page_move.connect(_on_page_move, dispatch_uid="search.page_moved")
    post_save.connect(
        _on_restriction_change, sender=PageViewRestriction, dispatch_uid="search.restriction.save"
    )
    post_delete.connect(
        _on_restriction_change,
        sender=PageViewRestriction,
        dispatch_uid="search.restriction.delete",
    )
    published.connect(_on_publish_change, dispatch_uid="search.published")
    unpublished.connect(_on_publish_change, dispatch_uid="search.unpublished")
