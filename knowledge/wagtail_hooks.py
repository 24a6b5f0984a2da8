"""The Wagtail admin for librarians: moderating and featuring contributions and comments."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .markdown import render_markdown
from .models import Comment, Contribution


class MarkdownBodyForm(WagtailAdminModelForm):
    """Keeps the sanitised HTML in step with the Markdown a librarian edits."""

    def save(self, commit=True):
        self.instance.body_html, _mentioned = render_markdown(self.instance.body)
        return super().save(commit=commit)


class ContributionViewSet(SnippetViewSet):
    model = Contribution
    icon = "doc-full"
    menu_label = _("Bijdragen")
    list_display = ["title", "community", "author", "kind", "status", "featured", "created_at"]
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
            FieldPanel("source_url"),
            FieldPanel("tags"),
            FieldPanel("themes", widget=forms.CheckboxSelectMultiple),
            FieldPanel("status"),
            FieldPanel("featured"),
        ],
        base_form_class=MarkdownBodyForm,
    )

    def get_queryset(self, request):
        return Contribution.objects.select_related("community", "author")


class CommentViewSet(SnippetViewSet):
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
        base_form_class=MarkdownBodyForm,
    )

    def get_queryset(self, request):
        return Comment.objects.select_related("contribution", "author")


class KnowledgeGroup(SnippetViewSetGroup):
    menu_label = _("Kennis")
    menu_icon = "openquote"
    menu_order = 250
    items = (ContributionViewSet, CommentViewSet)


register_snippet(KnowledgeGroup)
