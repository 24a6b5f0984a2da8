"""Wie weet wat (/wie-weet-wat/): the opt-in on the profile, who is listed, the filters, the
question link, pages and query counts."""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from communities.models import Community, User
from knowledge.models import Contribution
from tests.communities.factories import (
    CommunityFactory,
    MembershipFactory,
    RegionFactory,
    ThemeFactory,
    UserFactory,
)
from tests.html import field_errors, page_text
from tests.knowledge.factories import ContributionFactory
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db

URL = "/wie-weet-wat/"


def _findable(**kwargs) -> User:
    expertise = kwargs.pop("expertise", [])
    user = UserFactory(findable=True, **kwargs)
    if expertise:
        user.expertise.set(expertise)
    return user


def _names(response) -> list[str]:
    """The members on the page, in order (the card titles)."""
    content = response.content.decode()
    return [
        html.unescape(name)
        for name in re.findall(
            r'<h3 class="card__title">\s*<a href="/leden/[^"]+/">([^<]+)</a>', content
        )
    ]


def _ask_links(response) -> list[str]:
    content = response.content.decode()
    return [html.unescape(h) for h in re.findall(r'href="(/bijdragen/nieuw/\?[^"]+)"', content)]


# --- The opt-in on the profile ----------------------------------------------------------------


def _profile_data(user: User, **overrides) -> dict:
    data = {
        "display_name": user.display_name,
        "handle": user.handle,
        "bio": "",
        "region": "",
        "website": "",
        "phone": "",
        "contact_visibility": user.contact_visibility,
        "language": "nl",
        "expertise": "",
    }
    return {**data, **overrides}


def test_nobody_is_findable_until_they_choose_it(member):
    assert User.objects.get(pk=member.pk).findable is False


def test_profile_form_explains_and_saves_the_opt_in(client, member):
    client.force_login(member)
    form = client.get("/instellingen/profiel/")
    assert "Laat anderen je vinden op Wie weet wat en in zoeken" in page_text(form)
    assert 'name="findable"' in form.content.decode()

    client.post("/instellingen/profiel/", _profile_data(member, findable="on"))
    assert User.objects.get(pk=member.pk).findable is True

    client.post("/instellingen/profiel/", _profile_data(member))  # unticked
    assert User.objects.get(pk=member.pk).findable is False


# --- Who is listed ----------------------------------------------------------------------------


def test_only_active_members_who_opted_in_are_listed(client):
    _findable(display_name="Fien Vindbaar")
    UserFactory(display_name="Nora Niet")  # did not opt in
    _findable(display_name="Otto Weg", is_active=False)

    response = client.get(URL)

    assert response.status_code == 200
    assert _names(response) == ["Fien Vindbaar"]
    assert "1 persoon" in page_text(response)


def test_a_card_shows_name_region_expertise_and_visible_communities(
    client, community, private_community
):
    region = RegionFactory(name="Drechtsteden", slug="drechtsteden")
    fien = _findable(
        display_name="Fien Vindbaar", handle="fien", region=region, expertise=["Zonnepanelen"]
    )
    MembershipFactory(user=fien, community=community)
    MembershipFactory(user=fien, community=private_community)

    response = client.get(URL)
    content, text = response.content.decode(), page_text(response)

    assert '<a href="/leden/fien/">Fien Vindbaar</a>' in content
    assert "Drechtsteden" in text
    assert '<a class="tag" href="/tags/zonnepanelen/">Zonnepanelen</a>' in content
    assert f'href="{community.get_absolute_url()}"' in content
    # A private community shows to its members only.
    assert private_community.title not in text
    insider = UserFactory()
    MembershipFactory(user=insider, community=private_community)
    client.force_login(insider)
    assert private_community.title in page_text(client.get(URL))


def test_a_card_counts_the_contributions_the_visitor_may_see(client, community, private_community):
    fien = _findable(display_name="Fien Vindbaar", handle="fien")
    ContributionFactory.create_batch(2, community=community, author=fien)
    ContributionFactory(community=community, author=fien, status=Contribution.Status.HIDDEN)
    ContributionFactory(community=private_community, author=fien)

    content = client.get(URL).content.decode()

    assert re.search(r'<a href="/leden/fien/#contributions-title">\s*2 bijdragen\s*</a>', content)


# --- Filters ----------------------------------------------------------------------------------


def test_the_filters_are_labelled_get_fields(client):
    content = client.get(URL).content.decode()

    assert 'method="get"' in content
    for name, label in [("thema", "Thema"), ("kennis", "Kennis"), ("regio", "Regio")]:
        assert f'<label class="field__label" for="id_{name}">' in content
        assert label in content


def test_filter_by_theme_of_their_communities(client, theme, community):
    in_theme = _findable(display_name="Anna Thema")
    MembershipFactory(user=in_theme, community=community)  # community has `theme`
    elsewhere = _findable(display_name="Bert Elders")
    MembershipFactory(user=elsewhere, community=CommunityFactory(themes=[ThemeFactory()]))
    pending = _findable(display_name="Cees Aangevraagd")
    MembershipFactory(user=pending, community=community, pending=True)

    response = client.get(f"{URL}?thema={theme.slug}")

    assert _names(response) == ["Anna Thema"]
    assert "Wis de filters" in page_text(response)


def test_theme_filter_does_not_reveal_private_memberships(client, theme):
    secret = CommunityFactory(visibility=Community.Visibility.PRIVATE, themes=[theme])
    insider = _findable(display_name="Ida Binnen")
    MembershipFactory(user=insider, community=secret)

    assert _names(client.get(f"{URL}?thema={theme.slug}")) == []

    client.force_login(insider)
    assert _names(client.get(f"{URL}?thema={theme.slug}")) == ["Ida Binnen"]


def test_filter_by_expertise_and_region(client):
    north = RegionFactory(name="Noord", slug="noord")
    _findable(display_name="Anna Zon", expertise=["zonnepanelen"], region=north)
    _findable(display_name="Bert Zon", expertise=["Zonnepanelen", "isolatie"])
    _findable(display_name="Cees Isolatie", expertise=["isolatie"], region=north)
    UserFactory(display_name="Nora Niet").expertise.set(["zonnepanelen"])

    assert _names(client.get(f"{URL}?kennis=zonnepanelen")) == ["Anna Zon", "Bert Zon"]
    assert _names(client.get(f"{URL}?regio=noord")) == ["Anna Zon", "Cees Isolatie"]
    assert _names(client.get(f"{URL}?kennis=isolatie&regio=noord")) == ["Cees Isolatie"]


def test_expertise_choices_are_those_of_findable_members(client):
    _findable(expertise=["zonnepanelen"])
    UserFactory().expertise.set(["geheime hobby"])

    text = page_text(client.get(URL))

    assert "zonnepanelen" in text
    assert "geheime hobby" not in text


def test_an_unknown_filter_value_is_shown_at_its_field(client):
    _findable(display_name="Anna Zon")

    response = client.get(f"{URL}?regio=atlantis")

    assert response.status_code == 200
    assert "Selecteer een geldige keuze" in field_errors(response, "regio")
    assert _names(response) == ["Anna Zon"]


def test_the_list_is_paginated_and_pages_keep_the_filters(client):
    for n in range(30):
        _findable(display_name=f"Lid {n:02}", expertise=["fietsen"])

    first = client.get(f"{URL}?kennis=fietsen")
    second = client.get(f"{URL}?kennis=fietsen&pagina=2")

    assert len(_names(first)) == 24
    assert "30 mensen" in page_text(first)
    assert 'href="?kennis=fietsen&amp;pagina=2"' in first.content.decode()
    assert _names(second) == [f"Lid {n}" for n in range(24, 30)]


# --- Asking a question ------------------------------------------------------------------------


def test_ask_in_a_shared_community_prefills_the_question(client, community):
    fien = _findable(display_name="Fien Vindbaar", handle="fien")
    MembershipFactory(user=fien, community=community)
    asker = UserFactory()
    MembershipFactory(user=asker, community=community)
    client.force_login(asker)

    [link] = _ask_links(client.get(URL))
    query = parse_qs(urlsplit(link).query)
    assert query == {"gemeenschap": [community.slug], "kind": ["question"], "body": ["@fien "]}

    form = client.get(link)
    content = form.content.decode()
    assert re.search(r'<input[^>]*value="question"[^>]*checked', content)
    assert re.search(r"<textarea[^>]*>\s*@fien </textarea>", content)
    assert community.title in page_text(form)


def test_ask_without_a_shared_community_chooses_one_of_the_viewers(client, community):
    fien = _findable(display_name="Fien Vindbaar", handle="fien")
    MembershipFactory(user=fien, community=community)
    mine = CommunityFactory(title="Repair Café West", slug="repair-west")
    asker = UserFactory()
    MembershipFactory(user=asker, community=mine)
    client.force_login(asker)

    [link] = _ask_links(client.get(URL))
    assert parse_qs(urlsplit(link).query) == {"kind": ["question"], "body": ["@fien "]}

    chooser = client.get(link).content.decode()
    [onward] = re.findall(r'href="(/bijdragen/nieuw/\?[^"]+gemeenschap[^"]+)"', chooser)
    assert parse_qs(urlsplit(html.unescape(onward)).query) == {
        "kind": ["question"],
        "body": ["@fien "],
        "gemeenschap": ["repair-west"],
    }
    form = client.get(html.unescape(onward)).content.decode()
    assert re.search(r"<textarea[^>]*>\s*@fien </textarea>", form)


def test_without_a_community_the_viewer_is_told_to_join_one(client):
    _findable(display_name="Fien Vindbaar")
    client.force_login(UserFactory())

    response = client.get(URL)

    assert _ask_links(response) == []
    assert "Word eerst lid van een gemeenschap" in page_text(response)


def test_a_visitor_is_asked_to_log_in_first(client):
    _findable(display_name="Fien Vindbaar", handle="fien")

    content = client.get(URL).content.decode()

    login = re.search(r'href="/accounts/login/\?next=([^"]+)"[^>]*>\s*Log in om', content)
    assert login is not None
    assert "%40fien" in login.group(1) or "%2540fien" in login.group(1)


def test_the_prefill_takes_only_a_member_kind_and_a_short_body(client, community, member):
    MembershipFactory(user=member, community=community)
    client.force_login(member)
    base = f"/bijdragen/nieuw/?gemeenschap={community.slug}"

    content = client.get(f"{base}&kind=report&body={'x' * 201}").content.decode()

    assert re.search(r'<input[^>]*value="report"', content) is None
    assert re.search(r"<textarea[^>]*>\s*</textarea>", content)
    assert re.search(r'<input[^>]*value="question"[^>]*checked', content)  # the default


# --- Links to it ------------------------------------------------------------------------------


def test_the_navigation_and_theme_pages_link_to_it(client, theme):
    home = client.get("/themas/").content.decode()
    assert 'href="/wie-weet-wat/"' in home

    theme_page = client.get(f"/themas/{theme.slug}/").content.decode()
    assert f'href="/wie-weet-wat/?thema={theme.slug}"' in theme_page


# --- Query counts -----------------------------------------------------------------------------


@pytest.fixture
def findable_world(theme, community):
    region = RegionFactory(name="Noord", slug="noord")

    def add(n):
        for _ in range(n):
            user = _findable(region=region, expertise=["zonnepanelen", "isolatie"])
            MembershipFactory(user=user, community=community)
            MembershipFactory(user=user, community=CommunityFactory(themes=[theme]))
            ContributionFactory(community=community, author=user)

    return add, f"thema={theme.slug}&kennis=zonnepanelen&regio=noord"


def test_who_knows_what_costs_constant_queries(client, findable_world):
    add, query = findable_world
    assert_constant_queries(client, f"{URL}?{query}", add, label="who knows what, visitor")


def test_who_knows_what_for_a_member_costs_constant_queries(
    client, member, community, findable_world
):
    add, query = findable_world
    MembershipFactory(user=member, community=community)
    client.force_login(member)
    assert_constant_queries(client, f"{URL}?{query}", add, label="who knows what, member")
