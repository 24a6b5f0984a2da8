from django import forms
from django.utils.translation import gettext_lazy as _


class ThemeSubscriptionForm(forms.Form):
    email = forms.EmailField(
        label=_("Je e-mailadres"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": _("Vul je e-mailadres in."),
            "invalid": _("Vul een e-mailadres in zoals naam@voorbeeld.nl."),
        },
    )
    # The consent the AVG asks for; the page links the privacy statement right above it.
    consent = forms.BooleanField(
        label=_(
            "Ik ga akkoord dat de bibliotheek mijn e-mailadres hiervoor bewaart tot ik me afmeld."
        ),
        error_messages={"required": _("Vink dit aan om het thema te volgen.")},
    )
