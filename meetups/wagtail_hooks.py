"""Organisers and librarians edit meetups and network-day programmes in the Wagtail admin.

Organisers (the Organisatoren group) run every meetup; a librarian those of their own libraries:
a meetup's library is its community's, or without a community its branch's
(`MeetupPermissionPolicy`, the same rule as `meetup_can_manage` on the site).
"""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
)
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from communities.models import Community
from communities.permissions import (
    LibraryScopedPermissionPolicy,
    LibraryScopedViewSetMixin,
    ScopedEditView,
)
from communities.selectors import library_scope_filter, user_library_ids

from . import services
from .forms import MeetupAdminForm, SessionAdminForm
from .models import Meetup
from .selectors import meetup_library_id, user_is_organiser


class MeetupPermissionPolicy(LibraryScopedPermissionPolicy):
    """Django's model permissions; the rows are every meetup for organisers, and for a
    librarian the meetups of their libraries. A meetup with neither community nor branch is
    for organisers and superusers only."""

    def __init__(self, model):
        super().__init__(model, library_lookup="community__library")

    def _has_scope(self, user) -> bool:
        return user_is_organiser(user) or bool(user_library_ids(user))

    def user_may_reach(self, user, instance) -> bool:
        return user_is_organiser(user) or super().user_may_reach(user, instance)

    def _own(self, user) -> Q:
        return library_scope_filter(user, "community__library") | (
            Q(community__isnull=True) & library_scope_filter(user, "branch__library")
        )

    def scope(self, user, queryset):
        return queryset if user_is_organiser(user) else queryset.filter(self._own(user))

    def chooser_scope(self, user, queryset):
        """In a chooser, also the meetups in the public agenda: published or cancelled, for
        everyone or in a community that is not private."""
        if user_is_organiser(user):
            return queryset
        public = Q(status__in=[Meetup.Status.PUBLISHED, Meetup.Status.CANCELLED]) & (
            Q(community__isnull=True) | ~Q(community__visibility=Community.Visibility.PRIVATE)
        )
        return queryset.filter(self._own(user) | public)

    def library_id_of(self, instance) -> int | None:
        return meetup_library_id(instance.community, instance.branch)


# Before the viewset is registered: Wagtail would otherwise create its default policy.
register_permission_policy(Meetup, MeetupPermissionPolicy(Meetup))


def _filter_communities(request):
    """The communities in the listing's filter: all for organisers, the viewer's libraries'
    for a librarian."""
    if request is None:
        return Community.objects.none()
    user = request.user
    if user_is_organiser(user):
        return Community.objects.order_by("title")
    return Community.objects.filter(library_scope_filter(user)).order_by("title")


class MeetupFilterSet(WagtailFilterSet):
    community = django_filters.ModelChoiceFilter(
        queryset=_filter_communities, label=_("gemeenschap")
    )

    class Meta:
        model = Meetup
        fields = ["kind", "status", "community", "themes"]


class SessionInlinePanel(InlinePanel):
    """The programme, with SessionAdminForm for each row (clear messages on bad times)."""

    def get_form_options(self):
        options = super().get_form_options()
        options["formsets"][self.relation_name]["form"] = SessionAdminForm
        return options


class MeetupEditView(ScopedEditView):
    """Edits in the admin follow the site's rules: the capacity is checked under the meetup
    lock, and a move or cancellation of a published meetup raises its calendar sequence and
    notifies everyone going or waiting; more places promote from the waitlist."""

    def save_instance(self):
        save = super().save_instance
        return services.meetup_admin_save(meetup=self.form.instance, save=save)

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as error:
            # Rolled back by meetup_admin_save's transaction: nothing was stored.
            form.add_error(None, error)
            return self.form_invalid(form)


class MeetupViewSet(LibraryScopedViewSetMixin, SnippetViewSet):
    model = Meetup
    icon = "date"
    menu_label = _("Bijeenkomsten")
    menu_order = 250
    add_to_admin_menu = True
    list_display = ["title", "kind", "starts_at", "community", "status"]
    filterset_class = MeetupFilterSet
    search_fields = ["title", "description"]
    search_backend_name = None
    ordering = ["-starts_at"]
    edit_view_class = MeetupEditView
    edit_handler = ObjectList(
        [
            FieldPanel("kind"),
            FieldPanel("title"),
            FieldPanel("description"),
            FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")], heading=_("Wanneer")),
            MultiFieldPanel(
                [
                    FieldPanel("branch"),
                    FieldPanel("address"),
                    FieldPanel("online_url"),
                    FieldPanel("is_hybrid"),
                    FieldPanel("accessibility_info"),
                ],
                heading=_("Waar"),
            ),
            FieldPanel("capacity"),
            FieldPanel("community"),
            FieldPanel("themes", widget=forms.CheckboxSelectMultiple),
            FieldPanel("organisers"),
            FieldPanel("status"),
            FieldPanel("cancellation_note"),
            FieldPanel("proposed_by", read_only=True),
            SessionInlinePanel("sessions", heading=_("Programma"), label=_("Programmaonderdeel")),
        ],
        base_form_class=MeetupAdminForm,
    )

    def get_queryset(self, request):
        return Meetup.objects.select_related("community", "branch")


register_snippet(MeetupViewSet)
