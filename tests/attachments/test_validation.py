"""Every check of attachments.validation, on a corpus of bad files made in the test."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from attachments.validation import IMAGE, PDF, clean_name, prepare_upload

from . import corpus


def refused(upload) -> str:
    with pytest.raises(ValidationError) as caught:
        prepare_upload(upload)
    return caught.value.code


def test_a_photo_comes_out_as_jpeg_with_renditions():
    prepared = prepare_upload(corpus.jpeg(size=(3000, 2000)))
    assert prepared.kind == IMAGE
    assert prepared.content_type == "image/jpeg"
    assert (prepared.width, prepared.height) == (2048, 1365)  # IMAGE_MAX_SIDE
    assert [r.width for r in prepared.renditions] == [320, 640, 1280]
    for rendition in prepared.renditions:
        assert Image.open(io.BytesIO(rendition.data)).size == (rendition.width, rendition.height)


def test_a_small_photo_has_no_renditions_wider_than_itself():
    prepared = prepare_upload(corpus.jpeg(size=(500, 300)))
    assert [r.width for r in prepared.renditions] == [320]
    assert (prepared.width, prepared.height) == (500, 300)


def test_gps_and_other_exif_are_gone_and_the_photo_is_upright():
    upload = corpus.jpeg_with_gps(size=(600, 400))
    assert b"Telefoonmerk" in upload.read()
    prepared = prepare_upload(upload)
    for data in [prepared.data, *(r.data for r in prepared.renditions)]:
        image = Image.open(io.BytesIO(data))
        assert not image.getexif()  # no GPS, no maker, no orientation left
        assert b"Exif" not in data and b"Telefoonmerk" not in data
    # Orientation 6 turned it: 600x400 as stored, 400x600 as seen.
    assert (prepared.width, prepared.height) == (400, 600)


def test_wrong_magic_is_refused_whatever_the_name_says():
    assert refused(corpus.text_named_jpg()) == "attachment_format"
    assert refused(corpus.html_as_pdf()) == "attachment_format"


def test_svg_with_script_is_refused():
    assert refused(corpus.svg()) == "attachment_format"


def test_a_polyglot_loses_its_second_life():
    prepared = prepare_upload(corpus.polyglot_png_html())
    assert b"<script>" not in prepared.data and b"<html>" not in prepared.data
    assert Image.open(io.BytesIO(prepared.data)).size == (40, 30)


def test_a_hundred_megapixel_png_is_refused_before_decoding():
    upload = corpus.png_claiming(10_000, 10_000)
    assert upload.size < 100_000  # small on disk, 100 MP once decoded
    assert refused(upload) == "attachment_too_many_pixels"


def test_the_pixel_cap_comes_from_the_settings(settings):
    settings.ATTACHMENT_MAX_PIXELS = 1_000_000
    assert refused(corpus.jpeg(size=(1200, 1000))) == "attachment_too_many_pixels"


def test_an_oversized_photo_is_refused_on_its_size(settings):
    settings.ATTACHMENT_IMAGE_MAX_BYTES = 2 * 1024 * 1024
    with pytest.raises(ValidationError) as caught:
        prepare_upload(corpus.oversized_jpeg(2 * 1024 * 1024))
    assert caught.value.code == "attachment_too_big_image"
    assert "2 MB" in caught.value.messages[0]  # the message names the cap


def test_an_oversized_pdf_is_refused_on_its_size(settings):
    size = corpus.pdf().size
    settings.ATTACHMENT_PDF_MAX_BYTES = size
    assert prepare_upload(corpus.pdf()).kind == PDF
    settings.ATTACHMENT_PDF_MAX_BYTES = size - 1
    assert refused(corpus.pdf()) == "attachment_too_big_pdf"


def test_a_photo_over_the_image_cap_is_refused_even_under_the_pdf_cap(settings):
    settings.ATTACHMENT_IMAGE_MAX_BYTES = 1000
    settings.ATTACHMENT_PDF_MAX_BYTES = 10_000_000
    assert refused(corpus.jpeg(size=(400, 300))) == "attachment_too_big_image"


def test_a_broken_image_is_refused():
    data = corpus.jpeg().read()
    from django.core.files.uploadedfile import SimpleUploadedFile

    cut = SimpleUploadedFile("foto.jpg", data[:300], content_type="image/jpeg")
    assert refused(cut) == "attachment_broken"


def test_heic_magic_without_a_readable_image_is_refused():
    assert refused(corpus.heic_like_text()) in {"attachment_broken", "attachment_format"}


def test_a_pdf_is_kept_as_it_came():
    upload = corpus.pdf("Jaarverslag 2026.pdf")
    original = upload.read()
    prepared = prepare_upload(upload)
    assert prepared.kind == PDF
    assert prepared.data == original
    assert prepared.original_name == "Jaarverslag 2026.pdf"


def test_a_pdf_without_its_trailer_is_refused():
    assert refused(corpus.pdf(complete=False)) == "attachment_broken_pdf"


def test_the_members_file_name_is_cleaned():
    assert clean_name("../../etc/passwd") == "passwd"
    assert clean_name('C:\\Users\\x\\"foto"<1>.jpg') == "foto1.jpg"
    assert clean_name("") == "bestand"


def test_an_iphone_photo_becomes_a_jpeg():
    prepared = prepare_upload(corpus.heic())
    assert prepared.content_type == "image/jpeg"
    assert prepared.original_name == "IMG_0001.jpg"
    assert Image.open(io.BytesIO(prepared.data)).format == "JPEG"
