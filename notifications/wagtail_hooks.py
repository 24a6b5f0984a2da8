"""The digest preview in the Wagtail admin, for librarians only."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from communities.selectors import user_is_librarian

from .admin_views import DigestPreviewView


@hooks.register("register_admin_urls")
def register_digest_preview_url():
    return [
        path(
            "overzicht-voorbeeld/",
            DigestPreviewView.as_view(),
            name="notifications_digest_preview",
        ),
    ]


class LibrarianMenuItem(MenuItem):
    def is_shown(self, request):
        return user_is_librarian(request.user)


@hooks.register("register_admin_menu_item")
def register_digest_preview_menu_item():
    return LibrarianMenuItem(
        _("Voorbeeld overzicht"),
        reverse("notifications_digest_preview"),
        icon_name="mail",
        order=900,
    )
