"""The Wagtail admin for librarians: themes, communities, memberships and the library itself.

Communities, memberships, libraries and branches are scoped per library: a librarian sees and
edits those of their own libraries only (see communities.permissions). Themes are shared by all
libraries and curated by every librarian.
"""

import django_filters
from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Prefetch, Q
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.log_actions import log
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from kenniscloud.common.admin_columns import LinkColumn, YesNoColumn

from . import services
from .models import Branch, Community, Library, Membership, Region, Theme, User
from .permissions import (
    LibraryScopedViewSetMixin,
    ScopedCopyView,
    ScopedCreateView,
    ScopedDeleteView,
    ScopedEditView,
    choosable_by_everyone,
    register_library_scope,
)
from .selectors import LIBRARIAN_GROUP, community_list_managed_by, community_visibility_filter

# Before any viewset is registered: Wagtail would otherwise create its default policy.
# Choosers (blocks, meetups) offer every library and branch, and the communities the viewer
# may see on the site: never a private one of another library they are not a member of.
register_library_scope(Library, "pk", choosable=choosable_by_everyone)
register_library_scope(Branch, "library", choosable=choosable_by_everyone)
register_library_scope(Community, "library", choosable=community_visibility_filter)
register_library_scope(Membership, "community__library")

# Contribution.Status.PUBLISHED; communities does not import knowledge.
PUBLISHED = "published"


class ThemeForm(WagtailAdminModelForm):
    """Fills in the web address from the title when the librarian leaves it empty."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "slug" in self.fields:
            self.fields["slug"].required = False
            self.fields["slug"].help_text = _(
                "Leeg laten: we maken het adres uit de titel. Alleen kleine letters, cijfers en "
                "streepjes. Verander dit liever niet meer als het thema al gedeeld is."
            )

    def clean_slug(self):
        slug = self.cleaned_data.get("slug") or slugify(self.data.get("title", ""))
        if not slug:
            raise forms.ValidationError(_("Geef het thema een titel of een webadres."))
        return slug


class CommunitiesColumn(Column):
    """The titles of a theme's communities, from the prefetched relation."""

    def get_value(self, instance):
        return ", ".join(c.title for c in instance.communities.all()) or "—"


def _dossier_link(theme: Theme) -> tuple[str, str]:
    """The theme's dossier in the admin, or the way to start one. By relation and URL names
    only: communities does not import knowledge, where ThemeDossier lives."""
    dossier = getattr(theme, "dossier", None)
    if dossier is None:
        return str(_("Dossier aanmaken")), reverse("wagtailsnippets_knowledge_themedossier:add")
    label = _("Dossier bewerken") if dossier.live else _("Dossier bewerken (concept)")
    return str(label), reverse("wagtailsnippets_knowledge_themedossier:edit", args=[dossier.pk])


class ThemeViewSet(SnippetViewSet):
    model = Theme
    icon = "tag"
    menu_label = _("Thema's")
    list_display = [
        "title",
        CommunitiesColumn("communities", label=_("Gemeenschappen")),
        Column(
            "contribution_count",
            label=_("Gepubliceerde bijdragen"),
            sort_key="contribution_count",
        ),
        LinkColumn("dossier", label=_("Dossier"), link=_dossier_link),
        YesNoColumn("featured", label=_("Uitgelicht"), sort_key="featured"),
        Column("sort_order", label=_("Volgorde"), sort_key="sort_order"),
    ]
    list_filter = ["featured"]
    search_fields = ["title", "intro"]
    search_backend_name = None  # Plain ORM search: these models are not in a search index.
    ordering = ["sort_order", "title"]
    edit_handler = ObjectList(
        [
            FieldPanel("title"),
            FieldPanel("slug"),
            FieldPanel("intro"),
            MultiFieldPanel(
                [FieldPanel("image"), FieldPanel("image_alt")],
                heading=_("Afbeelding"),
                help_text=_(
                    "Een afbeelding maakt het thema herkenbaar op de startpagina en in lijsten."
                ),
            ),
            MultiFieldPanel(
                [FieldPanel("featured"), FieldPanel("sort_order")],
                heading=_("Plaats op de site"),
            ),
        ],
        base_form_class=ThemeForm,
    )

    def get_queryset(self, request):
        return (
            Theme.objects.select_related("image", "dossier")
            .prefetch_related(
                Prefetch("communities", queryset=Community.objects.order_by("title").only("title"))
            )
            .annotate(
                contribution_count=Count(
                    "contributions",
                    filter=Q(contributions__status=PUBLISHED),
                    distinct=True,
                )
            )
        )


class CommunityForm(WagtailAdminModelForm):
    """Only a main community can be a parent (subcommunities go one level deep); `clean()` and
    services.community_tree_lock hold the rules, this keeps the choice short."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "parent" in self.fields:
            parents = Community.objects.filter(parent__isnull=True).order_by("title")
            if self.instance.pk is not None:
                parents = parents.exclude(pk=self.instance.pk)
            self.fields["parent"].queryset = parents
            self.fields["parent"].help_text = _(
                "Een subgemeenschap: wie lid wordt, wordt ook lid van de hoofdgemeenschap, en "
                "de beheerders daarvan beheren haar mee. Zelfde bibliotheek; besloten als de "
                "hoofdgemeenschap besloten is."
            )


class _CommunityTreeLockMixin:
    """Saves under the tree's row locks; a rule broken meanwhile shows at its field."""

    def save_instance(self):
        services.community_tree_lock(community=self.form.instance)
        return super().save_instance()

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)


class CommunityCreateView(_CommunityTreeLockMixin, ScopedCreateView):
    pass


class CommunityCopyView(_CommunityTreeLockMixin, ScopedCopyView):
    pass


class CommunityEditView(_CommunityTreeLockMixin, ScopedEditView):
    pass


class CommunityViewSet(LibraryScopedViewSetMixin, SnippetViewSet):
    model = Community
    icon = "group"
    menu_label = _("Gemeenschappen")
    add_view_class = CommunityCreateView
    copy_view_class = CommunityCopyView
    edit_view_class = CommunityEditView
    list_display = ["title", "parent", "visibility", "library", "region", "created_at"]
    list_filter = ["visibility", "premoderation", "library", "region", "themes"]
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
                FieldPanel("library", widget=forms.Select),
                FieldPanel("region"),
                FieldPanel("parent", widget=forms.Select),
                # Pre-moderation (issue 11); hosts choose it on the site too.
                FieldPanel("premoderation", widget=forms.RadioSelect),
            ],
            heading=_("Plaats en toegang"),
        ),
        FieldPanel("themes", widget=forms.CheckboxSelectMultiple),
    ]
    edit_handler = ObjectList(panels, base_form_class=CommunityForm)

    def get_queryset(self, request):
        return Community.objects.select_related("library", "region", "parent")


def _managed_communities(request):
    if request is None:
        return Community.objects.none()
    return community_list_managed_by(request.user)


class MembershipFilterSet(WagtailFilterSet):
    # Only the viewer's own communities in the filter, like in the listing itself.
    community = django_filters.ModelChoiceFilter(
        queryset=_managed_communities, label=_("gemeenschap")
    )

    class Meta:
        model = Membership
        fields = ["role", "state", "community"]


class MembershipForm(WagtailAdminModelForm):
    """Who and where are chosen once: a new membership is active from now (requests come from
    members on the site), and an existing one keeps its member and community."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            self.fields.pop("state", None)
        else:
            for name in ("user", "community"):
                if name in self.fields:
                    self.fields[name].disabled = True


class ServiceErrorsAtTheFieldsMixin:
    """A service refused the change: its messages at their fields, nothing stored."""

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except ValidationError as error:
            form.add_error(None, error)
            self.produced_error_code = "validation_error"
            self.produced_error_message = self.get_error_message()
            return self.form_invalid(form)


class MembershipCreateView(ServiceErrorsAtTheFieldsMixin, ScopedCreateView):
    """Through membership_add and membership_set_role, like adding someone on the site."""

    def save_instance(self):
        data = self.form.cleaned_data
        membership = services.membership_admin_add(
            by=self.request.user, community=data["community"], user=data["user"], role=data["role"]
        )
        log(membership, "wagtail.create", user=self.request.user)
        return membership


class MembershipEditView(ServiceErrorsAtTheFieldsMixin, ScopedEditView):
    """Approving a request here mails the member and sets "lid sinds" (membership_approve); a
    new role goes through membership_set_role."""

    def save_instance(self):
        instance = self.form.instance
        membership = services.membership_admin_update(
            by=self.request.user,
            community=instance.community,
            membership_id=instance.pk,
            state=self.form.cleaned_data["state"],
            role=self.form.cleaned_data["role"],
        )
        log(membership, "wagtail.edit", user=self.request.user)
        return membership


class MembershipDeleteView(ScopedDeleteView):
    """Through membership_remove: never the last host, and what hangs on the membership (RSVPs
    for a private community's meetups) ends with it."""

    def delete_action(self):
        services.membership_remove(
            by=self.request.user, community=self.object.community, membership_id=self.object.pk
        )
        log(self.object, "wagtail.delete", user=self.request.user)

    def form_valid(self, form):
        try:
            with transaction.atomic():
                return super().form_valid(form)
        except ValidationError as error:
            messages.error(self.request, " ".join(error.messages))
            return redirect(self.get_success_url())


@hooks.register("before_bulk_action")
def remove_memberships_through_the_service(request, action_type, objects, action_class_instance):
    """Bulk delete of memberships: each one through membership_remove, like the delete view."""
    if action_type != "delete" or getattr(action_class_instance, "model", None) is not Membership:
        return None
    removed = 0
    for membership in objects:
        try:
            with transaction.atomic():
                services.membership_remove(
                    by=request.user, community=membership.community, membership_id=membership.pk
                )
        except ValidationError as error:
            messages.error(request, f"{membership}: {' '.join(error.messages)}")
        else:
            removed += 1
    if removed:
        messages.success(
            request,
            ngettext(
                "%(count)d lidmaatschap verwijderd.",
                "%(count)d lidmaatschappen verwijderd.",
                removed,
            )
            % {"count": removed},
        )
    return redirect(action_class_instance.next_url)


class MembershipViewSet(LibraryScopedViewSetMixin, SnippetViewSet):
    model = Membership
    icon = "user"
    menu_label = _("Lidmaatschappen")
    list_display = ["user", "community", "role", "state", "created_at"]
    filterset_class = MembershipFilterSet
    search_fields = ["user__display_name", "user__email", "community__title"]
    search_backend_name = None
    copy_view_enabled = False
    add_view_class = MembershipCreateView
    edit_view_class = MembershipEditView
    delete_view_class = MembershipDeleteView
    edit_handler = ObjectList(
        [
            FieldPanel("user"),
            FieldPanel("community", widget=forms.Select),
            FieldPanel("role"),
            FieldPanel("state"),
            # "Lid sinds": set by the services when someone becomes a member.
            FieldPanel("activated_at", read_only=True),
        ],
        base_form_class=MembershipForm,
    )

    def get_queryset(self, request):
        return Membership.objects.select_related("user", "community")


class CommunityGroup(SnippetViewSetGroup):
    menu_label = _("Gemeenschappen")
    menu_icon = "group"
    menu_order = 200
    items = (CommunityViewSet, MembershipViewSet, ThemeViewSet)


class LibraryForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "librarians" in self.fields:
            # Only people with the librarian role can be a library's librarian.
            self.fields["librarians"].queryset = User.objects.filter(
                groups__name=LIBRARIAN_GROUP, is_active=True
            ).order_by("display_name")
        if "main_branch" in self.fields:
            # A library's address is one of its own branches (Library.clean says so too).
            self.fields["main_branch"].queryset = Branch.objects.filter(
                library=self.instance.pk
            ).order_by("name")


class LibrarianCountColumn(Column):
    def get_value(self, instance):
        return len(instance.librarians.all())


class LibraryViewSet(LibraryScopedViewSetMixin, SnippetViewSet):
    model = Library
    icon = "site"
    menu_label = _("Bibliotheken")
    list_display = [
        "name",
        "contact_email",
        LibrarianCountColumn("librarians", label=_("Bibliothecarissen")),
    ]
    search_fields = ["name"]
    search_backend_name = None
    copy_view_enabled = False
    edit_handler = ObjectList(
        [
            FieldPanel("name"),
            FieldPanel("slug"),
            FieldPanel("logo"),
            MultiFieldPanel(
                [
                    FieldPanel("contact_email"),
                    FieldPanel("phone"),
                    FieldPanel("website"),
                    FieldPanel("main_branch", widget=forms.Select),
                    FieldPanel("opening_hours"),
                ],
                heading=_("Contact en adres"),
                help_text=_(
                    "Staat in de voettekst van elke pagina en op de pagina over de bibliotheek."
                ),
            ),
            FieldPanel("brand_colour"),
            # Only a superuser decides who is a librarian of which library.
            FieldPanel(
                "librarians",
                widget=forms.CheckboxSelectMultiple,
                permission="communities.assign_librarians",
            ),
        ],
        base_form_class=LibraryForm,
    )

    def get_queryset(self, request):
        return Library.objects.prefetch_related("librarians")


class BranchViewSet(LibraryScopedViewSetMixin, SnippetViewSet):
    model = Branch
    icon = "home"
    menu_label = _("Vestigingen")
    list_display = ["name", "library", "city", "region"]
    list_filter = ["library", "region"]
    search_fields = ["name", "city"]
    search_backend_name = None
    panels = [
        FieldPanel("library", widget=forms.Select),
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
    submenu_hook = "register_library_menu_item"  # other apps' items join here (plainlanguage)


register_snippet(CommunityGroup)
register_snippet(LibraryGroup)
