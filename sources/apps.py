from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SourcesConfig(AppConfig):
    name = "sources"
    verbose_name = _("Bronnen")

    def ready(self) -> None:
        from . import receivers

        receivers.connect()
