from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    name = "knowledge"
    verbose_name = _("Kennis")

    def ready(self) -> None:
        post_migrate.connect(_site_sync, sender=self)


def _site_sync(**kwargs) -> None:
    from .services import site_sync_with_site_url

    if kwargs.get("using", "default") == "default":
        site_sync_with_site_url()
