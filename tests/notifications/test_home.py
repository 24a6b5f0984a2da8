"""The member's own home ("Voor jou"): what is new for them, their next meetups, the questions
waiting in their communities; and the visitor's home left as it was, cached."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from communities.models import Community
from kenniscloud.common.cache import generation_bump
from kenniscloud.common.middleware import HEADER
from knowledge.models import Contribution
from knowledge.services import comment_create
from meetups.models import Meetup, Rsvp
from tests.communities.factories import (
    CommunityFactory,
    MembershipFactory,
    RegionFactory,
    ThemeFactory,
)
from tests.html import page_text
from tests.knowledge.factories import ContributionFactory
from tests.meetups.factories import BranchFactory, MeetupFactory, RsvpFactory
from tests.notifications.factories import (
    CommunityFollowFactory,
    RegionFollowFactory,
    ThemeFollowFactory,
)
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db


def for_you(client) -> str:
    """The visible text of the "Voor jou" part of the home page; "" when it has none."""
    response = client.get("/")
    assert response.status_code == 200
    match = re.search(
        r'<section class="section for-you".*?</section>', response.content.decode(), re.S
    )
    if match is None:
        return ""

    class Part:
        content = match.group(0).encode()

    return page_text(Part)


@pytest.fixture
def mila(client, member, membership):
    client.force_login(member)
    return client


def _older(contribution: Contribution, days: int) -> None:
    Contribution.objects.filter(pk=contribution.pk).update(
        created_at=timezone.now() - timedelta(days=days)
    )


# --- New for you -----------------------------------------------------------------------------


def test_new_in_my_community_and_followed_theme_and_region_only(
    mila, member, community, private_community
):
    followed_theme = ThemeFactory(title="Samen koken")
    ThemeFollowFactory(user=member, theme=followed_theme)
    followed_region = RegionFactory(name="Hart van Brabant")
    RegionFollowFactory(user=member, region=followed_region)
    elsewhere = CommunityFactory(title="Tuinclub Zuid")
    in_region = CommunityFactory(title="Buurthuis Oost", region=followed_region)
    neighbour = MembershipFactory(community=community).user

    ContributionFactory(community=community, author=neighbour, title="Zonnepanelen op een plat dak")
    ContributionFactory(community=elsewhere, title="Soep van pompoen", themes=[followed_theme])
    ContributionFactory(community=in_region, title="Repair café in maart")
    ContributionFactory(community=elsewhere, title="Snoeien in de winter")  # nothing I follow
    ContributionFactory(  # a private community I am not in, on my theme
        community=private_community, title="Geheim recept", themes=[followed_theme]
    )
    ContributionFactory(community=community, author=member, title="Mijn eigen vraag")
    old = ContributionFactory(
        community=community, kind=Contribution.Kind.EXPERIENCE, title="Van lang geleden"
    )
    _older(old, days=20)
    ContributionFactory(
        community=community, title="Verborgen bijdrage", status=Contribution.Status.HIDDEN
    )

    text = for_you(mila)

    assert "Zonnepanelen op een plat dak" in text
    assert "Soep van pompoen" in text
    assert "Je volgt het thema Samen koken" in text
    assert "Repair café in maart" in text
    assert "Uit de regio Hart van Brabant" in text
    for unseen in (
        "Snoeien in de winter",
        "Geheim recept",
        "Mijn eigen vraag",
        "Van lang geleden",
        "Verborgen bijdrage",
    ):
        assert unseen not in text


def test_a_muted_community_is_left_out(mila, member, community):
    CommunityFollowFactory(user=member, community=community)  # muted
    ContributionFactory(community=community, title="Zonnepanelen op een plat dak")

    assert "Zonnepanelen op een plat dak" not in for_you(mila)


def test_a_private_community_i_belong_to_is_in(client, member, private_community):
    MembershipFactory(community=private_community, user=member)
    ContributionFactory(community=private_community, title="Alleen voor de kring")
    client.force_login(member)

    assert "Alleen voor de kring" in for_you(client)
    assert "Alleen voor de kring" not in for_you(Client())


# --- Next meetups ----------------------------------------------------------------------------


def test_my_next_meetups_with_place_and_time(mila, member, community):
    branch = BranchFactory(name="Bibliotheek Centrum", street="Kerkstraat 4", city="Tilburg")
    soon = MeetupFactory(
        title="Koffie en zonnepanelen",
        community=community,
        branch=branch,
        starts_at=timezone.now() + timedelta(days=3),
    )
    RsvpFactory(user=member, meetup=soon)
    waiting = MeetupFactory(title="Repair café", starts_at=timezone.now() + timedelta(days=5))
    RsvpFactory(user=member, meetup=waiting, state=Rsvp.State.WAITLIST)
    cancelled_rsvp = MeetupFactory(title="Afgemelde avond")
    RsvpFactory(user=member, meetup=cancelled_rsvp, state=Rsvp.State.CANCELLED)
    past = MeetupFactory(
        title="Vorige week",
        starts_at=timezone.now() - timedelta(days=7),
        ends_at=timezone.now() - timedelta(days=7) + timedelta(hours=2),
    )
    RsvpFactory(user=member, meetup=past)
    MeetupFactory(title="Niet aangemeld")
    private = CommunityFactory(visibility=Community.Visibility.PRIVATE)
    RsvpFactory(user=member, meetup=MeetupFactory(title="Kring na vertrek", community=private))

    text = for_you(mila)

    assert "Koffie en zonnepanelen" in text
    assert "Bibliotheek Centrum, Kerkstraat 4, Tilburg" in text
    local = timezone.localtime(soon.starts_at)
    assert local.strftime("%H:%M") in text
    assert text.index("Koffie en zonnepanelen") < text.index("Repair café")
    assert "Je staat op de wachtlijst" in text
    for unseen in ("Afgemelde avond", "Vorige week", "Niet aangemeld", "Kring na vertrek"):
        assert unseen not in text


def test_a_cancelled_meetup_says_so(mila, member):
    meetup = MeetupFactory(title="Koffie en zonnepanelen", status=Meetup.Status.CANCELLED)
    RsvpFactory(user=member, meetup=meetup)

    assert "Afgelast Koffie en zonnepanelen" in " ".join(for_you(mila).split())


# --- Questions waiting for an answer -----------------------------------------------------------


def test_an_open_question_shows_until_it_is_answered(mila, member, community):
    neighbour = MembershipFactory(community=community).user
    question = ContributionFactory(
        community=community, author=neighbour, title="Wie kan mijn fiets plakken?"
    )
    ContributionFactory(community=community, author=member, title="Mijn eigen vraag")
    ContributionFactory(
        community=community, kind=Contribution.Kind.EXPERIENCE, title="Zo plakte ik mijn band"
    )
    ContributionFactory(title="Vraag in een andere gemeenschap")

    text = for_you(mila)
    waiting = text[text.index("Vragen die op een antwoord wachten") :]
    assert "Wie kan mijn fiets plakken?" in waiting
    assert text.count("Wie kan mijn fiets plakken?") == 1  # not under "Nieuw voor jou" too
    for unseen in ("Mijn eigen vraag", "Zo plakte ik mijn band", "Vraag in een andere"):
        assert unseen not in waiting

    comment_create(author=member, contribution=question, body="Kom zaterdag langs!")

    text = for_you(mila)
    waiting = text[text.index("Vragen die op een antwoord wachten") :]
    assert "Wie kan mijn fiets plakken?" not in waiting
    assert "Alle vragen in je gemeenschappen hebben een antwoord" in waiting
    assert "Wie kan mijn fiets plakken?" in text  # still new, now under "Nieuw voor jou"


# --- A new member ------------------------------------------------------------------------------


def test_a_new_member_is_shown_the_way_in(client, member):
    client.force_login(member)

    response = client.get("/")
    text = for_you(client)

    assert "Word lid van een gemeenschap" in text
    assert 'href="/gemeenschappen/"' in response.content.decode()
    assert "Vragen die op een antwoord wachten" not in text


# --- The visitor's home ------------------------------------------------------------------------


@pytest.fixture
def page_cache(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "personal-home-tests",
        }
    }
    settings.ANONYMOUS_PAGE_CACHE_SECONDS = 300
    generation_bump()


def test_the_visitor_home_has_no_personal_part_and_stays_cached(
    page_cache, member, membership, community
):
    ContributionFactory(community=community, title="Zonnepanelen op een plat dak")
    visitor, mila = Client(), Client()
    mila.force_login(member)

    first = visitor.get("/")
    assert first[HEADER] == "miss"
    assert "Voor jou" not in page_text(first)
    assert "Zonnepanelen op een plat dak" in page_text(first)  # the generic list

    mine = mila.get("/")
    assert HEADER not in mine
    assert "private" in mine["Cache-Control"]
    assert "Voor jou" in page_text(mine)

    again = visitor.get("/")
    assert again[HEADER] == "hit"
    assert again.content == first.content


# --- Cost ----------------------------------------------------------------------------------------


def test_member_home_queries_are_constant(client, member):
    theme = ThemeFactory()
    ThemeFollowFactory(user=member, theme=theme)
    RegionFollowFactory(user=member)

    def add(n):
        for _ in range(n):
            community = CommunityFactory(themes=[ThemeFactory()])
            MembershipFactory(community=community, user=member)
            ContributionFactory(community=community, tags=["fiets"])
            ContributionFactory(themes=[theme], tags=["koken"])
            RsvpFactory(user=member, meetup=MeetupFactory(community=community))

    client.force_login(member)
    assert_constant_queries(client, "/", add, label="/ (home) member, Voor jou")
    text = for_you(client)  # every section was filled while counting
    assert "Je volgt het thema" in text
    assert "Je hebt je nog niet aangemeld" not in text
    assert "Alle vragen in je gemeenschappen hebben een antwoord" not in text
