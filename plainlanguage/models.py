"""The librarians' word list of jargon, with the plain words to use instead (issue 17, B1)."""

from __future__ import annotations

from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class JargonTerm(models.Model):
    term = models.CharField(
        _("woord"),
        max_length=100,
        help_text=_(
            "Het woord of de uitdrukking die lezers moeilijk vinden, zoals 'participatie' of "
            "'in behandeling nemen'. Hoofdletters maken niet uit; meervoud vinden we ook."
        ),
    )
    plain = models.CharField(
        _("in gewone woorden"),
        max_length=200,
        blank=True,
        help_text=_("Wat schrijvers beter kunnen gebruiken, zoals 'meedoen'."),
    )
    note = models.TextField(
        _("toelichting"),
        blank=True,
        help_text=_("Niet verplicht. Staat achter de tip, bijvoorbeeld wanneer het woord wel mag."),
    )

    class Meta:
        ordering = ["term"]
        verbose_name = _("vakterm")
        verbose_name_plural = _("vaktermen")
        constraints = [
            models.UniqueConstraint(
                Lower("term"),
                name="plainlanguage_jargonterm_term_unique",
                violation_error_message=_("Dit woord staat al in de lijst."),
            )
        ]

    def __str__(self) -> str:
        return self.term
