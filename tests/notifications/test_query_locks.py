"""Query-count lock (issue 13) for the notification preferences page, which had none.

The page costs the same number of queries for 3 rows as for 30 (tests/querycount.py), and no
more than the number it cost when it was locked.
"""

from __future__ import annotations

import pytest

from notifications.models import CommunityFollow
from tests.communities.factories import (
    CommunityFactory,
    MembershipFactory,
    RegionFactory,
    ThemeFactory,
)
from tests.notifications.factories import (
    CommunityFollowFactory,
    RegionFollowFactory,
    ThemeFollowFactory,
)
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db


def test_preferences_page_queries_are_locked(client, member):
    """A row per community the member belongs to (some followed closely), and the themes and
    regions to choose from, some of them followed."""

    def add(n):
        for i in range(n):
            community = CommunityFactory()
            MembershipFactory(community=community, user=member)
            if i % 2:
                CommunityFollowFactory(
                    user=member, community=community, level=CommunityFollow.Level.ALL
                )
            ThemeFollowFactory(user=member, theme=ThemeFactory())
            ThemeFactory()
            RegionFollowFactory(user=member, region=RegionFactory())
            RegionFactory()

    client.force_login(member)
    assert_constant_queries(
        client, "/instellingen/", add, label="notification preferences", at_most=12
    )
