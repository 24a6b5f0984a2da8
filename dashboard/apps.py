from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    """The librarians' activity dashboard in the Wagtail admin. It has no models of its own."""

    name = "dashboard"
    verbose_name = _("Activiteit")
