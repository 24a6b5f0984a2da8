"""The Wagtail admin for librarians: contributions and comments, theme dossiers, and the
rule that a second librarian approves what goes live."""

import django_filters
from django import forms
from django.contrib import messages
from django.db.models import Q
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, ObjectList
from wagtail.admin.ui.tables import Column, LiveStatusTagColumn
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from communities.models import Community
from communities.permissions import LibraryScopedViewSetMixin, register_library_scope
from kenniscloud.common.admin_columns import YesNoColumn

from .markdown import render_markdown
from .models import Comment, Contribution, ThemeDossier
from .parts import PART_FIELDS, has_parts, parts_from
from .selectors import dossier_list_needing_review
from .services import (
    answers_drop_unfit,
    contribution_set_text,
    contribution_text_of,
    post_revision_keep_after_admin_edit,
)


def _curation_choices(user) -> Q:
    """Librarians curate dossiers and articles for everyone: any library's published
    contributions in a public community can be picked, never those of a private one."""
    return Q(status=Contribution.Status.PUBLISHED) & ~Q(
        community__visibility=Community.Visibility.PRIVATE
    )


# A librarian moderates the contributions and comments of their own libraries' communities.
register_library_scope(Contribution, "community__library", choosable=_curation_choices)
register_library_scope(Comment, "contribution__community__library")


class MarkdownBodyForm(WagtailAdminModelForm):
    """Keeps the sanitised HTML in step with the Markdown a librarian edits."""

    def clean_status(self):
        """A post waiting for approval goes online only through approval on the site
        (moderation.premoderation), which logs it and notifies as a new post does."""
        status = self.cleaned_data["status"]
        waiting = self.instance.pk and self.instance.status == Contribution.Status.PENDING
        if waiting and status == Contribution.Status.PUBLISHED:
            raise forms.ValidationError(
                gettext("Keur een wachtende bijdrage of reactie goed in de goedkeuringslijst.")
            )
        return status

    def save(self, commit=True):
        self.instance.body_html, _mentioned = render_markdown(self.instance.body)
        return super().save(commit=commit)


class ContributionAdminForm(MarkdownBodyForm):
    """A contribution's text goes through `contribution_set_text`, as on the site: the parts of
    an experience get their HTML, and the body may stay empty when a part is filled."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "body" in self.fields:
            # Required unless a part is filled: clean() says so next to the field.
            self.fields["body"].required = False

    def clean(self):
        cleaned = super().clean()
        body = cleaned.get("body") or ""
        if not body.strip() and not has_parts(parts_from(cleaned)):
            self.add_error(
                "body", gettext("Schrijf eerst iets: in de tekst, of in een of meer van de delen.")
            )
        return cleaned

    def save(self, commit=True):
        contribution_set_text(
            self.instance,
            body=self.instance.body,
            parts={field: getattr(self.instance, field) for field in PART_FIELDS},
        )
        # Not MarkdownBodyForm.save: contribution_set_text rendered the body already.
        return WagtailAdminModelForm.save(self, commit=commit)


class CommentAdminForm(MarkdownBodyForm):
    def save(self, commit=True):
        comment = super().save(commit=commit)
        if commit:
            # Hidden here: a marked answer nobody can read any more is no answer (issue 14).
            answers_drop_unfit(contribution_id=comment.contribution_id)
        return comment


class ContributionViewSet(LibraryScopedViewSetMixin, SnippetViewSet):
    model = Contribution
    icon = "doc-full"
    menu_label = _("Bijdragen")
    list_display = [
        "title",
        "community",
        "author",
        "kind",
        "status",
        YesNoColumn("featured", label=_("Uitgelicht"), sort_key="featured"),
        "created_at",
    ]
    list_filter = ["kind", "status", "featured", "community", "themes"]
    search_fields = ["title", "body"]
    search_backend_name = None  # Plain ORM search: contributions are not in Wagtail's index.
    copy_view_enabled = False
    edit_handler = ObjectList(
        [
            FieldPanel("community"),
            FieldPanel("author"),
            FieldPanel("kind"),
            FieldPanel("title"),
            FieldPanel("body"),
            # Knowledge structure (issue 14): an experience in parts, all optional.
            MultiFieldPanel(
                [FieldPanel(field) for field in PART_FIELDS],
                heading=_("Delen"),
                classname="collapsed",
            ),
            FieldPanel("source_url"),
            FieldPanel("tags"),
            FieldPanel("themes", widget=forms.CheckboxSelectMultiple),
            FieldPanel("status"),
            FieldPanel("featured"),
        ],
        base_form_class=ContributionAdminForm,
    )

    def get_queryset(self, request):
        return Contribution.objects.select_related("community", "author")


class CommentViewSet(LibraryScopedViewSetMixin, SnippetViewSet):
    model = Comment
    icon = "comment"
    menu_label = _("Reacties")
    list_display = ["__str__", "author", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["body"]
    search_backend_name = None
    copy_view_enabled = False
    edit_handler = ObjectList(
        [
            FieldPanel("contribution"),
            FieldPanel("author"),
            FieldPanel("body"),
            FieldPanel("status"),
        ],
        base_form_class=CommentAdminForm,
    )

    def get_queryset(self, request):
        return Comment.objects.select_related("contribution", "author")


# --- Theme dossiers ------------------------------------------------------------------------------


class DossierForm(WagtailAdminModelForm):
    """The dossier with one extra tick: "I reviewed this dossier", which records who and when."""

    mark_reviewed = forms.BooleanField(
        label=_("Ik heb dit dossier nagekeken"),
        required=False,
        help_text=_(
            "Vink aan als je alles in dit dossier hebt gelezen en het nog klopt. Na publicatie "
            "staat er 'Laatst nagekeken op … door …' op de themapagina."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = self.instance
        if instance.reviewed_at:
            name = instance.reviewed_by.display_name if instance.reviewed_by else "?"
            self.fields["mark_reviewed"].help_text = format_html(
                "{} {}",
                gettext("Laatst nagekeken op %(date)s door %(name)s.")
                % {
                    "date": timezone.localtime(instance.reviewed_at).strftime("%d-%m-%Y"),
                    "name": name,
                },
                self.fields["mark_reviewed"].help_text,
            )

    def save(self, commit=True):
        if self.cleaned_data.get("mark_reviewed") and self.for_user is not None:
            self.instance.reviewed_at = timezone.now()
            self.instance.reviewed_by = self.for_user
        return super().save(commit=commit)


class NeedsReviewFilter(WagtailFilterSet):
    needs_review = django_filters.BooleanFilter(
        label=_("Moet nagekeken worden"), method="filter_needs_review"
    )

    class Meta:
        model = ThemeDossier
        fields = ["live"]

    def filter_needs_review(self, queryset, name, value):
        needing = dossier_list_needing_review().values("pk")
        if value is None:
            return queryset
        return queryset.filter(pk__in=needing) if value else queryset.exclude(pk__in=needing)


def _review_label(dossier: ThemeDossier) -> str:
    if not dossier.live or dossier.theme_id is None:
        return "-"
    if dossier.needs_review:
        return gettext("Moet nagekeken worden")
    return gettext("Nagekeken op %(date)s") % {
        "date": timezone.localtime(dossier.reviewed_at).strftime("%d-%m-%Y")
    }


class ThemeDossierViewSet(SnippetViewSet):
    model = ThemeDossier
    icon = "folder-open-inverse"
    menu_label = _("Themadossiers")
    add_to_admin_menu = False
    filterset_class = NeedsReviewFilter
    search_fields = ["theme__title"]
    search_backend_name = None
    copy_view_enabled = False
    list_display = [
        # A string first: Wagtail makes it the linked title column with the row's actions.
        "theme_title",
        Column("review", label=_("Nagekeken"), accessor=_review_label),
        LiveStatusTagColumn(),
    ]
    edit_handler = ObjectList(
        [
            FieldPanel("theme"),
            FieldPanel("introduction"),
            FieldPanel("sections"),
            InlinePanel(
                "picks",
                label=_("Gecontroleerde bijdragen van bewoners"),
                help_text=_(
                    "Kies bijdragen die je hebt gelezen en nagekeken. Ze staan op de "
                    "themapagina met het label 'Gecontroleerd door de bibliotheek'."
                ),
                panels=[FieldPanel("contribution"), FieldPanel("note")],
            ),
            FieldPanel("further_reading"),
            MultiFieldPanel(
                [FieldPanel("mark_reviewed")],
                heading=_("Nagekeken"),
            ),
        ],
        base_form_class=DossierForm,
    )

    def get_queryset(self, request):
        return ThemeDossier.objects.select_related("theme", "reviewed_by", "latest_revision")


class KnowledgeGroup(SnippetViewSetGroup):
    menu_label = _("Kennis")
    menu_icon = "openquote"
    menu_order = 250
    items = (ThemeDossierViewSet, ContributionViewSet, CommentViewSet)


register_snippet(KnowledgeGroup)


@hooks.register("after_delete_snippet")
def reopen_questions_after_comment_delete(request, instances):
    """A comment deleted outright in the admin (one, or in bulk) takes its answer mark along:
    its question is open again when that was its last answer (issue 14)."""
    for contribution_id in {i.contribution_id for i in instances if isinstance(i, Comment)}:
        answers_drop_unfit(contribution_id=contribution_id, removed=True)


# --- Four eyes: what is under a workflow goes live only through it ------------------------------
# Librarians may publish (and unpublish) pages and dossiers, but where the workflow "Tweede
# bibliothecaris" applies the only way to go live is a second librarian's approval:
# the Publish button is hidden and a publish posted by hand is refused. Superusers keep it.

REFUSED = _(
    "Publiceren gaat via een tweede bibliothecaris: kies onder aan het scherm 'Stuur door naar "
    "Tweede bibliothecaris' om dit te laten goedkeuren."
)


def _publish_needs_approval(request, has_workflow: bool) -> bool:
    return has_workflow and not request.user.is_superuser


@hooks.register("construct_page_action_menu")
def hide_page_publish(menu_items, request, context):
    page = context.get("page")
    parent = context.get("parent_page")
    has_workflow = bool(page.get_workflow() if page and page.pk else parent and parent.has_workflow)
    if _publish_needs_approval(request, has_workflow):
        menu_items[:] = [item for item in menu_items if item.name != "action-publish"]


@hooks.register("construct_snippet_action_menu")
def hide_snippet_publish(menu_items, request, context):
    instance = context.get("instance")
    if instance is not None and instance.pk:
        workflow = getattr(instance, "get_workflow", lambda: None)()
    else:
        workflow = getattr(context.get("model"), "get_default_workflow", lambda: None)()
    if _publish_needs_approval(request, workflow is not None):
        menu_items[:] = [item for item in menu_items if item.name != "action-publish"]


def _refuse(request):
    messages.error(request, REFUSED)
    return redirect(request.get_full_path())


@hooks.register("before_create_page")
def refuse_direct_publish_of_new_page(request, parent_page, page_class):
    posted_publish = request.method == "POST" and "action-publish" in request.POST
    if posted_publish and _publish_needs_approval(request, parent_page.has_workflow):
        return _refuse(request)
    return None


@hooks.register("before_edit_page")
def refuse_direct_publish_of_page(request, page):
    posted_publish = request.method == "POST" and "action-publish" in request.POST
    if posted_publish and _publish_needs_approval(request, page.get_workflow() is not None):
        return _refuse(request)
    return None


@hooks.register("before_create_snippet")
def refuse_direct_publish_of_new_snippet(request, model):
    if request.method == "POST" and "action-publish" in request.POST:
        workflow = getattr(model, "get_default_workflow", lambda: None)()
        if _publish_needs_approval(request, workflow is not None):
            return _refuse(request)
    return None


@hooks.register("before_edit_snippet")
def refuse_direct_publish_of_snippet(request, instance):
    if request.method == "POST" and "action-publish" in request.POST:
        workflow = getattr(instance, "get_workflow", lambda: None)()
        if _publish_needs_approval(request, workflow is not None):
            return _refuse(request)
    return None


@hooks.register("before_bulk_action")
def refuse_bulk_publish(request, action_type, objects, action_class_instance):
    if action_type != "publish" or request.user.is_superuser:
        return None
    if any(getattr(obj, "get_workflow", lambda: None)() for obj in objects):
        messages.error(request, REFUSED)
        return redirect(request.get_full_path())
    return None


# --- Earlier versions: an edit in the admin keeps the text it replaced, as the site does -------


@hooks.register("before_edit_snippet")
def remember_text_before_admin_edit(request, instance):
    """Note the words as they are before the form changes them (the form edits this object)."""
    if request.method == "POST" and isinstance(instance, Contribution):
        instance._text_before = contribution_text_of(instance)
    elif request.method == "POST" and isinstance(instance, Comment):
        instance._text_before = instance.body
    return None


@hooks.register("after_edit_snippet")
def keep_revision_after_admin_edit(request, instance):
    """Saved: keep the earlier words as a revision and mark the post edited, when they changed."""
    before = getattr(instance, "_text_before", None)
    if before is not None:
        post_revision_keep_after_admin_edit(post=instance, before=before, by=request.user)
    return None
