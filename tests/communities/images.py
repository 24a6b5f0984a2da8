"""Real image files for upload tests, made in memory."""

from __future__ import annotations

import io
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def jpeg_with_gps(name: str = "vakantie.jpg", size=(600, 400)) -> SimpleUploadedFile:
    """A phone photo: EXIF with a GPS position (Amsterdam), turned by the Orientation tag."""
    image = Image.new("RGB", size, (200, 80, 40))
    exif = Image.Exif()
    exif[ORIENTATION] = 6  # Shown rotated 90° clockwise.
    exif[0x010F] = "Telefoonmerk"
    gps = exif.get_ifd(GPS_IFD)
    gps.update({1: "N", 2: (52.0, 22.0, 12.5), 3: "E", 4: (4.0, 53.0, 40.1)})
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, quality=90)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def png(name: str = "logo.png", size=(64, 64), mode="RGBA") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new(mode, size, (0, 120, 200, 128)[: len(mode)]).save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def _chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data))
        + kind
        + data
        + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


def png_claiming(width: int, height: int, name: str = "groot.png") -> SimpleUploadedFile:
    """A valid 1-bit grayscale PNG of width x height, all black: a few kilobytes on disk,
    width x height pixels once decoded. Built row by row, never held decoded here."""
    compressor = zlib.compressobj(9)
    row = b"\x00" * (1 + (width + 7) // 8)  # filter byte + packed bits
    idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    data = (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0))
        + _chunk(b"IDAT", idat)
        + _chunk(b"IEND", b"")
    )
    return SimpleUploadedFile(name, data, content_type="image/png")


def text_named_jpg() -> SimpleUploadedFile:
    return SimpleUploadedFile("foto.jpg", b"Dit is geen foto.\n" * 20, content_type="image/jpeg")


def svg() -> SimpleUploadedFile:
    data = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    return SimpleUploadedFile("foto.svg", data, content_type="image/svg+xml")
