"""Every file a member attaches passes here before anything is stored.

In this order: the size in bytes (images ATTACHMENT_IMAGE_MAX_BYTES, PDFs
ATTACHMENT_PDF_MAX_BYTES), the first bytes against an allow-list (JPEG, PNG, WebP, HEIC, PDF;
never SVG, HTML or anything else a browser could run, whatever the name or the browser's
content type says), then per kind:

- an image is opened and verified, refused above ATTACHMENT_MAX_PIXELS (read from the header,
  before decoding), turned upright and written anew without metadata, with its renditions,
  by the shared pipeline (kenniscloud/common/images.py);
- a PDF must have its header and, at its end, the trailer (`%%EOF` after `startxref`). It is
  stored as it came, and only ever served as a download in a sandbox (attachments.views).

The result is a `PreparedUpload`: bytes in memory, nothing written yet. The services write
the files once the post that carries them is committed, so a failed post leaves no file.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from kenniscloud.common import images

IMAGE = "image"
PDF = "pdf"

PDF_MAGIC = b"%PDF-"
# The trailer sits in the last bytes of a well-formed PDF; a little slack for trailing
# whitespace and the odd generator that appends a newline or two.
PDF_TAIL = 2048

# The main copy of an image: large enough for a full-screen view on a laptop.
IMAGE_MAX_SIDE = 2048
# Widths of the smaller copies for srcset and the digest's thumbnail.
RENDITION_WIDTHS = (320, 640, 1280)

ACCEPT = "image/jpeg,image/png,image/webp,image/heic,image/heif,application/pdf,.heic,.heif"

MESSAGES = {
    "too_big_image": _("Kies een foto kleiner dan %(mb)s MB."),
    "too_big_pdf": _("Kies een PDF kleiner dan %(mb)s MB."),
    "format": _(
        "Dit bestand kunnen we niet plaatsen. Kies een foto (JPEG, PNG, WebP, HEIC) of een PDF."
    ),
    "too_many_pixels": _(
        "Deze foto is te groot: hooguit %(mp)s megapixels. Verklein hem en probeer het opnieuw."
    ),
    "broken": _("We kunnen dit bestand niet lezen. Misschien is het beschadigd."),
    "broken_pdf": _(
        "Deze PDF is niet compleet of beschadigd. Sla hem opnieuw op en probeer het nog eens."
    ),
}


@dataclass(frozen=True)
class Rendition:
    width: int
    height: int
    data: bytes


@dataclass(frozen=True)
class PreparedUpload:
    """A checked file, ready to store. Only `prepare_upload` makes them."""

    kind: str  # IMAGE or PDF
    data: bytes
    content_type: str
    extension: str
    original_name: str
    width: int | None = None
    height: int | None = None
    renditions: tuple[Rendition, ...] = field(default=())


def image_max_bytes() -> int:
    return settings.ATTACHMENT_IMAGE_MAX_BYTES


def pdf_max_bytes() -> int:
    return settings.ATTACHMENT_PDF_MAX_BYTES


def _error(code: str) -> ValidationError:
    params = {
        "mb": (image_max_bytes() if code == "too_big_image" else pdf_max_bytes()) // 2**20,
        "mp": settings.ATTACHMENT_MAX_PIXELS // 1_000_000,
    }
    return ValidationError(MESSAGES[code], code=f"attachment_{code}", params=params)


def kind_of(head: bytes) -> str | None:
    """IMAGE or PDF from the first bytes (16 are enough), or None for anything else."""
    if head.startswith(PDF_MAGIC):
        return PDF
    if images.image_format_of(head) is not None:
        return IMAGE
    return None


def clean_name(name: str) -> str:
    """The member's file name, for showing and as the download's name: no path, no control
    characters, at most 100 characters. Never used to store the file."""
    name = unicodedata.normalize("NFC", (name or "").replace("\\", "/").rsplit("/", 1)[-1])
    name = re.sub(r"[\x00-\x1f\x7f\"<>]", "", name).strip(" .")
    return name[-100:] or "bestand"


def _pdf_looks_whole(data: bytes) -> bool:
    tail = data[-PDF_TAIL:]
    end = tail.rfind(b"%%EOF")
    return end != -1 and tail.rfind(b"startxref", 0, end) != -1


def _prepare_image(data: bytes, name: str) -> PreparedUpload:
    max_pixels = settings.ATTACHMENT_MAX_PIXELS
    try:
        checked = images.open_image_checked(data, max_pixels=max_pixels)
        upright = images.upright_without_metadata(checked, draft_side=IMAGE_MAX_SIDE)
    except images.ImageRejected as rejected:
        raise _error(rejected.code) from None
    main = images.scaled(upright, IMAGE_MAX_SIDE)
    image_format = images.PNG if images.has_alpha(main) else images.JPEG
    renditions = []
    for width in RENDITION_WIDTHS:
        if width >= main.width:
            break
        copy = images.scaled_to_width(main, width)
        renditions.append(Rendition(copy.width, copy.height, images.encode(copy, image_format)))
    stem = name.rsplit(".", 1)[0] if "." in name else name
    return PreparedUpload(
        kind=IMAGE,
        data=images.encode(main, image_format, quality=85),
        content_type=images.CONTENT_TYPES[image_format],
        extension=images.EXTENSIONS[image_format],
        # HEIC comes out as JPEG: the name says what it is now.
        original_name=f"{stem}.{images.EXTENSIONS[image_format]}",
        width=main.width,
        height=main.height,
        renditions=tuple(renditions),
    )


def prepare_upload(upload) -> PreparedUpload:
    """The checked file, or a ValidationError with a message for the field. `upload` is a
    Django UploadedFile (or anything with size, name, seek and read)."""
    cap = max(image_max_bytes(), pdf_max_bytes())
    if upload.size is not None and upload.size > cap:
        # Larger than any kind may be: refused before a byte is read.
        raise _error("too_big_pdf" if upload.size > pdf_max_bytes() else "too_big_image")
    upload.seek(0)
    data = upload.read(cap + 1)
    kind = kind_of(data[:16])
    if kind == IMAGE and len(data) > image_max_bytes():
        raise _error("too_big_image")
    if kind == PDF and len(data) > pdf_max_bytes():
        raise _error("too_big_pdf")
    if kind is None:
        raise _error("format")
    name = clean_name(getattr(upload, "name", ""))
    if kind == IMAGE:
        return _prepare_image(data, name)
    if not _pdf_looks_whole(data):
        raise _error("broken_pdf")
    stem = name[:-4] if name.lower().endswith(".pdf") else name
    return PreparedUpload(
        kind=PDF,
        data=data,
        content_type="application/pdf",
        extension="pdf",
        original_name=f"{stem}.pdf",
    )
