"""Privacy: a member's data export (Mijn gegevens downloaden)."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .storage import private_storage


def _export_file_name(instance: DataExport, filename: str) -> str:
    # A random name, as Decidim does: the file is no easier to find than the row that points
    # at it, also for whoever can list the private directory.
    return f"exports/{instance.member_id}/{secrets.token_urlsafe(24)}.zip"


class DataExport(models.Model):
    """One request to download one's data: a zip built by a Celery task, kept DATA_EXPORT_DAYS.

    At most one unfinished export per member, decided by the database (the partial unique
    constraint), so a double click or two tabs build one zip.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("Aangevraagd")
        BUILDING = "building", _("Wordt gemaakt")
        READY = "ready", _("Klaar om te downloaden")
        FAILED = "failed", _("Mislukt")
        EXPIRED = "expired", _("Verlopen")

    UNFINISHED = (State.PENDING, State.BUILDING)

    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lid"),
        on_delete=models.CASCADE,
        related_name="data_exports",
    )
    state = models.CharField(
        _("status"), max_length=10, choices=State.choices, default=State.PENDING
    )
    requested_at = models.DateTimeField(_("aangevraagd op"))
    started_at = models.DateTimeField(_("begonnen op"), null=True, blank=True)
    finished_at = models.DateTimeField(_("klaar op"), null=True, blank=True)
    expires_at = models.DateTimeField(_("verloopt op"), null=True, blank=True)
    file = models.FileField(
        _("bestand"), storage=private_storage, upload_to=_export_file_name, blank=True
    )
    size = models.PositiveBigIntegerField(_("grootte in bytes"), default=0)

    class Meta:
        verbose_name = _("gegevensdownload")
        verbose_name_plural = _("gegevensdownloads")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["member"],
                condition=Q(state__in=["pending", "building"]),
                name="data_export_one_unfinished_per_member",
            ),
            models.CheckConstraint(
                condition=Q(state__in=["pending", "building", "ready", "failed", "expired"]),
                name="data_export_state_valid",
            ),
            # A ready export has a file and an end; the purge looks at nothing else.
            models.CheckConstraint(
                condition=~Q(state="ready") | (Q(expires_at__isnull=False) & ~Q(file="")),
                name="data_export_ready_has_file",
            ),
        ]
        indexes = [models.Index(fields=["state", "expires_at"], name="data_export_purge")]

    def __str__(self) -> str:
        return f"{self.member} · {self.requested_at:%Y-%m-%d %H:%M}"

    @property
    def is_unfinished(self) -> bool:
        return self.state in self.UNFINISHED
