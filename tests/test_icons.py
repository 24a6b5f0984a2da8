"""The site's icons: every page links them, they exist, and /favicon.ico leads to one."""

from __future__ import annotations

import re

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db


def test_pages_link_the_icons_and_the_files_exist(client):
    html = client.get("/accounts/login/").content.decode()
    hrefs = re.findall(r'<link rel="(?:icon|apple-touch-icon)"\s+href="/static/([^"]+)"', html)
    assert sorted(hrefs) == [
        "images/apple-touch-icon.png",
        "images/favicon-32.png",
        "images/favicon.svg",
    ]
    for href in hrefs:
        assert finders.find(href), href


def test_favicon_ico_redirects_to_the_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"].endswith("images/favicon-32.png")
