"""Bibliotheek > Vaktermen in the Wagtail admin: the jargon list librarians maintain.

The menu item joins the Bibliotheek group through its submenu hook (communities/wagtail_hooks.py,
LibraryGroup.submenu_hook), so communities needs to know nothing of this app. Django's model
permissions decide who may do what; migration 0001 gives them to the Bibliothecarissen.
"""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import JargonTerm

LIBRARY_MENU_HOOK = "register_library_menu_item"


class JargonTermViewSet(SnippetViewSet):
    model = JargonTerm
    icon = "help"
    menu_label = _("Vaktermen")
    menu_order = 50
    add_to_admin_menu = True
    menu_hook = LIBRARY_MENU_HOOK
    list_display = ["term", "plain"]
    search_fields = ["term", "plain"]
    search_backend_name = None  # plain ORM search: the terms are not in Wagtail's index
    copy_view_enabled = False
    inspect_view_enabled = False
    panels = [FieldPanel("term"), FieldPanel("plain"), FieldPanel("note")]


register_snippet(JargonTermViewSet)
