"""The review queue's forms: one decision on one case, or one on many (a spam wave)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .services.decisions import REASON_MAX

ACTION_CHOICES = [
    ("dismiss", _("Geen actie nodig")),
    ("hide", _("Verbergen")),
    ("restore", _("Terugzetten")),
    ("delete", _("Verwijderen")),
    ("warn", _("Auteur waarschuwen")),
]


class DecisionForm(forms.Form):
    """One case: the button pressed says the action; the reason is needed to hide or warn,
    which the service checks (its message lands next to this field)."""

    action = forms.ChoiceField(choices=ACTION_CHOICES, widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Reden voor de auteur"),
        help_text=_("Nodig om te verbergen of te waarschuwen. De auteur leest dit."),
        required=False,
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class BulkDecisionForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Wat moet er met de gekozen meldingen gebeuren?"),
        choices=[("", _("Kies een actie")), *ACTION_CHOICES],
    )
    reason = forms.CharField(
        label=_("Reden voor de auteurs"),
        help_text=_("Nodig om te verbergen of te waarschuwen. Elke auteur leest dit."),
        required=False,
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    cases = forms.TypedMultipleChoiceField(
        label=_("Meldingen"),
        coerce=int,
        error_messages={"required": _("Kies eerst een of meer meldingen.")},
    )

    def __init__(self, *args, case_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Any id may be posted; the service refuses cases the moderator may not decide.
        self.fields["cases"].choices = [(pk, pk) for pk in case_ids]
