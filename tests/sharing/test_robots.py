"""robots.txt keeps crawlers out of the admin, the account and settings pages in every
language, and points at the sitemap (the search rules: tests/search/test_robots.py)."""

from urllib.robotparser import RobotFileParser

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db


@pytest.fixture
def robots(client):
    with override_settings(SITE_URL="https://kenniscloud.example.org"):
        response = client.get("/robots.txt")
    assert response.status_code == 200
    parser = RobotFileParser()
    parser.parse(response.content.decode().splitlines())
    return parser


@pytest.mark.parametrize(
    "path",
    [
        "/cms/",
        "/cms/pages/3/edit/",
        "/django-admin/",
        "/instellingen/",
        "/instellingen/profiel/",
        "/en/instellingen/",
        "/accounts/login/",
        "/en/accounts/signup/",
        "/delen/mastodon/?server=mastodon.social",
        "/en/delen/mastodon/",
    ],
)
def test_private_areas_are_closed(robots, path):
    assert not robots.can_fetch("AnyBot", path)


@pytest.mark.parametrize(
    "path",
    ["/", "/bijdragen/1/", "/en/bijdragen/1/", "/sitemap.xml", "/sitemap-bijdragen.xml"],
)
def test_content_and_sitemap_stay_open(robots, path):
    assert robots.can_fetch("AnyBot", path)


def test_the_sitemap_is_named(robots):
    assert robots.site_maps() == ["https://kenniscloud.example.org/sitemap.xml"]
