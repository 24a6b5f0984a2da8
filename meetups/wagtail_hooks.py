"""Organisers and librarians edit meetups and network-day programmes in the Wagtail admin."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Meetup


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
    panels = [
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
        InlinePanel("sessions", heading=_("Programma"), label=_("Programmaonderdeel")),
    ]

    def get_queryset(self, request):
        return Meetup.objects.select_related("community")


register_snippet(MeetupViewSet)
