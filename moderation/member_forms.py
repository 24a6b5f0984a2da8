"""Forms of the member sanctions: blocking from a community (hosts, on the site) and
suspending an account (librarians, in the Wagtail admin)."""

from __future__ import annotations

from datetime import datetime, time

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class BlockForm(forms.Form):
    reason = forms.CharField(
        label=_("Reden"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Komt in het moderatielog. Het lid ziet dat het geblokkeerd is."),
        error_messages={"required": _("Schrijf op waarom je dit lid blokkeert.")},
    )


class SuspendForm(forms.Form):
    FOR_GOOD = "voorgoed"
    UNTIL = "tot"

    length = forms.ChoiceField(
        label=_("Hoe lang"),
        choices=[(UNTIL, _("Tot en met een datum")), (FOR_GOOD, _("Voorgoed"))],
        widget=forms.RadioSelect,
        initial=UNTIL,
    )
    until = forms.DateField(
        label=_("Tot en met"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("De schorsing eindigt aan het eind van deze dag."),
    )
    reason = forms.CharField(
        label=_("Reden"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Het lid leest deze reden bovenaan elke pagina zolang de schorsing duurt."),
        error_messages={"required": _("Schrijf op waarom. Het lid leest deze reden.")},
    )

    def clean(self):
        data = super().clean()
        if data.get("length") == self.UNTIL:
            day = data.get("until")
            if day is None:
                self.add_error("until", _("Kies een datum, of kies voorgoed."))
            elif day < timezone.localdate():
                self.add_error("until", _("Kies vandaag of een dag in de toekomst."))
        return data

    def until_moment(self) -> datetime | None:
        """The end of the chosen day in the site's time zone, or None for good."""
        if self.cleaned_data["length"] == self.FOR_GOOD:
            return None
        day = self.cleaned_data["until"]
        end = datetime.combine(day, time(23, 59, 59))
        return timezone.make_aware(end, timezone.get_current_timezone())
