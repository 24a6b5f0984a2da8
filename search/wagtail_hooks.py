"""Zoeken > Niet gevonden in the Wagtail admin: what residents searched for and did not find.

Read-only for everyone, superusers included: the rows are counted by the site
(search.services.search_miss_record), never typed in. Librarians may view them and dismiss one
that has been answered ("gevonden": delete); asked again, it comes back counting from one.
"""

import django_filters
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.views.generic import DeleteView
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from .models import SearchMiss

READ_ONLY = {"add", "change"}


class SearchMissPermissionPolicy(ModelPermissionPolicy):
    """Django's model permissions, minus adding and changing, for every user."""

    def user_has_permission(self, user, action):
        return action not in READ_ONLY and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission([a for a in actions if a not in READ_ONLY])


# Before the viewset registers: Wagtail would otherwise create its default policy.
register_permission_policy(SearchMiss, SearchMissPermissionPolicy(SearchMiss), exact_class=True)


class SearchMissFilterSet(WagtailFilterSet):
    last_seen = django_filters.DateFromToRangeFilter(
        label=_("Laatst gezocht"), widget=DateRangePickerWidget
    )

    class Meta:
        model = SearchMiss
        fields = ["last_seen"]


class SearchMissDeleteView(DeleteView):
    def delete_action(self):
        # No entry in Wagtail's log: its label would keep the query beyond the year of retention.
        self.action_class(self.object, user=self.request.user, log_action=None).execute(
            skip_permission_checks=True
        )


class SearchMissViewSet(ModelViewSet):
    model = SearchMiss
    icon = "search"
    menu_label = _("Niet gevonden")
    name = "niet_gevonden"
    url_prefix = "zoeken/niet-gevonden"
    list_display = [
        Column("query", label=_("Zoekopdracht"), sort_key="query"),
        Column("count", label=_("Aantal keer"), sort_key="count"),
        DateColumn("first_seen", label=_("Eerst gezocht"), sort_key="first_seen"),
        DateColumn("last_seen", label=_("Laatst gezocht"), sort_key="last_seen"),
    ]
    filterset_class = SearchMissFilterSet
    search_fields = ["query"]
    search_backend_name = None  # Plain ORM search: the rows are not in Wagtail's index.
    list_per_page = 50
    delete_view_class = SearchMissDeleteView
    form_fields = ["query"]  # Wagtail wants a form; the policy lets nobody open it.
    copy_view_enabled = False
    inspect_view_enabled = False


class SearchViewSetGroup(ViewSetGroup):
    menu_label = _("Zoeken")
    menu_icon = "search"
    menu_order = 260
    items = (SearchMissViewSet,)


@hooks.register("register_admin_viewset")
def register_search_viewsets():
    return SearchViewSetGroup()
