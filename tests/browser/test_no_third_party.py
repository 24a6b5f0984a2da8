"""No third-party requests from any page (issue 12, the AVG): Chromium records every request
the site's main pages make, with the demo's content in them, anonymous and logged in as a
member, and every one goes to the site itself: no fonts, analytics, maps, avatars or embeds
from elsewhere, which would tell another party who reads what."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from communities.models import Community, User
from kenniscloud.common.demo import PASSWORD, demo_load
from knowledge.models import ArticlePage, Contribution, ThemeDossier
from meetups.models import Meetup
from tests.browser.site import site_from_migrations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Not requests to anyone: the browser makes these itself.
LOCAL_SCHEMES = {"data", "blob", "about"}


@pytest.fixture(autouse=True)
def demo_site():
    """The site as the migrations make it (browser tests run in transactions that are flushed
    afterwards), with the demo's content: themes, dossiers, communities, contributions,
    meetups, articles and members, as a library would have them."""
    site_from_migrations()
    demo_load()


def _member() -> User:
    """A resident of the demo: a member of a community, no staff and no second factor."""
    return (
        User.objects.filter(
            is_staff=False, groups__isnull=True, memberships__isnull=False, is_active=True
        )
        .exclude(authenticator__isnull=False)
        .order_by("pk")
        .first()
    )


def _main_pages(member: User) -> list[str]:
    contribution = (
        Contribution.objects.filter(
            status=Contribution.Status.PUBLISHED,
            community__visibility=Community.Visibility.OPEN,
            comments__isnull=False,
        )
        .order_by("pk")
        .first()
    )
    dossier = next(d for d in ThemeDossier.objects.order_by("pk") if d.get_absolute_url())
    meetup = Meetup.objects.filter(status=Meetup.Status.PUBLISHED).order_by("starts_at").first()
    article = ArticlePage.objects.live().order_by("pk").first()
    community = Community.objects.filter(visibility=Community.Visibility.OPEN).first()
    assert contribution and meetup and article and community, "the demo lacks a main page"
    return [
        "/",
        "/themas/",
        dossier.get_absolute_url(),
        "/gemeenschappen/",
        community.get_absolute_url(),
        contribution.get_absolute_url(),
        "/bijeenkomsten/",
        meetup.get_absolute_url(),
        member.get_absolute_url(),
        "/wie-weet-wat/",
        f"/zoeken/?q={contribution.title.split()[0]}",
        "/meldingen/",
        "/instellingen/",
        "/instellingen/profiel/",
        "/instellingen/gegevens/",
        "/privacy/",
        "/over-kenniscloud/",
        article.url,
        "/en/",
    ]


def _visit(page, path: str) -> None:
    response = page.goto(path)
    assert response is not None and response.status < 400, f"{path}: {response and response.status}"
    # Lazily loaded images load once they come near the screen: scroll through the page.
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_load_state("networkidle")


def test_no_page_asks_another_host_for_anything(page, live_server):
    site = urlsplit(live_server.url)
    requests: list[tuple[str, str]] = []
    page.on("request", lambda request: requests.append((page.url, request.url)))
    member = _member()

    _visit(page, "/accounts/login/")
    page.locator("input[name=login]").fill(member.email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form [type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert page.locator(".account-menu > summary").is_visible(), "the member is not logged in"
    for path in _main_pages(member):
        _visit(page, path)

    elsewhere = sorted(
        {
            f"{url} (from {on})"
            for on, url in requests
            if urlsplit(url).scheme not in LOCAL_SCHEMES
            and (urlsplit(url).scheme, urlsplit(url).netloc) != (site.scheme, site.netloc)
        }
    )
    assert elsewhere == []
    # The recording works: the pages' own style sheet and images were seen.
    own = [url for _on, url in requests if urlsplit(url).netloc == site.netloc]
    assert any(url.endswith(".css") for url in own), own[:20]
    assert len({on for on, _url in requests}) >= 15


def test_an_anonymous_visitor_is_not_sent_elsewhere_either(page, live_server):
    site = urlsplit(live_server.url)
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    member = _member()

    for path in _main_pages(member)[:11]:
        _visit(page, path)
    _visit(page, "/accounts/signup/")

    elsewhere = sorted(
        {
            url
            for url in requests
            if urlsplit(url).scheme not in LOCAL_SCHEMES and urlsplit(url).netloc != site.netloc
        }
    )
    assert elsewhere == []


def test_a_video_loads_from_its_site_only_when_the_reader_asks(page, live_server):
    """An article's video (knowledge VideoBlock) is a player from YouTube: the page names the
    site and loads nothing from it until the reader presses the button."""
    from wagtail.embeds.embeds import get_embed_hash
    from wagtail.embeds.models import Embed

    from tests.knowledge.factories import article_create

    site = urlsplit(live_server.url)
    url = "https://www.youtube.com/watch?v=kc-isoleren"
    player = (
        '<iframe title="Spouwmuur isoleren" width="560" height="315" '
        'src="https://www.youtube-nocookie.com/embed/kc-isoleren"></iframe>'
    )
    # The oEmbed answer as Wagtail stores it when a librarian adds the video: no fetch here.
    Embed.objects.create(
        url=url,
        hash=get_embed_hash(url),
        type="video",
        html=player,
        title="Spouwmuur isoleren",
        provider_name="YouTube",
    )
    article = article_create(
        "Video over isoleren",
        body=[{"type": "embed", "value": {"embed": url, "title": "Hoe je een spouwmuur isoleert"}}],
    )
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))

    _visit(page, article.url)

    assert [u for u in requests if urlsplit(u).netloc not in ("", site.netloc)] == []
    assert page.locator("iframe").count() == 0
    assert "<iframe" not in page.content()
    assert page.get_by_text("Deze video komt van YouTube.").is_visible()
    assert page.get_by_role("link", name="Bekijk de video bij YouTube").get_attribute("href") == url

    page.get_by_role("button", name="Video hier afspelen").click()

    player_frame = page.locator(".embed iframe")
    player_frame.wait_for(state="attached")
    assert player_frame.get_attribute("src") == "https://www.youtube-nocookie.com/embed/kc-isoleren"
    assert any("youtube-nocookie.com" in u for u in requests)
