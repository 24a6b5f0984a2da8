"""One pipeline for every image that comes in from outside: profile photos
(communities/avatars.py), attachments on contributions and comments (attachments/), and images
fetched from other sites, such as link-preview images (`reencode_image`).

What an image passes, in this order:

1. its size in bytes (the caller's cap);
2. its first bytes against an allow-list (JPEG, PNG, WebP, HEIC): never SVG, HTML or anything a
   browser could run, whatever the file is called or the browser says it is;
3. its pixel count, read from the header before anything is decoded: a 40-kilobyte PNG can
   claim 100 megapixels and would take gigabytes to decode;
4. Pillow's own check of the file;
5. a fresh encode: turned upright as the EXIF orientation says, then written anew without EXIF
   (a phone puts the GPS position there), XMP, ICC profile or text chunks. What was appended
   to the file (a polyglot's second life as HTML or a zip) does not survive either.

Everything raises `ImageRejected` with a `code` ("too_big", "format", "too_many_pixels",
"broken"); each caller turns the code into its own message.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from functools import cache

from PIL import Image, ImageOps

JPEG = "JPEG"
PNG = "PNG"
WEBP = "WEBP"
HEIF = "HEIF"
ALL_FORMATS = frozenset({JPEG, PNG, WEBP, HEIF})

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
DEFAULT_MAX_PIXELS = 40_000_000
DEFAULT_MAX_SIDE = 1600

CONTENT_TYPES = {JPEG: "image/jpeg", PNG: "image/png", WEBP: "image/webp"}
EXTENSIONS = {JPEG: "jpg", PNG: "png", WEBP: "webp"}

# HEIF/HEIC major brands (ISO/IEC 23008-12); AVIF ("avif", "avis") is not among them.
_HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1"}


class ImageRejected(ValueError):
    """Why an image is not taken: `code` is one of too_big, format, too_many_pixels, broken."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def image_format_of(head: bytes) -> str | None:
    """The format the first bytes (16 are enough) announce, if it is one we accept."""
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    if head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS:
        return HEIF
    return None


@cache
def _heif_available() -> bool:
    """Teach Pillow HEIF (iPhone photos) once per process, if pillow-heif is installed."""
    try:
        import pillow_heif
    except ImportError:  # pragma: no cover - a runtime dependency, but never a crash
        return False
    pillow_heif.register_heif_opener()
    return True


def open_image_checked(
    data: bytes,
    *,
    formats: frozenset[str] = ALL_FORMATS,
    max_pixels: int = DEFAULT_MAX_PIXELS,
) -> Image.Image:
    """Steps 2-4 above: the image, opened (nothing decoded yet) and checked, or ImageRejected.

    The caller has checked the size (step 1).
    """
    expected = image_format_of(data[:16])
    if expected is None or expected not in formats:
        raise ImageRejected("format")
    if expected == HEIF and not _heif_available():
        raise ImageRejected("format")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageRejected("too_many_pixels") from None
    except (OSError, SyntaxError, ValueError):
        raise ImageRejected("broken") from None
    if image.format != expected:
        raise ImageRejected("format")
    width, height = image.size
    if width * height > max_pixels:
        raise ImageRejected("too_many_pixels")
    try:
        image.verify()
    except Exception:  # Pillow raises many kinds for a broken file.
        raise ImageRejected("broken") from None
    return Image.open(io.BytesIO(data))  # verify() leaves the image unusable.


def upright_without_metadata(image: Image.Image, *, draft_side: int | None = None) -> Image.Image:
    """Decode the checked image turned upright, in RGB or RGBA, with no metadata left.

    `draft_side` lets a JPEG decode at a reduced scale when only a smaller copy is needed
    (a 40-megapixel photo for a 1600-pixel rendition).
    """
    try:
        if draft_side and image.format == JPEG:
            image.draft("RGB", (draft_side, draft_side))
        upright = ImageOps.exif_transpose(image)
        has_alpha = upright.mode in ("RGBA", "LA", "PA") or "transparency" in upright.info
        result = upright.convert("RGBA" if has_alpha else "RGB")
    except Exception:  # Decoding a damaged file fails here at the latest.
        raise ImageRejected("broken") from None
    result.info.clear()  # No EXIF, XMP, ICC profile or text travels along.
    return result


def has_alpha(image: Image.Image) -> bool:
    return image.mode == "RGBA"


def scaled(image: Image.Image, max_side: int) -> Image.Image:
    """A copy at most `max_side` pixels wide and high (never larger than the original)."""
    copy = image.copy()
    copy.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    return copy


def scaled_to_width(image: Image.Image, width: int) -> Image.Image:
    if image.width <= width:
        return image.copy()
    height = max(1, round(image.height * width / image.width))
    return image.resize((width, height), Image.Resampling.LANCZOS)


def flattened(image: Image.Image, background=(255, 255, 255)) -> Image.Image:
    """RGB, with transparency laid on a plain background (for JPEG)."""
    if not has_alpha(image):
        return image
    base = Image.new("RGB", image.size, background)
    base.paste(image, mask=image.getchannel("A"))
    return base


def encode(image: Image.Image, image_format: str, *, quality: int = 82) -> bytes:
    """The image written anew in `image_format` (JPEG, PNG or WEBP), without metadata."""
    out = io.BytesIO()
    if image_format == JPEG:
        flattened(image).save(out, JPEG, quality=quality, optimize=True, progressive=True)
    elif image_format == PNG:
        image.save(out, PNG, optimize=True)
    elif image_format == WEBP:
        image.save(out, WEBP, quality=quality, method=4)
    else:
        raise ValueError(f"cannot encode {image_format}")
    return out.getvalue()


@dataclass(frozen=True)
class EncodedImage:
    data: bytes
    format: str  # JPEG, PNG or WEBP
    width: int
    height: int

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.format]

    @property
    def extension(self) -> str:
        return EXTENSIONS[self.format]


def reencode_image(
    data: bytes,
    *,
    max_side: int = DEFAULT_MAX_SIDE,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_pixels: int = DEFAULT_MAX_PIXELS,
    formats: frozenset[str] = ALL_FORMATS,
) -> EncodedImage:
    """Make safe bytes of an image from anywhere: a member's upload or a file fetched from
    another site (a link preview's og:image, re-hosted so visitors never load it from there).

    `data` is the whole file as received. It passes the checks of this module (size, first
    bytes, pixels before decoding, Pillow's verify) and is written anew: upright, at most
    `max_side` pixels on its longest side, without any metadata, as PNG when it has
    transparency and JPEG otherwise. Store the result under a name of your own
    (`EncodedImage.extension`) and serve it with `EncodedImage.content_type`.

    Raises `ImageRejected` (`.code`: too_big, format, too_many_pixels, broken) for anything
    else; nothing is written anywhere.
    """
    if len(data) > max_bytes:
        raise ImageRejected("too_big")
    image = open_image_checked(data, formats=formats, max_pixels=max_pixels)
    upright = scaled(upright_without_metadata(image, draft_side=max_side), max_side)
    image_format = PNG if has_alpha(upright) else JPEG
    return EncodedImage(
        data=encode(upright, image_format, quality=85),
        format=image_format,
        width=upright.width,
        height=upright.height,
    )
