"""Bibliotheek > Linkvoorbeelden in the Wagtail admin: a listing to read, nothing to edit."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sources.models import Source

pytestmark = pytest.mark.django_db


def test_the_listing_shows_sources_and_why_they_failed(admin_client):
    Source.objects.create(
        url="https://example.org/kapot", state=Source.State.FAILED, last_error="status: 500"
    )
    source = Source.objects.create(
        url="https://example.org/goed", state=Source.State.READY, title="Een <b>titel</b>"
    )
    response = admin_client.get(reverse("linkvoorbeelden:index"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "https://example.org/kapot" in html and "status: 500" in html
    assert "Een &lt;b&gt;titel&lt;/b&gt;" in html
    inspect = admin_client.get(reverse("linkvoorbeelden:inspect", args=[source.pk]))
    assert inspect.status_code == 200


def test_nobody_adds_edits_or_deletes_a_preview_here(admin_client):
    source = Source.objects.create(url="https://example.org/")
    for url in (
        reverse("linkvoorbeelden:add"),
        reverse("linkvoorbeelden:edit", args=[source.pk]),
        reverse("linkvoorbeelden:delete", args=[source.pk]),
    ):
        assert admin_client.get(url).status_code in (302, 403)
    assert admin_client.post(reverse("linkvoorbeelden:delete", args=[source.pk])).status_code in (
        302,
        403,
    )
    assert Source.objects.filter(pk=source.pk).exists()


def test_members_do_not_see_it(client, member):
    client.force_login(member)
    response = client.get(reverse("linkvoorbeelden:index"))
    assert response.status_code in (302, 403)


def test_it_is_in_the_library_menu(admin_client):
    # The sidebar of any admin page (here: another listing) holds the menu.
    html = admin_client.get(reverse("niet_gevonden:index")).content.decode()
    assert reverse("linkvoorbeelden:index") in html
