"""A bio longer than its limit is refused at the field and kept in the form: never cut."""

from __future__ import annotations

import html

import pytest

from communities.models import User
from tests.html import field_errors

pytestmark = pytest.mark.django_db

TOO_LONG_BIO = "Ik help graag met zonnepanelen. " * 70  # 2 240 characters; the limit is 2 000.


def test_a_too_long_bio_is_refused_and_kept(client, member):
    client.force_login(member)
    page = client.get("/instellingen/profiel/").content.decode()
    assert 'maxlength="2000"' not in page

    response = client.post(
        "/instellingen/profiel/",
        {
            "display_name": member.display_name,
            "handle": member.handle,
            "bio": TOO_LONG_BIO,
            "contact_visibility": "nobody",
            "language": "nl",
        },
    )

    assert response.status_code == 200
    typed = TOO_LONG_BIO.strip()  # Django strips the ends, the rest is counted.
    assert f"Houd het kort: hooguit 2000 tekens (nu {len(typed)})." in field_errors(response, "bio")
    assert User.objects.get(pk=member.pk).bio == ""
    assert typed in html.unescape(response.content.decode())
