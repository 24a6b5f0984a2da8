from django import forms
from django.utils.translation import gettext_lazy as _

from communities.models import Theme
from kenniscloud.common.forms import KeepWhatTheyTypedMixin

from .models import Contribution
from .services import MEMBER_KINDS


class ContributionForm(KeepWhatTheyTypedMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("Wat wil je delen?"),
        choices=[(k.value, k.label) for k in Contribution.Kind if k in MEMBER_KINDS],
        widget=forms.RadioSelect,
        initial=Contribution.Kind.QUESTION,
    )
    title = forms.CharField(
        label=_("Titel"),
        max_length=200,
        min_length=5,
        error_messages={"min_length": _("Maak de titel wat langer: minstens 5 tekens.")},
        help_text=_("Een korte zin die zegt waar het over gaat."),
    )
    body = forms.CharField(
        label=_("Tekst"),
        widget=forms.Textarea(attrs={"rows": 10}),
        max_length=20000,
        help_text=_(
            "Je kunt Markdown gebruiken: **vet**, *schuin*, - lijstjes, [link](https://…)"
            " en @naam om iemand te noemen."
        ),
    )
    source_url = forms.URLField(
        label=_("Link naar een bron (niet verplicht)"),
        required=False,
        max_length=500,
        assume_scheme="https",
    )
    tags = forms.CharField(
        label=_("Trefwoorden (niet verplicht)"),
        required=False,
        help_text=_("Scheid met komma's, bijvoorbeeld: isolatie, subsidie"),
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Thema's"),
        queryset=Theme.objects.order_by("sort_order", "title"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def clean_title(self) -> str:
        title = self.cleaned_data["title"].strip()
        if len(title) < 5:
            raise forms.ValidationError(_("Maak de titel wat langer: minstens 5 tekens."))
        return title

    def clean_body(self) -> str:
        body = self.cleaned_data["body"]
        if not body.strip():
            raise forms.ValidationError(_("Schrijf eerst iets."))
        return body

    def clean_tags(self) -> list[str]:
        raw = self.cleaned_data.get("tags") or ""
        tags = [t.strip() for t in raw.split(",") if t.strip()]
        if any(len(t) > 50 for t in tags):
            raise forms.ValidationError(_("Houd elk trefwoord korter dan 50 tekens."))
        if len(tags) > 10:
            raise forms.ValidationError(_("Kies hoogstens 10 trefwoorden."))
        return tags

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == Contribution.Kind.SOURCE and not cleaned.get("source_url"):
            self.add_error("source_url", _("Geef bij een bron de link naar die bron."))
        return cleaned


class CommentForm(KeepWhatTheyTypedMixin, forms.Form):
    body = forms.CharField(
        label=_("Je reactie"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=5000,
        help_text=_("Je kunt Markdown gebruiken en @naam om iemand te noemen."),
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def clean_body(self) -> str:
        body = self.cleaned_data["body"]
        if not body.strip():
            raise forms.ValidationError(_("Schrijf eerst een reactie."))
        return body
