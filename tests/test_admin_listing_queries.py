"""Query-count locks (issue 13) for the Wagtail admin listings a librarian works in: the pages
explorer of the home page, the contributions listing and the communities listing.

Each listing costs the same number of queries for 3 rows as for 30 (tests/querycount.py), and
no more than the number it cost when it was locked.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from communities.models import Community, Membership
from communities.selectors import LIBRARIAN_GROUP
from knowledge.models import ContentPage, Contribution, HomePage
from tests.communities.factories import (
    CommunityFactory,
    LibraryFactory,
    MembershipFactory,
    ThemeFactory,
    UserFactory,
)
from tests.knowledge.factories import CommentFactory, ContributionFactory, paragraph
from tests.mfa import admin_login
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def library():
    return LibraryFactory(name="Bibliotheek Ahorn", slug="ahorn")


@pytest.fixture
def librarian_client(client, library):
    """A librarian of `library`, past the second factor the admin asks."""
    librarian = UserFactory(display_name="Lotte Librarian", handle="lotte")
    librarian.groups.add(Group.objects.get(name=LIBRARIAN_GROUP))
    library.librarians.add(librarian)
    admin_login(client, librarian)
    return client


def _snippet_list(model) -> str:
    return reverse(f"wagtailsnippets_{model._meta.app_label}_{model._meta.model_name}:list")


def test_pages_explorer_of_the_home_page_queries_are_locked(librarian_client):
    home = HomePage.objects.get()

    def add(n):
        # Live pages and drafts; 33 at most, so all on the explorer's first page (50): a page
        # break would leave kinds of pages out of the larger listing and make it cheaper.
        for i in range(n):
            page = ContentPage(title=f"Informatie {i}", body=[paragraph()], live=False)
            home.add_child(instance=page)
            revision = page.save_revision()
            if i % 2:
                revision.publish()

    url = reverse("wagtailadmin_explore", args=[home.pk])
    assert_constant_queries(
        librarian_client, url, add, label="admin pages explorer (home)", at_most=36
    )


def test_contributions_listing_queries_are_locked(librarian_client, library):
    community = CommunityFactory(library=library, themes=[ThemeFactory()])

    def add(n):
        for i in range(n):
            status = Contribution.Status.HIDDEN if i % 3 == 0 else Contribution.Status.PUBLISHED
            contribution = ContributionFactory(
                community=community, status=status, tags=["warmte"], themes=[ThemeFactory()]
            )
            CommentFactory(contribution=contribution)

    assert_constant_queries(
        librarian_client,
        _snippet_list(Contribution),
        add,
        label="admin contributions listing",
        at_most=17,
    )


def test_communities_listing_queries_are_locked(librarian_client, library):
    def add(n):
        for i in range(n):
            visibility = list(Community.Visibility)[i % len(Community.Visibility)]
            community = CommunityFactory(
                library=library, visibility=visibility, themes=[ThemeFactory()]
            )
            MembershipFactory(community=community, role=Membership.Role.HOST)
            MembershipFactory(community=community, pending=True)
            ContributionFactory(community=community)

    assert_constant_queries(
        librarian_client,
        _snippet_list(Community),
        add,
        label="admin communities listing",
        at_most=18,
    )
