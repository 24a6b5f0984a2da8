"""The report form: why, and an optional note to the moderators."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kenniscloud.common.forms import KeepWhatTheyTypedMixin

from .models import Report
from .services.reports import NOTE_MAX


class ReportForm(KeepWhatTheyTypedMixin, forms.Form):
    reason = forms.ChoiceField(
        label=_("Waarom meld je dit?"),
        choices=Report.Reason.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Kies waarom je dit meldt."),
            "invalid_choice": _("Kies waarom je dit meldt."),
        },
    )
    note = forms.CharField(
        label=_("Toelichting voor de moderatoren (niet verplicht)"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Alleen de moderatoren lezen dit. Wie het plaatste, ziet niet wie het meldde."),
    )
