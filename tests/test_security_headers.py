"""Content-Security-Policy, Permissions-Policy and Cache-Control on what the site answers."""

from __future__ import annotations

import os
import re

import pytest

from kenniscloud.common.cache import generation_bump
from kenniscloud.common.middleware import HEADER as PAGE_CACHE
from tests.communities.factories import CommunityFactory, UserFactory
from tests.meetups.factories import MeetupFactory
from tests.mfa import admin_login

pytestmark = pytest.mark.django_db


def _policy(response) -> dict[str, list[str]]:
    directives = [d.strip() for d in response["Content-Security-Policy"].split(";")]
    return {d.split()[0]: d.split()[1:] for d in directives if d}


def _assert_site_policy(response) -> None:
    policy = _policy(response)
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"][0] == "'self'"
    assert all(s == "'self'" or s.startswith("'nonce-") for s in policy["script-src"])
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    permissions = response["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb", "browsing-topics"):
        assert f"{feature}=()" in permissions


@pytest.mark.parametrize("url", ["/", "/themas/", "/accounts/login/", "/bijeenkomsten/"])
def test_anonymous_pages_have_the_site_policy_and_stay_cacheable(client, url):
    response = client.get(url)

    assert response.status_code == 200
    _assert_site_policy(response)
    assert _policy(response)["frame-ancestors"] == ["'self'"]  # X_FRAME_OPTIONS = SAMEORIGIN
    if url != "/accounts/login/":  # allauth's never_cache; the others are public pages
        assert "private" not in response.get("Cache-Control", "")


def test_frame_ancestors_follows_x_frame_options(client, settings):
    settings.X_FRAME_OPTIONS = "DENY"  # As in production.

    response = client.get("/themas/")

    assert response["X-Frame-Options"] == "DENY"
    assert _policy(response)["frame-ancestors"] == ["'none'"]


def test_pages_for_logged_in_members_are_private(client, member):
    client.force_login(member)

    for url in ("/", "/themas/", "/instellingen/profiel/"):
        response = client.get(url)
        assert response.status_code == 200
        control = {d.strip() for d in response["Cache-Control"].split(",")}
        assert {"private", "no-store"} <= control, url
        assert "public" not in control
        _assert_site_policy(response)


def test_the_json_ld_of_a_meetup_carries_the_nonce_of_the_policy(client):
    meetup = MeetupFactory(community=CommunityFactory())

    response = client.get(meetup.get_absolute_url())

    nonces = re.findall(r'<script type="application/ld\+json" nonce="([^"]+)">', response.text)
    assert len(nonces) == 1
    assert f"'nonce-{nonces[0]}'" in _policy(response)["script-src"]
    assert "<script>" not in response.text  # No other script at all.


def test_the_admins_get_their_own_narrow_policy(client):
    admin_login(client, UserFactory(is_staff=True, is_superuser=True))

    for url in ("/cms/", "/django-admin/"):
        response = client.get(url)
        assert response.status_code == 200, url
        policy = _policy(response)
        assert policy["script-src"] == ["'self'", "'unsafe-inline'"]
        assert policy["script-src-attr"] == ["'none'"]
        assert policy["object-src"] == ["'none'"]
        assert policy["base-uri"] == ["'self'"]
        assert policy["frame-ancestors"] == ["'self'"]
        assert "private" in response["Cache-Control"]


def test_the_anonymous_page_cache_still_serves_with_the_headers(client, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "security-headers-tests",
            "KEY_PREFIX": f"kc-security-headers-{os.getpid()}",
        }
    }
    settings.ANONYMOUS_PAGE_CACHE_SECONDS = 300
    generation_bump()

    first, second = client.get("/themas/"), client.get("/themas/")

    assert (first[PAGE_CACHE], second[PAGE_CACHE]) == ("miss", "hit")
    _assert_site_policy(second)
    assert "private" not in second.get("Cache-Control", "")
