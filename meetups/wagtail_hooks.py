"""Organisers and librarians edit meetups and network-day programmes in the Wagtail admin."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
)
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import EditView, SnippetViewSet

from . import services
from .forms import MeetupAdminForm, SessionAdminForm
from .models import Meetup


class SessionInlinePanel(InlinePanel):
    """The programme, with SessionAdminForm for each row (clear messages on bad times)."""

    def get_form_options(self):
        options = super().get_form_options()
        options["formsets"][self.relation_name]["form"] = SessionAdminForm
        return options


class MeetupEditView(EditView):
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


class MeetupViewSet(SnippetViewSet):
    model = Meetup
    icon = "date"
    menu_label = _("Bijeenkomsten")
    menu_order = 250
    add_to_admin_menu = True
    list_display = ["title", "kind", "starts_at", "community", "status"]
    list_filter = ["kind", "status", "community", "themes"]
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
        return Meetup.objects.select_related("community")


register_snippet(MeetupViewSet)
