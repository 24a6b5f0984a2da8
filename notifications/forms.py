"""Validation of the preferences form and the librarians' preview form."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.forms.utils import ErrorList
from django.utils.translation import gettext_lazy as _

from communities.models import Community, User

from .models import CommunityFollow, DigestFrequency
from .selectors import CommunityLevel, region_choices, theme_choices

COMMUNITY_PREFIX = "community_"


class PreferencesForm(forms.Form):
    """Every preference on one page; one radio group per community the member belongs to."""

    digest_frequency = forms.ChoiceField(
        label=_("Hoe vaak wil je een overzicht per e-mail?"),
        choices=DigestFrequency.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Het overzicht komt om 7 uur 's ochtends, met wat er nieuw is in je gemeenschappen, "
            "thema's en regio. Is er niets nieuws, dan sturen we niets."
        ),
        error_messages={
            "required": _("Kies hoe vaak je een overzicht wilt."),
            "invalid_choice": _("Kies een van de mogelijkheden."),
        },
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Thema's die je volgt"),
        queryset=theme_choices(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Nieuwe artikelen over deze thema's staan in je overzicht."),
        error_messages={"invalid_choice": _("Dit thema bestaat niet (meer).")},
    )
    regions = forms.ModelMultipleChoiceField(
        label=_("Regio's die je volgt"),
        queryset=region_choices(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Bijeenkomsten in deze regio's staan in je overzicht, ook als je geen lid bent van "
            "de gemeenschap. Je eigen regio (in je profiel) volg je al."
        ),
        error_messages={"invalid_choice": _("Deze regio bestaat niet (meer).")},
    )
    reply_mail = forms.BooleanField(
        label=_("Mail me als iemand reageert op mijn bijdrage of reactie, of mij noemt"),
        required=False,
        help_text=_("Hooguit één mail per uur, met alles erin."),
    )

    def __init__(self, *args, community_levels: list[CommunityLevel], **kwargs):
        super().__init__(*args, **kwargs)
        self.community_ids = [entry.community.pk for entry in community_levels]
        self.community_errors = ErrorList()
        for entry in community_levels:
            self.fields[f"{COMMUNITY_PREFIX}{entry.community.pk}"] = forms.ChoiceField(
                label=entry.community.title,
                choices=CommunityFollow.Level.choices,
                widget=forms.RadioSelect,
                initial=entry.level,
                error_messages={
                    "required": _("Kies hoe je deze gemeenschap volgt."),
                    "invalid_choice": _("Kies een van de mogelijkheden."),
                },
            )

    def clean(self):
        """A posted level for a community that is not on the page was tampered with: refuse
        the whole form, and say why in the communities section."""
        cleaned = super().clean()
        self.community_errors = ErrorList()
        mine = {str(pk) for pk in self.community_ids}
        posted = {
            key.removeprefix(COMMUNITY_PREFIX)
            for key in self.data
            if key.startswith(COMMUNITY_PREFIX) and key.removeprefix(COMMUNITY_PREFIX) not in mine
        }
        if posted:
            known = Community.objects.filter(
                pk__in=[pk for pk in posted if pk.isdigit() and len(pk) < 19]
            ).count()
            if known < len(posted):
                self.community_errors.append(_("Deze gemeenschap bestaat niet (meer)."))
            if known:
                self.community_errors.append(
                    _("Je kunt alleen gemeenschappen volgen waar je lid van bent.")
                )
            for error in self.community_errors:
                self.add_error(None, error)
        return cleaned

    def community_fields(self):
        return [self[f"{COMMUNITY_PREFIX}{pk}"] for pk in self.community_ids]

    def community_levels(self) -> dict[int, str]:
        return {pk: self.cleaned_data[f"{COMMUNITY_PREFIX}{pk}"] for pk in self.community_ids}


class DigestPreviewForm(forms.Form):
    who = forms.CharField(
        label=_("Lid"),
        max_length=254,
        help_text=_(
            "Het e-mailadres of de gebruikersnaam van een lid van een gemeenschap van je "
            "bibliotheek."
        ),
    )
    frequency = forms.ChoiceField(
        label=_("Overzicht"),
        choices=[
            ("", _("Zoals het lid gekozen heeft")),
            (DigestFrequency.DAILY, _("Dagelijks")),
            (DigestFrequency.WEEKLY, _("Wekelijks")),
        ],
        required=False,
    )

    def __init__(self, *args, members: QuerySet[User], **kwargs):
        super().__init__(*args, **kwargs)
        # Whom the librarian may preview; someone outside it gets the same answer as nobody.
        self.members = members

    def clean_who(self) -> User:
        who = self.cleaned_data["who"].strip()
        member = (
            self.members.filter(email__iexact=who).first()
            or self.members.filter(handle=who.lstrip("@").lower()).first()
        )
        if member is None:
            raise forms.ValidationError(_("Er is geen lid met dit e-mailadres of deze naam."))
        return member
