"""Query-count locks (issue 13) for the community pages that had none: the members page.

Each page costs the same number of queries for 3 rows as for 30 (tests/querycount.py), and no
more than the number it cost when it was locked.
"""

from __future__ import annotations

import pytest

from communities.models import Membership
from tests.communities.factories import MembershipFactory
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db


def test_members_page_queries_are_locked(client, community, host):
    """The host's page: requests, members with their role form, and the blocked ones."""

    def add(n):
        for _ in range(n):
            MembershipFactory(community=community)
            MembershipFactory(community=community, pending=True)
            MembershipFactory(community=community, state=Membership.State.BLOCKED)

    client.force_login(host)
    url = f"/gemeenschappen/{community.slug}/leden/"
    assert_constant_queries(client, url, add, label="community members page (host)", at_most=12)
