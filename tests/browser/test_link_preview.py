"""In Chromium, on a phone: a contribution's link preview card and its catalogue page pass axe
(WCAG 2.1 A/AA), and a video's player loads from the video site only after the reader presses
the button."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from urllib.parse import urlsplit

import pytest

from sources.models import ContributionLink, Source
from tests.browser.axe import assert_no_axe_violations
from tests.communities.factories import CommunityFactory
from tests.knowledge.factories import ContributionFactory
from tests.sources.conftest import (
    Route,
    page_server,  # noqa: F401  (a fixture)
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FETCHED = dt.datetime(2026, 12, 7, 10, tzinfo=dt.UTC)


def _with_preview(contribution, **fields) -> Source:
    source = Source.objects.create(state=Source.State.READY, fetched_at=FETCHED, **fields)
    ContributionLink.objects.create(contribution=contribution, source=source)
    return source


def test_a_preview_card_is_accessible(page):
    contribution = ContributionFactory(
        community=CommunityFactory(title="Energie Noord"),
        source_url="https://www.example.org/zonnepanelen",
    )
    _with_preview(
        contribution,
        url="https://www.example.org/zonnepanelen",
        title="Zonnepanelen op je dak: wat het kost en wat het oplevert in tien jaar",
        description="Een rekenvoorbeeld voor een rijtjeshuis, met subsidie en salderen." * 3,
        site_name="Energieloket",
    )
    page.goto(contribution.get_absolute_url())
    card = page.locator(".link-preview")
    card.get_by_role("link", name="Zonnepanelen op je dak").wait_for()
    assert_no_axe_violations(page)
    # Phone first: the card does not make the page scroll sideways.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_video_player_loads_only_when_asked(page, live_server):
    contribution = ContributionFactory(body="Kijk: https://youtu.be/dQw4w9WgXcQ")
    _with_preview(
        contribution,
        url="https://youtu.be/dQw4w9WgXcQ",
        title="Zelf een fietsband plakken",
        site_name="YouTube",
        embed_url="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
    )
    elsewhere = []
    own_host = urlsplit(live_server.url).netloc

    def record(route):
        if urlsplit(route.request.url).netloc != own_host:
            elsewhere.append(route.request.url)
            # Never the internet: the player is a blank page of our own making.
            route.fulfill(status=200, content_type="text/html", body="<p>speler</p>")
        else:
            route.continue_()

    page.route("**/*", record)
    page.goto(contribution.get_absolute_url())
    play = page.get_by_role("button", name="Video hier afspelen")
    play.wait_for(state="visible")  # shown by static/js/embed-consent.js
    assert_no_axe_violations(page)
    assert elsewhere == []

    play.click()
    page.locator(".link-preview iframe").wait_for()
    assert page.locator(".link-preview iframe").get_attribute("title") == (
        "Zelf een fietsband plakken"
    )
    page.wait_for_timeout(300)
    assert elsewhere == ["https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"]


def test_the_catalogue_page_is_accessible(page, live_server, client, member, settings, request):
    server = request.getfixturevalue("page_server")  # the local catalogue (tests/sources)
    settings.CATALOGUE_PROVIDER = "openlibrary"
    settings.CATALOGUE_OPENLIBRARY_URL = server.url("/ol")
    docs = [
        {"key": f"/works/OL{i}W", "title": f"Isoleren deel {i}", "author_name": ["A. Schrijver"]}
        for i in range(3)
    ]
    server.routes["/ol/search.json"] = Route(
        json.dumps({"docs": docs}).encode(), content_type="application/json"
    )
    contribution = ContributionFactory(title=f"Spouwmuur isoleren {uuid.uuid4().hex[:6]}")
    client.force_login(member)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.goto(contribution.get_absolute_url())
    page.get_by_role("link", name="Boeken uit de bibliotheek over dit onderwerp").click()
    page.get_by_role("heading", name="Boeken uit de bibliotheek").wait_for()
    page.get_by_role("link", name="Isoleren deel 2").wait_for()
    assert_no_axe_violations(page)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
