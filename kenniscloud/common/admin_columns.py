"""Listing columns for the Wagtail admin that read the same in Dutch and English.

Wagtail's own BooleanColumn shows a tick or a cross whose only text is the title "True" or
"False", in English, for every language; ours shows the icon with "ja" or "nee" next to it.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import Column


class YesNoColumn(Column):
    """A yes/no field as an icon with a translated word (not colour or shape alone)."""

    cell_template_name = "admin_columns/yes_no_cell.html"

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        value = context["value"]
        context["word"] = _("onbekend") if value is None else (_("ja") if value else _("nee"))
        return context


class LinkColumn(Column):
    """A link per row: `link(instance)` gives (text, url), or (text, "") for plain text."""

    cell_template_name = "admin_columns/link_cell.html"

    def __init__(self, name, *, link, **kwargs):
        super().__init__(name, **kwargs)
        self.link = link

    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        context["text"], context["url"] = self.link(instance)
        return context
