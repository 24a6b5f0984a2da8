"""The attachment fields of a posting form: a few slots, each a file and, for a photo, its
description. Slots rather than one multiple-file input: each description sits next to its
own file, and it works without JavaScript.

Mixed into knowledge.forms.ContributionForm after KeepWhatTheyTypedMixin (which then sees
these fields too), and usable for any post form. The view passes
`existing` (the post's attachments) on edit: they get a "remove" box, and only the free slots
are offered.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .services import NewAttachment
from .validation import ACCEPT, IMAGE, prepare_upload

PREFIX = "attachment_"
ALT_MAX_LENGTH = 250


class AttachmentFieldsMixin:
    """Adds attachment_<n>_file / attachment_<n>_alt fields and attachment_remove."""

    def __init__(self, *args, existing=(), **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.existing_attachments = list(existing)
        free = max(0, settings.ATTACHMENTS_MAX_PER_POST - len(self.existing_attachments))
        for n in range(1, free + 1):
            self.fields[f"{PREFIX}{n}_file"] = forms.FileField(
                label=_("Bestand %(n)s") % {"n": n},
                required=False,
                widget=forms.FileInput(attrs={"accept": ACCEPT}),
            )
            self.fields[f"{PREFIX}{n}_alt"] = forms.CharField(
                label=_("Wat is er op foto %(n)s te zien?") % {"n": n},
                help_text=_("Voor wie de foto niet kan zien. Niet nodig bij een PDF."),
                required=False,
                max_length=ALT_MAX_LENGTH,
            )
        if self.existing_attachments:
            self.fields[f"{PREFIX}remove"] = forms.MultipleChoiceField(
                label=_("Bestanden verwijderen"),
                required=False,
                choices=[(str(a.key), a.original_name) for a in self.existing_attachments],
                widget=forms.CheckboxSelectMultiple,
            )

    def attachment_slots(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        """(file, description) pairs, for the template."""
        count = sum(1 for name in self.fields if name.endswith("_file"))
        return [(self[f"{PREFIX}{n}_file"], self[f"{PREFIX}{n}_alt"]) for n in range(1, count + 1)]

    def attachment_remove_field(self):
        return self[f"{PREFIX}remove"] if f"{PREFIX}remove" in self.fields else None

    def is_attachment_field(self, name: str) -> bool:
        return name.startswith(PREFIX)

    def _clean_attachments(self) -> None:
        self.new_attachments: list[NewAttachment] = []
        for file_field, alt_field in self.attachment_slots():
            upload = self.cleaned_data.get(file_field.name)
            if not upload:
                continue
            try:
                prepared = prepare_upload(upload)
            except forms.ValidationError as error:
                self.add_error(file_field.name, error)
                continue
            alt_text = (self.cleaned_data.get(alt_field.name) or "").strip()
            if prepared.kind == IMAGE and not alt_text:
                self.add_error(
                    alt_field.name,
                    _("Beschrijf in een paar woorden wat er op de foto te zien is."),
                )
                continue
            self.new_attachments.append(NewAttachment(upload=prepared, alt_text=alt_text))

    def clean(self):
        cleaned = super().clean()
        self._clean_attachments()
        return cleaned

    def attachments_to_add(self) -> list[NewAttachment]:
        return getattr(self, "new_attachments", [])

    def attachments_to_remove(self) -> list[str]:
        return list(self.cleaned_data.get(f"{PREFIX}remove") or [])
