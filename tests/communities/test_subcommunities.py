"""Subcommunities (issue 14): the tree is one level deep, in one library, private under a
private parent; joining a sub joins its parent, leaving the parent leaves its subs, and the
parent's hosts manage the subs at every door."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from communities import selectors, services
from communities.models import Community, Membership
from communities.subcommunities import community_tree
from moderation.queue import case_can_decide, case_scope_filter
from moderation.selectors import case_moderator_ids
from tests.communities.factories import (
    CommunityFactory,
    LibraryFactory,
    MembershipFactory,
    UserFactory,
)
from tests.html import page_text
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db

OPEN, ON_REQUEST, PRIVATE = (
    Community.Visibility.OPEN,
    Community.Visibility.ON_REQUEST,
    Community.Visibility.PRIVATE,
)
ACTIVE, PENDING = Membership.State.ACTIVE, Membership.State.PENDING


@pytest.fixture
def parent(db):
    community = CommunityFactory(title="Duurzaam Tilburg", slug="duurzaam-tilburg")
    MembershipFactory(
        community=community, host=True, user__display_name="Hanna Host", user__handle="hanna"
    )
    return community


@pytest.fixture
def parent_host(parent):
    return parent.memberships.get(role=Membership.Role.HOST).user


@pytest.fixture
def sub(parent):
    return CommunityFactory(
        title="Zonnepanelen Reeshof",
        slug="zonnepanelen-reeshof",
        parent=parent,
        library=parent.library,
    )


def _state(user, community) -> str | None:
    membership = Membership.objects.filter(user=user, community=community).first()
    return membership.state if membership else None


# --- The tree's rules --------------------------------------------------------------------------


def test_a_sub_of_a_sub_is_refused_so_there_are_no_cycles(parent, sub):
    below = CommunityFactory.build(parent=sub, library=parent.library, slug="dieper")
    with pytest.raises(ValidationError) as error:
        below.clean()
    assert "één niveau diep" in " ".join(error.value.message_dict["parent"])

    # Turning the parent into a sub of its own sub (a cycle) is refused the same way.
    parent.parent = sub
    with pytest.raises(ValidationError) as error:
        parent.clean()
    assert "parent" in error.value.message_dict


def test_a_parent_with_subs_cannot_go_under_another(parent, sub):
    other = CommunityFactory(library=parent.library)
    parent.parent = other
    with pytest.raises(ValidationError) as error:
        parent.clean()
    assert "heeft zelf subgemeenschappen" in " ".join(error.value.message_dict["parent"])


def test_a_sub_belongs_to_its_parents_library(parent):
    elsewhere = CommunityFactory.build(parent=parent, library=LibraryFactory(), slug="elders")
    with pytest.raises(ValidationError) as error:
        elsewhere.clean()
    assert "dezelfde bibliotheek" in " ".join(error.value.message_dict["library"])


def test_a_sub_of_a_private_parent_is_private(parent, sub):
    circle = CommunityFactory(library=parent.library, visibility=PRIVATE)
    open_sub = CommunityFactory.build(parent=circle, library=parent.library, visibility=OPEN)
    with pytest.raises(ValidationError) as error:
        open_sub.clean()
    assert "visibility" in error.value.message_dict
    open_sub.visibility = PRIVATE
    open_sub.clean()

    # And a parent with open subs cannot become private before them.
    parent.visibility = PRIVATE
    with pytest.raises(ValidationError) as error:
        parent.clean()
    assert sub.title in " ".join(error.value.message_dict["visibility"])


def test_the_tree_lock_checks_the_same_rules(parent, sub):
    below = CommunityFactory.build(parent=sub, library=parent.library, slug="dieper")
    with pytest.raises(ValidationError):
        services.community_tree_lock(community=below)


def test_the_wagtail_admin_refuses_a_sub_of_a_sub_at_the_field(admin_client, parent, sub):
    other = CommunityFactory(library=parent.library, title="Los", slug="los")
    url = reverse("wagtailsnippets_communities_community:edit", args=[other.pk])
    page = admin_client.get(url).content.decode()
    # Only main communities are offered as a parent.
    assert f'<option value="{parent.pk}"' in page
    assert f'<option value="{sub.pk}"' not in page

    response = admin_client.post(
        url,
        {
            "title": other.title,
            "slug": other.slug,
            "description": other.description,
            "welcome_message": "",
            "visibility": OPEN,
            "library": other.library_id,
            "region": other.region_id,
            "parent": sub.pk,
            "premoderation": "off",
        },
    )
    assert response.status_code == 200
    other.refresh_from_db()
    assert other.parent_id is None


# --- Joining and leaving -----------------------------------------------------------------------


def test_joining_a_sub_joins_its_open_parent(parent, sub, member):
    membership = services.membership_join(user=member, community=sub)

    assert membership.state == ACTIVE
    assert _state(member, parent) == ACTIVE


def test_a_sub_of_a_parent_on_request_waits_for_the_parents_hosts(
    parent, parent_host, sub, member, mailoutbox, django_capture_on_commit_callbacks
):
    parent.visibility = ON_REQUEST
    parent.save()

    with django_capture_on_commit_callbacks(execute=True):
        services.membership_join(user=member, community=sub)

    assert _state(member, parent) == PENDING
    assert _state(member, sub) == PENDING
    # One mail: the request for the parent; the sub's comes when it can be decided.
    assert [m.to for m in mailoutbox] == [[parent_host.email]]
    sub_request = Membership.objects.get(user=member, community=sub)
    with pytest.raises(ValidationError, match="keur daar eerst de aanvraag goed"):
        services.membership_approve(by=parent_host, community=sub, membership_id=sub_request.pk)

    parent_request = Membership.objects.get(user=member, community=parent)
    services.membership_approve(by=parent_host, community=parent, membership_id=parent_request.pk)

    # The open sub followed its parent.
    assert _state(member, sub) == ACTIVE


def test_declining_the_parent_request_ends_the_sub_request(parent, parent_host, sub, member):
    parent.visibility = ON_REQUEST
    parent.save()
    services.membership_join(user=member, community=sub)
    parent_request = Membership.objects.get(user=member, community=parent)

    services.membership_decline(by=parent_host, community=parent, membership_id=parent_request.pk)

    assert _state(member, parent) is None
    assert _state(member, sub) is None


def test_blocked_in_the_parent_means_no_way_in_through_a_sub(parent, sub, member):
    MembershipFactory(community=parent, user=member, state=Membership.State.BLOCKED)
    with pytest.raises(PermissionDenied):
        services.membership_join(user=member, community=sub)
    assert _state(member, sub) is None


def test_leaving_the_parent_leaves_its_subs_and_leaving_a_sub_keeps_the_parent(parent, sub, member):
    other_sub = CommunityFactory(parent=parent, library=parent.library)
    services.membership_join(user=member, community=sub)
    services.membership_join(user=member, community=other_sub)

    services.membership_leave(user=member, community=other_sub)
    assert _state(member, parent) == ACTIVE
    assert _state(member, sub) == ACTIVE

    services.membership_leave(user=member, community=parent)
    assert _state(member, parent) is None
    assert _state(member, sub) is None


def test_the_last_host_of_a_sub_cannot_leave_through_the_parent(parent, sub, member):
    MembershipFactory(community=parent, user=member)
    MembershipFactory(community=sub, user=member, host=True)
    with pytest.raises(ValidationError, match=sub.title):
        services.membership_leave(user=member, community=parent)
    assert _state(member, parent) == ACTIVE


def test_the_leave_page_names_the_subs_left_too(client, parent, sub, member):
    services.membership_join(user=member, community=sub)
    client.force_login(member)

    text = page_text(client.get(reverse("communities:community_leave", args=[parent.slug])))

    assert "Je verlaat ook de subgemeenschappen: Zonnepanelen Reeshof" in text
    client.post(reverse("communities:community_leave", args=[parent.slug]))
    assert _state(member, sub) is None


def test_joining_a_sub_on_the_site_says_both(client, parent, sub, member):
    client.force_login(member)
    response = client.post(reverse("communities:community_join", args=[sub.slug]), follow=True)
    assert "Je bent nu lid van Zonnepanelen Reeshof en van Duurzaam Tilburg" in page_text(response)


# --- Who manages a sub -------------------------------------------------------------------------


def test_the_parents_host_manages_the_sub_and_a_member_of_the_parent_does_not(
    parent, parent_host, sub, member
):
    MembershipFactory(community=parent, user=member)
    sub_host = MembershipFactory(community=sub, host=True).user

    assert selectors.user_can_manage(parent_host, sub)
    assert selectors.user_is_host(parent_host, sub)
    assert not selectors.user_can_manage(member, sub)
    assert not selectors.user_is_host(member, sub)
    # Not the other way round: a sub's host does not manage the parent.
    assert not selectors.user_can_manage(sub_host, parent)


def test_the_parents_host_approves_and_sets_roles_in_the_sub(
    client, parent, parent_host, sub, member
):
    sub.visibility = ON_REQUEST
    sub.save()
    services.membership_join(user=member, community=sub)
    request = Membership.objects.get(user=member, community=sub)
    client.force_login(parent_host)

    assert client.get(reverse("communities:community_members", args=[sub.slug])).status_code == 200
    client.post(
        reverse("communities:membership_decide", args=[sub.slug, request.pk]),
        {"action": "approve"},
    )
    assert _state(member, sub) == ACTIVE
    services.membership_set_role(
        by=parent_host, community=sub, membership_id=request.pk, role=Membership.Role.HOST
    )
    request.refresh_from_db()
    assert request.role == Membership.Role.HOST


def test_a_non_host_is_refused_in_the_sub(client, parent, sub, member):
    MembershipFactory(community=parent, user=member)
    client.force_login(member)
    assert client.get(reverse("communities:community_members", args=[sub.slug])).status_code == 403
    outsider = UserFactory()
    with pytest.raises(PermissionDenied):
        services.membership_add(by=member, community=sub, user=outsider)


def test_the_parents_host_adds_someone_to_a_private_sub_and_so_to_the_parent(parent, parent_host):
    circle = CommunityFactory(parent=parent, library=parent.library, visibility=PRIVATE)
    newcomer = UserFactory()

    services.membership_add(by=parent_host, community=circle, user=newcomer)

    assert _state(newcomer, circle) == ACTIVE
    assert _state(newcomer, parent) == ACTIVE


def test_requests_for_a_sub_reach_the_parents_hosts(
    parent, parent_host, sub, member, mailoutbox, django_capture_on_commit_callbacks
):
    sub.visibility = ON_REQUEST
    sub.save()
    MembershipFactory(community=parent, user=member)

    with django_capture_on_commit_callbacks(execute=True):
        services.membership_join(user=member, community=sub)

    assert [m.to for m in mailoutbox] == [[parent_host.email]]


def test_the_parents_host_decides_reports_in_the_sub(parent, parent_host, sub, member):
    from moderation.models import Case

    case = Case.objects.create(
        content_type_id=_content_type_of(sub),
        object_id=sub.pk,
        community=sub,
        library=sub.library,
        opened_at=timezone.now(),
    )

    assert case_can_decide(parent_host, case)
    assert not case_can_decide(member, case)
    assert Case.objects.filter(case_scope_filter(parent_host), pk=case.pk).exists()
    assert parent_host.pk in case_moderator_ids(case)


def _content_type_of(obj) -> int:
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(obj).pk


# --- What residents see ------------------------------------------------------------------------


def test_the_list_shows_subs_under_their_parent(client, parent, sub):
    response = client.get(reverse("communities:community_list"))
    text = page_text(response)

    assert "Subgemeenschappen van Duurzaam Tilburg Zonnepanelen Reeshof" in text
    # Once: under its parent, not as a card of its own.
    assert text.count("Zonnepanelen Reeshof") == 1


def test_a_sub_shows_its_parent_in_the_breadcrumbs_and_the_parent_its_subs(client, parent, sub):
    page = client.get(sub.get_absolute_url()).content.decode()
    crumbs = page.split('class="breadcrumbs"')[1].split("</nav>")[0]
    assert f'href="{parent.get_absolute_url()}"' in crumbs

    text = page_text(client.get(parent.get_absolute_url()))
    assert "Subgemeenschappen Zonnepanelen Reeshof" in text


def test_a_private_sub_stays_hidden_from_outsiders(client, parent, outsider):
    circle = CommunityFactory(
        parent=parent, library=parent.library, visibility=PRIVATE, title="Kerngroep"
    )
    client.force_login(outsider)
    assert client.get(circle.get_absolute_url()).status_code == 404
    assert "Kerngroep" not in page_text(client.get(parent.get_absolute_url()))
    assert "Kerngroep" not in page_text(client.get(reverse("communities:community_list")))


def test_the_api_names_a_subs_parent(client, parent, sub):
    response = client.get(f"/api/v1/communities/{sub.slug}/")
    assert response.status_code == 200
    assert response.json()["parent"]["slug"] == parent.slug
    rows = client.get("/api/v1/communities/").json()["items"]
    listed = {row["slug"]: row["parent"] for row in rows}
    assert listed[parent.slug] is None
    assert listed[sub.slug]["slug"] == parent.slug


def test_community_tree_puts_subs_under_a_listed_parent_only(parent, sub):
    orphan_parent = CommunityFactory(library=parent.library)
    lonely = CommunityFactory(parent=orphan_parent, library=parent.library)

    top = community_tree([parent, sub, lonely])

    assert top == [parent, lonely]
    assert parent.subs_shown == [sub]


def test_the_list_with_subs_costs_the_same_queries_for_3_and_30(client, parent, member):
    client.force_login(member)

    def add(n):
        # In one library: a new library would empty the footer's cache (site_library).
        for i in range(n):
            top = CommunityFactory(library=parent.library, region=parent.region)
            sub = CommunityFactory(parent=top, library=parent.library, region=parent.region)
            if i % 2:
                MembershipFactory(community=sub, user=member)

    assert_constant_queries(
        client, "/gemeenschappen/", add, label="/gemeenschappen/ with subcommunities"
    )


def test_a_parents_page_with_subs_costs_the_same_queries_for_3_and_30(client, parent, member):
    client.force_login(member)

    def add(n):
        for i in range(n):
            sub = CommunityFactory(parent=parent, library=parent.library, region=parent.region)
            if i % 2:
                MembershipFactory(community=sub, user=member)

    assert_constant_queries(
        client, parent.get_absolute_url(), add, label="community page with subcommunities"
    )


def test_blocked_in_the_parent_is_out_of_its_subs(parent, parent_host, sub, member):
    from moderation.blocks import membership_block

    services.membership_join(user=member, community=sub)
    in_parent = Membership.objects.get(user=member, community=parent)

    membership_block(by=parent_host, community=parent, membership_id=in_parent.pk, reason="Spam")

    assert _state(member, parent) == Membership.State.BLOCKED
    assert _state(member, sub) is None


def test_the_leave_page_of_the_last_host_of_a_sub_offers_no_leave_button(
    client, parent, sub, member
):
    MembershipFactory(community=parent, user=member)
    MembershipFactory(community=sub, user=member, host=True)
    client.force_login(member)

    response = client.get(reverse("communities:community_leave", args=[parent.slug]))

    assert "Je bent de enige beheerder van Zonnepanelen Reeshof" in page_text(response)
    assert f'action="{reverse("communities:community_leave", args=[parent.slug])}"' not in (
        response.content.decode()
    )
