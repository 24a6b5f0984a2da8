"""Where knowledge comes from: previews of the web pages contributions link to.

Nothing here is a field on `knowledge.Contribution`: this app points at contributions, never
the other way round (DESIGN.md: apps lean on knowledge, knowledge knows nothing of them).
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def _image_name(instance: Source, filename: str) -> str:
    """A random name: the address of a preview image tells nobody which page or community it
    belongs to, and a refreshed image never reuses the old name (browsers cache them)."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "jpg"
    return f"previews/{uuid.uuid4().hex}.{extension}"


class Source(models.Model):
    """One web page, once per normalised address (`sources.normalise`), with the preview we
    fetched of it. Shared by every contribution that links to it."""

    class State(models.TextChoices):
        PENDING = "pending", _("Nog niet opgehaald")
        READY = "ready", _("Opgehaald")
        FAILED = "failed", _("Ophalen mislukt")

    url = models.URLField(_("adres"), max_length=2000, unique=True)
    state = models.CharField(
        _("toestand"), max_length=10, choices=State.choices, default=State.PENDING
    )
    title = models.CharField(_("titel"), max_length=300, blank=True)
    description = models.TextField(_("beschrijving"), blank=True, max_length=600)
    site_name = models.CharField(_("website"), max_length=200, blank=True)
    # Re-encoded by us (kenniscloud.common.images.reencode_image): never the other site's file,
    # never hot-linked, so a reader's browser asks that site for nothing. On the public media
    # storage under a random name: it shows only what the public page itself showed.
    image = models.FileField(_("afbeelding"), upload_to=_image_name, blank=True, max_length=200)
    # Video sites on the allow-list (sources.oembed): the player's address, built by us from
    # the video's id. Loaded only when the reader presses play (static/js/embed-consent.js).
    embed_url = models.URLField(_("speler"), max_length=500, blank=True)
    fetched_at = models.DateTimeField(_("opgehaald op"), null=True, blank=True)
    # Failures: counted, with a short reason, and tried again later (SOURCE_RETRY_DELAYS). A
    # preview that was fetched waits SOURCE_REFRESH_DAYS for its next attempt; a new row is due
    # at once, so beat picks up a fetch whose task got lost.
    failure_count = models.PositiveSmallIntegerField(_("mislukte pogingen"), default=0)
    last_error = models.CharField(_("laatste fout"), max_length=200, blank=True)
    next_attempt_at = models.DateTimeField(_("volgende poging"), null=True, blank=True)
    # A fetch in progress claims the row (a conditional UPDATE), so two workers never fetch
    # the same page at once; a claim older than SOURCE_CLAIM_SECONDS is taken over.
    fetch_started_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("aangemaakt"), auto_now_add=True)

    class Meta:
        verbose_name = _("bron")
        verbose_name_plural = _("bronnen")
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=["pending", "ready", "failed"]), name="source_state_valid"
            ),
        ]
        indexes = [models.Index(fields=["next_attempt_at"], name="source_next_attempt")]

    def __str__(self) -> str:
        return self.title or self.url

    @property
    def is_ready(self) -> bool:
        return self.state == self.State.READY


class ContributionLink(models.Model):
    """The page a contribution's preview card shows: its source URL, else the first bare link
    in its text. One per contribution (the constraint settles two saves at once)."""

    contribution = models.OneToOneField(
        "knowledge.Contribution",
        verbose_name=_("bijdrage"),
        on_delete=models.CASCADE,
        related_name="link_preview",
    )
    source = models.ForeignKey(
        Source, verbose_name=_("bron"), on_delete=models.CASCADE, related_name="links"
    )

    class Meta:
        verbose_name = _("linkvoorbeeld van een bijdrage")
        verbose_name_plural = _("linkvoorbeelden van bijdragen")

    def __str__(self) -> str:
        return f"{self.contribution_id} → {self.source_id}"
