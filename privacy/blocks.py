"""The parts of the privacy statement that the site writes itself, at render time, from the
settings: the retention periods (privacy.retention) and the library's privacy contact.

They are StreamField blocks of the content pages, so a librarian places them in the statement
and edits the free text around them in Wagtail, while the numbers and the address always follow
the settings the beat jobs and the mail use: the page cannot drift from what the site does.
"""

from __future__ import annotations

from email.utils import parseaddr

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from wagtail import blocks

DAYS_PER_YEAR = 365


def retention_period_text(days: int | None) -> str:
    """A retention period in words, in the active language: "3 dagen", "1 jaar"."""
    if days is None:
        return _("Zolang je account bestaat")
    if days == 0:
        return _("Niet: we wissen het meteen")
    if days % DAYS_PER_YEAR == 0:
        years = days // DAYS_PER_YEAR
        return ngettext("%(count)s jaar", "%(count)s jaar", years) % {"count": years}
    return ngettext("%(count)s dag", "%(count)s dagen", days) % {"count": days}


def retention_rows() -> list[dict[str, str]]:
    """One row per retention period, read from the settings at each call."""
    from .retention import retention_periods

    return [
        {
            "what": str(period.what),
            "period": retention_period_text(period.days),
            "why": str(period.why),
        }
        for period in retention_periods()
    ]


def privacy_contact() -> dict[str, str]:
    """Who answers privacy questions: the settings, else what the statement's first text said
    (knowledge migration 0005): the one library's contact address, else the site's sender."""
    from communities.models import Library

    email = settings.PRIVACY_CONTACT_EMAIL
    if not email:
        libraries = list(Library.objects.order_by("pk").values_list("contact_email", flat=True)[:2])
        email = (libraries[0] if len(libraries) == 1 else "") or parseaddr(
            settings.DEFAULT_FROM_EMAIL
        )[1]
    return {
        "name": settings.PRIVACY_CONTACT_NAME
        or _("de functionaris gegevensbescherming van de bibliotheek"),
        "email": email,
    }


class RetentionPeriodsBlock(blocks.StaticBlock):
    """The table "what we keep, how long and why"."""

    class Meta:
        icon = "table"
        label = gettext_lazy("Bewaartermijnen (uit de instellingen)")
        admin_text = gettext_lazy(
            "Hier staat op de site een tabel met wat we bewaren, hoe lang en waarom. De "
            "termijnen komen uit de instellingen van de site, dus ze kloppen altijd met wat de "
            "site werkelijk doet. De tekst eromheen kun je zelf schrijven."
        )
        template = "privacy/blocks/retention_periods.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["rows"] = retention_rows()
        return context


class PrivacyContactBlock(blocks.StaticBlock):
    """Who answers questions about privacy, and at which address (PRIVACY_CONTACT_*)."""

    class Meta:
        icon = "mail"
        label = gettext_lazy("Contact over privacy (uit de instellingen)")
        admin_text = gettext_lazy(
            "Hier staan op de site de naam en het e-mailadres van de privacycontactpersoon van "
            "de bibliotheek, uit de instellingen (PRIVACY_CONTACT_NAME en PRIVACY_CONTACT_EMAIL)."
        )
        template = "privacy/blocks/privacy_contact.html"

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["contact"] = privacy_contact()
        return context


def privacy_statement_blocks() -> list[tuple[str, blocks.Block]]:
    return [
        ("retention_periods", RetentionPeriodsBlock()),
        ("privacy_contact", PrivacyContactBlock()),
    ]
