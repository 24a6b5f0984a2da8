"""30 posts at once by one member, on PostgreSQL and Redis: never more stored than the limit.

Issue 11 found 30 contributions in 2 seconds all stored. Each test releases 30 threads at the
same moment (a barrier), each with its own database connection, through the services or
through the site itself; the limits are counted in the real Redis of the run. The clock is
frozen (the `clock` fixture replaces `timezone.now` for every thread), so a run that happens to
straddle midnight cannot open a second day's budget.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client

from kenniscloud.common.ratelimit import RateLimited
from knowledge import services
from knowledge.models import Appreciation, Comment, Contribution
from tests.communities.factories import MembershipFactory
from tests.knowledge.factories import ContributionFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
]

PARALLEL = 30


@pytest.fixture
def poster(clock, community):
    clock.set("2026-12-07T10:00")
    return MembershipFactory(
        community=community, user__date_joined=clock.now() - timedelta(days=30)
    ).user


@pytest.fixture
def newcomer(clock, community):
    clock.set("2026-12-07T10:00")
    return MembershipFactory(community=community, user__date_joined=clock.now()).user


def _all_at_once(calls: list[Callable[[], object]]) -> tuple[int, list[BaseException]]:
    """Run each call in its own thread, released together; (how many succeeded, the errors)."""
    barrier = threading.Barrier(len(calls))
    errors: list[BaseException] = []
    done: list[object] = []

    def run(call):
        try:
            barrier.wait()
            done.append(call())
        except BaseException as error:  # reported to the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return len(done), errors


def _post(author, community, n: int, body: str | None = None):
    return lambda: services.contribution_create(
        author=author,
        community=community,
        kind="question",
        title=f"Vraag nummer {n}",
        body=body or f"Wie weet er meer van nummer {n}?",
    )


def _limits(settings, action: str, **rule) -> None:
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, action: rule}


def _only_rate_limited(errors: list[BaseException]) -> set[str]:
    assert all(isinstance(error, RateLimited) for error in errors), errors
    return {error.rule for error in errors}


def test_the_cache_is_redis():
    assert type(caches["default"]).__name__ == "FailSoftRedisCache"


def test_thirty_contributions_at_once_store_one(poster, community):
    stored, errors = _all_at_once([_post(poster, community, n) for n in range(PARALLEL)])

    assert stored == 1
    assert _only_rate_limited(errors) == {"interval"}
    assert Contribution.objects.filter(author=poster).count() == 1


def test_thirty_at_once_store_exactly_the_daily_cap(settings, poster, community):
    _limits(settings, "contribution", per_day=5)  # no pause: the cap alone decides

    stored, errors = _all_at_once([_post(poster, community, n) for n in range(PARALLEL)])

    assert stored == 5
    assert _only_rate_limited(errors) == {"per_day"}
    assert Contribution.objects.filter(author=poster).count() == 5


def test_thirty_comments_at_once_from_a_newcomer_store_the_first_day_cap(
    settings, newcomer, community
):
    _limits(settings, "comment", first_day=10)
    contribution = ContributionFactory(community=community)
    calls = [
        lambda n=n: services.comment_create(
            author=newcomer, contribution=contribution, body=f"Reactie {n}"
        )
        for n in range(PARALLEL)
    ]

    stored, errors = _all_at_once(calls)

    assert stored == 10
    assert _only_rate_limited(errors) == {"first_day"}
    assert Comment.objects.filter(author=newcomer).count() == 10


def test_thirty_identical_posts_at_once_store_one(settings, poster, community):
    """No rate limit at all: the lock on the author's row alone keeps duplicates out."""
    settings.RATE_LIMITS = {}

    stored, errors = _all_at_once(
        [_post(poster, community, n, body="Koop nu bij ons!") for n in range(PARALLEL)]
    )

    assert stored == 1
    assert len(errors) == PARALLEL - 1
    assert all(
        isinstance(error, ValidationError) and not isinstance(error, RateLimited)
        for error in errors
    )
    assert Contribution.objects.filter(author=poster).count() == 1


def test_thirty_appreciations_at_once_store_the_cap(settings, poster, community):
    _limits(settings, "appreciation", per_day=7)
    targets = ContributionFactory.create_batch(PARALLEL, community=community)
    calls = [
        lambda target=target: services.appreciation_toggle(user=poster, contribution=target)
        for target in targets
    ]

    stored, errors = _all_at_once(calls)

    assert stored == 7
    assert _only_rate_limited(errors) == {"per_day"}
    assert Appreciation.objects.filter(user=poster).count() == 7


def test_thirty_posts_at_once_through_the_site(poster, community):
    """The same through the form: one stored, 29 answers 429 with Retry-After."""
    clients = []
    for _n in range(PARALLEL):
        client = Client()
        client.force_login(poster)
        clients.append(client)
    responses = []

    def post(client, n):
        response = client.post(
            "/bijdragen/nieuw/",
            {
                "gemeenschap": community.slug,
                "kind": "question",
                "title": f"Vraag nummer {n}",
                "body": f"Wie weet er meer van nummer {n}?",
            },
        )
        responses.append(response)
        return response

    _stored, errors = _all_at_once([lambda c=c, n=n: post(c, n) for n, c in enumerate(clients)])

    assert errors == []
    codes = sorted(response.status_code for response in responses)
    assert codes == [302] + [429] * (PARALLEL - 1)
    assert {r["Retry-After"] for r in responses if r.status_code == 429} == {"15"}
    assert Contribution.objects.filter(author=poster).count() == 1
