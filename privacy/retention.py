"""Retention: nothing is kept longer than needed (issue 12, the AVG).

Each period is a setting (kenniscloud/settings/base.py, README "Retention"). `retention_periods()`
says them once, for the privacy statement, so the page and the beat jobs never drift apart.
"""

from __future__ import annotations

from typing import NamedTuple

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy


class RetentionPeriod(NamedTuple):
    """What is kept, for at most how many days (None: the job is off, so it is kept until the
    member deletes it), and why. Dutch msgids, shown in the reader's language."""

    what: Promise | str
    days: int | None
    why: Promise | str


def retention_periods() -> list[RetentionPeriod]:
    """Every retention period the beat jobs keep, read from the settings each time.

    Call it where the table is shown: the inactive-accounts sentence carries its numbers and is
    translated into the language active at the call; the other strings are lazy.
    """
    from search.services import MISS_RETENTION

    inactive_days = settings.RETENTION_INACTIVE_ACCOUNT_DAYS or None
    warning_days = settings.RETENTION_INACTIVE_WARNING_DAYS
    return [
        RetentionPeriod(
            _("Toegankelijkheidswensen bij een aanmelding, na afloop van de meetup"),
            settings.RETENTION_ACCESS_NEEDS_DAYS_AFTER_MEETUP,
            _("De organisatoren hebben ze alleen nodig om de meetup voor te bereiden."),
        ),
        RetentionPeriod(
            _("Gelezen meldingen, nadat je ze las"),
            settings.RETENTION_READ_NOTIFICATIONS_DAYS,
            _("Zo kun je teruglezen wat er gebeurde; ongelezen meldingen blijven staan."),
        ),
        RetentionPeriod(
            _("Welke overzichtsmails we je stuurden, na de periode die ze besloegen"),
            settings.RETENTION_DIGEST_DELIVERY_DAYS,
            _("Zo sturen we nooit twee keer hetzelfde overzicht en vinden we fouten terug."),
        ),
        RetentionPeriod(
            _("Gedownloade gegevens (Mijn gegevens downloaden)"),
            settings.DATA_EXPORT_DAYS,
            _("Zo lang kun je het bestand ophalen; daarna verwijderen we het."),
        ),
        RetentionPeriod(
            _("Zoekopdrachten zonder resultaat, na de laatste keer dat ernaar is gezocht"),
            MISS_RETENTION.days,
            _(
                "Zo ziet de bibliotheek welke kennis bewoners zoeken en nog niet vinden. "
                "We bewaren alleen de zoekwoorden, nooit wie zocht."
            ),
        ),
        RetentionPeriod(
            _("Accounts waarvan het e-mailadres nooit is bevestigd, na aanmelding"),
            settings.RETENTION_UNCONFIRMED_ACCOUNT_DAYS,
            _("Zo lang heb je om je aanmelding af te maken."),
        ),
        RetentionPeriod(
            _("Accounts waarmee niet meer is ingelogd, na de laatste keer inloggen"),
            inactive_days + warning_days if inactive_days else None,
            ngettext_lazy(
                "Na %(inactive)s dagen zonder inloggen krijg je een e-mail; log je daarna niet "
                "binnen %(warning)s dag in, dan verwijderen we je account. Je bijdragen blijven "
                "staan onder 'Verwijderd lid'.",
                "Na %(inactive)s dagen zonder inloggen krijg je een e-mail; log je daarna niet "
                "binnen %(warning)s dagen in, dan verwijderen we je account. Je bijdragen blijven "
                "staan onder 'Verwijderd lid'.",
                "warning",
            )
            % {"inactive": inactive_days, "warning": warning_days}
            if inactive_days
            else _("Staat uit: we verwijderen geen account omdat er niet meer mee is ingelogd."),
        ),
    ]
