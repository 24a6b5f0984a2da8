from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Meldingen en overzichten")

    def ready(self) -> None:
        # checks registers the system checks on import.
        from . import checks, receivers  # noqa: F401

        receivers.connect()
