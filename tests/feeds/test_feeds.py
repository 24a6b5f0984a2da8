"""Atom/RSS feeds (knowledge/feeds.py, meetups/feeds.py): they parse, carry what the public pages
show and nothing else, 404 where the page does, follow the request's language, are served from
the anonymous page cache and change with the very next request, cost a fixed number of queries,
and the pages point at them."""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime, timedelta

import feedparser
import pytest
from django.utils import timezone

from communities.deletion import account_delete
from communities.models import Community
from kenniscloud.common.cache import generation_bump
from kenniscloud.common.middleware import HEADER
from knowledge import services
from knowledge.models import Contribution
from meetups.models import Meetup
from tests.communities.factories import CommunityFactory, MembershipFactory, UserFactory
from tests.english import english as english  # the fixture
from tests.knowledge.factories import ContributionFactory
from tests.meetups.factories import BranchFactory, MeetupFactory
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db

ATOM = "application/atom+xml; charset=utf-8"
RSS = "application/rss+xml; charset=utf-8"


def _feed(client, url: str):
    """The parsed feed at `url`: RSS at .../feed/rss/, else Atom."""
    response = client.get(url)
    assert response.status_code == 200, f"GET {url} -> {response.status_code}"
    assert response["Content-Type"] == (RSS if url.endswith("/rss/") else ATOM)
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed


def _titles(parsed) -> list[str]:
    return [entry.title for entry in parsed.entries]


@pytest.fixture
def on_request_community(db, theme):
    return CommunityFactory(
        title="Niemand alleen", slug="niemand-alleen", visibility=Community.Visibility.ON_REQUEST
    )


@pytest.fixture
def mixed(community, private_community, on_request_community, theme):
    """One of everything a feed must show or leave out, all with the theme and the tag."""
    common = {"themes": [theme], "tags": ["warmtepomp"]}
    return {
        "open": ContributionFactory(community=community, title="Open vraag", **common),
        "on_request": ContributionFactory(
            community=on_request_community, title="Vraag op aanvraag", **common
        ),
        "private": ContributionFactory(
            community=private_community, title="Besloten vraag", **common
        ),
        "hidden": ContributionFactory(
            community=community,
            title="Verborgen vraag",
            status=Contribution.Status.HIDDEN,
            **common,
        ),
        "pending": ContributionFactory(
            community=community,
            title="Wachtende vraag",
            status=Contribution.Status.PENDING,
            **common,
        ),
    }


# --- Only public content ----------------------------------------------------------------------

PUBLIC = {"Open vraag", "Vraag op aanvraag"}
NEVER = {"Besloten vraag", "Verborgen vraag", "Wachtende vraag"}


@pytest.mark.parametrize(
    "url",
    [
        "/bijdragen/feed/",
        "/themas/duurzaam-wonen/feed/",
        "/tags/warmtepomp/feed/",
        "/en/bijdragen/feed/",
    ],
)
def test_feeds_carry_public_contributions_only(client, mixed, url):
    atom = _feed(client, url)
    rss = _feed(client, url + "rss/")

    assert set(_titles(atom)) == PUBLIC
    assert set(_titles(rss)) == PUBLIC
    assert not NEVER & set(_titles(atom))


def test_a_member_of_the_private_community_gets_the_public_feed_too(client, mixed, member):
    """A feed is the same for everyone: what a logged-in member sees in their private
    communities stays on the pages."""
    MembershipFactory(community=mixed["private"].community, user=member)
    client.force_login(member)

    assert set(_titles(_feed(client, "/bijdragen/feed/"))) == PUBLIC


def test_community_feed_shows_what_its_page_shows(client, mixed, community, on_request_community):
    assert _titles(_feed(client, f"/gemeenschappen/{community.slug}/feed/")) == ["Open vraag"]
    # Contributions of a community one joins on request are public on its page, so in its feed.
    page = client.get(f"/gemeenschappen/{on_request_community.slug}/").content.decode()
    assert "Vraag op aanvraag" in page
    feed = _feed(client, f"/gemeenschappen/{on_request_community.slug}/feed/")
    assert _titles(feed) == ["Vraag op aanvraag"]


@pytest.mark.parametrize("suffix", ["feed/", "feed/rss/"])
def test_a_private_communitys_feed_is_a_404_for_everyone(client, mixed, member, suffix):
    private = mixed["private"].community
    url = f"/gemeenschappen/{private.slug}/{suffix}"
    assert client.get(url).status_code == 404
    MembershipFactory(community=private, user=member)
    client.force_login(member)
    assert client.get(f"/gemeenschappen/{private.slug}/").status_code == 200
    assert client.get(url).status_code == 404


def test_unknown_community_theme_and_tag_feeds_are_404(client, mixed):
    for url in (
        "/gemeenschappen/bestaat-niet/feed/",
        "/themas/bestaat-niet/feed/",
        "/tags/niets/feed/",
    ):
        assert client.get(url).status_code == 404, url


def test_a_tag_used_only_in_a_private_community_does_not_give_itself_away(
    client, private_community
):
    ContributionFactory(community=private_community, tags=["geheim-plan"])

    assert client.get("/tags/geheim-plan/").status_code == 404
    assert client.get("/tags/geheim-plan/feed/").status_code == 404
    assert client.get("/tags/geheim-plan/feed/rss/").status_code == 404


# --- What an item carries ---------------------------------------------------------------------


def test_an_entry_has_link_rendered_summary_author_dates_and_categories(client, community, theme):
    mentioned = UserFactory(display_name="Mila Member", handle="mila")
    MembershipFactory(community=community, user=mentioned)
    contribution = ContributionFactory(
        community=community,
        title="Warmtepomp & buren",
        author__display_name="Bram Buur",
        body="Wie heeft **ervaring**? Vraag het @mila.\n\n<script>alert(1)</script>",
        themes=[theme],
        tags=["warmtepomp", "isolatie"],
    )

    feed = _feed(client, "/bijdragen/feed/")
    (entry,) = feed.entries

    assert entry.title == "Warmtepomp & buren"
    assert entry.link == f"http://testserver/bijdragen/{contribution.pk}/"
    assert "<strong>ervaring</strong>" in entry.summary
    # A link within the site is absolute in a feed reader; nothing unsafe comes through.
    assert 'href="http://testserver/leden/mila/"' in entry.summary
    assert "<script" not in entry.summary
    assert entry.author == "Bram Buur"
    assert {tag.term for tag in entry.tags} == {"Duurzaam wonen", "warmtepomp", "isolatie"}
    assert entry.published_parsed is not None and entry.updated_parsed is not None
    published = datetime(*entry.published_parsed[:6], tzinfo=UTC)
    assert abs(published - contribution.created_at) < timedelta(seconds=1)


def test_authors_who_left_show_as_the_site_shows_them(client, community, english):
    english({"Verwijderd lid": "Deleted member"})
    gone = ContributionFactory(community=community, title="Van een vertrokken lid")
    Contribution.objects.filter(pk=gone.pk).update(author=None)
    deleted = MembershipFactory(community=community).user
    ContributionFactory(community=community, author=deleted, title="Van een verwijderd account")
    account_delete(user=deleted, delete_content=False)

    authors = {e.title: e.author for e in _feed(client, "/bijdragen/feed/").entries}
    in_english = {e.title: e.author for e in _feed(client, "/en/bijdragen/feed/").entries}

    assert authors == {
        "Van een vertrokken lid": "Oud-lid",
        "Van een verwijderd account": "Verwijderd lid",
    }
    assert in_english == {
        "Van een vertrokken lid": "Former member",
        "Van een verwijderd account": "Deleted member",
    }


def test_feed_has_its_self_link_and_the_language_of_the_request(client, community):
    ContributionFactory(community=community)

    dutch = _feed(client, f"/gemeenschappen/{community.slug}/feed/")
    english = _feed(client, f"/en/gemeenschappen/{community.slug}/feed/")

    def self_link(parsed):
        return next(link.href for link in parsed.feed.links if link.rel == "self")

    assert self_link(dutch) == f"http://testserver/gemeenschappen/{community.slug}/feed/"
    assert self_link(english) == f"http://testserver/en/gemeenschappen/{community.slug}/feed/"
    assert dutch.feed.language == "nl"
    assert english.feed.language == "en"
    assert dutch.feed.link == f"http://testserver/gemeenschappen/{community.slug}/"
    assert english.feed.link == f"http://testserver/en/gemeenschappen/{community.slug}/"
    assert dutch.feed.id == f"http://testserver/gemeenschappen/{community.slug}/feed/"
    assert dutch.feed.title == "Energiecoöperatie Noord · KennisCloud"
    rss = _feed(client, f"/en/gemeenschappen/{community.slug}/feed/rss/")
    assert rss.feed.language == "en"
    assert rss.version == "rss20" and dutch.version == "atom10"


# --- The agenda -------------------------------------------------------------------------------


@pytest.fixture
def agenda(community, private_community, theme):
    branch = BranchFactory(name="Bibliotheek Tilburg Centrum", street="Kennispoort 1")
    soon = timezone.now() + timedelta(days=3)
    upcoming = MeetupFactory(
        title="Energiecafé",
        community=community,
        branch=branch,
        starts_at=soon,
        description="Koffie en **vragen**.\nKom gerust.",
        online_url="https://meet.example.org/geheim-kamer",
    )
    upcoming.themes.set([theme])
    MeetupFactory(
        title="Afgezegd repaircafé",
        status=Meetup.Status.CANCELLED,
        cancellation_note="De zaal is niet beschikbaar.",
        address="Buurthuis De Poort, Tilburg",
        starts_at=soon + timedelta(days=1),
    )
    MeetupFactory(title="Besloten overleg", community=private_community)
    MeetupFactory(title="Concept", status=Meetup.Status.DRAFT)
    MeetupFactory(
        title="Al geweest",
        starts_at=timezone.now() - timedelta(days=3),
    )
    return upcoming


def test_agenda_feed_has_the_upcoming_public_meetups_soonest_first(client, agenda):
    atom = _feed(client, "/bijeenkomsten/feed/")
    rss = _feed(client, "/bijeenkomsten/feed/rss/")

    assert _titles(atom) == ["Energiecafé", "Afgelast: Afgezegd repaircafé"]
    assert _titles(rss) == _titles(atom)


def test_a_meetup_entry_says_when_and_where_but_not_the_meeting_link(client, agenda):
    entries = _feed(client, "/bijeenkomsten/feed/").entries
    cafe, cancelled = entries

    assert cafe.link == f"http://testserver/bijeenkomsten/{agenda.pk}/"
    start = timezone.localtime(agenda.starts_at)
    assert start.strftime("%H:%M") in cafe.summary
    assert f"{start.day} " in cafe.summary
    assert "Bibliotheek Tilburg Centrum" in cafe.summary
    assert "Energiecoöperatie Noord" in cafe.summary
    assert "Koffie en **vragen**.<br />Kom gerust." in cafe.summary
    assert "meet.example.org" not in cafe.summary
    assert [tag.term for tag in cafe.tags] == ["Duurzaam wonen"]
    assert "Deze bijeenkomst is afgelast." in cancelled.summary
    assert "De zaal is niet beschikbaar." in cancelled.summary
    assert "Buurthuis De Poort, Tilburg" in cancelled.summary


def test_agenda_feed_in_english(client, agenda, english):
    english({"Bijeenkomsten · KennisCloud": "Meetups · KennisCloud", "Wanneer": "When"})
    feed = _feed(client, "/en/bijeenkomsten/feed/")
    assert feed.feed.language == "en"
    assert feed.feed.title == "Meetups · KennisCloud"
    start = timezone.localtime(agenda.starts_at)
    assert "When: <time" in feed.entries[0].summary
    assert start.strftime("%A %-d %B %Y") in feed.entries[0].summary  # an English date
    assert _titles(feed) == ["Energiecafé", "Cancelled: Afgezegd repaircafé"]


# --- Served from the cache, changed on the next request ---------------------------------------


@pytest.fixture(params=["locmem", pytest.param("redis", marks=pytest.mark.redis)])
def page_cache(request, settings):
    """The anonymous page cache switched on (tests/test_cache.py does the same)."""
    if request.param == "redis":
        location, backend = settings.REDIS_URL, "kenniscloud.common.redis_cache.FailSoftRedisCache"
    else:
        location, backend = "feed-cache-tests", "django.core.cache.backends.locmem.LocMemCache"
    settings.CACHES = {
        "default": {
            "BACKEND": backend,
            "LOCATION": location,
            "KEY_PREFIX": f"kc-feed-cache-tests-{os.getpid()}",
        }
    }
    settings.ANONYMOUS_PAGE_CACHE_SECONDS = 300
    generation_bump()
    return request.param


FEED_URLS = [
    "/bijdragen/feed/",
    "/bijdragen/feed/rss/",
    "/gemeenschappen/energie-noord/feed/",
    "/themas/duurzaam-wonen/feed/",
    "/tags/warmtepomp/feed/rss/",
    "/en/bijdragen/feed/",
]


def test_feeds_are_served_from_the_cache(page_cache, client, mixed, django_assert_num_queries):
    for url in [*FEED_URLS, "/bijeenkomsten/feed/"]:
        assert client.get(url)[HEADER] == "miss", url
        with django_assert_num_queries(0):
            response = client.get(url)
        assert response[HEADER] == "hit", url
        assert feedparser.parse(response.content).entries is not None


def test_a_hidden_contribution_is_gone_from_the_feed_on_the_next_request(
    page_cache, client, mixed, host
):
    for url in FEED_URLS:
        assert "Open vraag" in _titles(_feed(client, url)), url

    services.contribution_set_status(by=host, contribution=mixed["open"], status="hidden")

    for url in FEED_URLS:
        response = client.get(url)
        assert response[HEADER] == "miss", url
        assert "Open vraag" not in _titles(feedparser.parse(response.content)), url


def test_a_new_contribution_is_in_the_feed_on_the_next_request(
    page_cache, client, mixed, membership, theme
):
    for url in FEED_URLS:
        _feed(client, url)

    services.contribution_create(
        author=membership.user,
        community=membership.community,
        kind="question",
        title="Wie deelt een warmtecamera?",
        body="Voor de hele straat.",
        tags=["warmtepomp"],
        themes=[theme],
    )

    for url in FEED_URLS:
        assert "Wie deelt een warmtecamera?" in _titles(_feed(client, url)), url


def test_a_published_meetup_is_in_the_agenda_feed_on_the_next_request(page_cache, client, agenda):
    _feed(client, "/bijeenkomsten/feed/")
    MeetupFactory(title="Nieuwe repairdag")
    assert "Nieuwe repairdag" in _titles(_feed(client, "/bijeenkomsten/feed/"))


# --- A fixed number of queries ----------------------------------------------------------------


def test_contribution_feed_takes_a_fixed_number_of_queries(client, community, theme):
    def add(n):
        for _ in range(n):
            author = MembershipFactory(community=community).user
            ContributionFactory(
                community=community, author=author, themes=[theme], tags=["warmtepomp", "buren"]
            )

    assert_constant_queries(
        client, "/themas/duurzaam-wonen/feed/", add, label="feeds: theme (Atom)"
    )


def test_agenda_feed_takes_a_fixed_number_of_queries(client, community, theme):
    def add(n):
        for _ in range(n):
            meetup = MeetupFactory(community=community, branch=BranchFactory())
            meetup.themes.set([theme])

    assert_constant_queries(client, "/bijeenkomsten/feed/", add, label="feeds: agenda (Atom)")


# --- The pages point at their feeds -----------------------------------------------------------


def _alternates(html: str) -> list[tuple[str, str]]:
    """(type, href) of the <link rel="alternate"> in the head."""
    head = html.split("</head>")[0]
    return [
        (m.group("type"), m.group("href"))
        for m in re.finditer(
            r'<link rel="alternate" type="(?P<type>application/(?:atom|rss)\+xml)" '
            r'title="[^"]+" href="(?P<href>[^"]+)">',
            head,
        )
    ]


@pytest.mark.parametrize(
    ("page", "feed"),
    [
        ("/", "/bijdragen/feed/"),
        ("/gemeenschappen/energie-noord/", "/gemeenschappen/energie-noord/feed/"),
        ("/themas/duurzaam-wonen/", "/themas/duurzaam-wonen/feed/"),
        ("/tags/warmtepomp/", "/tags/warmtepomp/feed/"),
        ("/bijeenkomsten/", "/bijeenkomsten/feed/"),
        ("/en/themas/duurzaam-wonen/", "/en/themas/duurzaam-wonen/feed/"),
    ],
)
def test_pages_link_to_their_feeds(client, mixed, page, feed):
    html = client.get(page).content.decode()

    alternates = _alternates(html)
    assert ("application/atom+xml", feed) in alternates
    assert ("application/rss+xml", f"{feed}rss/") in alternates
    assert f'<a class="feed-link" href="{feed}"' in html
    # The links lead to feeds.
    for kind, href in alternates:
        assert client.get(href)["Content-Type"].startswith(kind), href


def test_a_private_community_page_points_at_no_feed(client, private_community, member):
    MembershipFactory(community=private_community, user=member)
    client.force_login(member)

    html = client.get(f"/gemeenschappen/{private_community.slug}/").content.decode()

    assert _alternates(html) == []
    assert "feed-link" not in html
