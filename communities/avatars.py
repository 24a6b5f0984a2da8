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

import io
import uuid
import warnings

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps

AVATAR_MAX_BYTES = 5 * 1024 * 1024
AVATAR_MAX_PIXELS = 40_000_000
AVATAR_SIDE = 512

# The first bytes of each format we accept, and the name Pillow gives it.
_SIGNATURES = {
    "JPEG": (b"\xff\xd8\xff",),
    "PNG": (b"\x89PNG\r\n\x1a\n",),
}

MESSAGES = {
    "too_big": _("Kies een foto kleiner dan 5 MB."),
    "format": _("Kies een foto in JPEG, PNG of WebP."),
    "too_many_pixels": _(
        "Deze foto is te groot: hooguit 40 megapixels. Verklein hem en probeer het opnieuw."
    ),
    "broken": _("We kunnen deze foto niet lezen. Misschien is het bestand beschadigd."),
}


def _format_of(head: bytes) -> str | None:
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    for name, signatures in _SIGNATURES.items():
        if head.startswith(signatures):
            return name
    return None


def _error(code: str) -> ValidationError:
    return ValidationError(MESSAGES[code], code=f"avatar_{code}")


def _open_checked(data: bytes, expected_format: str) -> Image.Image:
    """Open (header only), check the format and the pixels, then let Pillow verify it."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _error("too_many_pixels") from None
    except (OSError, SyntaxError, ValueError):
        raise _error("broken") from None
    if image.format != expected_format:
        raise _error("format")
    width, height = image.size
    if width * height > AVATAR_MAX_PIXELS:
        raise _error("too_many_pixels")
    try:
        image.verify()
    except Exception:  # Pillow raises many kinds for a broken file.
        raise _error("broken") from None
    return Image.open(io.BytesIO(data))  # verify() leaves the image unusable.


def avatar_clean(upload) -> ContentFile:
    """The photo as we store it, or a ValidationError with a message for the field."""
    if upload.size is not None and upload.size > AVATAR_MAX_BYTES:
        raise _error("too_big")
    upload.seek(0)
    data = upload.read(AVATAR_MAX_BYTES + 1)
    if len(data) > AVATAR_MAX_BYTES:
        raise _error("too_big")
    image_format = _format_of(data[:16])
    if image_format is None:
        raise _error("format")
    image = _open_checked(data, image_format)
    try:
        image = ImageOps.exif_transpose(image)
        image.thumbnail((AVATAR_SIDE, AVATAR_SIDE), Image.Resampling.LANCZOS)
    except Exception:  # Decoding a damaged file fails here at the latest.
        raise _error("broken") from None
    has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    image = image.convert("RGBA" if has_alpha else "RGB")
    image.info.clear()  # No EXIF, XMP, ICC profile or text travels along.
    out = io.BytesIO()
    if has_alpha:
        image.save(out, "PNG", optimize=True)
        extension = "png"
    else:
        image.save(out, "JPEG", quality=85, optimize=True)
        extension = "jpg"
    return ContentFile(out.getvalue(), name=f"{uuid.uuid4().hex}.{extension}")


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
