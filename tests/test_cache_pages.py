"""The pages visitors read most, kept whole for anonymous visitors (issue 13): communities, a
community, a contribution, the agenda, a meetup and a member's profile. Each is served from the
cache on the second request, and each change behind one of its sections shows on the very next
request; private content is never stored, and logged-in members (of the private community or
not) always get a page rendered for them."""

from __future__ import annotations

import pytest
from django.test import Client

from communities.models import Community
from kenniscloud.common.middleware import HEADER
from knowledge import services
from meetups.services.rsvp import rsvp_respond
from tests.communities.factories import MembershipFactory, UserFactory
from tests.html import page_text
from tests.knowledge.factories import CommentFactory, ContributionFactory
from tests.meetups.factories import MeetupFactory
from tests.test_cache import page_cache  # noqa: F401  (the fixture)

pytestmark = pytest.mark.django_db


def _get(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response


def _text(client, url) -> str:
    return page_text(_get(client, url))


@pytest.fixture
def author(community):
    return MembershipFactory(
        community=community, user__display_name="Anna Auteur", user__handle="anna-a"
    ).user


@pytest.fixture
def contribution(community, author):
    return ContributionFactory(
        community=community, author=author, title="Wie deelt een ladder?", body="Voor de goot."
    )


@pytest.fixture
def meetup(community):
    return MeetupFactory(community=community, title="Repaircafé in de bieb", capacity=10)


def _pages(community, contribution, meetup, author) -> dict[str, str]:
    return {
        "communities": "/gemeenschappen/",
        "community": community.get_absolute_url(),
        "contribution": contribution.get_absolute_url(),
        "agenda": "/bijeenkomsten/",
        "meetup": meetup.get_absolute_url(),
        "member": f"/leden/{author.handle}/",
    }


def test_the_pages_visitors_read_most_are_served_from_the_cache(
    page_cache,  # noqa: F811
    client,
    community,
    contribution,
    meetup,
    author,
    django_assert_num_queries,
):
    for name, url in _pages(community, contribution, meetup, author).items():
        first = _get(client, url)
        assert first[HEADER] == "miss", name
        with django_assert_num_queries(0):
            second = _get(client, url)
        assert second[HEADER] == "hit", name
        assert second.content == first.content, name
        assert "csrfmiddlewaretoken" not in second.content.decode(), name


def test_a_comment_and_its_hiding_show_on_the_next_request(
    page_cache,  # noqa: F811
    client,
    community,
    contribution,
    host,
):
    url = contribution.get_absolute_url()
    _get(client, url)
    member = MembershipFactory(community=community).user
    comment = services.comment_create(
        author=member, contribution=contribution, body="Ik heb er een van vier meter."
    )
    assert "Ik heb er een van vier meter." in _text(client, url)
    services.comment_set_status(by=host, comment=comment, status="hidden")
    assert "Ik heb er een van vier meter." not in _text(client, url)


def test_an_edited_contribution_shows_on_every_page_that_lists_it(
    page_cache,  # noqa: F811
    client,
    community,
    contribution,
    author,
):
    urls = [
        community.get_absolute_url(),
        contribution.get_absolute_url(),
        f"/leden/{author.handle}/",
    ]
    for url in urls:
        _get(client, url)
    services.contribution_update(
        by=author,
        contribution=contribution,
        kind=contribution.kind,
        title="Wie leent een ladder uit?",
        body="Goot.",
    )
    for url in urls:
        assert "Wie leent een ladder uit?" in _text(client, url), url


def test_an_rsvp_and_an_edited_meetup_show_on_the_next_request(
    page_cache,  # noqa: F811
    client,
    community,
    meetup,
):
    url = meetup.get_absolute_url()
    assert "Nog 10 plaatsen vrij" in _text(client, url)
    rsvp_respond(user=MembershipFactory(community=community).user, meetup_id=meetup.pk)
    assert "Nog 9 plaatsen vrij" in _text(client, url)
    _get(client, "/bijeenkomsten/")
    meetup.title = "Repaircafé op zaterdag"
    meetup.save()
    assert "Repaircafé op zaterdag" in _text(client, url)
    assert "Repaircafé op zaterdag" in _text(client, "/bijeenkomsten/")


def test_a_profile_edit_and_hiding_show_on_the_next_request(
    page_cache,  # noqa: F811
    client,
    author,
):
    url = f"/leden/{author.handle}/"
    _get(client, url)
    author.bio = "Ik repareer fietsen."
    author.save()
    assert "Ik repareer fietsen." in _text(client, url)
    author.profile_hidden = True
    author.save()
    assert client.get(url).status_code == 404


def test_a_community_that_turns_private_is_gone_on_the_next_request(
    page_cache,  # noqa: F811
    client,
    community,
    contribution,
):
    urls = [community.get_absolute_url(), contribution.get_absolute_url()]
    for url in urls:
        _get(client, url)
    _get(client, "/gemeenschappen/")
    community.visibility = Community.Visibility.PRIVATE
    community.save()
    for url in urls:
        assert client.get(url).status_code == 404, url
    assert community.title not in _text(client, "/gemeenschappen/")


def test_private_pages_are_rendered_for_their_members_and_never_stored(
    page_cache,  # noqa: F811
    private_community,
):
    secret = ContributionFactory(community=private_community, title="Alleen voor de kring")
    CommentFactory(contribution=secret, body="Binnenskamers.")
    urls = [private_community.get_absolute_url(), secret.get_absolute_url()]
    member = MembershipFactory(community=private_community).user
    outsider = UserFactory()
    members, outsiders, visitors = Client(), Client(), Client()
    members.force_login(member)
    outsiders.force_login(outsider)
    for _round in range(2):
        for url in urls:
            response = members.get(url)
            assert response.status_code == 200 and HEADER not in response, url
            assert outsiders.get(url).status_code == 404, url
            anonymous = visitors.get(url)
            assert anonymous.status_code == 404 and HEADER not in anonymous, url
    assert "Binnenskamers." in page_text(members.get(secret.get_absolute_url()))


def test_a_logged_in_member_never_gets_the_visitors_page(
    page_cache,  # noqa: F811
    client,
    community,
    contribution,
    member,
):
    url = contribution.get_absolute_url()
    _get(client, url)
    assert _get(client, url)[HEADER] == "hit"
    logged_in = Client()
    logged_in.force_login(member)
    response = _get(logged_in, url)
    assert HEADER not in response
    assert "csrfmiddlewaretoken" in response.content.decode() or member.display_name in (
        response.content.decode()
    )
