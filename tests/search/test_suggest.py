"""Suggestions while typing: the selector and /zoeken/suggesties/ (the header field's listbox)."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import connection

from communities.models import Community
from kenniscloud.common import redis_cache
from search import selectors
from search.ratelimit import SUGGEST_RATE, suggest_budget_key
from search.selectors import search_suggest
from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.html import page_text
from tests.knowledge.factories import ContributionFactory
from tests.meetups.factories import MeetupFactory
from tests.querycount import assert_constant_queries
from tests.redis_switch import dead_port
from tests.test_redis_outage import use_redis

pytestmark = pytest.mark.django_db

URL = "/zoeken/suggesties/"
CLIENT_IPS = ("127.0.0.1", "192.0.2.7")


@pytest.fixture(autouse=True)
def _fresh_budget():
    """The budget lives a minute in the (perhaps shared) cache: start every test without one."""
    for ip in CLIENT_IPS:
        cache.delete(suggest_budget_key(ip))
    yield
    for ip in CLIENT_IPS:
        cache.delete(suggest_budget_key(ip))


def _titles(groups) -> dict[str, list[str]]:
    return {group.kind: [s.title for s in group.suggestions] for group in groups}


# --- the selector ----------------------------------------------------------------------------


def test_nothing_before_three_characters(community, django_assert_num_queries):
    ContributionFactory(community=community, title="Moestuin in de wijk")
    with django_assert_num_queries(0):
        assert search_suggest(AnonymousUser(), "mo") == []
        assert search_suggest(AnonymousUser(), "  mo  ") == []
    assert _titles(search_suggest(AnonymousUser(), "moe")) == {
        "contribution": ["Moestuin in de wijk"]
    }


def test_at_most_five_per_kind_newest_first_titles_only(community):
    for n in range(7):
        ContributionFactory(community=community, title=f"Moestuin {n}", body="Zaaien.")
    MeetupFactory(community=community, title="Moestuindag", description="Zaaien.")
    ContributionFactory(community=community, title="Composteren", body="Een moestuin vraagt...")
    groups = search_suggest(AnonymousUser(), "moestuin")
    assert _titles(groups) == {
        "contribution": [f"Moestuin {n}" for n in (6, 5, 4, 3, 2)],
        "meetup": ["Moestuindag"],
    }
    assert [group.label for group in groups] == ["Bijdragen", "Bijeenkomsten"]
    # Not a word of the bodies: "zaaien" is in all of them, in no title.
    assert search_suggest(AnonymousUser(), "zaaien") == []
    assert len(search_suggest(AnonymousUser(), "moestuin", per_kind=2)[0].suggestions) == 2


def test_case_and_the_middle_of_a_compound(community):
    ContributionFactory(community=community, title="Zonnepanelen op een plat dak")
    for query in ("ZONNE", "panelen", "plat d"):
        assert _titles(search_suggest(AnonymousUser(), query)) == {
            "contribution": ["Zonnepanelen op een plat dak"]
        }, query


def test_private_content_is_suggested_to_members_only(outsider, member):
    secret = CommunityFactory(title="Besloten kring", visibility=Community.Visibility.PRIVATE)
    contribution = ContributionFactory(community=secret, title="Vertrouwelijke notulen")
    MeetupFactory(community=secret, title="Notulen bespreken", description="Besloten.")
    for viewer in (AnonymousUser(), outsider):
        assert search_suggest(viewer, "notulen") == []
        assert search_suggest(viewer, "besloten") == []
    MembershipFactory(community=secret, user=member)
    assert _titles(search_suggest(member, "notulen")) == {
        "contribution": ["Vertrouwelijke notulen"],
        "meetup": ["Notulen bespreken"],
    }
    assert search_suggest(member, "notulen")[0].suggestions[0].url == (
        contribution.get_absolute_url()
    )


# --- the endpoint ----------------------------------------------------------------------------


def test_the_fragment_is_a_grouped_listbox_of_links(client, community):
    contribution = ContributionFactory(community=community, title="Moestuin <achter> de bieb")
    response = client.get(URL, {"q": "moestuin"})
    assert response.status_code == 200
    content = response.content.decode()
    assert page_text(response).startswith("1 suggestie, kies met pijltje omlaag.")
    group = re.search(r'<div role="group"[^>]*aria-labelledby="([^"]+)"', content)
    assert group is not None
    assert f'id="{group.group(1)}">Bijdragen</div>' in content
    option = re.search(r'<a role="option"[^>]*>([^<]*)</a>', content)
    assert option is not None
    assert f'href="{contribution.get_absolute_url()}"' in option.group(0)
    assert 'id="site-search-option-contribution-1"' in option.group(0)
    assert option.group(1) == "Moestuin &lt;achter&gt; de bieb"  # escaped


def test_no_suggestions_says_so(client):
    response = client.get(URL, {"q": "xylofoon"})
    assert response.status_code == 200
    assert page_text(response) == "Geen suggesties."
    assert 'role="option"' not in response.content.decode()


def test_english_suggestions_link_to_english_pages(client, community):
    contribution = ContributionFactory(community=community, title="Moestuin")
    content = client.get("/en" + URL, {"q": "moestuin"}).content.decode()
    assert f'href="/en/bijdragen/{contribution.pk}/"' in content


@pytest.mark.parametrize("logged_in", [False, True])
def test_never_kept_by_a_shared_cache(settings, client, member, logged_in):
    settings.ANONYMOUS_PAGE_CACHE_SECONDS = 300  # the page cache on, as in production
    if logged_in:
        client.force_login(member)
    client.get(URL, {"q": "moestuin"})
    response = client.get(URL, {"q": "moestuin"})
    control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= control
    assert "Cookie" in response["Vary"]
    assert "X-Page-Cache" not in response


def test_past_sixty_a_minute_an_empty_429_for_that_visitor_only(client, community):
    ContributionFactory(community=community, title="Moestuin")
    for _ in range(SUGGEST_RATE):
        assert client.get(URL, {"q": "moestuin"}, REMOTE_ADDR="192.0.2.7").status_code == 200
    response = client.get(URL, {"q": "moestuin"}, REMOTE_ADDR="192.0.2.7")
    assert response.status_code == 429
    assert response.content == b""
    assert "private" in response["Cache-Control"]
    assert client.get(URL, {"q": "moestuin"}).status_code == 200  # another address


def test_suggestions_still_come_while_redis_is_down(settings, client, community):
    use_redis(settings, f"redis://127.0.0.1:{dead_port()}/0")
    ContributionFactory(community=community, title="Moestuin")
    try:
        response = client.get(URL, {"q": "moestuin"})
        assert response.status_code == 200
        assert "Moestuin" in page_text(response)
    finally:
        redis_cache._down_until.clear()


def test_the_query_count_does_not_grow_with_the_suggestions(client, community):
    def add(n: int) -> None:
        for _ in range(n):
            ContributionFactory(community=community, title="Moestuin")
            MeetupFactory(community=community, title="Moestuindag")

    assert_constant_queries(client, f"{URL}?q=moestuin", add, label="search suggestions")


def test_on_postgresql_only_the_newest_rows_of_a_kind_are_candidates(community, monkeypatch):
    """The bound on the work per keystroke: suggestions come from the newest
    SUGGEST_CANDIDATES rows of each kind (the full search still finds the older ones)."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no candidate cap: its data is small")
    monkeypatch.setattr(selectors, "SUGGEST_CANDIDATES", 3)
    ContributionFactory(community=community, title="Moestuin van vroeger")
    for n in range(2):
        ContributionFactory(community=community, title=f"Isolatie {n}")
    assert _titles(search_suggest(AnonymousUser(), "moestuin")) == {
        "contribution": ["Moestuin van vroeger"]
    }
    ContributionFactory(community=community, title="Isolatie 3")
    assert search_suggest(AnonymousUser(), "moestuin") == []
