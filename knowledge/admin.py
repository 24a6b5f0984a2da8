"""The Django admin (/django-admin/) for contributions, comments and appreciations."""

from django.contrib import admin

from .markdown import render_markdown
from .models import Appreciation, Comment, Contribution


class MarkdownBodyAdmin(admin.ModelAdmin):
    """Keeps the sanitised HTML in step with the Markdown edited here."""

    def save_model(self, request, obj, form, change):
        obj.body_html, _mentioned = render_markdown(obj.body)
        super().save_model(request, obj, form, change)


@admin.register(Contribution)
class ContributionAdmin(MarkdownBodyAdmin):
    list_display = ("title", "community", "author", "kind", "status", "featured", "created_at")
    list_filter = ("kind", "status", "featured", "themes")
    list_select_related = ("community", "author")
    search_fields = ("title", "body", "author__email", "author__display_name")
    raw_id_fields = ("community", "author")
    filter_horizontal = ("themes",)
    date_hierarchy = "created_at"


@admin.register(Comment)
class CommentAdmin(MarkdownBodyAdmin):
    list_display = ("__str__", "author", "status", "deleted_at", "created_at")
    list_filter = ("status",)
    list_select_related = ("contribution", "author")
    search_fields = ("body", "author__email", "author__display_name")
    raw_id_fields = ("contribution", "author", "parent")
    date_hierarchy = "created_at"


@admin.register(Appreciation)
class AppreciationAdmin(admin.ModelAdmin):
    list_display = ("user", "contribution", "comment", "created_at")
    list_select_related = ("user", "contribution", "comment")
    raw_id_fields = ("user", "contribution", "comment")
