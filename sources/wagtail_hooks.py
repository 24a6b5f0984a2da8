"""Bibliotheek > Linkvoorbeelden in the Wagtail admin: the pages contributions link to, with
what was fetched of them and, when that failed, why (state, last error, next attempt).

Read-only for everyone, superusers included: previews are written by the worker alone
(sources.services), and an edit would be overwritten at the next refresh. Django's view
permission decides who sees the list. The item joins the Bibliotheek group through its submenu
hook (communities/wagtail_hooks.py), so communities needs to know nothing of this app.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from .models import Source

LIBRARY_MENU_HOOK = "register_library_menu_item"
READ_ONLY = {"add", "change", "delete"}


class SourcePermissionPolicy(ModelPermissionPolicy):
    """Django's view permission only: nobody adds, changes or deletes a preview here."""

    def user_has_permission(self, user, action):
        return action not in READ_ONLY and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission([a for a in actions if a not in READ_ONLY])


# Before the viewset registers: Wagtail would otherwise create its default policy.
register_permission_policy(Source, SourcePermissionPolicy(Source), exact_class=True)


class SourceViewSet(ModelViewSet):
    model = Source
    icon = "link"
    menu_label = _("Linkvoorbeelden")
    menu_order = 60
    add_to_admin_menu = True
    menu_hook = LIBRARY_MENU_HOOK
    name = "linkvoorbeelden"
    url_prefix = "bibliotheek/linkvoorbeelden"
    list_display = [
        Column("url", label=_("adres"), sort_key="url"),
        Column("title", label=_("titel"), sort_key="title"),
        Column("get_state_display", label=_("toestand"), sort_key="state"),
        DateColumn("fetched_at", label=_("opgehaald op"), sort_key="fetched_at"),
        Column("last_error", label=_("laatste fout")),
    ]
    list_filter = ["state"]
    search_fields = ["url", "title", "site_name"]
    search_backend_name = None  # Plain ORM search: the rows are not in Wagtail's index.
    list_per_page = 50
    form_fields = ["title"]  # Wagtail wants a form; the policy lets nobody open it.
    copy_view_enabled = False
    inspect_view_enabled = True
    inspect_view_fields = [
        "url",
        "state",
        "title",
        "description",
        "site_name",
        "embed_url",
        "fetched_at",
        "failure_count",
        "last_error",
        "next_attempt_at",
        "created_at",
    ]


@hooks.register("register_admin_viewset")
def register_source_viewset():
    return SourceViewSet()
