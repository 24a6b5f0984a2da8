"""Validation of what members type in."""

from django import forms
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from kenniscloud.common.forms import KeepWhatTheyTypedMixin

from .models import Region, Theme, User, validate_display_name
from .selectors import expertise_list_findable


class SignupForm(KeepWhatTheyTypedMixin, forms.Form):
    """Extra fields on allauth's sign-up form: the name others see."""

    display_name = forms.CharField(
        label=_("Je naam"),
        max_length=80,
        help_text=_("Zo zien anderen je. Je voornaam is genoeg."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    # Consent (AVG): the member says yes to the privacy statement of PRIVACY_STATEMENT_VERSION;
    # the adapter stores that version and the moment on the account.
    accept_terms = forms.BooleanField(
        required=True,
        error_messages={
            "required": _(
                "Vink aan dat je akkoord gaat met de voorwaarden en de privacyverklaring; zonder "
                "dat kunnen we geen account voor je maken."
            )
        },
    )
    field_order = ["display_name", "email", "password1", "password2", "accept_terms"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Built per form: the link follows the language of the page (/en/privacy/).
        self.fields["accept_terms"].label = format_html(
            gettext('Ik ga akkoord met de <a href="{url}">voorwaarden en de privacyverklaring</a>'),
            url=reverse("wagtail_serve", args=["privacy/"]),
        )

    def clean_display_name(self):
        name = self.cleaned_data["display_name"].strip()
        if not name:
            raise forms.ValidationError(_("Vul je naam in."))
        validate_display_name(name)
        return name

    def signup(self, request, user):
        """allauth calls this after saving; the adapter already stored the name and consent."""


class TelInput(forms.TextInput):
    """A phone number: the phone's number pad, and autofill offers the member's number."""

    input_type = "tel"

    def __init__(self, attrs=None):
        super().__init__({"autocomplete": "tel", **(attrs or {})})


class ProfileForm(KeepWhatTheyTypedMixin, forms.ModelForm):
    # Declared to pick the scheme for "example.org": https, as Django 6 will by default.
    website = forms.URLField(
        label=_("website"),
        required=False,
        max_length=200,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"autocomplete": "url"}),
    )
    expertise = forms.CharField(
        label=_("Kennis en interesses"),
        required=False,
        help_text=_("Waar weet je veel van, of wil je meer over weten? Scheid met komma's."),
    )

    # The opt-in last, right under what it makes findable (name, region, expertise).
    field_order = [
        "display_name",
        "handle",
        "bio",
        "region",
        "avatar",
        "website",
        "phone",
        "contact_visibility",
        "language",
        "expertise",
        "findable",
    ]

    class Meta:
        model = User
        fields = [
            "display_name",
            "handle",
            "bio",
            "region",
            "avatar",
            "website",
            "phone",
            "contact_visibility",
            "findable",
            "language",
        ]
        # autocomplete (WCAG 1.3.5): browsers fill in the member's own name and number.
        widgets = {
            "display_name": forms.TextInput(attrs={"autocomplete": "name"}),
            "phone": TelInput(),
            "bio": forms.Textarea(attrs={"rows": 5}),
            "contact_visibility": forms.RadioSelect,
            "language": forms.RadioSelect,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.order_by("name")
        self.fields["region"].empty_label = _("Geen regio")
        if self.instance.pk:
            self.initial["expertise"] = ", ".join(
                sorted(t.name for t in self.instance.expertise.all())
            )

    def clean_display_name(self) -> str:
        # Here as well as in User.clean(): the message then stands at the field at once.
        name = self.cleaned_data["display_name"]
        validate_display_name(name)
        return name

    def clean_handle(self) -> str:
        # Mentions and lookups are lowercase: "@Mila" must find the member with handle "mila".
        return self.cleaned_data["handle"].lower()

    def clean_expertise(self) -> list[str]:
        raw = self.cleaned_data.get("expertise") or ""
        tags = [t.strip() for t in raw.split(",") if t.strip()]
        if any(len(t) > 50 for t in tags):
            raise forms.ValidationError(_("Houd elk trefwoord korter dan 50 tekens."))
        if len(tags) > 20:
            raise forms.ValidationError(_("Kies hoogstens 20 trefwoorden."))
        return tags


class AddMemberForm(forms.Form):
    who = forms.CharField(
        label=_("E-mailadres of gebruikersnaam"),
        max_length=254,
        help_text=_("Het lid moet al een account hebben."),
    )

    def clean_who(self) -> User:
        who = self.cleaned_data["who"].strip().lstrip("@")
        user = (
            User.objects.filter(email__iexact=who, is_active=True).first()
            or User.objects.filter(handle=who.lower(), is_active=True).first()
        )
        if user is None:
            raise forms.ValidationError(_("We kennen niemand met dit e-mailadres of deze naam."))
        return user


class WhoKnowsWhatFilterForm(forms.Form):
    """The filters of Wie weet wat: a GET form that works without JavaScript, so a filtered
    list has an address to share (from a theme page, say)."""

    thema = forms.ModelChoiceField(
        label=_("Thema"), queryset=Theme.objects.none(), required=False, to_field_name="slug"
    )
    kennis = forms.ModelChoiceField(
        label=_("Kennis"), queryset=Tag.objects.none(), required=False, to_field_name="slug"
    )
    regio = forms.ModelChoiceField(
        label=_("Regio"), queryset=Region.objects.none(), required=False, to_field_name="slug"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["thema"].queryset = Theme.objects.order_by("sort_order", "title")
        self.fields["thema"].empty_label = _("Alle thema's")
        self.fields["kennis"].queryset = expertise_list_findable()
        self.fields["kennis"].empty_label = _("Alle kennis")
        self.fields["regio"].queryset = Region.objects.order_by("name")
        self.fields["regio"].empty_label = _("Alle regio's")

    def filters(self) -> dict:
        """The valid filters as keyword arguments for member_list_findable; a bad value is
        left out (and shown at its field)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "theme": data.get("thema"),
            "expertise": data.get("kennis"),
            "region": data.get("regio"),
        }
