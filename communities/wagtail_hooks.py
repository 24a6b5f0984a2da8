"""The Wagtail admin for librarians: themes, communities, memberships and the library itself."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Branch, Community, Library, Membership, Region, Theme


class ThemeViewSet(SnippetViewSet):
    model = Theme
    icon = "tag"
    menu_label = _("Thema's")
    list_display = ["title", "sort_order", "featured"]
    list_filter = ["featured"]
    search_fields = ["title"]
    search_backend_name = None  # Plain ORM search: these models are not in a search index.
    panels = [
        FieldPanel("title"),
        FieldPanel("slug"),
        FieldPanel("intro"),
        FieldPanel("image"),
        FieldPanel("sort_order"),
        FieldPanel("featured"),
    ]


class CommunityViewSet(SnippetViewSet):
    model = Community
    icon = "group"
    menu_label = _("Gemeenschappen")
    list_display = ["title", "visibility", "library", "region", "created_at"]
    list_filter = ["visibility", "library", "region", "themes"]
    search_fields = ["title", "description"]
    search_backend_name = None
    panels = [
        FieldPanel("title"),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldPanel("welcome_message"),
        MultiFieldPanel(
            [
                FieldPanel("visibility"),
                FieldPanel("library"),
                FieldPanel("region"),
                FieldPanel("parent"),
            ],
            heading=_("Plaats en toegang"),
        ),
        FieldPanel("themes", widget=forms.CheckboxSelectMultiple),
    ]

    def get_queryset(self, request):
        return Community.objects.select_related("library", "region")


class MembershipViewSet(SnippetViewSet):
    model = Membership
    icon = "user"
    menu_label = _("Lidmaatschappen")
    list_display = ["user", "community", "role", "state", "created_at"]
    list_filter = ["role", "state", "community"]
    search_fields = ["user__display_name", "user__email", "community__title"]
    search_backend_name = None
    copy_view_enabled = False
    panels = [
        FieldPanel("user"),
        FieldPanel("community"),
        FieldPanel("role"),
        FieldPanel("state"),
        FieldPanel("activated_at"),
    ]

    def get_queryset(self, request):
        return Membership.objects.select_related("user", "community")


class CommunityGroup(SnippetViewSetGroup):
    menu_label = _("Gemeenschappen")
    menu_icon = "group"
    menu_order = 200
    items = (CommunityViewSet, MembershipViewSet, ThemeViewSet)


class LibraryViewSet(SnippetViewSet):
    model = Library
    icon = "site"
    menu_label = _("Bibliotheken")
    list_display = ["name", "contact_email", "website"]
    search_fields = ["name"]
    search_backend_name = None
    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("contact_email"),
        FieldPanel("website"),
        FieldPanel("brand_colour"),
    ]


class BranchViewSet(SnippetViewSet):
    model = Branch
    icon = "home"
    menu_label = _("Vestigingen")
    list_display = ["name", "library", "city", "region"]
    list_filter = ["library", "region"]
    search_fields = ["name", "city"]
    search_backend_name = None
    panels = [
        FieldPanel("library"),
        FieldPanel("name"),
        FieldPanel("slug"),
        MultiFieldPanel(
            [FieldPanel("street"), FieldPanel("postcode"), FieldPanel("city")],
            heading=_("Adres"),
        ),
        FieldPanel("region"),
        FieldPanel("accessibility_notes"),
    ]

    def get_queryset(self, request):
        return Branch.objects.select_related("library", "region")


class RegionViewSet(SnippetViewSet):
    model = Region
    icon = "globe"
    menu_label = _("Regio's")
    list_display = ["name", "slug"]
    search_fields = ["name"]
    search_backend_name = None
    panels = [FieldPanel("name"), FieldPanel("slug")]


class LibraryGroup(SnippetViewSetGroup):
    menu_label = _("Bibliotheek")
    menu_icon = "site"
    menu_order = 300
    items = (LibraryViewSet, BranchViewSet, RegionViewSet)


register_snippet(CommunityGroup)
register_snippet(LibraryGroup)
