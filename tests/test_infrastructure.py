"""The real services: Redis as cache and broker, PostgreSQL enforcing the constraints.

These run in CI against docker-compose's services; on a bare machine they skip (see conftest).
"""

from __future__ import annotations

import uuid

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, connection, transaction

from communities.models import Community, Membership, User
from knowledge.models import Appreciation, Contribution
from tests.communities.factories import CommunityFactory, MembershipFactory
from tests.knowledge.factories import ContributionFactory


@pytest.mark.redis
def test_cache_is_redis_and_round_trips_a_value():
    assert settings.CACHES["default"]["BACKEND"] == (
        "kenniscloud.common.redis_cache.FailSoftRedisCache"
    )
    key = f"tests:{uuid.uuid4()}"
    value = {"community": "energie-noord", "members": [1, 2, 3]}

    cache.set(key, value, timeout=30)
    try:
        assert cache.get(key) == value
        # The value is really in Redis, not in this process.
        client = cache._cache.get_client(key)
        assert client.exists(cache.make_and_validate_key(key)) == 1
    finally:
        cache.delete(key)
    assert cache.get(key) is None


@pytest.mark.redis
def test_celery_connects_to_the_broker():
    from kenniscloud.celery import app

    assert app.conf.broker_url.startswith("redis://")
    with app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1)
        assert conn.connected


@pytest.mark.postgres
@pytest.mark.django_db
class TestDatabaseConstraints:
    """Check and unique constraints hold even for writes that bypass model validation."""

    def test_database_is_postgresql(self):
        assert connection.vendor == "postgresql"

    def test_membership_role_is_checked(self):
        membership = MembershipFactory()

        with pytest.raises(IntegrityError), transaction.atomic():
            Membership.objects.filter(pk=membership.pk).update(role="boss")

        membership.refresh_from_db()
        assert membership.role == Membership.Role.MEMBER

    def test_pending_membership_cannot_host(self):
        membership = MembershipFactory(host=True)

        with pytest.raises(IntegrityError), transaction.atomic():
            Membership.objects.filter(pk=membership.pk).update(state=Membership.State.PENDING)

        membership.refresh_from_db()
        assert membership.state == Membership.State.ACTIVE

    def test_membership_is_unique_per_user_and_community(self):
        membership = MembershipFactory()

        with pytest.raises(IntegrityError), transaction.atomic():
            Membership.objects.bulk_create(
                [Membership(user=membership.user, community=membership.community)]
            )

        assert Membership.objects.count() == 1

    def test_community_visibility_is_checked(self):
        community = CommunityFactory()

        with pytest.raises(IntegrityError), transaction.atomic():
            Community.objects.filter(pk=community.pk).update(visibility="secret")

        community.refresh_from_db()
        assert community.visibility == Community.Visibility.OPEN

    def test_community_cannot_be_its_own_parent(self):
        community = CommunityFactory()

        with pytest.raises(IntegrityError), transaction.atomic():
            Community.objects.filter(pk=community.pk).update(parent=community.pk)

        community.refresh_from_db()
        assert community.parent_id is None

    def test_contact_visibility_is_checked(self):
        membership = MembershipFactory()

        with pytest.raises(IntegrityError), transaction.atomic():
            User.objects.filter(pk=membership.user_id).update(contact_visibility="friends")

        assert User.objects.get(pk=membership.user_id).contact_visibility == "nobody"

    def test_contribution_status_and_kind_are_checked(self):
        contribution = ContributionFactory()

        with pytest.raises(IntegrityError), transaction.atomic():
            Contribution.objects.filter(pk=contribution.pk).update(status="deleted")
        with pytest.raises(IntegrityError), transaction.atomic():
            Contribution.objects.filter(pk=contribution.pk).update(kind="rant")

        contribution.refresh_from_db()
        assert (contribution.status, contribution.kind) == ("published", "question")

    def test_appreciation_is_unique_and_has_one_target(self):
        contribution = ContributionFactory()
        Appreciation.objects.create(user=contribution.author, contribution=contribution)

        with pytest.raises(IntegrityError), transaction.atomic():
            Appreciation.objects.bulk_create(
                [Appreciation(user=contribution.author, contribution=contribution)]
            )
        with pytest.raises(IntegrityError), transaction.atomic():
            Appreciation.objects.bulk_create([Appreciation(user=contribution.author)])

        assert Appreciation.objects.count() == 1
