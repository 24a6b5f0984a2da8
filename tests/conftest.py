"""Shared fixtures, and the policy for tests that need the real services.

Tests marked `postgres` need PostgreSQL and tests marked `redis` need Redis. On a bare machine
they are skipped with a reason; in CI (`CI=true`) a missing service is a failure, never a skip,
so that a misconfigured pipeline cannot pass by silently skipping what it was meant to check.

The clock (tests/clock.py): the `clock` fixture freezes `timezone.now()` for a test whose
outcome depends on the hour or the date. `--now=2027-03-28T02:30` or `KC_TEST_NOW=...` starts
the whole session's clock at that Amsterdam wall-clock time (it keeps running from there), to
prove the suite passes at night, just before the digest hour and on DST switch days. Only
tests use it; the application reads the time through `django.utils.timezone.now()` alone.
"""

from __future__ import annotations

import os
import uuid
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.db import connection
from django.utils import translation

from communities import site_library
from communities.models import Community, Membership
from communities.selectors import LIBRARIAN_GROUP
from kenniscloud.common import ratelimit
from moderation import queue as moderation_queue
from tests import clock as test_clock
from tests.communities.factories import (
    CommunityFactory,
    MembershipFactory,
    ThemeFactory,
    UserFactory,
)
from tests.querycount import measured_counts


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def _missing_services() -> dict[str, str]:
    """Marker name -> why that service is not available in this run."""
    missing = {}
    if connection.vendor != "postgresql":
        missing["postgres"] = (
            f"needs PostgreSQL; the database is {connection.vendor} (set DATABASE_URL)"
        )
    if not settings.REDIS_URL:
        missing["redis"] = "needs Redis; REDIS_URL is not set"
    return missing


def _without_password(url: str) -> str:
    parts = urlsplit(url)
    if not parts.password:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
    return urlunsplit(parts._replace(netloc=netloc))


def pytest_addoption(parser) -> None:
    parser.addoption(
        "--now",
        default=None,
        help=f"start the clock at this moment (ISO, Amsterdam time unless an offset is given); "
        f"also ${test_clock.ENV_VAR}. See tests/clock.py.",
    )


def pytest_configure(config) -> None:
    value = test_clock.session_clock_value(config.getoption("--now"))
    if value:
        config._kc_clock_start = test_clock.start_session_clock(value)


def pytest_report_header(config) -> list[str]:
    db = settings.DATABASES["default"]
    if connection.vendor == "sqlite":
        where = "in-memory test database"
    else:
        test_name = db.get("TEST", {}).get("NAME") or f"test_{db['NAME']}"
        where = f"{db.get('HOST') or 'localhost'}:{db.get('PORT') or 'default'}/{test_name}"
    redis = _without_password(settings.REDIS_URL) or "not used (local-memory cache, Celery eager)"
    ci = "CI=true: tests needing a missing service fail" if _in_ci() else "not CI: they skip"
    lines = [
        f"kenniscloud database: {connection.vendor} ({where})",
        f"kenniscloud redis: {redis}",
        f"kenniscloud real-service tests: {ci}",
    ]
    start = getattr(config, "_kc_clock_start", None)
    if start is not None:
        local = start.astimezone(test_clock.AMSTERDAM)
        lines.append(f"kenniscloud clock: starts at {local.isoformat()} (Amsterdam)")
    return lines


def pytest_collection_modifyitems(config, items) -> None:
    if _in_ci():
        return  # pytest_runtest_call fails them instead.
    missing = _missing_services()
    for item in items:
        for marker, reason in missing.items():
            if marker in item.keywords:
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_call(item) -> None:
    """In CI a test that needs PostgreSQL or Redis fails when the service is not configured."""
    if not _in_ci():
        return
    for marker, reason in _missing_services().items():
        if item.get_closest_marker(marker):
            pytest.fail(
                f"CI=true but this test {reason}. CI must run against the real services; "
                "point DATABASE_URL and REDIS_URL at them.",
                pytrace=False,
            )


def pytest_terminal_summary(terminalreporter) -> None:
    if measured_counts:
        terminalreporter.section("query counts (3 items -> 30 items)")
        for label, (small, large) in sorted(measured_counts.items()):
            terminalreporter.write_line(f"{label}: {small} -> {large}")


# --- Fixtures ---------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _reset_language():
    """Each test starts in the default language.

    LocaleMiddleware activates the language of a request in the test's own thread and never
    deactivates it, so one request to /en/... would otherwise make `reverse()` build /en/ URLs in
    every later test of the run.
    """
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fresh_rate_limits(monkeypatch):
    """Each test counts rate limits (kenniscloud/common/ratelimit.py) under keys of its own.

    The counters live in the cache, which outlives a test (Redis, or this process's memory),
    while the test's users are rolled back and a later test (or run) may get the same ids.
    """
    monkeypatch.setattr(ratelimit, "KEY_PREFIX", f"ratelimit:test-{uuid.uuid4().hex}")


@pytest.fixture(autouse=True)
def _fresh_site_library(monkeypatch):
    """Each test reads the site's library (the footer, communities/site_library.py) anew: the
    cached copy would outlive the test's rolled-back library, as the rate limits above."""
    monkeypatch.setattr(site_library, "KEY_PREFIX", f"site-library:test-{uuid.uuid4().hex}")


@pytest.fixture(autouse=True)
def _fresh_queue_links(monkeypatch):
    """Each test keeps the header's moderation link (moderation/queue.py) under keys of its own,
    as the rate limits above."""
    monkeypatch.setattr(
        moderation_queue, "QUEUE_LINK_KEY_PREFIX", f"queue-link:test-{uuid.uuid4().hex}:"
    )


@pytest.fixture
def clock(monkeypatch) -> test_clock.Clock:
    """`timezone.now()` stands still for this test: `clock.set("2026-12-07T06:59")` moves it
    (Amsterdam time unless the string has an offset), `clock.tick(timedelta)` advances it."""
    return test_clock.Clock(monkeypatch)


@pytest.fixture
def member(db):
    return UserFactory(display_name="Mila Member", handle="mila")


@pytest.fixture
def outsider(db):
    return UserFactory(display_name="Otto Outsider", handle="otto")


@pytest.fixture
def theme(db):
    return ThemeFactory(title="Duurzaam wonen", slug="duurzaam-wonen")


@pytest.fixture
def community(db, theme):
    """An open community with one host."""
    return CommunityFactory(
        title="Energiecoöperatie Noord",
        slug="energie-noord",
        visibility=Community.Visibility.OPEN,
        themes=[theme],
    )


@pytest.fixture
def host(community):
    return MembershipFactory(
        community=community,
        role=Membership.Role.HOST,
        user__display_name="Hanna Host",
        user__handle="hanna",
    ).user


@pytest.fixture
def membership(community, member):
    return MembershipFactory(community=community, user=member)


@pytest.fixture
def private_community(db):
    return CommunityFactory(
        title="Besloten kring", slug="besloten-kring", visibility=Community.Visibility.PRIVATE
    )


@pytest.fixture
def librarian(db):
    group, _created = Group.objects.get_or_create(name=LIBRARIAN_GROUP)
    user = UserFactory(display_name="Lotte Librarian", handle="lotte")
    user.groups.add(group)
    return user


@pytest.fixture
def admin_client(db, admin_user):
    """pytest-django's `admin_client`, past the second factor the admins ask (tests/mfa.py)."""
    from django.test import Client

    from tests.mfa import admin_login

    client = Client()
    admin_login(client, admin_user)
    return client
