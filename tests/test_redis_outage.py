"""With Redis down every page and the login still answer; when it is back the page cache works
again and shows nothing from before the outage.

The outage is a loopback port: one where nothing listens (refused), one that never answers
(hangs), or a forwarder to the real Redis that is switched off and on. The machine's Redis is
never stopped. Only the last test needs a real Redis; the others run on any machine.
"""

from __future__ import annotations

import logging
import os
import time
from urllib.parse import urlsplit

import pytest
from django.core.cache import cache
from django.test import Client

from kenniscloud.common import redis_cache
from kenniscloud.common.cache import generation_bump
from kenniscloud.common.middleware import HEADER
from tests.communities.factories import PASSWORD, UserFactory
from tests.html import page_text
from tests.knowledge.factories import ContributionFactory, article_create, dossier_create
from tests.redis_switch import RedisSwitch, dead_port, silent_port

pytestmark = pytest.mark.django_db

# As in settings/base.py.
PRODUCTION_OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 1, "RETRY_AFTER": 5}
PRODUCTION_RATE_LIMITS = {"login_failed": "10/m/ip,5/5m/key"}


def use_redis(settings, location: str, **options) -> None:
    """The production cache at `location`, with the page cache and the login limits on."""
    settings.CACHES = {
        "default": {
            "BACKEND": "kenniscloud.common.redis_cache.FailSoftRedisCache",
            "LOCATION": location,
            "KEY_PREFIX": f"kc-outage-tests-{os.getpid()}",
            "OPTIONS": {**PRODUCTION_OPTIONS, **options},
        }
    }
    settings.ANONYMOUS_PAGE_CACHE_SECONDS = 300
    settings.ACCOUNT_RATE_LIMITS = PRODUCTION_RATE_LIMITS


@pytest.fixture(autouse=True)
def _fresh_breaker():
    redis_cache._down_until.clear()
    yield
    redis_cache._down_until.clear()


@pytest.fixture
def redis_down(settings):
    use_redis(settings, f"redis://127.0.0.1:{dead_port()}/0")


@pytest.fixture
def public_pages(theme, community, membership):
    contribution = ContributionFactory(
        community=community, author=membership.user, title="Wie deelt een warmtecamera?"
    )
    article = article_create("Zo isoleer je een jaren-30-woning", themes=[theme])
    dossier_create(theme, picks=[(contribution, "Goed begin.")])
    return [
        "/",
        "/themas/",
        f"/themas/{theme.slug}/",
        f"/bijdragen/{contribution.pk}/",
        "/artikelen/",
        article.url,
        "/gemeenschappen/",
        f"/en/themas/{theme.slug}/",
    ]


def _login(client, email: str, password: str = PASSWORD):
    return client.post("/accounts/login/", {"login": email, "password": password})


# --- Redis refuses connections ----------------------------------------------------------------


def test_every_page_answers_while_redis_is_down(redis_down, public_pages, client, caplog):
    caplog.set_level(logging.WARNING, logger="kenniscloud.common.redis_cache")
    redis_cache._down_until.clear()  # The outage starts now, not while the pages were made.

    for _round in range(2):
        for url in public_pages:
            response = client.get(url)
            assert response.status_code == 200, url
            # Neither served from nor stored in a cache that is not there.
            assert HEADER not in response, url

    assert "Wie deelt een warmtecamera?" in page_text(client.get("/themas/duurzaam-wonen/"))
    # One line for the outage, not one per call.
    assert len(caplog.records) == 1
    assert "Redis cache unreachable" in caplog.records[0].getMessage()


def test_a_member_logs_in_and_uses_the_site_while_redis_is_down(redis_down, public_pages):
    member = UserFactory(display_name="Ruud Redisloos")
    client = Client()

    response = _login(client, member.email)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(member.pk)
    for url in public_pages:
        response = client.get(url)
        assert response.status_code == 200, url
    assert "Ruud Redisloos" in page_text(client.get("/"))


def test_the_login_lockout_still_holds_in_this_process_while_redis_is_down(redis_down, db):
    """Fail safe for the login: it answers, and guessing stays limited (see redis_cache.py)."""
    target, other = UserFactory(), UserFactory()
    client = Client()

    for _attempt in range(5):
        response = _login(client, target.email, "geraden-wachtwoord")
        assert response.status_code == 200
        assert "_auth_user_id" not in client.session

    # The sixth try is refused even with the right password, as with Redis up ...
    response = _login(client, target.email)
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "Te veel" in page_text(response)
    # ... and someone else still logs in: the limits do not shut everyone out.
    assert _login(Client(), other.email).status_code == 302


# --- Redis accepts connections and never answers ----------------------------------------------


def test_a_redis_that_hangs_costs_one_socket_timeout_per_back_off(settings, public_pages, client):
    with silent_port() as port:
        use_redis(settings, f"redis://127.0.0.1:{port}/0")

        started = time.monotonic()
        assert client.get("/").status_code == 200
        first = time.monotonic() - started

        started = time.monotonic()
        for url in public_pages:
            assert client.get(url).status_code == 200, url
        rest = time.monotonic() - started

    # redis-py's own default would wait 5 s on every call, and a page makes several.
    timeout = PRODUCTION_OPTIONS["socket_timeout"]
    assert timeout <= first < timeout + 3
    # Within the back-off nothing waits for Redis: the rendering alone, far less than one
    # timeout per page (generous: the machine is shared).
    assert rest < len(public_pages) * timeout / 2, rest


# --- The cache API during an outage ------------------------------------------------------------


def test_reads_miss_and_writes_do_nothing_while_redis_is_down(redis_down):
    assert cache.get("a", "standaard") == "standaard"
    assert cache.answered_without_redis
    assert cache.add("a", 1) is False
    assert cache.set("a", 1) is None
    assert cache.get_many(["a", "b"]) == {}
    assert cache.set_many({"a": 1, "b": 2}) == ["a", "b"]
    assert cache.has_key("a") is False
    assert cache.delete("a") is False
    with pytest.raises(ValueError):
        cache.incr("a")
    assert cache.get_or_set("a", 7) == 7
    assert cache.is_reachable() is False


# --- Redis goes away and comes back -----------------------------------------------------------


@pytest.mark.redis
def test_the_page_cache_works_again_when_redis_is_back_and_shows_what_changed_meanwhile(
    settings, home_page
):
    real = urlsplit(settings.REDIS_URL)
    switch = RedisSwitch((real.hostname, real.port or 6379))
    switch.up()
    try:
        # A short back-off, so the test need not wait the production 5 s.
        use_redis(settings, f"redis://127.0.0.1:{switch.port}{real.path}", RETRY_AFTER=0.2)
        generation_bump()
        client = Client()
        assert client.get("/")[HEADER] == "miss"
        assert client.get("/")[HEADER] == "hit"

        switch.down()
        home_page.title = "Welkom, ook tijdens de storing"
        home_page.save_revision().publish()
        during = client.get("/")
        assert during.status_code == 200
        assert HEADER not in during
        assert "Welkom, ook tijdens de storing" in page_text(during)
        assert cache.is_reachable() is False

        switch.up()
        time.sleep(0.3)
        after = client.get("/")
        # The page stored before the outage is not served again: it misses what changed.
        assert after[HEADER] == "miss"
        assert "Welkom, ook tijdens de storing" in page_text(after)
        assert client.get("/")[HEADER] == "hit"
        assert cache.is_reachable() is True
    finally:
        switch.down()


@pytest.fixture
def home_page(db):
    from knowledge.models import HomePage

    return HomePage.objects.get()


def test_members_pages_with_shared_fragments_and_the_queue_link_render_while_redis_is_down(
    client, redis_down, public_pages, theme, host, community
):
    """The fragments (kenniscloud/common/fragments.py) and the header's moderation link are
    rendered as if there were no cache, for a member as for a host."""
    from knowledge.models import HomePage

    home = HomePage.objects.get()
    home.body = [
        {"type": "featured_communities", "value": {"heading": "Doe mee", "communities": []}},
        {"type": "upcoming_meetups", "value": {"limit": 3}},
    ]
    home.save_revision().publish()
    client.force_login(host)
    for url in ("/", f"/themas/{theme.slug}/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert community.title in response.content.decode(), url
    assert 'href="/moderatie/"' in client.get("/").content.decode()
