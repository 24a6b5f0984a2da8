from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = _("Privacy")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Each app's part of "Mijn gegevens downloaden" registers itself (privacy/exporters/).
        from . import exporters, receivers  # noqa: F401
