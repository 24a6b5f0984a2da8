"""Mijn gegevens downloaden: the page, the request, and a download only its owner gets."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from django.core import mail

from privacy.models import DataExport
from tests.communities.factories import UserFactory

pytestmark = pytest.mark.django_db

PAGE = "/instellingen/gegevens/"


def _download_url(export) -> str:
    return f"/instellingen/gegevens/{export.pk}/download/"


@pytest.fixture
def ready(client, member, django_capture_on_commit_callbacks):
    """Mila asked for her data on the page; the task ran (eagerly, as on the embedded default)."""
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(PAGE)
    assert response.status_code == 302
    return DataExport.objects.get(member=member)


def test_the_page_needs_login(client):
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/instellingen/gegevens/")


def test_the_page_offers_the_request_and_is_linked_from_the_settings(client, member):
    client.force_login(member)
    page = client.get(PAGE).content.decode()
    assert "Mijn gegevens downloaden" in page
    assert "Vraag je gegevens aan" in page
    assert 'href="/instellingen/gegevens/"' in client.get("/instellingen/").content.decode()


def test_requesting_builds_the_zip_mails_a_link_and_shows_it(client, member, ready):
    assert ready.state == DataExport.State.READY
    (message,) = mail.outbox
    assert _download_url(ready) in message.body
    page = client.get(PAGE).content.decode()
    assert "Klaar om te downloaden" in page
    assert f'href="{_download_url(ready)}"' in page
    assert "Vraag een nieuwe download aan" in page

    response = client.get(_download_url(ready))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="kenniscloud-gegevens-')
    assert "no-store" in response["Cache-Control"]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert "profile.json" in archive.namelist()


def test_the_download_link_needs_login(client, ready):
    client.logout()
    response = client.get(_download_url(ready))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_another_member_cannot_download_it(client, ready):
    client.force_login(UserFactory())
    assert client.get(_download_url(ready)).status_code == 404
    # Nor can they see it exists on their own page.
    assert _download_url(ready) not in client.get(PAGE).content.decode()


def test_a_second_request_while_one_is_being_made_is_refused(client, member):
    client.force_login(member)
    # Without running the task: the first stays pending.
    client.post(PAGE)
    response = client.post(PAGE, follow=True)
    page = response.content.decode()
    assert "We maken je download al." in page
    assert DataExport.objects.filter(member=member).count() == 1
    # The page shows the state and no button while it is being made.
    assert "Aangevraagd" in page
    assert "Vraag je gegevens aan" not in page
    assert "Vraag een nieuwe download aan" not in page


def test_an_expired_download_is_gone(client, ready, clock):
    clock.set(ready.expires_at + dt.timedelta(seconds=1))
    response = client.get(_download_url(ready))
    assert response.status_code == 410
    assert "Deze download is er niet meer" in response.content.decode()
    page = client.get(PAGE).content.decode()
    assert _download_url(ready) not in page
    assert "Verlopen" in page


def test_only_get_and_post(client, member):
    client.force_login(member)
    assert client.put(PAGE).status_code == 405
