"""Profile photos: checked and re-encoded in one place, whichever door they come through.

The member's profile form, the Wagtail user edit and the Django admin all get their form field
from `AvatarField` (the model field), so every upload passes `avatar_clean`: a size cap, the
first bytes against an allow-list (JPEG, PNG, WebP; never SVG), a pixel cap read from the
header before anything is decoded (a 40-kilobyte PNG can claim 100 megapixels and would take
gigabytes to decode), Pillow's own check, and then a fresh encode: turned upright, scaled to at
most AVATAR_SIDE pixels, without EXIF (a phone puts the GPS position of the photo there), XMP,
ICC profile or text chunks, under a random file name.
"""

from __future__ import annotations

import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models
from django.utils.translation import gettext_lazy as _

from kenniscloud.common.images import JPEG, PNG, WEBP, ImageRejected, reencode_image

AVATAR_MAX_BYTES = 5 * 1024 * 1024
AVATAR_MAX_PIXELS = 40_000_000
AVATAR_SIDE = 512
AVATAR_FORMATS = frozenset({JPEG, PNG, WEBP})

MESSAGES = {
    "too_big": _("Kies een foto kleiner dan 5 MB."),
    "format": _("Kies een foto in JPEG, PNG of WebP."),
    "too_many_pixels": _(
        "Deze foto is te groot: hooguit 40 megapixels. Verklein hem en probeer het opnieuw."
    ),
    "broken": _("We kunnen deze foto niet lezen. Misschien is het bestand beschadigd."),
}


def _error(code: str) -> ValidationError:
    return ValidationError(MESSAGES[code], code=f"avatar_{code}")


def avatar_clean(upload) -> ContentFile:
    """The photo as we store it, or a ValidationError with a message for the field.

    The checks and the fresh encode are the shared image pipeline's
    (kenniscloud/common/images.py), as for attachments."""
    if upload.size is not None and upload.size > AVATAR_MAX_BYTES:
        raise _error("too_big")
    upload.seek(0)
    data = upload.read(AVATAR_MAX_BYTES + 1)
    try:
        image = reencode_image(
            data,
            max_side=AVATAR_SIDE,
            max_bytes=AVATAR_MAX_BYTES,
            max_pixels=AVATAR_MAX_PIXELS,
            formats=AVATAR_FORMATS,
        )
    except ImageRejected as rejected:
        raise _error(rejected.code) from None
    return ContentFile(image.data, name=f"{uuid.uuid4().hex}.{image.extension}")


class AvatarFormField(forms.ImageField):
    """An image field that stores what `avatar_clean` makes of the upload."""

    def to_python(self, data):
        upload = forms.FileField.to_python(self, data)
        if upload is None:
            return None
        cleaned = avatar_clean(upload)
        cleaned.content_type = "image/png" if cleaned.name.endswith(".png") else "image/jpeg"
        return cleaned

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if isinstance(widget, forms.FileInput) and "accept" not in widget.attrs:
            attrs["accept"] = "image/jpeg,image/png,image/webp"
        return attrs


class AvatarField(models.ImageField):
    """A profile photo: every model form of it validates and re-encodes through
    `AvatarFormField`."""

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": AvatarFormField, **kwargs})

    def deconstruct(self):
        # Stored like any ImageField: the checks are a matter of forms, not of the schema.
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.ImageField", args, kwargs
