"""Shared behaviour of the site's forms."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

TOO_LONG = _("Houd het kort: hooguit %(limit_value)d tekens (nu %(show_value)d).")


class KeepWhatTheyTypedMixin:
    """Too long is an error at the field, never a silent cut.

    Django renders `max_length` as the HTML `maxlength` attribute, and a browser then cuts
    pasted text at the limit without a word: the member posts half their text and gets a
    success message. Without the attribute the server sees all of it, refuses it with a
    message next to the field and shows the form again with everything they typed.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if getattr(field, "max_length", None) is None:
                continue
            field.widget.attrs.pop("maxlength", None)
            field.error_messages.setdefault("max_length", TOO_LONG)
