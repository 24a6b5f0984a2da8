"""Shared fragments (kenniscloud/common/fragments.py): the home page's live blocks are rendered
once for everyone who may see the same communities, logged in or not, and never across that
line: a member of a private community, a member of none and a visitor each get what they may
see, whichever of them came first, and any change shows on the very next request."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from communities.models import Community
from kenniscloud.common.fragments import PUBLIC, visibility_key
from knowledge.models import HomePage
from tests.communities.factories import (
    CommunityFactory,
    LibraryFactory,
    MembershipFactory,
    ThemeFactory,
    UserFactory,
)
from tests.html import page_text
from tests.knowledge.factories import ContributionFactory
from tests.meetups.factories import MeetupFactory
from tests.test_cache import page_cache  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def home_with_blocks(db):
    home = HomePage.objects.get()
    home.body = [
        {"type": "featured_themes", "value": {"heading": "Onze thema's", "themes": []}},
        {"type": "featured_communities", "value": {"heading": "Doe mee", "communities": []}},
        {"type": "upcoming_meetups", "value": {"limit": 5}},
        {"type": "latest_articles", "value": {"heading": "Artikelen", "limit": 3}},
    ]
    home.save_revision().publish()
    return home


@pytest.fixture
def kring(db):
    """A private community with an upcoming meetup: only its members may see either."""
    community = CommunityFactory(
        title="Besloten leesclub", slug="besloten-leesclub", visibility="private"
    )
    MeetupFactory(community=community, title="Leesavond voor de kring")
    return community


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _home(client) -> str:
    response = client.get("/")
    assert response.status_code == 200
    return page_text(response)


@pytest.mark.parametrize("first", ["member", "outsider", "visitor"])
def test_each_viewer_sees_what_they_may_whoever_came_first(
    page_cache,  # noqa: F811
    home_with_blocks,
    kring,
    first,
):
    open_community = CommunityFactory(title="Open moestuin", slug="open-moestuin")
    ContributionFactory(community=open_community, title="Wie heeft zaden over?")
    ContributionFactory(community=kring, title="Ons geheime leesverslag")
    ContributionFactory(community=kring, title="Uitgelicht in de kring", featured=True)
    member = MembershipFactory(community=kring).user
    clients = {"member": _client(member), "outsider": _client(UserFactory()), "visitor": Client()}
    order = [first, *(name for name in clients if name != first)]
    for _round in range(2):
        for name in order:
            text = _home(clients[name])
            assert "Open moestuin" in text, name
            may_see = name == "member"
            assert ("Besloten leesclub" in text) is may_see, name
            assert ("Leesavond voor de kring" in text) is may_see, name
            assert "Wie heeft zaden over?" in text, name
            assert ("Ons geheime leesverslag" in text) is may_see, name
            assert ("Uitgelicht in de kring" in text) is may_see, name


def test_a_member_of_no_private_community_shares_the_visitors_fragments(
    page_cache,  # noqa: F811
    home_with_blocks,
):
    member = MembershipFactory(community=CommunityFactory()).user
    client = _client(member)
    _home(client)
    with CaptureQueriesContext(connection) as first:
        _home(client)
    fragments_off = len(first.captured_queries)
    # A visitor's render filled nothing new for the member: the same four fragments.
    _home(Client())
    with CaptureQueriesContext(connection) as again:
        _home(client)
    assert len(again.captured_queries) == fragments_off
    assert not any("communities_theme" in q["sql"] for q in again.captured_queries)


def test_a_change_shows_on_the_next_request_for_members_too(
    page_cache,  # noqa: F811
    home_with_blocks,
    kring,
):
    member = MembershipFactory(community=kring).user
    client = _client(member)
    _home(client)
    CommunityFactory(title="Nieuwe buurtgroep", slug="nieuwe-buurtgroep")
    assert "Nieuwe buurtgroep" in _home(client)
    ContributionFactory(community=kring, title="Vers uit de kring")
    assert "Vers uit de kring" in _home(client)
    kring.title = "Leesclub Oost"
    kring.save()
    assert "Leesclub Oost" in _home(client)
    # Leaving the community takes it off the member's home at once: another visibility.
    member.memberships.all().delete()
    text = _home(client)
    assert "Leesclub Oost" not in text and "Leesavond voor de kring" not in text


def test_visibility_keys():
    visitor = Client().get("/").wsgi_request
    assert visibility_key(visitor) == PUBLIC


def test_visibility_keys_of_members_librarians_and_superusers(rf, kring, librarian):
    from django.contrib.auth.models import AnonymousUser

    def key(user) -> str:
        request = rf.get("/")
        request.user = user
        return visibility_key(request)

    assert key(AnonymousUser()) == PUBLIC
    assert key(UserFactory()) == PUBLIC
    member = MembershipFactory(community=kring).user
    assert key(member) not in (PUBLIC, "all")
    other = MembershipFactory(community=CommunityFactory(visibility="private")).user
    assert key(other) != key(member)
    assert key(UserFactory(is_superuser=True)) == "all"
    # A librarian sees the private communities of their library.
    library = LibraryFactory()
    Community.objects.filter(pk=kring.pk).update(library=library)
    library.librarians.add(librarian)
    assert key(librarian) == key(member)


def test_off_with_the_page_cache(settings, home_with_blocks, kring):
    settings.ANONYMOUS_PAGE_CACHE_SECONDS = 0
    member = MembershipFactory(community=kring).user
    client = _client(member)
    _home(client)
    with CaptureQueriesContext(connection) as again:
        text = _home(client)
    assert "Besloten leesclub" in text
    assert any("communities_theme" in q["sql"] for q in again.captured_queries)


@pytest.mark.parametrize("first", ["member", "outsider", "visitor"])
def test_a_theme_page_shows_each_viewer_what_they_may(
    page_cache,  # noqa: F811
    kring,
    theme,
    first,
):
    kring.themes.add(theme)
    ContributionFactory(community=kring, title="Kringverslag over het thema", themes=[theme])
    open_community = CommunityFactory(title="Open energiegroep", themes=[theme])
    ContributionFactory(community=open_community, title="Open vraag over het thema", themes=[theme])
    other = ThemeFactory(title="Ander thema", slug="ander-thema")
    member = MembershipFactory(community=kring).user
    clients = {"member": _client(member), "outsider": _client(UserFactory()), "visitor": Client()}
    url = f"/themas/{theme.slug}/"
    for _round in range(2):
        for name in [first, *(n for n in clients if n != first)]:
            response = clients[name].get(url)
            assert response.status_code == 200
            text = page_text(response)
            assert "Open vraag over het thema" in text and "Open energiegroep" in text, name
            may_see = name == "member"
            assert ("Kringverslag over het thema" in text) is may_see, name
            assert ("Besloten leesclub" in text) is may_see, name
            # Another theme is a page of its own, not this one's kept content.
            other_text = page_text(clients[name].get(f"/themas/{other.slug}/"))
            assert "Ander thema" in other_text and "Open vraag over het thema" not in other_text
    ContributionFactory(community=kring, title="Nieuw kringverslag", themes=[theme])
    assert "Nieuw kringverslag" in page_text(clients["member"].get(url))


def test_a_preview_is_never_kept(page_cache, rf):  # noqa: F811
    from django.contrib.auth.models import AnonymousUser

    from kenniscloud.common.fragments import shared_fragment

    rendered = []

    def render() -> str:
        rendered.append(1)
        return f"<p>concept {len(rendered)}</p>"

    preview = rf.get("/themas/x/")
    preview.user, preview.is_preview = AnonymousUser(), True
    assert shared_fragment(preview, "t", "x", render) == "<p>concept 1</p>"
    public = rf.get("/themas/x/")
    public.user = AnonymousUser()
    assert shared_fragment(public, "t", "x", render) == "<p>concept 2</p>"
    assert shared_fragment(public, "t", "x", render) == "<p>concept 2</p>"
    assert len(rendered) == 2
