"""Featured contributions (issue 16): what the library marks "uitgelicht" in the admin comes
first on the community page and on the home, with the word "Uitgelicht" on the card, and
never past the visibility rules (a private community's stay with its members)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from knowledge.selectors import contribution_lists_for_home
from tests.communities.factories import MembershipFactory
from tests.html import page_text
from tests.knowledge.factories import ContributionFactory

pytestmark = pytest.mark.django_db


def _posted(days_ago: int, **kwargs):
    contribution = ContributionFactory(**kwargs)
    # created_at is set on insert; move it back as the list orders by it.
    type(contribution).objects.filter(pk=contribution.pk).update(
        created_at=timezone.now() - timedelta(days=days_ago)
    )
    return contribution


def _card_titles(html: str) -> list[str]:
    return re.findall(r'<h3 class="card__title">\s*<a href="[^"]*">([^<]*)</a>', html)


def _card_of(html: str, title: str) -> str:
    for card in re.findall(r"<article class=\"card contribution-card.*?</article>", html, re.S):
        if f">{title}</a>" in card:
            return card
    raise AssertionError(f"no card for {title}")


def test_community_page_shows_the_featured_contribution_first_with_its_label(client, community):
    _posted(1, community=community, title="Gisteren gevraagd")
    _posted(30, community=community, title="Onze beste tips", featured=True)

    html = client.get(community.get_absolute_url()).content.decode()

    assert _card_titles(html)[:2] == ["Onze beste tips", "Gisteren gevraagd"]
    assert "Uitgelicht" in page_text_of(_card_of(html, "Onze beste tips"))
    assert "Uitgelicht" not in page_text_of(_card_of(html, "Gisteren gevraagd"))


def test_home_shows_featured_contributions_first_in_their_own_section(client, community):
    _posted(1, community=community, title="Nieuw vandaag")
    _posted(60, community=community, title="Oud maar goud", featured=True)

    response = client.get("/")
    html = response.content.decode()

    featured = html.index('id="featured-contributions-title"')
    latest = html.index('id="latest-title"')
    assert featured < latest
    section = html[featured:latest]
    assert "Oud maar goud" in section and "Nieuw vandaag" not in section
    assert "Uitgelicht" in page_text_of(_card_of(html, "Oud maar goud"))
    # Not twice: the newest list holds the others.
    assert html.count(">Oud maar goud</a>") == 1


def test_home_without_featured_contributions_has_no_empty_section(client, community):
    _posted(1, community=community, title="Nieuw vandaag")

    html = client.get("/").content.decode()

    assert 'id="featured-contributions-title"' not in html
    assert "Nieuw vandaag" in page_text(client.get("/"))


def test_a_featured_contribution_in_a_private_community_never_shows_to_others(
    client, community, private_community, member, outsider
):
    MembershipFactory(community=private_community, user=member)
    _posted(5, community=private_community, title="Alleen voor leden", featured=True)
    _posted(1, community=community, title="Open voor iedereen")

    assert "Alleen voor leden" not in client.get("/").content.decode()
    client.force_login(outsider)
    assert "Alleen voor leden" not in client.get("/").content.decode()
    client.force_login(member)
    home = client.get("/").content.decode()
    assert "Alleen voor leden" in home
    assert "Uitgelicht" in page_text_of(_card_of(home, "Alleen voor leden"))


def test_hidden_featured_contributions_stay_hidden(client, community):
    _posted(5, community=community, title="Verborgen tip", featured=True, status="hidden")

    assert "Verborgen tip" not in client.get("/").content.decode()
    assert "Verborgen tip" not in client.get(community.get_absolute_url()).content.decode()


def test_home_lists_pick_the_newest_featured_and_the_newest_others_in_one_query(
    community, django_assert_num_queries
):
    for days in range(5):
        _posted(10 + days, community=community, title=f"Uitgelicht {days}", featured=True)
    for days in range(8):
        _posted(days, community=community, title=f"Gewoon {days}")

    # One query for both lists, one for their tags: what the home's latest list alone took.
    with django_assert_num_queries(2):
        featured, latest = contribution_lists_for_home(AnonymousUser(), limit=6)

    assert [c.title for c in featured] == ["Uitgelicht 0", "Uitgelicht 1", "Uitgelicht 2"]
    assert [c.title for c in latest] == [f"Gewoon {days}" for days in range(6)]


def test_older_featured_ones_beyond_the_section_still_count_as_newest(community):
    for days in range(4):
        _posted(days, community=community, title=f"Uitgelicht {days}", featured=True)

    featured, latest = contribution_lists_for_home(AnonymousUser(), limit=6)

    assert [c.title for c in featured] == ["Uitgelicht 0", "Uitgelicht 1", "Uitgelicht 2"]
    assert [c.title for c in latest] == ["Uitgelicht 3"]


def page_text_of(fragment: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", fragment).split())
