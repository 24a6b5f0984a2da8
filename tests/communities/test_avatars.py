"""Profile photos through every door: the profile form, the Wagtail user edit and the Django
admin. Stored photos carry no EXIF (GPS) and have a random name; bombs and non-images are
refused with a message at the field."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from communities.models import User
from tests.communities.factories import UserFactory
from tests.communities.images import (
    GPS_IFD,
    jpeg_with_gps,
    png,
    png_claiming,
    svg,
    text_named_jpg,
)
from tests.html import field_errors
from tests.mfa import admin_login

pytestmark = pytest.mark.django_db

FORMAT = "Kies een foto in JPEG, PNG of WebP."
PIXELS = "Deze foto is te groot: hooguit 40 megapixels. Verklein hem en probeer het opnieuw."


def _stored(user: User) -> tuple[bytes, Image.Image]:
    user.refresh_from_db()
    with user.avatar.open("rb") as f:
        data = f.read()
    return data, Image.open(io.BytesIO(data))


def _post_profile(client, member: User, avatar):
    return client.post(
        "/instellingen/profiel/",
        {
            "display_name": member.display_name,
            "handle": member.handle,
            "contact_visibility": "nobody",
            "language": "nl",
            "avatar": avatar,
        },
    )


def test_the_stored_photo_has_no_gps_and_a_random_name(client, member):
    client.force_login(member)
    upload = jpeg_with_gps()
    assert b"GPS" in upload.read() or Image.open(upload).getexif().get_ifd(GPS_IFD)
    upload.seek(0)

    response = _post_profile(client, member, upload)

    assert response.status_code == 302
    data, image = _stored(member)
    assert image.format == "JPEG"
    assert b"Telefoonmerk" not in data
    assert not image.getexif()  # No GPS, no camera, no orientation left.
    assert not {"exif", "xmp", "icc_profile"} & set(image.info)
    assert image.size == (341, 512)  # Turned upright as the phone meant, then scaled down.
    assert member.avatar.name.startswith("avatars/")
    assert "vakantie" not in member.avatar.name


def test_a_transparent_png_stays_a_png(client, member):
    client.force_login(member)

    _post_profile(client, member, png(size=(1200, 600)))

    _data, image = _stored(member)
    assert (image.format, image.mode, image.size) == ("PNG", "RGBA", (512, 256))


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (lambda: png_claiming(10_000, 10_000), PIXELS),
        (lambda: png_claiming(8_000, 5_200), PIXELS),
        (text_named_jpg, FORMAT),
        (svg, FORMAT),
    ],
    ids=["100-megapixel-png", "41-megapixel-png", "text-named-jpg", "svg"],
)
def test_refused_uploads_show_a_message_and_store_nothing(client, member, upload, message):
    client.force_login(member)

    response = _post_profile(client, member, upload())

    assert response.status_code == 200
    assert message in field_errors(response, "avatar")
    member.refresh_from_db()
    assert not member.avatar


def test_a_photo_over_5_mb_is_refused(client, member):
    client.force_login(member)
    big = jpeg_with_gps()
    big.file.seek(0, io.SEEK_END)
    big.file.write(b"\0" * (5 * 1024 * 1024))
    big.size = big.file.tell()
    big.seek(0)

    response = _post_profile(client, member, big)

    assert "Kies een foto kleiner dan 5 MB." in field_errors(response, "avatar")


@pytest.fixture
def admin_client(client):
    admin_login(client, UserFactory(is_staff=True, is_superuser=True, handle="beheer"))
    return client


def test_the_wagtail_user_edit_cleans_and_refuses_the_same(admin_client, member):
    url = f"/cms/users/edit/{member.pk}/"
    data = {"email": member.email, "display_name": "Mila", "handle": "mila", "is_active": "on"}

    refused = admin_client.post(url, {**data, "avatar": png_claiming(10_000, 10_000)})
    assert refused.status_code == 200
    assert PIXELS in refused.content.decode()
    member.refresh_from_db()
    assert not member.avatar

    accepted = admin_client.post(url, {**data, "avatar": jpeg_with_gps()})
    assert accepted.status_code == 302
    _data, image = _stored(member)
    assert not image.getexif()


def test_the_django_admin_cleans_and_refuses_the_same(admin_client, member):
    url = f"/django-admin/communities/user/{member.pk}/change/"
    data = {
        "email": member.email,
        "display_name": member.display_name,
        "handle": member.handle,
        "contact_visibility": "nobody",
        "language": "nl",
        "is_active": "on",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "10:00:00",
        "_save": "Opslaan",
    }

    refused = admin_client.post(url, {**data, "avatar": text_named_jpg()})
    assert refused.status_code == 200
    assert FORMAT in refused.content.decode()

    accepted = admin_client.post(url, {**data, "avatar": jpeg_with_gps()})
    assert accepted.status_code == 302, accepted.content.decode()[-3000:]
    _data, image = _stored(member)
    assert not image.getexif()


def test_wagtails_own_profile_picture_gets_the_same_checks(rf, member):
    from wagtail.admin.views.account import AvatarSettingsPanel
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(member)

    def panel_form(upload):
        request = rf.post("/cms/account/", {"avatar-avatar": upload})
        request.user = member
        return AvatarSettingsPanel(request, member, profile).get_form()

    refused = panel_form(png_claiming(10_000, 10_000))
    assert not refused.is_valid()
    assert refused.errors["avatar"] == [PIXELS]

    accepted = panel_form(jpeg_with_gps())
    assert accepted.is_valid(), accepted.errors
    accepted.save()
    profile.refresh_from_db()
    with profile.avatar.open("rb") as f:
        image = Image.open(io.BytesIO(f.read()))
    assert not image.getexif()
    assert image.size == (341, 512)
