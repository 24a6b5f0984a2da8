"""The librarians' admin screens in Dutch (issue 16): what a librarian met in English or raw.

The theme listing links to each theme's dossier; yes/no columns say "ja"/"nee"; the digest
preview is named in its header; Help leads to our Dutch guide, not Wagtail's English one;
/cms/login/ is Dutch.
"""

from __future__ import annotations

import json
import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from communities.selectors import LIBRARIAN_GROUP
from tests.communities.factories import (
    CommunityFactory,
    LibraryFactory,
    ThemeFactory,
    UserFactory,
)
from tests.html import page_text
from tests.knowledge.factories import ContributionFactory, dossier_create
from tests.mfa import admin_login

pytestmark = pytest.mark.django_db


@pytest.fixture
def librarian():
    group, _created = Group.objects.get_or_create(name=LIBRARIAN_GROUP)
    group.permissions.add(
        Permission.objects.get(codename="access_admin", content_type__app_label="wagtailadmin")
    )
    user = UserFactory(display_name="Lotte Bibliothecaris")
    user.groups.add(group)
    LibraryFactory(name="Bibliotheek Ahorn").librarians.add(user)
    return user


def _help_menu(html: str) -> list[dict]:
    """The items of the sidebar's Help submenu, from the JSON Wagtail renders it from."""
    props = re.search(
        r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>', html, re.S
    )
    assert props is not None
    found: list[dict] = []

    def walk(node):
        if isinstance(node, dict):
            if (
                node.get("_type") == "wagtail.sidebar.SubMenuItem"
                and node["_args"][0].get("name") == "help"
            ):
                found.extend(item["_args"][0] for item in node["_args"][1])
                return
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads(props.group(1)))
    return found


def test_theme_listing_links_to_each_dossier(client, librarian):
    with_dossier = ThemeFactory(title="Wonen")
    dossier = dossier_create(with_dossier)
    ThemeFactory(title="Zorg")
    admin_login(client, librarian)

    response = client.get(reverse("wagtailsnippets_communities_theme:list"))

    html = response.content.decode()
    edit = reverse("wagtailsnippets_knowledge_themedossier:edit", args=[dossier.pk])
    add = reverse("wagtailsnippets_knowledge_themedossier:add")
    assert f'<a href="{edit}">Dossier bewerken</a>' in html
    assert f'<a href="{add}">Dossier aanmaken</a>' in html


def test_theme_listing_costs_no_query_per_dossier(client, librarian, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("wagtailsnippets_communities_theme:list")
    admin_login(client, librarian)
    dossier_create(ThemeFactory())
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _n in range(5):
        dossier_create(ThemeFactory())
    with CaptureQueriesContext(connection) as more:
        client.get(url)

    assert len(few.captured_queries) == len(more.captured_queries)


# A table cell with only an icon and a word: the yes/no column.
YES_NO_CELL = r"<td[^>]*>\s*<svg[^>]*icon-(check|cross)[^>]*>.*?</svg>\s*(\w+)\s*</td>"


def test_yes_no_columns_say_ja_and_nee_not_true_and_false(client, librarian):
    community = CommunityFactory(library=librarian.libraries.get())
    ContributionFactory(community=community, title="Uitgelichte vraag", featured=True)
    ContributionFactory(community=community, title="Gewone vraag", featured=False)
    ThemeFactory(title="Wonen", featured=True)
    admin_login(client, librarian)

    for url in (
        reverse("wagtailsnippets_knowledge_contribution:list"),
        reverse("wagtailsnippets_communities_theme:list"),
    ):
        response = client.get(url)
        text = page_text(response)
        html = response.content.decode()
        assert "True" not in text and "False" not in text, url
        assert "<title>True" not in html and "<title>False" not in html, url
        cells = re.findall(YES_NO_CELL, html, re.S)
        assert ("check", "ja") in cells, (url, cells)
        assert set(cells) <= {("check", "ja"), ("cross", "nee")}, (url, cells)
    contributions = client.get(reverse("wagtailsnippets_knowledge_contribution:list"))
    assert ("cross", "nee") in re.findall(YES_NO_CELL, contributions.content.decode(), re.S)


def test_digest_preview_is_named_in_its_header(client, librarian):
    admin_login(client, librarian)

    html = client.get(reverse("notifications_digest_preview")).content.decode()

    crumbs = re.search(r"<div data-w-breadcrumbs.*?</nav>", html, re.S)
    assert crumbs is not None
    assert "Voorbeeld van een overzicht" in crumbs.group(0)


def test_help_menu_offers_the_dutch_guide_and_not_the_english_one(client, librarian):
    admin_login(client, librarian)

    html = client.get(reverse("wagtailadmin_home")).content.decode()

    items = _help_menu(html)
    assert [i["name"] for i in items] == ["handleiding", "keyboard-shortcuts-trigger"]
    assert items[0]["label"] == "Handleiding voor bibliothecarissen"
    assert items[0]["url"] == reverse("dashboard_help")
    assert "guide.wagtail.org" not in html
    assert "Editor Guide" not in html and "editor guide" not in html


def test_the_guide_is_dutch_and_covers_the_librarians_work(client, librarian):
    admin_login(client, librarian)

    response = client.get(reverse("dashboard_help"))

    assert response.status_code == 200
    text = page_text(response)
    for heading in (
        "Thema's",
        "Themadossiers",
        "Artikelen",
        "Meldingen beoordelen",
        "Aanvragen om lid te worden",
        "Activiteit en cijfers",
    ):
        assert heading in text
    html = response.content.decode()
    for url in (
        reverse("wagtailsnippets_communities_theme:list"),
        reverse("moderatie:index"),
        reverse("dashboard_activity"),
    ):
        assert f'href="{url}"' in html


@pytest.mark.parametrize("accept_language", ["nl-NL,nl;q=0.9", "en-US,en;q=0.9"])
def test_cms_login_is_the_dutch_login(client, accept_language):
    response = client.get("/cms/login/", follow=True, HTTP_ACCEPT_LANGUAGE=accept_language)

    assert response.redirect_chain[-1][0].startswith(reverse("account_login"))
    text = page_text(response)
    assert "Wachtwoord" in text
    assert "Password" not in text
    assert 'placeholder="Password"' not in response.content.decode()


def test_admin_home_search_button_is_dutch(client, librarian):
    admin_login(client, librarian)

    html = client.get(reverse("wagtailadmin_home")).content.decode()

    assert 'value="Zoeken"' in html
    assert 'value="Search"' not in html
    # Still Wagtail's home: the summary and our panels are there.
    assert 'id="week-news-section"' in html
