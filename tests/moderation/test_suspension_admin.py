"""Schorsingen in the Wagtail admin: a librarian suspends and lifts within their library; the
users listing shows who is suspended."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils.html import strip_tags

from communities.models import User
from communities.selectors import LIBRARIAN_GROUP
from moderation.models import ModerationAction
from moderation.suspension import account_suspend
from tests.communities.factories import CommunityFactory, MembershipFactory, UserFactory
from tests.html import page_text
from tests.mfa import admin_login
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db

INDEX = "/cms/moderatie/schorsingen/"


@pytest.fixture
def world(db):
    mine = CommunityFactory(title="Buren Ahorn")
    theirs = CommunityFactory(title="Buren Beuk")
    librarian = UserFactory(display_name="Lotte Librarian")
    librarian.groups.add(Group.objects.get_or_create(name=LIBRARIAN_GROUP)[0])
    mine.library.librarians.add(librarian)
    colleague = MembershipFactory(community=mine, user__display_name="Collega Bib").user
    colleague.groups.add(Group.objects.get(name=LIBRARIAN_GROUP))
    return {
        "librarian": librarian,
        "member": MembershipFactory(community=mine, user__display_name="Mila Ahorn").user,
        "outsider": MembershipFactory(community=theirs, user__display_name="Otto Beuk").user,
        "colleague": colleague,
    }


@pytest.fixture
def librarian_client(client, world):
    admin_login(client, world["librarian"])
    return client


def _admin_field_errors(response, name: str) -> str:
    """The error Wagtail's formatted field shows at field `name`."""
    content = response.content.decode()
    pattern = rf'data-contentpath="{name}">\s*<div class="w-field__errors"[^>]*>(.*?)</div>'
    match = re.search(pattern, content, re.S)
    return " ".join(html.unescape(strip_tags(match.group(1))).split()) if match else ""


def _member_url(user) -> str:
    return reverse("schorsingen:member", kwargs={"pk": user.pk})


def test_the_list_shows_the_members_of_my_library_only(librarian_client, world):
    text = page_text(librarian_client.get(INDEX))
    assert "Mila Ahorn" in text
    assert "Otto Beuk" not in text
    assert librarian_client.get(_member_url(world["outsider"])).status_code == 404


def test_a_librarian_suspends_until_a_date_and_lifts_it(librarian_client, world, clock):
    clock.set("2026-12-07T10:00")
    member = world["member"]

    response = librarian_client.post(
        _member_url(member),
        {"action": "suspend", "length": "tot", "until": "2026-12-20", "reason": "Spam"},
        follow=True,
    )

    assert "Mila Ahorn is geschorst tot 20 december 2026 om 23:59." in page_text(response)
    member.refresh_from_db()
    assert member.suspension_reason == "Spam"
    assert member.is_suspended_at(clock.now())
    assert not member.is_suspended_at(clock.now() + timedelta(days=14))
    listing = page_text(librarian_client.get(INDEX + "?geschorst=1"))
    assert "Mila Ahorn" in listing and "Geschorst tot 20 december 2026" in listing

    response = librarian_client.post(_member_url(member), {"action": "lift"}, follow=True)

    assert "De schorsing van Mila Ahorn is opgeheven." in page_text(response)
    member.refresh_from_db()
    assert member.suspended_at is None
    assert list(
        ModerationAction.objects.order_by("pk").values_list("action", "actor", "member")
    ) == [
        ("suspend", world["librarian"].pk, member.pk),
        ("unsuspend", world["librarian"].pk, member.pk),
    ]


def test_for_good(librarian_client, world):
    librarian_client.post(
        _member_url(world["member"]),
        {"action": "suspend", "length": "voorgoed", "until": "", "reason": "Bedreigingen"},
    )
    member = User.objects.get(pk=world["member"].pk)
    assert member.suspended_at is not None and member.suspended_until is None


def test_bad_input_is_shown_at_the_fields_and_nothing_is_stored(librarian_client, world, clock):
    clock.set("2026-12-07T10:00")
    response = librarian_client.post(
        _member_url(world["member"]),
        {"action": "suspend", "length": "tot", "until": str(date(2026, 12, 1)), "reason": ""},
    )
    assert response.status_code == 400
    assert "Kies vandaag of een dag in de toekomst." in _admin_field_errors(response, "until")
    assert "Schrijf op waarom." in _admin_field_errors(response, "reason")
    assert User.objects.get(pk=world["member"].pk).suspended_at is None


def test_a_librarian_is_not_offered_to_suspend_a_colleague(librarian_client, world):
    response = librarian_client.get(_member_url(world["colleague"]))
    assert "Een bibliothecaris of organisator kun je niet schorsen." in page_text(response)
    assert 'name="reason"' not in response.content.decode()

    librarian_client.post(
        _member_url(world["colleague"]),
        {"action": "suspend", "length": "voorgoed", "reason": "Ruzie"},
    )
    assert User.objects.get(pk=world["colleague"].pk).suspended_at is None
    assert not ModerationAction.objects.exists()


def test_hosts_and_members_have_no_way_in(client, world):
    admin_login(client, UserFactory(is_staff=True))
    assert client.get(INDEX).status_code in (302, 403)


def test_the_wagtail_users_listing_says_who_is_suspended(client, world, clock):
    clock.set("2026-12-07T10:00")
    boss = UserFactory(is_superuser=True, is_staff=True)
    account_suspend(by=boss, user=world["member"], until=None, reason="Spam")
    admin_login(client, boss)

    text = page_text(client.get("/cms/users/"))

    assert "Geschorst" in text and "voor onbepaalde tijd" in text


def test_the_list_costs_the_same_queries_for_3_or_30_members(librarian_client, world, clock):
    community = world["member"].memberships.get().community
    boss = UserFactory(is_superuser=True, is_staff=True)

    def add(n):
        for _ in range(n):
            member = MembershipFactory(community=community).user
            account_suspend(by=boss, user=member, until=None, reason="Spam")

    assert_constant_queries(librarian_client, INDEX, add, label="schorsingen list")
