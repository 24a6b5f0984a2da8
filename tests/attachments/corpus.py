"""Good and bad files for attachment tests, made in memory by each test: nothing from disk,
nothing from the internet."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.communities.images import jpeg_with_gps, png_claiming, svg, text_named_jpg

__all__ = [
    "jpeg",
    "jpeg_with_gps",
    "oversized_jpeg",
    "pdf",
    "png_claiming",
    "polyglot_png_html",
    "svg",
    "text_named_jpg",
]

SCRIPT = b"<html><body><script>alert(document.cookie)</script></body></html>"


def jpeg(name: str = "foto.jpg", size=(1600, 1200), color=(30, 120, 60)) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "JPEG", quality=80)
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def pdf(name: str = "verslag.pdf", *, complete: bool = True) -> SimpleUploadedFile:
    """A minimal one-page PDF; `complete=False` cuts it before its trailer."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (4, xref))
    data = out.getvalue()
    if not complete:
        data = data[: data.index(b"xref")]
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def polyglot_png_html() -> SimpleUploadedFile:
    """A real PNG with an HTML page appended: a browser sniffing it could run the script."""
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 20, 30)).save(out, "PNG")
    return SimpleUploadedFile("foto.png", out.getvalue() + SCRIPT, content_type="image/png")


def html_as_pdf() -> SimpleUploadedFile:
    """HTML whose name and content type claim PDF."""
    return SimpleUploadedFile("verslag.pdf", SCRIPT, content_type="application/pdf")


def oversized_jpeg(max_bytes: int) -> SimpleUploadedFile:
    """Starts as a JPEG, one byte over the cap: refused before it is read further."""
    return SimpleUploadedFile(
        "groot.jpg", b"\xff\xd8\xff\xe0" + b"\0" * (max_bytes - 3), content_type="image/jpeg"
    )


def heic_like_text() -> SimpleUploadedFile:
    """HEIC's first bytes, then nothing Pillow can read."""
    data = b"\0\0\0\x18ftypheic\0\0\0\0mif1heic" + b"\0" * 200
    return SimpleUploadedFile("foto.heic", data, content_type="image/heic")


def heic(name: str = "IMG_0001.HEIC", size=(640, 480)) -> SimpleUploadedFile:
    """An iPhone photo (HEIC), made with pillow-heif; the test skips without it."""
    import pytest

    pillow_heif = pytest.importorskip("pillow_heif")
    pillow_heif.register_heif_opener()
    out = io.BytesIO()
    Image.new("RGB", size, (90, 60, 30)).save(out, "HEIF")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/heic")
