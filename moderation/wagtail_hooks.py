"""Moderatie in the Wagtail admin, for librarians (their libraries) and superusers (all):

- Te beoordelen: the open cases and the decisions on them (`admin_views`);
- Moderatielog: every moderation act, read-only, filterable, exportable as CSV. No row names a
  reporter (`moderation.log.record` never stores one), so neither does the export.

Hosts and moderators use the queue on the site (/moderatie/).
"""

from __future__ import annotations

from collections import OrderedDict

import django_filters
from django.urls import path
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.coreutils import multigetattr
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from communities.models import Community, Library
from communities.selectors import (
    library_scope_filter,
    user_library_ids,
    user_manages_all_communities,
)

from . import admin_views
from .models import ModerationAction
from .queue import log_scope_filter


def _is_moderating_librarian(user) -> bool:
    return admin_views.user_can_use_admin_queue(user)


class ModerationLogPermissionPolicy(ModelPermissionPolicy):
    """Append-only: librarians with a library and superusers may view their rows; nobody adds,
    changes or deletes one here (the services write them, through `record`)."""

    def user_has_permission(self, user, action):
        return action == "view" and _is_moderating_librarian(user)

    def user_has_permission_for_instance(self, user, action, instance):
        return self.user_has_permission(user, action) and (
            user_manages_all_communities(user) or instance.library_id in user_library_ids(user)
        )

    def instances_user_has_any_permission_for(self, user, actions):
        if "view" not in actions or not _is_moderating_librarian(user):
            return ModerationAction.objects.none()
        return ModerationAction.objects.filter(log_scope_filter(user))

    def users_with_any_permission(self, actions):
        from communities.models import User

        if "view" not in actions:
            return User.objects.none()
        return User.objects.filter(is_active=True).filter(
            pk__in=Library.librarians.through.objects.values("user_id")
        ) | User.objects.filter(is_active=True, is_superuser=True)


register_permission_policy(
    ModerationAction, ModerationLogPermissionPolicy(ModerationAction), exact_class=True
)


class ModerationLogFilterSet(WagtailFilterSet):
    action = django_filters.ChoiceFilter(
        label=_("Actie"), choices=ModerationAction.Action.choices, empty_label=_("Alle acties")
    )
    library = django_filters.ModelChoiceFilter(
        label=_("Bibliotheek"), queryset=Library.objects.none(), empty_label=_("Alle")
    )
    community = django_filters.ModelChoiceFilter(
        label=_("Gemeenschap"), queryset=Community.objects.none(), empty_label=_("Alle")
    )
    created_at = django_filters.DateFromToRangeFilter(
        label=_("Wanneer"), widget=DateRangePickerWidget
    )

    class Meta:
        model = ModerationAction
        fields = ["action", "library", "community", "created_at"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = request.user if request is not None else None
        if user is not None:
            # Only the viewer's own libraries and their communities to choose from.
            self.filters["library"].queryset = Library.objects.filter(
                library_scope_filter(user, "pk")
            )
            self.filters["community"].queryset = Community.objects.filter(
                library_scope_filter(user)
            ).order_by("title")


def _actor_label(row: ModerationAction) -> str:
    if row.actor_id is None:
        # No person: the rules (auto-hide), or a moderator whose account is gone.
        return str(_("Automatisch")) if row.action == ModerationAction.Action.AUTO_HIDE else ""
    return str(row.actor)


def _kind_label(row: ModerationAction) -> str:
    return str(row.content_type.name) if row.content_type_id else ""


class _ActorColumn(Column):
    def get_value(self, instance):
        return _actor_label(instance)


class ModerationLogIndexView(IndexView):
    def to_row_dict(self, item):
        computed = {"actor": _actor_label(item), "object_kind": _kind_label(item)}
        return OrderedDict(
            (name, computed[name] if name in computed else multigetattr(item, name))
            for name in self.list_export
        )

    def get_base_queryset(self):
        return (
            super()
            .get_base_queryset()
            .filter(log_scope_filter(self.request.user))
            .select_related("actor", "member", "community", "library", "content_type")
        )


class ModerationLogViewSet(ModelViewSet):
    model = ModerationAction
    icon = "list-ul"
    menu_label = _("Moderatielog")
    name = "moderatielog"
    url_prefix = "moderatie/log"
    index_view_class = ModerationLogIndexView
    list_display = [
        DateColumn("created_at", label=_("Wanneer"), sort_key="created_at"),
        Column("get_action_display", label=_("Actie"), sort_key="action"),
        Column("object_repr", label=_("Onderwerp")),
        _ActorColumn("actor", label=_("Door")),
        Column("member", label=_("Betreft lid")),
        Column("community", label=_("Gemeenschap")),
        Column("library", label=_("Bibliotheek")),
        Column("reason", label=_("Reden")),
    ]
    filterset_class = ModerationLogFilterSet
    search_fields = ["object_repr", "reason"]
    search_backend_name = None  # Plain ORM search: the log is not in Wagtail's index.
    list_per_page = 50
    ordering = ["-created_at", "-pk"]
    # The export: what, when, by whom, about whom, why. Never a reporter.
    list_export = [
        "created_at",
        "get_action_display",
        "object_kind",
        "object_repr",
        "object_id",
        "actor",
        "member",
        "community",
        "library",
        "reason",
    ]
    export_headings = {
        "created_at": _("Wanneer"),
        "get_action_display": _("Actie"),
        "object_kind": _("Soort"),
        "object_repr": _("Onderwerp"),
        "object_id": _("Nummer"),
        "actor": _("Door"),
        "member": _("Betreft lid"),
        "community": _("Gemeenschap"),
        "library": _("Bibliotheek"),
        "reason": _("Reden"),
    }
    export_filename = "moderatielog"
    form_fields = ["reason"]  # Wagtail wants a form; the policy lets nobody open it.
    copy_view_enabled = False
    inspect_view_enabled = False


class _QueueMenuItem(MenuItem):
    def is_shown(self, request):
        return _is_moderating_librarian(request.user)


class ModerationQueueViewSet(ViewSet):
    name = "moderatie"
    url_prefix = "moderatie/te-beoordelen"
    icon = "warning"
    menu_label = _("Te beoordelen")
    menu_item_class = _QueueMenuItem

    def get_urlpatterns(self):
        return [
            path("", admin_views.AdminQueueView.as_view(), name="index"),
            path("samen/", admin_views.admin_queue_bulk, name="bulk"),
            path("<int:pk>/besluit/", admin_views.admin_case_decide, name="decide"),
        ]


class ModerationViewSetGroup(ViewSetGroup):
    menu_label = _("Moderatie")
    menu_icon = "warning"
    menu_order = 255
    items = (ModerationQueueViewSet, ModerationLogViewSet)


@hooks.register("register_admin_viewset")
def register_moderation_viewsets():
    return ModerationViewSetGroup()
