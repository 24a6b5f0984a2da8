"""Following a theme by email without an account (issue 17).

An address and the theme it follows, nothing else: no name, no profile, no password. It gets
mail only after its owner confirmed it from the mail we sent there (double opt-in), and the
row is deleted the moment they unsubscribe, so "removed after unsubscribing" holds by design.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ThemeSubscription(models.Model):
    theme = models.ForeignKey(
        "communities.Theme",
        verbose_name=_("thema"),
        on_delete=models.CASCADE,
        related_name="mail_subscriptions",
    )
    # Stored in lower case (subscriptions.services), so one address follows a theme once.
    email = models.EmailField(_("e-mailadres"))
    language = models.CharField(
        _("taal"), max_length=5, choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE
    )
    # The secret in the confirmation and unsubscribe links: random, not derived from the
    # address, and valid for as long as the subscription lives (an unsubscribe link in a mail
    # of last year must still work, RFC 8058).
    token = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("aangevraagd op"), auto_now_add=True)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The consent: when the owner of the address confirmed, and which privacy statement they
    # had in front of them (PRIVACY_STATEMENT_VERSION).
    confirmed_at = models.DateTimeField(_("bevestigd op"), null=True, blank=True)
    consent_version = models.CharField(_("versie privacyverklaring"), max_length=20, blank=True)
    # The key of the last digest period claimed for this address (notifications.periods): a
    # beat that fires twice, or two workers, send each period once.
    last_period = models.CharField(max_length=30, blank=True, editable=False)

    class Meta:
        verbose_name = _("thema volgen per e-mail")
        verbose_name_plural = _("thema's volgen per e-mail")
        constraints = [
            models.UniqueConstraint(fields=["theme", "email"], name="theme_subscription_unique")
        ]
        indexes = [models.Index(fields=["confirmed_at", "theme"], name="theme_subscription_due")]

    def __str__(self) -> str:
        return f"{self.theme} · {self.email}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None
