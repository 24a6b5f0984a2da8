from django import forms
from django.utils.translation import gettext_lazy as _

from attachments.forms import AttachmentFieldsMixin
from communities.models import Theme
from kenniscloud.common.forms import KeepWhatTheyTypedMixin

from .models import Contribution
from .parts import PART_MAX_LENGTH, PARTS, Part, has_parts, parts_from
from .services import MEMBER_KINDS


def _part_field(part: Part) -> forms.CharField:
    return forms.CharField(
        label=part.heading,
        help_text=part.help_text,
        required=False,
        max_length=PART_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class ContributionForm(KeepWhatTheyTypedMixin, AttachmentFieldsMixin, forms.Form):
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
        # Required unless a part is filled (clean()); the error says which.
        required=False,
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

    # Knowledge structure: optional parts, shown in their own "Schrijf in delen" section of
    # the template (`part_fields`), after the body.
    part_situation = _part_field(PARTS[0])
    part_approach = _part_field(PARTS[1])
    part_result = _part_field(PARTS[2])
    part_lessons = _part_field(PARTS[3])
    part_sources = _part_field(PARTS[4])

    def main_fields(self):
        # The parts and the attachments have sections of their own in the template.
        return [
            field
            for field in self
            if not field.name.startswith("part_") and not self.is_attachment_field(field.name)
        ]

    def part_fields(self):
        return [field for field in self if field.name.startswith("part_")]

    @property
    def parts_open(self) -> bool:
        """Whether "Schrijf in delen" starts unfolded: for an experience, or when a part has
        text (or an error)."""
        kind = self.data.get("kind") if self.is_bound else self.initial.get("kind")
        if kind == Contribution.Kind.EXPERIENCE:
            return True
        return any(field.errors or (field.value() or "").strip() for field in self.part_fields())

    def parts(self) -> dict[str, str]:
        return parts_from(self.cleaned_data)

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
        body = cleaned.get("body")
        if body is not None and not body.strip() and not has_parts(parts_from(cleaned)):
            self.add_error(
                "body", _("Schrijf eerst iets: in de tekst, of in een of meer van de delen.")
            )
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
