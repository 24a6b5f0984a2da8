"""Who sees which community and whose contact details."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from communities import selectors
from communities.models import Community, User
from tests.communities.factories import CommunityFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def _visible_slugs(viewer) -> set[str]:
    return set(selectors.community_list_visible_to(viewer).values_list("slug", flat=True))


@pytest.fixture
def communities(community, private_community):
    on_request = CommunityFactory(slug="op-aanvraag", visibility=Community.Visibility.ON_REQUEST)
    return {"open": community, "on_request": on_request, "private": private_community}


def test_anonymous_sees_open_and_on_request_but_not_private(communities):
    assert _visible_slugs(AnonymousUser()) == {"energie-noord", "op-aanvraag"}
    with pytest.raises(Http404):
        selectors.community_get_visible(AnonymousUser(), "besloten-kring")


def test_non_member_does_not_see_a_private_community(communities, outsider):
    assert "besloten-kring" not in _visible_slugs(outsider)
    with pytest.raises(Http404):
        selectors.community_get_visible(outsider, "besloten-kring")


def test_member_of_another_community_does_not_see_a_private_community(communities, membership):
    assert "besloten-kring" not in _visible_slugs(membership.user)


def test_pending_member_does_not_see_a_private_community(communities, member):
    MembershipFactory(community=communities["private"], user=member, pending=True)

    assert "besloten-kring" not in _visible_slugs(member)
    with pytest.raises(Http404):
        selectors.community_get_visible(member, "besloten-kring")


def test_active_member_sees_their_private_community(communities, member):
    MembershipFactory(community=communities["private"], user=member)

    assert _visible_slugs(member) == {"energie-noord", "op-aanvraag", "besloten-kring"}
    assert selectors.community_get_visible(member, "besloten-kring") == communities["private"]


def test_librarian_sees_the_private_communities_of_their_library(communities, librarian):
    communities["private"].library.librarians.add(librarian)

    assert "besloten-kring" in _visible_slugs(librarian)
    assert selectors.community_get_visible(librarian, "besloten-kring") == communities["private"]


def test_librarian_of_another_library_does_not_see_a_private_community(communities, librarian):
    communities["open"].library.librarians.add(librarian)

    assert "besloten-kring" not in _visible_slugs(librarian)


def test_superuser_sees_every_private_community(communities):
    admin = UserFactory(is_superuser=True, is_staff=True)

    assert "besloten-kring" in _visible_slugs(admin)


def test_unknown_slug_is_404(communities, member):
    with pytest.raises(Http404):
        selectors.community_get_visible(member, "bestaat-niet")


def test_member_count_counts_active_members_only(community, host, membership):
    MembershipFactory(community=community, pending=True)

    listed = selectors.community_list_visible_to(AnonymousUser()).get(pk=community.pk)

    assert listed.member_count == 2


def test_list_filters_by_theme(community, theme):
    CommunityFactory(slug="zonder-thema")

    listed = selectors.community_list_visible_to(AnonymousUser(), theme=theme)

    assert [c.slug for c in listed] == ["energie-noord"]


def test_user_can_manage(community, host, membership, outsider, librarian):
    community.library.librarians.add(librarian)

    assert selectors.user_can_manage(host, community)
    assert selectors.user_can_manage(librarian, community)
    assert not selectors.user_can_manage(membership.user, community)
    assert not selectors.user_can_manage(outsider, community)
    assert not selectors.user_can_manage(AnonymousUser(), community)


def test_member_communities_visible_to_hides_private_ones_from_outsiders(
    community, private_community, member, outsider
):
    MembershipFactory(community=community, user=member)
    MembershipFactory(community=private_community, user=member)
    fellow = MembershipFactory(community=private_community).user

    seen_by_outsider = selectors.member_communities_visible_to(member, outsider)
    seen_by_fellow = selectors.member_communities_visible_to(member, fellow)

    assert [c.slug for c in seen_by_outsider] == ["energie-noord"]
    assert [c.slug for c in seen_by_fellow] == ["besloten-kring", "energie-noord"]


def test_member_get_by_handle_ignores_inactive_members(member):
    UserFactory(handle="weg", is_active=False)

    assert selectors.member_get_by_handle("mila") == member
    with pytest.raises(Http404):
        selectors.member_get_by_handle("weg")


@pytest.mark.parametrize(
    ("visibility", "anonymous", "other_member", "self_"),
    [
        (User.ContactVisibility.NOBODY, False, False, True),
        (User.ContactVisibility.MEMBERS, False, True, True),
        (User.ContactVisibility.EVERYONE, True, True, True),
    ],
)
def test_member_contact_visible_to(visibility, anonymous, other_member, self_):
    member = UserFactory(contact_visibility=visibility)
    other = UserFactory()

    assert selectors.member_contact_visible_to(member, AnonymousUser()) is anonymous
    assert selectors.member_contact_visible_to(member, other) is other_member
    assert selectors.member_contact_visible_to(member, member) is self_
