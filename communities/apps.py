from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunitiesConfig(AppConfig):
    name = "communities"
    verbose_name = _("Gemeenschappen")

    def ready(self) -> None:
        from . import site_library

        site_library.connect()
