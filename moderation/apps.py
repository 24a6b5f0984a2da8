from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    name = "moderation"
    verbose_name = _("Moderatie")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # The admin's Schorsingen registers its Wagtail hook on import.
        from . import receivers, suspension_admin  # noqa: F401

        receivers.connect()
