"""Fetching, storing and refreshing previews, and where they come from: one Source per
normalised address, fed by the contribution's source URL or the first bare link in its text."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone
from PIL import Image

from sources import oembed, safe_fetch, services, tasks
from sources.models import ContributionLink, Source
from tests.knowledge.factories import ContributionFactory
from tests.sources.conftest import Route, page, png_bytes

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 7, 10, 0, tzinfo=dt.UTC)


def source_for(url: str, *, contribution=None) -> Source:
    contribution = contribution or ContributionFactory(source_url=url)
    return services.contribution_link_sync(contribution_id=contribution.pk, now=NOW)


OG_PAGE = page(
    """
    <title>Titel uit title</title>
    <meta property="og:title" content="Zonnepanelen op je dak">
    <meta property="og:description" content="Wat het kost   en wat het oplevert.">
    <meta property="og:site_name" content="Energieloket">
    <meta property="og:image" content="/beeld.png">
    """
)


def test_an_opengraph_preview_with_its_image_re_hosted(page_server):
    page_server.routes["/artikel"] = Route(OG_PAGE)
    original = png_bytes()
    page_server.routes["/beeld.png"] = Route(original, content_type="image/png")
    source = source_for(page_server.url("/artikel"))

    assert services.source_fetch(source_id=source.pk, now=NOW) == "ready"

    source.refresh_from_db()
    assert source.state == Source.State.READY
    assert source.title == "Zonnepanelen op je dak"
    assert source.description == "Wat het kost en wat het oplevert."
    assert source.site_name == "Energieloket"
    assert source.fetched_at == NOW
    assert source.next_attempt_at == NOW + dt.timedelta(days=7)
    assert source.image.name.startswith("previews/") and source.image.name.endswith(".jpg")
    with source.image.open("rb") as stored:
        data = stored.read()
    assert data != original  # our own encode, not the other site's file
    assert Image.open(source.image.open("rb")).size == (40, 30)
    assert page_server.requests == ["/artikel", "/beeld.png"]


def test_a_json_ld_preview(page_server):
    page_server.routes["/ld"] = Route(
        page(
            """<script type="application/ld+json">
            {"@context": "https://schema.org", "@graph": [
              {"@type": "WebSite", "url": "/"},
              {"@type": "Article", "headline": "Buurtmoestuin in de wijk",
               "description": "Hoe het begon.", "publisher": {"@type": "Organization",
               "name": "Wijkkrant"}, "image": {"@type": "ImageObject", "url": "/no.png"}}
            ]}</script>"""
        )
    )
    source = source_for(page_server.url("/ld"))
    services.source_fetch(source_id=source.pk, now=NOW)
    source.refresh_from_db()
    assert (source.title, source.description, source.site_name) == (
        "Buurtmoestuin in de wijk",
        "Hoe het begon.",
        "Wijkkrant",
    )
    assert not source.image  # the image gave a 404: a preview without one
    assert page_server.requests == ["/ld", "/no.png"]


def test_a_plain_page_gives_its_title_and_description(page_server):
    page_server.routes["/plat"] = Route(
        page('<title> Gewoon een pagina </title><meta name="description" content="Uitleg.">')
    )
    source = source_for(page_server.url("/plat"))
    services.source_fetch(source_id=source.pk, now=NOW)
    source.refresh_from_db()
    assert (source.title, source.description, source.site_name) == (
        "Gewoon een pagina",
        "Uitleg.",
        "127.0.0.1",
    )


@pytest.mark.parametrize(
    ("image", "content_type"),
    [
        ("http://169.254.169.254/latest/meta-data/iam.png", "image/png"),
        ("/nep.png", "image/png"),  # HTML that says it is an image
        ("/nep.svg", "image/svg+xml"),
    ],
)
def test_an_image_we_do_not_take_leaves_the_preview_without_one(page_server, image, content_type):
    page_server.routes["/p"] = Route(
        page(
            '<meta property="og:title" content="Titel">'
            f'<meta property="og:image" content="{image}">'
        )
    )
    page_server.routes["/nep.png"] = Route(
        page("<script>alert(1)</script>"), content_type=content_type
    )
    page_server.routes["/nep.svg"] = Route(b"<svg onload='alert(1)'/>", content_type=content_type)
    source = source_for(page_server.url("/p"))
    assert services.source_fetch(source_id=source.pk, now=NOW) == "ready"
    source.refresh_from_db()
    assert source.title == "Titel"
    assert not source.image
    assert "/latest/meta-data/iam.png" not in page_server.requests


def test_a_refused_fetch_is_tried_again_later(page_server):
    page_server.routes["/pdf"] = Route(b"%PDF", content_type="application/pdf")
    source = source_for(page_server.url("/pdf"))
    assert services.source_fetch(source_id=source.pk, now=NOW) == "content_type"
    source.refresh_from_db()
    assert source.state == Source.State.FAILED
    assert source.failure_count == 1
    assert source.last_error.startswith("content_type")
    assert source.next_attempt_at == NOW + dt.timedelta(minutes=10)
    assert source.fetch_started_at is None


def test_a_private_address_is_never_fetched(monkeypatch):
    monkeypatch.setattr(safe_fetch, "resolve", lambda host, port: ["10.1.2.3"])
    source = source_for("https://intranet.example.org/salarissen")
    assert services.source_fetch(source_id=source.pk, now=NOW) == "address"
    source.refresh_from_db()
    assert (source.state, source.title) == (Source.State.FAILED, "")


def test_a_preview_is_refreshed_after_seven_days_and_not_before(page_server):
    route = Route(page('<meta property="og:title" content="Eerste versie">'))
    page_server.routes["/nieuws"] = route
    source = source_for(page_server.url("/nieuws"))
    services.source_fetch(source_id=source.pk, now=NOW)
    route.body = page('<meta property="og:title" content="Tweede versie">')

    six_days = NOW + dt.timedelta(days=6)
    assert services.sources_due(now=six_days) == []
    assert services.source_fetch(source_id=source.pk, now=six_days) == "fresh"
    assert page_server.requests == ["/nieuws"]

    seven_days = NOW + dt.timedelta(days=7, minutes=1)
    assert services.sources_due(now=seven_days) == [source.pk]
    assert services.source_fetch(source_id=source.pk, now=seven_days) == "ready"
    source.refresh_from_db()
    assert source.title == "Tweede versie"
    assert source.fetched_at == seven_days


def test_a_failed_refresh_keeps_the_preview_that_was_fetched(page_server):
    page_server.routes["/weg"] = Route(page('<meta property="og:title" content="Bewaard">'))
    source = source_for(page_server.url("/weg"))
    services.source_fetch(source_id=source.pk, now=NOW)
    del page_server.routes["/weg"]
    later = NOW + dt.timedelta(days=8)
    assert services.source_fetch(source_id=source.pk, now=later) == "status"
    source.refresh_from_db()
    assert (source.state, source.title, source.failure_count) == (Source.State.READY, "Bewaard", 1)


def test_a_claimed_source_is_not_fetched_twice(page_server):
    page_server.routes["/x"] = Route(page('<meta property="og:title" content="X">'))
    source = source_for(page_server.url("/x"))
    Source.objects.filter(pk=source.pk).update(fetch_started_at=NOW - dt.timedelta(seconds=5))
    assert services.source_fetch(source_id=source.pk, now=NOW) == "busy"
    assert page_server.requests == []
    # A claim from a worker that died is taken over.
    later = NOW + dt.timedelta(minutes=5)
    assert services.source_fetch(source_id=source.pk, now=later) == "ready"


def test_the_task_of_a_removed_source_does_nothing():
    assert tasks.source_fetch(987654) == "gone"


@pytest.mark.parametrize(
    "variant",
    [
        "https://Example.ORG/gids?utm_source=nieuwsbrief&utm_medium=mail",
        "https://example.org:443/gids#stap-2",
        "https://example.org/gids?fbclid=abc",
        "HTTPS://example.org./gids",
    ],
)
def test_one_source_per_normalised_address(variant):
    first = source_for("https://example.org/gids")
    second = source_for(variant)
    assert second.pk == first.pk
    assert Source.objects.count() == 1
    assert first.url == "https://example.org/gids"


def test_the_source_url_comes_first_then_the_first_bare_link():
    contribution = ContributionFactory(
        source_url="",
        body="Zie [de gids](https://named.example.org/) en https://bare.example.org/pagina). "
        "Of https://tweede.example.org/",
    )
    source = source_for("", contribution=contribution)
    assert source.url == "https://bare.example.org/pagina"

    contribution.source_url = "https://bron.example.org/"
    contribution.save()
    assert source_for("", contribution=contribution).url == "https://bron.example.org/"
    assert ContributionLink.objects.get(contribution=contribution).source.url == (
        "https://bron.example.org/"
    )

    contribution.source_url = ""
    contribution.body = "Geen link meer."
    contribution.save()
    assert source_for("", contribution=contribution) is None
    assert not ContributionLink.objects.filter(contribution=contribution).exists()


def test_saving_a_contribution_queues_the_link_and_the_fetch_after_commit(settings, monkeypatch):
    settings.LINK_PREVIEW_FETCH = True
    syncs, fetches = [], []
    monkeypatch.setattr(tasks.contribution_link_sync, "delay_on_commit", syncs.append)
    monkeypatch.setattr(tasks.source_fetch, "delay_on_commit", fetches.append)
    contribution = ContributionFactory(body="Lees https://example.org/artikel eens.")
    assert syncs == [contribution.pk]
    assert not ContributionLink.objects.exists()  # nothing happens in the writer's request

    tasks.contribution_link_sync(contribution.pk)  # the task, after the commit
    link = ContributionLink.objects.select_related("source").get(contribution=contribution)
    assert link.source.url == "https://example.org/artikel"
    assert fetches == [link.source.pk]


def test_nothing_is_queued_when_previews_are_off(settings, django_capture_on_commit_callbacks):
    settings.LINK_PREVIEW_FETCH = False
    with django_capture_on_commit_callbacks(execute=True):
        ContributionFactory(source_url="https://example.org/")
    assert not Source.objects.exists()


def test_moderation_saves_do_not_queue(settings, monkeypatch):
    contribution = ContributionFactory(source_url="https://example.org/")
    settings.LINK_PREVIEW_FETCH = True
    syncs = []
    monkeypatch.setattr(tasks.contribution_link_sync, "delay_on_commit", syncs.append)
    contribution.save(update_fields=["status"])
    assert syncs == []
    contribution.save(update_fields=["source_url", "body"])
    assert syncs == [contribution.pk]


def test_beat_queues_what_is_due_and_removes_orphans(settings, monkeypatch, clock):
    settings.LINK_PREVIEW_FETCH = True
    clock.set("2026-12-07T10:00")
    now = timezone.now()
    due = source_for("https://due.example.org/")
    Source.objects.filter(pk=due.pk).update(next_attempt_at=now - dt.timedelta(minutes=1))
    fresh = source_for("https://fresh.example.org/")
    Source.objects.filter(pk=fresh.pk).update(next_attempt_at=now + dt.timedelta(days=3))
    orphan = Source.objects.create(url="https://orphan.example.org/", next_attempt_at=now)
    Source.objects.filter(pk=orphan.pk).update(created_at=now - dt.timedelta(days=2))
    queued = []
    monkeypatch.setattr(tasks.source_fetch, "delay", queued.append)

    assert tasks.sources_refresh_due() == {"queued": 1, "purged": 1}
    assert queued == [due.pk]
    assert not Source.objects.filter(pk=orphan.pk).exists()


def test_an_allow_listed_video_gets_its_preview_from_oembed(page_server, monkeypatch):
    monkeypatch.setitem(oembed.ENDPOINTS, "youtube", page_server.url("/oembed?url={url}"))
    answer = {
        "title": "Zelf een fietsband plakken",
        "author_name": "Repair Café",
        "provider_name": "YouTube",
        "thumbnail_url": page_server.url("/thumb.png"),
        "html": '<iframe src="https://evil.example.org/"></iframe>',
    }
    page_server.routes["/oembed"] = Route(
        json.dumps(answer).encode(), content_type="application/json"
    )
    page_server.routes["/thumb.png"] = Route(png_bytes(), content_type="image/png")
    monkeypatch.setattr(
        oembed.Video, "canonical_url", property(lambda self: page_server.url("/watch"))
    )
    source = source_for("https://youtu.be/dQw4w9WgXcQ?si=abc")
    assert source.url == "https://youtu.be/dQw4w9WgXcQ"

    assert services.source_fetch(source_id=source.pk, now=NOW) == "ready"
    source.refresh_from_db()
    assert source.title == "Zelf een fietsband plakken"
    assert source.site_name == "YouTube"
    assert source.embed_url == "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
    assert source.image
    assert page_server.requests[0].startswith("/oembed?url=")


@pytest.mark.parametrize(
    ("url", "embed"),
    [
        ("https://www.youtube.com/watch?v=dQw4w9WgXcQ", "youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("https://m.youtube.com/shorts/dQw4w9WgXcQ", "youtube-nocookie.com/embed/dQw4w9WgXcQ"),
        ("https://vimeo.com/76979871", "player.vimeo.com/video/76979871?dnt=1"),
        ("https://player.vimeo.com/video/76979871", "player.vimeo.com/video/76979871?dnt=1"),
        ("https://www.youtube.com/watch?v=kort", None),
        ("https://youtube.com.evil.example.org/watch?v=dQw4w9WgXcQ", None),
        ("https://vimeo.com/channels/staffpicks", None),
    ],
)
def test_the_video_allow_list(url, embed):
    video = oembed.video_for(url)
    assert (video.embed_url.split("//", 1)[1].removeprefix("www.") if video else None) == embed
