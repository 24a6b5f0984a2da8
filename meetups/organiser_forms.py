"""Forms for what members add to their RSVP and for the organiser tools: validation only."""

from django import forms
from django.utils.translation import gettext_lazy as _

from kenniscloud.common.forms import KeepWhatTheyTypedMixin

from .models import Rsvp

ACCESS_NEEDS_MAX = Rsvp._meta.get_field("access_needs").max_length


class AccessNeedsForm(KeepWhatTheyTypedMixin, forms.Form):
    access_needs = forms.CharField(
        label=_("Wat heb je nodig om mee te doen? (niet verplicht)"),
        required=False,
        max_length=ACCESS_NEEDS_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Bijvoorbeeld: rolstoelplek, ringleiding, tolk gebarentaal, een stoel vooraan. "
            "Alleen de organisatie ziet dit, en we wissen het als je je afmeldt."
        ),
        error_messages={
            "max_length": _("Houd het kort: hooguit %(limit_value)d tekens (nu %(show_value)d).")
        },
    )


class MessageForm(KeepWhatTheyTypedMixin, forms.Form):
    subject = forms.CharField(
        label=_("Onderwerp"),
        max_length=150,
        error_messages={"required": _("Geef het bericht een onderwerp.")},
    )
    body = forms.CharField(
        label=_("Bericht"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": _("Schrijf eerst een bericht.")},
    )
    include_waitlist = forms.BooleanField(
        label=_("Ook sturen aan wie op de wachtlijst staat"), required=False
    )

    def clean_subject(self) -> str:
        subject = " ".join(self.cleaned_data["subject"].split())
        if not subject:
            raise forms.ValidationError(_("Geef het bericht een onderwerp."))
        return subject

    def clean_body(self) -> str:
        body = self.cleaned_data["body"].strip()
        if not body:
            raise forms.ValidationError(_("Schrijf eerst een bericht."))
        return body


class ReportForm(KeepWhatTheyTypedMixin, forms.Form):
    body = forms.CharField(
        label=_("Verslag"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 14}),
        error_messages={"required": _("Schrijf eerst iets.")},
        help_text=_(
            "Wat kwam er uit de bijeenkomst? Je kunt Markdown gebruiken: **vet**, *schuin*, "
            "- lijstjes, ## tussenkopjes, [link](https://…) en @naam om iemand te noemen."
        ),
    )
    contributions = forms.ModelMultipleChoiceField(
        label=_("Bijdragen die eruit voortkwamen (niet verplicht)"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Bijdragen uit de gemeenschap of over de thema's van de bijeenkomst, "
            "vanaf een maand ervoor."
        ),
    )

    def __init__(self, *args, contribution_choices, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["contributions"]
        field.queryset = contribution_choices
        field.label_from_instance = lambda c: f"{c.title} ({c.community.title})"
        if not contribution_choices.exists():
            del self.fields["contributions"]

    def clean_body(self) -> str:
        body = self.cleaned_data["body"].strip()
        if not body:
            raise forms.ValidationError(_("Schrijf eerst iets."))
        return body


class WalkInGuestForm(KeepWhatTheyTypedMixin, forms.Form):
    """Someone without an account at the door: a name, and an email address only if they want."""

    name = forms.CharField(
        label=_("Naam"),
        max_length=150,
        error_messages={"required": _("Vul een naam in.")},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    email = forms.EmailField(
        label=_("E-mailadres (niet verplicht)"),
        required=False,
        help_text=_("Alleen als diegene bericht wil, bijvoorbeeld over het verslag."),
        error_messages={
            "invalid": _("Dit is geen geldig e-mailadres, bijvoorbeeld naam@voorbeeld.nl.")
        },
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    over_capacity = forms.BooleanField(
        label=_("Toch binnenlaten, ook als alle plaatsen bezet zijn"), required=False
    )

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Vul een naam in."))
        return name


class WalkInMemberForm(forms.Form):
    """A member found by the door search; the button carries their id."""

    member = forms.IntegerField(min_value=1)
    over_capacity = forms.BooleanField(required=False)
