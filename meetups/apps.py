from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetupsConfig(AppConfig):
    name = "meetups"
    verbose_name = _("Bijeenkomsten")

    def ready(self) -> None:
        from . import receivers

        receivers.connect()
