"""The snippet choosers of the Wagtail admin follow the per-library rule.

Choosers open from dossier picks, article and home blocks and meetups. A librarian curates for
everyone, so the published contributions and the communities that are open to the public can be
chosen from any library; a private community of another library, and what is written in it, never
shows up — not in the list, not in a search and not when its address is typed.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from communities.models import Branch, Community, Library, Membership
from communities.selectors import LIBRARIAN_GROUP, ORGANISER_GROUP
from knowledge.models import Comment, Contribution
from tests.communities.factories import (
    CommunityFactory,
    LibraryFactory,
    MembershipFactory,
    UserFactory,
)
from tests.knowledge.factories import CommentFactory, ContributionFactory
from tests.mfa import admin_login

pytestmark = pytest.mark.django_db


def _in_group(name: str):
    user = UserFactory()
    user.groups.add(Group.objects.get(name=name))
    return user


@pytest.fixture
def world(db):
    library_a = LibraryFactory(name="Bibliotheek Ahorn", slug="ahorn")
    library_b = LibraryFactory(name="Bibliotheek Beuk", slug="beuk")
    private = Community.Visibility.PRIVATE
    communities = {
        "a_private": CommunityFactory(
            title="Ahorn besloten", library=library_a, visibility=private
        ),
        "b_open": CommunityFactory(title="Beuk open", library=library_b),
        "b_private": CommunityFactory(title="Beuk besloten", library=library_b, visibility=private),
    }
    contributions = {
        key: ContributionFactory(community=community, title=f"Bijdrage {community.title}")
        for key, community in communities.items()
    }
    contributions["b_hidden"] = ContributionFactory(
        community=communities["b_open"],
        title="Verborgen Beuk open",
        status=Contribution.Status.HIDDEN,
    )
    librarian = _in_group(LIBRARIAN_GROUP)
    library_a.librarians.add(librarian)
    return {
        "communities": communities,
        "contributions": contributions,
        "comments": {"b_private": CommentFactory(contribution=contributions["b_private"])},
        "librarian": librarian,
        "librarian_without_library": _in_group(LIBRARIAN_GROUP),
        "organiser": _in_group(ORGANISER_GROUP),
        "superuser": UserFactory(is_superuser=True, is_staff=True),
        "libraries": {"a": library_a, "b": library_b},
    }


def _chooser_url(model, view: str = "choose", *args) -> str:
    name = f"wagtailsnippetchoosers_{model._meta.app_label}_{model._meta.model_name}:{view}"
    return reverse(name, args=args)


def _chooser_pks(client, model) -> set[int]:
    response = client.get(_chooser_url(model, "choose_results"))
    assert response.status_code == 200
    return {obj.pk for obj in response.context["results"]}


def _chooser_html(client, model) -> str:
    response = client.get(_chooser_url(model))
    assert response.status_code == 200
    return response.json()["html"]


def test_librarian_chooses_own_and_public_contributions_only(client, world):
    c = world["contributions"]
    admin_login(client, world["librarian"])

    assert _chooser_pks(client, Contribution) == {c["a_private"].pk, c["b_open"].pk}
    html = _chooser_html(client, Contribution)
    assert "Bijdrage Ahorn besloten" in html
    assert "Bijdrage Beuk open" in html
    assert "Bijdrage Beuk besloten" not in html
    assert "Verborgen Beuk open" not in html


def test_librarian_cannot_choose_a_private_contribution_of_another_library_by_address(
    client, world
):
    c = world["contributions"]
    admin_login(client, world["librarian"])

    refused = client.get(_chooser_url(Contribution, "chosen", c["b_private"].pk))
    assert refused.status_code == 404
    chosen = client.get(_chooser_url(Contribution, "chosen", c["b_open"].pk))
    assert chosen.status_code == 200
    assert chosen.json()["result"]["string"] == "Bijdrage Beuk open"
    multiple = client.get(
        _chooser_url(Contribution, "chosen_multiple"),
        {"id": [c["b_open"].pk, c["b_private"].pk]},
    )
    assert [str(row["id"]) for row in multiple.json()["result"]] == [str(c["b_open"].pk)]


def test_librarian_without_library_chooses_only_public_published_contributions(client, world):
    admin_login(client, world["librarian_without_library"])

    assert _chooser_pks(client, Contribution) == {world["contributions"]["b_open"].pk}


def test_librarian_chooses_own_and_public_communities_only(client, world):
    cs = world["communities"]
    admin_login(client, world["librarian"])

    assert _chooser_pks(client, Community) == {cs["a_private"].pk, cs["b_open"].pk}
    assert "Beuk besloten" not in _chooser_html(client, Community)
    refused = client.get(_chooser_url(Community, "chosen", cs["b_private"].pk))
    assert refused.status_code == 404


def test_organiser_chooses_a_private_community_they_belong_to(client, world):
    cs = world["communities"]
    organiser = world["organiser"]
    MembershipFactory(community=cs["b_private"], user=organiser, role=Membership.Role.HOST)
    admin_login(client, organiser)

    assert _chooser_pks(client, Community) == {cs["b_open"].pk, cs["b_private"].pk}


def test_comment_and_membership_choosers_keep_to_own_libraries(client, world):
    admin_login(client, world["librarian"])

    assert world["comments"]["b_private"].pk not in _chooser_pks(client, Comment)
    MembershipFactory(community=world["communities"]["b_open"])
    MembershipFactory(community=world["communities"]["a_private"])
    memberships = Membership.objects.filter(community__library=world["libraries"]["a"])
    assert _chooser_pks(client, Membership) == set(memberships.values_list("pk", flat=True))


def test_libraries_and_branches_stay_choosable_for_meetups(client, world):
    # Addresses of libraries are public; an organiser picks the branch of a meetup.
    admin_login(client, world["organiser"])
    branch = Branch.objects.create(
        library=world["libraries"]["b"],
        name="Filiaal Beuk",
        slug="filiaal-beuk",
        street="Beukenlaan 1",
        postcode="1234 AB",
        city="Beukdorp",
    )

    assert branch.pk in _chooser_pks(client, Branch)
    assert _chooser_pks(client, Library) == {lib.pk for lib in world["libraries"].values()}


def test_superuser_chooses_everything(client, world):
    admin_login(client, world["superuser"])

    assert _chooser_pks(client, Contribution) == {c.pk for c in world["contributions"].values()}
    assert _chooser_pks(client, Community) == {c.pk for c in world["communities"].values()}
