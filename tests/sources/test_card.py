"""The preview card on the contribution page: what the other site said, escaped; its image our
own copy; a video's player only after the reader asks for it."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from sources.models import ContributionLink, Source
from tests.knowledge.factories import ContributionFactory
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db

XSS = '<script>alert("og")</script><img src=x onerror=alert(1)>'


def linked(contribution, **fields) -> Source:
    fields.setdefault("state", Source.State.READY)
    fields.setdefault("fetched_at", dt.datetime(2026, 12, 7, 10, tzinfo=dt.UTC))
    source = Source.objects.create(url=fields.pop("url", "https://example.org/"), **fields)
    ContributionLink.objects.create(contribution=contribution, source=source)
    return source


def detail(client, contribution) -> str:
    response = client.get(reverse("knowledge:contribution_detail", kwargs={"pk": contribution.pk}))
    assert response.status_code == 200
    return response.content.decode()


def test_the_card_shows_the_preview_escaped(client, community):
    contribution = ContributionFactory(community=community, source_url="https://example.org/")
    source = linked(
        contribution,
        title=XSS,
        description=f"Beschrijving {XSS}",
        site_name='Site" onmouseover="alert(2)',
    )
    source.image.save("p.jpg", ContentFile(b"\xff\xd8\xff fake"), save=True)
    html = detail(client, contribution)
    assert 'class="link-preview"' in html
    assert "&lt;script&gt;alert(&quot;og&quot;)&lt;/script&gt;" in html
    assert '<script>alert("og")' not in html
    assert "<img src=x" not in html
    assert 'onmouseover="alert(2)' not in html
    assert 'href="https://example.org/"' in html
    assert f'src="{source.image.url}"' in html


@pytest.mark.parametrize("state", [Source.State.PENDING, Source.State.FAILED])
def test_no_card_before_a_preview_was_fetched(client, community, state):
    contribution = ContributionFactory(community=community, source_url="https://example.org/")
    linked(contribution, state=state, title="Nog niet")
    html = detail(client, contribution)
    assert "link-preview" not in html
    assert "Nog niet" not in html


def test_a_video_loads_its_player_only_when_asked(client, community):
    contribution = ContributionFactory(community=community, body="https://youtu.be/dQw4w9WgXcQ")
    linked(
        contribution,
        url="https://youtu.be/dQw4w9WgXcQ",
        title='Fietsband "plakken"',
        site_name="YouTube",
        embed_url="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
    )
    html = detail(client, contribution)
    # No player in the page: the browser asks YouTube for nothing until the button is pressed.
    assert "<iframe" not in html
    assert "data-embed-player=" in html
    assert "&lt;iframe src=&quot;https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ&quot;" in html
    assert "data-embed-load hidden" in html
    assert "js/embed-consent.js" in html
    # Without JavaScript: a link to the video on its own site.
    assert 'href="https://youtu.be/dQw4w9WgXcQ"' in html


def test_a_preview_in_a_private_community_stays_there(client, private_community, member):
    contribution = ContributionFactory(
        community=private_community, source_url="https://example.org/geheim"
    )
    linked(contribution, url="https://example.org/geheim", title="Openbare pagina")
    url = reverse("knowledge:contribution_detail", kwargs={"pk": contribution.pk})
    assert client.get(url).status_code == 404
    client.force_login(member)
    assert client.get(url).status_code == 404


def test_the_card_takes_one_query_however_many_sources(client, community):
    contribution = ContributionFactory(community=community, source_url="https://example.org/")
    linked(contribution, title="Kaart")
    url = reverse("knowledge:contribution_detail", kwargs={"pk": contribution.pk})
    made = []

    def add(n):
        for _ in range(n):
            other = ContributionFactory(community=community)
            made.append(linked(other, url=f"https://example.org/{other.pk}", title="Ander"))

    assert_constant_queries(client, url, add, label="contribution detail with a link preview")
    assert "Kaart" in detail(client, contribution)
